use super::*;
use crate::effect::{training_effect, EffectOptions};
use crate::panel::Outcome;

fn params(people: u32, weeks: u32, effect: f64, seed: u64) -> SyntheticParams {
    SyntheticParams::new("acme", people, weeks, effect, seed)
}

#[test]
fn refuses_bad_parameters_naming_the_field() {
    assert_eq!(
        generate(params(0, 52, 1.0, 1)),
        Err(SyntheticError::NoPeople)
    );
    assert_eq!(generate(params(5, 0, 1.0, 1)), Err(SyntheticError::Weeks));
    assert_eq!(
        generate(params(5, 52, -1.0, 1)),
        Err(SyntheticError::Effect)
    );
    assert_eq!(
        generate(params(5, 52, f64::NAN, 1)),
        Err(SyntheticError::Effect)
    );
    let e = generate(SyntheticParams::new(" ", 5, 52, 1.0, 1)).unwrap_err();
    assert_eq!(e.to_string(), "org: must not be empty");
    let spacing = SyntheticParams {
        cohort_every_weeks: 0,
        ..params(5, 52, 1.0, 1)
    };
    assert_eq!(generate(spacing), Err(SyntheticError::CohortSpacing));
}

#[test]
fn same_seed_same_organisation_and_streams_agree() {
    let a = generate(params(30, 20, 1.0, 7)).unwrap();
    let b = generate(params(30, 20, 1.0, 7)).unwrap();
    assert_eq!(a, b);
    let pa: Vec<_> = a.posts().collect();
    assert_eq!(pa, b.posts().collect::<Vec<_>>());
    assert!(!pa.is_empty());
    // The paired stream holds the same posts in the same order.
    let paired: Vec<_> = a.person_weeks_with_posts().flat_map(|(_, p)| p).collect();
    assert_eq!(paired, pa);
    // The person-week stream sums exactly the posts the post stream yields.
    let weekly: u64 = a.person_weeks().map(|w| w.totals.posts).sum();
    assert_eq!(weekly, pa.len() as u64);
    let originals: u64 = a.person_weeks().map(|w| w.totals.original_posts).sum();
    assert_eq!(
        originals,
        pa.iter().filter(|p| p.post.is_original).count() as u64
    );
    assert_eq!(a.person_weeks().count(), 30 * 20);
    // Every post's timestamp lies in its week.
    for p in &pa {
        let w = a.params.first_week.offset(i64::from(p.week)).unwrap();
        assert_eq!(IsoWeek::of(p.post.created_at), w);
    }
    let c = generate(params(30, 20, 1.0, 8)).unwrap();
    assert_ne!(a.people, c.people);
}

#[test]
fn people_have_mixed_training_audiences_and_baselines() {
    let s = generate(params(400, 52, 1.0, 3)).unwrap();
    let never = s.people.iter().filter(|p| p.completion.is_none()).count();
    // 25% never trained in expectation: 100 of 400; allow wide sampling noise.
    assert!((60..=140).contains(&never), "{never}");
    let later = s
        .people
        .iter()
        .filter(|p| p.completion.is_some_and(|c| c >= 52))
        .count();
    assert!(later > 0);
    for a in AUDIENCES {
        assert!(s.people.iter().any(|p| p.audience == a), "{a}");
    }
    let max = s.people.iter().map(|p| p.base_rate).fold(0.0, f64::max);
    let min = s
        .people
        .iter()
        .map(|p| p.base_rate)
        .fold(f64::MAX, f64::min);
    assert!(
        max / min > 50.0,
        "baselines should differ widely: {min}…{max}"
    );
}

/// Runs the estimator on 20 seeds of a small organisation and counts how often the 95%
/// interval for posts covers `planted`, and how often it excludes 0.
fn coverage(planted: f64) -> (usize, usize) {
    let mut covers = 0;
    let mut excludes_zero = 0;
    for seed in 0..20u64 {
        let s = generate(params(300, 30, planted, 1000 + seed)).unwrap();
        let e = training_effect(
            &s.panel(),
            EffectOptions {
                resamples: 200,
                seed,
            },
        );
        let e = e.value().unwrap();
        let i = e.outcome(Outcome::Posts).interval.unwrap();
        covers += usize::from(i.contains(planted));
        excludes_zero += usize::from(!i.contains(0.0));
    }
    (covers, excludes_zero)
}

#[test]
fn planted_effect_is_recovered() {
    // With 95% intervals, 19 of 20 on average; 17 or more happens with probability ≈ 98%.
    let (covers, excludes_zero) = coverage(1.0);
    println!("effect 1.0: covered {covers}/20, excludes 0 in {excludes_zero}/20");
    assert!(covers >= 17, "planted effect 1.0 covered in {covers} of 20");
    // An effect of 1 post a week on a median of 2.5 is large: it should be detected.
    assert!(
        excludes_zero >= 17,
        "effect detected in {excludes_zero} of 20"
    );
}

#[test]
fn no_effect_is_rarely_claimed() {
    // With no planted effect, a 95% interval excludes 0 in 1 of 20 on average; 3 or fewer
    // happens with probability ≈ 98%.
    let (covers, excludes_zero) = coverage(0.0);
    println!("effect 0.0: covered {covers}/20, excludes 0 in {excludes_zero}/20");
    assert!(excludes_zero <= 3, "false effect in {excludes_zero} of 20");
    assert!(covers >= 17);
}
