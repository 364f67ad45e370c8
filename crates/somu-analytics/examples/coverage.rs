//! Coverage check of the training-effect interval on synthetic organisations.
//!
//! `cargo run --release -p somu-analytics --example coverage -- [SEEDS] [PEOPLE] [WEEKS] [EFFECT]`
//! (defaults 200, 300, 30, 1.0). Prints how often the 95% interval for posts covers the
//! planted effect and how often it excludes 0.

use somu_analytics::effect::{training_effect, EffectOptions};
use somu_analytics::panel::Outcome;
use somu_analytics::synthetic::{generate, SyntheticParams};

fn main() {
    let arg = |i: usize, d: f64| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(d)
    };
    let (seeds, people, weeks, effect) = (
        arg(1, 200.0) as u64,
        arg(2, 300.0) as u32,
        arg(3, 30.0) as u32,
        arg(4, 1.0),
    );
    let (mut runs, mut covers, mut excludes_zero) = (0, 0, 0);
    for seed in 0..seeds {
        let Ok(s) = generate(SyntheticParams::new(
            "cov",
            people,
            weeks,
            effect,
            10_000 + seed,
        )) else {
            return;
        };
        let e = training_effect(
            &s.panel(),
            EffectOptions {
                resamples: 1000,
                seed,
            },
        );
        let Some(i) = e.value().and_then(|e| e.outcome(Outcome::Posts).interval) else {
            continue;
        };
        runs += 1;
        covers += usize::from(i.contains(effect));
        excludes_zero += usize::from(!i.contains(0.0));
    }
    println!(
        "{runs} runs, {people} people × {weeks} weeks, planted {effect}: interval covers it in \
         {covers} ({:.1}%), excludes 0 in {excludes_zero} ({:.1}%)",
        100.0 * covers as f64 / runs as f64,
        100.0 * excludes_zero as f64 / runs as f64
    );
}
