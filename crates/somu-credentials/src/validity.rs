//! The validity period of a credential (`validFrom`, `validUntil`), checked against a time
//! the caller supplies, so tests and the verification page share one clock.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Where `now` falls in a credential's validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// `validFrom ≤ now` and (no `validUntil`, or `now < validUntil`).
    Valid,
    /// `now < validFrom`.
    NotYetValid,
    /// `validUntil ≤ now`: expired, recertification due.
    Expired,
}

/// A date field that is not an RFC 3339 date-time with a time zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` is not a date-time with a time zone: {value:?}")]
pub struct DateError {
    /// `validFrom` or `validUntil`.
    pub field: &'static str,
    /// The value found (empty when absent or not a string).
    pub value: String,
}

fn date(credential: &Value, field: &'static str) -> Result<Option<OffsetDateTime>, DateError> {
    match credential.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => {
            OffsetDateTime::parse(s, &Rfc3339)
                .map(Some)
                .map_err(|_| DateError {
                    field,
                    value: s.clone(),
                })
        }
        Some(_) => Err(DateError {
            field,
            value: String::new(),
        }),
    }
}

/// Compare `now` with the credential's `validFrom` and `validUntil`.
///
/// # Errors
/// [`DateError`] when a present field is not an RFC 3339 date-time.
pub fn check_validity(credential: &Value, now: OffsetDateTime) -> Result<Validity, DateError> {
    if date(credential, "validFrom")?.is_some_and(|from| now < from) {
        return Ok(Validity::NotYetValid);
    }
    if date(credential, "validUntil")?.is_some_and(|until| until <= now) {
        return Ok(Validity::Expired);
    }
    Ok(Validity::Valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    #[test]
    fn before_during_and_after() {
        let c = json!({ "validFrom": "2026-03-02T09:14:00Z", "validUntil": "2028-03-02T09:14:00+01:00" });
        assert_eq!(
            check_validity(&c, datetime!(2026-03-02 09:13:59 UTC)),
            Ok(Validity::NotYetValid)
        );
        assert_eq!(
            check_validity(&c, datetime!(2026-03-02 09:14:00 UTC)),
            Ok(Validity::Valid)
        );
        // validUntil is 08:14 UTC (09:14 at +01:00): a second before is valid, then expired.
        assert_eq!(
            check_validity(&c, datetime!(2028-03-02 08:13:59 UTC)),
            Ok(Validity::Valid)
        );
        assert_eq!(
            check_validity(&c, datetime!(2028-03-02 08:14:00 UTC)),
            Ok(Validity::Expired)
        );
    }

    #[test]
    fn no_expiry_means_valid_for_ever_and_bad_dates_are_named() {
        let c = json!({ "validFrom": "2026-03-02T09:14:00Z" });
        assert_eq!(
            check_validity(&c, datetime!(2126-01-01 00:00 UTC)),
            Ok(Validity::Valid)
        );
        let bad = json!({ "validFrom": "2026-03-02", "validUntil": 5 });
        assert_eq!(
            check_validity(&bad, datetime!(2026-01-01 00:00 UTC))
                .unwrap_err()
                .field,
            "validFrom"
        );
    }
}
