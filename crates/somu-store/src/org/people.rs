//! People: the member records of an organisation.

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId, TeamId};
use somu_domain::org::{Audience, EmploymentType, PersonInput};
use somu_domain::time_util::format_date;
use std::collections::HashSet;

/// A person as shown in lists and on their page.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PersonRow {
    /// Id within the organisation.
    pub id: i64,
    /// Linked sign-in, if any.
    pub account_id: Option<i64>,
    /// HR identifier.
    pub employee_id: Option<String>,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Audience code.
    pub audience: String,
    /// Team id.
    pub team_id: Option<i64>,
    /// Team name.
    pub team_name: Option<String>,
    /// Manager id.
    pub manager_id: Option<i64>,
    /// Manager name.
    pub manager_name: Option<String>,
    /// Employment type code.
    pub employment_type: String,
    /// Language.
    pub language: String,
    /// Job title.
    pub job_title: Option<String>,
    /// First day (`YYYY-MM-DD`).
    pub start_date: Option<String>,
    /// Active members can sign in and are counted.
    pub active: bool,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Last changed (Unix seconds).
    pub updated_at: i64,
}

/// Filters for the people list. Every filter is optional; they combine with AND.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Words to find in name, email or employee id.
    pub q: Option<String>,
    /// Audience.
    pub audience: Option<Audience>,
    /// Team.
    pub team: Option<TeamId>,
    /// Manager.
    pub manager: Option<PersonId>,
    /// Employment type.
    pub employment_type: Option<EmploymentType>,
    /// Language.
    pub language: Option<String>,
    /// Active or not; `None` for both.
    pub active: Option<bool>,
}

/// One page of people and how many match in all.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PeoplePage {
    /// The rows of this page.
    pub people: Vec<PersonRow>,
    /// How many people match the filter.
    pub total: i64,
}

pub(crate) const PERSON_SELECT: &str = "SELECT p.id, p.account_id, p.employee_id, p.email, p.name, p.audience, \
    p.team_id, t.name AS team_name, p.manager_id, m.name AS manager_name, p.employment_type, p.language, \
    p.job_title, p.start_date, p.active, p.created_at, p.updated_at \
    FROM person p \
    LEFT JOIN team t ON t.org_id = p.org_id AND t.id = p.team_id \
    LEFT JOIN person m ON m.org_id = p.org_id AND m.id = p.manager_id";

/// The conflict reported when a person's email or employee id is already used.
fn taken(p: &PersonInput) -> StoreError {
    StoreError::Conflict(format!(
        "someone in this organisation already has the email {} or the same employee id",
        p.email
    ))
}

/// The lowercased text the people search matches against.
pub(crate) fn search_text(p: &PersonInput) -> String {
    let mut s = format!("{} {}", p.name, p.email);
    if let Some(e) = &p.employee_id {
        s.push(' ');
        s.push_str(e);
    }
    s.to_lowercase()
}

enum Bind {
    Int(i64),
    Text(String),
    Bool(bool),
}

fn where_clause(org: OrgId, f: &PersonFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from(" WHERE p.org_id = $1");
    let mut binds = vec![Bind::Int(org.0)];
    let push = |sql: &mut String, binds: &mut Vec<Bind>, cond: &str, b: Bind| {
        binds.push(b);
        sql.push_str(&format!(" AND {cond}${}", binds.len()));
    };
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        for word in q.to_lowercase().split_whitespace().take(5) {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            push(
                &mut sql,
                &mut binds,
                "p.search LIKE ",
                Bind::Text(format!("%{escaped}%")),
            );
            sql.push_str(" ESCAPE '\\'");
        }
    }
    if let Some(a) = f.audience {
        push(
            &mut sql,
            &mut binds,
            "p.audience = ",
            Bind::Text(a.code().into()),
        );
    }
    if let Some(t) = f.team {
        push(&mut sql, &mut binds, "p.team_id = ", Bind::Int(t.0));
    }
    if let Some(m) = f.manager {
        push(&mut sql, &mut binds, "p.manager_id = ", Bind::Int(m.0));
    }
    if let Some(e) = f.employment_type {
        push(
            &mut sql,
            &mut binds,
            "p.employment_type = ",
            Bind::Text(e.code().into()),
        );
    }
    if let Some(l) = &f.language {
        push(&mut sql, &mut binds, "p.language = ", Bind::Text(l.clone()));
    }
    if let Some(a) = f.active {
        push(&mut sql, &mut binds, "p.active = ", Bind::Bool(a));
    }
    (sql, binds)
}

