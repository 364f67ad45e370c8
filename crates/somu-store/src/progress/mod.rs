//! Progress: assignments, the projection of the learning record into per-person progress,
//! reminders and notifications, cohorts, the progress reports and the completions import.
//!
//! The projection tables (`progress_course`, `progress_lesson`, `progress_track`) are written
//! only by the projector ([`Store::project_progress`]), which reads new statements by id.

mod cohorts;
mod import;
mod plan;
mod projector;
mod reminders;
mod reports;
mod status;

pub use cohorts::*;
pub use plan::*;
pub use reminders::*;
pub use reports::*;

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::{AssignmentInput, DueRule, ScopeKind};
use somu_domain::time_util::{format_date, from_unix};
use time::Date;

/// An assignment as listed.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AssignmentRow {
    /// Id within the organisation.
    pub id: i64,
    /// `track` or `course`.
    pub kind: String,
    /// The track or course slug.
    pub target: String,
    /// Its title from the catalogue (the slug when it has gone from the catalogue).
    pub title: String,
    /// `everyone`, `audience`, `team` or `people`.
    pub scope: String,
    /// Audience code or team id.
    pub scope_value: String,
    /// The team's name for team scopes.
    pub team_name: Option<String>,
    /// Mandatory or voluntary.
    pub mandatory: bool,
    /// `none`, `fixed`, `start` or `assigned`.
    pub due_kind: String,
    /// Fixed due date.
    pub due_date: Option<String>,
    /// Days for relative due dates.
    pub due_days: Option<i64>,
    /// When it was made (Unix seconds).
    pub created_at: i64,
    /// Who made it.
    pub created_by: String,
}

impl AssignmentRow {
    /// The due-date rule.
    pub fn due_rule(&self) -> DueRule {
        DueRule::from_parts(&self.due_kind, self.due_date.as_deref(), self.due_days)
    }

    /// The calendar day it was made (UTC).
    pub fn assigned_on(&self) -> Date {
        from_unix(self.created_at).date()
    }
}

/// SQL condition: person `p` is in the scope of assignment `a`.
pub(crate) const IN_SCOPE: &str = "(a.scope = 'everyone' \
    OR (a.scope = 'audience' AND p.audience = a.scope_value) \
    OR (a.scope = 'team' AND CAST(p.team_id AS TEXT) = a.scope_value) \
    OR (a.scope = 'people' AND EXISTS (SELECT 1 FROM assignment_person x \
        WHERE x.org_id = a.org_id AND x.assignment_id = a.id AND x.person_id = p.id)))";

const ASSIGNMENT_SELECT: &str = "SELECT a.id, a.kind, a.target, \
    COALESCE(c.title, t.title, a.target) AS title, a.scope, a.scope_value, tm.name AS team_name, \
    a.mandatory, a.due_kind, a.due_date, a.due_days, a.created_at, a.created_by \
    FROM assignment a \
    LEFT JOIN course c ON a.kind = 'course' AND c.org_id = a.org_id AND c.slug = a.target \
    LEFT JOIN track t ON a.kind = 'track' AND t.org_id = a.org_id AND t.slug = a.target \
    LEFT JOIN team tm ON a.scope = 'team' AND tm.org_id = a.org_id \
        AND CAST(tm.id AS TEXT) = a.scope_value";

impl Store {
    /// Store a validated assignment; `people` are the resolved members of a `people` scope.
    /// Returns its id.
    pub async fn create_assignment(
        &self,
        org: OrgId,
        input: &AssignmentInput,
        people: &[PersonId],
        created_by: &str,
        now: i64,
    ) -> Result<i64> {
        if input.scope == ScopeKind::People && people.is_empty() {
            return Err(StoreError::Invalid(
                somu_domain::FieldError::new("people", "required", "list at least one person")
                    .into(),
            ));
        }
        let (due_kind, due_date, due_days) = input.due.parts();
        let due_date = due_date.map(format_date);
        retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO assignment (org_id, id, kind, target, scope, scope_value, \
                     mandatory, due_kind, due_date, due_days, created_at, created_by, assigned_on) \
                     VALUES ($1, ",
                    next_id_sql!("assignment"),
                    ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
                ))
                .bind(org.0)
                .bind(input.kind.code())
                .bind(&input.target)
                .bind(input.scope.code())
                .bind(&input.scope_value)
                .bind(input.mandatory)
                .bind(due_kind.code())
                .bind(due_date.as_deref())
                .bind(due_days)
                .bind(now)
                .bind(created_by)
                .bind(format_date(from_unix(now).date()))
                .fetch_one(&mut *tx)
                .await?;
                for p in people {
                    sqlx::query(
                        "INSERT INTO assignment_person (org_id, assignment_id, person_id) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(org.0)
                    .bind(id)
                    .bind(p.0)
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(&format!(
                    "INSERT INTO progress_dirty (org_id, person_id) SELECT a.org_id, p.id \
                     FROM assignment a JOIN person p ON p.org_id = a.org_id AND p.active = TRUE \
                     WHERE a.org_id = $1 AND a.id = $2 AND {IN_SCOPE} ON CONFLICT DO NOTHING"
                ))
                .bind(org.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }))
        })
        .await
    }

    /// Current (not withdrawn) assignments, newest first.
    pub async fn assignments(&self, org: OrgId) -> Result<Vec<AssignmentRow>> {
        let sql = format!(
            "{ASSIGNMENT_SELECT} WHERE a.org_id = $1 AND a.archived_at IS NULL ORDER BY a.id DESC"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?)
    }

    /// One current assignment.
    pub async fn assignment(&self, org: OrgId, id: i64) -> Result<AssignmentRow> {
        let sql = format!(
            "{ASSIGNMENT_SELECT} WHERE a.org_id = $1 AND a.id = $2 AND a.archived_at IS NULL"
        );
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Withdraw an assignment: it stops applying and reminding; progress made stays.
    pub async fn withdraw_assignment(&self, org: OrgId, id: i64, now: i64) -> Result<()> {
        let n = with_tx!(self, |tx| {
            let n = sqlx::query(
                "UPDATE assignment SET archived_at = $3 WHERE org_id = $1 AND id = $2 \
                 AND archived_at IS NULL",
            )
            .bind(org.0)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "INSERT INTO progress_dirty (org_id, person_id) SELECT org_id, person_id \
                 FROM assignment_status WHERE org_id = $1 AND assignment_id = $2 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(org.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The current assignments that apply to a person (active members only).
    pub async fn person_assignments(
        &self,
        org: OrgId,
        person: PersonId,
    ) -> Result<Vec<AssignmentRow>> {
        let sql = format!(
            "{ASSIGNMENT_SELECT} JOIN person p ON p.org_id = a.org_id AND p.id = $2 \
             AND p.active = TRUE WHERE a.org_id = $1 AND a.archived_at IS NULL AND {IN_SCOPE} \
             ORDER BY a.mandatory DESC, a.id"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.0)
            .fetch_all(p)
            .await)?)
    }

    /// How many active people an assignment currently applies to.
    pub async fn assignment_reach(&self, org: OrgId, id: i64) -> Result<i64> {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM assignment a JOIN person p \
             ON p.org_id = a.org_id AND p.active = TRUE \
             WHERE a.org_id = $1 AND a.id = $2 AND {IN_SCOPE}"
        );
        Ok(with_pool!(self, |p| sqlx::query_scalar(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_one(p)
            .await)?)
    }
}

/// Ids read from the database, written out for an `IN (…)` list (never ids from input).
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
