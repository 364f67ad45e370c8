//! Background jobs (imports, reports): their progress lives in the database so that any app
//! server can answer "how far is it?".

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store, StoreError};
use somu_domain::ids::{AccountId, JobId, OrgId};

/// A job's state.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Job {
    /// Id within the organisation.
    pub id: i64,
    /// What it does, e.g. `people-import`.
    pub kind: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Units of work in all.
    pub total: i64,
    /// Units done.
    pub done: i64,
    /// The outcome in words (or a JSON error list when failed).
    pub message: String,
    /// Who started it.
    pub account_id: i64,
}

impl Store {
    /// Start tracking a job.
    pub async fn create_job(
        &self,
        org: OrgId,
        account: AccountId,
        kind: &str,
        total: i64,
    ) -> Result<JobId> {
        let now = crate::unix_now();
        let id: i64 = retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO job (org_id, id, kind, status, total, done, message, account_id, created_at, updated_at) VALUES ($1, ",
                next_id_sql!("job"),
                ", $2, 'running', $3, 0, '', $4, $5, $5) RETURNING id"
            ))
            .bind(org.0)
            .bind(kind)
            .bind(total)
            .bind(account.0)
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await?;
        Ok(JobId(id))
    }

    /// Record progress.
    pub async fn job_progress(&self, org: OrgId, id: JobId, done: i64) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE job SET done = $3, updated_at = $4 WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .bind(done)
        .bind(crate::unix_now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Record the end of a job.
    pub async fn finish_job(&self, org: OrgId, id: JobId, ok: bool, message: &str) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE job SET status = $3, message = $4, done = CASE WHEN $3 = 'done' THEN total ELSE done END, updated_at = $5 \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .bind(if ok { "done" } else { "failed" })
        .bind(message)
        .bind(crate::unix_now())
        .execute(p)
        .await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The newest job of this kind still running and heard from at `since` or later (a job
    /// whose server stopped stays `running` but falls silent).
    pub async fn running_job(&self, org: OrgId, kind: &str, since: i64) -> Result<Option<JobId>> {
        let id: Option<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT id FROM job WHERE org_id = $1 AND kind = $2 AND status = 'running' AND updated_at >= $3 \
             ORDER BY id DESC LIMIT 1"
        )
        .bind(org.0)
        .bind(kind)
        .bind(since)
        .fetch_optional(p)
        .await
        })?;
        Ok(id.map(JobId))
    }

    /// A job of the organisation.
    pub async fn job(&self, org: OrgId, id: JobId) -> Result<Job> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT id, kind, status, total, done, message, account_id FROM job WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }
}

/// An uploaded file kept for a later step.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Upload {
    /// Id within the organisation.
    pub id: i64,
    /// Who uploaded it.
    pub account_id: i64,
    /// What it is for, e.g. `people-csv`.
    pub kind: String,
    /// The name it was uploaded under.
    pub filename: String,
    /// The bytes.
    pub content: Vec<u8>,
}

impl Store {
    /// Keep an uploaded file.
    pub async fn save_upload(
        &self,
        org: OrgId,
        account: AccountId,
        kind: &str,
        filename: &str,
        content: &[u8],
    ) -> Result<i64> {
        let now = crate::unix_now();
        retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO upload (org_id, id, account_id, kind, filename, content, created_at) VALUES ($1, ",
                next_id_sql!("upload"),
                ", $2, $3, $4, $5, $6) RETURNING id"
            ))
            .bind(org.0)
            .bind(account.0)
            .bind(kind)
            .bind(filename)
            .bind(content)
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await
    }

    /// An upload of the organisation.
    pub async fn upload(&self, org: OrgId, id: i64) -> Result<Upload> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT id, account_id, kind, filename, content FROM upload WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Forget an upload once its work is done.
    pub async fn delete_upload(&self, org: OrgId, id: i64) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "DELETE FROM upload WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }
}
