//! `somu bench …`: the performance figures the issues ask for, measured on this machine.
//! Benchmarks report; they never fail on timing.

use anyhow::{anyhow, Context, Result};
use clap::Subcommand;
use somu_domain::org::{parse_people_csv, AppRole, NewOrg};
use somu_store::{Store, StoreOptions};
use somu_web::config::{Config, Secret};
use somu_web::AppState;
use std::time::{Duration, Instant};

/// What to measure.
#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Import a generated HR CSV of N people (twice: the second run must change nothing),
    /// then time filtered people-list pages over HTTP.
    People {
        /// People in the organisation.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Requests per filter for the latency figures.
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Classes: a session roster and a person's calendar feed (see `src/classes_bench.rs`).
    Classes {
        /// Sessions in the organisation.
        #[arg(long, default_value_t = 500)]
        sessions: usize,
        /// People on the measured session's roster.
        #[arg(long, default_value_t = 200)]
        roster: usize,
        /// Requests per page for the latency figures.
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Authenticated page views per second against a local server, bounded in time.
    Http {
        /// People in the organisation behind the page.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Seconds of load.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// The page to load (`{org}` is replaced by the organisation's slug).
        #[arg(long, default_value = "/o/{org}")]
        path: String,
    },
    /// Issue N credentials in one batch (signing included), then time the public
    /// verification page and the status list.
    Credentials {
        /// Credentials in the batch.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// Requests per page for the latency figures.
        #[arg(long, default_value_t = 300)]
        requests: usize,
    },
    /// Write a synthetic organisation with staggered training cohorts and a planted training
    /// effect into the configured database (people, statements, accounts, posts, snapshots).
    Generate(crate::analytics_cli::GenerateArgs),
    /// Time the leadership report and the training-effect estimate of an organisation.
    Dashboard(crate::analytics_cli::DashboardArgs),
    /// Install the default curriculum (timed), then time lesson pages over HTTP.
    Lessons {
        /// Requests for the latency figures.
        #[arg(long, default_value_t = 500)]
        requests: usize,
    },
    /// Progress at scale: the projector, the learner home and the programme owner's view over
    /// an organisation of N people and M learning statements (built with bulk inserts).
    Progress {
        /// People in the organisation.
        #[arg(long, default_value_t = 100_000)]
        people: usize,
        /// Learning statements.
        #[arg(long, default_value_t = 10_000_000)]
        statements: usize,
    },
    /// Generate a generic JSONL export of N posts and import it twice into a fresh SQLite
    /// database (posts/s, peak memory; the second run must change nothing).
    SocialImport {
        /// Posts in the generated file.
        #[arg(long, default_value_t = 1_000_000)]
        posts: usize,
        /// People in the organisation (each with four linked accounts).
        #[arg(long, default_value_t = 500)]
        people: usize,
        /// Imports of the same file.
        #[arg(long, default_value_t = 2)]
        runs: usize,
    },
}

const PASSWORD: &str = "benchmark password";

/// A generated HR export: `n` people in 50 teams, managed by the first 500.
pub fn people_csv(n: usize) -> String {
    const AUDIENCES: [&str; 5] = [
        "leadership",
        "management",
        "practitioner",
        "infrastructure",
        "observer",
    ];
    const TYPES: [&str; 4] = ["employee", "part-time", "contractor", "partner"];
    const NAMES: [&str; 12] = [
        "Smith", "Jansen", "Dubois", "Okafor", "Rossi", "Novak", "Lima", "Haddad", "Nilsson",
        "Peeters", "Costa", "Meyer",
    ];
    let mut s = String::with_capacity(n * 110);
    s.push_str("employee_id,email,name,audience,team,manager,employment_type,language,job_title,start_date\n");
    for i in 0..n {
        let manager = if i < 500 {
            String::new()
        } else {
            format!("E{:06}", i % 500)
        };
        let audience = if i < 500 {
            "management"
        } else {
            AUDIENCES[(i * 7) % 5]
        };
        s.push_str(&format!(
            "E{i:06},person{i}@bench.example,Person {i} {},{audience},Team {:02},{manager},{},en,Specialist,2024-{:02}-{:02}\n",
            NAMES[i % NAMES.len()],
            i % 50,
            TYPES[(i * 3) % 4],
            1 + i % 12,
            1 + i % 28
        ));
    }
    s
}

pub(crate) struct Bench {
    pub(crate) state: AppState,
    pub(crate) slug: String,
    _dir: tempfile::TempDir,
}

pub(crate) async fn setup(people: usize, quiet: bool) -> Result<Bench> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&StoreOptions {
        url: url.clone(),
        max_connections: 8,
    })
    .await?;
    store.migrate().await?;
    let config = Config {
        database_url: Secret(url),
        ..Config::default()
    };
    let state = AppState::new(store, config);
    let org = state
        .store
        .create_org(&NewOrg::parse("bench", "Bench Corp").map_err(|e| anyhow!("{e}"))?)
        .await?;
    let csv = people_csv(people);
    let t = Instant::now();
    let file = parse_people_csv(csv.as_bytes(), None, &|_| false).map_err(|e| anyhow!("{e}"))?;
    let parsed = t.elapsed();
    let summary = state
        .store
        .import_people(org.org_id(), &file.rows, &|_, _| {})
        .await?;
    let total = t.elapsed();
    if !quiet {
        println!(
            "import of {people} people from CSV ({:.1} MB)",
            csv.len() as f64 / 1e6
        );
        println!(
            "  first run:  {:>8.0} ms (parse and validate {:.0} ms)  {summary:?}",
            total.as_secs_f64() * 1e3,
            parsed.as_secs_f64() * 1e3
        );
        let t = Instant::now();
        let file = parse_people_csv(csv.as_bytes(), None, &|_| true).map_err(|e| anyhow!("{e}"))?;
        let again = state
            .store
            .import_people(org.org_id(), &file.rows, &|_, _| {})
            .await?;
        println!(
            "  second run: {:>8.0} ms  {again:?}",
            t.elapsed().as_secs_f64() * 1e3
        );
    }
    // The signed-in admin: the first imported person.
    let hash = somu_web::auth::hash_password(PASSWORD).map_err(|e| anyhow!("{e}"))?;
    let admin = state
        .store
        .person_by_email(org.org_id(), "person0@bench.example")
        .await?
        .context("admin")?;
    let account = state
        .store
        .create_account(&admin.email, &admin.name, Some(&hash), false)
        .await?;
    let pid = somu_domain::ids::PersonId(admin.id);
    state.store.link_account(org.org_id(), pid, account).await?;
    state
        .store
        .set_roles(org.org_id(), pid, &[AppRole::OrgAdmin, AppRole::Learner])
        .await?;
    Ok(Bench {
        state,
        slug: org.slug,
        _dir: dir,
    })
}

