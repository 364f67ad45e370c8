//! Historical completions from another learning system: a CSV with a header line and the columns
//! `person` (email or employee id), `course` (slug), `completed_at` (`YYYY-MM-DD` or RFC 3339)
//! and optionally `score` (percent, 0–100). The file is checked whole before anything is written.

use crate::{FieldError, FieldErrors};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// One valid line of a completions file.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Line in the file (1 is the header).
    pub line: u64,
    /// The person's id in the organisation.
    pub person: i64,
    /// Course slug.
    pub course: String,
    /// When it was completed (Unix seconds).
    pub at: i64,
    /// Score scaled to [0, 1], when given.
    pub score: Option<f64>,
}

fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h: String = h
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect();
        names.contains(&h.as_str())
    })
}

/// Parse a completion time: a calendar date (taken as midnight UTC) or an RFC 3339 instant.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(d) = crate::time_util::parse_date(s) {
        return Some(d.midnight().assume_utc().unix_timestamp());
    }
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Check a completions file. `person` finds a person by email or employee id; `course` says
/// whether a course slug exists; `now` refuses completions in the future. Every problem is
/// reported with its line and column; nothing is returned unless the whole file is good.
pub fn parse_completions(
    bytes: &[u8],
    person: &dyn Fn(&str) -> Option<i64>,
    course: &dyn Fn(&str) -> bool,
    now: i64,
) -> Result<Vec<Completion>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(FieldError::new("file", "unreadable", e.to_string())
                .at_line(1)
                .into())
        }
    };
    let person_col = column(
        &header,
        &["person", "email", "employee_id", "e_mail", "employee"],
    );
    let course_col = column(&header, &["course", "course_slug", "course_id"]);
    let at_col = column(
        &header,
        &["completed_at", "completed", "completion_date", "date"],
    );
    let score_col = column(&header, &["score", "score_percent", "result"]);
    for (col, name) in [
        (person_col, "person"),
        (course_col, "course"),
        (at_col, "completed_at"),
    ] {
        if col.is_none() {
            errors.push(
                FieldError::new(
                    name,
                    "missing-column",
                    format!("the file has no {name} column"),
                )
                .at_line(1),
            );
        }
    }
    let (Some(pc), Some(cc), Some(ac)) = (person_col, course_col, at_col) else {
        return Err(errors);
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError::new("file", "unreadable", e.to_string()).at_line(line));
                continue;
            }
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |c: usize| record.get(c).unwrap_or("");
        let mut bad = |field: &str, code: &'static str, msg: String| {
            errors.push(FieldError::new(field, code, msg).at_line(line));
        };
        let who = get(pc);
        let person_id = match person(who) {
            Some(p) => Some(p),
            None if who.is_empty() => {
                bad("person", "required", "give an email or employee id".into());
                None
            }
            None => {
                bad("person", "unknown", format!("no one here is {who}"));
                None
            }
        };
        let slug = get(cc);
        if !course(slug) {
            bad("course", "unknown", format!("there is no course {slug:?}"));
        }
        let at = match parse_instant(get(ac)) {
            Some(t) if t > now => {
                bad(
                    "completed_at",
                    "future",
                    format!("{} is in the future", get(ac)),
                );
                None
            }
            Some(t) => Some(t),
            None => {
                bad(
                    "completed_at",
                    "invalid-date",
                    format!("{:?} is not YYYY-MM-DD or an RFC 3339 time", get(ac)),
                );
                None
            }
        };
        let score = match score_col.map(get).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => match s.trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v / 100.0)),
                _ => Err(()),
            },
        };
        let score = score
            .map_err(|()| bad("score", "range", "give a score from 0 to 100".into()))
            .ok()
            .flatten();
        if let (Some(person), Some(at)) = (person_id, at) {
            if course(slug) {
                if !seen.insert((person, slug.to_string(), at)) {
                    continue;
                }
                out.push(Completion {
                    line,
                    person,
                    course: slug.to_string(),
                    at,
                    score,
                });
            }
        }
    }
    errors.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(k: &str) -> Option<i64> {
        match k {
            "ana@example.com" => Some(1),
            "E7" => Some(2),
            _ => None,
        }
    }

    fn course(s: &str) -> bool {
        s == "orientation"
    }

    #[test]
    fn a_good_file_parses_with_scores_scaled() {
        let csv = "Email,Course,Completed At,Score\n\
                   ana@example.com,orientation,2025-06-01,85\n\
                   E7,orientation,2025-06-02T10:00:00Z,\n";
        let rows = parse_completions(csv.as_bytes(), &person, &course, 2_000_000_000).expect("ok");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].score, Some(0.85));
        // 2025-06-01 00:00 UTC.
        assert_eq!(rows[0].at, 1_748_736_000);
        assert_eq!(rows[1].person, 2);
        assert_eq!(rows[1].score, None);
    }

    #[test]
    fn every_bad_line_is_named() {
        let csv = "person,course,completed_at,score\n\
                   nobody@example.com,orientation,2025-06-01,50\n\
                   ana@example.com,nope,2025-06-01,50\n\
                   ana@example.com,orientation,June,50\n\
                   ana@example.com,orientation,2025-06-01,140\n\
                   ana@example.com,orientation,2099-01-01,\n";
        let errors =
            parse_completions(csv.as_bytes(), &person, &course, 2_000_000_000).expect_err("bad");
        let found: Vec<(u64, &str)> = errors
            .0
            .iter()
            .map(|e| (e.line.unwrap_or(0), e.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "person"),
                (3, "course"),
                (4, "completed_at"),
                (5, "score"),
                (6, "completed_at")
            ]
        );
    }

    #[test]
    fn missing_columns_are_named_on_the_header_line() {
        let errors = parse_completions(b"email,score\n", &person, &course, 0).expect_err("bad");
        assert_eq!(errors.0.len(), 2);
        assert!(errors.0.iter().all(|e| e.line == Some(1)));
    }
}
