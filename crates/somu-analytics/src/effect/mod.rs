//! Training effect: difference-in-differences per completion cohort with a 95% bootstrap
//! interval over people.
//!
//! For each completion week c with a cohort of trained people, each person's outcome is
//! averaged over weeks c−8…c−1 (before) and c+1…c+8 (after). The comparison group is
//! everyone not yet trained through c+8 (never trained, or trained after c+8):
//! Effect_c = (after − before)_treated − (after − before)_comparison. The overall effect is
//! the cohort effects averaged with the cohort sizes as weights.
//!
//! Layout for speed: each relevant person's differences d = after − before (4 outcomes) are
//! computed once per cohort window that concerns them and stored contiguously. Because
//! cohorts are sorted by week, the cohorts a person can be compared in form a prefix, so
//! one offset per person suffices. A bootstrap resample then only draws multiplicities and
//! adds `w × d` – O(people × cohorts) cheap additions, run in parallel over resamples.

use crate::metric::{Metric, Reason};
use crate::panel::{ActivityPanel, Outcome};
use crate::period::IsoWeek;
use std::collections::BTreeMap;

/// Weeks in each window before and after completion.
pub const WINDOW: usize = 8;
const NO_COHORT: u32 = u32::MAX;
const OUTCOMES: usize = 4;

/// How the interval is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectOptions {
    /// Bootstrap resamples (default 1 000); 0 skips the interval.
    pub resamples: u32,
    /// Seed: the same seed and data give the same interval on every platform.
    pub seed: u64,
}

impl Default for EffectOptions {
    fn default() -> Self {
        EffectOptions {
            resamples: 1000,
            seed: 0x534f_4d55,
        }
    }
}

/// A 95% percentile interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Interval {
    /// 2.5th percentile of the resampled effects.
    pub low: f64,
    /// 97.5th percentile.
    pub high: f64,
}

impl Interval {
    /// True when `x` lies within the interval (ends included).
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The effect on one outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OutcomeEffect {
    /// Which outcome.
    pub outcome: Outcome,
    /// Σ_c n_c · Effect_c / Σ_c n_c.
    pub effect: f64,
    /// 95% bootstrap interval; `None` when no resample was asked for.
    pub interval: Option<Interval>,
    /// Size-weighted mean of the treated people's before-window averages.
    pub treated_before: f64,
    /// … after-window averages.
    pub treated_after: f64,
    /// Size-weighted (by treated cohort size) mean of the comparison groups' before averages.
    pub comparison_before: f64,
    /// … after averages.
    pub comparison_after: f64,
}

/// The effect in one completion cohort.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CohortEffect {
    /// Completion week.
    pub week: IsoWeek,
    /// People who completed in that week.
    pub treated: usize,
    /// People not yet trained through week + 8.
    pub comparison: usize,
    /// Effect_c per outcome, in [`Outcome::ALL`] order.
    pub effect: [f64; OUTCOMES],
}

/// A cohort left out, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SkippedCohort {
    /// Completion week.
    pub week: IsoWeek,
    /// People who completed in that week.
    pub people: usize,
    /// [`Reason::WindowOutsideData`] or [`Reason::NoComparisonGroup`].
    pub reason: Reason,
}

/// The training effect on every outcome, with the numbers a sentence needs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrainingEffect {
    /// One entry per outcome, in [`Outcome::ALL`] order.
    pub outcomes: [OutcomeEffect; OUTCOMES],
    /// Trained people in the cohorts used.
    pub treated_people: usize,
    /// Distinct people who served in at least one comparison group.
    pub comparison_people: usize,
    /// Cohorts used.
    pub cohorts: Vec<CohortEffect>,
    /// Cohorts left out, with reasons.
    pub skipped: Vec<SkippedCohort>,
    /// Resamples asked for.
    pub resamples: u32,
    /// The seed used.
    pub seed: u64,
}

