//! The audit log: who did what, when, from where. Append-only.

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store};
use somu_domain::ids::{AccountId, OrgId};

/// One security-relevant or administrative action.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// The organisation it happened in ([`OrgId::PLATFORM`] for platform actions).
    pub org: OrgId,
    /// The acting account, when signed in.
    pub account: Option<AccountId>,
    /// The actor as shown (email or "system").
    pub actor: &'a str,
    /// A stable action code, e.g. `person.create`, `auth.sign-in`.
    pub action: &'a str,
    /// What it was done to, e.g. `person/17`.
    pub target: &'a str,
    /// Details in plain words or JSON.
    pub detail: &'a str,
    /// The client address.
    pub ip: &'a str,
}

/// An entry as read back.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    /// Id within the organisation.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Actor.
    pub actor: String,
    /// Action code.
    pub action: String,
    /// Target.
    pub target: String,
    /// Details.
    pub detail: String,
    /// Client address.
    pub ip: String,
}

impl Store {
    /// Append an entry.
    pub async fn audit(&self, e: AuditEntry<'_>) -> Result<()> {
        let now = crate::unix_now();
        retry_on_conflict(|| async {
            with_pool!(self, |p| sqlx::query(concat!(
                "INSERT INTO audit_log (org_id, id, at, account_id, actor, action, target, detail, ip) VALUES ($1, ",
                next_id_sql!("audit_log"),
                ", $2, $3, $4, $5, $6, $7, $8)"
            ))
            .bind(e.org.0)
            .bind(now)
            .bind(e.account.map(|a| a.0))
            .bind(e.actor)
            .bind(e.action)
            .bind(e.target)
            .bind(e.detail)
            .bind(e.ip)
            .execute(p)
            .await.map(|r| r.rows_affected()))?;
            Ok(())
        })
        .await
    }

    /// Newest entries first, optionally only actions starting with a prefix.
    pub async fn audit_entries(
        &self,
        org: OrgId,
        action_prefix: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditRow>> {
        let pattern = format!("{}%", action_prefix.replace(['%', '_'], ""));
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, at, actor, action, target, detail, ip FROM audit_log \
             WHERE org_id = $1 AND action LIKE $2 ORDER BY id DESC LIMIT $3 OFFSET $4"
        )
        .bind(org.0)
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await)?)
    }
}
