//! Linked accounts: a person links their own after reading the consent text and may revoke at
//! any time (deleting the account's posts and snapshots); admins manage brand accounts and link
//! accounts in bulk from consents collected elsewhere.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::read_upload;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::PersonId;
use somu_social::{check_handle, Format, Platform};
use somu_store::social::{NewLink, SocialAccount, SocialImportRun};

#[derive(Template)]
#[template(path = "social/mine.html")]
struct MinePage {
    page: Page,
    accounts: Vec<SocialAccount>,
    platforms: &'static [Platform],
}

/// GET /o/{org}/me/accounts: the consent text, my linked accounts, the link form.
pub async fn mine(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let accounts = state
        .store
        .social_accounts(ctx.org(), Some(ctx.member.person_id))
        .await?;
    render(MinePage {
        page: Page::org(&ctx, &csrf.0, "social-mine-title").with_notice(q.done.as_deref()),
        accounts,
        platforms: Platform::ALL,
    })
}

/// The link form.
#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    platform: String,
    #[serde(default)]
    handle: String,
    /// `yes` when the consent box is ticked.
    #[serde(default)]
    consent: String,
}

fn platform_and_handle(platform: &str, handle: &str) -> AppResult<(Platform, String)> {
    let platform = Platform::parse(platform).ok_or_else(|| {
        AppError::field(
            "platform",
            "unknown-value",
            "choose one of X, LinkedIn, Mastodon, Bluesky, other",
        )
    })?;
    let handle =
        check_handle(platform, handle).map_err(|m| AppError::field("handle", "invalid", m))?;
    Ok((platform, handle))
}

/// POST /o/{org}/me/accounts: link one of my accounts (consent required).
pub async fn link_own(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(form): Form<LinkForm>,
) -> AppResult<Redirect> {
    let (platform, handle) = platform_and_handle(&form.platform, &form.handle)?;
    if form.consent != "yes" {
        return Err(AppError::field(
            "consent",
            "required",
            "tick the box to say you agree, after reading what Somu collects",
        ));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let id = state
        .store
        .link_social_account(
            ctx.org(),
            &NewLink {
                platform: platform.code(),
                handle: &handle,
                person: Some(ctx.member.person_id),
                brand: false,
                consent_at: Some(now),
                consent_source: "self",
            },
        )
        .await?;
    audit(
        &state,
        &ctx,
        "social.link",
        &format!("social-account/{id}"),
        &format!("{platform} {handle} (consent given)"),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/me/accounts?done=social-linked",
        ctx.member.org.slug
    )))
}

#[derive(Template)]
#[template(path = "social/revoke.html")]
struct RevokePage {
    page: Page,
    account: SocialAccount,
    action: String,
    back: String,
}

async fn confirm_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    id: i64,
    owner: Option<PersonId>,
) -> AppResult<Html<String>> {
    let account = state.store.social_account(ctx.org(), id).await?;
    let visible = match owner {
        Some(o) => account.person_id == Some(o.0),
        None => account.person_id.is_some() || account.brand,
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    let slug = &ctx.member.org.slug;
    let (action, back) = match owner {
        Some(_) => (
            format!("/o/{slug}/me/accounts/{id}/revoke"),
            format!("/o/{slug}/me/accounts"),
        ),
        None => (
            format!("/o/{slug}/social/accounts/{id}/revoke"),
            format!("/o/{slug}/social/accounts"),
        ),
    };
    render(RevokePage {
        page: Page::org(ctx, csrf, "social-revoke-title"),
        account,
        action,
        back,
    })
}

/// GET /o/{org}/me/accounts/{id}/revoke: what revoking deletes, and the button.
pub async fn confirm_own_revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    confirm_page(&state, &ctx, &csrf.0, id, Some(ctx.member.person_id)).await
}

/// GET /o/{org}/social/accounts/{id}/revoke (admins).
pub async fn confirm_revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    confirm_page(&state, &ctx, &csrf.0, id, None).await
}

async fn do_revoke(
    state: &AppState,
    ctx: &OrgCtx,
    id: i64,
    owner: Option<PersonId>,
) -> AppResult<()> {
    let account = state.store.social_account(ctx.org(), id).await?;
    let removed = state
        .store
        .revoke_social_account(ctx.org(), id, owner)
        .await?;
    audit(
        state,
        ctx,
        "social.revoke",
        &format!("social-account/{id}"),
        &format!(
            "{} {}: {} posts and {} follower snapshots deleted",
            account.platform, account.handle, removed.posts, removed.snapshots
        ),
    )
    .await
}

/// POST /o/{org}/me/accounts/{id}/revoke
pub async fn revoke_own(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    do_revoke(&state, &ctx, id, Some(ctx.member.person_id)).await?;
    Ok(Redirect::to(&format!(
        "/o/{}/me/accounts?done=social-revoked",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/social/accounts/{id}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    do_revoke(&state, &ctx, id, None).await?;
    Ok(Redirect::to(&format!(
        "/o/{}/social/accounts?done=social-revoked",
        ctx.member.org.slug
    )))
}

#[derive(Template)]
#[template(path = "social/admin.html")]
struct AdminPage {
    page: Page,
    accounts: Vec<SocialAccount>,
    imports: Vec<SocialImportRun>,
    platforms: &'static [Platform],
    formats: &'static [Format],
}

/// GET /o/{org}/social/accounts: brand and linked accounts, bulk links, imports.
pub async fn admin(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    render(AdminPage {
        page: Page::org(&ctx, &csrf.0, "social-admin-title").with_notice(q.done.as_deref()),
        accounts: state.store.social_accounts(ctx.org(), None).await?,
        imports: state.store.social_imports(ctx.org(), 20).await?,
        platforms: Platform::ALL,
        formats: Format::ALL,
    })
}

/// The brand-account form.
#[derive(Deserialize)]
pub struct BrandForm {
    #[serde(default)]
    platform: String,
    #[serde(default)]
    handle: String,
}

/// POST /o/{org}/social/accounts: add a brand account of the organisation.
pub async fn add_brand(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(form): Form<BrandForm>,
) -> AppResult<Redirect> {
    let (platform, handle) = platform_and_handle(&form.platform, &form.handle)?;
    let id = state
        .store
        .link_social_account(
            ctx.org(),
            &NewLink {
                platform: platform.code(),
                handle: &handle,
                person: None,
                brand: true,
                consent_at: None,
                consent_source: "admin",
            },
        )
        .await?;
    audit(
        &state,
        &ctx,
        "social.brand-add",
        &format!("social-account/{id}"),
        &format!("{platform} {handle}"),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/social/accounts?done=saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/social/links (multipart `file`): link accounts from a CSV of consents.
pub async fn bulk_link(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    multipart: Multipart,
) -> AppResult<Redirect> {
    let (file, _) = read_upload(multipart, "upload").await?;
    let Some((name, bytes)) = file else {
        return Err(AppError::field("file", "required", "choose a CSV file"));
    };
    let rows = somu_social::parse_links_csv(&bytes)?;
    let linked = state.store.bulk_link_social(ctx.org(), &rows).await?;
    audit(
        &state,
        &ctx,
        "social.bulk-link",
        "social-account",
        &format!("{name}: {} rows, {linked} linked", rows.len()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/social/accounts?done=social-bulk-linked",
        ctx.member.org.slug
    )))
}
