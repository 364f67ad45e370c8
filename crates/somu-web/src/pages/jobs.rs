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
    /// A finished report build: the page to return to.
    ready: Option<String>,
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
    // A report job's message is the dashboard it was started from (a path of this site).
    let ready = (job.kind == "report"
        && job.status == "done"
        && job.message.starts_with('/')
        && !job.message.starts_with("//"))
    .then(|| job.message.clone());
    render(JobPage {
        page: Page::org(&ctx, &csrf.0, "job-title"),
        job,
        percent,
        errors,
        ready,
    })
}

/// Reports a background job's progress to its row while the work runs: the work calls
/// [`JobProgress::reporter`]'s function as often as it likes; the row is written at most four
/// times a second.
pub struct JobProgress {
    done: std::sync::Arc<std::sync::atomic::AtomicU64>,
    ticker: tokio::task::JoinHandle<()>,
}

impl JobProgress {
    /// Start reporting for a job.
    pub fn start(store: &somu_store::Store, org: somu_domain::ids::OrgId, job: JobId) -> Self {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let ticker = {
            let (store, done) = (store.clone(), done.clone());
            tokio::spawn(async move {
                let mut last = 0;
                loop {
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                    let now = done.load(Ordering::Relaxed);
                    if now != last {
                        let _ = store.job_progress(org, job, now as i64).await;
                        last = now;
                    }
                }
            })
        };
        JobProgress { done, ticker }
    }

    /// The progress callback to hand to the work: `(done, total)`.
    pub fn reporter(&self) -> impl Fn(u64, u64) + Send + Sync + 'static {
        let done = self.done.clone();
        move |d: u64, _total: u64| done.store(d, std::sync::atomic::Ordering::Relaxed)
    }

    /// Record how the job ended: the summary when it succeeded, else the refused fields (or the
    /// failure) as the JSON list the job page shows. Returns `(ok, message)`.
    pub async fn finish(
        self,
        store: &somu_store::Store,
        org: somu_domain::ids::OrgId,
        job: JobId,
        result: somu_store::Result<String>,
    ) -> (bool, String) {
        self.ticker.abort();
        let (ok, message) = match result {
            Ok(summary) => (true, summary),
            Err(somu_store::StoreError::Invalid(errors)) => {
                (false, serde_json::to_string(&errors.0).unwrap_or_default())
            }
            Err(e) => (
                false,
                serde_json::json!([{ "line": null, "field": "import", "message": e.to_string() }])
                    .to_string(),
            ),
        };
        if let Err(e) = store.finish_job(org, job, ok, &message).await {
            tracing::error!(error = %e, job = job.0, "could not record the end of a job");
        }
        (ok, message)
    }
}
