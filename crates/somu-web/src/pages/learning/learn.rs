//! The learner's side: catalogue, course overview, lessons (placeholders filled, previous/next,
//! "mark as done" with the time spent), and the completion statements that follow.

use super::{org_slug, statement, with_notice};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, Outcome, Verb};
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::learning::{LessonRow, QuizRow, VersionRow};
use std::collections::BTreeMap;

/// Longest time one lesson visit may count for (2 hours): a tab left open overnight is not
/// learning time.
pub const MAX_LESSON_SECONDS: i64 = 2 * 60 * 60;

#[derive(Template)]
#[template(path = "learning/catalogue.html")]
struct CataloguePage {
    page: Page,
    courses: Vec<CourseEntry>,
    tracks: Vec<TrackEntry>,
}

/// GET /o/{org}/learn/catalogue
pub async fn catalogue(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let courses = state
        .store
        .courses(ctx.org())
        .await?
        .into_iter()
        .filter(|c| c.published_version.is_some())
        .collect();
    let tracks = state.store.tracks(ctx.org()).await?;
    render(CataloguePage {
        page: Page::org(&ctx, &csrf.0, "learning-catalogue-title"),
        courses,
        tracks,
    })
}

/// A published course as a learner sees it.
pub(crate) struct Published {
    pub entry: CourseEntry,
    pub version: VersionRow,
    pub lessons: Vec<LessonRow>,
}

/// The published version of a course (not found when there is none).
pub(crate) async fn published(state: &AppState, org: OrgId, slug: &str) -> AppResult<Published> {
    let entry = state.store.course_by_slug(org, slug).await?;
    let id = entry.published_version.ok_or(AppError::NotFound)?;
    let version = state.store.course_version(org, id).await?;
    let lessons = state.store.lessons(org, id).await?;
    Ok(Published {
        entry,
        version,
        lessons,
    })
}

/// One module on the course page.
pub struct ModuleView {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Lessons with a done tick.
    pub lessons: Vec<(LessonRow, bool)>,
    /// Quiz title and whether it is passed.
    pub quiz: Option<(QuizRow, bool)>,
}

/// Group lessons by module in order.
fn modules_of(
    lessons: &[LessonRow],
    quizzes: &[QuizRow],
    done: &[String],
    passed: &[String],
    course: &str,
) -> Vec<ModuleView> {
    let mut out: Vec<ModuleView> = Vec::new();
    for l in lessons {
        let key = format!("{course}/{}/{}", l.module_slug, l.slug);
        let tick = done.contains(&key);
        match out.last_mut() {
            Some(m) if m.slug == l.module_slug => m.lessons.push((l.clone(), tick)),
            _ => out.push(ModuleView {
                slug: l.module_slug.clone(),
                title: l.module_title.clone(),
                lessons: vec![(l.clone(), tick)],
                quiz: None,
            }),
        }
    }
    for m in &mut out {
        let key = format!("{course}/{}", m.slug);
        m.quiz = quizzes
            .iter()
            .find(|q| q.module_slug == m.slug)
            .map(|q| (q.clone(), passed.contains(&key)));
    }
    out
}

#[derive(Template)]
#[template(path = "learning/course.html")]
struct CoursePage {
    page: Page,
    course: CourseEntry,
    version: VersionRow,
    modules: Vec<ModuleView>,
    resume: Option<String>,
    done_count: usize,
    total: usize,
    completed: bool,
}

/// GET /o/{org}/learn/courses/{slug}
pub async fn course(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let p = published(&state, ctx.org(), &slug).await?;
    let me = ctx.member.person_id;
    let store = &state.store;
    let done = store
        .done_keys(ctx.org(), me, "experienced", "lesson", Some(&slug))
        .await?;
    let passed = store
        .done_keys(ctx.org(), me, "passed", "quiz", Some(&slug))
        .await?;
    let completed = store
        .done_keys(ctx.org(), me, "completed", "course", None)
        .await?
        .contains(&slug);
    let quizzes = store.quizzes(ctx.org(), p.version.id).await?;
    let modules = modules_of(&p.lessons, &quizzes, &done, &passed, &slug);
    let resume = modules
        .iter()
        .flat_map(|m| m.lessons.iter())
        .find(|(_, tick)| !tick)
        .map(|(l, _)| format!("{}/{}", l.module_slug, l.slug));
    let done_count = modules
        .iter()
        .flat_map(|m| m.lessons.iter())
        .filter(|(_, t)| *t)
        .count();
    let page = Page::org(&ctx, &csrf.0, "learning-course-title").titled(p.entry.title.clone());
    render(CoursePage {
        page: with_notice(page, q.done.as_deref()),
        total: p.lessons.len(),
        course: p.entry,
        version: p.version,
        modules,
        resume,
        done_count,
        completed,
    })
}

