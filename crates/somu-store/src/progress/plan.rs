//! One person's learning plan: what is assigned to them, when it is due, where they stand, and
//! where to resume. Read from the assignments, the catalogue and the progress projection.

use super::AssignmentRow;
use crate::{with_pool, Result, Store};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::Standing;
use somu_domain::time_util::parse_date;
use std::collections::HashMap;
use time::Date;

/// A person's progress through one course.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CourseProgress {
    /// Course slug.
    pub slug: String,
    /// Title from the catalogue.
    pub title: String,
    /// Lessons in the published version.
    pub lessons: i64,
    /// Distinct lessons finished.
    pub lessons_done: i64,
    /// Time spent in lessons (milliseconds).
    pub time_ms: i64,
    /// The last lesson opened (`course/module/lesson`), for resuming.
    pub last_lesson: Option<String>,
    /// First activity (Unix seconds).
    pub started_at: Option<i64>,
    /// Completion (Unix seconds).
    pub completed_at: Option<i64>,
    /// Best quiz or imported score, scaled to [0, 1].
    pub best_score: Option<f64>,
}

impl CourseProgress {
    /// Percent of lessons finished (100 once completed).
    pub fn percent(&self) -> i64 {
        if self.completed_at.is_some() {
            100
        } else if self.lessons > 0 {
            (self.lessons_done * 100 / self.lessons).min(99)
        } else {
            0
        }
    }

    /// Minutes spent, rounded.
    pub fn minutes(&self) -> i64 {
        (self.time_ms + 30_000) / 60_000
    }
}

/// A person's pre-test, post-test and completion of a track.
#[derive(Debug, Clone, Default, sqlx::FromRow, serde::Serialize)]
pub struct TrackProgress {
    /// Track slug.
    pub track_slug: String,
    /// Pre-test score, scaled.
    pub pre_score: Option<f64>,
    /// Best post-test score, scaled.
    pub post_score: Option<f64>,
    /// Whether a post-test was passed.
    pub post_passed: bool,
    /// Track completion (Unix seconds).
    pub completed_at: Option<i64>,
}

/// One assignment as the person sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanItem {
    /// The assignment.
    pub assignment: AssignmentRow,
    /// The person's due date.
    pub due: Option<Date>,
    /// Where they stand.
    pub standing: Standing,
    /// The courses, in track order.
    pub courses: Vec<CourseProgress>,
    /// Courses completed.
    pub done: usize,
    /// Where to carry on: the first unfinished course, and its last lesson opened if any.
    pub resume: Option<(String, Option<String>)>,
}

/// Everything on a learner's home.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LearnerPlan {
    /// Assignments, mandatory first, then overdue, in progress, not started, done.
    pub items: Vec<PlanItem>,
    /// Every course the person has touched, assigned or not, most recent first.
    pub courses: Vec<CourseProgress>,
    /// Tracks with test scores.
    pub tracks: Vec<TrackProgress>,
}

#[derive(sqlx::FromRow)]
struct ProgressRow {
    course_slug: String,
    lessons_done: i64,
    time_ms: i64,
    last_lesson: Option<String>,
    started_at: i64,
    completed_at: Option<i64>,
    best_score: Option<f64>,
}

impl Store {
    /// A person's plan on `today`. Call [`Store::project_progress`] first for fresh figures.
    pub async fn learner_plan(
        &self,
        org: OrgId,
        person: PersonId,
        today: Date,
    ) -> Result<LearnerPlan> {
        let me = self.person(org, person).await?;
        let start = me.start_date.as_deref().and_then(parse_date);
        let assignments = self.person_assignments(org, person).await?;
        let rows: Vec<ProgressRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT course_slug, lessons_done, time_ms, last_lesson, started_at, completed_at, \
             best_score FROM progress_course WHERE org_id = $1 AND person_id = $2 \
             ORDER BY last_at DESC"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_all(p)
        .await
        })?;
        let tracks: Vec<TrackProgress> = with_pool!(self, |p| sqlx::query_as(
            "SELECT track_slug, pre_score, post_score, post_passed, completed_at \
             FROM progress_track WHERE org_id = $1 AND person_id = $2 ORDER BY track_slug"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_all(p)
        .await)?;
        let catalogue: HashMap<String, (String, i64)> = self
            .courses(org)
            .await?
            .into_iter()
            .map(|c| (c.slug, (c.title, c.lessons)))
            .collect();
        let track_courses: HashMap<String, Vec<String>> =
            if assignments.iter().any(|a| a.kind == "track") {
                self.tracks(org)
                    .await?
                    .into_iter()
                    .map(|t| (t.slug, t.courses))
                    .collect()
            } else {
                HashMap::new()
            };
        let progress_of = |slug: &str| -> CourseProgress {
            let (title, lessons) = catalogue
                .get(slug)
                .cloned()
                .unwrap_or_else(|| (slug.to_string(), 0));
            let mut c = CourseProgress {
                slug: slug.to_string(),
                title,
                lessons,
                ..Default::default()
            };
            if let Some(r) = rows.iter().find(|r| r.course_slug == slug) {
                c.lessons_done = r.lessons_done;
                c.time_ms = r.time_ms;
                c.last_lesson = r.last_lesson.clone();
                c.started_at = Some(r.started_at);
                c.completed_at = r.completed_at;
                c.best_score = r.best_score;
            }
            c
        };
        let mut items: Vec<PlanItem> = assignments
            .into_iter()
            .map(|a| {
                let slugs = if a.kind == "track" {
                    track_courses.get(&a.target).cloned().unwrap_or_default()
                } else {
                    vec![a.target.clone()]
                };
                let courses: Vec<CourseProgress> = slugs.iter().map(|s| progress_of(s)).collect();
                let done = courses.iter().filter(|c| c.completed_at.is_some()).count();
                let started = courses.iter().any(|c| c.started_at.is_some());
                let due = a.due_rule().due_for(start, a.assigned_on());
                let standing = Standing::of(done, courses.len(), started, due, today);
                let resume = courses
                    .iter()
                    .find(|c| c.completed_at.is_none())
                    .map(|c| (c.slug.clone(), c.last_lesson.clone()));
                PlanItem {
                    assignment: a,
                    due,
                    standing,
                    courses,
                    done,
                    resume,
                }
            })
            .collect();
        items.sort_by(|x, y| {
            (!x.assignment.mandatory, x.standing, x.due.is_none(), x.due).cmp(&(
                !y.assignment.mandatory,
                y.standing,
                y.due.is_none(),
                y.due,
            ))
        });
        let courses = rows.iter().map(|r| progress_of(&r.course_slug)).collect();
        Ok(LearnerPlan {
            items,
            courses,
            tracks,
        })
    }
}
