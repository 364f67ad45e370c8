//! Progress views for programme owners (`/o/{org}/progress`: funnel by audience, team, course
//! and cohort; the overdue list) and managers (`/o/{org}/progress/team`), each with CSV.

use super::cohorts::cohort_funnel;
use super::{csv_response, pct, today};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::Extension;
use serde::Deserialize;
use somu_domain::ids::PersonId;
use somu_domain::org::AppRole;
use somu_domain::progress::Funnel;
use somu_domain::time_util::format_date;
use somu_store::progress::{GroupFunnel, OverdueRow, ProgrammeReport};
use std::collections::HashMap;

/// How many overdue rows the page shows (the CSV has them all).
const OVERDUE_SHOWN: usize = 200;

/// One bar of the funnel chart.
pub struct Bar {
    label: String,
    value: i64,
    percent: i64,
    y: i64,
}

fn bars(page: &Page, f: &Funnel) -> Vec<Bar> {
    [
        ("progress-funnel-assigned", f.assigned),
        ("progress-funnel-started", f.started),
        ("progress-funnel-completed", f.completed),
        ("progress-funnel-post-passed", f.post_passed),
    ]
    .iter()
    .enumerate()
    .map(|(i, (id, v))| Bar {
        label: page.t(id),
        value: *v,
        percent: f.percent(*v),
        y: i as i64 * 34,
    })
    .collect()
}

#[derive(Template)]
#[template(path = "progress/programme.html")]
struct ProgrammePage {
    page: Page,
    report: ProgrammeReport,
    titles: HashMap<String, String>,
    cohorts: Vec<GroupFunnel>,
    bars: Vec<Bar>,
    overdue: Vec<OverdueRow>,
    overdue_more: bool,
}

async fn cohort_funnels(state: &AppState, ctx: &OrgCtx) -> AppResult<Vec<GroupFunnel>> {
    let mut out = Vec::new();
    for c in state.store.cohorts(ctx.org()).await? {
        out.push(GroupFunnel {
            funnel: cohort_funnel(state, ctx, &c).await?,
            name: c.name,
        });
    }
    Ok(out)
}

/// GET /o/{org}/progress
pub async fn programme(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    state.store.project_progress(org).await?;
    let report = state.store.programme_report(org).await?;
    let mut overdue = state
        .store
        .overdue(org, today(&state), OVERDUE_SHOWN + 1)
        .await?;
    let overdue_more = overdue.len() > OVERDUE_SHOWN;
    overdue.truncate(OVERDUE_SHOWN);
    let page = Page::org(&ctx, &csrf.0, "progress-programme-title");
    render(ProgrammePage {
        bars: bars(&page, &report.funnel),
        titles: state
            .store
            .courses(org)
            .await?
            .into_iter()
            .map(|c| (c.slug, c.title))
            .collect(),
        cohorts: cohort_funnels(&state, &ctx).await?,
        page,
        report,
        overdue,
        overdue_more,
    })
}

/// `?report=` for the programme CSV.
#[derive(Deserialize)]
pub struct ReportQuery {
    /// `funnel`, `audience`, `team`, `course`, `cohort` or `overdue`.
    report: String,
}

fn funnel_rows(first: &str, groups: &[GroupFunnel]) -> Vec<Vec<String>> {
    let mut out = vec![vec![
        first.to_string(),
        "assigned".into(),
        "started".into(),
        "completed".into(),
        "post_test_passed".into(),
    ]];
    for g in groups {
        let f = g.funnel;
        out.push(vec![
            g.name.clone(),
            f.assigned.to_string(),
            f.started.to_string(),
            f.completed.to_string(),
            f.post_passed.to_string(),
        ]);
    }
    out
}

