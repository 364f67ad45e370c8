//! `somu bench progress`: an organisation of N people with M learning statements, built with
//! bulk inserts in a temporary SQLite database; times the projector's catch-up, the learner
//! home's data (plan + notifications) and the programme owner's report (funnel by audience,
//! team and course, overdue list).

use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::NewOrg;
use somu_domain::progress::{AssignKind, AssignmentInput, DueRule, ScopeKind};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::{Backend, Store, StoreOptions};
use std::time::{Duration, Instant};

const AUDIENCES: [&str; 5] = [
    "leadership",
    "management",
    "practitioner",
    "infrastructure",
    "observer",
];
const MODULES: usize = 3;
const LESSONS: usize = 3;

fn course_slugs(audience: &str) -> Vec<String> {
    let mut v = vec!["orientation".to_string()];
    v.extend((1..=5).map(|i| format!("{audience}-{i}")));
    v
}

async fn exec(store: &Store, sql: &str) -> Result<()> {
    match &store.backend {
        Backend::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
        Backend::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
    }
    Ok(())
}

async fn catalogue(store: &Store, org: OrgId) -> Result<()> {
    let mut all: Vec<String> = vec![];
    for a in AUDIENCES {
        for c in course_slugs(a) {
            if !all.contains(&c) {
                all.push(c);
            }
        }
        store
            .put_track(
                org,
                &TrackEntry {
                    id: 0,
                    slug: a.into(),
                    audience: a.into(),
                    title: format!("{a} track"),
                    summary: String::new(),
                    pass_mark: 70,
                    courses: course_slugs(a),
                    updated_at: 0,
                },
            )
            .await?;
    }
    for slug in all {
        store
            .put_course(
                org,
                &CourseEntry {
                    id: 0,
                    title: format!("Course {slug}"),
                    slug,
                    summary: String::new(),
                    audiences: String::new(),
                    level: "introductory".into(),
                    estimated_minutes: 60,
                    modules: MODULES as i64,
                    lessons: (MODULES * LESSONS) as i64,
                    published_version: Some(1),
                    updated_at: 0,
                },
            )
            .await?;
    }
    Ok(())
}

