//! Classes API: sessions (list, detail, create), registration and withdrawal, attendance.

use super::Problem;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Json;
use crate::pages::audit;
use crate::pages::classes::{is_class_staff, withdraw_and_promote, CLASS_STAFF};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post, put};
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::access::Access;
use somu_domain::classes::{Attendance, SessionDraft, SessionInput};
use somu_domain::ids::PersonId;
use somu_domain::time_util::{format_rfc3339, from_unix};
use somu_store::classes::{RegistrationRow, SessionFilter, SessionRow};
use utoipa::{OpenApi, ToSchema};

/// A session.
#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Id within the organisation.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Course slug.
    pub course: Option<String>,
    /// Description.
    pub description: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Start, RFC 3339 (UTC).
    pub starts: String,
    /// End, RFC 3339 (UTC).
    pub ends: String,
    /// Place.
    pub place: Option<String>,
    /// Meeting link.
    pub online_url: Option<String>,
    /// Seats.
    pub capacity: i64,
    /// Seats taken.
    pub registered: i64,
    /// People waiting.
    pub waitlisted: i64,
    /// Instructor's person id.
    pub instructor_id: Option<i64>,
    /// `in-company` or `open-calendar`.
    pub visibility: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// iCalendar SEQUENCE.
    pub sequence: i64,
}

impl From<SessionRow> for SessionOut {
    fn from(s: SessionRow) -> Self {
        SessionOut {
            id: s.id,
            title: s.title,
            course: s.course_slug,
            description: s.description,
            time_zone: s.time_zone,
            starts: format_rfc3339(from_unix(s.start_at)),
            ends: format_rfc3339(from_unix(s.end_at)),
            place: s.place,
            online_url: s.online_url,
            capacity: s.capacity,
            registered: s.registered,
            waitlisted: s.waitlisted,
            instructor_id: s.instructor_id,
            visibility: s.visibility,
            status: s.status,
            sequence: s.ical_sequence,
        }
    }
}

/// One person on the roster (staff only).
#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// `registered`, `waitlisted` or `cancelled`.
    pub status: String,
    /// `present`, `absent` or null.
    pub attendance: Option<String>,
}

impl From<RegistrationRow> for RegistrationOut {
    fn from(r: RegistrationRow) -> Self {
        RegistrationOut {
            person_id: r.person_id,
            name: r.name,
            status: r.status,
            attendance: r.attendance,
        }
    }
}

/// A session with the caller's standing and, for staff, the roster.
#[derive(Serialize, ToSchema)]
pub struct SessionDetailOut {
    /// The session.
    pub session: SessionOut,
    /// The caller's standing, if registered or waiting.
    pub mine: Option<String>,
    /// Everyone on the roster (instructors, programme owners and admins only).
    pub registrations: Option<Vec<RegistrationOut>>,
}

/// A session to create: the same fields as the form; local times in `time_zone`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SessionBody {
    /// Title.
    pub title: String,
    /// Course slug.
    pub course: String,
    /// Description.
    pub description: String,
    /// IANA time zone, e.g. `Europe/Oslo`.
    pub time_zone: String,
    /// Local start, `YYYY-MM-DDTHH:MM`.
    pub starts: String,
    /// Local end, `YYYY-MM-DDTHH:MM`.
    pub ends: String,
    /// Place.
    pub place: String,
    /// Meeting link.
    pub online_url: String,
    /// Seats (a number).
    pub capacity: i64,
    /// Instructor's person id.
    pub instructor: Option<i64>,
    /// `in-company` (default) or `open-calendar`.
    pub visibility: String,
}

/// Whom a registration or withdrawal is for (default: the caller; others need a staff role).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct WhoBody {
    /// Person id.
    pub person_id: Option<i64>,
}

/// The outcome of a registration.
#[derive(Serialize, ToSchema)]
pub struct RegistrationResult {
    /// Person id.
    pub person_id: i64,
    /// `registered` or `waitlisted` (or `cancelled` after a withdrawal).
    pub status: String,
    /// Who got the freed seat, after a withdrawal.
    pub promoted: Option<i64>,
}

/// One attendance mark.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBody {
    /// Person id (must hold a seat).
    pub person_id: i64,
    /// `present` or `absent`.
    pub attendance: String,
}

/// Attendance marks.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    /// The marks.
    pub marks: Vec<MarkBody>,
}

/// Sessions that have not ended yet, soonest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/classes", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [SessionOut]), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<SessionOut>>> {
    let f = SessionFilter {
        ending_after: Some(state.clock.now()),
        ..Default::default()
    };
    let rows = state.store.class_sessions(ctx.org(), &f, 500).await?;
    Ok(axum::Json(rows.into_iter().map(Into::into).collect()))
}

/// One session.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/classes/{id}", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = SessionDetailOut), (status = 404, body = Problem)))]
pub async fn detail(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
) -> AppResult<axum::Json<SessionDetailOut>> {
    let id = path.1;
    let s = state.store.class_session(ctx.org(), id).await?;
    let roster = state.store.registrations(ctx.org(), id).await?;
    let mine = roster
        .iter()
        .find(|r| r.person_id == ctx.member.person_id.0 && r.status != "cancelled")
        .map(|r| r.status.clone());
    Ok(axum::Json(SessionDetailOut {
        session: s.into(),
        mine,
        registrations: is_class_staff(&ctx).then(|| roster.into_iter().map(Into::into).collect()),
    }))
}

