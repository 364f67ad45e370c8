//! Assignments (`/o/{org}/assignments`): give a track or course to everyone, an audience, a team
//! or a list of people, mandatory or voluntary, with a fixed or relative due date.

use super::{resolve_people, today};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::{PersonId, TeamId};
use somu_domain::org::Audience;
use somu_domain::progress::{AssignmentDraft, ScopeKind};
use somu_domain::FieldError;
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::progress::AssignmentRow;
use somu_store::StoreError;

/// The assignment form (also the API body's fields).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AssignForm {
    /// `track:<slug>` or `course:<slug>`.
    pub target: String,
    /// `everyone`, `audience`, `team` or `people`.
    pub scope: String,
    /// Audience code.
    pub audience: String,
    /// Team id.
    pub team: String,
    /// Emails or employee ids.
    pub people: String,
    /// Present when mandatory.
    pub mandatory: Option<String>,
    /// `none`, `fixed`, `start` or `assigned`.
    pub due: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    /// Days.
    pub due_days: String,
}

impl AssignForm {
    fn draft(&self) -> AssignmentDraft {
        AssignmentDraft {
            target: self.target.clone(),
            scope: self.scope.clone(),
            audience: self.audience.clone(),
            team: self.team.clone(),
            people: self.people.clone(),
            mandatory: self
                .mandatory
                .as_deref()
                .is_some_and(|v| !v.is_empty() && v != "false"),
            due: if self.due.is_empty() {
                "none".into()
            } else {
                self.due.clone()
            },
            due_date: self.due_date.clone(),
            due_days: self.due_days.clone(),
        }
    }
}

/// Validate, check the target, team and people exist, store and audit. Returns the new id.
pub async fn create_assignment(
    state: &AppState,
    ctx: &OrgCtx,
    form: &AssignForm,
) -> AppResult<i64> {
    let input = form
        .draft()
        .validate(today(state))
        .map_err(AppError::Invalid)?;
    let org = ctx.org();
    let exists = match input.kind {
        somu_domain::progress::AssignKind::Track => state
            .store
            .track_by_slug(org, &input.target)
            .await
            .map(|_| ()),
        somu_domain::progress::AssignKind::Course => state
            .store
            .course_by_slug(org, &input.target)
            .await
            .map(|_| ()),
    };
    match exists {
        Err(StoreError::NotFound) => {
            return Err(AppError::field(
                "target",
                "unknown",
                format!("there is no {} {:?}", input.kind, input.target),
            ))
        }
        other => other?,
    }
    if input.scope == ScopeKind::Team {
        let id = input.scope_value.parse().unwrap_or(0);
        if let Err(StoreError::NotFound) = state.store.team(org, TeamId(id)).await {
            return Err(AppError::field("team", "unknown", "there is no such team"));
        }
    }
    let people: Vec<PersonId> = if input.scope == ScopeKind::People {
        resolve_people(state, ctx, "people", &input.people).await?
    } else {
        Vec::new()
    };
    let id = state
        .store
        .create_assignment(
            org,
            &input,
            &people,
            &ctx.principal.email,
            state.clock.now(),
        )
        .await?;
    audit(
        state,
        ctx,
        "assignment.create",
        &format!("assignment/{id}"),
        &format!(
            "{}:{} to {} {}{}",
            input.kind,
            input.target,
            input.scope,
            input.scope_value,
            if input.mandatory { " (mandatory)" } else { "" }
        ),
    )
    .await?;
    Ok(id)
}

/// An assignment as listed, with how many people it reaches now.
pub struct Listed {
    row: AssignmentRow,
    reach: i64,
}

#[derive(Template)]
#[template(path = "progress/assignments.html")]
struct ListPage {
    page: Page,
    assignments: Vec<Listed>,
    tracks: Vec<TrackEntry>,
    courses: Vec<CourseEntry>,
    teams: Vec<(i64, String)>,
    audiences: &'static [Audience],
    form: AssignForm,
    errors: Vec<FieldError>,
}

async fn list_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    notice: Option<&str>,
    form: AssignForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let org = ctx.org();
    let mut assignments = Vec::new();
    for row in state.store.assignments(org).await? {
        let reach = state.store.assignment_reach(org, row.id).await?;
        assignments.push(Listed { row, reach });
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(ListPage {
        page: Page::org(ctx, csrf, "progress-assignments-title").with_notice(notice),
        assignments,
        tracks: state.store.tracks(org).await?,
        courses: state.store.courses(org).await?,
        teams: state.store.team_names(org).await?,
        audiences: Audience::ALL,
        form,
        errors,
    })?;
    Ok((status, html).into_response())
}

/// GET /o/{org}/assignments
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    let form = AssignForm {
        scope: "audience".into(),
        due: "none".into(),
        mandatory: Some("yes".into()),
        ..Default::default()
    };
    list_page(&state, &ctx, &csrf.0, q.done.as_deref(), form, vec![]).await
}

/// POST /o/{org}/assignments
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    match create_assignment(&state, &ctx, &form).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/o/{}/assignments?done=saved",
            ctx.member.org.slug
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &ctx, &csrf.0, None, form, errors.0).await
        }
        Err(e) => Err(e),
    }
}

/// POST /o/{org}/assignments/{id}/withdraw
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    state
        .store
        .withdraw_assignment(ctx.org(), id, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "assignment.withdraw",
        &format!("assignment/{id}"),
        "",
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/assignments?done=saved",
        ctx.member.org.slug
    )))
}
