//! Live pulls: the admin page listing every pulled account (last run, next run, posts fetched,
//! last error) with "pull now" and pause/resume, its JSON twin, and the scheduler tick that
//! `somu serve` runs. Schedules are made for linked Mastodon and Bluesky accounts (a person's,
//! with consent, or the organisation's); revoking an account deletes its schedule.

use crate::access::OrgCtx;
use crate::api::Problem;
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Json, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::ids::OrgId;
use somu_social::pull::{Http, PullSettings};
use somu_store::social::PullRow;
use utoipa::{OpenApi, ToSchema};

/// Seconds between two looks at the schedule.
const TICK: u64 = 30;
/// Accounts pulled in one tick at most (one after another: polite to the servers).
const PER_TICK: i64 = 20;
/// The shortest and longest interval an admin may set for one account, in minutes.
const MIN_INTERVAL_MINUTES: i64 = 5;
const MAX_INTERVAL_MINUTES: i64 = 7 * 24 * 60;

/// The pull settings the configuration describes.
pub fn settings(config: &Config) -> PullSettings {
    let base = config.mastodon_base_url.trim();
    PullSettings {
        mastodon_base_url: (!base.is_empty()).then(|| base.to_string()),
        bluesky_appview_url: config.bluesky_appview_url.trim().to_string(),
        ..PullSettings::default()
    }
}

/// This server's name on the leases it takes.
pub fn lease_owner() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "somu".into());
    format!(
        "{host}/{}/{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    )
}

fn interval(config: &Config) -> i64 {
    config.social_pull_interval_minutes.max(1) * 60
}

/// Pull one account now with the configured settings; errors are logged and kept on the
/// schedule. Returns whether the run finished without a platform error.
pub async fn pull_one(
    state: &AppState,
    settings: PullSettings,
    org: OrgId,
    account: i64,
    owner: &str,
) -> bool {
    let http = match Http::new(settings) {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = %e, "no HTTP client for live pulls");
            return false;
        }
    };
    match state
        .store
        .run_social_pull(org, account, &http, owner, &|_| {})
        .await
    {
        Ok(Ok(o)) => {
            tracing::info!(
                org = org.0,
                account,
                fetched = o.fetched,
                new = o.inserted,
                "live pull done"
            );
            true
        }
        Ok(Err(e)) => {
            tracing::warn!(org = org.0, account, error = %e, "live pull failed");
            false
        }
        // Another server took the lease first: it pulls the account.
        Err(somu_store::StoreError::Conflict(m)) => {
            tracing::debug!(org = org.0, account, reason = %m, "live pull left to another run");
            false
        }
        Err(e) => {
            tracing::warn!(org = org.0, account, error = %e, "live pull not run");
            false
        }
    }
}

/// One scheduler pass: schedule newly linked accounts, then pull those due. Returns how many
/// were pulled.
pub async fn run_due(state: &AppState, settings: &PullSettings, owner: &str) -> usize {
    let now = state.clock.now();
    if let Err(e) = state
        .store
        .ensure_social_pulls(None, interval(&state.config), now)
        .await
    {
        tracing::warn!(error = %e, "scheduling live pulls failed");
    }
    let due = match state.store.due_social_pulls(now, PER_TICK).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "reading due live pulls failed");
            return 0;
        }
    };
    for (org, account) in &due {
        pull_one(state, settings.clone(), *org, *account, owner).await;
    }
    due.len()
}

/// The scheduler tick of `somu serve` (none when `social_pulls` is off).
pub fn spawn_pull_tick(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    if !state.config.social_pulls {
        return None;
    }
    let state = state.clone();
    Some(tokio::spawn(async move {
        let settings = settings(&state.config);
        let owner = lease_owner();
        loop {
            run_due(&state, &settings, &owner).await;
            tokio::time::sleep(std::time::Duration::from_secs(TICK)).await;
        }
    }))
}

#[derive(Template)]
#[template(path = "social/pulls.html")]
struct PullsPage {
    page: Page,
    pulls: Vec<PullRow>,
    now: i64,
    scheduler: bool,
    interval_minutes: i64,
}

