//! Learning API: the catalogue (courses, tracks, a course's lessons) and the learning record as
//! xAPI statements.

use super::Problem;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::pages::learning::OWNERS;
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::routing::get;
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::access::Access;
use somu_domain::ids::PersonId;
use somu_domain::xapi::{Verb, XapiContext};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::statements::StatementFilter;
use std::collections::HashMap;
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(courses, course_lessons, tracks, statements),
    components(schemas(CourseOut, TrackOut, LessonOut, LessonsOut, StatementsOut))
)]
struct Doc;

/// This area's part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// This area's API routes.
pub fn routes() -> Vec<RouteDef> {
    let member = Access::MEMBER;
    vec![
        r(
            Method::GET,
            "/api/v1/orgs/{org}/courses",
            member,
            get(courses),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/courses/{slug}/lessons",
            member,
            get(course_lessons),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/tracks",
            member,
            get(tracks),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/xapi/statements",
            member,
            get(statements),
        ),
    ]
}

/// A course (its published version).
#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Audience codes.
    pub audiences: Vec<String>,
    /// `introductory`, `intermediate` or `advanced`.
    pub level: String,
    /// Estimated minutes.
    pub estimated_minutes: i64,
    /// Modules.
    pub modules: i64,
    /// Lessons.
    pub lessons: i64,
    /// The published version's id (null: draft only).
    pub published_version: Option<i64>,
}

impl From<CourseEntry> for CourseOut {
    fn from(c: CourseEntry) -> Self {
        CourseOut {
            audiences: c
                .audiences
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            slug: c.slug,
            title: c.title,
            summary: c.summary,
            level: c.level,
            estimated_minutes: c.estimated_minutes,
            modules: c.modules,
            lessons: c.lessons,
            published_version: c.published_version,
        }
    }
}

/// A track.
#[derive(Serialize, ToSchema)]
pub struct TrackOut {
    /// Slug (the audience code for the default tracks).
    pub slug: String,
    /// Audience code.
    pub audience: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Post-test pass mark in percent.
    pub pass_mark: i64,
    /// Course slugs in order.
    pub courses: Vec<String>,
}

impl From<TrackEntry> for TrackOut {
    fn from(t: TrackEntry) -> Self {
        TrackOut {
            slug: t.slug,
            audience: t.audience,
            title: t.title,
            summary: t.summary,
            pass_mark: t.pass_mark,
            courses: t.courses,
        }
    }
}

/// A lesson of the published version.
#[derive(Serialize, ToSchema)]
pub struct LessonOut {
    /// Module slug.
    pub module: String,
    /// Module title.
    pub module_title: String,
    /// Lesson slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Estimated minutes.
    pub minutes: i64,
    /// Statement key (`course/module/lesson`).
    pub key: String,
}

/// A course's lessons in reading order.
#[derive(Serialize, ToSchema)]
pub struct LessonsOut {
    /// The course.
    pub course: CourseOut,
    /// The published version's id.
    pub version: i64,
    /// Lessons.
    pub lessons: Vec<LessonOut>,
}

/// Published courses (programme owners and admins also see draft-only courses).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/courses", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<CourseOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn courses(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<CourseOut>>> {
    let owner = OWNERS.admits(&ctx.member.roles);
    Ok(axum::Json(
        state
            .store
            .courses(ctx.org())
            .await?
            .into_iter()
            .filter(|c| owner || c.published_version.is_some())
            .map(Into::into)
            .collect(),
    ))
}

/// The lessons of a course's published version.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/courses/{slug}/lessons",
    params(("org" = String, Path, description = "Organisation slug"), ("slug" = String, Path, description = "Course slug")),
    responses((status = 200, body = LessonsOut), (status = 404, body = Problem)))]
pub async fn course_lessons(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, String)>,
) -> AppResult<axum::Json<LessonsOut>> {
    let slug = path.1;
    let p = crate::pages::learning::learn::published(&state, ctx.org(), &slug).await?;
    Ok(axum::Json(LessonsOut {
        version: p.version.id,
        lessons: p
            .lessons
            .into_iter()
            .map(|l| LessonOut {
                key: format!("{slug}/{}/{}", l.module_slug, l.slug),
                module: l.module_slug,
                module_title: l.module_title,
                slug: l.slug,
                title: l.title,
                minutes: l.minutes,
            })
            .collect(),
        course: p.entry.into(),
    }))
}

