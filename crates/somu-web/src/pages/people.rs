//! The people directory: list with filters, a person's page, create, edit, deactivate, roles,
//! invitations, CSV export, and personal-data export and erasure.

use super::{audit, render, Done};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::{PersonId, TeamId};
use somu_domain::org::{AppRole, Audience, EmploymentType, PersonDraft, PersonField, PersonInput};
use somu_domain::FieldError;
use somu_store::org::{PersonFilter, PersonRow};

/// People per page.
pub const PAGE_SIZE: i64 = 50;

/// The list's query string, for the page and the API. Everything is optional; empty values
/// mean "any".
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Search words.
    pub q: String,
    /// Audience code.
    pub audience: String,
    /// Team id.
    pub team: String,
    /// Manager's person id.
    pub manager: String,
    /// Employment type code.
    pub employment_type: String,
    /// Language.
    pub language: String,
    /// `active` (default), `inactive` or `all`.
    pub status: String,
    /// Page number from 1.
    pub page: Option<i64>,
    /// Notice id (pages only).
    #[param(ignore)]
    pub done: Option<String>,
}

fn opt(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

impl ListQuery {
    /// Turn the query into a store filter, naming any field that is not understood.
    pub fn filter(&self) -> AppResult<PersonFilter> {
        let parse_id = |field: &str, v: &str| {
            v.parse::<i64>()
                .map_err(|_| AppError::field(field, "invalid", format!("\"{v}\" is not an id")))
        };
        Ok(PersonFilter {
            q: opt(&self.q).map(str::to_string),
            audience: opt(&self.audience)
                .map(|a| {
                    a.parse::<Audience>()
                        .map_err(|e| AppError::field("audience", "unknown-value", e.to_string()))
                })
                .transpose()?,
            team: opt(&self.team)
                .map(|v| parse_id("team", v).map(TeamId))
                .transpose()?,
            manager: opt(&self.manager)
                .map(|v| parse_id("manager", v).map(PersonId))
                .transpose()?,
            employment_type: opt(&self.employment_type)
                .map(|a| {
                    a.parse::<EmploymentType>().map_err(|e| {
                        AppError::field("employment_type", "unknown-value", e.to_string())
                    })
                })
                .transpose()?,
            language: opt(&self.language).map(str::to_lowercase),
            active: match opt(&self.status) {
                None | Some("active") => Some(true),
                Some("inactive") => Some(false),
                Some("all") => None,
                Some(other) => {
                    return Err(AppError::field(
                        "status",
                        "unknown-value",
                        format!("\"{other}\" is not one of: active, inactive, all"),
                    ))
                }
            },
        })
    }

    /// The query string for another page of the same list.
    pub fn with_page(&self, page: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("audience", &self.audience),
            ("team", &self.team),
            ("manager", &self.manager),
            ("employment_type", &self.employment_type),
            ("language", &self.language),
            ("status", &self.status),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        s.finish()
    }
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    page: Page,
    q: ListQuery,
    people: Vec<PersonRow>,
    total: i64,
    page_no: i64,
    pages: i64,
    teams: Vec<(i64, String)>,
    audiences: &'static [Audience],
    employment_types: &'static [EmploymentType],
}

/// GET /o/{org}/people
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<ListQuery>,
) -> AppResult<Html<String>> {
    let filter = q.filter()?;
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let found = state
        .store
        .people(ctx.org(), &filter, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?;
    let teams = state.store.team_names(ctx.org()).await?;
    let page = Page::org(&ctx, &csrf.0, "people-title").with_notice(q.done.as_deref());
    render(ListPage {
        page,
        pages: ((found.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        total: found.total,
        people: found.people,
        page_no,
        q,
        teams,
        audiences: Audience::ALL,
        employment_types: EmploymentType::ALL,
    })
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    page: Page,
    person: PersonRow,
    roles: Vec<AppRole>,
    all_roles: &'static [AppRole],
    reports: Vec<PersonRow>,
    invite_link: Option<String>,
}

async fn show_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    id: PersonId,
    notice: Option<&str>,
    invite_link: Option<String>,
) -> AppResult<Html<String>> {
    let person = state.store.person(ctx.org(), id).await?;
    let roles = state.store.roles(ctx.org(), id).await?;
    let reports = state
        .store
        .people(
            ctx.org(),
            &PersonFilter {
                manager: Some(id),
                active: Some(true),
                ..Default::default()
            },
            100,
            0,
        )
        .await?
        .people;
    let page = Page::org(ctx, csrf, "person-title")
        .titled(person.name.clone())
        .with_notice(notice);
    render(ShowPage {
        page,
        person,
        roles,
        all_roles: AppRole::ALL,
        reports,
        invite_link,
    })
}

/// GET /o/{org}/people/{id}
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    show_page(&state, &ctx, &csrf.0, PersonId(id), q.done.as_deref(), None).await
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    page: Page,
    action: String,
    draft: PersonDraft,
    errors: Vec<FieldError>,
    audiences: &'static [Audience],
    employment_types: &'static [EmploymentType],
}

impl FormPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

fn form_page(
    ctx: &OrgCtx,
    csrf: &str,
    title: &str,
    action: String,
    draft: PersonDraft,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        page: Page::org(ctx, csrf, title),
        action,
        draft,
        errors,
        audiences: Audience::ALL,
        employment_types: EmploymentType::ALL,
    };
    Ok((status, render(page)?).into_response())
}

