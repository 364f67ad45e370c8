//! The learner's side: the home (`/o/{org}/learn`), notifications, and "my progress".

use super::{csv_response, learn_href, pct, today};
use crate::access::OrgCtx;
use crate::error::AppResult;
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{render, when, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect, Response};
use axum::Extension;
use somu_domain::progress::{gain, Standing};
use somu_domain::time_util::format_date;
use somu_store::progress::{LearnerPlan, PlanItem};

/// A course line under an assignment.
pub struct CourseLine {
    /// Title.
    pub title: String,
    /// Link.
    pub href: String,
    /// Percent done.
    pub percent: i64,
    /// Completed.
    pub done: bool,
}

/// An assignment on the home.
pub struct ItemView {
    /// Title.
    pub title: String,
    /// `track` or `course`.
    pub kind: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Due date, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// Standing code.
    pub standing: &'static str,
    /// Courses done / in all.
    pub done: usize,
    /// Courses in all.
    pub total: usize,
    /// Where "continue" leads, and whether it resumes a lesson.
    pub resume: Option<(String, bool)>,
    /// The courses.
    pub courses: Vec<CourseLine>,
}

/// Build the view of a plan item.
pub fn item_view(org: &str, item: &PlanItem) -> ItemView {
    let a = &item.assignment;
    ItemView {
        title: a.title.clone(),
        kind: a.kind.clone(),
        mandatory: a.mandatory,
        due: item.due.map(format_date),
        standing: item.standing.code(),
        done: item.done,
        total: item.courses.len(),
        resume: item
            .resume
            .as_ref()
            .map(|(c, l)| (learn_href(org, c, l.as_deref()), l.is_some())),
        courses: item
            .courses
            .iter()
            .map(|c| CourseLine {
                title: c.title.clone(),
                href: learn_href(org, &c.slug, None),
                percent: c.percent(),
                done: c.completed_at.is_some(),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "progress/home.html")]
struct HomePage {
    page: Page,
    todo: Vec<ItemView>,
    done: Vec<ItemView>,
    notifications: Vec<NoteView>,
    unread: usize,
}

/// A notification as shown.
pub struct NoteView {
    id: i64,
    subject: String,
    link: String,
    at: String,
    unread: bool,
}

async fn plan(state: &AppState, ctx: &OrgCtx) -> AppResult<LearnerPlan> {
    state.store.project_progress(ctx.org()).await?;
    Ok(state
        .store
        .learner_plan(ctx.org(), ctx.member.person_id, today(state))
        .await?)
}

/// GET /o/{org}/learn
pub async fn home(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let plan = plan(&state, &ctx).await?;
    let slug = &ctx.member.org.slug;
    let (done, todo): (Vec<&PlanItem>, Vec<&PlanItem>) = plan
        .items
        .iter()
        .partition(|i| i.standing == Standing::Done);
    let notifications = state
        .store
        .notifications(ctx.org(), ctx.member.person_id, 20)
        .await?;
    render(HomePage {
        page: Page::org(&ctx, &csrf.0, "progress-home-title").with_notice(q.done.as_deref()),
        todo: todo.into_iter().map(|i| item_view(slug, i)).collect(),
        done: done.into_iter().map(|i| item_view(slug, i)).collect(),
        unread: notifications.iter().filter(|n| n.read_at.is_none()).count(),
        notifications: notifications
            .into_iter()
            .map(|n| NoteView {
                id: n.id,
                at: when(&n.created_at),
                unread: n.read_at.is_none(),
                subject: n.subject,
                link: n.link,
            })
            .collect(),
    })
}

/// POST /o/{org}/learn/notifications/{id}/read
pub async fn mark_read(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    state
        .store
        .mark_notification_read(ctx.org(), ctx.member.person_id, id, state.clock.now())
        .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/learn?done=saved",
        ctx.member.org.slug
    )))
}

/// A course row of "my progress".
pub struct CourseRow {
    title: String,
    href: String,
    lessons: String,
    minutes: i64,
    score: String,
    started: String,
    completed: String,
}

/// A track row of "my progress".
pub struct TrackRow {
    slug: String,
    pre: String,
    post: String,
    gain: String,
    passed: bool,
}

#[derive(Template)]
#[template(path = "progress/mine.html")]
struct MinePage {
    page: Page,
    courses: Vec<CourseRow>,
    tracks: Vec<TrackRow>,
    total_minutes: i64,
}

fn date_of(t: Option<i64>) -> String {
    t.map(|t| format_date(somu_domain::time_util::from_unix(t).date()))
        .unwrap_or_default()
}

fn rows(org: &str, plan: &LearnerPlan) -> (Vec<CourseRow>, Vec<TrackRow>) {
    let courses = plan
        .courses
        .iter()
        .map(|c| CourseRow {
            title: c.title.clone(),
            href: learn_href(org, &c.slug, None),
            lessons: format!("{}/{}", c.lessons_done, c.lessons),
            minutes: c.minutes(),
            score: pct(c.best_score),
            started: date_of(c.started_at),
            completed: date_of(c.completed_at),
        })
        .collect();
    let tracks = plan
        .tracks
        .iter()
        .map(|t| TrackRow {
            slug: t.track_slug.clone(),
            pre: pct(t.pre_score),
            post: pct(t.post_score),
            gain: gain(t.pre_score, t.post_score)
                .map(|g| format!("{g:+.0}"))
                .unwrap_or_default(),
            passed: t.post_passed,
        })
        .collect();
    (courses, tracks)
}

/// GET /o/{org}/learn/progress
pub async fn progress(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let plan = plan(&state, &ctx).await?;
    let (courses, tracks) = rows(&ctx.member.org.slug, &plan);
    render(MinePage {
        page: Page::org(&ctx, &csrf.0, "progress-mine-title"),
        total_minutes: plan.courses.iter().map(|c| c.minutes()).sum(),
        courses,
        tracks,
    })
}

/// GET /o/{org}/learn/progress.csv
pub async fn progress_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Response> {
    let plan = plan(&state, &ctx).await?;
    let mut out = vec![[
        "course",
        "title",
        "lessons_done",
        "lessons",
        "minutes",
        "best_score",
        "started",
        "completed",
    ]
    .map(String::from)
    .to_vec()];
    for c in &plan.courses {
        out.push(vec![
            c.slug.clone(),
            c.title.clone(),
            c.lessons_done.to_string(),
            c.lessons.to_string(),
            c.minutes().to_string(),
            pct(c.best_score),
            date_of(c.started_at),
            date_of(c.completed_at),
        ]);
    }
    csv_response(&format!("{}-my-progress.csv", ctx.member.org.slug), out)
}
