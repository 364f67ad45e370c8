//! `somu remind`'s survey part: send the post-training surveys and survey reminders due now.

use anyhow::{anyhow, Result};
use somu_store::Store;
use somu_web::pages::surveys::send::survey_org;

/// Send the surveys and reminders due now in one organisation (safe on every server at once).
pub async fn remind(store: &Store, base_url: &str, slug: &str) -> Result<()> {
    let org = store
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {slug}"))?
        .org_id();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let round = survey_org(store, base_url, org, now).await?;
    println!(
        "{slug}: {} surveys sent, {} survey reminders sent",
        round.sent, round.reminded
    );
    Ok(())
}
