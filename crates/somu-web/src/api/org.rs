//! Organisation API: the caller, people, teams, audit log.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::pages::people::{ListQuery, PAGE_SIZE};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::ids::PersonId;
use somu_domain::org::{PersonDraft, PersonField, PersonInput};
use somu_store::org::{PersonRow, Team};
use utoipa::{IntoParams, ToSchema};

/// A person.
#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    /// Id within the organisation.
    pub id: i64,
    /// HR identifier.
    pub employee_id: Option<String>,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// `leadership`, `management`, `practitioner`, `infrastructure` or `observer`.
    pub audience: String,
    /// Team.
    pub team: Option<String>,
    /// Manager's id.
    pub manager_id: Option<i64>,
    /// `employee`, `part-time`, `contractor` or `partner`.
    pub employment_type: String,
    /// Language.
    pub language: String,
    /// Job title.
    pub job_title: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// Active.
    pub active: bool,
}

impl From<PersonRow> for PersonOut {
    fn from(p: PersonRow) -> Self {
        PersonOut {
            id: p.id,
            employee_id: p.employee_id,
            email: p.email,
            name: p.name,
            audience: p.audience,
            team: p.team_name,
            manager_id: p.manager_id,
            employment_type: p.employment_type,
            language: p.language,
            job_title: p.job_title,
            start_date: p.start_date,
            active: p.active,
        }
    }
}

/// A page of people.
#[derive(Serialize, ToSchema)]
pub struct PeopleOut {
    /// This page.
    pub people: Vec<PersonOut>,
    /// Matches in all.
    pub total: i64,
    /// Page number.
    pub page: i64,
    /// Page size.
    pub page_size: i64,
}

/// A person to create or replace. Only `email` and `name` are required.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PersonBody {
    /// HR identifier.
    pub employee_id: String,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Audience code (default `practitioner`).
    pub audience: String,
    /// Team name (created when new).
    pub team: String,
    /// Manager's email or employee id.
    pub manager: String,
    /// Employment type code (default `employee`).
    pub employment_type: String,
    /// Language (default `en`).
    pub language: String,
    /// Job title.
    pub job_title: String,
    /// First day, `YYYY-MM-DD`.
    pub start_date: String,
}

impl PersonBody {
    fn validate(self) -> AppResult<PersonInput> {
        let draft = PersonDraft {
            employee_id: self.employee_id,
            email: self.email,
            name: self.name,
            audience: self.audience,
            team: self.team,
            manager: self.manager,
            employment_type: self.employment_type,
            language: self.language,
            job_title: self.job_title,
            start_date: self.start_date,
        };
        PersonInput::validate(&draft, &|f: PersonField| f.code().to_string())
            .map_err(AppError::Invalid)
    }
}

/// A team.
#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Manager's id.
    pub manager_id: Option<i64>,
    /// Active members.
    pub members: i64,
}

impl From<Team> for TeamOut {
    fn from(t: Team) -> Self {
        TeamOut {
            id: t.id,
            name: t.name,
            manager_id: t.manager_id,
            members: t.members,
        }
    }
}

/// The caller inside the organisation.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    /// The organisation's slug.
    pub org: String,
    /// The caller's person record.
    pub person: PersonOut,
    /// App roles.
    pub roles: Vec<String>,
}

/// An audit entry.
#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    /// Id.
    pub id: i64,
    /// When, RFC 3339.
    pub at: String,
    /// Who.
    pub actor: String,
    /// Action code.
    pub action: String,
    /// Target.
    pub target: String,
    /// Details.
    pub detail: String,
    /// Client address.
    pub ip: String,
}

/// Who am I here.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/me", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = MeOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn me(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<MeOut>> {
    let person = state.store.person(ctx.org(), ctx.member.person_id).await?;
    Ok(axum::Json(MeOut {
        org: ctx.member.org.slug.clone(),
        person: person.into(),
        roles: ctx
            .member
            .roles
            .iter()
            .map(|r| r.code().to_string())
            .collect(),
    }))
}

/// List people, filtered and paginated (50 a page).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/people", params(("org" = String, Path, description = "Organisation slug"), ListQuery),
    responses((status = 200, body = PeopleOut), (status = 400, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_people(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<PeopleOut>> {
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let found = state
        .store
        .people(ctx.org(), &q.filter()?, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    Ok(axum::Json(PeopleOut {
        people: found.people.into_iter().map(Into::into).collect(),
        total: found.total,
        page,
        page_size: PAGE_SIZE,
    }))
}

/// Create a person.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/people", params(("org" = String, Path, description = "Organisation slug")), request_body = PersonBody,
    responses((status = 201, body = PersonOut), (status = 400, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_person(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Json(body): Json<PersonBody>,
) -> AppResult<(StatusCode, axum::Json<PersonOut>)> {
    let input = body.validate()?;
    let id = state.store.create_person(ctx.org(), &input).await?;
    crate::pages::audit(
        &state,
        &ctx,
        "person.create",
        &format!("person/{}", id.0),
        "via API",
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(state.store.person(ctx.org(), id).await?.into()),
    ))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonOut), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
) -> AppResult<axum::Json<PersonOut>> {
    Ok(axum::Json(
        state
            .store
            .person(ctx.org(), PersonId(path.1))
            .await?
            .into(),
    ))
}

/// Replace a person's fields.
#[utoipa::path(put, path = "/api/v1/orgs/{org}/people/{id}", params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Person id")), request_body = PersonBody,
    responses((status = 200, body = PersonOut), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_person(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(body): Json<PersonBody>,
) -> AppResult<axum::Json<PersonOut>> {
    let id = path.1;
    let input = body.validate()?;
    state
        .store
        .update_person(ctx.org(), PersonId(id), &input)
        .await?;
    crate::pages::audit(
        &state,
        &ctx,
        "person.update",
        &format!("person/{id}"),
        "via API",
    )
    .await?;
    Ok(axum::Json(
        state.store.person(ctx.org(), PersonId(id)).await?.into(),
    ))
}

/// Teams.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/teams", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [TeamOut])))]
pub async fn list_teams(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<TeamOut>>> {
    Ok(axum::Json(
        state
            .store
            .teams(ctx.org())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Paging for the audit log.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only actions starting with this, e.g. `person.`.
    pub action: String,
    /// Page from 1 (100 a page).
    pub page: Option<i64>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/audit", params(("org" = String, Path, description = "Organisation slug"), AuditParams),
    responses((status = 200, body = [AuditOut]), (status = 403, body = Problem)))]
pub async fn audit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(p): Query<AuditParams>,
) -> AppResult<axum::Json<Vec<AuditOut>>> {
    let page = p.page.unwrap_or(1).clamp(1, 100_000);
    let rows = state
        .store
        .audit_entries(ctx.org(), &p.action, 100, (page - 1) * 100)
        .await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| AuditOut {
                id: r.id,
                at: somu_domain::time_util::format_rfc3339(somu_domain::time_util::from_unix(r.at)),
                actor: r.actor,
                action: r.action,
                target: r.target,
                detail: r.detail,
                ip: r.ip,
            })
            .collect(),
    ))
}

use super::Problem;
