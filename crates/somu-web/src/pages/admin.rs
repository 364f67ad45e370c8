//! Organisation administration: the audit log and the outbox.

use super::operator::OutboxPage;
use super::render;
use crate::access::OrgCtx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::Extension;
use serde::Deserialize;
use somu_store::audit::AuditRow;

const AUDIT_PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "org/audit.html")]
struct AuditPage {
    page: Page,
    rows: Vec<AuditRow>,
    action: String,
    page_no: i64,
    more: bool,
}

/// `?action=person.&page=2`
#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    page: Option<i64>,
}

/// GET /o/{org}/audit
pub async fn audit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    let page_no = q.page.unwrap_or(1).clamp(1, 100_000);
    let mut rows = state
        .store
        .audit_entries(
            ctx.org(),
            &q.action,
            AUDIT_PAGE + 1,
            (page_no - 1) * AUDIT_PAGE,
        )
        .await?;
    let more = rows.len() as i64 > AUDIT_PAGE;
    rows.truncate(AUDIT_PAGE as usize);
    render(AuditPage {
        page: Page::org(&ctx, &csrf.0, "audit-title"),
        rows,
        action: q.action,
        page_no,
        more,
    })
}

/// GET /o/{org}/outbox
pub async fn outbox(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    render(OutboxPage {
        page: Page::org(&ctx, &csrf.0, "outbox-title"),
        mails: state.store.outbox(ctx.org(), 200).await?,
    })
}
