//! The result type every metric returns: a value, or "not enough data" with the reason.
//!
//! A metric never returns NaN, infinity or a number made up to fill a gap. When the inputs
//! cannot support a value (no posts, zero reach, no comparison group…) the caller gets
//! [`Metric::NotEnoughData`] with a [`Reason`] it can show to a person.

use std::fmt;

/// Either a computed value or the reason why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Metric<T> {
    /// The metric could be computed.
    Value(T),
    /// The inputs do not support a value; the reason says why.
    NotEnoughData(Reason),
}

impl<T> Metric<T> {
    /// The value, if there is one.
    pub fn value(self) -> Option<T> {
        match self {
            Metric::Value(v) => Some(v),
            Metric::NotEnoughData(_) => None,
        }
    }

    /// The reason, if there is no value.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Metric::Value(_) => None,
            Metric::NotEnoughData(r) => Some(*r),
        }
    }

    /// True when there is a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Metric::Value(_))
    }

    /// Borrow the value.
    pub fn as_ref(&self) -> Metric<&T> {
        match self {
            Metric::Value(v) => Metric::Value(v),
            Metric::NotEnoughData(r) => Metric::NotEnoughData(*r),
        }
    }

    /// Transform the value, keeping the reason.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Metric<U> {
        match self {
            Metric::Value(v) => Metric::Value(f(v)),
            Metric::NotEnoughData(r) => Metric::NotEnoughData(r),
        }
    }

    /// Chain a computation that may itself lack data.
    pub fn and_then<U>(self, f: impl FnOnce(T) -> Metric<U>) -> Metric<U> {
        match self {
            Metric::Value(v) => f(v),
            Metric::NotEnoughData(r) => Metric::NotEnoughData(r),
        }
    }
}

impl Metric<f64> {
    /// Wraps a float, refusing NaN and infinity so no made-up number escapes.
    pub fn finite(v: f64) -> Metric<f64> {
        if v.is_finite() {
            Metric::Value(v)
        } else {
            Metric::NotEnoughData(Reason::NotFinite)
        }
    }
}

/// Why a metric has no value. Each reason has a stable [`Reason::code`] that the web layer
/// maps to a Fluent message id, and an English [`fmt::Display`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The set of posts is empty.
    NoPosts,
    /// The posts have zero total reach (no impressions and no followers).
    NoReach,
    /// No follower-count snapshot exists at or before the moment asked for.
    NoFollowers,
    /// The posts have no engagements to weight by.
    NoEngagements,
    /// Neither replies/mentions nor the post's own text carry a sentiment score.
    NoSentiment,
    /// The programme has no costs entered (ROI divides by costs).
    NoCosts,
    /// No revenue has been entered for the period.
    NoRevenue,
    /// Nobody is in the comparison group (everyone was trained too early).
    NoComparisonGroup,
    /// No trained people (no completion cohort) in the data.
    NoTrainedPeople,
    /// The completion cohort's before/after windows fall outside the observed weeks.
    WindowOutsideData,
    /// No survey responses.
    NoResponses,
    /// No learner has both a pre-test and a post-test score.
    NoTestPairs,
    /// No person has observed activity at this point of the curve.
    NoPeopleObserved,
    /// An input value is outside its allowed range (e.g. an NPS score above 10).
    OutOfRange,
    /// A computation overflowed or produced a non-finite number from extreme inputs.
    NotFinite,
    /// The organisation has not set money values for the quantities to monetise.
    NoValues,
}

impl Reason {
    /// Stable machine-readable code, e.g. `"no-reach"`; never changes once shipped.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoPosts => "no-posts",
            Reason::NoReach => "no-reach",
            Reason::NoFollowers => "no-followers",
            Reason::NoEngagements => "no-engagements",
            Reason::NoSentiment => "no-sentiment",
            Reason::NoCosts => "no-costs",
            Reason::NoRevenue => "no-revenue",
            Reason::NoComparisonGroup => "no-comparison-group",
            Reason::NoTrainedPeople => "no-trained-people",
            Reason::WindowOutsideData => "window-outside-data",
            Reason::NoResponses => "no-responses",
            Reason::NoTestPairs => "no-test-pairs",
            Reason::NoPeopleObserved => "no-people-observed",
            Reason::OutOfRange => "out-of-range",
            Reason::NotFinite => "not-finite",
            Reason::NoValues => "no-values",
        }
    }

    /// Every reason, for exhaustive checks (e.g. that each code has a Fluent message).
    pub const ALL: [Reason; 16] = [
        Reason::NoPosts,
        Reason::NoReach,
        Reason::NoFollowers,
        Reason::NoEngagements,
        Reason::NoSentiment,
        Reason::NoCosts,
        Reason::NoRevenue,
        Reason::NoComparisonGroup,
        Reason::NoTrainedPeople,
        Reason::WindowOutsideData,
        Reason::NoResponses,
        Reason::NoTestPairs,
        Reason::NoPeopleObserved,
        Reason::OutOfRange,
        Reason::NotFinite,
        Reason::NoValues,
    ];
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Reason::NoPosts => "there are no posts in this period",
            Reason::NoReach => "the posts have no reach (no impressions and no followers)",
            Reason::NoFollowers => "no follower count is known at or before the end of the period",
            Reason::NoEngagements => "the posts have no engagements",
            Reason::NoSentiment => "no sentiment score is available for these posts",
            Reason::NoCosts => "no programme costs have been entered",
            Reason::NoRevenue => "no revenue has been entered for this period",
            Reason::NoComparisonGroup => {
                "there is nobody left untrained to compare with over the same weeks"
            }
            Reason::NoTrainedPeople => "nobody has completed training in the observed weeks",
            Reason::WindowOutsideData => {
                "the 8 weeks before or after completion are not all in the observed data"
            }
            Reason::NoResponses => "there are no survey responses",
            Reason::NoTestPairs => "no learner has both a pre-test and a post-test score",
            Reason::NoPeopleObserved => "nobody has activity observed at this point",
            Reason::OutOfRange => "an input value is outside its allowed range",
            Reason::NotFinite => "the inputs are too extreme to give a meaningful number",
            Reason::NoValues => "the organisation has not set money values to monetise this",
        };
        f.write_str(text)
    }
}

/// Divides, returning the reason instead of a non-finite value when the denominator is 0.
pub(crate) fn ratio(num: f64, den: f64, when_zero: Reason) -> Metric<f64> {
    if den == 0.0 {
        Metric::NotEnoughData(when_zero)
    } else {
        Metric::finite(num / den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let codes: HashSet<_> = Reason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Reason::ALL.len());
        for c in codes {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{c}"
            );
        }
    }

    #[test]
    fn ratio_refuses_zero_and_non_finite() {
        assert_eq!(ratio(3.0, 4.0, Reason::NoReach), Metric::Value(0.75));
        assert_eq!(
            ratio(3.0, 0.0, Reason::NoReach),
            Metric::NotEnoughData(Reason::NoReach)
        );
        // f64::MAX / tiny overflows to infinity: refused rather than shown.
        assert_eq!(
            ratio(f64::MAX, 1e-300, Reason::NoReach),
            Metric::NotEnoughData(Reason::NotFinite)
        );
    }

    #[test]
    fn display_is_english_sentence_fragment() {
        assert_eq!(
            Reason::NoCosts.to_string(),
            "no programme costs have been entered"
        );
    }
}
