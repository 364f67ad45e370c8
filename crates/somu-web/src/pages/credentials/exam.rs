//! The written certification exam a learner takes in Somu: questions from the organisation's
//! item bank (the programme's exam items), an optional time limit, attempt limit and
//! cool-down, the score against the programme's minimum, and the credential issued when the
//! pass completes the last requirement (the same path as a capstone pass).
//!
//! Attempts are learning attempts of kind `exam` keyed by the programme slug: the learning
//! area's attempt pages, answer parsing and grading (`somu_content::grade`) are reused, and
//! the statements (attempted, answered, passed/failed with the programme slug as object) are
//! what the requirement logic reads. Short-text items are left out of exams: an exam is graded
//! at once, so its result and the credential never wait for an instructor.

use super::{check_and_issue, record_issue, steps_of};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::pages::learning::assess::{self, Assessment};
use crate::pages::{audit, when, Done};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use somu_content::grade::Scored;
use somu_content::QuestionKind;
use somu_domain::certification::{exam_block, exam_pass_mark, ClosedAttempt, ExamBlock};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::ActivityKind;
use somu_store::credentials::exam::ExamSettings;
use somu_store::credentials::Programme;
use somu_store::learning::AttemptRow;

/// Attempt kind of exam attempts.
pub const KIND: &str = "exam";

/// Seconds after the time limit in which a submission is still taken (the trip to the server).
const GRACE: i64 = 60;

/// A programme's exam, ready to take.
pub struct Exam {
    /// The programme.
    pub programme: Programme,
    /// Its exam settings.
    pub settings: ExamSettings,
    /// The questions and pass mark, as the learning pages take them.
    pub(crate) assessment: Assessment,
}

impl Exam {
    /// When an attempt started at `started` must be submitted by, if timed.
    pub fn deadline(&self, started: i64) -> Option<i64> {
        self.settings.minutes.map(|m| started + m * 60)
    }
}

