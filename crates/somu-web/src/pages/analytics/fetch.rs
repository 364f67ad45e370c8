//! How a dashboard gets its report: the stored one when it is current; otherwise a build in the
//! background as a job, with the previous figures or the job's progress page meanwhile. See
//! ARCHITECTURE.md (Analytics).

use super::report::{self, Report, ReportOptions};
use super::stored;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::AppState;
use axum::response::{IntoResponse, Response};
use somu_analytics::period::DateRange;

/// A dashboard's report: current, or the one stored before newer data arrived (built at
/// `.1`, Unix seconds) while the new one is being built.
pub(super) type Shown = (Report, Option<i64>);

/// How long a report build may go without a word before another visitor starts a new one
/// (its server may have stopped), in seconds.
const BUILD_SILENT_FOR: i64 = 600;

/// A report for a dashboard: the stored one when it is current; otherwise it is built in the
/// background as a job. When the build takes longer than the configured `report_wait_ms`, the
/// answer is the report stored before newer data arrived, marked as such, when there is one (a
/// director sees figures at once; the new ones replace them when ready), else the job's
/// progress page (which returns to `back` when the report is ready). A build already under way
/// for the organisation is not started again for a page that has previous figures to show.
pub(super) async fn for_dashboard(
    state: &AppState,
    ctx: &OrgCtx,
    name: &str,
    range: DateRange,
    back: String,
) -> AppResult<Result<Shown, Response>> {
    let (store, org) = (&state.store, ctx.org());
    let opts = ReportOptions::default();
    let previous = match stored::latest(store, org, name, range, opts).await? {
        Some(s) if s.current => return Ok(Ok((s.report, None))),
        Some(s) => Some((s.report, s.built_at)),
        None => None,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if let Some((rep, built_at)) = &previous {
        if store
            .running_job(org, "report", now - BUILD_SILENT_FOR)
            .await?
            .is_some()
        {
            return Ok(Ok((rep.clone(), Some(*built_at))));
        }
    }
    let job = store
        .create_job(
            org,
            ctx.principal.account_id,
            "report",
            report::STEPS as i64,
        )
        .await?;
    let mut task = {
        let (store, slug, name) = (
            state.store.clone(),
            ctx.member.org.slug.clone(),
            name.to_string(),
        );
        tokio::spawn(async move {
            let progress = crate::pages::jobs::JobProgress::start(&store, org, job);
            let tick = progress.reporter();
            let built = report::build(&store, org, &slug, &name, range, opts, &|step| {
                tick(step, report::STEPS)
            })
            .await;
            let outcome = match &built {
                Ok(_) => Ok(back),
                Err(e) => Err(somu_store::StoreError::Conflict(e.to_string())),
            };
            progress.finish(&store, org, job, outcome).await;
            built
        })
    };
    // A wait of zero means no wait at all, not one look at a build that may just have ended.
    let wait = std::time::Duration::from_millis(state.config.report_wait_ms);
    let ended = if wait.is_zero() {
        None
    } else {
        tokio::time::timeout(wait, &mut task).await.ok()
    };
    match ended {
        Some(Ok(built)) => Ok(Ok((built?.ok_or(AppError::NotFound)?, None))),
        Some(Err(e)) => Err(AppError::Internal(format!("the report build stopped: {e}"))),
        // Still building: the task goes on by itself. The previous figures meanwhile, or the
        // job page, which shows how far it is.
        None => Ok(match previous {
            Some((rep, built_at)) => Ok((rep, Some(built_at))),
            None => Err(axum::response::Redirect::to(&format!(
                "/o/{}/jobs/{}",
                ctx.member.org.slug, job.0
            ))
            .into_response()),
        }),
    }
}
