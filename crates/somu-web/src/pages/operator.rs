//! Platform operators: create organisations and name their first administrator.

use super::{render, Done};
use crate::access::Principal;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::OrgId;
use somu_domain::org::{AppRole, NewOrg, PersonDraft, PersonField, PersonInput};
use somu_domain::{FieldError, FieldErrors};
use somu_store::audit::AuditEntry;
use somu_store::org::Org;
use somu_store::outbox::Mail;

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct OrgsPage {
    page: Page,
    orgs: Vec<Org>,
    form: CreateOrgForm,
    errors: Vec<FieldError>,
}

/// GET /admin/orgs
pub async fn orgs(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::account(&me, &csrf.0, "orgs-title").with_notice(q.done.as_deref());
    render(OrgsPage {
        page,
        orgs: state.store.orgs().await?,
        form: CreateOrgForm::default(),
        errors: vec![],
    })
}

/// A new organisation and its first administrator.
#[derive(Deserialize, Default, Clone)]
pub struct CreateOrgForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    admin_name: String,
}

/// Create an organisation with its first admin; shared by this page and `somu org create`.
/// Returns the organisation and, when the admin has no sign-in yet, the invitation link.
pub async fn create_org_with_admin(
    state: &AppState,
    new: &NewOrg,
    admin: &PersonInput,
    actor: &Principal,
) -> AppResult<(Org, Option<String>)> {
    let org = state.store.create_org(new).await?;
    let person = state.store.create_person(org.org_id(), admin).await?;
    state
        .store
        .set_roles(org.org_id(), person, &[AppRole::OrgAdmin, AppRole::Learner])
        .await?;
    let link = match state.store.account_by_email(&admin.email).await? {
        Some(a) if a.password_hash.is_some() => {
            state
                .store
                .link_account(org.org_id(), person, a.account_id())
                .await?;
            None
        }
        _ => Some(
            crate::auth::send_invitation(
                state,
                &org,
                person,
                &admin.name,
                &admin.email,
                &admin.language,
            )
            .await?,
        ),
    };
    for target_org in [OrgId::PLATFORM, org.org_id()] {
        state
            .store
            .audit(AuditEntry {
                org: target_org,
                account: Some(actor.account_id),
                actor: &actor.email,
                action: "org.create",
                target: &format!("org/{}", org.slug),
                detail: &format!("first admin {}", admin.email),
                ip: "",
            })
            .await?;
    }
    Ok((org, link))
}

/// POST /admin/orgs
pub async fn create_org(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<CreateOrgForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let new = NewOrg::parse(&form.slug, &form.name)
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    let draft = PersonDraft {
        email: form.admin_email.clone(),
        name: form.admin_name.clone(),
        audience: "leadership".into(),
        ..Default::default()
    };
    let admin = PersonInput::validate(&draft, &|f| match f {
        PersonField::Email => "admin_email".into(),
        PersonField::Name => "admin_name".into(),
        other => other.code().into(),
    })
    .map_err(|e| errors.0.extend(e.0))
    .ok();
    let result = match (new, admin) {
        (Some(new), Some(admin)) if errors.is_empty() => {
            create_org_with_admin(&state, &new, &admin, &me).await
        }
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/orgs?done=org-created").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = Page::account(&me, &csrf.0, "orgs-title");
            let html = OrgsPage {
                page,
                orgs: state.store.orgs().await?,
                form,
                errors: errors.0,
            }
            .render()?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(AppError::Conflict(m)) => {
            let page = Page::account(&me, &csrf.0, "orgs-title");
            let errors = vec![FieldError::new("slug", "taken", m)];
            let html = OrgsPage {
                page,
                orgs: state.store.orgs().await?,
                form,
                errors,
            }
            .render()?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
pub(crate) struct OutboxPage {
    pub page: Page,
    pub mails: Vec<Mail>,
}

/// GET /admin/outbox: platform mail (password resets) when no SMTP relay is configured.
pub async fn outbox(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let page = Page::account(&me, &csrf.0, "outbox-title");
    render(OutboxPage {
        page,
        mails: state.store.outbox(OrgId::PLATFORM, 200).await?,
    })
}