pub(crate) async fn serve(state: AppState) -> Result<(String, tokio::sync::oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = somu_web::serve(listener, state, async move {
            let _ = rx.await;
        })
        .await;
    });
    Ok((base, tx))
}

pub(crate) async fn signed_in_client(base: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .build()?;
    let html = client
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).context("csrf field")? + marker.len();
    let token = &html[start..start + 48];
    let resp = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("csrf", token),
            ("email", "person0@bench.example"),
            ("password", PASSWORD),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        resp.status().as_u16() == 303,
        "sign-in failed: {}",
        resp.status()
    );
    Ok(client)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run a benchmark.
pub async fn run(cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Credentials { count, requests } => {
            crate::credentials_bench::run(count, requests).await
        }
        // These write into the configured database; `cli.rs` runs them with it.
        BenchCommand::Generate(_) | BenchCommand::Dashboard(_) => Err(anyhow!(
            "run through `somu bench` with a configured database"
        )),
        BenchCommand::Lessons { requests } => crate::learning_cli::bench(requests).await,
        BenchCommand::Progress { people, statements } => {
            crate::progress_bench::run(people, statements).await
        }
        BenchCommand::SocialImport {
            posts,
            people,
            runs,
        } => crate::social_bench::run(posts, people, runs).await,
        BenchCommand::People { people, requests } => {
            let bench = setup(people, false).await?;
            let (base, stop) = serve(bench.state.clone()).await?;
            let client = signed_in_client(&base).await?;
            let org = &bench.slug;
            println!("people list, page of 50, {requests} sequential requests each (client-side over loopback, so an upper bound on server time):");
            for filter in [
                "",
                "audience=practitioner",
                "team=7",
                "audience=observer&employment_type=partner",
                "q=smith",
                "q=person4242",
                "audience=infrastructure&page=20",
            ] {
                let url = format!("{base}/o/{org}/people?{filter}");
                let mut times = Vec::with_capacity(requests);
                for _ in 0..requests {
                    let t = Instant::now();
                    let r = client.get(&url).send().await?;
                    anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
                    r.bytes().await?;
                    times.push(t.elapsed());
                }
                times.sort();
                println!(
                    "  {:<44} p50 {:>6.2} ms  p99 {:>6.2} ms",
                    if filter.is_empty() {
                        "(no filter)"
                    } else {
                        filter
                    },
                    percentile(&times, 0.5),
                    percentile(&times, 0.99)
                );
            }
            let _ = stop.send(());
            Ok(())
        }
        BenchCommand::Classes {
            sessions,
            roster,
            requests,
        } => crate::classes_bench::run(sessions, roster, requests).await,
        BenchCommand::Http {
            people,
            seconds,
            concurrency,
            path,
        } => {
            let bench = setup(people, true).await?;
            let (base, stop) = serve(bench.state.clone()).await?;
            let client = signed_in_client(&base).await?;
            let url = format!("{base}{}", path.replace("{org}", &bench.slug));
            let r = client.get(&url).send().await?;
            anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
            let deadline = Instant::now() + Duration::from_secs(seconds.clamp(1, 120));
            let started = Instant::now();
            let workers = (0..concurrency.clamp(1, 512)).map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let (mut ok, mut failed) = (0u64, 0u64);
                    while Instant::now() < deadline {
                        match client.get(&url).send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                ok += 1;
                            }
                            _ => failed += 1,
                        }
                    }
                    (ok, failed)
                })
            });
            let mut ok = 0;
            let mut failed = 0;
            for w in futures::future::join_all(workers).await {
                let (o, f) = w?;
                ok += o;
                failed += f;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{url}: {ok} authenticated page views in {secs:.1} s = {:.0} requests/s ({failed} failed), {concurrency} in flight, load generator in the same process",
                ok as f64 / secs
            );
            if let Some(mb) = rss_mb() {
                println!("resident memory of this process (server and load generator): {mb:.0} MB");
            }
            let _ = stop.send(());
            Ok(())
        }
    }
}
