//! Live pulls of linked Mastodon and Bluesky accounts: the schedule, the lease that keeps one run
//! per account across servers, and the run itself (profile → follower snapshot, pages of posts
//! newest first with their replies, written by the shared [`super::SocialWriter`]).
//!
//! Incremental: a run goes back to the newest stored post older than the refresh window (so the
//! counts of recent posts are refreshed and older ones are not fetched again), or `history` back
//! on the first run. Resumable: after every page the next page's position is saved, and a run that
//! stops (crash, error, page budget) continues from there; writes are idempotent.

use super::{week_start, ScoredPost};
use crate::{with_pool, Result, Store, StoreError};
use somu_domain::ids::OrgId;
use somu_social::pull::{self, Http, Page, PullError};
use somu_social::{Platform, SocialPost};
use std::collections::HashMap;
use std::fmt::Write as _;

/// How long a claimed run holds its account (seconds); renewed after every page.
const LEASE: i64 = 600;

/// A pull schedule as the admin page shows it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PullRow {
    /// The account pulled.
    pub account_id: i64,
    /// Platform code.
    pub platform: String,
    /// Handle.
    pub handle: String,
    /// The person whose account it is.
    pub person_name: Option<String>,
    /// An account of the organisation.
    pub brand: bool,
    /// The server asked; empty for the configured default.
    pub base_url: String,
    /// Seconds between runs.
    pub interval_seconds: i64,
    /// Scheduled runs happen (not paused).
    pub enabled: bool,
    /// The newest post id seen.
    pub cursor: Option<String>,
    /// When the last run ended (Unix seconds).
    pub last_run_at: Option<i64>,
    /// When the next run is due.
    pub next_run_at: i64,
    /// `never`, `ok`, `partial` (more pages next run) or `error`.
    pub last_status: String,
    /// The last run's error.
    pub last_error: String,
    /// Posts and replies fetched, all runs.
    pub fetched: i64,
    /// Posts and replies fetched by the last run.
    pub last_fetched: i64,
    /// Failed runs in a row.
    pub failures: i64,
    /// Where an unfinished run will continue.
    pub resume_page: Option<String>,
    /// Until when a run holds the account.
    pub lease_until: Option<i64>,
    /// The platform's id of the account (Mastodon account id, Bluesky DID), once known.
    pub remote_id: Option<String>,
    #[serde(skip)]
    resume_floor_id: Option<String>,
    #[serde(skip)]
    resume_floor_at: Option<i64>,
}

impl PullRow {
    /// Whether a run holds the account at `now`.
    pub fn running(&self, now: i64) -> bool {
        self.lease_until.is_some_and(|t| t > now)
    }
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PullOutcome {
    /// Pages of posts asked.
    pub pages: u32,
    /// Posts and replies fetched.
    pub fetched: u64,
    /// New posts stored.
    pub inserted: u64,
    /// Posts whose counts or text changed.
    pub updated: u64,
    /// Everything back to the floor was fetched (otherwise the next run continues).
    pub finished: bool,
}

const PULL_SELECT: &str = "SELECT s.account_id, a.platform, a.handle, pe.name AS person_name, a.brand, s.base_url, \
     s.interval_seconds, s.enabled, s.cursor, s.last_run_at, s.next_run_at, s.last_status, s.last_error, s.fetched, \
     s.last_fetched, s.failures, s.resume_page, s.lease_until, s.remote_id, s.resume_floor_id, s.resume_floor_at \
     FROM social_pull s JOIN social_account a ON a.org_id = s.org_id AND a.id = s.account_id \
     LEFT JOIN person pe ON pe.org_id = a.org_id AND pe.id = a.person_id WHERE s.org_id = $1";

/// Why a run stopped early.
enum Stop {
    Store(StoreError),
    Pull(String),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Self {
        Stop::Store(e)
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::Store(e.into())
    }
}

impl From<PullError> for Stop {
    fn from(e: PullError) -> Self {
        Stop::Pull(e.to_string())
    }
}

/// Mastodon ids and Bluesky record keys both sort by length, then as text.
fn newer(a: &str, b: &str) -> bool {
    (a.len(), a) > (b.len(), b)
}

impl Store {
    /// Schedule pulls for linked Mastodon and Bluesky accounts (a person's, with consent, or the
    /// organisation's) that have none, due at `now`. `None`: every organisation (the scheduler).
    /// Revoking an account deletes its schedule with it.
    pub async fn ensure_social_pulls(
        &self,
        org: Option<OrgId>,
        interval: i64,
        now: i64,
    ) -> Result<u64> {
        Ok(with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO social_pull (org_id, account_id, base_url, interval_seconds, enabled, next_run_at) \
             SELECT a.org_id, a.id, '', $2, TRUE, $3 FROM social_account a \
             WHERE ($1 IS NULL OR a.org_id = $1) AND a.platform IN ('mastodon', 'bluesky') \
             AND (a.person_id IS NOT NULL OR a.brand = TRUE) \
             AND NOT EXISTS (SELECT 1 FROM social_pull s WHERE s.org_id = a.org_id AND s.account_id = a.id)"
        )
        .bind(org.map(|o| o.0))
        .bind(interval)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?)
    }

