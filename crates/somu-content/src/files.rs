//! A package as a map of relative paths to bytes, and the three places it
//! comes from or goes to: a folder, a zip archive, the binary itself.
//!
//! Loading and exporting work on this map only, so the folder, zip and
//! embedded forms cannot drift apart.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use crate::error::{ErrorKind, ExportError, PackageErrors};

/// Relative `/`-separated path → file content.
pub type FileSet = BTreeMap<String, Vec<u8>>;

/// Uncompressed size above which a zip is refused, against zip bombs.
pub const MAX_ZIP_BYTES: u64 = 256 * 1024 * 1024;

/// Reads every regular file under `root`. Hidden files and folders (name
/// starting with `.`) are skipped, as version-control leftovers.
pub fn read_dir(root: &Path) -> Result<FileSet, PackageErrors> {
    let mut files = FileSet::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| io_err(&prefix, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_err(&prefix, &e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let ty = entry.file_type().map_err(|e| io_err(&rel, &e))?;
            if ty.is_dir() {
                stack.push((entry.path(), rel));
            } else if ty.is_file() {
                let bytes = std::fs::read(entry.path()).map_err(|e| io_err(&rel, &e))?;
                files.insert(rel, bytes);
            }
        }
    }
    Ok(files)
}

fn io_err(file: &str, e: &std::io::Error) -> PackageErrors {
    let file = if file.is_empty() { "." } else { file };
    PackageErrors::single(file, ErrorKind::Io(e.to_string()))
}

/// Writes every file under `root`, creating folders. Existing files with
/// other names are left alone.
pub fn write_dir(files: &FileSet, root: &Path) -> Result<(), ExportError> {
    for (rel, bytes) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExportError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| ExportError::Io { path, source })?;
    }
    Ok(())
}

/// Reads a zip archive. If the manifest is not at the archive root but all
/// entries share one top-level folder, that folder is taken as the root
/// (the usual result of zipping a folder).
pub fn read_zip(bytes: &[u8]) -> Result<FileSet, PackageErrors> {
    let zip_err =
        |e: zip::result::ZipError| PackageErrors::single("(zip)", ErrorKind::Zip(e.to_string()));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_err)?;
    let mut files = FileSet::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip_err)?;
        if entry.is_dir() {
            continue;
        }
        let Some(path) = entry.enclosed_name() else {
            return Err(PackageErrors::single(
                entry.name(),
                ErrorKind::Zip("entry path leaves the archive".into()),
            ));
        };
        let rel = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        // The declared size can lie, so the read itself is capped too.
        let remaining = MAX_ZIP_BYTES.saturating_sub(total);
        let mut buf = Vec::new();
        (&mut entry)
            .take(remaining + 1)
            .read_to_end(&mut buf)
            .map_err(|e| PackageErrors::single(rel.clone(), ErrorKind::Zip(e.to_string())))?;
        total += buf.len() as u64;
        if total > MAX_ZIP_BYTES {
            return Err(PackageErrors::single(
                "(zip)",
                ErrorKind::Zip(format!("more than {MAX_ZIP_BYTES} bytes uncompressed")),
            ));
        }
        files.insert(rel, buf);
    }
    Ok(strip_single_root(files))
}

fn strip_single_root(files: FileSet) -> FileSet {
    let has_manifest = files.contains_key("course.toml") || files.contains_key("curriculum.toml");
    if has_manifest {
        return files;
    }
    let mut roots = files.keys().map(|k| k.split_once('/').map(|(a, _)| a));
    let Some(Some(first)) = roots.next() else {
        return files;
    };
    let first = first.to_owned();
    if !roots.all(|r| r == Some(first.as_str())) {
        return files;
    }
    files
        .into_iter()
        .map(|(k, v)| (k[first.len() + 1..].to_owned(), v))
        .collect()
}

/// Builds a zip whose entries all sit under `root/`. Entries are sorted and
/// carry a fixed timestamp, so the same files always give the same bytes.
pub fn write_zip(files: &FileSet, root: &str) -> Result<Vec<u8>, ExportError> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (rel, bytes) in files {
        writer.start_file(format!("{root}/{rel}"), options)?;
        writer.write_all(bytes).map_err(|source| ExportError::Io {
            path: rel.into(),
            source,
        })?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Files of a folder embedded with `include_dir`, as a [`FileSet`].
pub fn from_embedded(dir: &include_dir::Dir<'_>) -> FileSet {
    let mut files = FileSet::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in d.entries() {
            match entry {
                include_dir::DirEntry::Dir(sub) => stack.push(sub),
                include_dir::DirEntry::File(f) => {
                    let rel = f
                        .path()
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    if !rel.split('/').any(|p| p.starts_with('.')) {
                        files.insert(rel, f.contents().to_vec());
                    }
                }
            }
        }
    }
    files
}
