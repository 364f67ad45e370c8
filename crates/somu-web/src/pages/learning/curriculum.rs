//! Content management for programme owners and admins: install the default curriculum, import
//! and export packages, edit a lesson in a draft with a preview, publish, edit tracks, fill in
//! the organisation's placeholders.

use super::content::{import_package, install_default};
use super::learn::placeholder_values;
use super::{org_slug, with_notice};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_content::{Course, Package};
use somu_domain::FieldError;
use somu_store::catalogue::{CourseEntry, TrackEntry};
use somu_store::learning::{LessonRow, PlaceholderRow, VersionRow};

#[derive(Template)]
#[template(path = "learning/curriculum.html")]
struct HomePage {
    page: Page,
    courses: Vec<(CourseEntry, bool)>,
    tracks: Vec<TrackEntry>,
    errors: Vec<FieldError>,
}

async fn home_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    notice: Option<&str>,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let mut courses = Vec::new();
    for c in state.store.courses(ctx.org()).await? {
        let draft = state
            .store
            .draft_version(ctx.org(), &c.slug)
            .await?
            .is_some();
        courses.push((c, draft));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Page::org(ctx, csrf, "learning-curriculum-title");
    let html = render(HomePage {
        page: with_notice(page, notice),
        courses,
        tracks: state.store.tracks(ctx.org()).await?,
        errors,
    })?;
    Ok((status, html).into_response())
}

/// GET /o/{org}/curriculum
pub async fn home(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Response> {
    home_page(&state, &ctx, &csrf.0, q.done.as_deref(), vec![]).await
}

/// POST /o/{org}/curriculum/install
pub async fn install(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Redirect> {
    let report = install_default(&state.store, ctx.org(), state.clock.now()).await?;
    audit(
        &state,
        &ctx,
        "curriculum.install",
        "curriculum/somu-default",
        &format!(
            "{} changed, {} unchanged",
            report.changed.len(),
            report.unchanged.len()
        ),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/curriculum?done=installed",
        org_slug(&ctx)
    )))
}

/// POST /o/{org}/curriculum/import (multipart, field `file`: a zip)
pub async fn import(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    multipart: Multipart,
) -> AppResult<Response> {
    let (file, _) = crate::pages::read_upload(multipart, "package.zip").await?;
    let Some((name, bytes)) = file else {
        let e = FieldError::new(
            "file",
            "required",
            "choose a course package (.zip) to import",
        );
        return home_page(&state, &ctx, &csrf.0, None, vec![e]).await;
    };
    let package = match somu_content::load_zip(&bytes) {
        Ok(p) => p,
        Err(errs) => {
            let errors = package_errors(&name, &errs);
            return home_page(&state, &ctx, &csrf.0, None, errors).await;
        }
    };
    let report = import_package(&state.store, ctx.org(), &package, state.clock.now()).await?;
    let target = match &package {
        Package::Course(c) => format!("course/{}", c.slug),
        Package::Curriculum(c) => format!("curriculum/{}", c.info.slug),
    };
    audit(
        &state,
        &ctx,
        "curriculum.import",
        &target,
        &format!("{name}: {} changed", report.changed.len()),
    )
    .await?;
    let done = if report.changed.is_empty() {
        "unchanged"
    } else {
        "imported"
    };
    Ok(Redirect::to(&format!("/o/{}/curriculum?done={done}", org_slug(&ctx))).into_response())
}

/// Every problem of a refused package as a field error naming file, line and field.
pub fn package_errors(upload: &str, errs: &somu_content::PackageErrors) -> Vec<FieldError> {
    let text = errs.to_string();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let lines = if lines.is_empty() {
        vec![text.as_str()]
    } else {
        lines
    };
    lines
        .into_iter()
        .map(|l| FieldError::new(upload, "package", l.trim().to_string()))
        .collect()
}

#[derive(Template)]
#[template(path = "learning/curriculum_course.html")]
struct CoursePage {
    page: Page,
    course: CourseEntry,
    versions: Vec<VersionRow>,
    lessons: Vec<LessonRow>,
    draft: Option<VersionRow>,
}

