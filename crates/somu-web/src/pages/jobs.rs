//! Progress of long work (imports, reports). Any app server can answer: the state is in the database.

use super::render;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::Extension;
use somu_domain::ids::JobId;
use somu_domain::org::AppRole;
use somu_store::jobs::Job;

#[derive(Template)]
#[template(path = "org/job.html")]
struct JobPage {
    page: Page,
    job: Job,
    percent: i64,
    errors: Vec<JobError>,
}

/// A problem a failed job reported, as stored in its message.
#[derive(serde::Deserialize)]
pub struct JobError {
    /// Line in the file.
    pub line: Option<u64>,
    /// Field or column.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// GET /o/{org}/jobs/{id}: refreshes itself while the job runs.
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let job = state.store.job(ctx.org(), JobId(id)).await?;
    if job.account_id != ctx.principal.account_id.0 && !ctx.has(AppRole::OrgAdmin) {
        return Err(AppError::NotFound);
    }
    let percent = (job.done * 100)
        .checked_div(job.total)
        .unwrap_or(0)
        .clamp(0, 100);
    let errors = if job.status == "failed" {
        serde_json::from_str::<Vec<JobError>>(&job.message).unwrap_or_default()
    } else {
        Vec::new()
    };
    render(JobPage {
        page: Page::org(&ctx, &csrf.0, "job-title"),
        job,
        percent,
        errors,
    })
}