/// Statements of one person, in the order a learner makes them, until `budget` runs out.
fn person_statements(p: usize, audience: &str, budget: usize, out: &mut Vec<String>, id: &mut i64) {
    let base = 1_700_000_000 + (p as i64 % 365) * 86_400;
    let mut at = base;
    let mut push = |out: &mut Vec<String>,
                    verb: &str,
                    kind: &str,
                    key: &str,
                    score: &str,
                    dur: &str,
                    at: i64| {
        *id += 1;
        out.push(format!(
            "(1,{id},'b{id}',{pid},'{verb}','{kind}','{key}','{key}',{score},{dur},{at},{at})",
            pid = p + 1
        ));
    };
    let start = out.len();
    push(
        out,
        "failed",
        "test",
        &format!("{audience}/pre"),
        "0.4",
        "NULL",
        at,
    );
    'courses: for c in course_slugs(audience) {
        for m in 0..MODULES {
            for l in 0..LESSONS {
                if out.len() - start + 2 > budget {
                    break 'courses;
                }
                let key = format!("{c}/m{m}/l{l}");
                at += 600;
                push(out, "launched", "lesson", &key, "NULL", "NULL", at);
                push(
                    out,
                    "experienced",
                    "lesson",
                    &key,
                    "NULL",
                    "300000",
                    at + 300,
                );
            }
            if out.len() - start + 1 > budget {
                break 'courses;
            }
            push(
                out,
                "passed",
                "quiz",
                &format!("{c}/m{m}"),
                "0.85",
                "NULL",
                at + 400,
            );
        }
        if out.len() - start + 1 > budget {
            break;
        }
        push(out, "completed", "course", &c, "NULL", "NULL", at + 500);
    }
    if out.len() - start < budget {
        push(
            out,
            "passed",
            "test",
            &format!("{audience}/post"),
            "0.8",
            "NULL",
            at + 900,
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let pick = |p: f64| ms(times[((times.len() - 1) as f64 * p).round() as usize]);
    println!(
        "  {label:<40} p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms  ({} runs)",
        pick(0.5),
        pick(0.95),
        pick(0.99),
        times.len()
    );
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:40}}] {{human_pos}}/{{human_len}}  {{per_sec}}  eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// Build the organisation and measure.
pub async fn run(people: usize, statements: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&StoreOptions {
        url,
        max_connections: 4,
    })
    .await?;
    store.migrate().await?;
    let org = store
        .create_org(&NewOrg::parse("bench", "Bench Corp").map_err(|e| anyhow!("{e}"))?)
        .await?
        .org_id();
    anyhow::ensure!(org.0 == 1, "fresh database expected");
    let t = Instant::now();
    for chunk in (0..people).collect::<Vec<_>>().chunks(2000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                let manager = if *i < 500 { "NULL".to_string() } else { (i % 500 + 1).to_string() };
                format!(
                    "(1,{id},'p{id}@bench.example','Person {id}','{aud}',{manager},'employee','en','2024-01-01','p{id}',0,0)",
                    id = i + 1,
                    aud = AUDIENCES[i % 5]
                )
            })
            .collect();
        exec(
            &store,
            &format!(
                "INSERT INTO person (org_id, id, email, name, audience, manager_id, employment_type, \
                 language, start_date, search, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        )
        .await?;
    }
    catalogue(&store, org).await?;
    let assign = |kind, target: &str, scope, value: &str, due| AssignmentInput {
        kind,
        target: target.into(),
        scope,
        scope_value: value.into(),
        people: vec![],
        mandatory: true,
        due,
    };
    store
        .create_assignment(
            org,
            &assign(
                AssignKind::Course,
                "orientation",
                ScopeKind::Everyone,
                "",
                DueRule::AfterStart(30),
            ),
            &[],
            "bench",
            1_700_000_000,
        )
        .await?;
    for a in AUDIENCES {
        store
            .create_assignment(
                org,
                &assign(AssignKind::Track, a, ScopeKind::Audience, a, DueRule::None),
                &[],
                "bench",
                1_700_000_000,
            )
            .await?;
    }
    println!(
        "{people} people, catalogue and 6 assignments: {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Statements: people progress unevenly, from none to the whole track.
    let t = Instant::now();
    let full = 1 + 6 * (MODULES * (2 * LESSONS + 1) + 1) + 1;
    let per_person = (statements / people.max(1)).max(1);
    let mut id = 0i64;
    let mut batch = Vec::new();
    let mut made = 0usize;
    let progress = bar(statements as u64, "statements");
    for p in 0..people {
        if made >= statements {
            break;
        }
        // A third have not started; the rest get between half and twice the average.
        let budget = if p % 3 == 0 {
            0
        } else {
            (per_person * (1 + p % 4) * 3 / 4)
                .min(full)
                .min(statements - made)
        };
        let before = batch.len();
        person_statements(p, AUDIENCES[p % 5], budget, &mut batch, &mut id);
        made += batch.len() - before;
        if batch.len() >= TX_ROWS {
            insert_statements(&store, &batch).await?;
            progress.inc(batch.len() as u64);
            batch.clear();
        }
    }
    insert_statements(&store, &batch).await?;
    progress.finish_and_clear();
    println!(
        "{made} statements inserted in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    println!("projector catch-up (progress, then every person's standing)…");
    let t = Instant::now();
    let folded = store.project_progress(org).await?;
    println!(
        "projector catch-up: {folded} statements in {:.1} s ({:.0}/s)",
        t.elapsed().as_secs_f64(),
        folded as f64 / t.elapsed().as_secs_f64().max(1e-9)
    );
    exec(&store, "ANALYZE").await?;

    let today = time::OffsetDateTime::now_utc().date();
    println!("server-side timings (store calls the pages make, no HTTP):");
    let mut home = Vec::new();
    for i in 0..500 {
        let who = PersonId((i * 197 % people.max(1)) as i64 + 1);
        let t = Instant::now();
        store.project_progress(org).await?;
        store.learner_plan(org, who, today).await?;
        store.notifications(org, who, 20).await?;
        home.push(t.elapsed());
    }
    report("learner home (plan + notifications)", home);
    let mut programme = Vec::new();
    let mut overdue_n = 0;
    for _ in 0..20 {
        let t = Instant::now();
        store.project_progress(org).await?;
        let r = store.programme_report(org).await?;
        overdue_n = store.overdue(org, today, 201).await?.len();
        programme.push(t.elapsed());
        std::hint::black_box(r);
    }
    report("programme owner view (report + overdue)", programme);
    println!("  (overdue rows shown: {overdue_n})");
    // Changes arrive: a thousand people move audience (the trigger marks them); the next view
    // recomputes their standing first.
    let changed = people.min(1000);
    exec(
        &store,
        &format!(
            "UPDATE person SET audience = 'observer' WHERE org_id = 1 AND id <= {changed} \
             AND audience <> 'observer'"
        ),
    )
    .await?;
    let t = Instant::now();
    let recomputed = store.refresh_progress_status(org).await?;
    std::hint::black_box(store.programme_report(org).await?);
    std::hint::black_box(store.overdue(org, today, 201).await?);
    println!(
        "  after {changed} people change audience: {recomputed} recomputed and the view shown in {:.1} ms",
        ms(t.elapsed())
    );
    Ok(())
}

/// Statements written per transaction (as multi-row INSERTs of [`ROWS_PER_INSERT`]).
const TX_ROWS: usize = 100_000;
const ROWS_PER_INSERT: usize = 1000;

async fn insert_statements(store: &Store, rows: &[String]) -> Result<()> {
    let sqls: Vec<String> = rows
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            format!(
                "INSERT INTO statement (org_id, id, uuid, person_id, verb, kind, key, name, \
                 score_scaled, duration_ms, at, stored) VALUES {}",
                chunk.join(",")
            )
        })
        .collect();
    match &store.backend {
        Backend::Sqlite(p) => {
            let mut tx = p.begin().await?;
            for sql in &sqls {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Backend::Postgres(p) => {
            let mut tx = p.begin().await?;
            for sql in &sqls {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}
