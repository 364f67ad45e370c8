//! Progress reports for programme owners and managers: the completion funnel by audience and
//! team, progress by course, the overdue list, and a manager's reports. Read from the standing
//! tables the projector keeps (see [`super::status`]): the funnel and the courses from their
//! running totals, the overdue list from an index in due-date and name order, a team from its
//! people's rows. Call [`Store::project_progress`] first for fresh figures.

use super::reminders::{PENDING_COLUMNS, PENDING_JOINS};
use super::{AssignmentRow, Pending};
use crate::{with_pool, Result, Store};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::{DueRule, Funnel, Standing};
use somu_domain::time_util::{format_date, parse_date};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration};

/// One group's funnel.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupFunnel {
    /// Audience code, team name or cohort name.
    pub name: String,
    /// The funnel.
    pub funnel: Funnel,
}

/// Progress on one course across the people it is assigned to.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct CourseReport {
    /// Course slug.
    pub course: String,
    /// People it is assigned to.
    pub assigned: i64,
    /// Of whom started.
    pub started: i64,
    /// Of whom completed.
    pub completed: i64,
    /// Mean best score of those with a score, scaled.
    pub avg_score: Option<f64>,
    /// Learner time spent on it (milliseconds).
    pub time_ms: i64,
}

/// Someone past a due date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OverdueRow {
    /// The assignment.
    pub assignment_id: i64,
    /// Its title.
    pub title: String,
    /// Whether it is mandatory.
    pub mandatory: bool,
    /// The person's due date.
    pub due: Date,
    /// Who.
    pub person: Pending,
}

/// The programme owner's overview.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ProgrammeReport {
    /// Everyone with an assignment.
    pub funnel: Funnel,
    /// By audience code.
    pub by_audience: Vec<GroupFunnel>,
    /// By team name (people without a team under "").
    pub by_team: Vec<GroupFunnel>,
    /// By course.
    pub by_course: Vec<CourseReport>,
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    audience: String,
    team: Option<String>,
    assigned: i64,
    started: i64,
    completed: i64,
    post_passed: i64,
}

fn add(f: &mut Funnel, r: &GroupRow) {
    f.assigned += r.assigned;
    f.started += r.started;
    f.completed += r.completed;
    f.post_passed += r.post_passed;
}

/// A person under a manager, with the figures of the team view.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ReportPerson {
    /// Person id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Audience code.
    pub audience: String,
    /// Team name.
    pub team_name: Option<String>,
    /// Whether they report to the manager directly (own manager or team manager).
    pub direct: bool,
}

/// A person's assignments counted by where they stand, for the team view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StandingCounts {
    /// Assignments that apply to them.
    pub assigned: usize,
    /// Of which done.
    pub done: usize,
    /// In progress and not overdue.
    pub in_progress: usize,
    /// Past their due date and not done.
    pub overdue: usize,
    /// Minutes spent in lessons, over every course they touched.
    pub minutes: i64,
    /// The earliest due date among those not done.
    pub next_due: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    person_id: i64,
    courses: i64,
    started: bool,
    done: bool,
    due_from: Option<String>,
    due_kind: String,
    due_days: Option<i64>,
}