#[derive(Template)]
#[template(path = "learning/lesson.html")]
struct LessonPage {
    page: Page,
    course: CourseEntry,
    lesson: LessonRow,
    html: String,
    prev: Option<String>,
    next: Option<String>,
    quiz_next: bool,
    done: bool,
    position: usize,
    total: usize,
}

/// The organisation's placeholder values.
pub(crate) async fn placeholder_values(
    state: &AppState,
    org: OrgId,
) -> AppResult<BTreeMap<String, String>> {
    Ok(state
        .store
        .placeholders(org)
        .await?
        .into_iter()
        .filter_map(|p| p.value.map(|v| (p.name, v)))
        .collect())
}

/// GET /o/{org}/learn/courses/{slug}/{module}/{lesson}
pub async fn lesson(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module, lesson)): Path<(String, String, String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let p = published(&state, ctx.org(), &slug).await?;
    let idx = p
        .lessons
        .iter()
        .position(|l| l.module_slug == module && l.slug == lesson)
        .ok_or(AppError::NotFound)?;
    let row = state
        .store
        .lesson(ctx.org(), p.version.id, &module, &lesson)
        .await?;
    let values = placeholder_values(&state, ctx.org()).await?;
    let html = somu_content::render_markdown(&somu_content::fill_placeholders(&row.body, &values));
    let me = ctx.member.person_id;
    let key = format!("{slug}/{module}/{lesson}");
    let now = state.clock.now();
    if state.store.lesson_opened(ctx.org(), me, &key, now).await? {
        let st = statement(
            me,
            Verb::Launched,
            ActivityKind::Lesson,
            &key,
            &row.title,
            Some((ActivityKind::Course, &slug)),
            &p.version.registration,
            Outcome::default(),
            now,
        );
        state.store.record_statements(ctx.org(), &[st]).await?;
    }
    let done = state
        .store
        .done_keys(ctx.org(), me, "experienced", "lesson", Some(&slug))
        .await?
        .contains(&key);
    let link = |l: &LessonRow| format!("{}/{}", l.module_slug, l.slug);
    let prev = idx.checked_sub(1).and_then(|i| p.lessons.get(i)).map(link);
    let next_lesson = p.lessons.get(idx + 1);
    let quiz_next = next_lesson.is_none_or(|n| n.module_slug != module);
    let next = next_lesson.map(link);
    let page = Page::org(&ctx, &csrf.0, "learning-lesson-title").titled(row.title.clone());
    render(LessonPage {
        page: with_notice(page, q.done.as_deref()),
        course: p.entry,
        html,
        prev,
        next,
        quiz_next,
        done,
        position: idx + 1,
        total: p.lessons.len(),
        lesson: row,
    })
}

/// POST /o/{org}/learn/courses/{slug}/{module}/{lesson}/done
pub async fn mark_done(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug, module, lesson)): Path<(String, String, String, String)>,
) -> AppResult<Redirect> {
    let p = published(&state, ctx.org(), &slug).await?;
    let row = state
        .store
        .lesson(ctx.org(), p.version.id, &module, &lesson)
        .await?;
    let me = ctx.member.person_id;
    let key = format!("{slug}/{module}/{lesson}");
    let now = state.clock.now();
    let opened = state
        .store
        .lesson_opened_at(ctx.org(), me, &key)
        .await?
        .ok_or_else(|| AppError::Conflict("open the lesson before marking it as done".into()))?;
    let seconds = (now - opened).clamp(0, MAX_LESSON_SECONDS);
    let st = statement(
        me,
        Verb::Experienced,
        ActivityKind::Lesson,
        &key,
        &row.title,
        Some((ActivityKind::Course, &slug)),
        &p.version.registration,
        Outcome {
            completion: Some(true),
            duration_ms: Some(seconds * 1000),
            ..Outcome::default()
        },
        now,
    );
    state.store.record_statements(ctx.org(), &[st]).await?;
    record_completions(&state, ctx.org(), me, &p, now).await?;
    let org = org_slug(&ctx);
    let idx = p.lessons.iter().position(|l| l.position == row.position);
    let to = match idx.and_then(|i| p.lessons.get(i + 1)) {
        Some(n) if n.module_slug == module => {
            format!("/o/{org}/learn/courses/{slug}/{}/{}", n.module_slug, n.slug)
        }
        _ => format!("/o/{org}/learn/courses/{slug}/{module}/quiz"),
    };
    Ok(Redirect::to(&to))
}

