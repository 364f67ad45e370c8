//! Validation errors that name the place: the field, and where a file is involved the line.

use serde::Serialize;
use std::fmt;

/// One problem with one input value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Line number in an uploaded file (1-based, counting the header line), when the input is a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The field (form field, JSON member, CSV column) that is wrong.
    pub field: String,
    /// A plain-language explanation in English; the web layer may translate by `code`.
    pub message: String,
    /// A stable machine-readable code, e.g. `required`, `invalid-email`.
    pub code: &'static str,
}

impl FieldError {
    /// A problem with a form or JSON field.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            line: None,
            field: field.into(),
            message: message.into(),
            code,
        }
    }

    /// The same problem, located on a line of a file.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}, {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Every problem found in one input. Validation collects them all rather than stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Record one problem.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when there were no problems, else the problems.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        FieldErrors(vec![e])
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            e.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}
