//! Bulk import of people from a validated HR file: idempotent by employee id, then email.
//! The whole file is written in one transaction, so a failure leaves the organisation unchanged.

use super::people::search_text;
use crate::{with_pool, Result, Store, StoreError};
use somu_domain::ids::OrgId;
use somu_domain::org::{ImportRow, PersonInput};
use somu_domain::time_util::format_date;
use somu_domain::{FieldError, FieldErrors};
use std::collections::HashMap;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// New people.
    pub created: u64,
    /// People whose fields changed.
    pub updated: u64,
    /// People already exactly as in the file.
    pub unchanged: u64,
    /// Teams created for team names not seen before.
    pub teams_created: u64,
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    employee_id: Option<String>,
    email: String,
    name: String,
    audience: String,
    team_id: Option<i64>,
    manager_id: Option<i64>,
    employment_type: String,
    language: String,
    job_title: Option<String>,
    start_date: Option<String>,
}

/// A row ready to write, with references resolved to ids.
struct Planned<'a> {
    id: i64,
    input: &'a PersonInput,
    team_id: Option<i64>,
    manager_id: Option<i64>,
    start_date: Option<String>,
}

impl Planned<'_> {
    fn same_as(&self, e: &Existing) -> bool {
        e.employee_id == self.input.employee_id
            && e.email == self.input.email
            && e.name == self.input.name
            && e.audience == self.input.audience.code()
            && e.team_id == self.team_id
            && e.manager_id == self.manager_id
            && e.employment_type == self.input.employment_type.code()
            && e.language == self.input.language
            && e.job_title == self.input.job_title
            && e.start_date == self.start_date
    }
}

/// Rows per INSERT statement: 15 parameters a row stays well under SQLite's limit.
const BATCH: usize = 500;

impl Store {
    /// Write validated rows. `progress(done, total)` is called after each batch.
    pub async fn import_people(
        &self,
        org: OrgId,
        rows: &[ImportRow],
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        let now = crate::unix_now();
        let existing: Vec<Existing> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, employee_id, email, name, audience, team_id, manager_id, employment_type, language, job_title, start_date \
             FROM person WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?;
        let mut by_email: HashMap<&str, usize> = HashMap::with_capacity(existing.len());
        let mut by_eid: HashMap<&str, usize> = HashMap::with_capacity(existing.len());
        for (i, e) in existing.iter().enumerate() {
            by_email.insert(e.email.as_str(), i);
            if let Some(eid) = &e.employee_id {
                by_eid.insert(eid.as_str(), i);
            }
        }
        let mut next_id = existing.iter().map(|e| e.id).max().unwrap_or(0) + 1;

        // Decide each row's id: employee id first, then email, else a new id.
        let mut errors = FieldErrors::default();
        let mut ids = Vec::with_capacity(rows.len());
        let mut key_to_id: HashMap<&str, i64> = HashMap::with_capacity(rows.len() * 2);
        for row in rows {
            let p = &row.person;
            let by_e = p
                .employee_id
                .as_deref()
                .and_then(|k| by_eid.get(k))
                .copied();
            let by_m = by_email.get(p.email.as_str()).copied();
            let idx = match (by_e, by_m) {
                (Some(a), Some(b)) if a != b => {
                    errors.push(
                        FieldError::new(
                            "email",
                            "conflict",
                            format!(
                                "{} belongs to {} but employee id {} belongs to {}",
                                p.email,
                                existing[b].name,
                                p.employee_id.as_deref().unwrap_or(""),
                                existing[a].name
                            ),
                        )
                        .at_line(row.line),
                    );
                    None
                }
                (a, b) => a.or(b),
            };
            let id = match idx {
                Some(i) => existing[i].id,
                None => {
                    next_id += 1;
                    next_id - 1
                }
            };
            ids.push(id);
            key_to_id.insert(p.email.as_str(), id);
            if let Some(eid) = &p.employee_id {
                key_to_id.insert(eid.as_str(), id);
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        for e in &existing {
            key_to_id.entry(e.email.as_str()).or_insert(e.id);
            if let Some(eid) = &e.employee_id {
                key_to_id.entry(eid.as_str()).or_insert(e.id);
            }
        }
        let existing_by_id: HashMap<i64, &Existing> = existing.iter().map(|e| (e.id, e)).collect();

        // Teams by name, creating the missing ones inside the same transaction below.
        let teams: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM team WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        let mut team_ids: HashMap<String, i64> =
            teams.iter().map(|(id, n)| (n.clone(), *id)).collect();
        let mut next_team = teams.iter().map(|t| t.0).max().unwrap_or(0) + 1;
        let mut new_teams = Vec::new();
        for row in rows {
            if let Some(t) = &row.person.team {
                if !team_ids.contains_key(t) {
                    team_ids.insert(t.clone(), next_team);
                    new_teams.push((next_team, t.clone()));
                    next_team += 1;
                }
            }
        }

        let mut summary = ImportSummary {
            teams_created: new_teams.len() as u64,
            ..Default::default()
        };
        let mut planned = Vec::with_capacity(rows.len());
        for (row, id) in rows.iter().zip(&ids) {
            let p = &row.person;
            let plan = Planned {
                id: *id,
                input: p,
                team_id: p.team.as_ref().and_then(|t| team_ids.get(t)).copied(),
                manager_id: p.manager.as_deref().and_then(|m| key_to_id.get(m)).copied(),
                start_date: p.start_date.map(format_date),
            };
            match existing_by_id.get(id) {
                Some(e) if plan.same_as(e) => summary.unchanged += 1,
                Some(_) => {
                    summary.updated += 1;
                    planned.push(plan);
                }
                None => {
                    summary.created += 1;
                    planned.push(plan);
                }
            }
        }

        let total = rows.len() as u64;
        let skipped = total - planned.len() as u64;
        progress(skipped, total);
        crate::with_tx!(self, |tx| {
            for (id, name) in &new_teams {
                sqlx::query(
                    "INSERT INTO team (org_id, id, name, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(org.0)
                .bind(id)
                .bind(name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let mut done = skipped;
            for chunk in planned.chunks(BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO person (org_id, id, employee_id, email, name, audience, team_id, manager_id, \
                     employment_type, language, job_title, start_date, active, search, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(org.0)
                        .push_bind(r.id)
                        .push_bind(r.input.employee_id.clone())
                        .push_bind(r.input.email.clone())
                        .push_bind(r.input.name.clone())
                        .push_bind(r.input.audience.code())
                        .push_bind(r.team_id)
                        .push_bind(r.manager_id)
                        .push_bind(r.input.employment_type.code())
                        .push_bind(r.input.language.clone())
                        .push_bind(r.input.job_title.clone())
                        .push_bind(r.start_date.clone())
                        .push_bind(true)
                        .push_bind(search_text(r.input))
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(
                    " ON CONFLICT (org_id, id) DO UPDATE SET employee_id = excluded.employee_id, email = excluded.email, \
                     name = excluded.name, audience = excluded.audience, team_id = excluded.team_id, \
                     manager_id = excluded.manager_id, employment_type = excluded.employment_type, \
                     language = excluded.language, job_title = excluded.job_title, start_date = excluded.start_date, \
                     search = excluded.search, updated_at = excluded.updated_at",
                );
                qb.build().execute(&mut *tx).await?;
                done += chunk.len() as u64;
                progress(done, total);
            }
        });
        Ok(summary)
    }
}
