//! Personal API tokens: created by a member for one organisation, shown once, stored hashed, revocable.

use super::render;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Form;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::TokenId;
use somu_store::auth::TokenInfo;

#[derive(Template)]
#[template(path = "org/tokens.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<TokenInfo>,
    new_secret: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    new_secret: Option<String>,
) -> AppResult<Html<String>> {
    let tokens = state
        .store
        .api_tokens(ctx.org(), ctx.principal.account_id)
        .await?;
    render(TokensPage {
        page: Page::org(ctx, csrf, "tokens-title"),
        tokens,
        new_secret,
    })
}

/// GET /o/{org}/tokens
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    page(&state, &ctx, &csrf.0, None).await
}

/// A new token.
#[derive(Deserialize)]
pub struct NewToken {
    name: String,
    #[serde(default)]
    write: Option<String>,
    #[serde(default)]
    days: Option<i64>,
}

/// POST /o/{org}/tokens: shows the secret once.
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Form(form): Form<NewToken>,
) -> AppResult<Html<String>> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::field(
            "name",
            "length",
            "give the token a name of 1 to 80 characters",
        ));
    }
    let days = form.days.unwrap_or(90);
    if !(1..=730).contains(&days) {
        return Err(AppError::field(
            "days",
            "range",
            "a token lasts from 1 to 730 days",
        ));
    }
    let scopes = if form.write.is_some() {
        "read write"
    } else {
        "read"
    };
    let expires = state.clock.now() + days * 86400;
    let (id, secret) = state
        .store
        .create_api_token(
            ctx.org(),
            ctx.principal.account_id,
            name,
            scopes,
            Some(expires),
        )
        .await?;
    super::audit(
        &state,
        &ctx,
        "token.create",
        &format!("token/{}", id.0),
        scopes,
    )
    .await?;
    page(&state, &ctx, &csrf.0, Some(secret)).await
}

/// POST /o/{org}/tokens/{id}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    state
        .store
        .revoke_api_token(
            ctx.org(),
            ctx.principal.account_id,
            TokenId(id),
            state.clock.now(),
        )
        .await?;
    super::audit(&state, &ctx, "token.revoke", &format!("token/{id}"), "").await?;
    Ok(Redirect::to(&format!("/o/{}/tokens", ctx.member.org.slug)))
}
