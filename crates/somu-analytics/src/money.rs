//! Money as whole cents in an `i64`: exact addition, no floating-point drift in totals.
//!
//! Somu has no built-in money values; every amount comes from the organisation and is parsed
//! here, so a negative or malformed amount is refused with the field named.

use std::fmt;

/// An amount of money in the organisation's currency, in cents. Never negative when built
/// through [`parse_money`] or [`Money::from_cents`]. Serialised (feature `serde`) as whole
/// cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Money(i64);

/// Why an amount of money was refused. Every variant names the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The amount is below zero.
    #[error("{field}: the amount must not be negative")]
    Negative {
        /// The input field's name.
        field: String,
    },
    /// The text is not a number like `1234` or `1234.56`.
    #[error("{field}: {input:?} is not an amount (write e.g. 1234.56)")]
    Invalid {
        /// The input field's name.
        field: String,
        /// What was typed.
        input: String,
    },
    /// More than two decimals.
    #[error("{field}: use at most two decimals")]
    TooPrecise {
        /// The input field's name.
        field: String,
    },
    /// The amount does not fit.
    #[error("{field}: the amount is too large")]
    TooLarge {
        /// The input field's name.
        field: String,
    },
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// Builds from cents, refusing a negative amount with the field named.
    pub fn from_cents(field: &str, cents: i64) -> Result<Money, MoneyError> {
        if cents < 0 {
            return Err(MoneyError::Negative {
                field: field.to_owned(),
            });
        }
        Ok(Money(cents))
    }

    /// The amount in cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// The amount in currency units as a float, for ratios (ROI, RevPAF).
    pub fn as_units(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Sum that reports overflow instead of wrapping.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self × n`, reporting overflow instead of wrapping.
    pub fn checked_mul(self, n: u64) -> Option<Money> {
        i64::try_from(n)
            .ok()
            .and_then(|n| self.0.checked_mul(n))
            .map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Parses an amount typed by a person: digits with an optional `.` or `,` and up to two
/// decimals (`"1234"`, `"1234.5"`, `"0,99"`); surrounding spaces are ignored. Negative,
/// malformed, over-precise or too large amounts are refused naming `field`.
pub fn parse_money(field: &str, input: &str) -> Result<Money, MoneyError> {
    let s = input.trim();
    let invalid = || MoneyError::Invalid {
        field: field.to_owned(),
        input: input.to_owned(),
    };
    if s.starts_with('-') {
        return Err(MoneyError::Negative {
            field: field.to_owned(),
        });
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let (whole, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(invalid());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid());
    }
    if s.contains(['.', ',']) && frac.is_empty() {
        return Err(invalid());
    }
    if frac.len() > 2 {
        return Err(MoneyError::TooPrecise {
            field: field.to_owned(),
        });
    }
    let too_large = || MoneyError::TooLarge {
        field: field.to_owned(),
    };
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let frac_cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| invalid())? * 10,
        _ => frac.parse::<i64>().map_err(|_| invalid())?,
    };
    units
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac_cents))
        .map(Money)
        .ok_or_else(too_large)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse_money("f", "1234").map(Money::cents), Ok(123_400));
        assert_eq!(parse_money("f", " 1234.5 ").map(Money::cents), Ok(123_450));
        assert_eq!(parse_money("f", "0,99").map(Money::cents), Ok(99));
        assert_eq!(parse_money("f", ".5").map(Money::cents), Ok(50));
        assert_eq!(parse_money("f", "+7").map(Money::cents), Ok(700));
    }

    #[test]
    fn refuses_bad_input_naming_the_field() {
        let e = parse_money("costs.content", "-5").unwrap_err();
        assert_eq!(
            e,
            MoneyError::Negative {
                field: "costs.content".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "costs.content: the amount must not be negative"
        );
        assert!(matches!(
            parse_money("x", "12.345"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            parse_money("x", "abc"),
            Err(MoneyError::Invalid { .. })
        ));
        assert!(matches!(
            parse_money("x", ""),
            Err(MoneyError::Invalid { .. })
        ));
        assert!(matches!(
            parse_money("x", "5."),
            Err(MoneyError::Invalid { .. })
        ));
        assert!(matches!(
            parse_money("x", "1e5"),
            Err(MoneyError::Invalid { .. })
        ));
        assert!(matches!(
            parse_money("x", "99999999999999999999"),
            Err(MoneyError::TooLarge { .. })
        ));
        assert!(matches!(
            Money::from_cents("y", -1),
            Err(MoneyError::Negative { .. })
        ));
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Money(123_405).to_string(), "1234.05");
    }
}