/// Whether the interval shows a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Direction {
    /// The whole interval is above 0.
    Increase,
    /// The whole interval is below 0.
    Decrease,
    /// The interval includes 0 (or there is none): no clear change.
    Unclear,
}

/// Everything the web layer needs to write a plain-language sentence such as "after
/// training, people wrote 1.2 more original posts a week (95% interval 0.9 to 1.5) than
/// colleagues not yet trained; 340 trained people in 12 cohorts, 800 for comparison".
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EffectSummary {
    /// The outcome.
    pub outcome: Outcome,
    /// The effect.
    pub effect: f64,
    /// The interval, if computed.
    pub interval: Option<Interval>,
    /// Increase, decrease or unclear.
    pub direction: Direction,
    /// Trained people.
    pub treated_people: usize,
    /// Comparison people.
    pub comparison_people: usize,
    /// Cohorts used.
    pub cohorts: usize,
}

impl TrainingEffect {
    /// The effect on one outcome.
    pub fn outcome(&self, o: Outcome) -> &OutcomeEffect {
        let i = Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0);
        &self.outcomes[i]
    }

    /// The sentence builder's input for one outcome.
    pub fn summary(&self, o: Outcome) -> EffectSummary {
        let e = self.outcome(o);
        let direction = match e.interval {
            Some(i) if i.low > 0.0 => Direction::Increase,
            Some(i) if i.high < 0.0 => Direction::Decrease,
            _ => Direction::Unclear,
        };
        EffectSummary {
            outcome: o,
            effect: e.effect,
            interval: e.interval,
            direction,
            treated_people: self.treated_people,
            comparison_people: self.comparison_people,
            cohorts: self.cohorts.len(),
        }
    }
}

/// Per-person differences laid out for fast resampling.
struct Prepared {
    /// Included cohort weeks (offsets), ascending.
    cohort_weeks: Vec<i64>,
    /// The bootstrap strata as ranges of compact indices: the treated people of each
    /// cohort, then the people only ever compared. People are stored stratum by stratum so
    /// that drawing a resample writes into one small stretch of memory.
    strata: Vec<std::ops::Range<u32>>,
    /// Panel index of each compact person (kept for the tests that check the fast path).
    #[cfg(test)]
    person: Vec<u32>,
    /// Cohort index a compact person is treated in, or NO_COHORT.
    treat_cohort: Vec<u32>,
    /// d = after − before in their own cohort (zeros when untreated).
    treat_d: Vec<[f32; OUTCOMES]>,
    /// Offsets into `comp_d`; person p is compared in cohorts 0..(off[p+1] − off[p]).
    comp_off: Vec<u32>,
    comp_d: Vec<bootstrap::V4>,
}

impl Prepared {
    /// Treated people in cohort k.
    fn treated(&self, k: usize) -> usize {
        self.strata[k].len()
    }
}

