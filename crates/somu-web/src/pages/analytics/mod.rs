//! Analytics pages: the leadership one-pager, the programme owner's Kirkpatrick view, the
//! person's own influence, what the organisation enters (revenue, values, costs), report exports
//! and the help page with every definition.

pub mod chart;
mod dashboards;
mod fetch;
pub use dashboards::{flatten_csv, report_pdf, report_response, PdfMeta, Section, Table};
mod inputs;
pub mod pdf;
pub mod report;
mod stored;
mod team;

use crate::error::{AppError, AppResult};
use crate::page::Page;
use crate::routes::{r, RouteDef};
use axum::http::Method;
use axum::routing::{get, post};
use report::Num;
use somu_analytics::period::DateRange;
use somu_domain::access::Access;
use somu_domain::org::AppRole;
use time::Date;

/// Who may enter revenue, values and costs.
pub const OWNERS: Access = Access::Org(&[AppRole::OrgAdmin, AppRole::ProgrammeOwner]);

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    vec![
        r(
            M::GET,
            "/o/{org}/analytics",
            Access::STAFF,
            get(dashboards::leadership),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/programmes",
            Access::STAFF,
            get(dashboards::programmes),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/team",
            crate::pages::progress::MANAGERS,
            get(team::team),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/me",
            Access::MEMBER,
            get(dashboards::me),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/help",
            Access::MEMBER,
            get(dashboards::help),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/inputs",
            OWNERS,
            get(inputs::form),
        ),
        r(
            M::POST,
            "/o/{org}/analytics/inputs",
            OWNERS,
            post(inputs::save),
        ),
        r(
            M::GET,
            "/o/{org}/analytics/export/{name}",
            Access::STAFF,
            get(dashboards::export),
        ),
    ]
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv|pdf`.
#[derive(serde::Deserialize, Default, Debug, Clone)]
pub struct RangeQuery {
    /// First day.
    pub from: Option<String>,
    /// Last day (included).
    pub to: Option<String>,
    /// Export format.
    pub format: Option<String>,
}

/// Parse an ISO date, naming the field when it is not one.
pub fn parse_date(field: &str, s: &str) -> AppResult<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &fmt).map_err(|_| {
        AppError::field(
            field,
            "date",
            format!("{field}: {s:?} is not a date (write YYYY-MM-DD)"),
        )
    })
}

impl RangeQuery {
    /// The period asked for; by default the 52 weeks up to today.
    pub fn range(&self, now: i64) -> AppResult<DateRange> {
        let today = somu_domain::time_util::from_unix(now).date();
        let to = match self.to.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => parse_date("to", s)?,
            None => today,
        };
        let from = match self.from.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => parse_date("from", s)?,
            None => to.checked_sub(time::Duration::days(363)).unwrap_or(to),
        };
        if (to - from).whole_days() > 3660 {
            return Err(AppError::field(
                "from",
                "range",
                "from: a report covers at most ten years",
            ));
        }
        DateRange::new(from, to).ok_or_else(|| {
            AppError::field(
                "from",
                "order",
                "from: the first day must not be after the last day",
            )
        })
    }
}

/// A number for display, or "not enough data" with the reason.
pub fn show(page: &Page, n: &Num, digits: usize) -> String {
    match (n.value, n.not_enough_data.as_deref()) {
        (Some(v), _) => format!("{v:.digits$}"),
        (None, Some(code)) => format!(
            "{} ({})",
            page.t("analytics-not-enough-data"),
            page.tk("analytics-reason", code)
        ),
        (None, None) => page.t("analytics-not-enough-data"),
    }
}

/// A share 0…1 as a percentage for display.
pub fn show_pct(page: &Page, n: &Num) -> String {
    match n.value {
        Some(v) => format!("{:.1}%", v * 100.0),
        None => show(page, n, 1),
    }
}

/// Once an organisation's roll-ups are current again, rebuild its dashboards' reports so that
/// nobody waits for them after an import.
async fn warm_when_settled(state: &crate::AppState, org: somu_domain::ids::OrgId) {
    if matches!(state.store.rollups_waiting(org).await, Ok(false)) {
        refresh_org(state, org, 0).await;
    }
}

/// Seconds between two rebuilds of one organisation's dashboard reports by the tick.
const REFRESH_EVERY: i64 = 60;

/// Keep the dashboards of every organisation that uses them current: a report whose sources
/// changed is rebuilt in the background (at most once a minute), so a visitor seldom waits.
async fn refresh_dashboards(state: &crate::AppState) {
    match state.store.orgs_with_snapshots().await {
        Ok(orgs) => {
            for org in orgs {
                refresh_org(state, org, REFRESH_EVERY).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "dashboard refresh failed"),
    }
}

/// [`report::refresh`] for one organisation, logging a failure.
async fn refresh_org(state: &crate::AppState, org: somu_domain::ids::OrgId, min_age: i64) {
    let refreshed = match state.store.org_by_id(org).await {
        Ok(o) => report::refresh(&state.store, org, &o.slug, state.clock.now(), min_age)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = refreshed {
        tracing::warn!(error = %e, org = org.0, "dashboard refresh failed");
    }
}

/// Start the background tick that keeps the weekly roll-ups current: every few seconds it
/// rebuilds the (account, week) pairs that importers marked. Any number of app servers may run
/// it: each mark is claimed in the database before it is rebuilt.
pub fn spawn_rollup_tick(state: crate::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match state.store.orgs_with_dirty_rollups().await {
                Ok(orgs) => {
                    for org in orgs {
                        match state.store.project_rollups(org, 2000).await {
                            Ok(n) if n > 0 => warm_when_settled(&state, org).await,
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, org = org.0, "roll-up projection failed")
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "roll-up tick failed"),
            }
            refresh_dashboards(&state).await;
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    })
}
