//! Errors of loading and exporting packages.
//!
//! Loading never stops at the first mistake: every problem found is
//! collected with the file, line and field it concerns, and the package is
//! refused whole.

use std::fmt;
use std::path::PathBuf;

/// What is wrong, without where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The zip archive is damaged or unsafe.
    #[error("bad zip archive: {0}")]
    Zip(String),
    /// Neither `course.toml` nor `curriculum.toml` was found.
    #[error("no course.toml or curriculum.toml at the package root")]
    NoManifest,
    /// The file is not valid UTF-8.
    #[error("not valid UTF-8 text")]
    NotUtf8,
    /// TOML syntax or shape error reported by the parser.
    #[error("{0}")]
    Toml(String),
    /// A value outside its closed set (quiz kind, audience, level, topic).
    #[error("{0}")]
    UnknownName(#[from] crate::model::UnknownName),
    /// A required text is empty.
    #[error("must not be empty")]
    Empty,
    /// A field that must be given is absent.
    #[error("missing")]
    Missing,
    /// A field that must not be given for this kind of question is present.
    #[error("not allowed for {0} questions")]
    NotAllowed(&'static str),
    /// A slug or id is not lower-case letters, digits and hyphens.
    #[error("`{0}` must be lower-case letters, digits and hyphens")]
    BadSlug(String),
    /// The same slug or id is used twice.
    #[error("duplicate `{0}`")]
    Duplicate(String),
    /// A file named by the manifest does not exist.
    #[error("file `{0}` does not exist")]
    MissingFile(String),
    /// A file path is outside the folder it must be in.
    #[error("`{0}` must be a relative path under {1}")]
    BadPath(String, &'static str),
    /// A file in the package is not referenced by any manifest.
    #[error("file is not listed in any manifest")]
    Unreferenced,
    /// Wrong number of correct options for the question kind.
    #[error("{kind} question needs {expected} correct option(s), has {found}")]
    CorrectCount {
        /// The question kind.
        kind: &'static str,
        /// What the kind requires, in words.
        expected: &'static str,
        /// How many are marked correct.
        found: usize,
    },
    /// Wrong number of options for the question kind.
    #[error("{kind} question needs {expected} options, has {found}")]
    OptionCount {
        /// The question kind.
        kind: &'static str,
        /// What the kind requires, in words.
        expected: &'static str,
        /// How many options there are.
        found: usize,
    },
    /// A percentage above 100.
    #[error("{0} is not a percentage (0-100)")]
    Percentage(i64),
    /// An attempt limit outside 1-20.
    #[error("{0} is not a number of attempts (1-20; leave it out for no limit)")]
    Attempts(i64),
    /// A reference to a course, item or track that does not exist.
    #[error("unknown {0} `{1}`")]
    UnknownRef(&'static str, String),
    /// A placeholder that is malformed or not declared.
    #[error("placeholder `{0}`: {1}")]
    Placeholder(String, &'static str),
    /// The course folder name differs from the slug in its manifest.
    #[error("folder `{0}` holds course `{1}`: they must match")]
    FolderSlug(String, String),
}

/// One problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageError {
    /// Path inside the package, `/`-separated.
    pub file: String,
    /// 1-based line number, when the problem has a place in the file.
    pub line: Option<usize>,
    /// Dotted field path, e.g. `question[2].option[1].correct`.
    pub field: Option<String>,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Every problem found in a refused package, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackageErrors(pub Vec<PackageError>);

impl fmt::Display for PackageErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the package has {} problem(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl PackageErrors {
    /// A refusal with a single problem.
    pub fn single(file: impl Into<String>, kind: ErrorKind) -> Self {
        PackageErrors(vec![PackageError {
            file: file.into(),
            line: None,
            field: None,
            kind,
        }])
    }
}

/// Failure to write an exported package.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The zip writer failed.
    #[error("cannot build zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// A value could not be written as TOML.
    #[error("cannot write TOML: {0}")]
    Toml(#[from] toml::ser::Error),
}