/// Estimates the training effect on every [`Outcome`].
///
/// NotEnoughData: [`Reason::NoTrainedPeople`] when nobody completed within the span,
/// [`Reason::NoComparisonGroup`] or [`Reason::WindowOutsideData`] when every cohort had to
/// be skipped for that reason, [`Reason::NotFinite`] if inputs overflow.
pub fn training_effect(panel: &ActivityPanel, opts: EffectOptions) -> Metric<TrainingEffect> {
    let weeks = panel.weeks() as i64;
    let w = WINDOW as i64;
    let completions = panel.completions();
    let mut by_week: BTreeMap<i64, usize> = BTreeMap::new();
    let mut sorted: Vec<i64> = Vec::new();
    let mut never = 0usize;
    for c in completions {
        match c {
            Some(c) => {
                sorted.push(*c);
                if (0..weeks).contains(c) {
                    *by_week.entry(*c).or_default() += 1;
                }
            }
            None => never += 1,
        }
    }
    sorted.sort_unstable();
    let mut included = Vec::new();
    let mut skipped = Vec::new();
    let mut comparison_sizes = Vec::new();
    for (&c, &n) in &by_week {
        let week = panel.first_week().offset(c).unwrap_or(panel.first_week());
        if c < w || c + w >= weeks {
            skipped.push(SkippedCohort {
                week,
                people: n,
                reason: Reason::WindowOutsideData,
            });
            continue;
        }
        let later = sorted.len() - sorted.partition_point(|x| *x <= c + w);
        if never + later == 0 {
            skipped.push(SkippedCohort {
                week,
                people: n,
                reason: Reason::NoComparisonGroup,
            });
            continue;
        }
        included.push(c);
        comparison_sizes.push(never + later);
    }
    if included.is_empty() {
        let reason = if skipped
            .iter()
            .any(|s| s.reason == Reason::NoComparisonGroup)
        {
            Reason::NoComparisonGroup
        } else if skipped.is_empty() {
            Reason::NoTrainedPeople
        } else {
            Reason::WindowOutsideData
        };
        return Metric::NotEnoughData(reason);
    }

    let (prep, sums) = prepare(panel, included);
    let j = prep.cohort_weeks.len();
    let sizes: Vec<f64> = (0..j).map(|k| prep.treated(k) as f64).collect();
    let total: f64 = sizes.iter().sum();
    let mut outcomes = [OutcomeEffect {
        outcome: Outcome::Posts,
        effect: 0.0,
        interval: None,
        treated_before: 0.0,
        treated_after: 0.0,
        comparison_before: 0.0,
        comparison_after: 0.0,
    }; OUTCOMES];
    let mut cohorts = Vec::with_capacity(j);
    for (k, c) in prep.cohort_weeks.iter().enumerate() {
        let (n, m) = (sizes[k], comparison_sizes[k] as f64);
        let mut effect = [0.0; OUTCOMES];
        for (o, out) in outcomes.iter_mut().enumerate() {
            let s = &sums[k][o];
            let (tb, ta, cb, ca) = (s[0] / n, s[1] / n, s[2] / m, s[3] / m);
            effect[o] = (ta - tb) - (ca - cb);
            out.outcome = Outcome::ALL[o];
            out.effect += n * effect[o] / total;
            out.treated_before += n * tb / total;
            out.treated_after += n * ta / total;
            out.comparison_before += n * cb / total;
            out.comparison_after += n * ca / total;
        }
        cohorts.push(CohortEffect {
            week: panel.first_week().offset(*c).unwrap_or(panel.first_week()),
            treated: prep.treated(k),
            comparison: comparison_sizes[k],
            effect,
        });
    }
    if opts.resamples > 0 {
        let draws = bootstrap::run(&prep, opts);
        for (o, out) in outcomes.iter_mut().enumerate() {
            let mut v: Vec<f64> = draws.iter().filter_map(|d| d.map(|e| e[o])).collect();
            out.interval = percentile_interval(&mut v);
        }
    }
    let all_finite = outcomes.iter().all(|o| {
        [
            o.effect,
            o.treated_before,
            o.treated_after,
            o.comparison_before,
            o.comparison_after,
        ]
        .iter()
        .all(|x| x.is_finite())
    });
    if !all_finite {
        return Metric::NotEnoughData(Reason::NotFinite);
    }
    let comparison_people = prep.comp_off.windows(2).filter(|w| w[1] > w[0]).count();
    Metric::Value(TrainingEffect {
        outcomes,
        treated_people: total as usize,
        comparison_people,
        cohorts,
        skipped,
        resamples: opts.resamples,
        seed: opts.seed,
    })
}

/// Window sums per cohort and outcome: [treated before, treated after, comparison before,
/// comparison after] (sums of per-person window means).
type CohortSums = Vec<[[f64; 4]; OUTCOMES]>;

