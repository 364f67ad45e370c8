//! Historical completions from another LMS (`/o/{org}/progress/import`): a CSV checked whole,
//! then recorded as learning statements; a re-import changes nothing.

use crate::access::OrgCtx;
use crate::error::AppResult;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use somu_domain::ids::OrgId;
use somu_domain::progress::{parse_completions, Completion};
use somu_domain::{FieldError, FieldErrors};
use somu_store::org::PersonFilter;
use somu_store::{Store, StoreError};
use std::collections::{HashMap, HashSet};

/// Check a completions file against the organisation's people and courses.
/// `Err(Invalid)` names every bad line; nothing is written.
pub async fn check_completions(
    store: &Store,
    org: OrgId,
    bytes: &[u8],
    now: i64,
) -> Result<Vec<Completion>, StoreError> {
    let mut keys: HashMap<String, i64> = HashMap::new();
    for p in store.all_people(org, &PersonFilter::default()).await? {
        keys.insert(p.email.to_lowercase(), p.id);
        if let Some(e) = p.employee_id {
            keys.insert(e, p.id);
        }
    }
    let courses: HashSet<String> = store
        .courses(org)
        .await?
        .into_iter()
        .map(|c| c.slug)
        .collect();
    let person = |k: &str| keys.get(k).or_else(|| keys.get(&k.to_lowercase())).copied();
    let course = |s: &str| courses.contains(s);
    parse_completions(bytes, &person, &course, now).map_err(StoreError::Invalid)
}

#[derive(Template)]
#[template(path = "progress/import.html")]
struct ImportPage {
    page: Page,
    errors: Vec<FieldError>,
    result: Option<(usize, usize)>,
}

fn page(
    ctx: &OrgCtx,
    csrf: &str,
    errors: Vec<FieldError>,
    result: Option<(usize, usize)>,
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(ImportPage {
        page: Page::org(ctx, csrf, "progress-import-title"),
        errors,
        result,
    })?;
    Ok((status, html).into_response())
}

/// GET /o/{org}/progress/import
pub async fn form(
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Response> {
    page(&ctx, &csrf.0, vec![], None)
}

/// POST /o/{org}/progress/import (multipart, field `file`)
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    multipart: Multipart,
) -> AppResult<Response> {
    let (file, _) = crate::pages::read_upload(multipart, "completions.csv").await?;
    let Some((_, bytes)) = file.filter(|(_, b)| !b.contains(&0)) else {
        let e = FieldError::new("file", "required", "choose a CSV text file to upload");
        return page(&ctx, &csrf.0, vec![e], None);
    };
    let rows = match check_completions(&state.store, ctx.org(), &bytes, state.clock.now()).await {
        Ok(rows) => rows,
        Err(StoreError::Invalid(FieldErrors(errors))) => return page(&ctx, &csrf.0, errors, None),
        Err(e) => return Err(e.into()),
    };
    let (added, skipped) = state.store.import_completions(ctx.org(), &rows).await?;
    audit(
        &state,
        &ctx,
        "progress.import",
        "completions",
        &format!("{added} recorded, {skipped} already there"),
    )
    .await?;
    page(&ctx, &csrf.0, vec![], Some((added, skipped)))
}
