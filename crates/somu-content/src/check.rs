//! Shared validation helpers: the error sink that turns spans into lines,
//! and the rules for questions that quizzes and the item bank share.

use std::collections::BTreeSet;
use std::ops::Range;
use std::str::FromStr;

use serde::de::DeserializeOwned;

use crate::error::{ErrorKind, PackageError};
use crate::model::{Question, QuestionKind, QuizOption, UnknownName};
use crate::raw::{RawQuestion, S};

/// Collects problems for one package.
#[derive(Default)]
pub(crate) struct Sink {
    pub errors: Vec<PackageError>,
}

/// One text file being checked: its path and content, for line numbers.
#[derive(Clone, Copy)]
pub(crate) struct Src<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

impl Sink {
    pub fn at(&mut self, src: Src<'_>, span: Option<Range<usize>>, field: &str, kind: ErrorKind) {
        self.errors.push(PackageError {
            file: src.file.to_owned(),
            line: span.map(|s| line_of(src.text, s.start)),
            field: (!field.is_empty()).then(|| field.to_owned()),
            kind,
        });
    }

    pub fn file(&mut self, file: &str, kind: ErrorKind) {
        self.errors.push(PackageError {
            file: file.to_owned(),
            line: None,
            field: None,
            kind,
        });
    }

    /// Parses a TOML file, reporting a parse error with its line and, when
    /// the parser names one, the field.
    pub fn parse<T: DeserializeOwned>(&mut self, src: Src<'_>) -> Option<T> {
        match toml::from_str::<T>(src.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let msg = e.message().trim().to_owned();
                let field = field_in_message(&msg).unwrap_or_default();
                self.at(src, e.span(), &field, ErrorKind::Toml(msg));
                None
            }
        }
    }

    /// A required text: reports it when empty.
    pub fn text(&mut self, src: Src<'_>, v: &S<String>, field: &str) -> String {
        if v.get_ref().trim().is_empty() {
            self.at(src, Some(v.span()), field, ErrorKind::Empty);
        }
        v.get_ref().clone()
    }

    /// A slug or id: lower-case ASCII letters, digits, hyphens, not empty.
    pub fn slug(&mut self, src: Src<'_>, v: &S<String>, field: &str) -> String {
        let s = v.get_ref();
        if !is_slug(s) {
            self.at(src, Some(v.span()), field, ErrorKind::BadSlug(s.clone()));
        }
        s.clone()
    }

    /// A closed-set name such as a quiz kind or an audience.
    pub fn name<T: FromStr<Err = UnknownName>>(
        &mut self,
        src: Src<'_>,
        v: &S<String>,
        field: &str,
    ) -> Option<T> {
        match v.get_ref().parse::<T>() {
            Ok(t) => Some(t),
            Err(e) => {
                self.at(src, Some(v.span()), field, e.into());
                None
            }
        }
    }

    /// A percentage 0–100.
    pub fn percent(&mut self, src: Src<'_>, v: &S<i64>, field: &str) -> u8 {
        match u8::try_from(*v.get_ref()) {
            Ok(p) if p <= 100 => p,
            _ => {
                self.at(
                    src,
                    Some(v.span()),
                    field,
                    ErrorKind::Percentage(*v.get_ref()),
                );
                0
            }
        }
    }

    /// An optional attempt limit, 1 to 20.
    pub fn attempts(&mut self, src: Src<'_>, v: Option<&S<i64>>, field: &str) -> Option<u8> {
        let v = v?;
        match u8::try_from(*v.get_ref()) {
            Ok(n) if (1..=20).contains(&n) => Some(n),
            _ => {
                self.at(
                    src,
                    Some(v.span()),
                    field,
                    ErrorKind::Attempts(*v.get_ref()),
                );
                None
            }
        }
    }

    /// A list of slugs with no duplicates.
    pub fn slug_list(&mut self, src: Src<'_>, v: &S<Vec<S<String>>>, field: &str) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, s) in v.get_ref().iter().enumerate() {
            let f = format!("{field}[{i}]");
            let slug = self.slug(src, s, &f);
            if !seen.insert(slug.clone()) {
                self.at(src, Some(s.span()), &f, ErrorKind::Duplicate(slug.clone()));
            }
            out.push(slug);
        }
        out
    }
}

/// `true` for a non-empty string of `a-z`, `0-9` and `-`.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn field_in_message(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    let name = &msg[start..start + len];
    (msg.contains("field") && !name.contains(' ')).then(|| name.to_owned())
}

