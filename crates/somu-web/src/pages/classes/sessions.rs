//! Session list, page, form (create and edit), cancellation and notes.

use super::calendar::session_ics;
use super::{id_and_format, is_class_staff, tell, SessionView};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::classes::{unix_to_local, SessionDraft, SessionInput, Visibility};
use somu_domain::FieldError;
use somu_store::classes::{notice, RegistrationRow, SessionFilter};
use std::collections::HashMap;

/// `?done=…&past=1`
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// Notice id (`classes-done-<id>`).
    pub done: Option<String>,
    /// Show past sessions instead of upcoming ones.
    pub past: Option<String>,
    /// A newly made calendar feed link, shown once.
    pub feed: Option<String>,
}

/// Set the page's notice from a `classes-done-<id>` message.
pub(crate) fn with_done(mut page: Page, done: Option<&str>) -> Page {
    if let Some(id) = done.filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')) {
        let text = page.tr.t(&format!("classes-done-{id}"));
        if !text.starts_with("Unknown localization") {
            page.notice = Some(text);
        }
    }
    page
}

struct ListItem {
    v: SessionView,
    mine: Option<String>,
}

#[derive(Template)]
#[template(path = "classes/list.html")]
struct ListPage {
    page: Page,
    items: Vec<ListItem>,
    past: bool,
    staff: bool,
    notices: Vec<(i64, String, String)>,
    feed_url: Option<String>,
    has_feed: bool,
}

/// GET /o/{org}/classes
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let past = q.past.is_some();
    let filter = if past {
        SessionFilter {
            starting_before: Some(now),
            ..Default::default()
        }
    } else {
        SessionFilter {
            ending_after: Some(now),
            ..Default::default()
        }
    };
    let mut rows = state.store.class_sessions(ctx.org(), &filter, 500).await?;
    if past {
        rows.reverse();
    }
    let mine: HashMap<i64, String> = state
        .store
        .registrations_of(ctx.org(), ctx.member.person_id)
        .await?
        .into_iter()
        .collect();
    let page = with_done(Page::org(&ctx, &csrf.0, "classes-title"), q.done.as_deref());
    let items = rows
        .into_iter()
        .map(|s| ListItem {
            mine: mine.get(&s.id).filter(|m| *m != "cancelled").cloned(),
            v: SessionView::new(s, &page.tr),
        })
        .collect();
    let notices = state
        .store
        .class_notices(ctx.org(), ctx.member.person_id, 5)
        .await?
        .into_iter()
        .map(|(id, code, at)| {
            (
                id,
                page.t(&format!("classes-notice-{code}")),
                crate::pages::when(&at),
            )
        })
        .collect();
    let has_feed = state
        .store
        .feed_created(ctx.org(), ctx.member.person_id)
        .await?
        .is_some();
    let feed_url = q
        .feed
        .filter(|t| t.len() == 48 && t.chars().all(|c| c.is_ascii_hexdigit()))
        .map(|t| format!("{}/ical/{t}.ics", state.config.base_url));
    Ok(render(ListPage {
        page,
        items,
        past,
        staff: is_class_staff(&ctx),
        notices,
        feed_url,
        has_feed,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "classes/show.html")]
struct ShowPage {
    page: Page,
    v: SessionView,
    mine: Option<String>,
    staff: bool,
    upcoming: bool,
    roster: Vec<RegistrationRow>,
}

/// GET /o/{org}/classes/{id} (and `{id}.ics`, the session's calendar file)
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, raw)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (id, ics) = id_and_format(&raw)?;
    let s = state.store.class_session(ctx.org(), id).await?;
    if ics {
        return Ok(session_ics(&state, &ctx.member.org, s, false));
    }
    let roster = state.store.registrations(ctx.org(), id).await?;
    let mine = roster
        .iter()
        .find(|r| r.person_id == ctx.member.person_id.0 && r.status != "cancelled")
        .map(|r| r.status.clone());
    let staff = is_class_staff(&ctx);
    let page = with_done(
        Page::org(&ctx, &csrf.0, "classes-title").titled(s.title.clone()),
        q.done.as_deref(),
    );
    let upcoming = !s.is_cancelled() && s.start_at > state.clock.now();
    Ok(render(ShowPage {
        v: SessionView::new(s, &page.tr),
        page,
        mine,
        staff,
        upcoming,
        roster: if staff { roster } else { Vec::new() },
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "classes/form.html")]
struct FormPage {
    page: Page,
    action: String,
    draft: SessionDraft,
    errors: Vec<FieldError>,
    visibilities: &'static [Visibility],
    instructors: Vec<(i64, String)>,
    zones: &'static [&'static str],
}

impl FormPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

/// Zones offered in the form's list (any IANA name may be typed).
const COMMON_ZONES: &[&str] = &[
    "Europe/London",
    "Europe/Oslo",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "UTC",
];

async fn form_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    title: &str,
    action: String,
    draft: SessionDraft,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let instructors = state.store.class_instructors(ctx.org()).await?;
    let page = FormPage {
        page: Page::org(ctx, csrf, title),
        action,
        draft,
        errors,
        visibilities: Visibility::ALL,
        instructors,
        zones: COMMON_ZONES,
    };
    Ok((status, render(page)?).into_response())
}