/// GET /o/{org}/social/pulls
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let now = state.clock.now();
    state
        .store
        .ensure_social_pulls(Some(ctx.org()), interval(&state.config), now)
        .await?;
    render(PullsPage {
        page: Page::org(&ctx, &csrf.0, "social-pull-title").with_notice(q.done.as_deref()),
        pulls: state.store.social_pulls(ctx.org()).await?,
        now,
        scheduler: state.config.social_pulls,
        interval_minutes: state.config.social_pull_interval_minutes,
    })
}

fn back(ctx: &OrgCtx, done: &str) -> Redirect {
    Redirect::to(&format!(
        "/o/{}/social/pulls?done={done}",
        ctx.member.org.slug
    ))
}

/// POST /o/{org}/social/pulls/{id}/run: pull the account now, in the background.
pub async fn run_now(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let row = state.store.social_pull(ctx.org(), id).await?;
    if row.running(state.clock.now()) {
        return Ok(back(&ctx, "social-pull-busy"));
    }
    audit(
        &state,
        &ctx,
        "social.pull-run",
        &format!("social-account/{id}"),
        &row.handle,
    )
    .await?;
    let (bg, org) = (state.clone(), ctx.org());
    tokio::spawn(async move {
        let settings = settings(&bg.config);
        pull_one(&bg, settings, org, id, &lease_owner()).await;
    });
    Ok(back(&ctx, "social-pull-started"))
}

async fn set_enabled(
    state: &AppState,
    ctx: &OrgCtx,
    id: i64,
    enabled: bool,
) -> AppResult<Redirect> {
    let row = state.store.social_pull(ctx.org(), id).await?;
    state
        .store
        .set_social_pull_enabled(ctx.org(), id, enabled, state.clock.now())
        .await?;
    let (action, done) = if enabled {
        ("social.pull-resume", "social-pull-resumed")
    } else {
        ("social.pull-pause", "social-pull-paused")
    };
    audit(
        state,
        ctx,
        action,
        &format!("social-account/{id}"),
        &row.handle,
    )
    .await?;
    Ok(back(ctx, done))
}

/// POST /o/{org}/social/pulls/{id}/pause
pub async fn pause(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    set_enabled(&state, &ctx, id, false).await
}

/// POST /o/{org}/social/pulls/{id}/resume
pub async fn resume(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    set_enabled(&state, &ctx, id, true).await
}

/// The schedule form of one account.
#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    interval_minutes: String,
    #[serde(default)]
    base_url: String,
}

/// A new schedule for one account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// Minutes between runs, 5 to 10,080 (a week).
    pub interval_minutes: i64,
    /// The server to ask (`https://…`); empty or absent: the configured default, or a Mastodon
    /// account's own instance.
    #[serde(default)]
    pub base_url: String,
}

/// Check a schedule: the interval in minutes within bounds and the server address, if any, a
/// plain http(s) URL (a public https one unless the configuration allows private servers). Returns (base URL, seconds between runs).
fn checked_schedule(
    interval_minutes: i64,
    base_url: &str,
    private: bool,
) -> AppResult<(String, i64)> {
    if !(MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&interval_minutes) {
        return Err(AppError::field(
            "interval_minutes",
            "out-of-range",
            format!("choose between {MIN_INTERVAL_MINUTES} and {MAX_INTERVAL_MINUTES} minutes"),
        ));
    }
    let base = if base_url.trim().is_empty() {
        String::new()
    } else {
        somu_social::pull::check_base_url(base_url, private)
            .map_err(|m| AppError::field("base_url", "invalid", m))?
    };
    Ok((base, interval_minutes * 60))
}