impl Store {
    /// Each person's assignments counted by standing on `today` (the same standings as their
    /// plan), read from the standing table; people with nothing assigned are absent. Call
    /// [`Store::project_progress`] first.
    pub async fn standing_counts(
        &self,
        org: OrgId,
        people: &[i64],
        today: Date,
    ) -> Result<HashMap<i64, StandingCounts>> {
        let mut out: HashMap<i64, StandingCounts> = HashMap::new();
        for chunk in people.chunks(500) {
            let list = super::id_list(chunk);
            let status_sql = format!(
                "SELECT s.person_id, s.courses, s.started, s.done, s.due_from, a.due_kind, \
                 a.due_days FROM assignment_status s JOIN assignment a ON a.org_id = s.org_id \
                 AND a.id = s.assignment_id WHERE s.org_id = $1 AND s.person_id IN ({list})"
            );
            let minutes_sql = format!(
                "SELECT person_id, CAST(SUM((time_ms + 30000) / 60000) AS BIGINT) \
                 FROM progress_course WHERE org_id = $1 AND person_id IN ({list}) \
                 GROUP BY person_id"
            );
            let rows: Vec<StatusRow> = with_pool!(self, |p| sqlx::query_as(&status_sql)
                .bind(org.0)
                .fetch_all(p)
                .await)?;
            let minutes: Vec<(i64, i64)> = with_pool!(self, |p| sqlx::query_as(&minutes_sql)
                .bind(org.0)
                .fetch_all(p)
                .await)?;
            for r in rows {
                let days = match r.due_kind.as_str() {
                    "start" | "assigned" => r.due_days.unwrap_or(0),
                    _ => 0,
                };
                let due = r
                    .due_from
                    .as_deref()
                    .and_then(parse_date)
                    .and_then(|d| d.checked_add(Duration::days(days)));
                let total = usize::try_from(r.courses).unwrap_or(0);
                let done = if r.done { total } else { 0 };
                let c = out.entry(r.person_id).or_default();
                c.assigned += 1;
                match Standing::of(done, total, r.started, due, today) {
                    Standing::Done => c.done += 1,
                    Standing::Overdue => c.overdue += 1,
                    Standing::InProgress => c.in_progress += 1,
                    Standing::NotStarted => {}
                }
                if !r.done {
                    c.next_due = match (c.next_due, due) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
            for (person, m) in minutes {
                out.entry(person).or_default().minutes = m;
            }
        }
        Ok(out)
    }

    /// The funnel by audience and team, and progress by course, over current assignments.
    /// A person counts once: assigned when some assignment gives them a course, started when
    /// they began one of their courses, completed when they finished all of them, post-test
    /// passed when also through the post-test of an assigned track.
    pub async fn programme_report(&self, org: OrgId) -> Result<ProgrammeReport> {
        let groups_sql = "SELECT f.audience, tm.name AS team, f.assigned, f.started, \
             f.completed, f.post_passed FROM progress_funnel_total f \
             LEFT JOIN team tm ON tm.org_id = f.org_id AND tm.id = f.team_id \
             WHERE f.org_id = $1 AND f.assigned > 0";
        let course_sql = "SELECT course_slug AS course, assigned, started, completed, \
             CASE WHEN scored > 0 THEN score_sum / scored ELSE NULL END AS avg_score, time_ms \
             FROM progress_course_total WHERE org_id = $1 AND assigned > 0 \
             ORDER BY course_slug";
        let groups: Vec<GroupRow> = with_pool!(self, |p| sqlx::query_as(groups_sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?;
        let by_course: Vec<CourseReport> = with_pool!(self, |p| sqlx::query_as(course_sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?;
        let mut report = ProgrammeReport {
            by_course,
            ..Default::default()
        };
        let mut audiences: BTreeMap<String, Funnel> = BTreeMap::new();
        let mut teams: BTreeMap<String, Funnel> = BTreeMap::new();
        for g in &groups {
            add(&mut report.funnel, g);
            add(audiences.entry(g.audience.clone()).or_default(), g);
            add(
                teams.entry(g.team.clone().unwrap_or_default()).or_default(),
                g,
            );
        }
        let to_vec = |m: BTreeMap<String, Funnel>| {
            m.into_iter()
                .map(|(name, funnel)| GroupFunnel { name, funnel })
                .collect()
        };
        report.by_audience = to_vec(audiences);
        report.by_team = to_vec(teams);
        Ok(report)
    }

    /// Everyone past a due date on `today` and not done, by due date then name, at most
    /// `limit` rows.
    pub async fn overdue(&self, org: OrgId, today: Date, limit: usize) -> Result<Vec<OverdueRow>> {
        let mut out = Vec::new();
        for a in self.assignments(org).await? {
            for (due, person) in self.overdue_for(org, &a, today, limit).await? {
                out.push(OverdueRow {
                    assignment_id: a.id,
                    title: a.title.clone(),
                    mandatory: a.mandatory,
                    due,
                    person,
                });
            }
        }
        out.sort_by(|x, y| (x.due, &x.person.name).cmp(&(y.due, &y.person.name)));
        out.truncate(limit);
        Ok(out)
    }

    /// People not done with one assignment whose due date has passed, with that date, the
    /// earliest `limit` by due date then name. Each person's due date is the day their rule
    /// counts from (`due_from`) plus the rule's days, so "due before today" is "`due_from`
    /// before today less those days": one range of an index.
    pub async fn overdue_for(
        &self,
        org: OrgId,
        a: &AssignmentRow,
        today: Date,
        limit: usize,
    ) -> Result<Vec<(Date, Pending)>> {
        let days = match a.due_rule() {
            DueRule::None => return Ok(Vec::new()),
            DueRule::Fixed(_) => 0,
            DueRule::AfterStart(n) | DueRule::AfterAssigned(n) => n,
        };
        let Some(cutoff) = today.checked_sub(Duration::days(days)) else {
            return Ok(Vec::new());
        };
        #[derive(sqlx::FromRow)]
        struct Late {
            due_from: String,
            #[sqlx(flatten)]
            person: Pending,
        }
        let sql = format!(
            "{PENDING_COLUMNS}, s.due_from FROM assignment_status s \
             JOIN person p ON p.org_id = s.org_id AND p.id = s.person_id {PENDING_JOINS} \
             WHERE s.org_id = $1 AND s.assignment_id = $2 AND s.done = FALSE \
               AND s.due_from < $3 \
             ORDER BY s.due_from, s.name, s.person_id LIMIT $4"
        );
        let rows: Vec<Late> = with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(a.id)
            .bind(format_date(cutoff))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let due = parse_date(&r.due_from)?.checked_add(Duration::days(days))?;
                Some((due, r.person))
            })
            .collect())
    }

    /// A manager's direct and indirect reports: people whose manager they are, or who are in a
    /// team they manage, and so on down.
    pub async fn reports_of(&self, org: OrgId, manager: PersonId) -> Result<Vec<ReportPerson>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "WITH RECURSIVE r (id, direct) AS ( \
               SELECT p.id, TRUE FROM person p LEFT JOIN team t ON t.org_id = p.org_id \
                 AND t.id = p.team_id \
               WHERE p.org_id = $1 AND p.id <> $2 AND (p.manager_id = $2 OR t.manager_id = $2) \
               UNION \
               SELECT p.id, FALSE FROM r LEFT JOIN team t ON t.org_id = $1 AND t.manager_id = r.id \
                 JOIN person p ON p.org_id = $1 AND p.id <> r.id \
                   AND (p.manager_id = r.id OR p.team_id = t.id) WHERE p.id <> $2) \
             SELECT p.id, p.name, p.email, p.audience, tm.name AS team_name, \
               MAX(CASE WHEN r.direct THEN 1 ELSE 0 END) = 1 AS direct \
             FROM r JOIN person p ON p.org_id = $1 AND p.id = r.id AND p.active = TRUE \
             LEFT JOIN team tm ON tm.org_id = $1 AND tm.id = p.team_id \
             GROUP BY p.id, p.name, p.email, p.audience, tm.name ORDER BY p.name, p.id"
        )
        .bind(org.0)
        .bind(manager.0)
        .fetch_all(p)
        .await)?)
    }

    /// Progress rows of many people on a set of courses: (person, course) → (completed, percent
    /// of lessons, started). Used by the cohort and team pages.
    pub async fn course_progress_of(
        &self,
        org: OrgId,
        people: &[i64],
    ) -> Result<HashMap<(i64, String), super::CourseProgress>> {
        #[derive(sqlx::FromRow)]
        struct ProgressJoin {
            person_id: i64,
            course_slug: String,
            lessons_done: i64,
            time_ms: i64,
            last_lesson: Option<String>,
            started_at: i64,
            completed_at: Option<i64>,
            best_score: Option<f64>,
            lessons: Option<i64>,
            title: Option<String>,
        }
        let mut out = HashMap::new();
        for chunk in people.chunks(500) {
            let list = super::id_list(chunk);
            let sql = format!(
                "SELECT pc.person_id, pc.course_slug, pc.lessons_done, pc.time_ms, pc.last_lesson, \
                 pc.started_at, pc.completed_at, pc.best_score, c.lessons, c.title \
                 FROM progress_course pc LEFT JOIN course c ON c.org_id = pc.org_id \
                   AND c.slug = pc.course_slug \
                 WHERE pc.org_id = $1 AND pc.person_id IN ({list})"
            );
            let rows: Vec<ProgressJoin> = with_pool!(self, |p| sqlx::query_as(&sql)
                .bind(org.0)
                .fetch_all(p)
                .await)?;
            for r in rows {
                out.insert(
                    (r.person_id, r.course_slug.clone()),
                    super::CourseProgress {
                        title: r.title.unwrap_or_else(|| r.course_slug.clone()),
                        slug: r.course_slug,
                        lessons: r.lessons.unwrap_or(0),
                        lessons_done: r.lessons_done,
                        time_ms: r.time_ms,
                        last_lesson: r.last_lesson,
                        started_at: Some(r.started_at),
                        completed_at: r.completed_at,
                        best_score: r.best_score,
                    },
                );
            }
        }
        Ok(out)
    }
}
