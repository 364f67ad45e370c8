//! Importing an export from the browser (checked first, then written by a background job with a
//! progress page), and the help page describing every accepted format.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, save_upload, SavedUpload};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use somu_domain::ids::{JobId, OrgId};
use somu_social::{Format, ReadOptions, Source};
use somu_store::Store;

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
/// The file is streamed to a temporary file (up to `max_social_upload_mb`), which the check and
/// the import job read and which is deleted when the job ends.
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    multipart: Multipart,
) -> AppResult<Redirect> {
    let (file, fields) = save_upload(multipart, "upload", &state.config.upload_path()).await?;
    let field = |k: &str| {
        fields
            .iter()
            .find(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    let Some(upload) = file else {
        return Err(AppError::field("file", "required", "choose an export file"));
    };
    let source = source_of(&upload);
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
        &format!("{} ({}, {total} posts)", upload.name, format.code()),
    )
    .await?;
    tokio::spawn(run(
        state.store.clone(),
        ctx.org(),
        job,
        upload,
        format,
        opts,
    ));
    Ok(Redirect::to(&format!(
        "/o/{}/jobs/{}",
        ctx.member.org.slug, job.0
    )))
}

fn source_of(upload: &SavedUpload) -> Source {
    Source::Upload {
        name: upload.name.clone(),
        path: upload.file.path().to_path_buf(),
    }
}

/// The import job. It owns the upload, so the temporary file lives until the import ends, however
/// it ends.
async fn run(
    store: Store,
    org: OrgId,
    job: JobId,
    upload: SavedUpload,
    format: Format,
    opts: ReadOptions,
) {
    let progress = crate::pages::jobs::JobProgress::start(&store, org, job);
    let result = store
        .import_social(org, source_of(&upload), format, opts, &progress.reporter())
        .await
        .map(|s| {
            format!(
                "{} posts: {} new, {} updated, {} unchanged.",
                s.posts, s.inserted, s.updated, s.unchanged
            )
        });
    // Gone before the job shows as finished.
    drop(upload);
    progress.finish(&store, org, job, result).await;
}
