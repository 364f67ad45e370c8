//! Kirkpatrick levels 1–4 for a programme. Level 5 (Phillips ROI) is in [`crate::roi`].

use crate::adoption::AdoptionCurve;
use crate::effect::{OutcomeEffect, TrainingEffect};
use crate::influence::RevPaf;
use crate::metric::{Metric, Reason};
use crate::panel::Outcome;

/// Level 1, reaction.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reaction {
    /// Mean survey rating, on whatever scale the survey used.
    pub mean_rating: Metric<f64>,
    /// Net Promoter Score: % promoters (9–10) − % detractors (0–6), from −100 to 100.
    pub nps: Metric<f64>,
    /// Ratings counted.
    pub ratings: usize,
    /// NPS answers counted.
    pub nps_answers: usize,
}

/// L1 reaction = mean survey rating and NPS from 0–10 scores.
/// Empty inputs → NoResponses; a non-finite rating or a score above 10 → OutOfRange.
pub fn reaction(ratings: &[f64], nps_scores: &[u8]) -> Reaction {
    let mean_rating = if ratings.is_empty() {
        Metric::NotEnoughData(Reason::NoResponses)
    } else if ratings.iter().any(|r| !r.is_finite()) {
        Metric::NotEnoughData(Reason::OutOfRange)
    } else {
        Metric::finite(ratings.iter().sum::<f64>() / ratings.len() as f64)
    };
    let nps = if nps_scores.is_empty() {
        Metric::NotEnoughData(Reason::NoResponses)
    } else if nps_scores.iter().any(|s| *s > 10) {
        Metric::NotEnoughData(Reason::OutOfRange)
    } else {
        let promoters = nps_scores.iter().filter(|s| **s >= 9).count() as f64;
        let detractors = nps_scores.iter().filter(|s| **s <= 6).count() as f64;
        Metric::finite((promoters - detractors) / nps_scores.len() as f64 * 100.0)
    };
    Reaction {
        mean_rating,
        nps,
        ratings: ratings.len(),
        nps_answers: nps_scores.len(),
    }
}

/// One learner's pre-test and post-test scores (either may be missing).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestScores {
    /// Score before training.
    pub pre: Option<f64>,
    /// Score after training.
    pub post: Option<f64>,
}

/// Level 2, learning.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Learning {
    /// Mean of (post-test − pre-test) over learners with both scores.
    pub mean_gain: f64,
    /// Learners with both scores.
    pub pairs: usize,
}

/// L2 learning = mean post-test minus pre-test score, over learners who have both.
/// None with both → NoTestPairs; a non-finite score → OutOfRange.
pub fn learning(scores: &[TestScores]) -> Metric<Learning> {
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for s in scores {
        if let (Some(pre), Some(post)) = (s.pre, s.post) {
            if !pre.is_finite() || !post.is_finite() {
                return Metric::NotEnoughData(Reason::OutOfRange);
            }
            sum += post - pre;
            pairs += 1;
        }
    }
    if pairs == 0 {
        return Metric::NotEnoughData(Reason::NoTestPairs);
    }
    Metric::finite(sum / pairs as f64).map(|mean_gain| Learning { mean_gain, pairs })
}

/// Level 3, behaviour.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Behaviour {
    /// Share of trained people active 6 weeks after completion.
    pub active_week6: Metric<f64>,
    /// Share active 12 weeks after completion.
    pub active_week12: Metric<f64>,
    /// Training effect on the active share.
    pub effect: Metric<OutcomeEffect>,
}

/// L3 behaviour = adoption at weeks 6 and 12 and its effect.
pub fn behaviour(curve: &AdoptionCurve, effect: &Metric<TrainingEffect>) -> Behaviour {
    let at = |k| {
        curve
            .at(k)
            .map_or(Metric::NotEnoughData(Reason::NoPeopleObserved), |p| {
                p.active_share
            })
    };
    Behaviour {
        active_week6: at(6),
        active_week12: at(12),
        effect: effect.as_ref().map(|e| *e.outcome(Outcome::ActiveShare)),
    }
}

