//! The manager's dashboard: the team's learning (assigned, completed, overdue), its social
//! activity by week from the roll-ups, and who might need help. Managers see their own
//! reports (direct and indirect); programme owners and administrators any manager's team.

use super::chart::{Chart, Kind, Series};
use super::dashboards::{frame_with, Section, Table};
use super::report::{person_weeks, week_rows_of};
use super::RangeQuery;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use somu_analytics::period::{DateRange, IsoWeek};
use somu_domain::ids::PersonId;
use somu_domain::org::AppRole;
use somu_domain::progress::Standing;

/// `?manager=ID&from=…&to=…&format=csv`.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(default)]
pub struct TeamQuery {
    /// Whose team (staff only; managers always see their own).
    pub manager: Option<String>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// `csv` for the people table as CSV.
    pub format: Option<String>,
}

/// One person of the team, over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Person id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Team name.
    pub team: String,
    /// Assignments in force.
    pub assigned: usize,
    /// Of which done.
    pub completed: usize,
    /// Of which past their due date.
    pub overdue: usize,
    /// Of which mandatory and past their due date.
    pub overdue_mandatory: usize,
    /// Latest completion of an assignment (Unix seconds).
    pub trained_at: Option<i64>,
    /// Original posts in the period.
    pub posts: u64,
    /// Engagements in the period.
    pub engagements: u64,
    /// Original posts since the latest completion.
    pub posts_since_training: u64,
    /// Mean weekly influence over the last four weeks of the period.
    pub influence_recent: f64,
    /// … over the four weeks before those.
    pub influence_before: f64,
}

/// Why someone might need help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Help {
    /// Mandatory training past its due date.
    OverdueMandatory,
    /// Trained, but no original post since.
    NoActivitySinceTraining,
    /// Influence in the last four weeks under half of the four weeks before.
    FallingInfluence,
}

impl Help {
    fn code(self) -> &'static str {
        match self {
            Help::OverdueMandatory => "overdue-mandatory",
            Help::NoActivitySinceTraining => "no-activity",
            Help::FallingInfluence => "falling-influence",
        }
    }
}

/// The reasons this person might need help, in order of urgency.
pub fn needs_help(m: &Member) -> Vec<Help> {
    let mut out = Vec::new();
    if m.overdue_mandatory > 0 {
        out.push(Help::OverdueMandatory);
    }
    if m.trained_at.is_some() && m.posts_since_training == 0 {
        out.push(Help::NoActivitySinceTraining);
    }
    if m.influence_before > 0.0 && m.influence_recent < 0.5 * m.influence_before {
        out.push(Help::FallingInfluence);
    }
    out
}

/// Whose team the viewer asked for, or a refusal: managers see only their own.
fn manager_of(ctx: &OrgCtx, q: &TeamQuery) -> AppResult<PersonId> {
    let staff = ctx.has(AppRole::OrgAdmin) || ctx.has(AppRole::ProgrammeOwner);
    match q
        .manager
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(ctx.member.person_id),
        Some(s) => {
            let id: i64 = s.parse().map_err(|_| {
                AppError::field(
                    "manager",
                    "number",
                    format!("manager: {s:?} is not a person number"),
                )
            })?;
            if id != ctx.member.person_id.0 && !staff {
                return Err(AppError::Forbidden);
            }
            Ok(PersonId(id))
        }
    }
}

async fn members(
    state: &AppState,
    ctx: &OrgCtx,
    manager: PersonId,
    range: DateRange,
) -> AppResult<(Vec<Member>, Vec<somu_store::analytics::AccountWeek>)> {
    let org = ctx.org();
    // Someone of this organisation (a 404 for another organisation's ids).
    state.store.person(org, manager).await?;
    state.store.project_progress(org).await?;
    state.store.project_all_rollups(org).await?;
    let today = somu_domain::time_util::from_unix(state.clock.now()).date();
    let people = state.store.reports_of(org, manager).await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let until = range.end_instant().unix_timestamp();
    let rows = state.store.account_weeks_of(org, &ids, until).await?;
    let weeks = person_weeks(&rows, range);
    let last = IsoWeek::of_date(range.last);
    let mut out = Vec::with_capacity(people.len());
    for p in people {
        let plan = state.store.learner_plan(org, PersonId(p.id), today).await?;
        let done = |s: Standing| plan.items.iter().filter(move |i| i.standing == s);
        let trained_at = plan.courses.iter().filter_map(|c| c.completed_at).max();
        let mut m = Member {
            id: p.id,
            name: p.name,
            team: p.team_name.unwrap_or_default(),
            assigned: plan.items.len(),
            completed: done(Standing::Done).count(),
            overdue: done(Standing::Overdue).count(),
            overdue_mandatory: done(Standing::Overdue)
                .filter(|i| i.assignment.mandatory)
                .count(),
            trained_at,
            posts: 0,
            engagements: 0,
            posts_since_training: 0,
            influence_recent: 0.0,
            influence_before: 0.0,
        };
        for ((pid, w), (t, infl)) in &weeks {
            if *pid != p.id {
                continue;
            }
            m.posts += t.original_posts;
            m.engagements += t.engagements();
            if trained_at.is_some_and(|at| w.bounds().1.unix_timestamp() > at) {
                m.posts_since_training += t.original_posts;
            }
            let ago = last.index() - w.index();
            if (0..4).contains(&ago) {
                m.influence_recent += infl / 4.0;
            } else if (4..8).contains(&ago) {
                m.influence_before += infl / 4.0;
            }
        }
        out.push(m);
    }
    Ok((out, rows))
}

