//! Reports kept in the database (`report_snapshot`): the key a report is stored under, the
//! stamp of what it was built from, reading a current one back, keeping a fresh one, and the
//! background refresh of the dashboards' reports. See ARCHITECTURE.md (Analytics).

use super::report::{build, Report, ReportOptions};
use somu_analytics::period::DateRange;
use somu_domain::ids::OrgId;
use somu_store::analytics::snapshot::Snapshot;
use somu_store::analytics::Inputs;
use somu_store::{Store, StoreError};

/// The reports the dashboards open with.
pub const DASHBOARD_REPORTS: [&str; 2] = ["leadership", "kirkpatrick"];

/// The key a report is stored under: its name, period and bootstrap options.
pub(super) fn key(name: &str, range: DateRange, opts: ReportOptions) -> String {
    format!(
        "{name} {}..{} resamples={} seed={}",
        range.first, range.last, opts.resamples, opts.seed
    )
}

/// What a report would be built from now, in words (the state of the sources and the entered
/// money), with the entered money itself for the build.
pub(super) async fn stamp(store: &Store, org: OrgId) -> Result<(String, Inputs), StoreError> {
    let inputs = store.analytics_inputs(org).await?;
    let stamp = format!("{} inputs={inputs:?}", store.analytics_stamp(org).await?);
    Ok((stamp, inputs))
}

/// The report stored under `key`, if it was built from what `stamp` describes.
pub(super) async fn read(
    store: &Store,
    org: OrgId,
    key: &str,
    stamp: &str,
) -> Result<Option<Report>, StoreError> {
    Ok(store
        .report_snapshot(org, key)
        .await?
        .filter(|s| s.stamp == stamp)
        .and_then(|s| serde_json::from_str(&s.body).ok()))
}

/// Store a fresh report and return it as stored, read back, so that a report is the same
/// number for number whether it was just built or read from its snapshot.
pub(super) async fn keep(
    store: &Store,
    org: OrgId,
    key: &str,
    stamp: String,
    rep: Report,
) -> Result<Report, StoreError> {
    let body = serde_json::to_string(&rep)
        .map_err(|e| StoreError::Conflict(format!("the report could not be stored: {e}")))?;
    let rep = serde_json::from_str::<Report>(&body).unwrap_or(rep);
    let snap = Snapshot {
        stamp,
        built_at: time::OffsetDateTime::now_utc().unix_timestamp(),
        body,
    };
    store.put_report_snapshot(org, key, &snap).await?;
    Ok(rep)
}

/// A report as stored: what a dashboard shows, current or while a newer one is being built.
pub(super) struct Stored {
    /// The report.
    pub report: Report,
    /// When it was built (Unix seconds).
    pub built_at: i64,
    /// Built from what the sources hold now: no roll-up waiting to be rebuilt, the same stamp.
    pub current: bool,
}

/// The named report of this period as last stored, current or not (one read of its snapshot).
pub(super) async fn latest(
    store: &Store,
    org: OrgId,
    name: &str,
    range: DateRange,
    opts: ReportOptions,
) -> Result<Option<Stored>, StoreError> {
    let Some(snap) = store.report_snapshot(org, &key(name, range, opts)).await? else {
        return Ok(None);
    };
    let current = !store.rollups_waiting(org).await? && snap.stamp == stamp(store, org).await?.0;
    Ok(serde_json::from_str(&snap.body).ok().map(|report| Stored {
        report,
        built_at: snap.built_at,
        current,
    }))
}

/// The named report of this period when it is stored and current, so that a dashboard can
/// show it without a build.
pub async fn current(
    store: &Store,
    org: OrgId,
    name: &str,
    range: DateRange,
    opts: ReportOptions,
) -> Result<Option<Report>, StoreError> {
    Ok(latest(store, org, name, range, opts)
        .await?
        .filter(|s| s.current)
        .map(|s| s.report))
}

/// Whether the named report of this period is stored and current.
pub async fn is_ready(
    store: &Store,
    org: OrgId,
    name: &str,
    range: DateRange,
    opts: ReportOptions,
) -> Result<bool, StoreError> {
    Ok(current(store, org, name, range, opts).await?.is_some())
}

/// Rebuild the dashboards' reports of their default period (the 52 weeks up to `now`) when
/// they are missing or no longer current and were last built at least `min_age` seconds ago
/// (so a busy organisation's dashboards are rebuilt at most that often; 0 rebuilds whatever
/// is not current). Returns how many were rebuilt.
pub async fn refresh(
    store: &Store,
    org: OrgId,
    slug: &str,
    now: i64,
    min_age: i64,
) -> Result<usize, StoreError> {
    let range = super::RangeQuery::default()
        .range(now)
        .map_err(|e| StoreError::Conflict(format!("{e:?}")))?;
    let opts = ReportOptions::default();
    // Roll-ups first, so that one stamp describes what every report below would be built from.
    store.project_all_rollups(org).await?;
    let (stamp, _) = stamp(store, org).await?;
    let mut rebuilt = 0;
    for name in DASHBOARD_REPORTS {
        let due = match store.report_snapshot(org, &key(name, range, opts)).await? {
            Some(s) => s.stamp != stamp && now - s.built_at >= min_age,
            None => true,
        };
        if due {
            build(store, org, slug, name, range, opts, &|_| {}).await?;
            rebuilt += 1;
        }
    }
    Ok(rebuilt)
}
