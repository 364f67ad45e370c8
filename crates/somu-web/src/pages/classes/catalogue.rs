//! The public catalogue of a training provider: its open-calendar sessions, and a registration
//! form for people from any company (anti-forgery checked by the middleware, throttled here).

use super::calendar::session_ics;
use super::sessions::with_done;
use super::{id_and_format, SessionView};
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::i18n::{FluentArg, Tr};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::classes::RegistrationStatus;
use somu_domain::org::is_plausible_email;
use somu_domain::FieldError;
use somu_store::audit::AuditEntry;
use somu_store::classes::{SessionFilter, SessionRow};
use somu_store::org::Org;
use std::net::SocketAddr;

/// Registrations one address may send through the public form per hour.
const REGISTRATIONS_PER_HOUR: i64 = 20;

fn tr_of(headers: &HeaderMap) -> Tr {
    Tr::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The organisation behind a catalogue: one that has published at least one open-calendar
/// session. Others (companies running only in-company classes) have no public page at all.
async fn provider(state: &AppState, slug: &str) -> AppResult<Org> {
    let org = state
        .store
        .org_by_slug(slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let any_open = SessionFilter {
        visibility: Some("open-calendar".into()),
        ..Default::default()
    };
    if state
        .store
        .class_sessions(org.org_id(), &any_open, 1)
        .await?
        .is_empty()
    {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

/// An open-calendar session of the provider, or 404 (in-company sessions are never public).
async fn open_session(state: &AppState, org: &Org, id: i64) -> AppResult<SessionRow> {
    let s = state
        .store
        .class_session(org.org_id(), id)
        .await
        .map_err(|_| AppError::NotFound)?;
    if s.visibility != "open-calendar" {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

#[derive(Template)]
#[template(path = "classes/catalogue.html")]
struct CataloguePage {
    page: Page,
    slug: String,
    items: Vec<SessionView>,
}

/// GET /catalogue/{org}
pub async fn list(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let org = provider(&state, &slug).await?;
    let rows = state
        .store
        .class_sessions(
            org.org_id(),
            &SessionFilter {
                ending_after: Some(state.clock.now()),
                visibility: Some("open-calendar".into()),
                ..Default::default()
            },
            500,
        )
        .await?;
    let tr = tr_of(&headers);
    let title = tr.ta(
        "classes-catalogue-title",
        &[("org", FluentArg::Str(org.name.clone()))],
    );
    let page = Page::public(tr, &csrf.0, "classes-title").titled(title);
    let items = rows
        .into_iter()
        .map(|s| SessionView::new(s, &page.tr))
        .collect();
    Ok(render(CataloguePage {
        page,
        slug: org.slug,
        items,
    })?
    .into_response())
}

/// The public registration form's fields.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PublicForm {
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Company.
    pub company: String,
    /// Left empty by people; filled by form-filling robots.
    pub website: String,
    /// Notice id.
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "classes/public_show.html")]
struct PublicShowPage {
    page: Page,
    slug: String,
    v: SessionView,
    open: bool,
    form: PublicForm,
    errors: Vec<FieldError>,
}

impl PublicShowPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

fn public_page(
    state: &AppState,
    headers: &HeaderMap,
    csrf: &str,
    org: Org,
    s: SessionRow,
    form: PublicForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let open = !s.is_cancelled() && s.start_at > state.clock.now();
    let page = with_done(
        Page::public(tr_of(headers), csrf, "classes-title").titled(s.title.clone()),
        form.done.as_deref(),
    );
    Ok((
        status,
        render(PublicShowPage {
            v: SessionView::new(s, &page.tr),
            page,
            slug: org.slug,
            open,
            form,
            errors,
        })?,
    )
        .into_response())
}

/// GET /catalogue/{org}/{id} (and `{id}.ics`)
pub async fn show(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path((slug, raw)): Path<(String, String)>,
    Query(q): Query<PublicForm>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (id, ics) = id_and_format(&raw)?;
    let org = provider(&state, &slug).await?;
    let s = open_session(&state, &org, id).await?;
    if ics {
        return Ok(session_ics(&state, &org, s, true));
    }
    let form = PublicForm {
        done: q.done,
        ..Default::default()
    };
    public_page(&state, &headers, &csrf.0, org, s, form, vec![])
}

/// POST /catalogue/{org}/{id}: register by name, email and company. The email finds the person
/// in the provider's organisation or makes one; a second registration is refused like any other.
pub async fn register(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path((slug, id)): Path<(String, i64)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<PublicForm>,
) -> AppResult<Response> {
    let org = provider(&state, &slug).await?;
    let s = open_session(&state, &org, id).await?;
    let now = state.clock.now();
    let ip = crate::auth::client_ip(&state, &headers, Some(peer));
    let key = format!("catalogue:{ip}");
    if state.store.record_login_failure(&key, now, 3600).await? > REGISTRATIONS_PER_HOUR {
        return Err(AppError::TooMany);
    }
    let mut errors = Vec::new();
    let name = form.name.trim();
    let email = form.email.trim().to_lowercase();
    let company = form.company.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "required",
            "give your name (up to 200 characters)",
        ));
    }
    if !is_plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "invalid-email",
            "give an email address such as ana@example.com",
        ));
    }
    if company.is_empty() || company.chars().count() > 200 {
        errors.push(FieldError::new(
            "company",
            "required",
            "give the company you work for",
        ));
    }
    if !form.website.is_empty() {
        errors.push(FieldError::new(
            "website",
            "robot",
            "leave this field empty",
        ));
    }
    if !errors.is_empty() {
        return public_page(&state, &headers, &csrf.0, org, s, form, errors);
    }
    let (person, created) = state
        .store
        .participant(org.org_id(), name, &email, company)
        .await?;
    let status = match state.store.register(org.org_id(), id, person, now).await {
        Ok(st) => st,
        Err(somu_store::StoreError::Conflict(m)) => {
            let errors = vec![FieldError::new("email", "refused", m)];
            return public_page(&state, &headers, &csrf.0, org, s, form, errors);
        }
        Err(e) => return Err(e.into()),
    };
    let tr = Tr::new("en");
    let args = [
        ("name", FluentArg::Str(name.to_string())),
        ("title", FluentArg::Str(s.title.clone())),
        (
            "when",
            FluentArg::Str(somu_domain::classes::display_span(
                s.start_at,
                s.end_at,
                &s.time_zone,
            )),
        ),
        (
            "link",
            FluentArg::Str(format!(
                "{}/catalogue/{}/{id}",
                state.config.base_url, org.slug
            )),
        ),
    ];
    let code = if status == RegistrationStatus::Registered {
        "registered"
    } else {
        "waitlisted"
    };
    state
        .store
        .enqueue_mail(
            org.org_id(),
            &email,
            &tr.ta(&format!("classes-mail-{code}-subject"), &args),
            &tr.ta(&format!("classes-mail-{code}-body"), &args),
        )
        .await?;
    state
        .store
        .audit(AuditEntry {
            org: org.org_id(),
            account: None,
            actor: &email,
            action: "class.register-public",
            target: &format!("class/{id}"),
            detail: &format!(
                "person/{} {}{}",
                person.0,
                status.code(),
                if created { " (new person)" } else { "" }
            ),
            ip: &ip,
        })
        .await?;
    Ok(Redirect::to(&format!("/catalogue/{}/{id}?done={code}", org.slug)).into_response())
}