/// Bind a list of dynamic values onto a query, in order.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
                Bind::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

impl Store {
    /// One person of the organisation.
    pub async fn person(&self, org: OrgId, id: PersonId) -> Result<PersonRow> {
        let sql = format!("{PERSON_SELECT} WHERE p.org_id = $1 AND p.id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id.0)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// A person found by email.
    pub async fn person_by_email(&self, org: OrgId, email: &str) -> Result<Option<PersonRow>> {
        let sql = format!("{PERSON_SELECT} WHERE p.org_id = $1 AND p.email = $2");
        let email = email.trim().to_lowercase();
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(&email)
            .fetch_optional(p)
            .await)?)
    }

    /// A page of people matching a filter, ordered by name.
    pub async fn people(
        &self,
        org: OrgId,
        f: &PersonFilter,
        limit: i64,
        offset: i64,
    ) -> Result<PeoplePage> {
        let (cond, binds) = where_clause(org, f);
        let n = binds.len();
        let list_sql = format!(
            "{PERSON_SELECT}{cond} ORDER BY p.name, p.id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM person p{cond}");
        let people: Vec<PersonRow> =
            with_pool!(self, |p| bind_all!(sqlx::query_as(&list_sql), &binds)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await)?;
        let total: i64 = if offset == 0 && (people.len() as i64) < limit {
            people.len() as i64
        } else {
            with_pool!(self, |p| bind_all!(sqlx::query_scalar(&count_sql), &binds)
                .fetch_one(p)
                .await)?
        };
        Ok(PeoplePage { people, total })
    }

    /// Every person matching a filter, for export.
    pub async fn all_people(&self, org: OrgId, f: &PersonFilter) -> Result<Vec<PersonRow>> {
        let (cond, binds) = where_clause(org, f);
        let sql = format!("{PERSON_SELECT}{cond} ORDER BY p.id");
        Ok(with_pool!(self, |p| bind_all!(
            sqlx::query_as(&sql),
            &binds
        )
        .fetch_all(p)
        .await)?)
    }

