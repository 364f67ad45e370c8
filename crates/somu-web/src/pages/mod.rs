//! Server-rendered pages, by product area.

pub mod admin;
pub mod analytics;
pub mod classes;
pub mod credentials;
pub mod home;
pub mod import;
pub mod jobs;
pub mod learning;
pub mod operator;
pub mod ops;
pub mod people;
pub mod progress;
pub mod social;
pub mod surveys;
pub mod teams;
pub mod tokens;

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::AppState;
use askama::Template;
use axum::response::Html;
use somu_store::audit::AuditEntry;

/// `?done=NOTICE`: the confirmation to show after a redirect.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    /// A notice id (`notice-<id>` in Fluent).
    pub done: Option<String>,
}

/// Render a template into an HTML response.
pub fn render<T: Template>(t: T) -> AppResult<Html<String>> {
    Ok(Html(t.render()?))
}

/// A timestamp for display (UTC, minutes).
pub fn when(unix: &i64) -> String {
    let t = somu_domain::time_util::from_unix(*unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Record an action taken inside an organisation by the current member.
pub async fn audit(
    state: &AppState,
    ctx: &OrgCtx,
    action: &str,
    target: &str,
    detail: &str,
) -> AppResult<()> {
    state
        .store
        .audit(AuditEntry {
            org: ctx.org(),
            account: Some(ctx.principal.account_id),
            actor: &ctx.principal.email,
            action,
            target,
            detail,
            ip: &ctx.principal.ip,
        })
        .await?;
    Ok(())
}

/// The file of a multipart upload (field `file`, named `default_name` when the client gives no
/// name; an empty file counts as none) and the other text fields, read into memory. Too large:
/// 413.
pub(crate) async fn read_upload(
    multipart: axum::extract::Multipart,
    default_name: &str,
) -> AppResult<(Option<(String, Vec<u8>)>, Vec<(String, String)>)> {
    let mut form = UploadForm::new(multipart);
    let mut file = None;
    while let Some(next) = form.next_field().await? {
        let Some(field) = next else { continue };
        let name = upload_name(&field, default_name);
        let bytes = field.bytes().await.map_err(refuse_upload)?;
        if !bytes.is_empty() {
            file = Some((name, bytes.to_vec()));
        }
    }
    Ok((file, form.fields))
}

/// An uploaded file saved to disk; the file is deleted when this is dropped.
pub(crate) struct SavedUpload {
    /// The name the client gave the file.
    pub name: String,
    /// The temporary file holding its content.
    pub file: tempfile::NamedTempFile,
}

/// The name every saved upload starts with.
const UPLOAD_PREFIX: &str = "somu-upload-";

/// How old a saved upload must be to count as left behind: an import reads its file within
/// minutes (a 4 GB export in well under an hour), and nothing writes to it after the upload.
pub const STALE_UPLOAD: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Delete the saved uploads in `dir` last written more than `older_than` ago, which a server
/// stopped in the middle of an import leaves behind (a finished or failed import deletes its
/// own). Returns how many went; what cannot be read or removed (another server may have just
/// removed it) is left alone. Blocking: call from a blocking thread.
pub fn remove_stale_uploads(dir: &std::path::Path, older_than: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(UPLOAD_PREFIX))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > older_than)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// The same as [`read_upload`], but the file is streamed chunk by chunk into a temporary file in
/// `dir`, so its size costs disk, not memory.
pub(crate) async fn save_upload(
    multipart: axum::extract::Multipart,
    default_name: &str,
    dir: &std::path::Path,
) -> AppResult<(Option<SavedUpload>, Vec<(String, String)>)> {
    use tokio::io::AsyncWriteExt;
    let disk = |e: std::io::Error| {
        AppError::Internal(format!(
            "upload_dir {}: cannot save an upload: {e}",
            dir.display()
        ))
    };
    let mut form = UploadForm::new(multipart);
    let mut saved = None;
    while let Some(next) = form.next_field().await? {
        let Some(mut field) = next else { continue };
        let name = upload_name(&field, default_name);
        let file = tempfile::Builder::new()
            .prefix(UPLOAD_PREFIX)
            .tempfile_in(dir)
            .map_err(disk)?;
        let mut out = tokio::io::BufWriter::with_capacity(
            256 * 1024,
            tokio::fs::File::from_std(file.as_file().try_clone().map_err(disk)?),
        );
        let mut size = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(refuse_upload)? {
            size += chunk.len() as u64;
            out.write_all(&chunk).await.map_err(disk)?;
        }
        out.flush().await.map_err(disk)?;
        if size > 0 {
            saved = Some(SavedUpload { name, file });
        }
    }
    Ok((saved, form.fields))
}

/// A multipart body read field by field: text fields are collected, the `file` field is handed
/// to the caller.
struct UploadForm {
    multipart: axum::extract::Multipart,
    fields: Vec<(String, String)>,
}

impl UploadForm {
    fn new(multipart: axum::extract::Multipart) -> Self {
        UploadForm {
            multipart,
            fields: Vec::new(),
        }
    }

    /// The next field: `Some(Some(field))` for the `file` field, `Some(None)` for a text field
    /// (kept in `fields`), `None` at the end. (One field a call: a loop returning the borrowed
    /// field would keep the multipart borrowed for the next turn.)
    async fn next_field(
        &mut self,
    ) -> AppResult<Option<Option<axum::extract::multipart::Field<'_>>>> {
        let Some(field) = self.multipart.next_field().await.map_err(refuse_upload)? else {
            return Ok(None);
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            return Ok(Some(Some(field)));
        }
        let text = field.text().await.map_err(refuse_upload)?;
        self.fields.push((name, text));
        Ok(Some(None))
    }
}

fn upload_name(field: &axum::extract::multipart::Field<'_>, default_name: &str) -> String {
    field.file_name().unwrap_or(default_name).to_string()
}

/// A body over the route's limit is 413; anything else unreadable is a bad request.
fn refuse_upload(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::BadRequest(e.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn only_old_saved_uploads_are_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let old = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
        let make = |name: &str, at: SystemTime| {
            let path = dir.path().join(name);
            let f = std::fs::File::create(&path).expect("file");
            f.set_modified(at).expect("mtime");
            path
        };
        let stale = make("somu-upload-abc", old);
        let fresh = make("somu-upload-def", SystemTime::now());
        let other = make("notes.txt", old);
        assert_eq!(remove_stale_uploads(dir.path(), STALE_UPLOAD), 1);
        assert!(!stale.exists());
        assert!(fresh.exists() && other.exists());
        // A directory that cannot be read removes nothing and does not fail.
        assert_eq!(
            remove_stale_uploads(&dir.path().join("missing"), STALE_UPLOAD),
            0
        );
    }
}