/// GET /o/{org}/curriculum/courses/{slug}
pub async fn course(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let entry = state.store.course_by_slug(ctx.org(), &slug).await?;
    let versions = state.store.course_versions(ctx.org(), &slug).await?;
    let draft = versions.iter().find(|v| v.status == "draft").cloned();
    let shown = draft
        .as_ref()
        .map(|v| v.id)
        .or(entry.published_version)
        .ok_or(AppError::NotFound)?;
    let lessons = state.store.lessons(ctx.org(), shown).await?;
    let page = Page::org(&ctx, &csrf.0, "learning-course-title").titled(entry.title.clone());
    render(CoursePage {
        page: with_notice(page, q.done.as_deref()),
        course: entry,
        versions,
        lessons,
        draft,
    })
}

/// GET /o/{org}/curriculum/courses/{slug}/versions/{id}/export: the version's package as zip,
/// byte for byte what was stored.
pub async fn export(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug, id)): Path<(String, String, i64)>,
) -> AppResult<Response> {
    let v = state.store.course_version(ctx.org(), id).await?;
    if v.course_slug != slug {
        return Err(AppError::NotFound);
    }
    let zip = state.store.version_package(ctx.org(), id).await?;
    let name = format!("{slug}-{}-v{id}.zip", v.label);
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        zip,
    )
        .into_response())
}

/// POST /o/{org}/curriculum/courses/{slug}/publish
pub async fn publish(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug)): Path<(String, String)>,
) -> AppResult<Redirect> {
    let id = state
        .store
        .publish_draft(ctx.org(), &slug, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "course.publish",
        &format!("course/{slug}"),
        &format!("version {id}"),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/curriculum/courses/{slug}?done=published",
        org_slug(&ctx)
    )))
}

/// The course as it is being edited: the draft if there is one, else the published version.
async fn editable(state: &AppState, ctx: &OrgCtx, slug: &str) -> AppResult<Course> {
    let org = ctx.org();
    let version = match state.store.draft_version(org, slug).await? {
        Some(d) => d.id,
        None => state
            .store
            .course_by_slug(org, slug)
            .await?
            .published_version
            .ok_or(AppError::NotFound)?,
    };
    let zip = state.store.version_package(org, version).await?;
    match somu_content::load_zip(&zip) {
        Ok(Package::Course(c)) => Ok(c),
        _ => Err(AppError::Internal("a stored version does not load".into())),
    }
}

fn lesson_mut<'a>(
    course: &'a mut Course,
    module: &str,
    lesson: &str,
) -> Option<&'a mut somu_content::Lesson> {
    course
        .modules
        .iter_mut()
        .find(|m| m.slug == module)?
        .lessons
        .iter_mut()
        .find(|l| somu_store::learning::lesson_slug(&l.file) == lesson)
}

#[derive(Template)]
#[template(path = "learning/edit_lesson.html")]
struct EditPage {
    page: Page,
    action: String,
    /// Where the editor's script asks for the live preview.
    preview_url: String,
    back: String,
    body: String,
    preview: Option<String>,
    errors: Vec<FieldError>,
}