    /// The set of emails and employee ids already used in the organisation.
    pub async fn person_keys(&self, org: OrgId) -> Result<HashSet<String>> {
        let rows: Vec<(String, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT email, employee_id FROM person WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        let mut keys = HashSet::with_capacity(rows.len() * 2);
        for (email, eid) in rows {
            keys.insert(email);
            if let Some(e) = eid {
                keys.insert(e);
            }
        }
        Ok(keys)
    }

    /// Resolve a manager key (email or employee id) to a person.
    pub async fn person_by_key(&self, org: OrgId, key: &str) -> Result<Option<PersonId>> {
        let id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT id FROM person WHERE org_id = $1 AND (email = $2 OR employee_id = $3)"
        )
        .bind(org.0)
        .bind(key.to_lowercase())
        .bind(key)
        .fetch_optional(p)
        .await)?;
        Ok(id.map(PersonId))
    }

    /// A team's id by name, creating the team when missing.
    pub async fn team_by_name(&self, org: OrgId, name: &str) -> Result<TeamId> {
        let id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT id FROM team WHERE org_id = $1 AND name = $2"
        )
        .bind(org.0)
        .bind(name)
        .fetch_optional(p)
        .await)?;
        match id {
            Some(id) => Ok(TeamId(id)),
            None => self.create_team(org, name, None).await,
        }
    }

    async fn resolve_refs(
        &self,
        org: OrgId,
        input: &PersonInput,
    ) -> Result<(Option<i64>, Option<i64>)> {
        let team = match &input.team {
            Some(t) => Some(self.team_by_name(org, t).await?.0),
            None => None,
        };
        let manager = match &input.manager {
            Some(m) => Some(
                self.person_by_key(org, m)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Invalid(
                            somu_domain::FieldError::new(
                                "manager",
                                "unknown-manager",
                                format!("no one with the email or employee id \"{m}\""),
                            )
                            .into(),
                        )
                    })?
                    .0,
            ),
            None => None,
        };
        Ok((team, manager))
    }

    /// Create a person. `Conflict` when the email or employee id is taken.
    pub async fn create_person(&self, org: OrgId, input: &PersonInput) -> Result<PersonId> {
        let (team, manager) = self.resolve_refs(org, input).await?;
        let now = crate::unix_now();
        let start = input.start_date.map(format_date);
        let search = search_text(input);
        let res = retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO person (org_id, id, employee_id, email, name, audience, team_id, manager_id, employment_type, \
                 language, job_title, start_date, active, search, created_at, updated_at) VALUES ($1, ",
                next_id_sql!("person"),
                ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, TRUE, $12, $13, $13) RETURNING id"
            ))
            .bind(org.0)
            .bind(&input.employee_id)
            .bind(&input.email)
            .bind(&input.name)
            .bind(input.audience.code())
            .bind(team)
            .bind(manager)
            .bind(input.employment_type.code())
            .bind(&input.language)
            .bind(&input.job_title)
            .bind(&start)
            .bind(&search)
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await;
        match res {
            Err(e) if e.is_unique_violation() => Err(taken(input)),
            other => other.map(PersonId),
        }
    }

    /// Replace a person's fields.
    pub async fn update_person(&self, org: OrgId, id: PersonId, input: &PersonInput) -> Result<()> {
        let (team, manager) = self.resolve_refs(org, input).await?;
        if manager == Some(id.0) {
            return Err(StoreError::Invalid(
                somu_domain::FieldError::new(
                    "manager",
                    "self-manager",
                    "a person cannot be their own manager",
                )
                .into(),
            ));
        }
        let res = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE person SET employee_id = $3, email = $4, name = $5, audience = $6, team_id = $7, manager_id = $8, \
             employment_type = $9, language = $10, job_title = $11, start_date = $12, search = $13, updated_at = $14 \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .bind(&input.employee_id)
        .bind(&input.email)
        .bind(&input.name)
        .bind(input.audience.code())
        .bind(team)
        .bind(manager)
        .bind(input.employment_type.code())
        .bind(&input.language)
        .bind(&input.job_title)
        .bind(input.start_date.map(format_date))
        .bind(search_text(input))
        .bind(crate::unix_now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        .map_err(StoreError::from)
        });
        match res {
            Err(e) if e.is_unique_violation() => Err(taken(input)),
            Err(e) => Err(e),
            Ok(0) => Err(StoreError::NotFound),
            Ok(_) => Ok(()),
        }
    }

    /// Deactivate or reactivate a person. A deactivated person cannot sign in to this organisation.
    pub async fn set_person_active(&self, org: OrgId, id: PersonId, active: bool) -> Result<()> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE person SET active = $3, updated_at = $4 WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .bind(active)
        .bind(crate::unix_now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Erase a person's personal data on request: the record stays (so counts and history keep
    /// their shape) but every identifying field is replaced and the sign-in link is cut.
    /// Rows of [`PERSONAL_TABLES`] that name the person are deleted; rows that only count
    /// (learning statements) stay attached to the anonymous record.
    pub async fn erase_person(&self, org: OrgId, id: PersonId) -> Result<()> {
        self.person(org, id).await?;
        let placeholder = format!("erased-{}-{}@erased.invalid", org.0, id.0);
        crate::with_tx!(self, |tx| {
            for table in PERSONAL_TABLES {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE org_id = $1 AND person_id = $2"
                ))
                .bind(org.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            // Then the social data: posts and snapshots hang off the person's accounts (their
            // weekly roll-ups, which point at the accounts, went with the tables above).
            crate::social::links::purge_in_tx!(tx, org, "person_id = $2", id.0);
            sqlx::query(
                "UPDATE person SET manager_id = NULL WHERE org_id = $1 AND manager_id = $2",
            )
            .bind(org.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE team SET manager_id = NULL WHERE org_id = $1 AND manager_id = $2")
                .bind(org.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE person SET account_id = NULL, employee_id = NULL, email = $3, name = $4, job_title = NULL, \
                 start_date = NULL, manager_id = NULL, active = FALSE, search = '', updated_at = $5 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(id.0)
            .bind(&placeholder)
            .bind(format!("Erased person {}", id.0))
            .bind(crate::unix_now())
            .execute(&mut *tx)
            .await?;
        });
        Ok(())
    }
}

/// Tables with a `person_id` column whose rows are personal data, deleted when a person is
/// erased. A new table holding a person's data is added here.
pub const PERSONAL_TABLES: &[&str] = &[
    "membership",
    "person_role",
    "invitation",
    "analytics_account_week",
    "quiz_answer",
    "quiz_attempt",
    "lesson_open",
    "assignment_person",
    "progress_course",
    "progress_lesson",
    "progress_track",
    "assignment_status",
    "assigned_course",
    "progress_dirty",
    "progress_person",
    "notification",
    "reminder_sent",
    "survey_send",
    "cohort_member",
    "class_registration",
    "class_feed",
    "class_notice",
    "capstone",
    "capstone_file",
    "credential",
    "profile_card",
];
