//! Phillips level 5: return on investment of a programme.
//!
//! Benefits are the training effect monetised with the organisation's own values (Somu has
//! none built in); costs are entered per programme by category.

use crate::effect::{Interval, TrainingEffect};
use crate::metric::{Metric, Reason};
use crate::money::Money;
use crate::panel::Outcome;

/// A programme's costs by category. Every amount is non-negative by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgrammeCosts {
    /// Content (writing, licences).
    pub content: Money,
    /// Instructors.
    pub instructors: Money,
    /// Platform (hosting, tools).
    pub platform: Money,
    /// Cost of one learner hour (salary and overhead).
    pub learner_hourly_cost: Money,
    /// Recorded learning time of all learners, in minutes.
    pub learning_minutes: u64,
}

impl ProgrammeCosts {
    /// Learner hours = hourly cost × recorded learning time, rounded to the nearest cent.
    pub fn learner_hours(&self) -> Option<Money> {
        let cents =
            i128::from(self.learner_hourly_cost.cents()) * i128::from(self.learning_minutes);
        let rounded = (cents + 30) / 60;
        i64::try_from(rounded)
            .ok()
            .and_then(|c| Money::from_cents("learner_hours", c).ok())
    }

    /// Content + instructors + platform + learner hours; `None` on overflow.
    pub fn total(&self) -> Option<Money> {
        self.content
            .checked_add(self.instructors)?
            .checked_add(self.platform)?
            .checked_add(self.learner_hours()?)
    }
}

/// The organisation's value of one extra unit of each outcome. Set the ones the
/// organisation believes in; setting both posts and engagements counts value that flows from
/// the same posts twice, so the help page advises choosing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BenefitValues {
    /// Value of one extra original post.
    pub per_post: Option<Money>,
    /// Value of one extra engagement.
    pub per_engagement: Option<Money>,
    /// Value of one extra unit of influence (one warm engagement a post can expect).
    pub per_influence: Option<Money>,
}

/// Who and how long the effect is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenefitScope {
    /// People who completed the programme.
    pub trained_people: u64,
    /// Weeks after completion the benefit is counted for (e.g. 52).
    pub horizon_weeks: u32,
}

/// Phillips L5 return on investment.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Roi {
    /// Monetised benefits, currency units.
    pub benefits: f64,
    /// Total costs.
    pub costs: Money,
    /// ROI % = (benefits − costs) / costs × 100.
    pub roi_percent: f64,
    /// BCR = benefits / costs.
    pub bcr: f64,
    /// ROI % at the ends of the effect's 95% interval, when exactly one value is set (the
    /// benefit is then a linear function of one effect).
    pub roi_percent_interval: Option<Interval>,
}