fn sections(
    page: &Page,
    members: &[Member],
    rows: &[somu_store::analytics::AccountWeek],
    range: DateRange,
    csv: &str,
) -> Vec<Section> {
    let mut sections = Vec::new();
    let help: Vec<(&Member, Vec<Help>)> = members
        .iter()
        .map(|m| (m, needs_help(m)))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    sections.push(Section {
        id: "help".into(),
        heading: page.t("analytics-team-help-heading"),
        paragraphs: vec![if members.is_empty() {
            page.t("analytics-team-empty")
        } else if help.is_empty() {
            page.t("analytics-team-help-none")
        } else {
            page.t("analytics-team-help-intro")
        }],
        charts: Vec::new(),
        table: (!help.is_empty()).then(|| Table {
            caption: page.t("analytics-team-help-heading"),
            head: vec![
                page.t("analytics-team-col-person"),
                page.t("analytics-team-col-why"),
            ],
            rows: help
                .iter()
                .map(|(m, h)| {
                    vec![
                        m.name.clone(),
                        h.iter()
                            .map(|x| page.tk("analytics-team-why", x.code()))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]
                })
                .collect(),
        }),
        csv: None,
    });
    let total = |f: fn(&Member) -> usize| members.iter().map(f).sum::<usize>();
    sections.push(Section {
        id: "learning".into(),
        heading: page.t("analytics-team-learning-heading"),
        paragraphs: vec![format!(
            "{} {} · {} {} · {} {} · {} {}",
            page.t("analytics-team-col-assigned"),
            total(|m| m.assigned),
            page.t("analytics-team-col-completed"),
            total(|m| m.completed),
            page.t("analytics-team-col-overdue"),
            total(|m| m.overdue),
            page.t("analytics-team-col-overdue-mandatory"),
            total(|m| m.overdue_mandatory),
        )],
        charts: vec![Chart {
            title: page.t("analytics-team-chart-learning"),
            desc: page.t("analytics-team-chart-learning-desc"),
            labels: vec![
                page.t("analytics-team-col-assigned"),
                page.t("analytics-team-col-completed"),
                page.t("analytics-team-col-overdue"),
            ],
            series: vec![Series {
                name: page.t("analytics-team-col-assigned"),
                values: vec![
                    Some(total(|m| m.assigned) as f64),
                    Some(total(|m| m.completed) as f64),
                    Some(total(|m| m.overdue) as f64),
                ],
            }],
            band: None,
            kind: Kind::Bar,
        }],
        table: Some(Table {
            caption: page.t("analytics-team-people-caption"),
            head: vec![
                page.t("analytics-team-col-person"),
                page.t("analytics-team-col-team"),
                page.t("analytics-team-col-assigned"),
                page.t("analytics-team-col-completed"),
                page.t("analytics-team-col-overdue"),
                page.t("analytics-team-col-posts"),
                page.t("analytics-team-col-engagements"),
                page.t("analytics-team-col-influence"),
            ],
            rows: members
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.team.clone(),
                        m.assigned.to_string(),
                        m.completed.to_string(),
                        format!("{} ({})", m.overdue, m.overdue_mandatory),
                        m.posts.to_string(),
                        m.engagements.to_string(),
                        format!("{:.1} → {:.1}", m.influence_before, m.influence_recent),
                    ]
                })
                .collect(),
        }),
        csv: Some(csv.to_string()),
    });
    let weeks = week_rows_of(rows, range);
    let labels: Vec<String> = weeks.iter().map(|w| w.week.clone()).collect();
    sections.push(Section {
        id: "social".into(),
        heading: page.t("analytics-team-social-heading"),
        paragraphs: vec![page.t("analytics-team-social-intro")],
        charts: vec![
            Chart {
                title: page.t("analytics-team-chart-posts"),
                desc: page.t("analytics-team-chart-posts-desc"),
                labels: labels.clone(),
                series: vec![
                    Series {
                        name: page.t("analytics-team-col-posts"),
                        values: weeks.iter().map(|w| Some(w.posts as f64)).collect(),
                    },
                    Series {
                        name: page.t("analytics-team-col-active"),
                        values: weeks.iter().map(|w| Some(w.active_people as f64)).collect(),
                    },
                ],
                band: None,
                kind: Kind::Line,
            },
            Chart {
                title: page.t("analytics-team-chart-influence"),
                desc: page.t("analytics-team-chart-influence-desc"),
                labels,
                series: vec![Series {
                    name: page.t("analytics-team-col-influence"),
                    values: weeks.iter().map(|w| Some(w.influence)).collect(),
                }],
                band: None,
                kind: Kind::Line,
            },
        ],
        table: Some(Table {
            caption: page.t("analytics-team-social-heading"),
            head: vec![
                page.t("analytics-team-col-week"),
                page.t("analytics-team-col-posts"),
                page.t("analytics-team-col-engagements"),
                page.t("analytics-team-col-active"),
                page.t("analytics-team-col-influence"),
            ],
            rows: weeks
                .iter()
                .map(|w| {
                    vec![
                        w.week.clone(),
                        w.posts.to_string(),
                        w.engagements.to_string(),
                        w.active_people.to_string(),
                        format!("{:.1}", w.influence),
                    ]
                })
                .collect(),
        }),
        csv: Some(csv.to_string()),
    });
    sections
}