/// Tracks with their courses.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/tracks", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<TrackOut>), (status = 404, body = Problem)))]
pub async fn tracks(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<TrackOut>>> {
    Ok(axum::Json(
        state
            .store
            .tracks(ctx.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Which statements to return.
#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct StatementsQuery {
    /// Only this person's (a person id). Members other than staff may only ask for their own.
    pub person: Option<String>,
    /// Only this verb (e.g. `completed`).
    pub verb: Option<String>,
    /// At or after: RFC 3339 or Unix seconds.
    pub since: Option<String>,
    /// Before: RFC 3339 or Unix seconds.
    pub until: Option<String>,
    /// Only statements after this statement number (for the next page).
    pub after: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<String>,
}

/// A page of statements.
#[derive(Serialize, ToSchema)]
pub struct StatementsOut {
    /// xAPI 1.0.3 statements, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub statements: Vec<serde_json::Value>,
    /// The URL of the next page, or null.
    pub more: Option<String>,
}

fn time_param(field: &str, v: &Option<String>) -> AppResult<Option<i64>> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(n) = v.parse::<i64>() {
        return Ok(Some(n));
    }
    time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
        .map(|t| Some(t.unix_timestamp()))
        .map_err(|_| {
            AppError::field(
                field,
                "invalid",
                format!("\"{v}\" is neither RFC 3339 (2026-01-31T09:00:00Z) nor Unix seconds"),
            )
        })
}

fn int_param(field: &str, v: &Option<String>) -> AppResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::field(field, "invalid", format!("\"{v}\" is not a number"))),
    }
}

/// The learning record as xAPI statements.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/xapi/statements", params(("org" = String, Path, description = "Organisation slug"), StatementsQuery),
    responses((status = 200, body = StatementsOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn statements(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<StatementsQuery>,
) -> AppResult<axum::Json<StatementsOut>> {
    let staff = Access::STAFF.admits(&ctx.member.roles);
    let me = ctx.member.person_id;
    let person = int_param("person", &q.person)?.map(PersonId);
    let person = match person {
        Some(p) if !staff && p != me => return Err(AppError::Forbidden),
        Some(p) => Some(p),
        None if staff => None,
        None => Some(me),
    };
    let verb = match q.verb.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse::<Verb>().map_err(|_| {
            AppError::field(
                "verb",
                "unknown-value",
                format!("\"{v}\" is not an xAPI verb Somu records"),
            )
        })?),
    };
    let limit = int_param("limit", &q.limit)?.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::field("limit", "invalid", "from 1 to 500"));
    }
    let filter = StatementFilter {
        person,
        verb,
        since: time_param("since", &q.since)?,
        until: time_param("until", &q.until)?,
        after_id: int_param("after", &q.after)?,
        ..Default::default()
    };
    let found = state.store.statements(ctx.org(), &filter, limit).await?;
    let cx = XapiContext {
        base_url: state.config.base_url.trim_end_matches('/'),
        org_slug: &ctx.member.org.slug,
    };
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(found.len());
    for s in &found {
        let id = s.body.person.0;
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            let name = match state.store.person(ctx.org(), s.body.person).await {
                Ok(p) => p.name,
                Err(_) => String::new(),
            };
            slot.insert(name);
        }
        out.push(s.to_xapi(cx, names.get(&id).map(String::as_str).unwrap_or("")));
    }
    let more = (found.len() as i64 == limit).then(|| {
        let last = found.last().map(|s| s.id).unwrap_or(0);
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("person", &q.person),
            ("verb", &q.verb),
            ("since", &q.since),
            ("until", &q.until),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                qs.append_pair(k, v);
            }
        }
        qs.append_pair("after", &last.to_string());
        qs.append_pair("limit", &limit.to_string());
        format!(
            "{}/api/v1/orgs/{}/xapi/statements?{}",
            cx.base_url,
            cx.org_slug,
            qs.finish()
        )
    });
    Ok(axum::Json(StatementsOut {
        statements: out,
        more,
    }))
}