/// Benefits = trained people × horizon weeks × Σ effect(outcome) × value(outcome);
/// ROI % = (benefits − costs) / costs × 100; BCR = benefits / costs.
/// No value set → NoValues; zero costs → NoCosts; overflow → NotFinite.
pub fn roi(
    effect: &TrainingEffect,
    values: &BenefitValues,
    scope: BenefitScope,
    costs: &ProgrammeCosts,
) -> Metric<Roi> {
    let valued: Vec<(Outcome, Money)> = [
        (Outcome::Posts, values.per_post),
        (Outcome::Engagements, values.per_engagement),
        (Outcome::Influence, values.per_influence),
    ]
    .into_iter()
    .filter_map(|(o, v)| v.map(|v| (o, v)))
    .collect();
    if valued.is_empty() {
        return Metric::NotEnoughData(Reason::NoValues);
    }
    let Some(total_costs) = costs.total() else {
        return Metric::NotEnoughData(Reason::NotFinite);
    };
    if total_costs == Money::ZERO {
        return Metric::NotEnoughData(Reason::NoCosts);
    }
    let person_weeks = scope.trained_people as f64 * f64::from(scope.horizon_weeks);
    let c = total_costs.as_units();
    let monetise = |per_unit: f64, value: Money| value.as_units() * per_unit * person_weeks;
    let benefits: f64 = valued
        .iter()
        .map(|(o, v)| monetise(effect.outcome(*o).effect, *v))
        .sum();
    let roi_of = |b: f64| (b - c) / c * 100.0;
    let roi_percent_interval = match valued.as_slice() {
        [(o, v)] => effect.outcome(*o).interval.map(|i| Interval {
            low: roi_of(monetise(i.low, *v)),
            high: roi_of(monetise(i.high, *v)),
        }),
        _ => None,
    };
    Metric::finite(benefits).and_then(|benefits| {
        Metric::finite(roi_of(benefits)).and_then(|roi_percent| {
            Metric::finite(benefits / c).map(|bcr| Roi {
                benefits,
                costs: total_costs,
                roi_percent,
                bcr,
                roi_percent_interval,
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::{training_effect, EffectOptions};
    use crate::panel::{ActivityPanel, WeekActivity};
    use crate::period::IsoWeek;

    fn cents(c: i64) -> Money {
        Money::from_cents("test", c).unwrap_or(Money::ZERO)
    }

    #[test]
    fn costs_add_learner_hours() {
        let c = ProgrammeCosts {
            content: cents(100_000),
            instructors: cents(200_000),
            platform: cents(50_000),
            learner_hourly_cost: cents(6_000), // 60.00 an hour
            learning_minutes: 90 * 60 + 1,     // 90 h and 1 min
        };
        // 60.00 × 5401/60 = 5401.00 (exact: 6000 × 5401 / 60 = 540 100 cents).
        assert_eq!(c.learner_hours(), Some(cents(540_100)));
        // 1000 + 2000 + 500 + 5401 = 8901.00.
        assert_eq!(c.total(), Some(cents(890_100)));
    }

    /// Two people over 20 weeks: one trained in week 8 going from 0 to 1 post a week, one
    /// never trained at 0 throughout → effect on posts exactly 1 post per person-week.
    fn one_post_effect() -> TrainingEffect {
        let mut p = ActivityPanel::new(IsoWeek::new(2026, 1).unwrap(), 20);
        let t = p.add_person_at_offset(Some(8));
        p.add_person_at_offset(None);
        for w in 9..20 {
            let a = WeekActivity {
                original_posts: 1.0,
                engagements: 0.0,
                influence: 0.0,
            };
            p.record_offset(t, w, a);
        }
        let opts = EffectOptions {
            resamples: 0,
            seed: 0,
        };
        training_effect(&p, opts).value().unwrap()
    }

    #[test]
    fn roi_and_bcr_by_hand() {
        let e = one_post_effect();
        assert_eq!(e.outcome(Outcome::Posts).effect, 1.0);
        let values = BenefitValues {
            per_post: Some(cents(500)),
            ..Default::default()
        };
        let scope = BenefitScope {
            trained_people: 100,
            horizon_weeks: 52,
        };
        let costs = ProgrammeCosts {
            content: cents(1_000_000),
            ..Default::default()
        };
        // Benefits = 100 people × 52 weeks × 1 post × 5.00 = 26 000; costs 10 000.
        // ROI = (26 000 − 10 000)/10 000 × 100 = 160 %; BCR = 2.6.
        let r = roi(&e, &values, scope, &costs).value().unwrap();
        assert!((r.benefits - 26_000.0).abs() < 1e-6);
        assert!((r.roi_percent - 160.0).abs() < 1e-9);
        assert!((r.bcr - 2.6).abs() < 1e-12);
        assert_eq!(r.roi_percent_interval, None); // no resamples → no interval
        assert_eq!(
            roi(&e, &values, scope, &ProgrammeCosts::default()),
            Metric::NotEnoughData(Reason::NoCosts)
        );
        assert_eq!(
            roi(&e, &BenefitValues::default(), scope, &costs),
            Metric::NotEnoughData(Reason::NoValues)
        );
    }
}
