//! Built reports kept in the database. Building a report reads every weekly roll-up row of the
//! organisation; a dashboard instead reads the snapshot of the same report and period, valid
//! while its stamp (the state of everything the report was built from) is still current. The
//! stamp is cheap to compute: indexed maxima and counts plus the roll-up generation, a counter
//! that every write to the roll-ups advances in the same transaction. Nothing is kept in an
//! app server's memory, so any number of servers share the snapshots.

use crate::{with_pool, Result, Store};
use somu_domain::ids::OrgId;

/// Advance an organisation's roll-up generation (bind the organisation as `$1`).
pub(crate) const BUMP_GENERATION: &str = "INSERT INTO analytics_generation (org_id, generation) \
     VALUES ($1, 1) ON CONFLICT (org_id) DO UPDATE SET generation = analytics_generation.generation + 1";

/// Seconds a snapshot is kept after it was last built: 30 days.
pub const KEEP_FOR: i64 = 30 * 86_400;

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Snapshot {
    /// What it was built from.
    pub stamp: String,
    /// When (Unix seconds).
    pub built_at: i64,
    /// The report as JSON.
    pub body: String,
}

impl Store {
    /// The state of an organisation's analytics sources, in words: the roll-up generation, the
    /// newest learning statement, the survey responses and the tracks' last change. Equal stamps
    /// mean equal sources.
    pub async fn analytics_stamp(&self, org: OrgId) -> Result<String> {
        let (generation, statements, responses, newest, min_group, tracks): (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        ) = with_pool!(self, |p| {
            sqlx::query_as(
                "SELECT \
                 COALESCE((SELECT generation FROM analytics_generation WHERE org_id = $1), 0), \
                 CAST(COALESCE((SELECT MAX(id) FROM statement WHERE org_id = $1), 0) AS BIGINT), \
                 CAST((SELECT COUNT(*) FROM survey_response WHERE org_id = $1) AS BIGINT), \
                 CAST(COALESCE((SELECT MAX(id) FROM survey_response WHERE org_id = $1), 0) AS BIGINT), \
                 COALESCE((SELECT min_group FROM survey_settings WHERE org_id = $1), 0), \
                 CAST(COALESCE((SELECT MAX(updated_at) FROM track WHERE org_id = $1), 0) AS BIGINT)"
            )
            .bind(org.0)
            .fetch_one(p)
            .await
        })?;
        Ok(format!(
            "rollups={generation} statements={statements} responses={responses}/{newest} \
             min_group={min_group} tracks={tracks}"
        ))
    }

    /// Whether importers have marked roll-ups that are not yet rebuilt.
    pub async fn rollups_waiting(&self, org: OrgId) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM rollup_dirty WHERE org_id = $1 LIMIT 1) AS w"
        )
        .bind(org.0)
        .fetch_one(p)
        .await
        })?;
        Ok(n > 0)
    }

    /// The stored report under `key`, if any.
    pub async fn report_snapshot(&self, org: OrgId, key: &str) -> Result<Option<Snapshot>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT stamp, built_at, body FROM report_snapshot WHERE org_id = $1 AND key = $2"
        )
        .bind(org.0)
        .bind(key)
        .fetch_optional(p)
        .await)?)
    }

    /// Store a built report under `key`, replacing what was there. Snapshots of the
    /// organisation not rebuilt for [`KEEP_FOR`] seconds (periods nobody asks for any more) go.
    pub async fn put_report_snapshot(
        &self,
        org: OrgId,
        key: &str,
        snapshot: &Snapshot,
    ) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO report_snapshot (org_id, key, stamp, built_at, body) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (org_id, key) DO UPDATE SET stamp = excluded.stamp, \
             built_at = excluded.built_at, body = excluded.body"
        )
        .bind(org.0)
        .bind(key)
        .bind(&snapshot.stamp)
        .bind(snapshot.built_at)
        .bind(&snapshot.body)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        with_pool!(self, |p| sqlx::query(
            "DELETE FROM report_snapshot WHERE org_id = $1 AND built_at < $2"
        )
        .bind(org.0)
        .bind(snapshot.built_at - KEEP_FOR)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Organisations that keep report snapshots (someone opened a dashboard or it was warmed).
    pub async fn orgs_with_snapshots(&self) -> Result<Vec<OrgId>> {
        self.orgs_in("report_snapshot").await
    }

    /// Keys of the organisation's snapshots, with their build times, newest first.
    pub async fn report_snapshot_keys(&self, org: OrgId) -> Result<Vec<(String, i64)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT key, built_at FROM report_snapshot WHERE org_id = $1 ORDER BY built_at DESC, key"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?)
    }
}