/// The exam of programme `id` in `org`: not found when the programme has no exam step or no
/// exam settings, a conflict when the item bank holds none of its questions.
pub async fn load(state: &AppState, org: OrgId, org_slug: &str, id: i64) -> AppResult<Exam> {
    let programme = state.store.programme(org, id).await?;
    let pass_mark = exam_pass_mark(&steps_of(&programme)?).ok_or(AppError::NotFound)?;
    let settings = state
        .store
        .exam_settings(org, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions: Vec<_> = state
        .store
        .bank_questions(org, &settings.item_ids())
        .await?
        .into_iter()
        .filter(|q| q.kind != QuestionKind::ShortText)
        .collect();
    let rules = rules_text(&settings, questions.len(), pass_mark);
    let assessment = Assessment {
        kind: KIND,
        activity: ActivityKind::Exam,
        key: programme.slug.clone(),
        title: format!("{}: written exam", programme.title),
        pass_mark,
        questions,
        version: None,
        registration: None,
        parent: (ActivityKind::Programme, programme.slug.clone()),
        url: format!("/o/{org_slug}/programmes/{id}/exam"),
        about: Some(rules),
        // The exam enforces its own limits, with a cool-down (see `blocked`).
        max_attempts: None,
    };
    Ok(Exam {
        programme,
        settings,
        assessment,
    })
}

fn rules_text(s: &ExamSettings, questions: usize, pass_mark: u8) -> String {
    let mut out = format!("{questions} questions; pass with at least {pass_mark}%.");
    match s.minutes {
        Some(m) => out.push_str(&format!(" Time limit: {m} minutes from the start.")),
        None => out.push_str(" No time limit."),
    }
    if let Some(n) = s.max_attempts {
        out.push_str(&format!(" At most {n} attempts."));
    }
    if let Some(h) = s.cooldown_hours {
        out.push_str(&format!(
            " After a failed attempt, wait {h} hours before the next."
        ));
    }
    out
}

fn closed(attempts: &[AttemptRow]) -> Vec<ClosedAttempt> {
    attempts
        .iter()
        .filter(|t| t.status != "open")
        .map(|t| ClosedAttempt {
            passed: t.status == "passed",
            at: t.submitted_at.unwrap_or(t.started_at),
        })
        .collect()
}

/// Why `person` cannot start an attempt now, in words.
pub fn block_text(b: ExamBlock) -> String {
    match b {
        ExamBlock::Passed => "You have passed this exam.".into(),
        ExamBlock::NoAttemptsLeft { max } => format!(
            "You have used all {max} attempts at this exam; a programme owner can tell you what \
             comes next."
        ),
        ExamBlock::CoolingDown { until } => format!(
            "Your last attempt did not pass. You can start the next one from {}.",
            when(&until)
        ),
    }
}

/// Close `person`'s open attempts whose time ran out (failed, with the answers they had not
/// submitted counted wrong). Returns the attempts as they are now.
pub async fn close_overdue(
    state: &AppState,
    org: OrgId,
    exam: &Exam,
    person: PersonId,
) -> AppResult<Vec<AttemptRow>> {
    let a = &exam.assessment;
    let attempts = state.store.attempts(org, person, KIND, &a.key).await?;
    let now = state.clock.now();
    let mut changed = false;
    for t in attempts.iter().filter(|t| t.status == "open") {
        if exam.deadline(t.started_at).is_some_and(|d| now > d + GRACE) {
            let s = Scored {
                points: 0.0,
                max: a.questions.len() as f64,
                scaled: 0.0,
                pending: 0,
                passed: Some(false),
            };
            let st = assess::result_statement(person, a, &t.registration, &s, false, now);
            match state
                .store
                .submit_attempt(org, t, &[], &assess::totals_of(&s, now), &[st])
                .await
            {
                Ok(()) | Err(somu_store::StoreError::Conflict(_)) => changed = true,
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(if changed {
        state.store.attempts(org, person, KIND, &a.key).await?
    } else {
        attempts
    })
}

/// Whether `person` may start a new attempt now (`None`) or why not.
pub async fn blocked(state: &AppState, exam: &Exam, attempts: &[AttemptRow]) -> Option<ExamBlock> {
    exam_block(
        &closed(attempts),
        exam.settings.max_attempts,
        exam.settings.cooldown_hours,
        state.clock.now(),
    )
}

/// GET /o/{org}/programmes/{id}/exam: the rules, the learner's attempts, start or continue.
pub async fn home(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let exam = load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    let attempts = close_overdue(&state, ctx.org(), &exam, ctx.member.person_id).await?;
    let block = blocked(&state, &exam, &attempts).await.map(block_text);
    let back = format!("/o/{}/programmes/{id}", ctx.member.org.slug);
    assess::home_page(
        &state,
        &ctx,
        &csrf.0,
        &exam.assessment,
        back,
        block,
        q.done.as_deref(),
    )
    .await
}

/// Start an attempt for the signed-in member (or return the open one). Refused with the reason
/// when the rules do not allow a new attempt now.
pub async fn begin(state: &AppState, ctx: &OrgCtx, exam: &Exam) -> AppResult<i64> {
    let attempts = close_overdue(state, ctx.org(), exam, ctx.member.person_id).await?;
    if let Some(open) = attempts.iter().find(|t| t.status == "open") {
        return Ok(open.id);
    }
    if let Some(b) = blocked(state, exam, &attempts).await {
        return Err(AppError::Conflict(block_text(b)));
    }
    let _open = assess::start(state, ctx, &exam.assessment).await?;
    let now_open = state
        .store
        .attempts(ctx.org(), ctx.member.person_id, KIND, &exam.assessment.key)
        .await?;
    let t = now_open
        .iter()
        .find(|t| t.status == "open")
        .ok_or_else(|| AppError::Internal("the exam attempt did not start".into()))?;
    audit(
        state,
        ctx,
        "exam.start",
        &format!("attempt/{}", t.id),
        &exam.programme.slug,
    )
    .await?;
    Ok(t.id)
}

/// POST /o/{org}/programmes/{id}/exam: start an attempt.
pub async fn start(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Redirect> {
    let exam = load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    let attempt = begin(&state, &ctx, &exam).await?;
    Ok(Redirect::to(&format!("{}/{attempt}", exam.assessment.url)))
}

/// The exam with the rules line of an open attempt naming its deadline.
fn for_attempt(mut exam: Exam, t: &AttemptRow) -> Exam {
    if let (Some(d), "open") = (exam.deadline(t.started_at), t.status.as_str()) {
        exam.assessment.about = Some(format!(
            "Submit by {}: answers that arrive later are not counted. {}",
            when(&d),
            exam.assessment.about.unwrap_or_default()
        ));
    }
    exam
}

/// GET /o/{org}/programmes/{id}/exam/{attempt}: the questions of an open attempt, or the
/// result with feedback on every answer.
pub async fn attempt(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id, attempt)): Path<(String, i64, i64)>,
) -> AppResult<Response> {
    let exam = load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    close_overdue(&state, ctx.org(), &exam, ctx.member.person_id).await?;
    let t = assess::mine(&state, &ctx, &exam.assessment, attempt).await?;
    let exam = for_attempt(exam, &t);
    let back = Some(format!("/o/{}/programmes/{id}", ctx.member.org.slug));
    assess::attempt_page(&state, &ctx, &csrf.0, &exam.assessment, t, vec![], back).await
}

/// What submitting answers did.
pub enum Submitted {
    /// The answers were graded and recorded; the credential issued, if this completed it.
    Graded(Option<String>),
    /// The answers do not fit the questions (nothing recorded).
    Invalid(Vec<somu_domain::FieldError>),
}

/// Grade and record answers to an open attempt of the signed-in member (refused once the
/// attempt is closed or its time ran out), then issue the credential if every requirement is
/// now met.
pub async fn answer(
    state: &AppState,
    ctx: &OrgCtx,
    exam: &Exam,
    attempt: i64,
    body: &[u8],
) -> AppResult<Submitted> {
    let org = ctx.org();
    let me = ctx.member.person_id;
    close_overdue(state, org, exam, me).await?;
    let t = assess::mine(state, ctx, &exam.assessment, attempt).await?;
    if t.status != "open" {
        let late = exam
            .deadline(t.started_at)
            .is_some_and(|d| t.submitted_at.unwrap_or(0) > d);
        return Err(AppError::Conflict(if late {
            "the time for this attempt ran out, so it was closed and these answers were not \
             counted; start a new attempt when the rules allow"
                .into()
        } else {
            "this attempt is already closed, so its answers cannot change; start a new attempt \
             when the rules allow"
                .into()
        }));
    }
    let answers = match assess::parse_answers(&exam.assessment, body) {
        Ok(a) => a,
        Err(errors) => return Ok(Submitted::Invalid(errors)),
    };
    assess::submit(state, ctx, &exam.assessment, &t, &answers).await?;
    let after = state.store.attempt(org, t.id).await?;
    audit(
        state,
        ctx,
        "exam.submit",
        &format!("attempt/{}", t.id),
        &format!(
            "{} {}%",
            after.status,
            (after.scaled.unwrap_or(0.0) * 100.0).round()
        ),
    )
    .await?;
    let issued = check_and_issue(state, org, &exam.programme, me).await?;
    if let Some(uuid) = &issued {
        record_issue(state, ctx, &exam.programme, me, uuid).await?;
    }
    Ok(Submitted::Graded(issued))
}

/// POST /o/{org}/programmes/{id}/exam/{attempt}: submit the answers.
pub async fn submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id, attempt)): Path<(String, i64, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let exam = load(&state, ctx.org(), &ctx.member.org.slug, id).await?;
    match answer(&state, &ctx, &exam, attempt, &body).await? {
        Submitted::Graded(_) => {
            Ok(Redirect::to(&format!("{}/{attempt}", exam.assessment.url)).into_response())
        }
        Submitted::Invalid(errors) => {
            let t = assess::mine(&state, &ctx, &exam.assessment, attempt).await?;
            let exam = for_attempt(exam, &t);
            assess::attempt_page(&state, &ctx, &csrf.0, &exam.assessment, t, errors, None).await
        }
    }
}
