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

/// A message waiting for delivery, with its organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingMail {
    /// The organisation that queued it (0: the platform).
    pub org_id: i64,
    /// Id within the organisation.
    pub id: i64,
    /// Recipient.
    pub to_addr: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Delivery attempts so far.
    pub attempts: i64,
}

/// Delivery attempts before a message is left for an admin to read in the outbox.
pub const MAX_ATTEMPTS: i64 = 5;

impl Store {
    /// Messages not yet delivered (a platform worker's query, across organisations).
    pub async fn pending_mail(&self, limit: i64) -> Result<Vec<PendingMail>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT org_id, id, to_addr, subject, body, attempts FROM outbox \
             WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT $2"
        )
        .bind(MAX_ATTEMPTS)
        .bind(limit)
        .fetch_all(p)
        .await)?)
    }

    /// Claim a message for one delivery attempt. Only one app server wins a given attempt, so
    /// several servers can run the sender without sending twice.
    pub async fn claim_mail(&self, m: &PendingMail) -> Result<bool> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1 \
             WHERE org_id = $1 AND id = $2 AND sent_at IS NULL AND attempts = $3"
        )
        .bind(m.org_id)
        .bind(m.id)
        .bind(m.attempts)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Record the outcome of a delivery attempt.
    pub async fn mail_result(&self, org_id: i64, id: i64, error: Option<&str>) -> Result<()> {
        let now = crate::unix_now();
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE outbox SET sent_at = CASE WHEN $3 IS NULL THEN $4 ELSE NULL END, last_error = $3 \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org_id)
        .bind(id)
        .bind(error)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
