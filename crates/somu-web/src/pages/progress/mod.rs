//! Progress: the learner home, assignments, reminders, progress views with CSV, cohorts and the
//! historical completions import. Every page that shows progress first catches the projection up
//! with the learning record ([`somu_store::Store::project_progress`]).

mod assignments;
pub use assignments::{create_assignment, AssignForm};
mod cohorts;
pub mod import;
mod learner;
pub mod remind;
mod reports;

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::http::{header, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use somu_domain::access::Access;
use somu_domain::org::AppRole;
use time::Date;

/// Programme owners and administrators: assignments, programme views, cohorts, imports.
pub const OWNERS: Access = Access::Org(&[AppRole::OrgAdmin, AppRole::ProgrammeOwner]);
/// People who may see a team view: managers (their own reports), owners and administrators.
pub const MANAGERS: Access =
    Access::Org(&[AppRole::Manager, AppRole::OrgAdmin, AppRole::ProgrammeOwner]);

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    let member = Access::MEMBER;
    vec![
        r(M::GET, "/o/{org}/learn", member, get(learner::home)),
        r(
            M::POST,
            "/o/{org}/learn/notifications/{id}/read",
            member,
            post(learner::mark_read),
        ),
        r(
            M::GET,
            "/o/{org}/learn/progress",
            member,
            get(learner::progress),
        ),
        r(
            M::GET,
            "/o/{org}/learn/progress.csv",
            member,
            get(learner::progress_csv),
        ),
        r(
            M::GET,
            "/o/{org}/assignments",
            OWNERS,
            get(assignments::list),
        ),
        r(
            M::POST,
            "/o/{org}/assignments",
            OWNERS,
            post(assignments::create),
        ),
        r(
            M::POST,
            "/o/{org}/assignments/{id}/withdraw",
            OWNERS,
            post(assignments::withdraw),
        ),
        r(M::GET, "/o/{org}/progress", OWNERS, get(reports::programme)),
        r(
            M::GET,
            "/o/{org}/progress/export.csv",
            OWNERS,
            get(reports::programme_csv),
        ),
        r(
            M::GET,
            "/o/{org}/progress/team",
            MANAGERS,
            get(reports::team),
        ),
        r(
            M::GET,
            "/o/{org}/progress/team.csv",
            MANAGERS,
            get(reports::team_csv),
        ),
        r(
            M::GET,
            "/o/{org}/progress/import",
            OWNERS,
            get(import::form),
        ),
        r(
            M::POST,
            "/o/{org}/progress/import",
            OWNERS,
            post(import::upload),
        ),
        r(M::GET, "/o/{org}/cohorts", OWNERS, get(cohorts::list)),
        r(M::POST, "/o/{org}/cohorts", OWNERS, post(cohorts::create)),
        r(M::GET, "/o/{org}/cohorts/{id}", OWNERS, get(cohorts::show)),
        r(
            M::POST,
            "/o/{org}/cohorts/{id}/members",
            OWNERS,
            post(cohorts::add_members),
        ),
    ]
}

/// Today (UTC) by the application clock.
pub fn today(state: &AppState) -> Date {
    somu_domain::time_util::from_unix(state.clock.now()).date()
}

/// The link to a course, or to a lesson when its key (`course/module/lesson`) is given.
pub fn learn_href(org: &str, course: &str, lesson: Option<&str>) -> String {
    match lesson {
        Some(key) => format!("/o/{org}/learn/courses/{key}"),
        None => format!("/o/{org}/learn/courses/{course}"),
    }
}

/// A percentage for display, from a score scaled to [0, 1].
pub fn pct(score: Option<f64>) -> String {
    score.map_or_else(String::new, |s| format!("{:.0}%", s * 100.0))
}

/// A CSV download: rows written with the `csv` crate, audited by the caller.
pub fn csv_response(filename: &str, rows: Vec<Vec<String>>) -> AppResult<Response> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(&row)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Resolve emails or employee ids to people of this organisation, naming the unknown ones.
pub async fn resolve_people(
    state: &AppState,
    ctx: &OrgCtx,
    field: &str,
    keys: &[String],
) -> AppResult<Vec<somu_domain::ids::PersonId>> {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for k in keys {
        match state.store.person_by_key(ctx.org(), k).await? {
            Some(p) => found.push(p),
            None => unknown.push(k.as_str()),
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::field(
            field,
            "unknown",
            format!("no one in this organisation is {}", unknown.join(", ")),
        ));
    }
    Ok(found)
}