/// Create a session (instructors, programme owners, admins).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/classes", params(("org" = String, Path, description = "Organisation slug")), request_body = SessionBody,
    responses((status = 201, body = SessionOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Json(body): Json<SessionBody>,
) -> AppResult<(StatusCode, axum::Json<SessionOut>)> {
    let draft = SessionDraft {
        title: body.title,
        course: body.course,
        description: body.description,
        time_zone: body.time_zone,
        starts: body.starts,
        ends: body.ends,
        place: body.place,
        online_url: body.online_url,
        capacity: body.capacity.to_string(),
        instructor: body.instructor.map(|i| i.to_string()).unwrap_or_default(),
        visibility: body.visibility,
    };
    let input = SessionInput::validate(&draft).map_err(AppError::Invalid)?;
    let id = state
        .store
        .create_class_session(ctx.org(), &input, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "class.create",
        &format!("class/{id}"),
        "via API",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(state.store.class_session(ctx.org(), id).await?.into()),
    ))
}

fn whom(ctx: &OrgCtx, body: &WhoBody) -> AppResult<PersonId> {
    match body.person_id {
        None => Ok(ctx.member.person_id),
        Some(p) if p == ctx.member.person_id.0 => Ok(ctx.member.person_id),
        Some(p) if is_class_staff(ctx) => Ok(PersonId(p)),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Register (a seat, or the waitlist when full). 409 for a double registration or a cancelled
/// or started session.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/classes/{id}/registrations", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Session id")), request_body = WhoBody,
    responses((status = 201, body = RegistrationResult), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(body): Json<WhoBody>,
) -> AppResult<(StatusCode, axum::Json<RegistrationResult>)> {
    let id = path.1;
    let person = whom(&ctx, &body)?;
    let status = state
        .store
        .register(ctx.org(), id, person, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "class.register",
        &format!("class/{id}"),
        &format!("person/{} {status} via API", person.0),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(RegistrationResult {
            person_id: person.0,
            status: status.code().into(),
            promoted: None,
        }),
    ))
}

/// Withdraw; the first person waiting takes a freed seat (and is told).
#[utoipa::path(post, path = "/api/v1/orgs/{org}/classes/{id}/withdraw", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Session id")), request_body = WhoBody,
    responses((status = 200, body = RegistrationResult), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(body): Json<WhoBody>,
) -> AppResult<axum::Json<RegistrationResult>> {
    let id = path.1;
    let person = whom(&ctx, &body)?;
    let promoted = withdraw_and_promote(&state, &ctx, id, person).await?;
    audit(
        &state,
        &ctx,
        "class.withdraw",
        &format!("class/{id}"),
        &format!("person/{} via API", person.0),
    )
    .await?;
    Ok(axum::Json(RegistrationResult {
        person_id: person.0,
        status: "cancelled".into(),
        promoted: promoted.map(|p| p.person_id),
    }))
}

/// Record attendance (instructors, programme owners, admins). Refused whole when anyone named
/// holds no seat.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/classes/{id}/attendance", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Session id")), request_body = AttendanceBody,
    responses((status = 200, body = SessionDetailOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn attendance(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(body): Json<AttendanceBody>,
) -> AppResult<axum::Json<SessionDetailOut>> {
    let id = path.1;
    let mut marks = Vec::with_capacity(body.marks.len());
    for (i, m) in body.marks.iter().enumerate() {
        let a = m.attendance.parse::<Attendance>().map_err(|e| {
            AppError::field(
                &format!("marks[{i}].attendance"),
                "unknown-value",
                e.to_string(),
            )
        })?;
        marks.push((PersonId(m.person_id), a));
    }
    if marks.is_empty() {
        return Err(AppError::field(
            "marks",
            "required",
            "give at least one mark",
        ));
    }
    let s = state.store.class_session(ctx.org(), id).await?;
    let now = state.clock.now();
    let at = now.min(s.end_at).max(s.start_at);
    state
        .store
        .set_attendance(ctx.org(), id, &marks, at, now)
        .await?;
    audit(
        &state,
        &ctx,
        "class.attendance",
        &format!("class/{id}"),
        "via API",
    )
    .await?;
    detail(State(state), Extension(ctx), Path((String::new(), id))).await
}

#[derive(OpenApi)]
#[openapi(
    paths(list, detail, create, register, withdraw, attendance),
    components(schemas(
        SessionOut,
        SessionDetailOut,
        RegistrationOut,
        SessionBody,
        WhoBody,
        RegistrationResult,
        MarkBody,
        AttendanceBody
    ))
)]
struct Doc;

/// This area's part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// This area's API routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    let (member, staff): (Access, Access) = (Access::MEMBER, CLASS_STAFF);
    vec![
        r(M::GET, "/api/v1/orgs/{org}/classes", member, get(list)),
        r(M::POST, "/api/v1/orgs/{org}/classes", staff, post(create)),
        r(
            M::GET,
            "/api/v1/orgs/{org}/classes/{id}",
            member,
            get(detail),
        ),
        r(
            M::POST,
            "/api/v1/orgs/{org}/classes/{id}/registrations",
            member,
            post(register),
        ),
        r(
            M::POST,
            "/api/v1/orgs/{org}/classes/{id}/withdraw",
            member,
            post(withdraw),
        ),
        r(
            M::PUT,
            "/api/v1/orgs/{org}/classes/{id}/attendance",
            staff,
            put(attendance),
        ),
    ]
}