/// GET /o/{org}/curriculum/courses/{slug}/edit/{module}/{lesson}
pub async fn edit_lesson(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module, lesson)): Path<(String, String, String, String)>,
) -> AppResult<Response> {
    let mut course = editable(&state, &ctx, &slug).await?;
    let l = lesson_mut(&mut course, &module, &lesson).ok_or(AppError::NotFound)?;
    let (title, body) = (l.title.clone(), l.body.clone());
    edit_page(
        &state,
        &ctx,
        &csrf.0,
        &slug,
        &module,
        &lesson,
        title,
        body,
        None,
        vec![],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    slug: &str,
    module: &str,
    lesson: &str,
    title: String,
    body: String,
    preview: Option<String>,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let _ = state;
    let org = org_slug(ctx);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Page::org(ctx, csrf, "learning-edit-title").titled(title);
    let html = render(EditPage {
        page,
        action: format!("/o/{org}/curriculum/courses/{slug}/edit/{module}/{lesson}"),
        preview_url: format!("/o/{org}/curriculum/preview"),
        back: format!("/o/{org}/curriculum/courses/{slug}"),
        body,
        preview,
        errors,
    })?;
    Ok((status, html).into_response())
}

/// The editor's form.
#[derive(Deserialize)]
pub struct EditForm {
    /// The Markdown.
    body: String,
    /// `preview` or `save`.
    action: String,
}

/// The live preview's form: only the Markdown.
#[derive(Deserialize)]
pub struct PreviewForm {
    /// The Markdown.
    body: String,
}

/// POST /o/{org}/curriculum/preview: the lesson Markdown rendered as a learner would read it
/// (placeholders filled in), as an HTML fragment for the editor's live preview. Nothing is saved.
pub async fn live_preview(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(f): Form<PreviewForm>,
) -> AppResult<Html<String>> {
    let values = placeholder_values(&state, ctx.org()).await?;
    let body = f.body.replace("\r\n", "\n");
    Ok(Html(somu_content::render_markdown(
        &somu_content::fill_placeholders(&body, &values),
    )))
}

/// POST /o/{org}/curriculum/courses/{slug}/edit/{module}/{lesson}: preview, or save into the
/// course's draft (created from the published version when there is none).
pub async fn save_lesson(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module, lesson)): Path<(String, String, String, String)>,
    Form(f): Form<EditForm>,
) -> AppResult<Response> {
    let mut course = editable(&state, &ctx, &slug).await?;
    let l = lesson_mut(&mut course, &module, &lesson).ok_or(AppError::NotFound)?;
    let title = l.title.clone();
    // Browsers send CRLF line ends; lessons are stored with LF.
    let body = f.body.replace("\r\n", "\n");
    l.body = body.clone();
    // Check the edited course exactly as an import would.
    let checked = somu_content::export_files(&Package::Course(course.clone()))
        .map_err(|e| e.to_string())
        .and_then(|files| somu_content::load_files(&files).map_err(|e| e.to_string()));
    let errors: Vec<FieldError> = match &checked {
        Ok(_) => vec![],
        Err(e) => e
            .lines()
            .map(|line| FieldError::new("body", "invalid", line.to_string()))
            .collect(),
    };
    match f.action.as_str() {
        "preview" => {
            let values = placeholder_values(&state, ctx.org()).await?;
            let html =
                somu_content::render_markdown(&somu_content::fill_placeholders(&body, &values));
            edit_page(
                &state,
                &ctx,
                &csrf.0,
                &slug,
                &module,
                &lesson,
                title,
                body,
                Some(html),
                errors,
            )
            .await
        }
        "save" if errors.is_empty() => {
            let id = state
                .store
                .put_course_version(ctx.org(), &course, false, state.clock.now())
                .await?
                .version;
            audit(
                &state,
                &ctx,
                "course.draft",
                &format!("course/{slug}/{module}/{lesson}"),
                &format!("version {id}"),
            )
            .await?;
            Ok(Redirect::to(&format!(
                "/o/{}/curriculum/courses/{slug}?done=draft-saved",
                org_slug(&ctx)
            ))
            .into_response())
        }
        "save" => {
            edit_page(
                &state, &ctx, &csrf.0, &slug, &module, &lesson, title, body, None, errors,
            )
            .await
        }
        other => Err(AppError::field(
            "action",
            "unknown-value",
            format!("\"{other}\" is not one of: preview, save"),
        )),
    }
}

#[derive(Template)]
#[template(path = "learning/placeholders.html")]
struct PlaceholdersPage {
    page: Page,
    placeholders: Vec<PlaceholderRow>,
    errors: Vec<FieldError>,
}

/// GET /o/{org}/curriculum/placeholders
pub async fn placeholders(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "learning-placeholders-title");
    render(PlaceholdersPage {
        page: with_notice(page, q.done.as_deref()),
        placeholders: state.store.placeholders(ctx.org()).await?,
        errors: vec![],
    })
}

/// Longest placeholder value.
const MAX_VALUE: usize = 2000;