fn csv_body(members: &[Member]) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record([
        "person_id",
        "name",
        "team",
        "assigned",
        "completed",
        "overdue",
        "overdue_mandatory",
        "posts",
        "engagements",
        "posts_since_training",
        "influence_previous_4_weeks",
        "influence_last_4_weeks",
        "might_need_help",
    ])
    .map_err(internal)?;
    for m in members {
        let help: Vec<&str> = needs_help(m).iter().map(|h| h.code()).collect();
        w.write_record([
            m.id.to_string(),
            m.name.clone(),
            m.team.clone(),
            m.assigned.to_string(),
            m.completed.to_string(),
            m.overdue.to_string(),
            m.overdue_mandatory.to_string(),
            m.posts.to_string(),
            m.engagements.to_string(),
            m.posts_since_training.to_string(),
            format!("{:.3}", m.influence_before),
            format!("{:.3}", m.influence_recent),
            help.join(" "),
        ])
        .map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// GET /o/{org}/analytics/team
pub async fn team(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<TeamQuery>,
) -> AppResult<Response> {
    let manager = manager_of(&ctx, &q)?;
    let range = RangeQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        format: None,
    }
    .range(state.clock.now())?;
    let (members, rows) = members(&state, &ctx, manager, range).await?;
    match q.format.as_deref() {
        None | Some("") | Some("html") => {}
        Some("csv") => {
            return Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"team-{}-{}-{}.csv\"",
                            manager.0, range.first, range.last
                        ),
                    ),
                ],
                csv_body(&members)?,
            )
                .into_response())
        }
        Some(other) => {
            return Err(AppError::field(
                "format",
                "unknown",
                format!("format: {other:?} is not one of html, csv"),
            ))
        }
    }
    let page = Page::org(&ctx, &csrf.0, "analytics-team-title");
    let slug = ctx.member.org.slug.clone();
    let csv = format!(
        "/o/{slug}/analytics/team?manager={}&from={}&to={}&format=csv",
        manager.0, range.first, range.last
    );
    let sections = sections(&page, &members, &rows, range, &csv);
    let hidden = vec![("manager".to_string(), manager.0.to_string())];
    Ok(frame_with(page, &ctx, "/team", range, sections, None, hidden)?.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> Member {
        Member {
            id: 1,
            name: "A".into(),
            team: String::new(),
            assigned: 2,
            completed: 1,
            overdue: 0,
            overdue_mandatory: 0,
            trained_at: None,
            posts: 0,
            engagements: 0,
            posts_since_training: 0,
            influence_recent: 0.0,
            influence_before: 0.0,
        }
    }

    #[test]
    fn help_is_flagged_for_each_reason_and_only_then() {
        let m = member();
        assert!(
            needs_help(&m).is_empty(),
            "untrained, quiet, nothing overdue"
        );
        let mut m = member();
        m.overdue_mandatory = 1;
        assert_eq!(needs_help(&m), vec![Help::OverdueMandatory]);
        let mut m = member();
        m.trained_at = Some(100);
        assert_eq!(needs_help(&m), vec![Help::NoActivitySinceTraining]);
        m.posts_since_training = 3;
        assert!(needs_help(&m).is_empty());
        // 10 → 4 is under half: falling; 10 → 5 is exactly half: not flagged.
        m.influence_before = 10.0;
        m.influence_recent = 4.0;
        assert_eq!(needs_help(&m), vec![Help::FallingInfluence]);
        m.influence_recent = 5.0;
        assert!(needs_help(&m).is_empty());
    }
}
