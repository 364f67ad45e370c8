//! Outgoing mail. Messages are written here first; a sender delivers them by SMTP when one is
//! configured, and admins can read them in Somu when not.

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store};
use somu_domain::ids::OrgId;

/// A message in the outbox.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Mail {
    /// Id within the organisation.
    pub id: i64,
    /// Recipient.
    pub to_addr: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Queued at.
    pub created_at: i64,
    /// Delivered at.
    pub sent_at: Option<i64>,
}

impl Store {
    /// Queue a message.
    pub async fn enqueue_mail(
        &self,
        org: OrgId,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<()> {
        let now = crate::unix_now();
        retry_on_conflict(|| async {
            with_pool!(self, |p| sqlx::query(concat!(
                "INSERT INTO outbox (org_id, id, to_addr, subject, body, created_at) VALUES ($1, ",
                next_id_sql!("outbox"),
                ", $2, $3, $4, $5)"
            ))
            .bind(org.0)
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
            Ok(())
        })
        .await
    }

    /// Newest messages of an organisation first.
    pub async fn outbox(&self, org: OrgId, limit: i64) -> Result<Vec<Mail>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, to_addr, subject, body, created_at, sent_at FROM outbox WHERE org_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(org.0)
        .bind(limit)
        .fetch_all(p)
        .await
        })?)
    }
}