fn label(f: PersonField) -> String {
    f.code().to_string()
}

/// GET /o/{org}/people/new
pub async fn new_form(
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Response> {
    let action = format!("/o/{}/people/new", ctx.member.org.slug);
    form_page(
        &ctx,
        &csrf.0,
        "person-new-title",
        action,
        PersonDraft::default(),
        vec![],
    )
}

/// Store-level problems (a taken email, an unknown manager) shown on the form.
fn as_field_errors(e: AppError) -> Result<Vec<FieldError>, AppError> {
    match e {
        AppError::Invalid(errs) => Ok(errs.0),
        AppError::Conflict(m) => Ok(vec![FieldError::new("email", "taken", m)]),
        other => Err(other),
    }
}

/// POST /o/{org}/people/new
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Form(draft): Form<PersonDraft>,
) -> AppResult<Response> {
    let action = format!("/o/{}/people/new", ctx.member.org.slug);
    let result = match PersonInput::validate(&draft, &label) {
        Ok(input) => state
            .store
            .create_person(ctx.org(), &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => {
            audit(
                &state,
                &ctx,
                "person.create",
                &format!("person/{}", id.0),
                &draft.email,
            )
            .await?;
            Ok(Redirect::to(&format!(
                "/o/{}/people/{}?done=person-created",
                ctx.member.org.slug, id.0
            ))
            .into_response())
        }
        Err(e) => form_page(
            &ctx,
            &csrf.0,
            "person-new-title",
            action,
            draft,
            as_field_errors(e)?,
        ),
    }
}

fn draft_of(p: &PersonRow, manager_key: Option<String>) -> PersonDraft {
    PersonDraft {
        employee_id: p.employee_id.clone().unwrap_or_default(),
        email: p.email.clone(),
        name: p.name.clone(),
        audience: p.audience.clone(),
        team: p.team_name.clone().unwrap_or_default(),
        manager: manager_key.unwrap_or_default(),
        employment_type: p.employment_type.clone(),
        language: p.language.clone(),
        job_title: p.job_title.clone().unwrap_or_default(),
        start_date: p.start_date.clone().unwrap_or_default(),
    }
}

/// GET /o/{org}/people/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let person = state.store.person(ctx.org(), PersonId(id)).await?;
    let manager_key = match person.manager_id {
        Some(m) => Some(state.store.person(ctx.org(), PersonId(m)).await?.email),
        None => None,
    };
    let action = format!("/o/{}/people/{id}/edit", ctx.member.org.slug);
    form_page(
        &ctx,
        &csrf.0,
        "person-edit-title",
        action,
        draft_of(&person, manager_key),
        vec![],
    )
}

/// POST /o/{org}/people/{id}/edit
pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Form(draft): Form<PersonDraft>,
) -> AppResult<Response> {
    state.store.person(ctx.org(), PersonId(id)).await?;
    let action = format!("/o/{}/people/{id}/edit", ctx.member.org.slug);
    let result = match PersonInput::validate(&draft, &label) {
        Ok(input) => state
            .store
            .update_person(ctx.org(), PersonId(id), &input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            audit(&state, &ctx, "person.update", &format!("person/{id}"), "").await?;
            Ok(Redirect::to(&format!(
                "/o/{}/people/{id}?done=saved",
                ctx.member.org.slug
            ))
            .into_response())
        }
        Err(e) => form_page(
            &ctx,
            &csrf.0,
            "person-edit-title",
            action,
            draft,
            as_field_errors(e)?,
        ),
    }
}