async fn save_schedule(
    state: &AppState,
    ctx: &OrgCtx,
    id: i64,
    interval_minutes: i64,
    base_url: &str,
) -> AppResult<PullRow> {
    let private = state.config.social_pull_private_servers;
    let (base, seconds) = checked_schedule(interval_minutes, base_url, private)?;
    let row = state.store.social_pull(ctx.org(), id).await?;
    state
        .store
        .set_social_pull_schedule(ctx.org(), id, &base, seconds, state.clock.now())
        .await?;
    let server = if base.is_empty() {
        "default server"
    } else {
        base.as_str()
    };
    audit(
        state,
        ctx,
        "social.pull-schedule",
        &format!("social-account/{id}"),
        &format!("{}: every {interval_minutes} min, {server}", row.handle),
    )
    .await?;
    Ok(state.store.social_pull(ctx.org(), id).await?)
}

/// POST /o/{org}/social/pulls/{id}/schedule: how often, and from which server.
pub async fn schedule(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<ScheduleForm>,
) -> AppResult<Redirect> {
    let minutes: i64 = form.interval_minutes.trim().parse().map_err(|_| {
        AppError::field(
            "interval_minutes",
            "not-a-number",
            "write the interval as a whole number of minutes",
        )
    })?;
    save_schedule(&state, &ctx, id, minutes, &form.base_url).await?;
    Ok(back(&ctx, "social-pull-scheduled"))
}

/// PUT /api/v1/orgs/{org}/social/pulls/{id}
#[utoipa::path(put, path = "/api/v1/orgs/{org}/social/pulls/{id}",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "The account's id")),
    request_body = ScheduleBody,
    responses((status = 200, body = PullOut), (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn api_schedule(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(body): Json<ScheduleBody>,
) -> AppResult<axum::Json<PullOut>> {
    let row = save_schedule(&state, &ctx, path.1, body.interval_minutes, &body.base_url).await?;
    Ok(axum::Json(PullOut::of(row, state.clock.now())))
}

/// A pulled account's schedule.
#[derive(Serialize, ToSchema)]
pub struct PullOut {
    /// The account's id within the organisation.
    pub account_id: i64,
    /// `mastodon` or `bluesky`.
    pub platform: String,
    /// Handle.
    pub handle: String,
    /// An account of the organisation (otherwise a person's).
    pub brand: bool,
    /// Scheduled runs happen (false: paused).
    pub enabled: bool,
    /// A run holds the account now.
    pub running: bool,
    /// Seconds between runs.
    pub interval_seconds: i64,
    /// The server asked; empty: the configured default (or a Mastodon account's own instance).
    pub base_url: String,
    /// When the last run ended (Unix seconds).
    pub last_run_at: Option<i64>,
    /// When the next run is due (Unix seconds).
    pub next_run_at: i64,
    /// `never`, `ok`, `partial` (continues on the next run) or `error`.
    pub last_status: String,
    /// The last run's error, empty when none.
    pub last_error: String,
    /// Posts and replies fetched by the last run.
    pub last_fetched: i64,
    /// Posts and replies fetched by every run.
    pub fetched: i64,
    /// The newest post id seen.
    pub cursor: Option<String>,
    /// Failed runs in a row.
    pub failures: i64,
}

/// GET /api/v1/orgs/{org}/social/pulls
#[utoipa::path(get, path = "/api/v1/orgs/{org}/social/pulls", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [PullOut]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn api_list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<PullOut>>> {
    let now = state.clock.now();
    let rows = state.store.social_pulls(ctx.org()).await?;
    Ok(axum::Json(
        rows.into_iter().map(|p| PullOut::of(p, now)).collect(),
    ))
}

impl PullOut {
    fn of(p: PullRow, now: i64) -> PullOut {
        PullOut {
            running: p.running(now),
            account_id: p.account_id,
            platform: p.platform,
            handle: p.handle,
            brand: p.brand,
            enabled: p.enabled,
            interval_seconds: p.interval_seconds,
            base_url: p.base_url,
            last_run_at: p.last_run_at,
            next_run_at: p.next_run_at,
            last_status: p.last_status,
            last_error: p.last_error,
            last_fetched: p.last_fetched,
            fetched: p.fetched,
            cursor: p.cursor,
            failures: p.failures,
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(api_list, api_schedule),
    components(schemas(PullOut, ScheduleBody))
)]
struct Doc;

/// The live pulls' part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}
