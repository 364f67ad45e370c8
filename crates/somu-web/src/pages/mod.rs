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
use crate::error::AppResult;
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
/// name; an empty file counts as none) and the other text fields. Too large: 413.
pub(crate) async fn read_upload(
    mut multipart: axum::extract::Multipart,
    default_name: &str,
) -> crate::error::AppResult<(Option<(String, Vec<u8>)>, Vec<(String, String)>)> {
    use crate::error::AppError;
    use axum::http::StatusCode;
    let mut file = None;
    let mut fields = Vec::new();
    let refuse = |status: StatusCode, text: String| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(text)
        }
    };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                if name == "file" {
                    let filename = field.file_name().unwrap_or(default_name).to_string();
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|e| refuse(e.status(), e.body_text()))?;
                    if !bytes.is_empty() {
                        file = Some((filename, bytes.to_vec()));
                    }
                } else {
                    let text = field
                        .text()
                        .await
                        .map_err(|e| refuse(e.status(), e.body_text()))?;
                    fields.push((name, text));
                }
            }
            Ok(None) => break,
            Err(e) => return Err(refuse(e.status(), e.body_text())),
        }
    }
    Ok((file, fields))
}
