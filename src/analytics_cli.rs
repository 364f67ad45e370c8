//! `somu report …`, `somu bench generate …` and `somu bench dashboard …`: reports on the command
//! line, a synthetic organisation with a planted training effect written through bulk inserts,
//! and the timings of the leadership dashboard and the estimator.

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use somu_analytics::period::{DateRange, IsoWeek};
use somu_analytics::synthetic::{generate as synth, Synthetic, SyntheticParams};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::NewOrg;
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_store::analytics::bulk::{
    bind_account_weeks, bind_posts, bind_snapshots, BoundRows, BulkAccount, BulkPerson, BulkPost,
};
use somu_store::analytics::AccountWeek;
use somu_store::{BackendKind, Store};
use somu_web::pages::analytics;
use somu_web::pages::analytics::report::{self, ReportOptions};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

/// `somu bench generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Slug of the new organisation.
    #[arg(long)]
    pub org: String,
    /// People.
    #[arg(long, default_value_t = 1000)]
    pub people: u32,
    /// Weeks observed (ending this week).
    #[arg(long, default_value_t = 52)]
    pub weeks: u32,
    /// Planted effect: extra original posts per person per week after training.
    #[arg(long, default_value_t = 1.0)]
    pub effect: f64,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `somu bench dashboard`.
#[derive(Args, Debug)]
pub struct DashboardArgs {
    /// Slug of the organisation to read.
    #[arg(long)]
    pub org: String,
    /// Timed builds of the leadership report.
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
}

/// `somu report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// leadership, training-effect, adoption, kirkpatrick, roi or influence.
    pub name: String,
    /// Organisation slug.
    #[arg(long)]
    pub org: String,
    /// First day, YYYY-MM-DD (default: 52 weeks before --to).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// json, csv or pdf.
    #[arg(long, default_value = "json")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub output: Option<std::path::PathBuf>,
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:40}}] {{pos}}/{{len}}  {{per_sec}}  eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

async fn org_id(store: &Store, slug: &str) -> Result<OrgId> {
    Ok(store
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| anyhow!("--org: no organisation {slug:?}"))?
        .org_id())
}

fn range(from: Option<&str>, to: Option<&str>) -> Result<DateRange> {
    let q = somu_web::pages::analytics::RangeQuery {
        from: from.map(str::to_string),
        to: to.map(str::to_string),
        format: None,
    };
    q.range(time::OffsetDateTime::now_utc().unix_timestamp())
        .map_err(|e| anyhow!("{e}"))
}

