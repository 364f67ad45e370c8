//! The bootstrap over people, arranged so that memory traffic does not dominate.
//!
//! The comparison differences (people × cohorts × 4 outcomes, ~35 MB for 100 000 people and
//! weekly cohorts) do not fit in cache. Streaming them once per resample would make the
//! bootstrap memory-bound, so resamples run in batches of [`BATCH`]: each person's
//! differences are read once per batch and added into all the batch's accumulators, which
//! stay in L1 cache.

use super::{Prepared, NO_COHORT, OUTCOMES};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Resamples sharing one pass over the data.
pub(super) const BATCH: usize = 16;
/// People per f32 block of the comparison sums before they are flushed into f64.
const BLOCK: usize = 1024;

/// Four outcomes side by side in one SIMD register (`wide::f32x4`): one multiply and one
/// add handle all four.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct V4(pub(super) wide::f32x4);

impl V4 {
    pub(super) fn new(d: [f32; OUTCOMES]) -> V4 {
        V4(wide::f32x4::from(d))
    }

    fn get(&self) -> [f32; OUTCOMES] {
        self.0.to_array()
    }
}

/// Per-thread working memory for one batch.
pub(super) struct Scratch {
    /// Multiplicities, resample-major: `weights[r * people + person]`, so that drawing one
    /// resample writes into one small array that stays in cache.
    pub(super) weights: Vec<u32>,
    /// Treated sums, `[r * cohorts + k]`.
    tsum: Vec<[f64; OUTCOMES]>,
    /// Comparison sums, `[r * cohorts + k]`.
    csum: Vec<[f64; OUTCOMES]>,
    /// The current block's comparison sums in f32.
    block: Vec<V4>,
    /// Weight of people by number of cohorts they are compared in, `[r * (cohorts + 1) + m]`.
    hist: Vec<u64>,
}

impl Scratch {
    pub(super) fn new(people: usize, cohorts: usize) -> Scratch {
        Scratch {
            weights: vec![0; people * BATCH],
            tsum: vec![[0.0; OUTCOMES]; BATCH * cohorts],
            csum: vec![[0.0; OUTCOMES]; BATCH * cohorts],
            block: vec![V4::default(); BATCH * cohorts],
            hist: vec![0; BATCH * (cohorts + 1)],
        }
    }
}

/// Runs the resamples; each gives the overall effect per outcome, or `None` when no cohort
/// kept a comparison group in that resample. The order is the resample order.
pub(super) fn run(p: &Prepared, opts: super::EffectOptions) -> Vec<Option<[f64; OUTCOMES]>> {
    let people = p.treat_cohort.len();
    let cohorts = p.cohort_weeks.len();
    // Strata: each cohort's treated people, then the people only ever compared. Resampling
    // within strata keeps cohort sizes, and so the weights of the average, fixed.
    let strata = &p.strata;
    let starts: Vec<u32> = (0..opts.resamples).step_by(BATCH).collect();
    let batches: Vec<Vec<Option<[f64; OUTCOMES]>>> = starts
        .into_par_iter()
        .map_init(
            || Scratch::new(people, cohorts),
            |s, start| {
                let count = (opts.resamples - start).min(BATCH as u32) as usize;
                s.weights.fill(0);
                for r in 0..count {
                    // One independent stream per resample: the result does not depend on
                    // batching or on how rayon spreads batches over threads.
                    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
                    rng.set_stream(u64::from(start) + r as u64);
                    let weights = &mut s.weights[r * people..(r + 1) * people];
                    for stratum in strata {
                        let n = stratum.len() as u32;
                        let members = &mut weights[stratum.start as usize..stratum.end as usize];
                        for _ in 0..n {
                            members[rng.gen_range(0..n) as usize] += 1;
                        }
                    }
                }
                effects(p, s, count)
            },
        )
        .collect();
    batches.into_iter().flatten().collect()
}

/// The overall effects of the first `count` resamples whose multiplicities are in
/// `s.weights` (all 1 = the point estimate).
pub(super) fn effects(p: &Prepared, s: &mut Scratch, count: usize) -> Vec<Option<[f64; OUTCOMES]>> {
    let j = p.cohort_weeks.len();
    s.tsum.fill([0.0; OUTCOMES]);
    s.csum.fill([0.0; OUTCOMES]);
    s.block.fill(V4::default());
    s.hist.fill(0);
    let people = p.treat_cohort.len();
    for start in (0..people).step_by(BLOCK) {
        for i in start..(start + BLOCK).min(people) {
            let t = p.treat_cohort[i];
            let (a, b) = (p.comp_off[i] as usize, p.comp_off[i + 1] as usize);
            let d = &p.comp_d[a..b];
            for r in 0..count {
                let wt = s.weights[r * people + i];
                if wt == 0 {
                    continue;
                }
                if t != NO_COHORT {
                    let acc = &mut s.tsum[r * j + t as usize];
                    for (o, x) in acc.iter_mut().enumerate() {
                        *x += f64::from(wt) * f64::from(p.treat_d[i][o]);
                    }
                }
                s.hist[r * (j + 1) + d.len()] += u64::from(wt);
                let wf = wt as f32;
                let wv = wide::f32x4::splat(wf);
                for (acc, dk) in s.block[r * j..r * j + d.len()].iter_mut().zip(d) {
                    acc.0 += wv * dk.0;
                }
            }
        }
        // f32 sums over at most BLOCK people keep their rounding error small; the running
        // totals are f64.
        for (total, part) in s.csum.iter_mut().zip(s.block.iter_mut()) {
            for (t, x) in total.iter_mut().zip(part.get()) {
                *t += f64::from(x);
            }
            *part = V4::default();
        }
    }
    (0..count).map(|r| combine(p, s, r)).collect()
}

/// Σ_k n_k (treated mean_k − comparison mean_k) / Σ_k n_k for resample `r`, over cohorts
/// whose comparison group kept some weight.
fn combine(p: &Prepared, s: &Scratch, r: usize) -> Option<[f64; OUTCOMES]> {
    let j = p.cohort_weeks.len();
    let mut effect = [0.0; OUTCOMES];
    let (mut total, mut beyond) = (0.0, 0u64);
    for k in (0..j).rev() {
        // Comparison weight of cohort k = weight of people compared in more than k cohorts.
        beyond += s.hist[r * (j + 1) + k + 1];
        if beyond == 0 {
            continue;
        }
        let n = p.treated(k) as f64;
        let cw = beyond as f64;
        for (o, e) in effect.iter_mut().enumerate() {
            *e += s.tsum[r * j + k][o] - n * s.csum[r * j + k][o] / cw;
        }
        total += n;
    }
    (total > 0.0).then(|| effect.map(|e| e / total))
}
