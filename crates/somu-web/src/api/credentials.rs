//! Credentials API: whether a person is cleared to post, the organisation's credentials, and
//! the written certification exam (start an attempt, submit answers, read the result).

use crate::access::OrgCtx;
use crate::api::Problem;
use crate::error::AppError;
use crate::error::AppResult;
use crate::extract::Json;
use crate::pages::credentials::exam::{self, Exam, Submitted};
use crate::pages::credentials::{credential_state, CLEARED_TO_POST, OWNERS};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::routing::{get, post};
use axum::Extension;
use serde::{Deserialize, Serialize};
use somu_content::grade::{self, Response as Answer};
use somu_content::QuestionKind;
use somu_domain::access::Access;
use somu_domain::ids::PersonId;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(cleared, list, exam_start, exam_submit, exam_result),
    components(schemas(
        ClearedOut,
        CredentialOut,
        ExamAttemptOut,
        ExamQuestionOut,
        ExamAnswersIn,
        ExamResultOut
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
            "/api/v1/orgs/{org}/people/{id}/cleared",
            Access::STAFF,
            get(cleared),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/credentials",
            OWNERS,
            get(list),
        ),
        r(
            Method::POST,
            "/api/v1/orgs/{org}/programmes/{id}/exam/attempts",
            Access::MEMBER,
            post(exam_start),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}",
            Access::MEMBER,
            get(exam_result),
        ),
        r(
            Method::POST,
            "/api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}",
            Access::MEMBER,
            post(exam_submit),
        ),
    ]
}

/// Whether a person may speak for the organisation on social media.
#[derive(Serialize, ToSchema)]
pub struct ClearedOut {
    /// The person.
    pub person_id: i64,
    /// Holds a current "Cleared to post" credential (issued, not revoked, not expired).
    pub cleared_to_post: bool,
}

/// GET /api/v1/orgs/{org}/people/{id}/cleared
#[utoipa::path(get, path = "/api/v1/orgs/{org}/people/{id}/cleared",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = ClearedOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn cleared(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
) -> AppResult<axum::Json<ClearedOut>> {
    let id = path.1;
    state.store.person(ctx.org(), PersonId(id)).await?;
    let cleared_to_post = state
        .store
        .holds_credential(ctx.org(), PersonId(id), CLEARED_TO_POST, state.clock.now())
        .await?;
    Ok(axum::Json(ClearedOut {
        person_id: id,
        cleared_to_post,
    }))
}

/// A credential.
#[derive(Serialize, ToSchema)]
pub struct CredentialOut {
    /// Number within the organisation.
    pub id: i64,
    /// Public id; the verification page is `/credentials/{uuid}`.
    pub uuid: String,
    /// Holder.
    pub person_id: i64,
    /// Programme id.
    pub programme_id: i64,
    /// `pending`, `issued`, `revoked` or `expired`.
    pub state: String,
    /// Issued (Unix seconds).
    pub issued_at: i64,
    /// Expiry (Unix seconds).
    pub valid_until: Option<i64>,
    /// Why it was revoked.
    pub revoke_reason: String,
}