/// POST /o/{org}/curriculum/placeholders: fields `v-NAME`.
pub async fn save_placeholders(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for (k, v) in form_urlencoded::parse(&body) {
        if let Some(name) = k.strip_prefix("v-") {
            if v.chars().count() > MAX_VALUE || v.contains("{{") {
                errors.push(FieldError::new(
                    format!("v-{name}"),
                    "invalid",
                    format!("at most {MAX_VALUE} characters, without {{{{"),
                ));
            }
            values.push((name.to_string(), v.into_owned()));
        }
    }
    if errors.is_empty() {
        match state
            .store
            .set_placeholders(ctx.org(), &values, state.clock.now())
            .await
        {
            Ok(()) => {
                audit(&state, &ctx, "curriculum.placeholders", "placeholders", "").await?;
                return Ok(Redirect::to(&format!(
                    "/o/{}/curriculum/placeholders?done=saved",
                    org_slug(&ctx)
                ))
                .into_response());
            }
            Err(somu_store::StoreError::Invalid(e)) => errors = e.0,
            Err(e) => return Err(e.into()),
        }
    }
    let page = Page::org(&ctx, &csrf.0, "learning-placeholders-title");
    let html = render(PlaceholdersPage {
        page,
        placeholders: state.store.placeholders(ctx.org()).await?,
        errors,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

#[derive(Template)]
#[template(path = "learning/track_edit.html")]
struct TrackPage {
    page: Page,
    track: TrackEntry,
    courses_text: String,
    known: Vec<CourseEntry>,
    errors: Vec<FieldError>,
}

/// GET /o/{org}/curriculum/tracks/{slug}
pub async fn track(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let t = state.store.track_by_slug(ctx.org(), &slug).await?;
    let page = Page::org(&ctx, &csrf.0, "learning-track-title").titled(t.title.clone());
    render(TrackPage {
        page: with_notice(page, q.done.as_deref()),
        courses_text: t.courses.join("\n"),
        track: t,
        known: state.store.courses(ctx.org()).await?,
        errors: vec![],
    })
}

/// The track form: course slugs, one a line, in order.
#[derive(Deserialize)]
pub struct TrackForm {
    /// Course slugs.
    courses: String,
    /// Post-test pass mark.
    pass_mark: String,
}

/// POST /o/{org}/curriculum/tracks/{slug}
pub async fn save_track(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug)): Path<(String, String)>,
    Form(f): Form<TrackForm>,
) -> AppResult<Response> {
    let mut t = state.store.track_by_slug(ctx.org(), &slug).await?;
    let known = state.store.courses(ctx.org()).await?;
    let mut errors = Vec::new();
    let mut courses: Vec<String> = Vec::new();
    for (i, line) in f.courses.lines().enumerate() {
        let c = line.trim();
        if c.is_empty() {
            continue;
        }
        if !known.iter().any(|k| k.slug == c) {
            errors.push(FieldError::new(
                "courses",
                "unknown",
                format!("line {}: there is no course `{c}`", i + 1),
            ));
        } else if courses.iter().any(|x| x == c) {
            errors.push(FieldError::new(
                "courses",
                "duplicate",
                format!("line {}: `{c}` is listed twice", i + 1),
            ));
        } else {
            courses.push(c.to_string());
        }
    }
    let pass_mark = match f.pass_mark.trim().parse::<i64>() {
        Ok(p) if (0..=100).contains(&p) => p,
        _ => {
            errors.push(FieldError::new(
                "pass_mark",
                "invalid",
                "a whole number from 0 to 100",
            ));
            t.pass_mark
        }
    };
    if !errors.is_empty() {
        let page = Page::org(&ctx, &csrf.0, "learning-track-title").titled(t.title.clone());
        let html = render(TrackPage {
            page,
            courses_text: f.courses,
            track: t,
            known,
            errors,
        })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    t.courses = courses;
    t.pass_mark = pass_mark;
    t.updated_at = state.clock.now();
    state.store.put_track(ctx.org(), &t).await?;
    audit(
        &state,
        &ctx,
        "track.update",
        &format!("track/{slug}"),
        &t.courses.join(" "),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/curriculum/tracks/{slug}?done=saved",
        org_slug(&ctx)
    ))
    .into_response())
}
