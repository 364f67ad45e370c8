use super::*;
use crate::panel::WeekActivity;

fn posts(n: f32) -> WeekActivity {
    WeekActivity {
        original_posts: n,
        engagements: 0.0,
        influence: 0.0,
    }
}

type Series = (Option<i64>, fn(usize) -> f32);

/// A 30-week panel, worked by hand (weeks are offsets 0…29):
/// - A, trained week 8: 1 post/week in weeks 0–7, 100 in week 8 (completion week, excluded
///   from both windows), 3/week after.           before 1, after 3 → d = 2
/// - B, trained week 8: 0 until week 8, 1/week from week 9.  d = 1
/// - F, trained week 10: 0 until week 10, 4/week from 11.    before (2–9) 0, after (11–18) 4 → d = 4
/// - C, never trained: 1/week in weeks 0–7, 2/week from 8.
///   cohort 8: before (0–7) 1, after (9–16) 2 → d = 1;
///   cohort 10: before (2–9) (6×1 + 2×2)/8 = 1.25, after (11–18) 2 → d = 0.75
/// - D, trained week 25 (> 10 + 8, so comparison for both cohorts): 2/week always → d = 0.
///   Its own cohort (25 + 8 = 33 ≥ 30 weeks) is skipped: window outside data.
///
/// Cohort 8: treated mean d (2 + 1)/2 = 1.5, comparison (1 + 0)/2 = 0.5 → 1.0.
/// Cohort 10: treated 4, comparison (0.75 + 0)/2 = 0.375 → 3.625.
/// Overall, weighted by cohort size (2 and 1): (2 × 1.0 + 1 × 3.625)/3 = 1.875.
fn hand_panel() -> ActivityPanel {
    let first = IsoWeek::new(2026, 1).unwrap();
    let mut p = ActivityPanel::new(first, 30);
    let series: [Series; 5] = [
        (Some(8), |w| match w {
            0..=7 => 1.0,
            8 => 100.0,
            _ => 3.0,
        }),
        (Some(8), |w| if w <= 8 { 0.0 } else { 1.0 }),
        (Some(10), |w| if w <= 10 { 0.0 } else { 4.0 }),
        (None, |w| if w <= 7 { 1.0 } else { 2.0 }),
        (Some(25), |_| 2.0),
    ];
    for (completion, f) in series {
        let who = p.add_person_at_offset(completion);
        for w in 0..30 {
            p.record_offset(who, w, posts(f(w)));
        }
    }
    p
}

fn no_bootstrap() -> EffectOptions {
    EffectOptions {
        resamples: 0,
        seed: 1,
    }
}

