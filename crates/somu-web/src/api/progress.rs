//! Progress API: assignments, the caller's learning plan, and the programme report.

use crate::access::OrgCtx;
use crate::error::AppResult;
use crate::extract::Json;
use crate::pages::progress::{today, AssignForm, OWNERS};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::access::Access;
use somu_domain::time_util::format_date;
use utoipa::{OpenApi, ToSchema};

use super::Problem;

#[derive(OpenApi)]
#[openapi(
    paths(list_assignments, create_assignment, my_plan, programme),
    components(schemas(
        AssignmentOut,
        AssignmentBody,
        CreatedOut,
        PlanItemOut,
        CourseOut,
        FunnelOut,
        GroupOut,
        ProgrammeOut
    ))
)]
struct Doc;

/// This area's part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// This area's API routes.
pub fn routes() -> Vec<RouteDef> {
    vec![
        r(
            Method::GET,
            "/api/v1/orgs/{org}/assignments",
            OWNERS,
            get(list_assignments),
        ),
        r(
            Method::POST,
            "/api/v1/orgs/{org}/assignments",
            OWNERS,
            post(create_assignment),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/learn",
            Access::MEMBER,
            get(my_plan),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/progress",
            OWNERS,
            get(programme),
        ),
    ]
}

/// An assignment.
#[derive(Serialize, ToSchema)]
pub struct AssignmentOut {
    /// Id.
    pub id: i64,
    /// `track` or `course`.
    pub kind: String,
    /// Track or course slug.
    pub target: String,
    /// Title.
    pub title: String,
    /// `everyone`, `audience`, `team` or `people`.
    pub scope: String,
    /// Audience code or team id.
    pub scope_value: String,
    /// Mandatory.
    pub mandatory: bool,
    /// `none`, `fixed`, `start` or `assigned`.
    pub due: String,
    /// Fixed due date.
    pub due_date: Option<String>,
    /// Days for relative due dates.
    pub due_days: Option<i64>,
}

/// A new assignment.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AssignmentBody {
    /// `track:<slug>` or `course:<slug>`.
    pub target: String,
    /// `everyone`, `audience`, `team` or `people`.
    pub scope: String,
    /// Audience code, for `audience`.
    pub audience: String,
    /// Team id, for `team`.
    pub team: Option<i64>,
    /// Emails or employee ids, for `people`.
    pub people: Vec<String>,
    /// Mandatory (default false).
    pub mandatory: bool,
    /// `none` (default), `fixed`, `start` or `assigned`.
    pub due: String,
    /// `YYYY-MM-DD`, for `fixed`.
    pub due_date: String,
    /// Days, for `start` and `assigned`.
    pub due_days: Option<i64>,
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct CreatedOut {
    /// Id.
    pub id: i64,
}

/// Current assignments.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/assignments", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [AssignmentOut]), (status = 403, body = Problem)))]
pub async fn list_assignments(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<AssignmentOut>>> {
    let rows = state.store.assignments(ctx.org()).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|a| AssignmentOut {
                id: a.id,
                kind: a.kind,
                target: a.target,
                title: a.title,
                scope: a.scope,
                scope_value: a.scope_value,
                mandatory: a.mandatory,
                due: a.due_kind,
                due_date: a.due_date,
                due_days: a.due_days,
            })
            .collect(),
    ))
}

/// Assign a track or course. Refused with the field named: unknown target, a fixed due date in
/// the past, an empty or unknown list of people.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/assignments", params(("org" = String, Path, description = "Organisation slug")), request_body = AssignmentBody,
    responses((status = 201, body = CreatedOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_assignment(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Json(b): Json<AssignmentBody>,
) -> AppResult<(StatusCode, axum::Json<CreatedOut>)> {
    let form = AssignForm {
        target: b.target,
        scope: b.scope,
        audience: b.audience,
        team: b.team.map(|t| t.to_string()).unwrap_or_default(),
        people: b.people.join(","),
        mandatory: b.mandatory.then(|| "yes".to_string()),
        due: b.due,
        due_date: b.due_date,
        due_days: b.due_days.map(|d| d.to_string()).unwrap_or_default(),
    };
    let id = crate::pages::progress::create_assignment(&state, &ctx, &form).await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedOut { id })))
}

/// A course within a plan item.
#[derive(Serialize, ToSchema)]
pub struct CourseOut {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Percent of lessons done (100 when completed).
    pub percent: i64,
    /// Completed.
    pub completed: bool,
    /// Minutes spent.
    pub minutes: i64,
}

/// One assignment in the caller's plan.
#[derive(Serialize, ToSchema)]
pub struct PlanItemOut {
    /// Assignment id.
    pub assignment: i64,
    /// Title.
    pub title: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Due date for the caller.
    pub due: Option<String>,
    /// `overdue`, `in-progress`, `not-started` or `done`.
    pub standing: String,
    /// Courses, in order.
    pub courses: Vec<CourseOut>,
    /// Where to resume: a lesson key or course slug.
    pub resume: Option<String>,
}

/// The caller's assignments, mandatory first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/learn", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [PlanItemOut])))]
pub async fn my_plan(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<PlanItemOut>>> {
    state.store.project_progress(ctx.org()).await?;
    let plan = state
        .store
        .learner_plan(ctx.org(), ctx.member.person_id, today(&state))
        .await?;
    Ok(axum::Json(
        plan.items
            .into_iter()
            .map(|i| PlanItemOut {
                assignment: i.assignment.id,
                title: i.assignment.title,
                mandatory: i.assignment.mandatory,
                due: i.due.map(format_date),
                standing: i.standing.code().into(),
                resume: i.resume.map(|(c, l)| l.unwrap_or(c)),
                courses: i
                    .courses
                    .iter()
                    .map(|c| CourseOut {
                        slug: c.slug.clone(),
                        title: c.title.clone(),
                        percent: c.percent(),
                        completed: c.completed_at.is_some(),
                        minutes: c.minutes(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// Completion funnel counts.
#[derive(Serialize, ToSchema)]
pub struct FunnelOut {
    /// People with an assignment.
    pub assigned: i64,
    /// Who started.
    pub started: i64,
    /// Who completed everything assigned.
    pub completed: i64,
    /// Who also passed a track post-test.
    pub post_passed: i64,
}

/// A group's funnel.
#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    /// Audience code or team name.
    pub name: String,
    /// The funnel.
    pub funnel: FunnelOut,
}

/// The programme report.
#[derive(Serialize, ToSchema)]
pub struct ProgrammeOut {
    /// Everyone.
    pub funnel: FunnelOut,
    /// By audience.
    pub by_audience: Vec<GroupOut>,
    /// By team.
    pub by_team: Vec<GroupOut>,
}

fn funnel(f: somu_domain::progress::Funnel) -> FunnelOut {
    FunnelOut {
        assigned: f.assigned,
        started: f.started,
        completed: f.completed,
        post_passed: f.post_passed,
    }
}

/// The completion funnel over current assignments, by audience and team.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/progress", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = ProgrammeOut), (status = 403, body = Problem)))]
pub async fn programme(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<ProgrammeOut>> {
    state.store.project_progress(ctx.org()).await?;
    let r = state.store.programme_report(ctx.org()).await?;
    let groups = |g: Vec<somu_store::progress::GroupFunnel>| {
        g.into_iter()
            .map(|g| GroupOut {
                name: g.name,
                funnel: funnel(g.funnel),
            })
            .collect()
    };
    Ok(axum::Json(ProgrammeOut {
        funnel: funnel(r.funnel),
        by_audience: groups(r.by_audience),
        by_team: groups(r.by_team),
    }))
}