    /// Schedule one account's pulls with a given server and state (the demo; tests).
    pub async fn schedule_social_pull(
        &self,
        org: OrgId,
        account: i64,
        base_url: &str,
        interval: i64,
        enabled: bool,
        next_run_at: i64,
    ) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO social_pull (org_id, account_id, base_url, interval_seconds, enabled, next_run_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, account_id) DO UPDATE SET base_url = excluded.base_url, \
             interval_seconds = excluded.interval_seconds, enabled = excluded.enabled, next_run_at = excluded.next_run_at"
        )
        .bind(org.0)
        .bind(account)
        .bind(base_url)
        .bind(interval)
        .bind(enabled)
        .bind(next_run_at)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Record a past run on a schedule without contacting anyone (the demo's history).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_social_pull_run(
        &self,
        org: OrgId,
        account: i64,
        at: i64,
        status: &str,
        error: &str,
        fetched: i64,
        cursor: Option<&str>,
    ) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_pull SET last_run_at = $3, last_status = $4, last_error = $5, last_fetched = $6, \
             fetched = fetched + $6, cursor = $7, failures = CASE WHEN $4 = 'error' THEN 1 ELSE 0 END \
             WHERE org_id = $1 AND account_id = $2"
        )
        .bind(org.0)
        .bind(account)
        .bind(at)
        .bind(status)
        .bind(error)
        .bind(fetched)
        .bind(cursor)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The organisation's pull schedules.
    pub async fn social_pulls(&self, org: OrgId) -> Result<Vec<PullRow>> {
        let sql = format!("{PULL_SELECT} ORDER BY a.platform, a.handle");
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?)
    }

    /// One account's pull schedule.
    pub async fn social_pull(&self, org: OrgId, account: i64) -> Result<PullRow> {
        let sql = format!("{PULL_SELECT} AND s.account_id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(account)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Pause (`false`) or resume (`true`, due at `now`) an account's scheduled pulls.
    pub async fn set_social_pull_enabled(
        &self,
        org: OrgId,
        account: i64,
        enabled: bool,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_pull SET enabled = $3, next_run_at = CASE WHEN $3 THEN $4 ELSE next_run_at END \
             WHERE org_id = $1 AND account_id = $2"
        )
        .bind(org.0)
        .bind(account)
        .bind(enabled)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Change how often an account is pulled and from which server (`base_url` empty: the
    /// configured default, or a Mastodon account's own instance). The next run is due one new
    /// interval after the last one (now, when that is already past, or when it never ran).
    pub async fn set_social_pull_schedule(
        &self,
        org: OrgId,
        account: i64,
        base_url: &str,
        interval_seconds: i64,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
                "UPDATE social_pull SET base_url = $3, interval_seconds = $4, \
                 next_run_at = CASE WHEN last_run_at IS NULL OR last_run_at + $4 < $5 THEN $5 ELSE last_run_at + $4 END \
                 WHERE org_id = $1 AND account_id = $2",
            )
            .bind(org.0)
            .bind(account)
            .bind(base_url)
            .bind(interval_seconds)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Enabled pulls due at `now` whose lease is free, oldest due first (every organisation: the
    /// scheduler).
    pub async fn due_social_pulls(&self, now: i64, limit: i64) -> Result<Vec<(OrgId, i64)>> {
        let rows: Vec<(i64, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT org_id, account_id FROM social_pull WHERE enabled = TRUE AND next_run_at <= $1 \
             AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_run_at LIMIT $2"
        )
        .bind(now)
        .bind(limit)
        .fetch_all(p)
        .await
        })?;
        Ok(rows.into_iter().map(|(o, a)| (OrgId(o), a)).collect())
    }

    /// Take the lease on an account's pulls for `owner`: `None` when another run holds it.
    pub async fn claim_social_pull(
        &self,
        org: OrgId,
        account: i64,
        owner: &str,
        now: i64,
    ) -> Result<Option<PullRow>> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_pull SET lease_owner = $3, lease_until = $4 WHERE org_id = $1 AND account_id = $2 \
             AND (lease_until IS NULL OR lease_until <= $5)"
        )
        .bind(org.0)
        .bind(account)
        .bind(owner)
        .bind(now + LEASE)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        let row = self.social_pull(org, account).await?;
        Ok((n == 1).then_some(row))
    }

    /// Run one pull of an account now (claiming its lease as `owner`). The outer `Err` is a
    /// database problem or a lease held by another run (`Conflict`); the inner one is what went
    /// wrong with the platform, also saved as the schedule's last error.
    pub async fn run_social_pull(
        &self,
        org: OrgId,
        account: i64,
        http: &Http,
        owner: &str,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<std::result::Result<PullOutcome, String>> {
        let now = crate::unix_now();
        let Some(row) = self.claim_social_pull(org, account, owner, now).await? else {
            return Err(StoreError::Conflict(
                "a pull of this account is already running".into(),
            ));
        };
        let mut outcome = PullOutcome::default();
        let mut newest: Option<String> = None;
        let result = self
            .pull_claimed(org, &row, http, owner, progress, &mut outcome, &mut newest)
            .await;
        let end = crate::unix_now();
        let (status, error, next, failed) = match &result {
            Ok(()) if outcome.finished => ("ok", String::new(), end + row.interval_seconds, false),
            Ok(()) => ("partial", String::new(), end + 60, false),
            Err(Stop::Pull(m)) => {
                let until = m
                    .strip_prefix("rate limited until ")
                    .and_then(|r| r.split(' ').next())
                    .and_then(|t| t.parse::<i64>().ok());
                let backoff = 300i64.saturating_mul(1 << row.failures.clamp(0, 6));
                (
                    "error",
                    m.clone(),
                    until.unwrap_or(end + backoff.min(row.interval_seconds.max(300))),
                    true,
                )
            }
            Err(Stop::Store(e)) => ("error", e.to_string(), end + 300, true),
        };
        let cursor = if outcome.finished { newest } else { None };
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_pull SET last_run_at = $4, last_status = $5, last_error = $6, next_run_at = $7, \
             failures = CASE WHEN $8 THEN failures + 1 ELSE 0 END, last_fetched = $9, \
             cursor = CASE WHEN $10 IS NULL THEN cursor ELSE $10 END, \
             lease_owner = NULL, lease_until = NULL WHERE org_id = $1 AND account_id = $2 AND lease_owner = $3"
        )
        .bind(org.0)
        .bind(account)
        .bind(owner)
        .bind(end)
        .bind(status)
        .bind(&error)
        .bind(next)
        .bind(failed)
        .bind(outcome.fetched as i64)
        .bind(cursor.as_deref())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        match result {
            Ok(()) => Ok(Ok(outcome)),
            Err(Stop::Pull(m)) => Ok(Err(m)),
            Err(Stop::Store(e)) => Err(e),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn pull_claimed(
        &self,
        org: OrgId,
        row: &PullRow,
        http: &Http,
        owner: &str,
        progress: &(dyn Fn(u64) + Send + Sync),
        outcome: &mut PullOutcome,
        newest: &mut Option<String>,
    ) -> std::result::Result<(), Stop> {
        let settings = http.settings().clone();
        let now = crate::unix_now();
        let platform = Platform::parse(&row.platform).unwrap_or(Platform::Other);
        let base = if !row.base_url.is_empty() {
            row.base_url.clone()
        } else {
            match platform {
                Platform::Mastodon => match &settings.mastodon_base_url {
                    Some(b) => b.clone(),
                    None => pull::mastodon::instance_url(&row.handle).ok_or_else(|| {
                        Stop::Pull(format!(
                            "{}: the handle does not name a public Mastodon server",
                            row.handle
                        ))
                    })?,
                },
                Platform::Bluesky => settings.bluesky_appview_url.clone(),
                _ => {
                    return Err(Stop::Pull(format!(
                        "{} accounts are not pulled",
                        row.platform
                    )))
                }
            }
        };
        let bare = row.handle.trim_start_matches('@');
        let profile = match platform {
            Platform::Mastodon => pull::mastodon::lookup(http, &base, &row.handle).await?,
            _ => pull::bluesky::profile(http, &base, bare).await?,
        };
        self.save_profile(org, row.account_id, &profile, now)
            .await?;
        let (floor_id, floor_at) = match &row.resume_page {
            Some(_) => (
                row.resume_floor_id.clone(),
                row.resume_floor_at.unwrap_or(now - settings.history),
            ),
            None => {
                self.pull_floor(
                    org,
                    row.account_id,
                    now - settings.refresh_window,
                    now - settings.history,
                )
                .await?
            }
        };
        let mut page_at = row.resume_page.clone();
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_pull SET resume_floor_id = $3, resume_floor_at = $4 WHERE org_id = $1 AND account_id = $2"
        )
        .bind(org.0)
        .bind(row.account_id)
        .bind(floor_id.as_deref())
        .bind(floor_at)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        let mut writer = self.social_writer(org).await?;
        loop {
            if outcome.pages >= settings.max_pages {
                return Ok(());
            }
            let page: Page = match platform {
                Platform::Mastodon => {
                    pull::mastodon::statuses(
                        http,
                        &base,
                        &row.handle,
                        &profile.id,
                        floor_id.as_deref(),
                        page_at.as_deref(),
                    )
                    .await?
                }
                _ => pull::bluesky::feed(http, &base, bare, page_at.as_deref()).await?,
            };
            outcome.pages += 1;
            let reached_floor = page.posts.iter().any(|(p, _)| p.created_at < floor_at);
            let keep: Vec<(SocialPost, String)> = page
                .posts
                .into_iter()
                .filter(|(p, _)| p.created_at >= floor_at)
                .collect();
            let ids: Vec<&str> = keep.iter().map(|(p, _)| p.post_id.as_str()).collect();
            let stored = self.stored_reply_counts(org, row.account_id, &ids).await?;
            let mut batch = Vec::with_capacity(keep.len());
            for (post, key) in keep {
                if newest.as_deref().is_none_or(|n| newer(&post.post_id, n)) {
                    *newest = Some(post.post_id.clone());
                }
                if post.replies > 0 && stored.get(&post.post_id) != Some(&post.replies) {
                    let replies = match platform {
                        Platform::Mastodon => {
                            pull::mastodon::replies(http, &base, &row.handle, &key).await?
                        }
                        _ => pull::bluesky::replies(http, &base, &key).await?,
                    };
                    batch.extend(replies.into_iter().map(ScoredPost::score));
                }
                batch.push(ScoredPost::score(post));
            }
            let n = batch.len() as u64;
            let written = writer.write(self, batch).await?;
            outcome.fetched += n;
            outcome.inserted += written.inserted;
            outcome.updated += written.updated;
            let done = reached_floor || page.next.is_none() || n == 0;
            page_at = if done { None } else { page.next };
            let held = with_pool!(self, |p| {
                sqlx::query(
                "UPDATE social_pull SET resume_page = $4, fetched = fetched + $5, lease_until = $6 \
                 WHERE org_id = $1 AND account_id = $2 AND lease_owner = $3"
            )
            .bind(org.0)
            .bind(row.account_id)
            .bind(owner)
            .bind(page_at.as_deref())
            .bind(n as i64)
            .bind(crate::unix_now() + LEASE)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
            })?;
            if held == 0 {
                return Err(Stop::Pull(
                    "the run lost its lease to another server".into(),
                ));
            }
            progress(outcome.fetched);
            if done {
                outcome.finished = true;
                return Ok(());
            }
        }
    }

    /// Save the platform's id of the account and today's follower count.
    async fn save_profile(
        &self,
        org: OrgId,
        account: i64,
        profile: &pull::Profile,
        now: i64,
    ) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE social_pull SET remote_id = $3 WHERE org_id = $1 AND account_id = $2"
        )
        .bind(org.0)
        .bind(account)
        .bind(&profile.id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        let Some(followers) = profile.followers else {
            return Ok(());
        };
        let day = now - now.rem_euclid(86_400);
        crate::with_tx!(self, |tx| {
            let changed = sqlx::query(
                "INSERT INTO follower_snapshot (org_id, account_id, at, followers) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (org_id, account_id, at) DO UPDATE SET followers = excluded.followers \
                 WHERE follower_snapshot.followers <> excluded.followers",
            )
            .bind(org.0)
            .bind(account)
            .bind(day)
            .bind(followers)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed > 0 {
                sqlx::query("INSERT INTO rollup_dirty (org_id, account_id, week_start) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(org.0)
                    .bind(account)
                    .bind(week_start(day))
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// How far back a new run goes: the newest stored post older than `window_edge` (its id and
    /// time), or `history_edge` when there is none.
    async fn pull_floor(
        &self,
        org: OrgId,
        account: i64,
        window_edge: i64,
        history_edge: i64,
    ) -> Result<(Option<String>, i64)> {
        let row: Option<(String, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT post_id, created_at FROM post WHERE org_id = $1 AND account_id = $2 AND created_at < $3 \
             ORDER BY created_at DESC, post_id DESC LIMIT 1"
        )
        .bind(org.0)
        .bind(account)
        .bind(window_edge)
        .fetch_optional(p)
        .await
        })?;
        Ok(match row {
            Some((id, at)) => (Some(id), at),
            None => (None, history_edge),
        })
    }

    /// The stored reply counts of some of an account's posts (to fetch replies only when changed).
    async fn stored_reply_counts(
        &self,
        org: OrgId,
        account: i64,
        ids: &[&str],
    ) -> Result<HashMap<String, i64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut list = String::new();
        for i in 0..ids.len() {
            let _ = write!(list, "{}${}", if i == 0 { "" } else { ", " }, i + 3);
        }
        let sql = format!("SELECT post_id, replies FROM post WHERE org_id = $1 AND account_id = $2 AND post_id IN ({list})");
        let rows: Vec<(String, i64)> = with_pool!(self, |p| {
            let mut q = sqlx::query_as(&sql).bind(org.0).bind(account);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        Ok(rows.into_iter().collect())
    }
}
