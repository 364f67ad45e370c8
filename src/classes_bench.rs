//! `somu bench classes`: how fast a session's roster, a session page and a person's calendar feed
//! render, over HTTP on loopback, with many sessions and a full roster.

use crate::bench::{percentile, serve, setup, signed_in_client};
use anyhow::Result;
use somu_domain::classes::{Attendance, SessionInput, Visibility};
use somu_domain::ids::PersonId;
use std::time::Instant;

/// Fill an organisation with `sessions` sessions (the signed-in person registered for a fifth of
/// them), put `roster` people on one, then time the pages.
pub async fn run(sessions: usize, roster: usize, requests: usize) -> Result<()> {
    let bench = setup(roster.max(10) + 10, true).await?;
    let store = &bench.state.store;
    let org = store
        .org_by_slug(&bench.slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("bench org"))?
        .org_id();
    let now = bench.state.clock.now();
    let me = PersonId(1);
    let t = Instant::now();
    let mut measured = 0;
    for i in 0..sessions.max(1) {
        let start = now + 86_400 * (i as i64 % 300 + 1) + 3600 * (i as i64 % 7);
        let input = SessionInput {
            title: format!("Session {i}: answering customers in public"),
            course: None,
            description: "Practice with real examples; bring your phone.".into(),
            time_zone: ["Europe/Oslo", "America/New_York", "Asia/Kolkata"][i % 3].into(),
            start_at: start,
            end_at: start + 3 * 3600,
            place: Some("Room 4".into()),
            online_url: None,
            capacity: roster as i64 + 10,
            instructor: Some(me),
            visibility: Visibility::InCompany,
        };
        let id = store.create_class_session(org, &input, now).await?;
        if i == 0 {
            measured = id;
            for p in 1..=roster as i64 {
                store.register(org, id, PersonId(p), now).await?;
            }
            let marks: Vec<_> = (1..=roster as i64 / 2)
                .map(|p| (PersonId(p), Attendance::Present))
                .collect();
            store.set_attendance(org, id, &marks, now, now).await?;
        } else if i % 5 == 0 {
            store.register(org, id, me, now).await?;
        }
    }
    println!(
        "set-up: {sessions} sessions, {roster} on one roster, in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let token = store.renew_feed_token(org, me, now).await?;
    let (base, stop) = serve(bench.state.clone()).await?;
    let client = signed_in_client(&base).await?;
    let slug = &bench.slug;
    println!("{requests} sequential requests each (client-side over loopback, so an upper bound on server time):");
    for (label, path) in [
        (
            "roster (attendance page)",
            format!("/o/{slug}/classes/{measured}/attendance"),
        ),
        (
            "session page with roster",
            format!("/o/{slug}/classes/{measured}"),
        ),
        ("session .ics", format!("/o/{slug}/classes/{measured}.ics")),
        ("person's feed (.ics)", format!("/ical/{token}.ics")),
        ("upcoming sessions list", format!("/o/{slug}/classes")),
    ] {
        let url = format!("{base}{path}");
        let mut times = Vec::with_capacity(requests);
        let mut bytes = 0;
        for _ in 0..requests.max(1) {
            let t = Instant::now();
            let r = client.get(&url).send().await?;
            anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
            bytes = r.bytes().await?.len();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "  {label:<28} p50 {:>6.2} ms  p99 {:>6.2} ms  ({:.0} kB)",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            bytes as f64 / 1e3
        );
    }
    let _ = stop.send(());
    Ok(())
}
