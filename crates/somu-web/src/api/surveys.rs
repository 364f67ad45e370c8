//! Surveys API: the caller's surveys, answering one, and the anonymous aggregated results (the
//! minimum group size applies exactly as on the page).

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Json, Query};
use crate::pages::surveys::results::{
    compute, ResultsQuery, SurveyGroupOut, SurveyQuestionOut, SurveyResultsOut, SurveyScoreCount,
};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_domain::access::Access;
use somu_domain::FieldErrors;
use std::collections::BTreeMap;
use utoipa::{OpenApi, ToSchema};

use super::Problem;

#[derive(OpenApi)]
#[openapi(
    paths(my_surveys, answer, results),
    components(schemas(
        MySurveyOut,
        SurveyQuestionIn,
        AnswersBody,
        SurveyResultsOut,
        SurveyGroupOut,
        SurveyQuestionOut,
        SurveyScoreCount
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
            "/api/v1/orgs/{org}/surveys/mine",
            Access::MEMBER,
            get(my_surveys),
        ),
        r(
            Method::POST,
            "/api/v1/orgs/{org}/surveys/{id}/answers",
            Access::MEMBER,
            post(answer),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/surveys/results",
            Access::STAFF,
            get(results),
        ),
    ]
}

/// A question of a survey sent to the caller.
#[derive(Serialize, ToSchema)]
pub struct SurveyQuestionIn {
    /// Field to answer it in: `q1`, `q2`, …
    pub field: String,
    /// The question.
    pub text: String,
    /// `rating` (1–5), `nps` (0–10), `likert` (1–5) or `text`.
    pub kind: String,
    /// Must be answered.
    pub required: bool,
}

/// A survey sent to the caller.
#[derive(Serialize, ToSchema)]
pub struct MySurveyOut {
    /// Id (for answering).
    pub id: i64,
    /// Title.
    pub title: String,
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Still takes an answer.
    pub open: bool,
    /// Already answered.
    pub answered: bool,
    /// Closes at (Unix seconds).
    pub closes_at: i64,
    /// The questions.
    pub questions: Vec<SurveyQuestionIn>,
}

/// The caller's surveys, open ones first.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/surveys/mine", params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = [MySurveyOut]), (status = 401, body = Problem)))]
pub async fn my_surveys(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<MySurveyOut>>> {
    let now = state.clock.now();
    let mut out: Vec<MySurveyOut> = state
        .store
        .my_surveys(ctx.org(), ctx.member.person_id)
        .await?
        .into_iter()
        .map(|s| MySurveyOut {
            open: s.is_open(now),
            answered: s.answered_at.is_some(),
            questions: s
                .question_list()
                .into_iter()
                .enumerate()
                .map(|(i, q)| SurveyQuestionIn {
                    field: format!("q{}", i + 1),
                    text: q.text,
                    kind: q.kind.code().into(),
                    required: q.required,
                })
                .collect(),
            id: s.id,
            title: s.title,
            object_kind: s.object_kind,
            object_key: s.object_key,
            wave: s.wave,
            closes_at: s.closes_at,
        })
        .collect();
    out.sort_by_key(|s| !s.open);
    Ok(axum::Json(out))
}

/// Answers to a survey.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    /// By field (`q1`, `q2`, …): a number for scale questions, a string for text questions.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// Answer one of the caller's surveys, once. Refused with the field named (`answers.q2`) when
/// an answer is missing or out of range; 409 when already answered or closed; 404 for a survey
/// that is not the caller's.
#[utoipa::path(post, path = "/api/v1/orgs/{org}/surveys/{id}/answers",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Survey id")),
    request_body = AnswersBody,
    responses((status = 204, description = "Recorded anonymously"), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
    Json(b): Json<AnswersBody>,
) -> AppResult<StatusCode> {
    let id = path.1;
    let raw: BTreeMap<String, String> = b
        .answers
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, s)
        })
        .collect();
    match crate::pages::surveys::record(&state, &ctx, id, &raw).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(AppError::Invalid(errs)) => Err(AppError::Invalid(FieldErrors(
            errs.0
                .into_iter()
                .map(|mut e| {
                    e.field = format!("answers.{}", e.field);
                    e
                })
                .collect(),
        ))),
        Err(e) => Err(e),
    }
}

/// Aggregated, anonymous results. A group with fewer responses than the organisation's minimum
/// group size has `shown: false` and nothing but its count.
#[utoipa::path(get, path = "/api/v1/orgs/{org}/surveys/results", params(("org" = String, Path, description = "Organisation slug"), ResultsQuery),
    responses((status = 200, body = SurveyResultsOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn results(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<axum::Json<SurveyResultsOut>> {
    let f = q.filter()?;
    Ok(axum::Json(compute(&state.store, ctx.org(), &f).await?))
}
