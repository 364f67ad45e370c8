//! Demo live pulls: every linked Mastodon and Bluesky account of Northwind is scheduled, with a
//! history of runs, some paused and one failed. The demo never calls the internet: the schedules
//! point at a local address where nothing listens and `somu demo` runs no scheduler, so only a
//! "Pull now" click asks (and records the refused connection as the run's error).

use super::org::DEMO_SLUG;
use super::Seeded;
use anyhow::Result;
use somu_web::AppState;

/// A local address where nothing answers (port 9, "discard").
const NOWHERE: &str = "http://127.0.0.1:9";

/// Schedule and give a history to the demo organisation's pulls.
pub async fn seed(state: &AppState) -> Result<()> {
    let store = &state.store;
    let Some(org) = store.org_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    let org = org.org_id();
    let now = state.clock.now();
    let interval = state.config.social_pull_interval_minutes.max(1) * 60;
    store.ensure_social_pulls(Some(org), interval, now).await?;
    let mut rng = Seeded::new(20_261_123);
    let accounts = store.social_accounts(org, None).await?;
    for (i, pull) in store.social_pulls(org).await?.into_iter().enumerate() {
        let posts = accounts
            .iter()
            .find(|a| a.id == pull.account_id)
            .map_or(0, |a| a.posts);
        let paused = i % 4 == 3;
        let ran = now - 60 * (5 + rng.below(50) as i64);
        store
            .schedule_social_pull(
                org,
                pull.account_id,
                NOWHERE,
                interval,
                !paused,
                ran + interval,
            )
            .await?;
        let path = match pull.platform.as_str() {
            "mastodon" => "/api/v1/accounts/lookup",
            _ => "/xrpc/app.bsky.actor.getProfile",
        };
        let (status, error) = if i == 1 {
            (
                "error",
                format!("{NOWHERE}{path}: HTTP 503: the server is busy (demo)"),
            )
        } else {
            ("ok", String::new())
        };
        // A first run that fetched the history, then the latest one.
        store
            .record_social_pull_run(org, pull.account_id, ran - interval, "ok", "", posts, None)
            .await?;
        let fetched = if status == "ok" {
            rng.below(6) as i64
        } else {
            0
        };
        store
            .record_social_pull_run(org, pull.account_id, ran, status, &error, fetched, None)
            .await?;
    }
    Ok(())
}