/// Record `completed` for each module whose lessons are all done and whose quiz is passed,
/// the course when every module is, and each track whose courses are all completed; each once.
pub(crate) async fn record_completions(
    state: &AppState,
    org: OrgId,
    me: PersonId,
    p: &Published,
    now: i64,
) -> AppResult<()> {
    let store = &state.store;
    let slug = &p.entry.slug;
    let done = store
        .done_keys(org, me, "experienced", "lesson", Some(slug))
        .await?;
    let passed = store
        .done_keys(org, me, "passed", "quiz", Some(slug))
        .await?;
    let completed_modules = store
        .done_keys(org, me, "completed", "module", Some(slug))
        .await?;
    let quizzes = store.quizzes(org, p.version.id).await?;
    let modules = modules_of(&p.lessons, &quizzes, &done, &passed, slug);
    let reg = &p.version.registration;
    let mut stmts = Vec::new();
    let mut all = true;
    for m in &modules {
        let key = format!("{slug}/{}", m.slug);
        let finished =
            m.lessons.iter().all(|(_, t)| *t) && m.quiz.as_ref().is_none_or(|(_, passed)| *passed);
        if !finished {
            all = false;
        } else if !completed_modules.contains(&key) {
            stmts.push(completed(
                me,
                ActivityKind::Module,
                &key,
                &m.title,
                Some((ActivityKind::Course, slug)),
                reg,
                now,
            ));
        }
    }
    let mut courses_done = store
        .done_keys(org, me, "completed", "course", None)
        .await?;
    if all && !courses_done.contains(slug) {
        stmts.push(completed(
            me,
            ActivityKind::Course,
            slug,
            &p.entry.title,
            None,
            reg,
            now,
        ));
        courses_done.push(slug.clone());
        let tracks_done = store.done_keys(org, me, "completed", "track", None).await?;
        for t in store.tracks(org).await? {
            if t.courses.contains(slug)
                && !tracks_done.contains(&t.slug)
                && t.courses.iter().all(|c| courses_done.contains(c))
            {
                stmts.push(completed(
                    me,
                    ActivityKind::Track,
                    &t.slug,
                    &t.title,
                    None,
                    reg,
                    now,
                ));
            }
        }
    }
    if !stmts.is_empty() {
        store.record_statements(org, &stmts).await?;
    }
    Ok(())
}

/// The media type of an asset, by extension; unknown kinds download instead of rendering.
fn asset_type(path: &str) -> (&'static str, bool) {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "png" => ("image/png", true),
        "jpg" | "jpeg" => ("image/jpeg", true),
        "gif" => ("image/gif", true),
        "webp" => ("image/webp", true),
        "svg" => ("image/svg+xml", true),
        "pdf" => ("application/pdf", false),
        _ => ("application/octet-stream", false),
    }
}

/// GET /o/{org}/learn/courses/{slug}/{module}/assets/{*file}: a file of the published version's
/// `assets/` folder (what lessons link to as `assets/...`).
pub async fn asset(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug, _module, file)): Path<(String, String, String, String)>,
) -> AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let entry = state.store.course_by_slug(ctx.org(), &slug).await?;
    let id = entry.published_version.ok_or(AppError::NotFound)?;
    let zip = state.store.version_package(ctx.org(), id).await?;
    let course = match somu_content::load_zip(&zip) {
        Ok(somu_content::Package::Course(c)) => c,
        _ => return Err(AppError::NotFound),
    };
    let path = format!("assets/{file}");
    let bytes = course.assets.get(&path).ok_or(AppError::NotFound)?.clone();
    let (mime, inline) = asset_type(&path);
    let disposition = if inline { "inline" } else { "attachment" };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition.to_string()),
            // SVG may carry scripts: never let an asset run anything.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
                    .to_string(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// A `completed` statement (modules, courses, tracks).
fn completed(
    me: PersonId,
    kind: ActivityKind,
    key: &str,
    name: &str,
    parent: Option<(ActivityKind, &str)>,
    reg: &str,
    now: i64,
) -> somu_domain::xapi::NewStatement {
    let done = Outcome {
        completion: Some(true),
        ..Outcome::default()
    };
    statement(me, Verb::Completed, kind, key, name, parent, reg, done, now)
}