fn prepare(panel: &ActivityPanel, cohort_weeks: Vec<i64>) -> (Prepared, CohortSums) {
    let weeks = panel.weeks();
    let j = cohort_weeks.len();
    let w = WINDOW as i64;
    // Who matters, in which stratum (treated cohort k, or j for compared only), and in how
    // many cohorts (a prefix, since cohorts are sorted) they are compared.
    let mut relevant: Vec<(usize, usize, usize)> = Vec::new();
    for (person, completion) in panel.completions().iter().enumerate() {
        // Cohorts c_k this person is compared in: c_k + 8 < completion.
        let m = match completion {
            None => j,
            Some(c) => cohort_weeks.partition_point(|ck| ck + w < *c),
        };
        let t = completion.and_then(|c| cohort_weeks.binary_search(&c).ok());
        if m > 0 || t.is_some() {
            relevant.push((t.unwrap_or(j), person, m));
        }
    }
    relevant.sort_by_key(|(stratum, person, _)| (*stratum, *person));
    let mut strata = vec![0u32..0u32; j + 1];
    for (i, (stratum, _, _)) in relevant.iter().enumerate() {
        let r = &mut strata[*stratum];
        if r.start == r.end {
            *r = i as u32..i as u32;
        }
        r.end = i as u32 + 1;
    }
    let mut p = Prepared {
        strata,
        #[cfg(test)]
        person: relevant
            .iter()
            .map(|(_, person, _)| *person as u32)
            .collect(),
        treat_cohort: Vec::with_capacity(relevant.len()),
        treat_d: Vec::with_capacity(relevant.len()),
        comp_off: vec![0],
        comp_d: Vec::new(),
        cohort_weeks,
    };
    let mut sums: CohortSums = vec![[[0.0; 4]; OUTCOMES]; j];
    let mut prefix = vec![[0.0f64; OUTCOMES]; weeks + 1];
    for (stratum, person, m) in relevant {
        for (o, out) in Outcome::ALL.iter().enumerate() {
            let row = panel.row(person, *out);
            for wk in 0..weeks {
                prefix[wk + 1][o] = prefix[wk][o] + row.get(wk);
            }
        }
        let window = |c: i64| {
            let c = c as usize;
            let mut ba = [[0.0; 2]; OUTCOMES];
            for (o, v) in ba.iter_mut().enumerate() {
                let before = prefix[c][o] - prefix[c - WINDOW][o];
                let after = prefix[c + 1 + WINDOW][o] - prefix[c + 1][o];
                *v = [before / WINDOW as f64, after / WINDOW as f64];
            }
            ba
        };
        if stratum < j {
            let ba = window(p.cohort_weeks[stratum]);
            let mut d = [0.0f32; OUTCOMES];
            for o in 0..OUTCOMES {
                sums[stratum][o][0] += ba[o][0];
                sums[stratum][o][1] += ba[o][1];
                d[o] = (ba[o][1] - ba[o][0]) as f32;
            }
            p.treat_cohort.push(stratum as u32);
            p.treat_d.push(d);
        } else {
            p.treat_cohort.push(NO_COHORT);
            p.treat_d.push([0.0; OUTCOMES]);
        }
        for (sum, c) in sums.iter_mut().zip(&p.cohort_weeks).take(m) {
            let ba = window(*c);
            let mut d = [0.0f32; OUTCOMES];
            for o in 0..OUTCOMES {
                sum[o][2] += ba[o][0];
                sum[o][3] += ba[o][1];
                d[o] = (ba[o][1] - ba[o][0]) as f32;
            }
            p.comp_d.push(bootstrap::V4::new(d));
        }
        p.comp_off.push(p.comp_d.len() as u32);
    }
    (p, sums)
}

/// 2.5th and 97.5th percentiles by linear interpolation between order statistics
/// (Hyndman–Fan type 7); `None` for fewer than 2 values.
fn percentile_interval(v: &mut [f64]) -> Option<Interval> {
    if v.len() < 2 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (v.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(v.len() - 1);
        v[lo] + (h - lo as f64) * (v[hi] - v[lo])
    };
    Some(Interval {
        low: q(0.025),
        high: q(0.975),
    })
}

mod bootstrap;
#[cfg(test)]
mod tests;
