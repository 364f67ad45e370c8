//! Cohorts (`/o/{org}/cohorts`): a named group going through a track together from a start date,
//! and each member's progress through the track's courses.

use super::{learn_href, resolve_people};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use axum::Extension;
use serde::Deserialize;
use somu_domain::progress::{split_list, Funnel};
use somu_domain::time_util::{format_date, parse_date};
use somu_store::catalogue::TrackEntry;
use somu_store::progress::{Cohort, CourseProgress};
use somu_store::StoreError;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "progress/cohorts.html")]
struct ListPage {
    page: Page,
    cohorts: Vec<Cohort>,
    tracks: Vec<TrackEntry>,
}

/// GET /o/{org}/cohorts
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    render(ListPage {
        page: Page::org(&ctx, &csrf.0, "progress-cohorts-title").with_notice(q.done.as_deref()),
        cohorts: state.store.cohorts(ctx.org()).await?,
        tracks: state.store.tracks(ctx.org()).await?,
    })
}

/// A new cohort.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CohortForm {
    name: String,
    track: String,
    start_date: String,
    people: String,
}

/// POST /o/{org}/cohorts
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(form): Form<CohortForm>,
) -> AppResult<Redirect> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::field(
            "name",
            "length",
            "give a cohort name of 1 to 120 characters",
        ));
    }
    match state
        .store
        .track_by_slug(ctx.org(), form.track.trim())
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::field("track", "unknown", "choose a track"))
        }
        other => other?,
    };
    let start = parse_date(&form.start_date).ok_or_else(|| {
        AppError::field(
            "start_date",
            "invalid-date",
            "give the start date as YYYY-MM-DD",
        )
    })?;
    let people = resolve_people(&state, &ctx, "people", &split_list(&form.people)).await?;
    let id = state
        .store
        .create_cohort(
            ctx.org(),
            name,
            form.track.trim(),
            &format_date(start),
            &people,
            state.clock.now(),
        )
        .await?;
    audit(
        &state,
        &ctx,
        "cohort.create",
        &format!("cohort/{id}"),
        &format!("{name}: {} people", people.len()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/cohorts/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// People to add.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembersForm {
    people: String,
}

/// POST /o/{org}/cohorts/{id}/members
pub async fn add_members(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<MembersForm>,
) -> AppResult<Redirect> {
    let keys = split_list(&form.people);
    if keys.is_empty() {
        return Err(AppError::field(
            "people",
            "required",
            "list at least one person by email or employee id",
        ));
    }
    state.store.cohort(ctx.org(), id).await?;
    let people = resolve_people(&state, &ctx, "people", &keys).await?;
    state
        .store
        .add_cohort_members(ctx.org(), id, &people)
        .await?;
    audit(
        &state,
        &ctx,
        "cohort.members",
        &format!("cohort/{id}"),
        &format!("added {}", people.len()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/cohorts/{id}?done=saved",
        ctx.member.org.slug
    )))
}

/// A member's row: one cell per course of the track.
pub struct MemberRow {
    id: i64,
    name: String,
    cells: Vec<(i64, bool)>,
    done: usize,
}

#[derive(Template)]
#[template(path = "progress/cohort.html")]
struct ShowPage {
    page: Page,
    cohort: Cohort,
    courses: Vec<(String, String)>,
    members: Vec<MemberRow>,
}

async fn track_and_progress(
    state: &AppState,
    ctx: &OrgCtx,
    c: &Cohort,
) -> AppResult<(
    Vec<String>,
    Vec<(i64, String)>,
    HashMap<(i64, String), CourseProgress>,
)> {
    let org = ctx.org();
    state.store.project_progress(org).await?;
    let courses = match state.store.track_by_slug(org, &c.track_slug).await {
        Ok(t) => t.courses,
        Err(StoreError::NotFound) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let members: Vec<(i64, String)> = state
        .store
        .cohort_members(org, c.id)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    let progress = state.store.course_progress_of(org, &ids).await?;
    Ok((courses, members, progress))
}

/// The cohort's funnel through its track (no post-test stage unless passed on the track).
pub async fn cohort_funnel(state: &AppState, ctx: &OrgCtx, c: &Cohort) -> AppResult<Funnel> {
    let (courses, members, progress) = track_and_progress(state, ctx, c).await?;
    let mut f = Funnel {
        assigned: members.len() as i64,
        ..Default::default()
    };
    for (id, _) in &members {
        let mine: Vec<&CourseProgress> = courses
            .iter()
            .filter_map(|s| progress.get(&(*id, s.clone())))
            .collect();
        if !mine.is_empty() {
            f.started += 1;
        }
        if !courses.is_empty()
            && mine.iter().filter(|p| p.completed_at.is_some()).count() == courses.len()
        {
            f.completed += 1;
        }
    }
    f.post_passed = state
        .store
        .track_post_passed(
            ctx.org(),
            &c.track_slug,
            &members.iter().map(|m| m.0).collect::<Vec<_>>(),
        )
        .await?;
    Ok(f)
}

/// GET /o/{org}/cohorts/{id}
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let cohort = state.store.cohort(ctx.org(), id).await?;
    let (courses, members, progress) = track_and_progress(&state, &ctx, &cohort).await?;
    let titles: HashMap<String, String> = state
        .store
        .courses(ctx.org())
        .await?
        .into_iter()
        .map(|c| (c.slug, c.title))
        .collect();
    let members = members
        .into_iter()
        .map(|(pid, name)| {
            let cells: Vec<(i64, bool)> = courses
                .iter()
                .map(|s| {
                    progress
                        .get(&(pid, s.clone()))
                        .map_or((0, false), |p| (p.percent(), p.completed_at.is_some()))
                })
                .collect();
            MemberRow {
                id: pid,
                name,
                done: cells.iter().filter(|c| c.1).count(),
                cells,
            }
        })
        .collect();
    let slug = &ctx.member.org.slug;
    let page = Page::org(&ctx, &csrf.0, "progress-cohort")
        .titled(cohort.name.clone())
        .with_notice(q.done.as_deref());
    render(ShowPage {
        page,
        courses: courses
            .iter()
            .map(|s| {
                (
                    learn_href(slug, s, None),
                    titles.get(s).cloned().unwrap_or_else(|| s.clone()),
                )
            })
            .collect(),
        cohort,
        members,
    })
}
