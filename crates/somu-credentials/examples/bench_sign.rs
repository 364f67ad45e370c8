//! Benchmark: issue (build + sign) 10,000 Open Badges 3.0 credentials.
//!
//! `cargo run --release -p somu-credentials --example bench_sign [count]`
//!
//! Target (PRODUCT performance budget): 10,000 signed credentials in under 5 s on 2 cores.
//! Prints the wall time of the batch (`sign_many`, all cores) and, for reference, the
//! single-thread cost of one `sign` call. It never fails on timing.

use std::time::Instant;

use somu_credentials::keys::did_key_verification_method;
use somu_credentials::ob3::{Achievement, Evidence, IssuerProfile, Recipient};
use somu_credentials::{
    did_key_from_public, sign, sign_many, sign_open_badges, verify, Keypair, OpenBadgeCredential,
    StatusEntry, StatusPurpose,
};

fn credential(i: usize, issuer: &str) -> OpenBadgeCredential {
    OpenBadgeCredential {
        id: format!("urn:uuid:00000000-0000-4000-8000-{i:012}"),
        name: "Social Media Manager".into(),
        issuer: IssuerProfile {
            id: issuer.into(),
            name: "Somu Bench Academy".into(),
            url: Some("https://academy.example".into()),
            email: None,
        },
        valid_from: "2026-03-02T09:14:00Z".into(),
        valid_until: Some("2028-03-02T09:14:00Z".into()),
        recipient: Recipient::HashedEmail {
            email: format!("learner{i}@example.com"),
            salt: format!("salt{i}"),
        },
        achievement: Achievement {
            id: "https://academy.example/programmes/smm".into(),
            name: "Social Media Manager".into(),
            description: "Plans and runs an organisation's social media presence.".into(),
            criteria_narrative: "Three weeks of classes, an exam, attendance, a capstone.".into(),
            achievement_type: Some("Certificate".into()),
            image: None,
        },
        evidence: vec![Evidence {
            id: None,
            name: "Capstone project".into(),
            narrative: Some(format!("Graded {}/100.", 60 + i % 40)),
        }],
        status: Some(StatusEntry {
            list_credential: "https://academy.example/status/1".into(),
            index: i,
            purpose: StatusPurpose::Revocation,
        }),
    }
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let key = Keypair::from_seed(&[9; 32]);
    let did = did_key_from_public(&key.verifying_key());
    let method = did_key_verification_method(&key.verifying_key());
    let created = "2026-03-02T09:15:00Z";

    // Warm the context cache so the figures are steady-state issuing.
    let warm = sign(credential(0, &did).to_json(), &key, &method, created).expect("sign");

    let started = Instant::now();
    let single_runs = 200;
    for i in 0..single_runs {
        sign(credential(i, &did).to_json(), &key, &method, created).expect("sign");
    }
    let single = started.elapsed() / single_runs as u32;

    // The issuing path: Somu's builder + sign_open_badges (direct RDF, all cores).
    let started = Instant::now();
    let credentials: Vec<_> = (0..count).map(|i| credential(i, &did)).collect();
    let signed = sign_open_badges(&credentials, &key, &method, created);
    let batch = started.elapsed();
    let failures = signed.iter().filter(|r| r.is_err()).count();

    // The general path on the same credentials (JSON-LD expansion each time), for reference.
    let general_count = count.min(2_000);
    let started = Instant::now();
    let json: Vec<_> = credentials[..general_count]
        .iter()
        .map(OpenBadgeCredential::to_json)
        .collect();
    let general = sign_many(json, &key, &method, created);
    let general_time = started.elapsed();
    assert_eq!(general.len(), general_count);
    for (a, b) in general.iter().zip(&signed) {
        assert_eq!(
            a.as_ref().ok(),
            b.as_ref().ok(),
            "fast and general paths must sign alike"
        );
    }

    let started = Instant::now();
    verify(&warm, somu_credentials::keys::resolve_did_key).expect("verifies");
    let one_verify = started.elapsed();

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("cores: {cores}");
    println!("one sign (1 thread, mean of {single_runs}): {single:?}");
    println!("one verify (1 thread): {one_verify:?}");
    println!(
        "general path: sign_many of {general_count} in {:.2} s ({:.2} ms each on all cores); same signatures as the fast path",
        general_time.as_secs_f64(),
        general_time.as_secs_f64() * 1000.0 / general_count as f64
    );
    println!(
        "issued {count} credentials (build + sign_open_badges) in {:.2} s = {:.0} per second; {failures} failures",
        batch.as_secs_f64(),
        count as f64 / batch.as_secs_f64()
    );
    println!(
        "target: 10,000 in < 5 s on 2 cores -> {}",
        if count >= 10_000 && batch.as_secs_f64() < 5.0 {
            "met"
        } else {
            "not met / not measured"
        }
    );
}
