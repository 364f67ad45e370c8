//! A programme's whole evaluation, Kirkpatrick L1–L4 and Phillips L5, in one call, so the
//! leadership page and the PDF report show the same numbers.

use crate::adoption::{adoption_curve, AdoptionCurve};
use crate::effect::{training_effect, EffectOptions, TrainingEffect};
use crate::influence::RevPaf;
use crate::kirkpatrick::{
    behaviour, learning, reaction, results, Behaviour, Learning, Reaction, Results, TestScores,
};
use crate::metric::Metric;
use crate::panel::ActivityPanel;
use crate::roi::{roi, BenefitScope, BenefitValues, ProgrammeCosts, Roi};

/// Everything a programme's evaluation is computed from.
#[derive(Debug, Clone, Copy)]
pub struct ProgrammeInputs<'a> {
    /// Survey ratings (L1).
    pub ratings: &'a [f64],
    /// 0–10 recommendation answers (L1, NPS).
    pub nps_scores: &'a [u8],
    /// Pre- and post-test scores (L2).
    pub tests: &'a [TestScores],
    /// Weekly activity of the organisation's people (L3, L4, L5).
    pub panel: &'a ActivityPanel,
    /// Bootstrap settings of the training effect.
    pub effect_options: EffectOptions,
    /// RevPAF before the programme (L4).
    pub revpaf_before: Metric<RevPaf>,
    /// RevPAF after the programme (L4).
    pub revpaf_after: Metric<RevPaf>,
    /// The organisation's values for monetising the effect (L5).
    pub values: BenefitValues,
    /// Who and how long the benefit counts for (L5).
    pub scope: BenefitScope,
    /// The programme's costs (L5).
    pub costs: ProgrammeCosts,
}

/// Kirkpatrick L1–L4 and Phillips L5, with the curve and effect they rest on.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProgrammeEvaluation {
    /// L1 reaction.
    pub reaction: Reaction,
    /// L2 learning.
    pub learning: Metric<Learning>,
    /// L3 behaviour.
    pub behaviour: Behaviour,
    /// L4 results.
    pub results: Results,
    /// L5 return on investment.
    pub roi: Metric<Roi>,
    /// The adoption curve behind L3.
    pub curve: AdoptionCurve,
    /// The training effect behind L3–L5.
    pub effect: Metric<TrainingEffect>,
}

/// Computes every level. The training effect is estimated once and shared by L3, L4, L5.
pub fn evaluate(inputs: &ProgrammeInputs<'_>) -> ProgrammeEvaluation {
    let curve = adoption_curve(inputs.panel);
    let effect = training_effect(inputs.panel, inputs.effect_options);
    let roi = effect
        .as_ref()
        .and_then(|e| roi(e, &inputs.values, inputs.scope, &inputs.costs));
    ProgrammeEvaluation {
        reaction: reaction(inputs.ratings, inputs.nps_scores),
        learning: learning(inputs.tests),
        behaviour: behaviour(&curve, &effect),
        results: results(&effect, inputs.revpaf_before, inputs.revpaf_after),
        roi,
        curve,
        effect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Reason;
    use crate::money::Money;
    use crate::panel::Outcome;
    use crate::synthetic::{generate, SyntheticParams};

    #[test]
    fn evaluates_every_level_from_one_effect() {
        let s = generate(SyntheticParams::new("acme", 200, 30, 1.0, 11)).unwrap();
        let panel = s.panel();
        let per_post = Money::from_cents("per_post", 200).ok();
        let inputs = ProgrammeInputs {
            ratings: &[4.0, 5.0],
            nps_scores: &[10, 3],
            tests: &[TestScores {
                pre: Some(50.0),
                post: Some(80.0),
            }],
            panel: &panel,
            effect_options: EffectOptions {
                resamples: 50,
                seed: 1,
            },
            revpaf_before: Metric::NotEnoughData(Reason::NoRevenue),
            revpaf_after: Metric::NotEnoughData(Reason::NoRevenue),
            values: BenefitValues {
                per_post,
                ..Default::default()
            },
            scope: BenefitScope {
                trained_people: 100,
                horizon_weeks: 10,
            },
            costs: ProgrammeCosts {
                platform: Money::ZERO,
                ..Default::default()
            },
        };
        let ev = evaluate(&inputs);
        // L1: mean (4 + 5)/2 = 4.5; NPS one promoter, one detractor of 2 → 0.
        assert_eq!(ev.reaction.mean_rating, Metric::Value(4.5));
        assert_eq!(ev.reaction.nps, Metric::Value(0.0));
        // L2: 80 − 50 = 30.
        assert_eq!(ev.learning.map(|l| l.mean_gain), Metric::Value(30.0));
        // L3 and L4 read the same effect as the one reported.
        let effect = ev.effect.as_ref().value().unwrap();
        assert_eq!(
            ev.behaviour.effect.value(),
            Some(*effect.outcome(Outcome::ActiveShare))
        );
        assert_eq!(
            ev.results.influence_effect.value(),
            Some(*effect.outcome(Outcome::Influence))
        );
        assert!(ev.behaviour.active_week6.is_value());
        assert_eq!(
            ev.results.revpaf_change,
            Metric::NotEnoughData(Reason::NoRevenue)
        );
        // No costs entered: ROI cannot be computed, and says why.
        assert_eq!(ev.roi, Metric::NotEnoughData(Reason::NoCosts));
    }
}
