//! Adoption curve: trained people aligned on their week of completion.

use crate::metric::{Metric, Reason};
use crate::panel::{ActivityPanel, Outcome};

/// First and last week of the curve relative to completion.
pub const CURVE_WEEKS: std::ops::RangeInclusive<i64> = -12..=12;
/// The milestone weeks after completion.
pub const MILESTONES: [i64; 2] = [6, 12];

/// One point of the curve: week k relative to completion (k = 0 is the completion week).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AdoptionPoint {
    /// Weeks since completion.
    pub k: i64,
    /// Trained people whose week c + k lies in the observed span.
    pub people: usize,
    /// Share active (≥ 1 original post) at week k.
    pub active_share: Metric<f64>,
    /// Mean original posts at week k.
    pub mean_posts: Metric<f64>,
    /// Mean engagements at week k.
    pub mean_engagements: Metric<f64>,
    /// Mean influence at week k.
    pub mean_influence: Metric<f64>,
}

/// The curve for k = −12…+12 and its milestones.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AdoptionCurve {
    /// 25 points, k ascending.
    pub points: Vec<AdoptionPoint>,
}

impl AdoptionCurve {
    /// The point at week `k`, if within −12…+12.
    pub fn at(&self, k: i64) -> Option<&AdoptionPoint> {
        self.points.iter().find(|p| p.k == k)
    }

    /// The milestone points (weeks 6 and 12).
    pub fn milestones(&self) -> [Option<&AdoptionPoint>; 2] {
        MILESTONES.map(|k| self.at(k))
    }
}

/// Builds the adoption curve: for trained people aligned on the week of completion
/// (k = −12…+12), the share active and the mean posts, engagements and influence per week.
/// A point no trained person reaches within the span says [`Reason::NoPeopleObserved`].
pub fn adoption_curve(panel: &ActivityPanel) -> AdoptionCurve {
    let weeks = panel.weeks() as i64;
    let points = CURVE_WEEKS
        .map(|k| {
            let mut sums = [0.0f64; 4];
            let mut n = 0usize;
            for (person, c) in panel.completions().iter().enumerate() {
                let Some(c) = c else { continue };
                let wk = c + k;
                if !(0..weeks).contains(&wk) {
                    continue;
                }
                n += 1;
                for (o, out) in Outcome::ALL.iter().enumerate() {
                    sums[o] += panel.row(person, *out).get(wk as usize);
                }
            }
            let mean = |o: usize| {
                if n == 0 {
                    Metric::NotEnoughData(Reason::NoPeopleObserved)
                } else {
                    Metric::finite(sums[o] / n as f64)
                }
            };
            AdoptionPoint {
                k,
                people: n,
                mean_posts: mean(0),
                mean_engagements: mean(1),
                mean_influence: mean(2),
                active_share: mean(3),
            }
        })
        .collect();
    AdoptionCurve { points }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::WeekActivity;
    use crate::period::IsoWeek;

    #[test]
    fn curve_aligns_people_on_completion() {
        let first = IsoWeek::new(2026, 1).unwrap();
        let mut p = ActivityPanel::new(first, 20);
        let a = p.add_person_at_offset(Some(2)); // k = 6 is week 8, k = 12 is week 14
        let b = p.add_person_at_offset(Some(10)); // k = 6 is week 16, k = 12 is week 22 (outside)
        p.add_person_at_offset(None); // not trained: never on the curve
        let act = |posts, eng| WeekActivity {
            original_posts: posts,
            engagements: eng,
            influence: 1.0,
        };
        p.record_offset(a, 8, act(2.0, 10.0));
        p.record_offset(b, 16, act(0.0, 4.0)); // engagements on old posts, but not active
        p.record_offset(a, 14, act(1.0, 0.0));
        let curve = adoption_curve(&p);
        assert_eq!(curve.points.len(), 25);
        let [w6, w12] = curve.milestones();
        let w6 = w6.unwrap();
        // k = 6: A (2 posts, 10 eng) and B (0 posts, 4 eng): active 1/2, posts 1, eng 7.
        assert_eq!(w6.people, 2);
        assert_eq!(w6.active_share, Metric::Value(0.5));
        assert_eq!(w6.mean_posts, Metric::Value(1.0));
        assert_eq!(w6.mean_engagements, Metric::Value(7.0));
        assert_eq!(w6.mean_influence, Metric::Value(1.0));
        // k = 12: only A is inside the 20 observed weeks; 1 post → active share 1.
        let w12 = w12.unwrap();
        assert_eq!((w12.people, w12.active_share), (1, Metric::Value(1.0)));
        // k = −12: A's week −10 and B's week −2 are both before the span.
        let early = curve.at(-12).unwrap();
        assert_eq!(early.people, 0);
        assert_eq!(
            early.active_share,
            Metric::NotEnoughData(Reason::NoPeopleObserved)
        );
    }
}