/// GET /o/{org}/progress/export.csv?report=…
pub async fn programme_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let org = ctx.org();
    state.store.project_progress(org).await?;
    let rows = match q.report.as_str() {
        "funnel" | "audience" | "team" | "course" => {
            let r = state.store.programme_report(org).await?;
            match q.report.as_str() {
                "funnel" => funnel_rows(
                    "group",
                    &[GroupFunnel {
                        name: "everyone".into(),
                        funnel: r.funnel,
                    }],
                ),
                "audience" => funnel_rows("audience", &r.by_audience),
                "team" => funnel_rows("team", &r.by_team),
                _ => {
                    let mut out = vec![[
                        "course",
                        "assigned",
                        "started",
                        "completed",
                        "avg_score",
                        "minutes",
                    ]
                    .map(String::from)
                    .to_vec()];
                    for c in r.by_course {
                        out.push(vec![
                            c.course,
                            c.assigned.to_string(),
                            c.started.to_string(),
                            c.completed.to_string(),
                            pct(c.avg_score),
                            (c.time_ms / 60_000).to_string(),
                        ]);
                    }
                    out
                }
            }
        }
        "cohort" => funnel_rows("cohort", &cohort_funnels(&state, &ctx).await?),
        "overdue" => {
            let mut out = vec![[
                "assignment",
                "mandatory",
                "due",
                "name",
                "email",
                "team",
                "manager_email",
            ]
            .map(String::from)
            .to_vec()];
            for o in state.store.overdue(org, today(&state), usize::MAX).await? {
                out.push(vec![
                    o.title,
                    o.mandatory.to_string(),
                    format_date(o.due),
                    o.person.name,
                    o.person.email,
                    o.person.team_name.unwrap_or_default(),
                    o.person.manager_email.unwrap_or_default(),
                ]);
            }
            out
        }
        other => {
            return Err(AppError::field(
                "report",
                "invalid",
                format!("{other:?} is not one of: funnel, audience, team, course, cohort, overdue"),
            ))
        }
    };
    audit(
        &state,
        &ctx,
        "progress.export",
        &q.report,
        &format!("{} rows", rows.len() - 1),
    )
    .await?;
    csv_response(
        &format!("{}-progress-{}.csv", ctx.member.org.slug, q.report),
        rows,
    )
}

/// One person on the team view.
pub struct TeamRow {
    id: i64,
    name: String,
    email: String,
    team: String,
    direct: bool,
    assigned: usize,
    done: usize,
    in_progress: usize,
    overdue: usize,
    minutes: i64,
    next_due: String,
}

/// `?manager=` lets owners and administrators look at any manager's team.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeamQuery {
    manager: Option<i64>,
}

async fn team_rows(state: &AppState, ctx: &OrgCtx, q: &TeamQuery) -> AppResult<Vec<TeamRow>> {
    let org = ctx.org();
    let manager = match q.manager {
        Some(id) if ctx.has(AppRole::OrgAdmin) || ctx.has(AppRole::ProgrammeOwner) => {
            state.store.person(org, PersonId(id)).await?;
            PersonId(id)
        }
        Some(id) if id != ctx.member.person_id.0 => return Err(AppError::Forbidden),
        _ => ctx.member.person_id,
    };
    state.store.project_progress(org).await?;
    let reports = state.store.reports_of(org, manager).await?;
    let ids: Vec<i64> = reports.iter().map(|p| p.id).collect();
    let counts = state.store.standing_counts(org, &ids, today(state)).await?;
    Ok(reports
        .into_iter()
        .map(|p| {
            let c = counts.get(&p.id).copied().unwrap_or_default();
            TeamRow {
                id: p.id,
                assigned: c.assigned,
                done: c.done,
                in_progress: c.in_progress,
                overdue: c.overdue,
                minutes: c.minutes,
                next_due: c.next_due.map(format_date).unwrap_or_default(),
                name: p.name,
                email: p.email,
                team: p.team_name.unwrap_or_default(),
                direct: p.direct,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "progress/team.html")]
struct TeamPage {
    page: Page,
    rows: Vec<TeamRow>,
    query: String,
}

/// GET /o/{org}/progress/team
pub async fn team(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<TeamQuery>,
) -> AppResult<Html<String>> {
    let rows = team_rows(&state, &ctx, &q).await?;
    render(TeamPage {
        page: Page::org(&ctx, &csrf.0, "progress-team-title"),
        rows,
        query: q
            .manager
            .map(|m| format!("?manager={m}"))
            .unwrap_or_default(),
    })
}

/// GET /o/{org}/progress/team.csv
pub async fn team_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<TeamQuery>,
) -> AppResult<Response> {
    let rows = team_rows(&state, &ctx, &q).await?;
    let mut out = vec![[
        "name",
        "email",
        "team",
        "direct",
        "assigned",
        "done",
        "in_progress",
        "overdue",
        "minutes",
        "next_due",
    ]
    .map(String::from)
    .to_vec()];
    for r in rows {
        out.push(vec![
            r.name,
            r.email,
            r.team,
            r.direct.to_string(),
            r.assigned.to_string(),
            r.done.to_string(),
            r.in_progress.to_string(),
            r.overdue.to_string(),
            r.minutes.to_string(),
            r.next_due,
        ]);
    }
    audit(
        &state,
        &ctx,
        "progress.export",
        "team",
        &format!("{} rows", out.len() - 1),
    )
    .await?;
    csv_response(&format!("{}-team-progress.csv", ctx.member.org.slug), out)
}