/// Checks one question against the rules of its kind. `path` is the field
/// prefix, e.g. `question[3]`.
pub(crate) fn question(sink: &mut Sink, src: Src<'_>, raw: &RawQuestion, path: &str) -> Question {
    let id = sink.slug(src, &raw.id, &format!("{path}.id"));
    let prompt = sink.text(src, &raw.prompt, &format!("{path}.prompt"));
    let kind = sink.name::<QuestionKind>(src, &raw.kind, &format!("{path}.kind"));
    let mut options = Vec::new();
    for (i, o) in raw.options.iter().enumerate() {
        let opath = format!("{path}.option[{i}]");
        let text = sink.text(src, &o.text, &format!("{opath}.text"));
        let explanation = match &o.explanation {
            Some(e) => sink.text(src, e, &format!("{opath}.explanation")),
            None => {
                let f = format!("{opath}.explanation");
                sink.at(src, Some(o.text.span()), &f, ErrorKind::Missing);
                String::new()
            }
        };
        let correct = match (&o.correct, kind) {
            (Some(c), Some(QuestionKind::Ordering)) => {
                let f = format!("{opath}.correct");
                sink.at(src, Some(c.span()), &f, ErrorKind::NotAllowed("ordering"));
                false
            }
            (Some(c), _) => *c.get_ref(),
            (None, Some(QuestionKind::Ordering) | None) => false,
            (None, Some(_)) => {
                let f = format!("{opath}.correct");
                sink.at(src, Some(o.text.span()), &f, ErrorKind::Missing);
                false
            }
        };
        options.push(QuizOption {
            text,
            correct,
            explanation,
        });
    }
    let rubric = raw.rubric.as_ref().map(|r| r.get_ref().clone());
    if let Some(kind) = kind {
        check_kind(sink, src, raw, path, kind, &options);
    }
    Question {
        id,
        kind: kind.unwrap_or(QuestionKind::Single),
        prompt,
        options,
        rubric,
    }
}

fn check_kind(
    sink: &mut Sink,
    src: Src<'_>,
    raw: &RawQuestion,
    path: &str,
    kind: QuestionKind,
    options: &[QuizOption],
) {
    let span = Some(raw.kind.span());
    let n = options.len();
    let correct = options.iter().filter(|o| o.correct).count();
    let name = kind.as_str();
    let opt_field = format!("{path}.option");
    let mut count = |expected: &'static str, ok: bool, found: usize, correct_rule: bool| {
        if ok {
            return;
        }
        let kind = if correct_rule {
            ErrorKind::CorrectCount {
                kind: name,
                expected,
                found,
            }
        } else {
            ErrorKind::OptionCount {
                kind: name,
                expected,
                found,
            }
        };
        sink.at(src, span.clone(), &opt_field, kind);
    };
    match kind {
        QuestionKind::Single => {
            count("at least 2", n >= 2, n, false);
            count("exactly 1", correct == 1, correct, true);
        }
        QuestionKind::Multiple => {
            count("at least 2", n >= 2, n, false);
            count("at least 1", correct >= 1, correct, true);
        }
        QuestionKind::TrueFalse => {
            count("exactly 2", n == 2, n, false);
            count("exactly 1", correct == 1, correct, true);
        }
        QuestionKind::Ordering => count("at least 2", n >= 2, n, false),
        QuestionKind::ShortText => {
            count("no", n == 0, n, false);
            match &raw.rubric {
                None => sink.at(src, span, &format!("{path}.rubric"), ErrorKind::Missing),
                Some(r) => {
                    sink.text(src, r, &format!("{path}.rubric"));
                }
            }
        }
    }
    if kind != QuestionKind::ShortText {
        if let Some(r) = &raw.rubric {
            let f = format!("{path}.rubric");
            sink.at(src, Some(r.span()), &f, ErrorKind::NotAllowed(name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let text = "a\nb\nc";
        assert_eq!(line_of(text, 0), 1);
        // Offset 2 is the `b` after the first newline.
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 4), 3);
        assert_eq!(line_of(text, 99), 3);
    }

    #[test]
    fn slugs() {
        assert!(is_slug("module-1"));
        assert!(!is_slug("Module"));
        assert!(!is_slug(""));
        assert!(!is_slug("a b"));
    }

    #[test]
    fn field_names_come_from_parser_messages() {
        assert_eq!(
            field_in_message("missing field `title`").as_deref(),
            Some("title")
        );
        assert_eq!(field_in_message("invalid type: string"), None);
    }
}
