//! Teams: list, create, rename, set the manager.

use super::{audit, render, Done};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::{PersonId, TeamId};
use somu_store::org::Team;

#[derive(Template)]
#[template(path = "org/teams.html")]
struct TeamsPage {
    page: Page,
    teams: Vec<Team>,
}

/// GET /o/{org}/teams
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "teams-title").with_notice(q.done.as_deref());
    render(TeamsPage {
        page,
        teams: state.store.teams(ctx.org()).await?,
    })
}

/// A team's name and its manager's email.
#[derive(Deserialize)]
pub struct TeamForm {
    name: String,
    #[serde(default)]
    manager_email: String,
}

async fn parse(
    state: &AppState,
    ctx: &OrgCtx,
    form: &TeamForm,
) -> AppResult<(String, Option<PersonId>)> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::field(
            "name",
            "length",
            "give a team name of 1 to 120 characters",
        ));
    }
    let manager = match form.manager_email.trim() {
        "" => None,
        email => Some(
            state
                .store
                .person_by_email(ctx.org(), email)
                .await?
                .map(|p| PersonId(p.id))
                .ok_or_else(|| {
                    AppError::field(
                        "manager_email",
                        "unknown",
                        format!("no one in this organisation has the email {email}"),
                    )
                })?,
        ),
    };
    Ok((name.to_string(), manager))
}

/// POST /o/{org}/teams
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(form): Form<TeamForm>,
) -> AppResult<Redirect> {
    let (name, manager) = parse(&state, &ctx, &form).await?;
    let id = state.store.create_team(ctx.org(), &name, manager).await?;
    audit(
        &state,
        &ctx,
        "team.create",
        &format!("team/{}", id.0),
        &name,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/teams?done=saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/teams/{id}
pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<TeamForm>,
) -> AppResult<Redirect> {
    let (name, manager) = parse(&state, &ctx, &form).await?;
    state
        .store
        .update_team(ctx.org(), TeamId(id), &name, manager)
        .await?;
    audit(&state, &ctx, "team.update", &format!("team/{id}"), &name).await?;
    Ok(Redirect::to(&format!(
        "/o/{}/teams?done=saved",
        ctx.member.org.slug
    )))
}
