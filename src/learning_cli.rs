//! Learning content from the command line: install the default curriculum, import and export
//! course packages, and the lessons benchmark.

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use somu_content::Package;
use somu_store::Store;
use somu_web::pages::learning::content::{import_package, install_default, ImportReport};
use std::path::Path;
use std::time::{Duration, Instant};

/// `somu curriculum …`
#[derive(Subcommand, Debug)]
pub enum CurriculumCommand {
    /// Install (or bring up to date) the default curriculum in an organisation. Idempotent.
    Install {
        /// The organisation's slug.
        #[arg(long)]
        org: String,
    },
}

/// `somu export …`
#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Write a course's published version (or the version given) as a zip, byte for byte what
    /// was imported or published.
    Course {
        /// The course slug.
        slug: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// The zip file to write.
        #[arg(long)]
        out: String,
        /// A version id instead of the published one.
        #[arg(long)]
        version: Option<i64>,
    },
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn org_id(store: &Store, slug: &str) -> Result<somu_domain::ids::OrgId> {
    Ok(store
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| anyhow!("no organisation with the slug {slug}"))?
        .org_id())
}

fn print_report(r: &ImportReport) {
    for c in &r.changed {
        println!("published  {c}");
    }
    for c in &r.unchanged {
        println!("unchanged  {c}");
    }
    if r.tracks > 0 {
        println!("{} tracks written", r.tracks);
    }
}

fn spinner(msg: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner().with_message(msg);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// `somu curriculum install --org SLUG`
pub async fn curriculum(store: &Store, cmd: CurriculumCommand) -> Result<()> {
    match cmd {
        CurriculumCommand::Install { org } => {
            let id = org_id(store, &org).await?;
            let bar = spinner(format!("installing the default curriculum in {org}"));
            let report = install_default(store, id, now()).await?;
            bar.finish_and_clear();
            print_report(&report);
            Ok(())
        }
    }
}

/// `somu import course PATH --org SLUG`
pub async fn import_course(store: &Store, path: &str, org: &str) -> Result<()> {
    let id = org_id(store, org).await?;
    let p = Path::new(path);
    let loaded = if p.is_dir() {
        somu_content::load_dir(p)
    } else {
        let bytes = std::fs::read(p).with_context(|| format!("reading {path}"))?;
        somu_content::load_zip(&bytes)
    };
    let package = match loaded {
        Ok(pkg) => pkg,
        Err(errors) => {
            eprintln!("{errors}");
            bail!("{path} refused; nothing was changed");
        }
    };
    let bar = spinner(format!("importing {path}"));
    let report = import_package(store, id, &package, now()).await?;
    bar.finish_and_clear();
    print_report(&report);
    Ok(())
}

/// `somu export course SLUG --org SLUG --out PATH`
pub async fn export(store: &Store, cmd: ExportCommand) -> Result<()> {
    match cmd {
        ExportCommand::Course {
            slug,
            org,
            out,
            version,
        } => {
            let id = org_id(store, &org).await?;
            let v = match version {
                Some(v) => v,
                None => store
                    .course_by_slug(id, &slug)
                    .await?
                    .published_version
                    .ok_or_else(|| anyhow!("{slug} has no published version"))?,
            };
            let row = store.course_version(id, v).await?;
            if row.course_slug != slug {
                bail!("version {v} belongs to {}, not {slug}", row.course_slug);
            }
            let zip = store.version_package(id, v).await?;
            std::fs::write(&out, &zip).with_context(|| format!("writing {out}"))?;
            println!("wrote {out} ({slug} version {v}, {} bytes)", zip.len());
            Ok(())
        }
    }
}

/// `somu bench lessons`: import of the whole default curriculum, then lesson page latency.
pub async fn bench(requests: usize) -> Result<()> {
    let b = crate::bench::setup(100, true).await?;
    let org = b
        .state
        .store
        .org_by_slug(&b.slug)
        .await?
        .context("organisation")?
        .org_id();
    let curriculum = somu_content::default_curriculum();
    let t = Instant::now();
    let loaded = somu_content::try_default_curriculum().map_err(|e| anyhow!("{e}"))?;
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let first = import_package(&b.state.store, org, &Package::Curriculum(loaded), now()).await?;
    let import_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let again = install_default(&b.state.store, org, now()).await?;
    let again_ms = t.elapsed().as_secs_f64() * 1e3;
    let lessons: usize = curriculum
        .courses
        .iter()
        .flat_map(|c| c.modules.iter())
        .map(|m| m.lessons.len())
        .sum();
    println!(
        "default curriculum: {} courses, {lessons} lessons; load+check {load_ms:.1} ms; import {import_ms:.1} ms ({} published); again {again_ms:.1} ms ({} unchanged)",
        curriculum.courses.len(),
        first.changed.len(),
        again.unchanged.len()
    );
    let (base, stop) = crate::bench::serve(b.state.clone()).await?;
    let client = crate::bench::signed_in_client(&base).await?;
    let mut urls = Vec::new();
    for c in &curriculum.courses {
        for m in &c.modules {
            for l in &m.lessons {
                urls.push(format!(
                    "{base}/o/{}/learn/courses/{}/{}/{}",
                    b.slug,
                    c.slug,
                    m.slug,
                    somu_store::learning::lesson_slug(&l.file)
                ));
            }
        }
    }
    anyhow::ensure!(!urls.is_empty(), "no lessons");
    let mut times = Vec::with_capacity(requests);
    for i in 0..requests {
        let url = &urls[i % urls.len()];
        let t = Instant::now();
        let r = client.get(url).send().await?;
        anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "lesson page, {requests} sequential requests over {} lessons (client-side over loopback, an upper bound on server time): p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        urls.len(),
        crate::bench::percentile(&times, 0.5),
        crate::bench::percentile(&times, 0.99),
        crate::bench::percentile(&times, 1.0)
    );
    let _ = stop.send(());
    Ok(())
}
