//! From a [`FileSet`] to a validated [`Package`], collecting every problem.

use std::collections::BTreeSet;

mod course;
mod curriculum;

use crate::check::{Sink, Src};
use crate::error::{ErrorKind, PackageErrors};
use crate::files::FileSet;
use crate::model::Package;
use crate::raw::S;

use course::load_course;
use curriculum::load_curriculum;

/// Validates a set of files as a course package or a curriculum.
pub fn load_files(files: &FileSet) -> Result<Package, PackageErrors> {
    let mut sink = Sink::default();
    let package = if files.contains_key("curriculum.toml") {
        load_curriculum(&mut sink, files).map(Package::Curriculum)
    } else if files.contains_key("course.toml") {
        let mut used = BTreeSet::new();
        let course = load_course(&mut sink, files, "", None, &mut used);
        report_unreferenced(&mut sink, files, "", &used);
        course.map(Package::Course)
    } else {
        sink.file("", ErrorKind::NoManifest);
        None
    };
    match package {
        Some(p) if sink.errors.is_empty() => Ok(p),
        _ => {
            let mut errors = sink.errors;
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(PackageErrors(errors))
        }
    }
}

pub(super) fn text<'a>(sink: &mut Sink, files: &'a FileSet, path: &str) -> Option<&'a str> {
    let bytes = files.get(path)?;
    match std::str::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(_) => {
            sink.file(path, ErrorKind::NotUtf8);
            None
        }
    }
}

/// Root-level `.md` files are authors' notes (README, STATUS) and belong to
/// no manifest; everything else must be referenced or be an asset.
pub(super) fn report_unreferenced(
    sink: &mut Sink,
    files: &FileSet,
    prefix: &str,
    used: &BTreeSet<String>,
) {
    for path in files.keys() {
        let Some(rel) = path.strip_prefix(prefix) else {
            continue;
        };
        let note = !rel.contains('/') && rel.ends_with(".md");
        if !used.contains(path) && !note && !rel.starts_with("assets/") {
            sink.file(path, ErrorKind::Unreferenced);
        }
    }
}

/// Checks that `rel` is a plain relative path under `dir/` with `ext`.
pub(super) fn inner_path(
    sink: &mut Sink,
    src: Src<'_>,
    v: &S<String>,
    field: &str,
    dir: &'static str,
    ext: &str,
) -> bool {
    let p = v.get_ref();
    let ok = p.starts_with(dir)
        && p.ends_with(ext)
        && p.len() > dir.len() + ext.len()
        && !p
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        && !p.contains('\\');
    if !ok {
        sink.at(
            src,
            Some(v.span()),
            field,
            ErrorKind::BadPath(p.clone(), dir),
        );
    }
    ok
}
