//! `somu pull --org SLUG [--account ID]`: pull linked Mastodon and Bluesky accounts now, one
//! after another, with a progress bar (posts fetched, rate).

use anyhow::{anyhow, bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use somu_web::pages::social::pulls;
use somu_web::AppState;
use std::time::Instant;

/// Pull one organisation's accounts (all enabled ones, or the one named).
pub async fn pull(state: AppState, org_slug: &str, account: Option<i64>) -> Result<()> {
    let store = &state.store;
    let org = store
        .org_by_slug(org_slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {org_slug}"))?
        .org_id();
    let now = state.clock.now();
    let interval = state.config.social_pull_interval_minutes.max(1) * 60;
    store.ensure_social_pulls(Some(org), interval, now).await?;
    let all = store.social_pulls(org).await?;
    let chosen: Vec<_> = match account {
        Some(id) => {
            let Some(row) = all.into_iter().find(|p| p.account_id == id) else {
                bail!("--account {id}: no such pulled account in {org_slug} (only linked Mastodon and Bluesky accounts are pulled; see the live pulls page)");
            };
            vec![row]
        }
        None => all.into_iter().filter(|p| p.enabled).collect(),
    };
    if chosen.is_empty() {
        println!("{org_slug}: no linked Mastodon or Bluesky account to pull");
        return Ok(());
    }
    let settings = pulls::settings(&state.config);
    let owner = pulls::lease_owner();
    let mut failed = 0;
    for row in chosen {
        let http = somu_social::pull::Http::new(settings.clone())?;
        let bar = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template(
                "{spinner} {msg}: {pos} posts fetched  {per_sec}  {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{} {}", row.platform, row.handle));
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        let started = Instant::now();
        let progress = {
            let bar = bar.clone();
            move |n: u64| bar.set_position(n)
        };
        let result = store
            .run_social_pull(org, row.account_id, &http, &owner, &progress)
            .await;
        bar.finish_and_clear();
        let secs = started.elapsed().as_secs_f64();
        match result {
            Ok(Ok(o)) => println!(
                "{} {}: {} posts and replies in {secs:.1} s ({} pages): {} new, {} updated{}",
                row.platform,
                row.handle,
                o.fetched,
                o.pages,
                o.inserted,
                o.updated,
                if o.finished {
                    ""
                } else {
                    "; more on the next run"
                }
            ),
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("{} {}: failed: {e}", row.platform, row.handle);
            }
            Err(e) => {
                failed += 1;
                eprintln!("{} {}: not pulled: {e}", row.platform, row.handle);
            }
        }
    }
    if failed > 0 {
        bail!("{failed} pulls failed (the errors are kept on the live pulls page)");
    }
    Ok(())
}
