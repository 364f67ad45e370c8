//! Server-rendered pages, by product area.

pub mod admin;
pub mod home;
pub mod import;
pub mod jobs;
pub mod operator;
pub mod ops;
pub mod people;
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
