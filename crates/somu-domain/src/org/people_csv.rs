//! The HR CSV import: guess how columns map to person fields, then validate every row.
//! A file with any bad row is refused whole, so validation reports every problem at once.

use super::{PersonDraft, PersonField, PersonInput};
use crate::{FieldError, FieldErrors};
use std::collections::HashMap;

/// The most rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 1_000_000;

/// Which person field each CSV column feeds (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMapping {
    /// One entry per column, in file order.
    pub columns: Vec<Option<PersonField>>,
}

impl ColumnMapping {
    /// Guess the mapping from header names, matching common HR export names case-insensitively.
    pub fn guess(headers: &[String]) -> Self {
        let mut used = Vec::new();
        let columns = headers
            .iter()
            .map(|h| {
                let h = normalise_header(h);
                let field = PersonField::ALL.iter().copied().find(|f| {
                    !used.contains(f)
                        && f.header_synonyms().iter().any(|s| normalise_header(s) == h)
                });
                if let Some(f) = field {
                    used.push(f);
                }
                field
            })
            .collect();
        ColumnMapping { columns }
    }

    /// The column feeding a field.
    pub fn column_of(&self, field: PersonField) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(field))
    }

    /// Check that required fields are mapped and no field is mapped twice.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        for f in PersonField::ALL {
            let n = self.columns.iter().filter(|c| **c == Some(*f)).count();
            if n == 0 && f.required() {
                errors.push(FieldError::new(
                    f.code(),
                    "unmapped",
                    format!("choose the column that holds {}", f.code()),
                ));
            }
            if n > 1 {
                errors.push(FieldError::new(
                    f.code(),
                    "mapped-twice",
                    format!("{} is chosen for {n} columns; choose one", f.code()),
                ));
            }
        }
        errors.into_result(())
    }
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace(['-', '.', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One valid row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    /// The validated person.
    pub person: PersonInput,
}

/// A parsed and fully validated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleFile {
    /// The header names as written.
    pub headers: Vec<String>,
    /// The mapping used.
    pub mapping: ColumnMapping,
    /// Every row, valid.
    pub rows: Vec<ImportRow>,
}

/// Read only the header line: the mapping step shows it.
pub fn read_headers(bytes: &[u8]) -> Result<Vec<String>, FieldErrors> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.byte_headers().map_err(|e| {
        FieldErrors::from(FieldError::new("file", "unreadable", e.to_string()).at_line(1))
    })?;
    let headers: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            std::str::from_utf8(h)
                .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
                .map_err(|_| {
                    FieldError::new(
                        format!("column {}", i + 1),
                        "not-utf8",
                        "the header is not UTF-8 text",
                    )
                    .at_line(1)
                })
        })
        .collect::<Result<_, _>>()
        .map_err(FieldErrors::from)?;
    if headers.iter().all(|h| h.is_empty()) {
        return Err(
            FieldError::new("file", "empty", "the file has no header line")
                .at_line(1)
                .into(),
        );
    }
    Ok(headers)
}

