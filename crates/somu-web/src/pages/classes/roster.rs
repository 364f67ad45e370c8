//! Registration (self and by staff), withdrawal with waitlist promotion, and the attendance
//! roster an instructor fills in on a phone.

use super::sessions::with_done;
use super::{tell, SessionView};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{parse_form, Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::classes::{Attendance, RegistrationStatus};
use somu_domain::ids::PersonId;
use somu_store::classes::{notice, Recipient, RegistrationRow};

fn back(ctx: &OrgCtx, id: i64, done: &str) -> Redirect {
    Redirect::to(&format!(
        "/o/{}/classes/{id}?done={done}",
        ctx.member.org.slug
    ))
}

fn done_code(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "registered",
        _ => "waitlisted",
    }
}

/// POST /o/{org}/classes/{id}/register: the member registers themself.
pub async fn register(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let status = state
        .store
        .register(ctx.org(), id, ctx.member.person_id, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "class.register",
        &format!("class/{id}"),
        status.code(),
    )
    .await?;
    Ok(back(&ctx, id, done_code(status)))
}

/// POST /o/{org}/classes/{id}/withdraw: the member gives up their seat or waitlist place.
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    withdraw_and_promote(&state, &ctx, id, ctx.member.person_id).await?;
    audit(&state, &ctx, "class.withdraw", &format!("class/{id}"), "").await?;
    Ok(back(&ctx, id, "withdrawn"))
}

/// Withdraw a person; whoever takes the freed seat is told by mail (their in-app notice is
/// written with the promotion). Returns the person promoted.
pub async fn withdraw_and_promote(
    state: &AppState,
    ctx: &OrgCtx,
    id: i64,
    person: PersonId,
) -> AppResult<Option<Recipient>> {
    let promoted = state
        .store
        .withdraw(ctx.org(), id, person, state.clock.now())
        .await?;
    if let Some(p) = &promoted {
        let s = state.store.class_session(ctx.org(), id).await?;
        tell(
            state,
            &ctx.member.org,
            std::slice::from_ref(p),
            &s,
            notice::PROMOTED,
        )
        .await?;
    }
    Ok(promoted)
}

/// `person=<email or id>`
#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    person: String,
}

/// POST /o/{org}/classes/{id}/enrol: staff register someone of the organisation.
pub async fn enrol(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<EnrolForm>,
) -> AppResult<Redirect> {
    state.store.class_session(ctx.org(), id).await?;
    let key = form.person.trim();
    if key.is_empty() {
        return Err(AppError::field(
            "person",
            "required",
            "give the person's email or id",
        ));
    }
    let person = match key.parse::<i64>() {
        Ok(n) => state.store.person(ctx.org(), PersonId(n)).await.ok(),
        Err(_) => {
            state
                .store
                .person_by_email(ctx.org(), &key.to_lowercase())
                .await?
        }
    }
    .ok_or_else(|| {
        AppError::field(
            "person",
            "unknown-person",
            format!("no one in this organisation is \"{key}\""),
        )
    })?;
    let status = state
        .store
        .register(ctx.org(), id, PersonId(person.id), state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "class.enrol",
        &format!("class/{id}"),
        &format!("person/{} {}", person.id, status.code()),
    )
    .await?;
    Ok(back(&ctx, id, done_code(status)))
}

#[derive(Template)]
#[template(path = "classes/roster.html")]
struct RosterPage {
    page: Page,
    v: SessionView,
    people: Vec<RegistrationRow>,
    present: usize,
}

/// GET /o/{org}/classes/{id}/attendance
pub async fn attendance_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<crate::pages::Done>,
) -> AppResult<Response> {
    let s = state.store.class_session(ctx.org(), id).await?;
    let people: Vec<RegistrationRow> = state
        .store
        .registrations(ctx.org(), id)
        .await?
        .into_iter()
        .filter(|r| r.status == "registered")
        .collect();
    let present = people
        .iter()
        .filter(|r| r.attendance.as_deref() == Some("present"))
        .count();
    let page = with_done(
        Page::org(&ctx, &csrf.0, "classes-roster-title"),
        q.done.as_deref(),
    );
    Ok(render(RosterPage {
        v: SessionView::new(s, &page.tr),
        page,
        people,
        present,
    })?
    .into_response())
}

/// POST /o/{org}/classes/{id}/attendance: fields `p<person id>=present|absent`. Sent whole by the
/// form, or one field at a time by the page's script (which asks for JSON back).
pub async fn attendance(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let pairs: Vec<(String, String)> = parse_form(&body)?;
    let mut marks = Vec::new();
    for (k, v) in pairs {
        let Some(pid) = k.strip_prefix('p') else {
            continue;
        };
        let person = pid
            .parse::<i64>()
            .map_err(|_| AppError::field(&k, "invalid", format!("\"{pid}\" is not a person id")))?;
        let mark = v
            .parse::<Attendance>()
            .map_err(|e| AppError::field(&k, "unknown-value", e.to_string()))?;
        marks.push((PersonId(person), mark));
    }
    if marks.is_empty() {
        return Err(AppError::field(
            "attendance",
            "required",
            "mark at least one person",
        ));
    }
    let s = state.store.class_session(ctx.org(), id).await?;
    let now = state.clock.now();
    let at = now.min(s.end_at).max(s.start_at);
    let n = state
        .store
        .set_attendance(ctx.org(), id, &marks, at, now)
        .await?;
    audit(
        &state,
        &ctx,
        "class.attendance",
        &format!("class/{id}"),
        &format!("{n} marks"),
    )
    .await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        return Ok(axum::Json(serde_json::json!({ "saved": n })).into_response());
    }
    Ok(Redirect::to(&format!(
        "/o/{}/classes/{id}/attendance?done=attendance-saved",
        ctx.member.org.slug
    ))
    .into_response())
}
