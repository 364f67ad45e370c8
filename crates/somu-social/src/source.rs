//! Where an export is read from (a file, an uploaded file saved to disk, or bytes in memory;
//! zipped or not) and which format it is.

use crate::problem;
use somu_domain::FieldError;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;

/// The export formats Somu reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    /// Generic social activity format v1 (JSON Lines).
    Jsonl,
    /// X / Twitter account archive: `data/tweets.js` (older: `tweet.js`).
    XArchive,
    /// Mastodon account archive: `outbox.json`.
    MastodonOutbox,
    /// Bluesky `app.bsky.feed.getAuthorFeed` response(s).
    BlueskyFeed,
    /// LinkedIn member data export: `Shares.csv`.
    LinkedinShares,
}

impl Format {
    /// Every format, for help pages and forms.
    pub const ALL: &'static [Format] = &[
        Format::Jsonl,
        Format::XArchive,
        Format::MastodonOutbox,
        Format::BlueskyFeed,
        Format::LinkedinShares,
    ];

    /// The code used on the command line and in forms.
    pub fn code(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::XArchive => "x",
            Format::MastodonOutbox => "mastodon",
            Format::BlueskyFeed => "bluesky",
            Format::LinkedinShares => "linkedin",
        }
    }

    /// Parse a code.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.code() == s.trim())
    }

    fn entry_matches(self, entry: &str) -> bool {
        let base = entry
            .rsplit('/')
            .next()
            .unwrap_or(entry)
            .to_ascii_lowercase();
        match self {
            Format::XArchive => base == "tweets.js" || base == "tweet.js",
            Format::MastodonOutbox => base == "outbox.json",
            Format::LinkedinShares => base == "shares.csv",
            Format::Jsonl => base.ends_with(".jsonl") || base.ends_with(".ndjson"),
            Format::BlueskyFeed => base.ends_with(".json") && base != "outbox.json",
        }
    }

    /// Guess from a file name and the first bytes.
    fn guess(name: &str, head: &[u8]) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let head = String::from_utf8_lossy(head);
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("window.YTD.") || lower.ends_with(".js") {
            return Some(Format::XArchive);
        }
        if lower.ends_with(".csv") {
            return Some(Format::LinkedinShares);
        }
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            return Some(Format::Jsonl);
        }
        if head.contains("\"orderedItems\"") || head.contains("OrderedCollection") {
            return Some(Format::MastodonOutbox);
        }
        if head.contains("\"feed\"") {
            return Some(Format::BlueskyFeed);
        }
        if trimmed.starts_with('{') && head.contains("\"post_id\"") {
            return Some(Format::Jsonl);
        }
        None
    }
}

/// An export to read: a file on disk, an upload saved to disk, or bytes already in memory.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// A file on disk shown under another name: an upload streamed to a temporary file. Problems
    /// and format detection use `name` (the client's file name), reading opens `path`.
    Upload {
        /// The name it was uploaded under.
        name: String,
        /// Where its content is.
        path: PathBuf,
    },
    /// Bytes with the name they were uploaded under.
    Bytes {
        /// File name.
        name: String,
        /// Content.
        bytes: Arc<[u8]>,
    },
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