/// GET /o/{org}/classes/new
pub async fn new_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Response> {
    let draft = SessionDraft {
        time_zone: "Europe/London".into(),
        capacity: "12".into(),
        instructor: if ctx.has(somu_domain::org::AppRole::Instructor) {
            ctx.member.person_id.0.to_string()
        } else {
            String::new()
        },
        ..Default::default()
    };
    let action = format!("/o/{}/classes/new", ctx.member.org.slug);
    form_page(
        &state,
        &ctx,
        &csrf.0,
        "classes-new-title",
        action,
        draft,
        vec![],
    )
    .await
}

fn field_errors(e: AppError) -> Result<Vec<FieldError>, AppError> {
    match e {
        AppError::Invalid(errs) => Ok(errs.0),
        other => Err(other),
    }
}

/// POST /o/{org}/classes/new
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Form(draft): Form<SessionDraft>,
) -> AppResult<Response> {
    let result = match SessionInput::validate(&draft) {
        Ok(input) => state
            .store
            .create_class_session(ctx.org(), &input, state.clock.now())
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => {
            audit(
                &state,
                &ctx,
                "class.create",
                &format!("class/{id}"),
                &draft.title,
            )
            .await?;
            Ok(Redirect::to(&format!(
                "/o/{}/classes/{id}?done=created",
                ctx.member.org.slug
            ))
            .into_response())
        }
        Err(e) => {
            let action = format!("/o/{}/classes/new", ctx.member.org.slug);
            form_page(
                &state,
                &ctx,
                &csrf.0,
                "classes-new-title",
                action,
                draft,
                field_errors(e)?,
            )
            .await
        }
    }
}

/// GET /o/{org}/classes/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let s = state.store.class_session(ctx.org(), id).await?;
    let draft = SessionDraft {
        title: s.title.clone(),
        course: s.course_slug.clone().unwrap_or_default(),
        description: s.description.clone(),
        starts: unix_to_local(s.start_at, &s.time_zone),
        ends: unix_to_local(s.end_at, &s.time_zone),
        time_zone: s.time_zone,
        place: s.place.unwrap_or_default(),
        online_url: s.online_url.unwrap_or_default(),
        capacity: s.capacity.to_string(),
        instructor: s.instructor_id.map(|i| i.to_string()).unwrap_or_default(),
        visibility: s.visibility,
    };
    let action = format!("/o/{}/classes/{id}/edit", ctx.member.org.slug);
    form_page(
        &state,
        &ctx,
        &csrf.0,
        "classes-edit-title",
        action,
        draft,
        vec![],
    )
    .await
}

/// POST /o/{org}/classes/{id}/edit: a move notifies everyone registered or waiting.
pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Form(draft): Form<SessionDraft>,
) -> AppResult<Response> {
    state.store.class_session(ctx.org(), id).await?;
    let now = state.clock.now();
    let result = match SessionInput::validate(&draft) {
        Ok(input) => state
            .store
            .update_class_session(ctx.org(), id, &input, now)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(outcome) => {
            let s = state.store.class_session(ctx.org(), id).await?;
            let org = &ctx.member.org;
            if outcome.moved {
                tell(&state, org, &outcome.registrants, &s, notice::MOVED).await?;
            }
            tell(&state, org, &outcome.promoted, &s, notice::PROMOTED).await?;
            let detail = if outcome.moved { "moved" } else { "" };
            audit(&state, &ctx, "class.update", &format!("class/{id}"), detail).await?;
            Ok(Redirect::to(&format!("/o/{}/classes/{id}?done=saved", org.slug)).into_response())
        }
        Err(e) => {
            let action = format!("/o/{}/classes/{id}/edit", ctx.member.org.slug);
            form_page(
                &state,
                &ctx,
                &csrf.0,
                "classes-edit-title",
                action,
                draft,
                field_errors(e)?,
            )
            .await
        }
    }
}

/// POST /o/{org}/classes/{id}/cancel
pub async fn cancel(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let people = state
        .store
        .cancel_class_session(ctx.org(), id, state.clock.now())
        .await?;
    let s = state.store.class_session(ctx.org(), id).await?;
    tell(&state, &ctx.member.org, &people, &s, notice::CANCELLED).await?;
    audit(
        &state,
        &ctx,
        "class.cancel",
        &format!("class/{id}"),
        &format!("{} people told", people.len()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/classes/{id}?done=cancelled",
        ctx.member.org.slug
    )))
}

/// `notes=…`
#[derive(Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
}

/// POST /o/{org}/classes/{id}/notes
pub async fn notes(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<NotesForm>,
) -> AppResult<Redirect> {
    if form.notes.chars().count() > 20_000 {
        return Err(AppError::field(
            "notes",
            "too-long",
            "keep notes under 20,000 characters",
        ));
    }
    state
        .store
        .set_session_notes(ctx.org(), id, form.notes.trim(), state.clock.now())
        .await?;
    audit(&state, &ctx, "class.notes", &format!("class/{id}"), "").await?;
    Ok(Redirect::to(&format!(
        "/o/{}/classes/{id}?done=saved#notes",
        ctx.member.org.slug
    )))
}
