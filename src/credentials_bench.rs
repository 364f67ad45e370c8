//! `somu bench credentials`: issue N Open Badges credentials in one batch (building, signing
//! with eddsa-rdfc-2022 on every core, storing in one transaction), then time the public
//! verification page and the status list over loopback.

use crate::bench::{percentile, serve, setup};
use anyhow::{anyhow, Result};
use somu_domain::ids::PersonId;
use somu_web::pages::credentials::{install_programmes, service};
use std::time::Instant;

/// Run the benchmark.
pub async fn run(count: usize, requests: usize) -> Result<()> {
    let bench = setup(count, true).await?;
    let state = &bench.state;
    let org = state
        .store
        .org_by_slug(&bench.slug)
        .await?
        .ok_or_else(|| anyhow!("bench organisation missing"))?
        .org_id();
    install_programmes(state, org)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let programme = state
        .store
        .programme_by_slug(org, "social-media-manager")
        .await?
        .ok_or_else(|| anyhow!("programme missing"))?;
    // The issuer key exists before timing starts (it is created once per organisation).
    service::issuer(state, org)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let people = state.store.people_brief(org).await?;
    let emails: Vec<String> = (0..people.len())
        .map(|i| format!("person{i}@bench.example"))
        .collect();
    let awards: Vec<service::Award> = people
        .iter()
        .zip(&emails)
        .take(count)
        .map(|((id, _), email)| service::Award {
            person: PersonId(*id),
            email: email.clone(),
            evidence: vec![(
                "Capstone project: a social plan for a regional retailer".into(),
                "Graded 80% against the programme rubric.".into(),
            )],
            replaces: None,
        })
        .collect();
    let n = awards.len();
    let t = Instant::now();
    let uuids = service::issue(state, org, &programme, &awards, false)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let took = t.elapsed().as_secs_f64();
    println!(
        "issued {n} credentials in one batch (build + eddsa-rdfc-2022 signing + one transaction) in {took:.2} s = {:.0} credentials/s on {} cores",
        n as f64 / took,
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    );

    let (base, stop) = serve(state.clone()).await?;
    let client = reqwest::Client::new();
    let key = state.store.issuer_keys(org).await?.len();
    let pages = [
        (
            "verification page",
            format!("{base}/credentials/{}", uuids[n / 2]),
        ),
        (
            "status list",
            format!("{base}/o/{}/credentials/status/{key}", bench.slug),
        ),
    ];
    println!("{requests} sequential requests each over loopback (an upper bound on server time):");
    for (name, url) in pages {
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests.max(1) {
            let t = Instant::now();
            let r = client.get(&url).send().await?;
            anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
            r.bytes().await?;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "  {name:<20} p50 {:>6.2} ms  p99 {:>6.2} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    let _ = stop.send(());
    Ok(())
}
