//! Sign-in, sign-out, password reset and invitations; password hashing with argon2id.

use crate::access::Principal;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::i18n::Tr;
use crate::middleware::{cookie, CsrfToken};
use crate::page::Page;
use crate::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::{AccountId, OrgId};
use somu_store::audit::AuditEntry;
use std::net::SocketAddr;

/// The session cookie.
pub const SESSION_COOKIE: &str = "somu_session";
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
const THROTTLE_WINDOW: i64 = 15 * 60;
const MAX_ACCOUNT_FAILURES: i64 = 5;
const MAX_ADDRESS_FAILURES: i64 = 50;

/// Hash a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Check a password against a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Hash off the async threads: argon2 is deliberately slow.
pub async fn hash_password_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// The client's address, as an extractor.
pub struct ClientIp(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientIp(client_ip(state, &parts.headers, peer)))
    }
}

/// The client's address (the proxy's `X-Forwarded-For` when configured to trust it).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if state.config.trust_proxy {
        if let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_default()
}

fn validate_new_password(password: &str, confirm: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::field(
            "password",
            "too-short",
            format!("use at least {MIN_PASSWORD} characters"),
        ));
    }
    if password != confirm {
        return Err(AppError::field(
            "confirm",
            "mismatch",
            "the two passwords differ",
        ));
    }
    Ok(())
}

fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/home".to_string(),
    }
}

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    page: Page,
    next: String,
    email: String,
    error: Option<String>,
}

/// `?next=` after sign-in.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

fn tr_of(headers: &HeaderMap) -> Tr {
    Tr::from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// GET /sign-in
pub async fn sign_in_form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<NextQuery>,
) -> AppResult<Html<String>> {
    let page =
        Page::public(tr_of(&headers), &csrf.0, "sign-in-title").with_notice(q.done.as_deref());
    Ok(Html(
        SignInPage {
            page,
            next: safe_next(q.next.as_deref()),
            email: String::new(),
            error: None,
        }
        .render()?,
    ))
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// POST /sign-in
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<SignInForm>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let email = form.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let ip_key = format!("ip:{ip}");
    let tr = tr_of(&headers);
    if state
        .store
        .login_failures(&account_key, now, THROTTLE_WINDOW)
        .await?
        >= MAX_ACCOUNT_FAILURES
        || state
            .store
            .login_failures(&ip_key, now, THROTTLE_WINDOW)
            .await?
            >= MAX_ADDRESS_FAILURES
    {
        return Err(AppError::TooMany);
    }
    let account = state.store.account_by_email(&email).await?;
    let password = form.password.clone();
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            // Spend the same time whether or not the account exists.
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    let account = match account {
        Some(a) if ok && !a.disabled => a,
        _ => {
            state
                .store
                .record_login_failure(&account_key, now, THROTTLE_WINDOW)
                .await?;
            state
                .store
                .record_login_failure(&ip_key, now, THROTTLE_WINDOW)
                .await?;
            state
                .store
                .audit(AuditEntry {
                    org: OrgId::PLATFORM,
                    account: None,
                    actor: &email,
                    action: "auth.sign-in-failed",
                    target: "",
                    detail: "",
                    ip: &ip,
                })
                .await?;
            let page = Page::public(tr.clone(), &csrf.0, "sign-in-title");
            let html = SignInPage {
                page,
                next: safe_next(form.next.as_deref()),
                email: form.email,
                error: Some(tr.t("sign-in-failed")),
            }
            .render()?;
            return Ok((StatusCode::UNAUTHORIZED, Html(html)).into_response());
        }
    };
    state.store.clear_login_failures(&account_key).await?;
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let secret = state
        .store
        .create_session(
            account.account_id(),
            state.config.session_hours * 3600,
            &ip,
            ua,
        )
        .await?;
    state
        .store
        .audit(AuditEntry {
            org: OrgId::PLATFORM,
            account: Some(account.account_id()),
            actor: &account.email,
            action: "auth.sign-in",
            target: "",
            detail: "",
            ip: &ip,
        })
        .await?;
    let mut resp = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    set_session_cookie(
        &state,
        &mut resp,
        &secret,
        state.config.session_hours * 3600,
    );
    Ok(resp)
}