/// `active=true|false`
#[derive(Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// POST /o/{org}/people/{id}/active
pub async fn set_active(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Redirect> {
    if !form.active && id == ctx.member.person_id.0 {
        return Err(AppError::field(
            "active",
            "self",
            "you cannot deactivate yourself",
        ));
    }
    state
        .store
        .set_person_active(ctx.org(), PersonId(id), form.active)
        .await?;
    let action = if form.active {
        "person.activate"
    } else {
        "person.deactivate"
    };
    audit(&state, &ctx, action, &format!("person/{id}"), "").await?;
    Ok(Redirect::to(&format!(
        "/o/{}/people/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/people/{id}/roles: checkboxes named `role`.
pub async fn set_roles(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Redirect> {
    let mut roles = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        if k == "role" {
            roles.push(
                v.parse::<AppRole>()
                    .map_err(|e| AppError::field("role", "unknown-value", e.to_string()))?,
            );
        }
    }
    if !roles.contains(&AppRole::Learner) {
        roles.push(AppRole::Learner);
    }
    if id == ctx.member.person_id.0 && !roles.contains(&AppRole::OrgAdmin) {
        return Err(AppError::field(
            "role",
            "self",
            "you cannot remove your own administrator role",
        ));
    }
    state
        .store
        .set_roles(ctx.org(), PersonId(id), &roles)
        .await?;
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    audit(
        &state,
        &ctx,
        "person.roles",
        &format!("person/{id}"),
        &codes.join(" "),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/people/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/people/{id}/invite: mail an invitation link (shown to the admin too).
pub async fn invite(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let person = state.store.person(ctx.org(), PersonId(id)).await?;
    if !person.active {
        return Err(AppError::field(
            "active",
            "inactive",
            "reactivate this person before inviting them",
        ));
    }
    let link = crate::auth::send_invitation(
        &state,
        &ctx.member.org,
        PersonId(id),
        &person.name,
        &person.email,
        &person.language,
    )
    .await?;
    audit(&state, &ctx, "person.invite", &format!("person/{id}"), "").await?;
    show_page(
        &state,
        &ctx,
        &csrf.0,
        PersonId(id),
        Some("invited"),
        Some(link),
    )
    .await
}

/// GET /o/{org}/people/{id}/data.json: everything Somu holds about the person (a subject access request).
pub async fn export_personal_data(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let person = state.store.person(ctx.org(), PersonId(id)).await?;
    let roles = state.store.roles(ctx.org(), PersonId(id)).await?;
    audit(
        &state,
        &ctx,
        "person.data-export",
        &format!("person/{id}"),
        "",
    )
    .await?;
    let body = serde_json::json!({
        "organisation": { "slug": ctx.member.org.slug, "name": ctx.member.org.name },
        "person": person,
        "roles": roles,
        "exported_at": somu_domain::time_util::format_rfc3339(somu_domain::time_util::from_unix(state.clock.now())),
    });
    let disposition = format!("attachment; filename=\"person-{id}.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}

/// `confirm=ERASE`
#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// POST /o/{org}/people/{id}/erase
pub async fn erase(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<EraseForm>,
) -> AppResult<Redirect> {
    if form.confirm.trim() != "ERASE" {
        return Err(AppError::field(
            "confirm",
            "confirm",
            "type ERASE to confirm",
        ));
    }
    if id == ctx.member.person_id.0 {
        return Err(AppError::field(
            "confirm",
            "self",
            "you cannot erase yourself",
        ));
    }
    state.store.erase_person(ctx.org(), PersonId(id)).await?;
    audit(
        &state,
        &ctx,
        "person.erase",
        &format!("person/{id}"),
        "personal data erased on request",
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/people?done=erased",
        ctx.member.org.slug
    )))
}

/// GET /o/{org}/people.csv: the filtered list, every field, for spreadsheets and HR.
pub async fn export_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let people = state.store.all_people(ctx.org(), &q.filter()?).await?;
    let mut out = csv::Writer::from_writer(Vec::with_capacity(people.len() * 120));
    let header_row: Vec<&str> = PersonField::ALL
        .iter()
        .map(|f| f.code())
        .chain(["active"])
        .collect();
    let write = |out: &mut csv::Writer<Vec<u8>>, rec: &[&str]| {
        out.write_record(rec)
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    write(&mut out, &header_row)?;
    let emails: std::collections::HashMap<i64, &str> =
        people.iter().map(|p| (p.id, p.email.as_str())).collect();
    for p in &people {
        let manager = p
            .manager_id
            .and_then(|m| emails.get(&m).copied())
            .unwrap_or("");
        write(
            &mut out,
            &[
                p.employee_id.as_deref().unwrap_or(""),
                &p.email,
                &p.name,
                &p.audience,
                p.team_name.as_deref().unwrap_or(""),
                manager,
                &p.employment_type,
                &p.language,
                p.job_title.as_deref().unwrap_or(""),
                p.start_date.as_deref().unwrap_or(""),
                if p.active { "true" } else { "false" },
            ],
        )?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    audit(
        &state,
        &ctx,
        "people.export",
        "people",
        &format!("{} rows", people.len()),
    )
    .await?;
    let disposition = format!(
        "attachment; filename=\"{}-people.csv\"",
        ctx.member.org.slug
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
