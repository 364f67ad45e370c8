//! The landing points: the account's organisations, switching, and an organisation's home.

use super::render;
use crate::access::{OrgCtx, Principal};
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_store::org::Org;

/// GET /: where to start.
pub async fn root(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> AppResult<Redirect> {
    Ok(
        match crate::access::principal(&state, &headers, None).await {
            Ok(Some(_)) => Redirect::to("/home"),
            _ => Redirect::to("/sign-in"),
        },
    )
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    orgs: Vec<Org>,
}

/// GET /home: the organisations this account belongs to. With exactly one, go straight there.
pub async fn home(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Response> {
    let orgs = state.store.memberships(me.account_id).await?;
    if orgs.len() == 1 && !me.is_operator {
        return Ok(Redirect::to(&format!("/o/{}", orgs[0].slug)).into_response());
    }
    Ok(render(HomePage {
        page: Page::account(&me, &csrf.0, "home-title"),
        orgs,
    })?
    .into_response())
}

/// `?org=slug`
#[derive(Deserialize)]
pub struct SwitchQuery {
    org: String,
}

/// GET /switch?org=slug: go to another of my organisations.
pub async fn switch(
    State(state): State<AppState>,
    Extension(me): Extension<Principal>,
    Query(q): Query<SwitchQuery>,
) -> AppResult<Redirect> {
    let member = state
        .store
        .member(me.account_id, &q.org)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/o/{}", member.org.slug)))
}

#[derive(Template)]
#[template(path = "org/home.html")]
struct OrgHomePage {
    page: Page,
    roles: Vec<String>,
    other_orgs: Vec<Org>,
}

/// GET /o/{org}: the member's start page inside an organisation.
pub async fn org_home(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let other_orgs = state
        .store
        .memberships(ctx.principal.account_id)
        .await?
        .into_iter()
        .filter(|o| o.id != ctx.member.org.id)
        .collect();
    let page = Page::org(&ctx, &csrf.0, "org-home-title");
    let roles = ctx
        .member
        .roles
        .iter()
        .map(|r| page.t(&format!("role-{}", r.code())))
        .collect();
    let title = page.tr.ta(
        "org-home-welcome",
        &[("name", ctx.member.person_name.as_str().into())],
    );
    render(OrgHomePage {
        page: page.titled(title),
        roles,
        other_orgs,
    })
}