/// `somu report NAME --org SLUG …`: writes the report to standard output, progress to stderr.
pub async fn report(store: &Store, a: ReportArgs) -> Result<()> {
    if !report::REPORTS.contains(&a.name.as_str()) {
        bail!(
            "NAME: {:?} is not one of {}",
            a.name,
            report::REPORTS.join(", ")
        );
    }
    if !["json", "csv", "pdf"].contains(&a.format.as_str()) {
        bail!("--format: {:?} is not one of json, csv, pdf", a.format);
    }
    let org = store
        .org_by_slug(&a.org)
        .await?
        .ok_or_else(|| anyhow!("--org: no organisation {:?}", a.org))?;
    let range = range(a.from.as_deref(), a.to.as_deref())?;
    let pb = bar(report::STEPS, "report");
    let rep = report::build(
        store,
        org.org_id(),
        &a.org,
        &a.name,
        range,
        ReportOptions::default(),
        &|s| pb.set_position(s),
    )
    .await?
    .ok_or_else(|| anyhow!("NAME: unknown report"))?;
    pb.finish_and_clear();
    let value = serde_json::to_value(&rep)?;
    let bytes = match a.format.as_str() {
        "csv" => analytics::flatten_csv(&value).map_err(|e| anyhow!("{e}"))?,
        "pdf" => analytics::report_pdf(
            &rep,
            &analytics::PdfMeta {
                tr: &somu_web::i18n::Tr::default(),
                org_name: &org.name,
                now: time::OffsetDateTime::now_utc().unix_timestamp(),
            },
        ),
        _ => format!("{}\n", serde_json::to_string_pretty(&value)?).into_bytes(),
    };
    match &a.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("--output: cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// The synthetic organisation written into the configured database.
pub async fn generate(store: &Store, a: GenerateArgs) -> Result<()> {
    let now = time::OffsetDateTime::now_utc();
    let new = NewOrg::parse(&a.org, &format!("Synthetic {}", a.org))
        .map_err(|e| anyhow!("--org: {e}"))?;
    if store.org_by_slug(&a.org).await?.is_some() {
        bail!(
            "--org: an organisation {:?} exists already; choose a new slug",
            a.org
        );
    }
    let mut params = SyntheticParams::new(&a.org, a.people, a.weeks, a.effect, a.seed);
    let this_week = IsoWeek::of(now);
    params.first_week = this_week
        .offset(1 - i64::from(a.weeks))
        .ok_or_else(|| anyhow!("--weeks: too many"))?;
    let s = synth(params).map_err(|e| anyhow!("{e}"))?;
    let started = Instant::now();
    // One connection writes everything (its own page cache and prepared statements, given back
    // at the end); posts arrive person by person, so every index it keeps grows at its end and
    // 256 MB of cache is plenty (2 GB was no faster).
    let single = store.single_connection(Some(256)).await?;
    let (pool, store) = (store, &single);
    let org = store.create_org(&new).await?.org_id();
    let t = now.unix_timestamp();
    let people: Vec<BulkPerson> = s
        .people
        .iter()
        .map(|p| BulkPerson {
            id: i64::from(p.index) + 1,
            email: format!("p{:06}@{}.example", p.index, a.org),
            name: format!("Person {:06}", p.index),
            audience: p.audience.to_string(),
        })
        .collect();
    store.bulk_people(org, &people, t).await?;
    let accounts: Vec<BulkAccount> = s
        .people
        .iter()
        .map(|p| BulkAccount {
            id: i64::from(p.index) + 1,
            platform: "mastodon".into(),
            handle: p.handle.clone(),
            person_id: Some(i64::from(p.index) + 1),
        })
        .collect();
    store.bulk_accounts(org, &accounts, t).await?;
    write_statements(store, org, &s).await?;
    let posts = write_activity(pool, store, org, Arc::new(s)).await?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "organisation {}: {} people, {} weeks, {posts} posts, planted effect {} in {secs:.1} s ({:.0} posts/s)",
        a.org,
        a.people,
        a.weeks,
        a.effect,
        posts as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn week_start(s: &Synthetic, w: i64) -> i64 {
    s.params
        .first_week
        .offset(w)
        .unwrap_or(s.params.first_week)
        .bounds()
        .0
        .unix_timestamp()
}

async fn write_statements(store: &Store, org: OrgId, s: &Synthetic) -> Result<()> {
    let weeks = i64::from(s.params.weeks);
    let mut batch = Vec::new();
    for p in &s.people {
        let Some(c) = p.completion.filter(|c| *c < weeks) else {
            continue;
        };
        let person = PersonId(i64::from(p.index) + 1);
        let done = week_start(s, c) + 2 * 86_400 + 12 * 3600;
        let stmt = |verb, kind, key: String, at, outcome| NewStatement {
            person,
            verb,
            kind,
            key: key.clone(),
            name: key,
            parent: None,
            registration: None,
            outcome,
            at,
        };
        let score = |x: f64| Outcome {
            scaled: Some(x),
            ..Default::default()
        };
        // A pre-test two weeks before, six hours of lessons, the post-test and the completion.
        let pre = 0.35 + f64::from(p.index % 30) / 100.0;
        batch.push(stmt(
            Verb::Attempted,
            ActivityKind::Test,
            format!("{}/pre", p.audience),
            done - 14 * 86_400,
            score(pre),
        ));
        batch.push(stmt(
            Verb::Experienced,
            ActivityKind::Lesson,
            format!("{}/intro/lesson", p.audience),
            done - 86_400,
            Outcome {
                duration_ms: Some(6 * 3_600_000),
                ..Default::default()
            },
        ));
        batch.push(stmt(
            Verb::Attempted,
            ActivityKind::Test,
            format!("{}/post", p.audience),
            done - 3600,
            score((pre + 0.25).min(1.0)),
        ));
        batch.push(stmt(
            Verb::Completed,
            ActivityKind::Track,
            p.audience.to_string(),
            done,
            Outcome::default(),
        ));
        if batch.len() >= 4000 {
            store.record_statements(org, &batch).await?;
            batch.clear();
        }
    }
    store.record_statements(org, &batch).await?;
    Ok(())
}

/// One batch of the load, generated and bound on its own thread while the database writes the
/// previous one.
#[derive(Default)]
struct LoadBatch {
    posts: Vec<BulkPost>,
    snapshots: Vec<(i64, i64, i64)>,
    weeks: Vec<AccountWeek>,
}

/// A batch bound to its statements, and how many person-weeks it holds.
struct BoundBatch {
    rows: [BoundRows; 3],
    person_weeks: u64,
}

impl LoadBatch {
    fn bind(self, kind: BackendKind, org: OrgId) -> somu_store::Result<BoundBatch> {
        Ok(BoundBatch {
            rows: [
                bind_posts(kind, org, &self.posts)?,
                bind_snapshots(kind, org, &self.snapshots)?,
                bind_account_weeks(kind, org, &self.weeks)?,
            ],
            person_weeks: self.weeks.len() as u64,
        })
    }
}

/// Posts, follower snapshots (one per person-week, at the week's last second) and the roll-ups
/// computed from the same generated weeks, one transaction per batch, person by person so that
/// the tables grow at their end. Returns the number of posts.
async fn write_activity(pool: &Store, store: &Store, org: OrgId, s: Arc<Synthetic>) -> Result<u64> {
    const BATCH: usize = 20_000;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<somu_store::Result<BoundBatch>>(2);
    let kind = store.kind();
    let pb = bar(
        u64::from(s.params.people) * u64::from(s.params.weeks),
        "person-weeks",
    );
    let gen = Arc::clone(&s);
    let producer = tokio::task::spawn_blocking(move || {
        let s = &*gen;
        let mut n = 0i64;
        let mut batch = LoadBatch::default();
        let k = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        for (pw, mut posts) in s.person_weeks_with_posts() {
            let account = i64::from(pw.person) + 1;
            posts.sort_by_key(|p| p.post.created_at);
            for sp in posts {
                n += 1;
                let p = &sp.post;
                let c = p.counts;
                batch.posts.push(BulkPost {
                    id: n,
                    account_id: account,
                    person_id: Some(account),
                    created_at: p.created_at.unix_timestamp(),
                    kind: if p.is_original { "original" } else { "reply" },
                    counts: [
                        k(c.likes),
                        k(c.reposts),
                        k(c.replies),
                        k(c.quotes),
                        k(c.clicks),
                        k(c.saves),
                    ],
                    impressions: p.impressions.map(k),
                    followers: k(p.followers),
                    sentiment: p.own_sentiment,
                    response_sentiment: p.response_sentiment,
                });
            }
            let ws = week_start(s, i64::from(pw.week));
            let at = ws + 7 * 86_400 - 1;
            batch.snapshots.push((account, at, k(pw.followers)));
            batch.weeks.push(AccountWeek {
                account_id: account,
                week_start: ws,
                person_id: Some(account),
                brand: false,
                totals: pw.totals,
                snapshot: Some((at, pw.followers)),
            });
            if batch.posts.len() >= BATCH
                && tx
                    .blocking_send(std::mem::take(&mut batch).bind(kind, org))
                    .is_err()
            {
                return n;
            }
        }
        let _ = tx.blocking_send(batch.bind(kind, org));
        n
    });
    let t = Instant::now();
    let _checkpoints = pool.background_checkpoints();
    let mut load = store.bulk_load(org).await?;
    let mut written = async {
        while let Some(batch) = rx.recv().await {
            let BoundBatch { rows, person_weeks } = batch?;
            load.write(rows).await?;
            pb.inc(person_weeks);
        }
        Ok::<_, somu_store::StoreError>(())
    }
    .await;
    pb.finish_and_clear();
    let rows_at = t.elapsed();
    if written.is_ok() {
        // The deferred indexes are built from one sort each: a spinner, as SQLite reports no
        // progress.
        let spin = ProgressBar::new_spinner().with_message("building the post time indexes");
        spin.enable_steady_tick(std::time::Duration::from_millis(120));
        written = load.finish().await;
        spin.finish_and_clear();
    } else {
        load.abandon().await?;
    }
    if let Err(e) = written {
        bail!("the load stopped ({e}); the organisation {org:?} is only partly written: remove it or generate another");
    }
    println!(
        "  rows written in {:.1} s, time indexes built in {:.1} s",
        rows_at.as_secs_f64(),
        (t.elapsed() - rows_at).as_secs_f64(),
    );
    let n = producer
        .await
        .map_err(|e| anyhow!("the generator stopped: {e}"))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Time the leadership report (p50/p95 over `runs`) and one training-effect estimate.
pub async fn dashboard(store: &Store, a: DashboardArgs) -> Result<()> {
    let org = org_id(store, &a.org).await?;
    let range = range(None, None)?;
    let mut times = Vec::new();
    for _ in 0..a.runs.max(2) {
        let t = Instant::now();
        report::build(
            store,
            org,
            &a.org,
            "leadership",
            range,
            ReportOptions::default(),
            &|_| {},
        )
        .await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    // The first build reads every roll-up and runs the bootstrap; later ones read the stored
    // report (same sources, same period) after a few indexed reads.
    let cold = times.remove(0);
    times.sort_by(f64::total_cmp);
    let pct = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "leadership report: first build {cold:.0} ms (roll-ups read, panel built, 1000 bootstrap resamples); then {} runs from the stored report: p50 {:.1} ms, p95 {:.1} ms",
        times.len(),
        pct(0.5),
        pct(0.95)
    );
    let t = Instant::now();
    let rep = report::build(
        store,
        org,
        &a.org,
        "training-effect",
        range,
        ReportOptions::default(),
        &|_| {},
    )
    .await?
    .ok_or_else(|| anyhow!("no report"))?;
    println!(
        "training-effect report (first build: roll-ups read, panel built, 1000 resamples): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    if let Some(e) = rep.training_effect {
        for o in e.outcomes {
            println!("  {}", o.sentence);
        }
    }
    Ok(())
}