#[test]
fn did_by_hand() {
    let e = training_effect(&hand_panel(), no_bootstrap())
        .value()
        .unwrap();
    let posts = e.outcome(Outcome::Posts);
    assert!((posts.effect - 1.875).abs() < 1e-9, "{}", posts.effect);
    assert_eq!(e.cohorts.len(), 2);
    assert!((e.cohorts[0].effect[0] - 1.0).abs() < 1e-9);
    assert!((e.cohorts[1].effect[0] - 3.625).abs() < 1e-9);
    assert_eq!((e.cohorts[0].treated, e.cohorts[0].comparison), (2, 2));
    assert_eq!((e.treated_people, e.comparison_people), (3, 2));
    assert_eq!(e.skipped.len(), 1);
    assert_eq!(e.skipped[0].reason, Reason::WindowOutsideData);
    // Treated before: (2 × 0.5 + 1 × 0)/3 = 1/3; after (2 × 2 + 1 × 4)/3 = 8/3.
    assert!((posts.treated_before - 1.0 / 3.0).abs() < 1e-9);
    assert!((posts.treated_after - 8.0 / 3.0).abs() < 1e-9);
    // Comparison before (2 × 0.5·(1+2) + 1 × 0.5·(1.25+2))/3 = (3 + 1.625)/3;
    // after (2 × 2 + 1 × 2)/3 = 2. Effect = (8/3 − 1/3) − (2 − 4.625/3) = 1.875 ✓.
    assert!((posts.comparison_before - 4.625 / 3.0).abs() < 1e-9);
    assert!((posts.comparison_after - 2.0).abs() < 1e-9);
    // No engagements recorded: effect 0 exactly.
    assert_eq!(e.outcome(Outcome::Engagements).effect, 0.0);
    // Active share: A active before and after (0); B 0 → 1 (1): cohort 8 treated 0.5,
    // comparison C and D always active (0) → 0.5. F 0 → 1: cohort 10 → 1.
    // Overall (2 × 0.5 + 1 × 1)/3 = 2/3.
    assert!((e.outcome(Outcome::ActiveShare).effect - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(e.outcome(Outcome::Posts).interval, None);
}

#[test]
fn fast_weighted_path_with_unit_weights_equals_point_estimate() {
    let panel = hand_panel();
    let (prep, _) = prepare(&panel, vec![8, 10]);
    let mut s = bootstrap::Scratch::new(prep.treat_cohort.len(), 2);
    // Resample 0: everyone once. Resample 1: C (compact index 3) twice.
    let people = prep.treat_cohort.len();
    for i in 0..people {
        s.weights[i] = 1;
        s.weights[people + i] = if i == 3 { 2 } else { 1 };
    }
    let e = bootstrap::effects(&prep, &mut s, 2);
    let (e0, e1) = (e[0].unwrap(), e[1].unwrap());
    assert!((e0[0] - 1.875).abs() < 1e-6);
    assert!((e0[3] - 2.0 / 3.0).abs() < 1e-6);
    // Doubling C's weight: cohort 8 comparison (2 × 1 + 0)/3 = 2/3 → 1.5 − 2/3 = 5/6;
    // cohort 10 (2 × 0.75)/3 = 0.5 → 3.5. Overall (2 × 5/6 + 3.5)/3 = 31/18.
    assert!((e1[0] - 31.0 / 18.0).abs() < 1e-6, "{}", e1[0]);
}

#[test]
fn bootstrap_is_seeded_and_reproducible() {
    let panel = hand_panel();
    let opts = EffectOptions {
        resamples: 200,
        seed: 42,
    };
    let a = training_effect(&panel, opts).value().unwrap();
    let b = training_effect(&panel, opts).value().unwrap();
    assert_eq!(a, b);
    let i = a.outcome(Outcome::Posts).interval.unwrap();
    assert!(i.low <= i.high);
    // The interval of so few people is coarse, so compare the resampled effects themselves.
    let (prep, _) = prepare(&panel, vec![8, 10]);
    let d42 = bootstrap::run(&prep, opts);
    assert_eq!(d42.len(), 200);
    assert_eq!(d42, bootstrap::run(&prep, opts));
    assert_ne!(
        d42,
        bootstrap::run(&prep, EffectOptions { seed: 43, ..opts })
    );
}

#[test]
fn not_enough_data_reasons() {
    let first = IsoWeek::new(2026, 1).unwrap();
    let mut p = ActivityPanel::new(first, 30);
    p.add_person_at_offset(None);
    assert_eq!(
        training_effect(&p, no_bootstrap()).reason(),
        Some(Reason::NoTrainedPeople)
    );
    // Everyone trained in week 10: nobody left untrained to compare with.
    let mut q = ActivityPanel::new(first, 30);
    q.add_person_at_offset(Some(10));
    q.add_person_at_offset(Some(12)); // 12 ≤ 10 + 8: not a comparison for cohort 10
    assert_eq!(
        training_effect(&q, no_bootstrap()).reason(),
        Some(Reason::NoComparisonGroup)
    );
    // Trained in week 3: fewer than 8 weeks before it are observed.
    let mut r = ActivityPanel::new(first, 30);
    r.add_person_at_offset(Some(3));
    r.add_person_at_offset(None);
    assert_eq!(
        training_effect(&r, no_bootstrap()).reason(),
        Some(Reason::WindowOutsideData)
    );
}

#[test]
fn percentile_interval_type_7() {
    // 0, 1, …, 100: position 100 × 0.025 = 2.5 → 2.5; 100 × 0.975 = 97.5 → 97.5.
    let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
    let i = percentile_interval(&mut v).unwrap();
    assert_eq!((i.low, i.high), (2.5, 97.5));
    assert_eq!(percentile_interval(&mut [1.0]), None);
}

#[test]
fn summary_direction() {
    let mut e = training_effect(&hand_panel(), no_bootstrap())
        .value()
        .unwrap();
    assert_eq!(e.summary(Outcome::Posts).direction, Direction::Unclear);
    e.outcomes[0].interval = Some(Interval {
        low: 0.5,
        high: 2.0,
    });
    let s = e.summary(Outcome::Posts);
    assert_eq!(
        (s.direction, s.cohorts, s.treated_people),
        (Direction::Increase, 2, 3)
    );
    e.outcomes[0].interval = Some(Interval {
        low: -2.0,
        high: -0.1,
    });
    assert_eq!(e.summary(Outcome::Posts).direction, Direction::Decrease);
}

/// The fast path (prefix layout, batches, f32 blocks) against a direct computation from the
/// panel with the same multiplicities, on a generated organisation.
#[test]
fn fast_bootstrap_matches_direct_computation() {
    use crate::synthetic::{generate, SyntheticParams};
    use rand::{Rng, SeedableRng};
    let s = generate(SyntheticParams::new("acme", 150, 30, 0.7, 5)).unwrap();
    let panel = s.panel();
    let e = training_effect(&panel, no_bootstrap()).value().unwrap();
    let weeks: Vec<i64> = e
        .cohorts
        .iter()
        .map(|c| c.week.index() - panel.first_week().index())
        .collect();
    assert!(weeks.len() >= 3);
    let (prep, _) = prepare(&panel, weeks.clone());
    let people = prep.person.len();
    let mut scratch = bootstrap::Scratch::new(people, weeks.len());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    for w in scratch.weights[..3 * people].iter_mut() {
        *w = rng.gen_range(0..4);
    }
    let fast = bootstrap::effects(&prep, &mut scratch, 3);
    for (r, fast) in fast.iter().enumerate() {
        // Multiplicity of each panel person in resample r.
        let mut mult = vec![0u32; panel.people()];
        for (i, p) in prep.person.iter().enumerate() {
            mult[*p as usize] = scratch.weights[r * people + i];
        }
        let mean_d = |members: &[usize], c: i64| {
            let c = c as usize;
            let (mut sum, mut n) = (0.0, 0.0);
            for &i in members {
                let row = panel.row(i, Outcome::Posts);
                let before: f64 = (c - 8..c).map(|w| row.get(w)).sum::<f64>() / 8.0;
                let after: f64 = (c + 1..c + 9).map(|w| row.get(w)).sum::<f64>() / 8.0;
                sum += f64::from(mult[i]) * (after - before);
                n += f64::from(mult[i]);
            }
            (sum, n)
        };
        let completions = panel.completions();
        let (mut num, mut den) = (0.0, 0.0);
        for &c in &weeks {
            let treated: Vec<usize> = (0..panel.people())
                .filter(|i| completions[*i] == Some(c))
                .collect();
            let comparison: Vec<usize> = (0..panel.people())
                .filter(|i| completions[*i].is_none_or(|x| x > c + 8))
                .collect();
            let (ts, _) = mean_d(&treated, c);
            let (cs, cn) = mean_d(&comparison, c);
            if cn == 0.0 {
                continue;
            }
            // Treated weights are random here, but the estimator weights cohorts by their
            // (fixed) size and divides the treated sum by it, as stratified resampling keeps
            // each cohort's total multiplicity equal to its size.
            let n = treated.len() as f64;
            num += ts - n * cs / cn;
            den += n;
        }
        let direct = num / den;
        let fast = fast.unwrap()[0];
        assert!(
            (fast - direct).abs() < 1e-4 * direct.abs().max(1.0),
            "{fast} vs {direct}"
        );
    }
}