/// Level 4, results.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Results {
    /// Training effect on influence per person-week.
    pub influence_effect: Metric<OutcomeEffect>,
    /// RevPAF in the period before the programme.
    pub revpaf_before: Metric<RevPaf>,
    /// RevPAF in the period after.
    pub revpaf_after: Metric<RevPaf>,
    /// RevPAF after − before. RevPAF is one number per organisation and period, so this is
    /// a before/after change with no comparison group: it is shown as such, not as an effect
    /// estimate with an interval.
    pub revpaf_change: Metric<f64>,
}

/// L4 results = effect on influence and on RevPAF.
pub fn results(
    effect: &Metric<TrainingEffect>,
    revpaf_before: Metric<RevPaf>,
    revpaf_after: Metric<RevPaf>,
) -> Results {
    let revpaf_change = revpaf_before
        .and_then(|b| revpaf_after.and_then(|a| Metric::finite(a.per_follower - b.per_follower)));
    Results {
        influence_effect: effect.as_ref().map(|e| *e.outcome(Outcome::Influence)),
        revpaf_before,
        revpaf_after,
        revpaf_change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::influence::RevpafScope;
    use crate::money::Money;

    #[test]
    fn reaction_mean_and_nps() {
        // Ratings 4, 5, 3 → mean 4.
        // Scores 10, 9, 8, 7, 6, 0: promoters 2, detractors 2 (6 and 0) → NPS 0.
        let r = reaction(&[4.0, 5.0, 3.0], &[10, 9, 8, 7, 6, 0]);
        assert_eq!(r.mean_rating, Metric::Value(4.0));
        assert_eq!(r.nps, Metric::Value(0.0));
        // 3 promoters of 4, no detractors → 75 − 0 = 75.
        assert_eq!(reaction(&[], &[9, 10, 10, 7]).nps, Metric::Value(75.0));
        // All detractors → −100.
        assert_eq!(reaction(&[], &[0, 6]).nps, Metric::Value(-100.0));
        let empty = reaction(&[], &[]);
        assert_eq!(
            empty.mean_rating,
            Metric::NotEnoughData(Reason::NoResponses)
        );
        assert_eq!(
            reaction(&[1.0], &[11]).nps,
            Metric::NotEnoughData(Reason::OutOfRange)
        );
        let nan = reaction(&[f64::NAN], &[]).mean_rating;
        assert_eq!(nan, Metric::NotEnoughData(Reason::OutOfRange));
    }

    #[test]
    fn learning_gain_over_complete_pairs() {
        let s = [
            TestScores {
                pre: Some(40.0),
                post: Some(70.0),
            }, // +30
            TestScores {
                pre: Some(60.0),
                post: Some(50.0),
            }, // −10
            TestScores {
                pre: None,
                post: Some(99.0),
            }, // ignored: no pre-test
        ];
        // (30 − 10) / 2 = 10 over 2 pairs.
        assert_eq!(
            learning(&s),
            Metric::Value(Learning {
                mean_gain: 10.0,
                pairs: 2
            })
        );
        assert_eq!(
            learning(&s[2..]),
            Metric::NotEnoughData(Reason::NoTestPairs)
        );
    }

    #[test]
    fn results_revpaf_change() {
        let rp = |per_follower| {
            Metric::Value(RevPaf {
                per_follower,
                revenue: Money::ZERO,
                audience: 1,
                scope: RevpafScope::BrandOnly,
            })
        };
        // 2.75 − 2.50 = 0.25 more revenue per follower.
        let r = results(
            &Metric::NotEnoughData(Reason::NoTrainedPeople),
            rp(2.5),
            rp(2.75),
        );
        assert_eq!(r.revpaf_change, Metric::Value(0.25));
        assert_eq!(r.influence_effect.reason(), Some(Reason::NoTrainedPeople));
        let r = results(
            &Metric::NotEnoughData(Reason::NoTrainedPeople),
            Metric::NotEnoughData(Reason::NoRevenue),
            rp(1.0),
        );
        assert_eq!(r.revpaf_change, Metric::NotEnoughData(Reason::NoRevenue));
    }
}
