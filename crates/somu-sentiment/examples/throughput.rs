//! Throughput benchmark (never a test): scores the texts of a file, one per
//! line, in memory on one thread, and prints texts per second for the core
//! scorer, the language detector and both together. Default input: the
//! varied corpus of the conformance test.
//!
//! ```text
//! cargo run --release -p somu-sentiment --example throughput -- [FILE] [ROUNDS] [score|detect|analyse]
//! ```

use std::time::Instant;

use somu_sentiment::{detect_language, Analyzer};

fn time(label: &str, texts: &[&str], rounds: usize, mut f: impl FnMut(&str) -> f64) {
    let start = Instant::now();
    let mut checksum = 0.0;
    for _ in 0..rounds {
        for text in texts {
            checksum += f(text);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let total = (texts.len() * rounds) as f64;
    println!(
        "{label}: {:.0} texts/s ({:.3} µs/text; checksum {checksum:.1})",
        total / secs,
        secs * 1e6 / total
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/varied.txt").to_owned()
    });
    let rounds: usize = args.next().map_or(Ok(10), |r| r.parse())?;
    let mode = args.next().unwrap_or_default();
    let content = std::fs::read_to_string(&path)?;
    let texts: Vec<&str> = content.lines().collect();
    let analyzer = Analyzer::new();
    if mode.is_empty() || mode == "score" {
        time("polarity_scores", &texts, rounds, |t| {
            analyzer.polarity_scores(t).compound
        });
    }
    if mode.is_empty() || mode == "detect" {
        time("detect_language", &texts, rounds, |t| {
            f64::from(u8::from(detect_language(t).may_be_english()))
        });
    }
    if mode.is_empty() || mode == "analyse" {
        time("analyse", &texts, rounds, |t| {
            analyzer.analyse(t).scores.map_or(0.0, |s| s.compound)
        });
    }
    Ok(())
}