/// GET /api/v1/orgs/{org}/credentials
#[utoipa::path(get, path = "/api/v1/orgs/{org}/credentials",
    params(("org" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<CredentialOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<axum::Json<Vec<CredentialOut>>> {
    let now = state.clock.now();
    let rows = state.store.credentials(ctx.org(), None, None).await?;
    Ok(axum::Json(
        rows.into_iter()
            .map(|c| CredentialOut {
                state: credential_state(&c, now).into(),
                id: c.id,
                uuid: c.uuid,
                person_id: c.person_id,
                programme_id: c.programme_id,
                issued_at: c.issued_at,
                valid_until: c.valid_until,
                revoke_reason: c.revoke_reason,
            })
            .collect(),
    ))
}

/// One exam question as the API shows it (options in the package's order; for ordering
/// questions, answer with the option indices in the order you put them).
#[derive(Serialize, ToSchema)]
pub struct ExamQuestionOut {
    /// Position (0-based): the index of its answer in `answers`.
    pub n: usize,
    /// Item-bank id.
    pub id: String,
    /// `single`, `multiple`, `true_false` or `ordering`.
    pub kind: String,
    /// The prompt (Markdown).
    pub prompt: String,
    /// Option texts, by index.
    pub options: Vec<String>,
}

/// An exam attempt: its questions while open, its result once closed.
#[derive(Serialize, ToSchema)]
pub struct ExamAttemptOut {
    /// Attempt id.
    pub id: i64,
    /// `open`, `passed` or `failed`.
    pub status: String,
    /// Started (Unix seconds).
    pub started_at: i64,
    /// Answers must arrive by (Unix seconds), if timed.
    pub deadline: Option<i64>,
    /// Minimum score to pass, percent.
    pub pass_mark: u8,
    /// The questions (empty once closed).
    pub questions: Vec<ExamQuestionOut>,
}

/// Answers to an open attempt: one per question, in order; each an array of option indices
/// (the chosen ones; for ordering, every option in the order you put them).
#[derive(Deserialize, ToSchema)]
pub struct ExamAnswersIn {
    /// One array of option indices per question.
    pub answers: Vec<Vec<usize>>,
}

/// The result of a closed attempt.
#[derive(Serialize, ToSchema)]
pub struct ExamResultOut {
    /// Attempt id.
    pub id: i64,
    /// `open`, `passed` or `failed`.
    pub status: String,
    /// Score in percent (none while open).
    pub percent: Option<f64>,
    /// Minimum score to pass, percent.
    pub pass_mark: u8,
    /// Per question: (item-bank id, `correct` or `incorrect`).
    pub answers: Vec<(String, String)>,
    /// The credential this pass issued (uuid; its page is `/credentials/{uuid}`), if any.
    pub credential: Option<String>,
}

fn attempt_out(e: &Exam, t: &somu_store::learning::AttemptRow) -> ExamAttemptOut {
    let a = &e.assessment;
    ExamAttemptOut {
        id: t.id,
        status: t.status.clone(),
        started_at: t.started_at,
        deadline: e.deadline(t.started_at),
        pass_mark: a.pass_mark,
        questions: if t.status == "open" {
            a.questions
                .iter()
                .enumerate()
                .map(|(n, q)| ExamQuestionOut {
                    n,
                    id: q.id.clone(),
                    kind: q.kind.as_str().to_string(),
                    prompt: q.prompt.clone(),
                    options: q.options.iter().map(|o| o.text.clone()).collect(),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// POST /api/v1/orgs/{org}/programmes/{id}/exam/attempts
#[utoipa::path(post, path = "/api/v1/orgs/{org}/programmes/{id}/exam/attempts",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Programme id")),
    responses((status = 200, description = "The new attempt, or the one still open", body = ExamAttemptOut),
        (status = 404, body = Problem), (status = 409, description = "Attempt limit reached, cooling down, or already passed", body = Problem)))]
pub async fn exam_start(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64)>,
) -> AppResult<axum::Json<ExamAttemptOut>> {
    let id = path.1;
    let e = exam::load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    let attempt = exam::begin(&state, &ctx, &e).await?;
    let t = state.store.attempt(ctx.org(), attempt).await?;
    Ok(axum::Json(attempt_out(&e, &t)))
}

/// The answers as the exam form would post them, so the API and the pages check them alike.
fn as_form(e: &Exam, answers: &[Vec<usize>]) -> AppResult<Vec<u8>> {
    let qs = &e.assessment.questions;
    if answers.len() != qs.len() {
        return Err(AppError::field(
            "answers",
            "length",
            format!("give one answer per question: {} answers", qs.len()),
        ));
    }
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (n, (q, a)) in qs.iter().zip(answers).enumerate() {
        if q.kind == QuestionKind::Ordering {
            // The form gives each option its place (1-based).
            grade::grade(q, &Answer::Order(a.clone())).map_err(|err| {
                AppError::field(&format!("answers[{n}]"), "invalid", err.to_string())
            })?;
            for (place, option) in a.iter().enumerate() {
                form.append_pair(&format!("q{n}-{option}"), &(place + 1).to_string());
            }
        } else {
            for option in a {
                form.append_pair(&format!("q{n}"), &option.to_string());
            }
        }
    }
    Ok(form.finish().into_bytes())
}

/// POST /api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}
#[utoipa::path(post, path = "/api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Programme id"),
        ("attempt" = i64, Path, description = "Attempt id")),
    request_body = ExamAnswersIn,
    responses((status = 200, body = ExamResultOut), (status = 404, body = Problem),
        (status = 409, description = "The attempt is closed or its time ran out", body = Problem),
        (status = 422, description = "An answer does not fit its question (named `answers[n]`)", body = Problem)))]
pub async fn exam_submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64, i64)>,
    Json(body): Json<ExamAnswersIn>,
) -> AppResult<axum::Json<ExamResultOut>> {
    let (id, attempt) = (path.1, path.2);
    let e = exam::load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    let form = as_form(&e, &body.answers)?;
    match exam::answer(&state, &ctx, &e, attempt, &form).await? {
        Submitted::Graded(uuid) => result_out(&state, &ctx, &e, attempt, uuid).await,
        Submitted::Invalid(errors) => Err(AppError::Invalid(somu_domain::FieldErrors(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = format!("answers[{}]", f.field.trim_start_matches('q'));
                    f
                })
                .collect(),
        ))),
    }
}

async fn result_out(
    state: &AppState,
    ctx: &OrgCtx,
    e: &Exam,
    attempt: i64,
    issued: Option<String>,
) -> AppResult<axum::Json<ExamResultOut>> {
    let t = crate::pages::learning::assess::mine(state, ctx, &e.assessment, attempt).await?;
    let answers = state.store.answers(ctx.org(), t.id).await?;
    let credential = match issued {
        Some(u) => Some(u),
        None if t.status == "passed" => state
            .store
            .credentials(ctx.org(), Some(ctx.member.person_id), Some(e.programme.id))
            .await?
            .into_iter()
            .find(|c| c.state == "issued" && c.revoked_at.is_none())
            .map(|c| c.uuid),
        None => None,
    };
    Ok(axum::Json(ExamResultOut {
        id: t.id,
        percent: t.scaled.map(|s| (s * 1000.0).round() / 10.0),
        status: t.status,
        pass_mark: e.assessment.pass_mark,
        answers: answers
            .into_iter()
            .map(|a| (a.question_id, a.verdict))
            .collect(),
        credential,
    }))
}

/// GET /api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}
#[utoipa::path(get, path = "/api/v1/orgs/{org}/programmes/{id}/exam/attempts/{attempt}",
    params(("org" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Programme id"),
        ("attempt" = i64, Path, description = "Attempt id")),
    responses((status = 200, body = ExamResultOut), (status = 404, body = Problem)))]
pub async fn exam_result(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, i64, i64)>,
) -> AppResult<axum::Json<ExamResultOut>> {
    let (id, attempt) = (path.1, path.2);
    let e = exam::load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    exam::close_overdue(&state, ctx.org(), &e, ctx.member.person_id).await?;
    result_out(&state, &ctx, &e, attempt, None).await
}
