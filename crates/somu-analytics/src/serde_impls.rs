//! JSON shapes of the values that have a stable text form: reasons and outcomes as their
//! codes (the web layer maps them to Fluent ids), weeks as `2026-W10`.

use crate::metric::Reason;
use crate::panel::Outcome;
use crate::period::IsoWeek;
use serde::{Serialize, Serializer};

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl Serialize for IsoWeek {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use crate::metric::{Metric, Reason};
    use crate::money::Money;
    use crate::rollup::{SetReach, SetReachKind};

    #[test]
    fn json_shapes() {
        let v: Metric<f64> = Metric::Value(0.25);
        assert_eq!(
            serde_json::to_string(&v).ok(),
            Some(r#"{"value":0.25}"#.into())
        );
        let n: Metric<f64> = Metric::NotEnoughData(Reason::NoReach);
        let json = serde_json::to_string(&n).ok();
        assert_eq!(json, Some(r#"{"not_enough_data":"no-reach"}"#.into()));
        let r = SetReach {
            value: 10,
            kind: SetReachKind::Mixed,
        };
        let json = serde_json::to_string(&r).ok();
        assert_eq!(json, Some(r#"{"value":10,"kind":"mixed"}"#.into()));
        let m = Money::from_cents("x", 1234).unwrap_or_default();
        assert_eq!(serde_json::to_string(&m).ok(), Some("1234".into()));
        let w = crate::period::IsoWeek::new(2026, 10);
        assert_eq!(serde_json::to_string(&w).ok(), Some(r#""2026-W10""#.into()));
    }
}
