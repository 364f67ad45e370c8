//! `somu import social FILE --org ORG [--account HANDLE] [--format F]`: check the whole export,
//! then import it with a progress bar (rate and ETA). Safe to run again.

use anyhow::{anyhow, bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use somu_social::{Format, ReadOptions, Source};
use somu_store::Store;
use std::time::Instant;

/// Import one export file into an organisation.
pub async fn import_social(
    store: &Store,
    file: &str,
    org_slug: &str,
    account: Option<String>,
    format: Option<String>,
) -> Result<()> {
    let org = store
        .org_by_slug(org_slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {org_slug}"))?;
    let source = Source::File(file.into());
    let format = match format {
        Some(code) => Format::parse(&code).ok_or_else(|| {
            anyhow!("--format {code}: use one of jsonl, x, mastodon, bluesky, linkedin")
        })?,
        None => source.detect().map_err(|e| anyhow!("{file}: {e}"))?,
    };
    let bar = progress_bar(&format!("checking {file}"));
    let started = Instant::now();
    let progress = progress_fn(&bar);
    let opts = ReadOptions { account };
    let result = store
        .import_social(org.org_id(), source, format, opts, &progress)
        .await;
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{file} ({}): {} posts in {secs:.1} s ({:.0} posts/s): {} new, {} updated, {} unchanged; {} accounts seen for the first time",
                format.code(),
                s.posts,
                s.posts as f64 / secs.max(1e-9),
                s.inserted,
                s.updated,
                s.unchanged,
                s.accounts_created
            );
            Ok(())
        }
        Err(somu_store::StoreError::Invalid(errors)) => {
            for e in errors.0.iter().take(200) {
                eprintln!("{file}: {e}");
            }
            bail!(
                "{file} refused: {} problems; nothing was changed",
                errors.0.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A spinner shown while the export is checked; [`progress_fn`] turns it into a bar.
pub fn progress_bar(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// The `progress(done, total)` callback of an import, drawing a bar with rate and ETA.
pub fn progress_fn(bar: &ProgressBar) -> impl Fn(u64, u64) + Send + Sync {
    let bar = bar.clone();
    move |done: u64, total: u64| {
        if bar.length() != Some(total) {
            bar.set_length(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} importing [{bar:40}] {pos}/{len} posts  {per_sec}  eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
        }
        bar.set_position(done);
    }
}