fn set_session_cookie(state: &AppState, resp: &mut Response, value: &str, max_age: i64) {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    if let Ok(v) = HeaderValue::from_str(&v) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// POST /sign-out
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(secret).await?;
    }
    let mut resp = Redirect::to("/sign-in?done=signed-out").into_response();
    set_session_cookie(&state, &mut resp, "", 0);
    Ok(resp)
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    page: Page,
    sent: bool,
}

/// GET /password/forgot
pub async fn forgot_form(
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let page = Page::public(tr_of(&headers), &csrf.0, "forgot-title");
    Ok(Html(ForgotPage { page, sent: false }.render()?))
}

/// The forgotten-password form.
#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// POST /password/forgot: always answers the same, whether or not the account exists.
pub async fn forgot(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<ForgotForm>,
) -> AppResult<Html<String>> {
    let tr = tr_of(&headers);
    if let Some(account) = state.store.account_by_email(&form.email).await? {
        if !account.disabled {
            let secret = state
                .store
                .create_password_reset(account.account_id(), state.clock.now(), 3600)
                .await?;
            let link = format!(
                "{}/password/reset/{secret}",
                state.config.base_url.trim_end_matches('/')
            );
            let body = tr.ta(
                "mail-reset-body",
                &[
                    ("name", account.name.as_str().into()),
                    ("link", link.as_str().into()),
                ],
            );
            state
                .store
                .enqueue_mail(
                    OrgId::PLATFORM,
                    &account.email,
                    &tr.t("mail-reset-subject"),
                    &body,
                )
                .await?;
            tracing::info!(to = %account.email, %link, "password reset link queued");
        }
    }
    let page = Page::public(tr, &csrf.0, "forgot-title");
    Ok(Html(ForgotPage { page, sent: true }.render()?))
}

#[derive(Template)]
#[template(path = "auth/set_password.html")]
struct SetPasswordPage {
    page: Page,
    action: String,
    intro: String,
    errors: Vec<somu_domain::FieldError>,
}

/// GET /password/reset/{token}
pub async fn reset_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    state
        .store
        .password_reset_account(&token, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    let tr = tr_of(&headers);
    let intro = tr.t("reset-intro");
    let page = Page::public(tr, &csrf.0, "reset-title");
    Ok(Html(
        SetPasswordPage {
            page,
            action: format!("/password/reset/{token}"),
            intro,
            errors: vec![],
        }
        .render()?,
    ))
}

/// A new password, twice.
#[derive(Deserialize)]
pub struct NewPasswordForm {
    password: String,
    confirm: String,
}