impl Source {
    /// The name shown in problems.
    pub fn display_name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Upload { name, .. } | Source::Bytes { name, .. } => name.clone(),
        }
    }

    fn raw(&self) -> Result<Box<dyn ReadSeek + '_>, FieldError> {
        Ok(match self {
            Source::File(p) | Source::Upload { path: p, .. } => {
                Box::new(File::open(p).map_err(|e| {
                    problem(
                        self.display_name(),
                        "unreadable",
                        format!("cannot read: {e}"),
                    )
                })?)
            }
            Source::Bytes { bytes, .. } => Box::new(Cursor::new(&bytes[..])),
        })
    }

    fn head(&self) -> Result<Vec<u8>, FieldError> {
        let mut buf = vec![0u8; 4096];
        let mut r = self.raw()?;
        let mut n = 0;
        while n < buf.len() {
            match r.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => {
                    return Err(problem(
                        self.display_name(),
                        "unreadable",
                        format!("cannot read: {e}"),
                    ))
                }
            }
        }
        buf.truncate(n);
        Ok(buf)
    }

    fn zip_entries(&self) -> Result<Option<Vec<String>>, FieldError> {
        if !self.head()?.starts_with(ZIP_MAGIC) {
            return Ok(None);
        }
        let archive = zip::ZipArchive::new(self.raw()?).map_err(|e| {
            problem(
                self.display_name(),
                "bad-zip",
                format!("not a readable zip: {e}"),
            )
        })?;
        Ok(Some(archive.file_names().map(str::to_string).collect()))
    }

    /// Which format the source holds, from its name, its first bytes or its zip entries.
    pub fn detect(&self) -> Result<Format, FieldError> {
        let unknown = || {
            problem(
                self.display_name(),
                "unknown-format",
                "cannot tell which export this is; name the format (jsonl, x, mastodon, bluesky, linkedin)",
            )
        };
        if let Some(entries) = self.zip_entries()? {
            return [
                Format::XArchive,
                Format::MastodonOutbox,
                Format::LinkedinShares,
                Format::Jsonl,
                Format::BlueskyFeed,
            ]
            .into_iter()
            .find(|f| entries.iter().any(|e| f.entry_matches(e)))
            .ok_or_else(unknown);
        }
        let name = match self {
            Source::File(p) => p.file_name().map(|n| n.to_string_lossy().to_string()),
            Source::Upload { name, .. } | Source::Bytes { name, .. } => Some(name.clone()),
        }
        .unwrap_or_default();
        Format::guess(&name, &self.head()?).ok_or_else(unknown)
    }

    /// The name of what is read for `format` (the zip entry when zipped), for problems.
    pub(crate) fn name(&self, format: Format) -> String {
        match self.zip_entries() {
            Ok(Some(entries)) => entries
                .into_iter()
                .find(|e| format.entry_matches(e))
                .map(|e| format!("{}:{e}", self.display_name()))
                .unwrap_or_else(|| self.display_name()),
            _ => self.display_name(),
        }
    }

    /// Run `f` with a buffered reader over the content for `format` (the matching entry when
    /// zipped) and, for X archives, the text of `account.js` when it is in the same zip.
    pub(crate) fn with_reader<T>(
        &self,
        format: Format,
        f: impl FnOnce(&mut dyn BufRead, Option<String>) -> Result<T, FieldError>,
    ) -> Result<T, FieldError> {
        if self.zip_entries()?.is_none() {
            let mut reader = BufReader::with_capacity(256 * 1024, self.raw()?);
            return f(&mut reader, None);
        }
        let zip_error = |e: zip::result::ZipError| {
            problem(
                self.display_name(),
                "bad-zip",
                format!("not a readable zip: {e}"),
            )
        };
        let mut archive = zip::ZipArchive::new(self.raw()?).map_err(zip_error)?;
        let names: Vec<String> = archive.file_names().map(str::to_string).collect();
        let companion = if format == Format::XArchive {
            names
                .iter()
                .find(|n| n.rsplit('/').next() == Some("account.js"))
                .and_then(|n| {
                    let mut s = String::new();
                    archive
                        .by_name(n)
                        .ok()?
                        .take(1 << 20)
                        .read_to_string(&mut s)
                        .ok()?;
                    Some(s)
                })
        } else {
            None
        };
        let entry = names
            .iter()
            .find(|e| format.entry_matches(e))
            .ok_or_else(|| {
                problem(
                    self.display_name(),
                    "missing-entry",
                    format!("the zip holds no file for the {} format", format.code()),
                )
            })?;
        let file = archive.by_name(entry).map_err(zip_error)?;
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        f(&mut reader, companion)
    }
}
