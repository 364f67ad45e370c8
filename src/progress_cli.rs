//! `somu remind` and `somu import completions`: progress work for cron and for operators.

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use somu_store::{Store, StoreError};
use somu_web::pages::progress::import::check_completions;
use somu_web::pages::progress::remind::remind_org;

async fn org_id(store: &Store, slug: &str) -> Result<somu_domain::ids::OrgId> {
    Ok(store
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {slug}"))?
        .org_id())
}

/// Send the reminders due now in one organisation (safe to run from cron on every server).
pub async fn remind(store: &Store, base_url: &str, slug: &str) -> Result<()> {
    let org = org_id(store, slug).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let sent = remind_org(store, base_url, org, now).await?;
    println!("{slug}: {sent} reminders sent");
    Ok(())
}

/// Import historical completions: the file is checked whole, then recorded in batches with a
/// progress bar. A re-run skips what is already recorded.
pub async fn import_completions(store: &Store, file: &str, slug: &str) -> Result<()> {
    let org = org_id(store, slug).await?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let rows = match check_completions(store, org, &bytes, now).await {
        Ok(rows) => rows,
        Err(StoreError::Invalid(errors)) => {
            for e in errors.0.iter().take(200) {
                eprintln!("{file}: {e}");
            }
            bail!(
                "{file} refused: {} problems; nothing was changed",
                errors.0.len()
            );
        }
        Err(e) => return Err(e.into()),
    };
    let bar = ProgressBar::new(rows.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {pos}/{len} completions  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let (mut added, mut skipped) = (0, 0);
    for chunk in rows.chunks(1000) {
        let (a, s) = store.import_completions(org, chunk).await?;
        added += a;
        skipped += s;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    println!("{file}: {added} completions recorded, {skipped} already there");
    Ok(())
}
