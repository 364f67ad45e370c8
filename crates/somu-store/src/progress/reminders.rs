//! Reminders and the in-app notifications they leave. A reminder is claimed by inserting its
//! `reminder_sent` row; only the transaction that inserted it writes the notification and the
//! mail, so each reminder goes out once however many servers run the tick.

use super::AssignmentRow;
use crate::{next_id_sql, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::ReminderKind;

/// Someone who has not finished an assignment yet.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Pending {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Audience code.
    pub audience: String,
    /// Team name.
    pub team_name: Option<String>,
    /// First day (`YYYY-MM-DD`).
    pub start_date: Option<String>,
    /// The person's manager's email (their own manager, else their team's), if any.
    pub manager_email: Option<String>,
}

/// One mail to queue with a reminder.
#[derive(Debug, Clone)]
pub struct OutMail {
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// An in-app notification.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Notification {
    /// Id within the organisation.
    pub id: i64,
    /// `due-soon` or `overdue`.
    pub kind: String,
    /// The text shown.
    pub subject: String,
    /// Where it leads.
    pub link: String,
    /// When (Unix seconds).
    pub created_at: i64,
    /// When it was marked read.
    pub read_at: Option<i64>,
}

/// The columns of [`Pending`] for a person `p`, with [`PENDING_JOINS`].
pub(crate) const PENDING_COLUMNS: &str = "SELECT p.id AS person_id, p.name, p.email, \
    p.audience, tm.name AS team_name, p.start_date, COALESCE(m.email, tmm.email) AS manager_email";

/// The joins [`PENDING_COLUMNS`] reads from: the person's manager, team and team manager.
pub(crate) const PENDING_JOINS: &str = "LEFT JOIN person m ON m.org_id = p.org_id \
    AND m.id = p.manager_id \
    LEFT JOIN team tm ON tm.org_id = p.org_id AND tm.id = p.team_id \
    LEFT JOIN person tmm ON tmm.org_id = p.org_id AND tmm.id = tm.manager_id AND tmm.id <> p.id";

impl Store {
    /// Active people in an assignment's scope who have not finished it, by name, read from
    /// the standing table. Call [`Store::project_progress`] first.
    pub async fn pending_people(&self, org: OrgId, a: &AssignmentRow) -> Result<Vec<Pending>> {
        let sql = format!(
            "{PENDING_COLUMNS} FROM assignment_status s JOIN person p ON p.org_id = s.org_id \
             AND p.id = s.person_id {PENDING_JOINS} \
             WHERE s.org_id = $1 AND s.assignment_id = $2 AND s.done = FALSE \
             ORDER BY p.name, p.id"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(a.id)
            .fetch_all(p)
            .await)?)
    }

    /// Claim and send one reminder: records the claim, the notification and the mails in one
    /// transaction. Returns `false` (and changes nothing) when it was already sent.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_reminder(
        &self,
        org: OrgId,
        assignment: i64,
        person: PersonId,
        kind: ReminderKind,
        subject: &str,
        link: &str,
        mails: &[OutMail],
        now: i64,
    ) -> Result<bool> {
        let attempt = || async {
            Ok::<bool, StoreError>(with_tx!(self, |tx| {
                let claimed = sqlx::query(
                    "INSERT INTO reminder_sent (org_id, assignment_id, person_id, kind, sent_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(org.0)
                .bind(assignment)
                .bind(person.0)
                .bind(kind.code())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if claimed {
                    sqlx::query(concat!(
                        "INSERT INTO notification (org_id, id, person_id, kind, subject, link, \
                         created_at) VALUES ($1, ",
                        next_id_sql!("notification"),
                        ", $2, $3, $4, $5, $6)"
                    ))
                    .bind(org.0)
                    .bind(person.0)
                    .bind(kind.code())
                    .bind(subject)
                    .bind(link)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    for m in mails {
                        sqlx::query(concat!(
                            "INSERT INTO outbox (org_id, id, to_addr, subject, body, created_at) \
                             VALUES ($1, ",
                            next_id_sql!("outbox"),
                            ", $2, $3, $4, $5)"
                        ))
                        .bind(org.0)
                        .bind(&m.to)
                        .bind(&m.subject)
                        .bind(&m.body)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                claimed
            }))
        };
        crate::retry_on_conflict(attempt).await
    }

    /// A person's newest notifications.
    pub async fn notifications(
        &self,
        org: OrgId,
        person: PersonId,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, kind, subject, link, created_at, read_at FROM notification \
             WHERE org_id = $1 AND person_id = $2 ORDER BY id DESC LIMIT $3"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(limit)
        .fetch_all(p)
        .await)?)
    }

    /// Mark one of a person's notifications read (another person's id is not found).
    pub async fn mark_notification_read(
        &self,
        org: OrgId,
        person: PersonId,
        id: i64,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE notification SET read_at = COALESCE(read_at, $4) \
             WHERE org_id = $1 AND person_id = $2 AND id = $3"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(id)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
