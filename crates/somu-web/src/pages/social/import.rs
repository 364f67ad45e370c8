//! Importing an export from the browser (checked first, then written by a background job with a
//! progress page), and the help page describing every accepted format.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::read_upload;
use crate::pages::{audit, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use somu_domain::ids::{JobId, OrgId};
use somu_social::{Format, ReadOptions, Source};
use somu_store::Store;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "social/formats.html")]
struct FormatsPage {
    page: Page,
}

/// GET /o/{org}/social/formats
pub async fn formats(
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    render(FormatsPage {
        page: Page::org(&ctx, &csrf.0, "social-formats-title"),
    })
}

/// POST /o/{org}/social/import (multipart: `file`, optional `format`, optional `account`).
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    multipart: Multipart,
) -> AppResult<Redirect> {
    let (file, fields) = read_upload(multipart, "upload").await?;
    let field = |k: &str| {
        fields
            .iter()
            .find(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    let Some((name, bytes)) = file else {
        return Err(AppError::field("file", "required", "choose an export file"));
    };
    let source = Source::Bytes {
        name: name.clone(),
        bytes: Arc::from(bytes),
    };
    let format = match field("format") {
        Some(code) => Format::parse(&code).ok_or_else(|| {
            AppError::field(
                "format",
                "unknown-value",
                format!("\"{code}\" is not one of jsonl, x, mastodon, bluesky, linkedin"),
            )
        })?,
        None => source.detect().map_err(|e| AppError::Invalid(e.into()))?,
    };
    let opts = ReadOptions {
        account: field("account"),
    };
    let (src, o) = (source.clone(), opts.clone());
    let total =
        tokio::task::spawn_blocking(move || somu_store::social::check_source(&src, format, &o))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
    let job = state
        .store
        .create_job(
            ctx.org(),
            ctx.principal.account_id,
            "social-import",
            total as i64,
        )
        .await?;
    audit(
        &state,
        &ctx,
        "social.import",
        &format!("job/{}", job.0),
        &format!("{name} ({}, {total} posts)", format.code()),
    )
    .await?;
    tokio::spawn(run(
        state.store.clone(),
        ctx.org(),
        job,
        source,
        format,
        opts,
    ));
    Ok(Redirect::to(&format!(
        "/o/{}/jobs/{}",
        ctx.member.org.slug, job.0
    )))
}

async fn run(
    store: Store,
    org: OrgId,
    job: JobId,
    source: Source,
    format: Format,
    opts: ReadOptions,
) {
    let progress = crate::pages::jobs::JobProgress::start(&store, org, job);
    let result = store
        .import_social(org, source, format, opts, &progress.reporter())
        .await
        .map(|s| {
            format!(
                "{} posts: {} new, {} updated, {} unchanged.",
                s.posts, s.inserted, s.updated, s.unchanged
            )
        });
    progress.finish(&store, org, job, result).await;
}
