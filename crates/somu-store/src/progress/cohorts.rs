//! Cohorts: a named group of people going through a track together from a start date.

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};

/// A cohort as listed.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Cohort {
    /// Id within the organisation.
    pub id: i64,
    /// Name, unique in the organisation.
    pub name: String,
    /// The track it follows.
    pub track_slug: String,
    /// The track's title.
    pub track_title: String,
    /// First day (`YYYY-MM-DD`).
    pub start_date: String,
    /// Members.
    pub members: i64,
}

/// A cohort member.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CohortMember {
    /// Person id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

const COHORT_SELECT: &str = "SELECT c.id, c.name, c.track_slug, \
    COALESCE(t.title, c.track_slug) AS track_title, c.start_date, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM cohort_member m WHERE m.org_id = c.org_id \
      AND m.cohort_id = c.id) AS members \
    FROM cohort c LEFT JOIN track t ON t.org_id = c.org_id AND t.slug = c.track_slug";

impl Store {
    /// Create a cohort with its members; `Conflict` when the name is taken. Returns its id.
    pub async fn create_cohort(
        &self,
        org: OrgId,
        name: &str,
        track: &str,
        start_date: &str,
        members: &[PersonId],
        now: i64,
    ) -> Result<i64> {
        let res = retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM cohort WHERE org_id = $1 AND name = $2")
                        .bind(org.0)
                        .bind(name)
                        .fetch_optional(&mut *tx)
                        .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "a cohort is already called {name}"
                    )));
                }
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO cohort (org_id, id, name, track_slug, start_date, created_at) \
                     VALUES ($1, ",
                    next_id_sql!("cohort"),
                    ", $2, $3, $4, $5) RETURNING id"
                ))
                .bind(org.0)
                .bind(name)
                .bind(track)
                .bind(start_date)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for m in members {
                    sqlx::query(
                        "INSERT INTO cohort_member (org_id, cohort_id, person_id) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(org.0)
                    .bind(id)
                    .bind(m.0)
                    .execute(&mut *tx)
                    .await?;
                }
                id
            }))
        })
        .await;
        res
    }

    /// Add people to a cohort (people already in it are left as they are).
    pub async fn add_cohort_members(
        &self,
        org: OrgId,
        cohort: i64,
        members: &[PersonId],
    ) -> Result<()> {
        self.cohort(org, cohort).await?;
        with_tx!(self, |tx| {
            for m in members {
                sqlx::query(
                    "INSERT INTO cohort_member (org_id, cohort_id, person_id) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(org.0)
                .bind(cohort)
                .bind(m.0)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// Every cohort, newest start first.
    pub async fn cohorts(&self, org: OrgId) -> Result<Vec<Cohort>> {
        let sql = format!("{COHORT_SELECT} WHERE c.org_id = $1 ORDER BY c.start_date DESC, c.id");
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?)
    }

    /// One cohort.
    pub async fn cohort(&self, org: OrgId, id: i64) -> Result<Cohort> {
        let sql = format!("{COHORT_SELECT} WHERE c.org_id = $1 AND c.id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// A cohort's active members by name.
    pub async fn cohort_members(&self, org: OrgId, id: i64) -> Result<Vec<CohortMember>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT p.id, p.name, p.email FROM cohort_member m JOIN person p \
             ON p.org_id = m.org_id AND p.id = m.person_id \
             WHERE m.org_id = $1 AND m.cohort_id = $2 AND p.active = TRUE ORDER BY p.name, p.id"
        )
        .bind(org.0)
        .bind(id)
        .fetch_all(p)
        .await)?)
    }
}

impl Store {
    /// How many of these people passed the track's post-test.
    pub async fn track_post_passed(&self, org: OrgId, track: &str, people: &[i64]) -> Result<i64> {
        let mut total = 0;
        for chunk in people.chunks(500) {
            let list = super::id_list(chunk);
            let sql = format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM progress_track WHERE org_id = $1 \
                 AND track_slug = $2 AND post_passed = TRUE AND person_id IN ({list})"
            );
            let n: i64 = with_pool!(self, |p| sqlx::query_scalar(&sql)
                .bind(org.0)
                .bind(track)
                .fetch_one(p)
                .await)?;
            total += n;
        }
        Ok(total)
    }
}
