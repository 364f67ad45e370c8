#![forbid(unsafe_code)]
//! Somu's course content layer.
//!
//! A course package is a folder (or a zip of it) with a `course.toml`
//! manifest, Markdown lessons and TOML quizzes; a curriculum is a folder
//! with `curriculum.toml`, the tracks per audience, an item bank for pre-
//! and post-tests, certification course lists and its courses. The format
//! is described in `FORMAT.md` beside this crate's `Cargo.toml`.
//!
//! Loading is all-or-nothing: a package with mistakes is refused with every
//! problem listed by file, line and field. Exporting is canonical: for any
//! loaded package `p`, `load(export(p)) == p`, and exporting twice gives
//! the same bytes.

mod check;
mod error;
mod export;
mod files;
pub mod grade;
mod load;
mod markdown;
mod model;
mod raw;

use std::path::Path;

pub use error::{ErrorKind, ExportError, PackageError, PackageErrors};
pub use files::{FileSet, MAX_ZIP_BYTES};
pub use markdown::{fill_placeholders, find_placeholders, render_markdown, Placeholder};
pub use model::*;

/// The default curriculum's files, compiled into the binary.
static DEFAULT_CURRICULUM: include_dir::Dir<'_> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../content/default-curriculum");

/// Loads and validates a package from a folder.
pub fn load_dir(path: &Path) -> Result<Package, PackageErrors> {
    load::load_files(&files::read_dir(path)?)
}

/// Loads and validates a package from the bytes of a zip archive. The
/// manifest may sit at the archive root or inside one top-level folder.
pub fn load_zip(bytes: &[u8]) -> Result<Package, PackageErrors> {
    load::load_files(&files::read_zip(bytes)?)
}

/// Loads and validates a package from files already in memory.
pub fn load_files(files: &FileSet) -> Result<Package, PackageErrors> {
    load::load_files(files)
}

/// The files a package exports to, keyed by path inside the package.
pub fn export_files(package: &Package) -> Result<FileSet, ExportError> {
    export::to_files(package)
}

/// Writes a package into a folder (created if needed). Files already in
/// the folder under other names are left untouched.
pub fn export_dir(package: &Package, path: &Path) -> Result<(), ExportError> {
    files::write_dir(&export::to_files(package)?, path)
}

/// A zip archive of the package, with every entry under one folder named
/// after the course or curriculum slug. Deterministic: the same package
/// always gives the same bytes.
pub fn export_zip(package: &Package) -> Result<Vec<u8>, ExportError> {
    let root = match package {
        Package::Course(c) => &c.slug,
        Package::Curriculum(c) => &c.info.slug,
    };
    files::write_zip(&export::to_files(package)?, root)
}

/// The default curriculum shipped with Somu, checked.
pub fn try_default_curriculum() -> Result<Curriculum, PackageErrors> {
    match load::load_files(&files::from_embedded(&DEFAULT_CURRICULUM))? {
        Package::Curriculum(c) => Ok(c),
        Package::Course(_) => Err(PackageErrors::single(
            "curriculum.toml",
            ErrorKind::MissingFile("curriculum.toml".into()),
        )),
    }
}

/// The default curriculum shipped with Somu.
///
/// # Panics
///
/// Never in a released build: the embedded files are fixed at compile time
/// and the test `default_curriculum_loads` refuses any version that does
/// not load.
pub fn default_curriculum() -> Curriculum {
    match try_default_curriculum() {
        Ok(c) => c,
        Err(e) => panic!("the embedded default curriculum is invalid: {e}"),
    }
}