async fn rerender_password_form(
    headers: &HeaderMap,
    csrf: &CsrfToken,
    title: &str,
    action: String,
    intro: String,
    err: AppError,
) -> AppResult<Response> {
    match err {
        AppError::Invalid(errors) => {
            let page = Page::public(tr_of(headers), &csrf.0, title);
            let html = SetPasswordPage {
                page,
                action,
                intro,
                errors: errors.0,
            }
            .render()?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        other => Err(other),
    }
}

/// POST /password/reset/{token}
pub async fn reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> AppResult<Response> {
    let now = state.clock.now();
    state
        .store
        .password_reset_account(&token, now)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Err(e) = validate_new_password(&form.password, &form.confirm) {
        let intro = tr_of(&headers).t("reset-intro");
        return rerender_password_form(
            &headers,
            &csrf,
            "reset-title",
            format!("/password/reset/{token}"),
            intro,
            e,
        )
        .await;
    }
    let hash = hash_password_blocking(form.password).await?;
    let account = state
        .store
        .use_password_reset(&token, now, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = state.store.account(account).await?;
    state
        .store
        .audit(AuditEntry {
            org: OrgId::PLATFORM,
            account: Some(account),
            actor: &a.email,
            action: "auth.password-reset",
            target: "",
            detail: "",
            ip: "",
        })
        .await?;
    Ok(Redirect::to("/sign-in?done=password-set").into_response())
}

/// GET /o/{org}/invite/{token}
pub async fn invite_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Path((org, token)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let org = state
        .store
        .org_by_slug(&org)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = state
        .store
        .invitation_person(org.org_id(), &token, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    let person = state.store.person(org.org_id(), person).await?;
    let tr = tr_of(&headers);
    let intro = tr.ta(
        "invite-intro",
        &[
            ("name", person.name.as_str().into()),
            ("org", org.name.as_str().into()),
        ],
    );
    let page = Page::public(tr, &csrf.0, "invite-title");
    Ok(Html(
        SetPasswordPage {
            page,
            action: format!("/o/{}/invite/{token}", org.slug),
            intro,
            errors: vec![],
        }
        .render()?,
    ))
}

/// POST /o/{org}/invite/{token}
pub async fn accept_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(csrf): Extension<CsrfToken>,
    Path((slug, token)): Path<(String, String)>,
    Form(form): Form<NewPasswordForm>,
) -> AppResult<Response> {
    let now = state.clock.now();
    let org = state
        .store
        .org_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let person_id = state
        .store
        .invitation_person(org.org_id(), &token, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = state.store.person(org.org_id(), person_id).await?;
    let existing = state.store.account_by_email(&person.email).await?;
    let account_id: AccountId = match existing {
        // Someone who already signs in elsewhere keeps their password and gains this organisation.
        Some(a) if a.password_hash.is_some() => a.account_id(),
        other => {
            if let Err(e) = validate_new_password(&form.password, &form.confirm) {
                let intro = tr_of(&headers).ta(
                    "invite-intro",
                    &[
                        ("name", person.name.as_str().into()),
                        ("org", org.name.as_str().into()),
                    ],
                );
                return rerender_password_form(
                    &headers,
                    &csrf,
                    "invite-title",
                    format!("/o/{slug}/invite/{token}"),
                    intro,
                    e,
                )
                .await;
            }
            let hash = hash_password_blocking(form.password).await?;
            match other {
                Some(a) => {
                    state.store.set_password(a.account_id(), &hash).await?;
                    a.account_id()
                }
                None => {
                    state
                        .store
                        .create_account(&person.email, &person.name, Some(&hash), false)
                        .await?
                }
            }
        }
    };
    state
        .store
        .link_account(org.org_id(), person_id, account_id)
        .await?;
    state
        .store
        .accept_invitation(org.org_id(), &token, now)
        .await?;
    state
        .store
        .audit(AuditEntry {
            org: org.org_id(),
            account: Some(account_id),
            actor: &person.email,
            action: "auth.invitation-accepted",
            target: &format!("person/{}", person_id.0),
            detail: "",
            ip: "",
        })
        .await?;
    Ok(Redirect::to("/sign-in?done=password-set").into_response())
}

/// Invite a person of an organisation: create a one-time link (valid 14 days), queue the mail in
/// the person's language, and return the link so an admin can pass it on by hand.
pub async fn send_invitation(
    state: &AppState,
    org: &somu_store::org::Org,
    person: somu_domain::ids::PersonId,
    name: &str,
    email: &str,
    language: &str,
) -> AppResult<String> {
    let token = state
        .store
        .create_invitation(org.org_id(), person, state.clock.now(), 14 * 86400)
        .await?;
    let link = format!(
        "{}/o/{}/invite/{token}",
        state.config.base_url.trim_end_matches('/'),
        org.slug
    );
    let tr = Tr::new(language);
    let body = tr.ta(
        "mail-invite-body",
        &[
            ("name", name.into()),
            ("org", org.name.as_str().into()),
            ("link", link.as_str().into()),
        ],
    );
    state
        .store
        .enqueue_mail(org.org_id(), email, &tr.t("mail-invite-subject"), &body)
        .await?;
    tracing::info!(to = %email, %link, "invitation queued");
    Ok(link)
}

/// Identify the caller of a signed-in route (the access layer guarantees one).
pub type Me = Extension<Principal>;
