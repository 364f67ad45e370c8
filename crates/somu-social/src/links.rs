//! The bulk-link CSV: consents an organisation collected elsewhere, one account a row.
//!
//! ```text
//! person,platform,handle,consent_date
//! ana@northwind.example,mastodon,@ana@example.social,2026-01-15
//! E1002,x,ana_smith,2026-01-15
//! ```
//! `person` is an email or an employee id.

use crate::{check_handle, Platform};
use somu_domain::{FieldError, FieldErrors};
use time::macros::format_description;

/// One checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    /// Line in the file.
    pub line: u64,
    /// Email or employee id.
    pub person_key: String,
    /// Platform code.
    pub platform: String,
    /// Normalised handle.
    pub handle: String,
    /// When consent was given (Unix seconds, midnight UTC).
    pub consent_at: i64,
}

/// Parse a bulk-link CSV; every problem is listed with its line and column.
pub fn parse_links_csv(bytes: &[u8]) -> Result<Vec<LinkRow>, FieldErrors> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| {
            FieldError::new(
                "file",
                "bad-csv",
                format!("cannot read the header line: {e}"),
            )
        })?
        .clone();
    let col = |names: &[&str]| {
        headers.iter().position(|h| {
            let h = h.trim_start_matches('\u{feff}').to_ascii_lowercase();
            names.contains(&h.as_str())
        })
    };
    let cols = (
        col(&["person", "email", "employee_id"]),
        col(&["platform"]),
        col(&["handle"]),
        col(&["consent_date", "consent"]),
    );
    let (Some(pc), Some(plc), Some(hc), Some(cc)) = cols else {
        return Err(FieldError::new(
            "header",
            "missing-column",
            "the columns are person (email or employee id), platform, handle, consent_date",
        )
        .at_line(1)
        .into());
    };
    let mut rows = Vec::new();
    let mut errors = FieldErrors::default();
    let date_format = format_description!("[year]-[month]-[day]");
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(FieldError::new("line", "bad-csv", e.to_string()).at_line(line));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: usize| rec.get(i).unwrap_or_default();
        let person = get(pc);
        if person.is_empty() {
            errors.push(
                FieldError::new(
                    "person",
                    "required",
                    "give the person's email or employee id",
                )
                .at_line(line),
            );
        }
        let Some(platform) = Platform::parse(get(plc)) else {
            errors.push(
                FieldError::new(
                    "platform",
                    "unknown-value",
                    format!(
                        "\"{}\" is not one of x, linkedin, mastodon, bluesky, other",
                        get(plc)
                    ),
                )
                .at_line(line),
            );
            continue;
        };
        let handle = match check_handle(platform, get(hc)) {
            Ok(h) => h,
            Err(m) => {
                errors.push(FieldError::new("handle", "invalid", m).at_line(line));
                continue;
            }
        };
        let consent_at = match time::Date::parse(get(cc), date_format) {
            Ok(d) => d.midnight().assume_utc().unix_timestamp(),
            Err(_) => {
                errors.push(
                    FieldError::new(
                        "consent_date",
                        "invalid-date",
                        format!("\"{}\" is not a date like 2026-01-15", get(cc)),
                    )
                    .at_line(line),
                );
                continue;
            }
        };
        if !person.is_empty() {
            rows.push(LinkRow {
                line,
                person_key: person.to_string(),
                platform: platform.code().to_string(),
                handle,
                consent_at,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "empty", "the file holds no rows"));
    }
    errors.into_result(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_problems() {
        let ok = parse_links_csv(b"person,platform,handle,consent_date\nana@x.example,Mastodon,ana@example.social,2026-01-15\n").unwrap();
        assert_eq!(ok[0].handle, "@ana@example.social");
        assert_eq!(ok[0].line, 2);
        let bad = parse_links_csv(
            b"person,platform,handle,consent_date\n,myspace,a,2026-01-15\nb,x,ok,15/01/2026\n",
        )
        .unwrap_err();
        let places: Vec<_> = bad.0.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            places,
            vec![
                (Some(2), "person"),
                (Some(2), "platform"),
                (Some(3), "consent_date")
            ]
        );
        assert!(parse_links_csv(b"a,b\n1,2\n").is_err());
    }
}