/// Parse and validate a whole HR CSV file.
///
/// `existing_key` tells whether an email or employee id already belongs to someone in the
/// organisation, so that a manager may be someone not in this file.
pub fn parse_people_csv(
    bytes: &[u8],
    mapping: Option<ColumnMapping>,
    existing_key: &dyn Fn(&str) -> bool,
) -> Result<PeopleFile, FieldErrors> {
    let headers = read_headers(bytes)?;
    let mapping = mapping.unwrap_or_else(|| ColumnMapping::guess(&headers));
    if mapping.columns.len() != headers.len() {
        return Err(FieldError::new(
            "mapping",
            "column-count",
            format!(
                "the mapping names {} columns but the file has {}",
                mapping.columns.len(),
                headers.len()
            ),
        )
        .into());
    }
    mapping.check()?;
    let label = |f: PersonField| -> String {
        mapping
            .column_of(f)
            .and_then(|i| headers.get(i))
            .cloned()
            .unwrap_or_else(|| f.code().to_string())
    };

    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut errors = FieldErrors::default();
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Natural keys seen so far in this file → line, to report duplicates against their first use.
    let mut emails: HashMap<String, u64> = HashMap::new();
    let mut employee_ids: HashMap<String, u64> = HashMap::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                errors.push(FieldError::new("file", "unreadable", e.to_string()).at_line(line));
                break;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if rows.len() + errors.0.len() >= MAX_IMPORT_ROWS {
            errors.push(
                FieldError::new(
                    "file",
                    "too-many-rows",
                    format!("a file may hold at most {MAX_IMPORT_ROWS} rows"),
                )
                .at_line(line),
            );
            break;
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(
                FieldError::new(
                    "row",
                    "column-count",
                    format!(
                        "has {} columns where the header has {}",
                        record.len(),
                        headers.len()
                    ),
                )
                .at_line(line),
            );
            continue;
        }
        let mut draft = PersonDraft::default();
        let mut row_ok = true;
        for (i, raw) in record.iter().enumerate() {
            let Some(field) = mapping.columns[i] else {
                continue;
            };
            match std::str::from_utf8(raw) {
                Ok(v) => draft.set(field, v),
                Err(_) => {
                    errors.push(
                        FieldError::new(label(field), "not-utf8", "this value is not UTF-8 text")
                            .at_line(line),
                    );
                    row_ok = false;
                }
            }
        }
        if !row_ok {
            continue;
        }
        match PersonInput::validate(&draft, &label) {
            Ok(person) => {
                if let Some(first) = emails.insert(person.email.clone(), line) {
                    errors.push(
                        FieldError::new(
                            label(PersonField::Email),
                            "duplicate",
                            format!("{} already appears on line {first}", person.email),
                        )
                        .at_line(line),
                    );
                }
                if let Some(eid) = &person.employee_id {
                    if let Some(first) = employee_ids.insert(eid.clone(), line) {
                        errors.push(
                            FieldError::new(
                                label(PersonField::EmployeeId),
                                "duplicate",
                                format!("{eid} already appears on line {first}"),
                            )
                            .at_line(line),
                        );
                    }
                }
                rows.push(ImportRow { line, person });
            }
            Err(row_errors) => errors
                .0
                .extend(row_errors.0.into_iter().map(|e| e.at_line(line))),
        }
    }
    // Managers may be anyone in the file or already in the organisation.
    for row in &rows {
        if let Some(m) = &row.person.manager {
            if !emails.contains_key(m) && !employee_ids.contains_key(m) && !existing_key(m) {
                errors.push(
                    FieldError::new(
                        label(PersonField::Manager),
                        "unknown-manager",
                        format!("no one with the email or employee id \"{m}\" is in this file or the organisation"),
                    )
                    .at_line(row.line),
                );
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors
            .push(FieldError::new("file", "empty", "the file has a header but no rows").at_line(2));
    }
    errors.0.sort_by_key(|e| e.line);
    errors.into_result(PeopleFile {
        headers,
        mapping,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Audience;

    const GOOD: &str = "Employee ID,Full Name,E-mail,Department,Manager Email,Audience,Contract\n\
        E1,Ana Lima,ana@example.com,Sales,,leadership,employee\n\
        E2,Ben Okafor,ben@example.com,Sales,ana@example.com,practitioner,part-time\n";

    #[test]
    fn headers_are_mapped_by_common_names() {
        let file = parse_people_csv(GOOD.as_bytes(), None, &|_| false).expect("valid");
        assert_eq!(file.mapping.column_of(PersonField::Email), Some(2));
        assert_eq!(file.mapping.column_of(PersonField::Team), Some(3));
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[0].person.audience, Audience::Leadership);
        assert_eq!(file.rows[1].line, 3);
        assert_eq!(
            file.rows[1].person.manager.as_deref(),
            Some("ana@example.com")
        );
    }

    #[test]
    fn bad_rows_are_all_reported_with_line_and_column() {
        let csv = "email,name,audience,manager\n\
            ok@example.com,Ok,observer,\n\
            bad-email,Bad,observer,\n\
            ok@example.com,Dup,boss,\n\
            x@example.com,X,observer,nobody@example.com\n";
        let errs = parse_people_csv(csv.as_bytes(), None, &|_| false).expect_err("invalid");
        let got: Vec<(Option<u64>, &str, &str)> = errs
            .0
            .iter()
            .map(|e| (e.line, e.field.as_str(), e.code))
            .collect();
        assert_eq!(
            got,
            [
                (Some(3), "email", "invalid-email"),
                (Some(4), "audience", "unknown-value"),
                (Some(5), "manager", "unknown-manager"),
            ]
        );
    }

    #[test]
    fn duplicates_name_the_first_line() {
        let csv = "email,name\na@example.com,A\nA@example.com,B\n";
        let errs = parse_people_csv(csv.as_bytes(), None, &|_| false).expect_err("dup");
        assert_eq!(errs.0[0].line, Some(3));
        assert!(
            errs.0[0].message.contains("line 2"),
            "{}",
            errs.0[0].message
        );
    }

    #[test]
    fn missing_required_column_is_named() {
        let errs = parse_people_csv(b"name\nAna\n", None, &|_| false).expect_err("no email");
        assert_eq!(errs.0[0].field, "email");
        assert_eq!(errs.0[0].code, "unmapped");
    }

    #[test]
    fn multi_line_quoted_values_keep_their_line() {
        let csv = "email,name,job title\na@example.com,A,\"Head of\nthings\"\nbad,B,x\n";
        let errs = parse_people_csv(csv.as_bytes(), None, &|_| false).expect_err("bad");
        assert_eq!(errs.0[0].line, Some(4));
    }

    #[test]
    fn a_manager_already_in_the_org_is_accepted() {
        let csv = "email,name,manager\na@example.com,A,E77\n";
        let file = parse_people_csv(csv.as_bytes(), None, &|k| k == "E77").expect("valid");
        assert_eq!(file.rows.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = parse_people_csv(&bytes, None, &|_| false);
        }

        #[test]
        fn arbitrary_text_rows_never_panic(body in "[a-z@.,\"\\n ]{0,400}") {
            let csv = format!("email,name,manager,start_date\n{body}");
            let _ = parse_people_csv(csv.as_bytes(), None, &|_| false);
        }
    }
}
