//! Time conventions: instants are UTC `OffsetDateTime`, stored as Unix seconds;
//! calendar dates are `time::Date`, stored as ISO 8601 text (`2026-03-02`).

use time::{
    format_description::well_known::Rfc3339, macros::format_description, Date, OffsetDateTime,
};

/// Parse an ISO calendar date (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

/// Format a calendar date as `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Format an instant as RFC 3339 in UTC.
pub fn format_rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// An instant from Unix seconds, clamped into the representable range.
pub fn from_unix(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let d = parse_date("2026-03-02").expect("valid date");
        assert_eq!(format_date(d), "2026-03-02");
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("02/03/2026").is_none());
    }
}
