//! Quizzes and track tests: start an attempt, answer, see feedback that explains why; the
//! instructors' queue of short-text answers. Grading itself is `somu_content::grade`.

use super::learn::{published, record_completions};
use super::{org_slug, statement, with_notice};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use somu_content::grade::{self, Graded, OptionFeedback, Response as Answer, Verdict};
use somu_content::{Question, QuestionKind};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_domain::FieldError;
use somu_store::catalogue::TrackEntry;
use somu_store::learning::{AttemptRow, NewAnswer, Submission};

/// A quiz or a track test, ready to take or show.
pub(crate) struct Assessment {
    /// `quiz` or `test`.
    pub(crate) kind: &'static str,
    /// Statement kind.
    pub(crate) activity: ActivityKind,
    /// `course/module` or `track/pre|post`.
    pub(crate) key: String,
    /// Title.
    pub(crate) title: String,
    /// Pass mark in percent.
    pub(crate) pass_mark: u8,
    /// Questions in order.
    pub(crate) questions: Vec<Question>,
    /// Course version (quizzes).
    pub(crate) version: Option<i64>,
    /// Registration of the version (quizzes); tests get one per attempt.
    pub(crate) registration: Option<String>,
    /// The enclosing activity.
    pub(crate) parent: (ActivityKind, String),
    /// The page of this quiz or test (without attempt id).
    pub(crate) url: String,
    /// Rules shown above the questions (the exam's time limit and attempts), if any.
    pub(crate) about: Option<String>,
    /// Attempts a learner may take (a quiz's `attempts`); none = unlimited.
    pub(crate) max_attempts: Option<i64>,
}

async fn load_quiz(
    state: &AppState,
    ctx: &OrgCtx,
    slug: &str,
    module: &str,
) -> AppResult<Assessment> {
    let p = published(state, ctx.org(), slug).await?;
    let (quiz, questions) = state.store.quiz(ctx.org(), p.version.id, module).await?;
    let about = quiz.max_attempts.map(|n| {
        crate::i18n::Tr::new(&ctx.principal.locale)
            .ta("learning-quiz-attempts-rule", &[("count", n.into())])
    });
    Ok(Assessment {
        kind: "quiz",
        activity: ActivityKind::Quiz,
        key: format!("{slug}/{module}"),
        title: quiz.title,
        pass_mark: u8::try_from(quiz.pass_mark).unwrap_or(100),
        questions,
        version: Some(p.version.id),
        registration: Some(p.version.registration),
        parent: (ActivityKind::Course, slug.to_string()),
        url: format!("/o/{}/learn/courses/{slug}/{module}/quiz", org_slug(ctx)),
        about,
        max_attempts: quiz.max_attempts,
    })
}

async fn load_test(
    state: &AppState,
    ctx: &OrgCtx,
    track: &str,
    phase: &str,
) -> AppResult<(Assessment, TrackEntry)> {
    if phase != "pre" && phase != "post" {
        return Err(AppError::NotFound);
    }
    let t = state.store.track_by_slug(ctx.org(), track).await?;
    let questions: Vec<Question> = state
        .store
        .track_test(ctx.org(), track)
        .await?
        .into_iter()
        .map(|(_, q)| q)
        .collect();
    let title = ctx_title(ctx, phase, &t.title);
    Ok((
        Assessment {
            kind: "test",
            activity: ActivityKind::Test,
            key: format!("{track}/{phase}"),
            title,
            pass_mark: u8::try_from(t.pass_mark).unwrap_or(100),
            questions,
            version: None,
            registration: None,
            parent: (ActivityKind::Track, track.to_string()),
            url: format!("/o/{}/learn/tracks/{track}/{phase}", org_slug(ctx)),
            about: None,
            max_attempts: None,
        },
        t,
    ))
}

fn ctx_title(ctx: &OrgCtx, phase: &str, track: &str) -> String {
    let tr = crate::i18n::Tr::new(&ctx.principal.locale);
    format!("{}: {track}", tr.t(&format!("learning-test-{phase}")))
}

/// One question as shown in the form.
pub struct QuestionView {
    /// Position from 0 (the field name is `q{n}`).
    pub n: usize,
    /// `single`, `multiple`, `true_false`, `ordering` or `short_text`.
    pub kind: String,
    /// Prompt as HTML.
    pub prompt: String,
    /// Options in display order: (index in the package, text).
    pub options: Vec<(usize, String)>,
    /// Field error, if the last submission was refused here.
    pub error: Option<String>,
}

/// One question's result.
pub struct ResultView {
    /// Prompt as HTML.
    pub prompt: String,
    /// What the learner answered, in words.
    pub answer: String,
    /// `correct`, `incorrect` or `pending`.
    pub verdict: String,
    /// Explanations.
    pub feedback: Vec<OptionFeedback>,
}

fn question_views(a: &Assessment, seed: i64, errors: &[FieldError]) -> Vec<QuestionView> {
    a.questions
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let order: Vec<usize> = if q.kind == QuestionKind::Ordering {
                grade::shuffled(q.options.len(), seed as u64 ^ n as u64)
            } else {
                (0..q.options.len()).collect()
            };
            QuestionView {
                n,
                kind: q.kind.as_str().to_string(),
                prompt: somu_content::render_markdown(&q.prompt),
                options: order
                    .into_iter()
                    .filter_map(|i| q.options.get(i).map(|o| (i, o.text.clone())))
                    .collect(),
                error: errors
                    .iter()
                    .find(|e| e.field == format!("q{n}"))
                    .map(|e| e.message.clone()),
            }
        })
        .collect()
}

/// Read the learner's answers from the form body; every problem is named by question.
pub(crate) fn parse_answers(a: &Assessment, body: &[u8]) -> Result<Vec<Answer>, Vec<FieldError>> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for (n, q) in a.questions.iter().enumerate() {
        let field = format!("q{n}");
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == field)
            .map(|(_, v)| v.as_str())
            .collect();
        let parsed = match q.kind {
            QuestionKind::ShortText => Ok(Answer::Text(values.concat())),
            QuestionKind::Ordering => {
                let mut ranked = Vec::new();
                let mut bad = None;
                for i in 0..q.options.len() {
                    let name = format!("{field}-{i}");
                    let rank = pairs
                        .iter()
                        .find(|(k, _)| *k == name)
                        .and_then(|(_, v)| v.trim().parse::<usize>().ok());
                    match rank {
                        Some(r) => ranked.push((r, i)),
                        None => {
                            bad = Some(format!(
                                "give every item a place from 1 to {}",
                                q.options.len()
                            ))
                        }
                    }
                }
                ranked.sort_unstable();
                let ranks: Vec<usize> = ranked.iter().map(|(r, _)| *r).collect();
                if bad.is_none() && ranks != (1..=q.options.len()).collect::<Vec<_>>() {
                    bad = Some(format!(
                        "use each place from 1 to {} exactly once",
                        q.options.len()
                    ));
                }
                match bad {
                    Some(m) => Err(m),
                    None => Ok(Answer::Order(ranked.into_iter().map(|(_, i)| i).collect())),
                }
            }
            _ => values
                .iter()
                .map(|v| v.parse::<usize>())
                .collect::<Result<Vec<_>, _>>()
                .map(Answer::Choices)
                .map_err(|_| "choose one of the options".to_string()),
        };
        match parsed.and_then(|r| grade::grade(q, &r).map(|_| r).map_err(|e| e.to_string())) {
            Ok(r) => answers.push(r),
            Err(m) => errors.push(FieldError::new(&field, "invalid", m)),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

#[derive(Template)]
#[template(path = "learning/assessment.html")]
struct AssessmentPage {
    page: Page,
    about: Option<String>,
    url: String,
    pass_mark: u8,
    count: usize,
    attempts: Vec<AttemptRow>,
    open: Option<i64>,
    back: String,
    can_start: bool,
    blocked: Option<String>,
}

pub(crate) async fn home_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    a: &Assessment,
    back: String,
    blocked: Option<String>,
    notice: Option<&str>,
) -> AppResult<Html<String>> {
    let attempts = state
        .store
        .attempts(ctx.org(), ctx.member.person_id, a.kind, &a.key)
        .await?;
    let open = attempts.iter().find(|t| t.status == "open").map(|t| t.id);
    let page = Page::org(ctx, csrf, "learning-quiz-title").titled(a.title.clone());
    let blocked = blocked.or_else(|| {
        (open.is_none() && used_up(a, &attempts)).then(|| page.t("learning-quiz-attempts-used"))
    });
    render(AssessmentPage {
        page: with_notice(page, notice),
        about: a.about.clone(),
        url: a.url.clone(),
        pass_mark: a.pass_mark,
        count: a.questions.len(),
        can_start: blocked.is_none() && !a.questions.is_empty(),
        attempts,
        open,
        back,
        blocked,
    })
}

/// GET /o/{org}/learn/courses/{slug}/{module}/quiz
pub async fn quiz_home(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module)): Path<(String, String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let a = load_quiz(&state, &ctx, &slug, &module).await?;
    let back = format!("/o/{}/learn/courses/{slug}", org_slug(&ctx));
    home_page(&state, &ctx, &csrf.0, &a, back, None, q.done.as_deref()).await
}

pub(crate) async fn start(state: &AppState, ctx: &OrgCtx, a: &Assessment) -> AppResult<Redirect> {
    if a.questions.is_empty() {
        return Err(AppError::Conflict("this has no questions yet".into()));
    }
    let me = ctx.member.person_id;
    let existing = state.store.attempts(ctx.org(), me, a.kind, &a.key).await?;
    if let Some(open) = existing.iter().find(|t| t.status == "open") {
        return Ok(Redirect::to(&format!("{}/{}", a.url, open.id)));
    }
    if used_up(a, &existing) {
        return Err(AppError::Conflict(
            "every attempt this quiz allows has been taken; ask your programme owner if you need another"
                .into(),
        ));
    }
    let now = state.clock.now();
    let registration = a.registration.clone().unwrap_or_else(random_uuid);
    let seed = (now ^ (me.0 << 20) ^ existing.len() as i64) & 0x7fff_ffff;
    let st = statement(
        me,
        Verb::Attempted,
        a.activity,
        &a.key,
        &a.title,
        Some((a.parent.0, &a.parent.1)),
        &registration,
        Outcome::default(),
        now,
    );
    let id = state
        .store
        .start_attempt(
            ctx.org(),
            me,
            a.kind,
            &a.key,
            a.version,
            &registration,
            seed,
            &[st],
            now,
        )
        .await?;
    Ok(Redirect::to(&format!("{}/{id}", a.url)))
}

/// Whether the closed attempts have reached the assessment's limit.
fn used_up(a: &Assessment, attempts: &[AttemptRow]) -> bool {
    a.max_attempts
        .is_some_and(|max| attempts.iter().filter(|t| t.status != "open").count() as i64 >= max)
}

/// A registration id for a test attempt: a random (version 4) UUID.
fn random_uuid() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]) & 0x0fff,
        (u16::from_be_bytes([b[8], b[9]]) & 0x3fff) | 0x8000,
        u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
    )
}

/// POST /o/{org}/learn/courses/{slug}/{module}/quiz
pub async fn quiz_start(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug, module)): Path<(String, String, String)>,
) -> AppResult<Redirect> {
    let a = load_quiz(&state, &ctx, &slug, &module).await?;
    start(&state, &ctx, &a).await
}

#[derive(Template)]
#[template(path = "learning/attempt.html")]
struct AttemptPage {
    page: Page,
    about: Option<String>,
    url: String,
    attempt: AttemptRow,
    questions: Vec<QuestionView>,
    results: Vec<ResultView>,
    pass_mark: u8,
    percent: i64,
    next: Option<String>,
    has_errors: bool,
}

pub(crate) async fn mine(
    state: &AppState,
    ctx: &OrgCtx,
    a: &Assessment,
    id: i64,
) -> AppResult<AttemptRow> {
    let t = state.store.attempt(ctx.org(), id).await?;
    if t.person_id != ctx.member.person_id.0 || t.kind != a.kind || t.key != a.key {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

pub(crate) async fn attempt_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    a: &Assessment,
    t: AttemptRow,
    errors: Vec<FieldError>,
    next: Option<String>,
) -> AppResult<Response> {
    let results = if t.status == "open" {
        Vec::new()
    } else {
        let answers = state.store.answers(ctx.org(), t.id).await?;
        answers
            .iter()
            .filter_map(|ans| {
                let q = a.questions.iter().find(|q| q.id == ans.question_id)?;
                let response = Answer::decode(q.kind, &ans.response);
                let graded = grade::grade(q, &response).ok();
                Some(ResultView {
                    prompt: somu_content::render_markdown(&q.prompt),
                    answer: describe(q, &response),
                    verdict: ans.verdict.clone(),
                    feedback: graded.map(|g| g.feedback).unwrap_or_default(),
                })
            })
            .collect()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let questions = if t.status == "open" {
        question_views(a, t.seed, &errors)
    } else {
        Vec::new()
    };
    let page = Page::org(ctx, csrf, "learning-quiz-title").titled(a.title.clone());
    let html = render(AttemptPage {
        about: (t.status == "open").then(|| a.about.clone()).flatten(),
        has_errors: !errors.is_empty(),
        page,
        url: a.url.clone(),
        percent: (t.scaled.unwrap_or(0.0) * 100.0).round() as i64,
        attempt: t,
        questions,
        results,
        pass_mark: a.pass_mark,
        next,
    })?;
    Ok((status, html).into_response())
}

fn describe(q: &Question, r: &Answer) -> String {
    let text = |i: &usize| {
        q.options
            .get(*i)
            .map(|o| o.text.clone())
            .unwrap_or_default()
    };
    match r {
        Answer::Choices(v) => v.iter().map(text).collect::<Vec<_>>().join("; "),
        Answer::Order(v) => v
            .iter()
            .enumerate()
            .map(|(n, i)| format!("{}. {}", n + 1, text(i)))
            .collect::<Vec<_>>()
            .join(" "),
        Answer::Text(t) => t.clone(),
    }
}

/// GET /o/{org}/learn/courses/{slug}/{module}/quiz/{id}
pub async fn quiz_attempt(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module, id)): Path<(String, String, String, i64)>,
) -> AppResult<Response> {
    let a = load_quiz(&state, &ctx, &slug, &module).await?;
    let t = mine(&state, &ctx, &a, id).await?;
    let next = next_after_quiz(&state, &ctx, &slug, &module).await?;
    attempt_page(&state, &ctx, &csrf.0, &a, t, vec![], next).await
}

/// The first lesson of the next module, or the course page.
async fn next_after_quiz(
    state: &AppState,
    ctx: &OrgCtx,
    slug: &str,
    module: &str,
) -> AppResult<Option<String>> {
    let p = published(state, ctx.org(), slug).await?;
    let org = org_slug(ctx);
    let at = p.lessons.iter().rposition(|l| l.module_slug == module);
    Ok(Some(match at.and_then(|i| p.lessons.get(i + 1)) {
        Some(n) => format!("/o/{org}/learn/courses/{slug}/{}/{}", n.module_slug, n.slug),
        None => format!("/o/{org}/learn/courses/{slug}"),
    }))
}

/// Grade a submission and record it; returns the attempt as closed.
pub(crate) async fn submit(
    state: &AppState,
    ctx: &OrgCtx,
    a: &Assessment,
    t: &AttemptRow,
    answers: &[Answer],
) -> AppResult<()> {
    let me = ctx.member.person_id;
    let now = state.clock.now();
    let mut graded: Vec<Graded> = Vec::new();
    let mut rows = Vec::new();
    let mut stmts: Vec<NewStatement> = Vec::new();
    for (q, r) in a.questions.iter().zip(answers) {
        let g = grade::grade(q, r).map_err(|e| AppError::BadRequest(e.to_string()))?;
        rows.push(NewAnswer {
            question_id: q.id.clone(),
            response: r.encode(),
            verdict: g.verdict.code().to_string(),
            score: g.score,
        });
        stmts.push(answered(me, a, &t.registration, q, &r.encode(), &g, now));
        graded.push(g);
    }
    let s = grade::score(&graded, a.questions.len(), a.pass_mark);
    let totals = totals_of(&s, now);
    if let Some(passed) = s.passed {
        stmts.push(result_statement(me, a, &t.registration, &s, passed, now));
    }
    state
        .store
        .submit_attempt(ctx.org(), t, &rows, &totals, &stmts)
        .await?;
    Ok(())
}

pub(crate) fn totals_of(s: &grade::Scored, at: i64) -> Submission {
    Submission {
        status: s.status().to_string(),
        points: s.points,
        max_points: s.max,
        scaled: s.scaled,
        at,
    }
}

fn answered(
    me: PersonId,
    a: &Assessment,
    reg: &str,
    q: &Question,
    response: &str,
    g: &Graded,
    now: i64,
) -> NewStatement {
    statement(
        me,
        Verb::Answered,
        ActivityKind::Question,
        &format!("{}/{}", a.key, q.id),
        &q.id,
        Some((a.activity, &a.key)),
        reg,
        Outcome {
            scaled: (g.verdict != Verdict::Pending).then_some(g.score),
            success: g.verdict.success(),
            response: Some(response.to_string()),
            ..Outcome::default()
        },
        now,
    )
}

pub(crate) fn result_statement(
    me: PersonId,
    a: &Assessment,
    reg: &str,
    s: &grade::Scored,
    passed: bool,
    now: i64,
) -> NewStatement {
    statement(
        me,
        if passed { Verb::Passed } else { Verb::Failed },
        a.activity,
        &a.key,
        &a.title,
        Some((a.parent.0, &a.parent.1)),
        reg,
        Outcome {
            scaled: Some(s.scaled),
            raw: Some(s.points),
            max: Some(s.max),
            success: Some(passed),
            completion: Some(true),
            ..Outcome::default()
        },
        now,
    )
}

/// POST /o/{org}/learn/courses/{slug}/{module}/quiz/{id}
pub async fn quiz_submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, module, id)): Path<(String, String, String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let a = load_quiz(&state, &ctx, &slug, &module).await?;
    let t = mine(&state, &ctx, &a, id).await?;
    if let Some(r) = refuse_closed(&t) {
        return Err(r);
    }
    match parse_answers(&a, &body) {
        Err(errors) => attempt_page(&state, &ctx, &csrf.0, &a, t, errors, None).await,
        Ok(answers) => {
            submit(&state, &ctx, &a, &t, &answers).await?;
            let p = published(&state, ctx.org(), &slug).await?;
            record_completions(
                &state,
                ctx.org(),
                ctx.member.person_id,
                &p,
                state.clock.now(),
            )
            .await?;
            Ok(Redirect::to(&format!("{}/{id}", a.url)).into_response())
        }
    }
}

pub(crate) fn refuse_closed(t: &AttemptRow) -> Option<AppError> {
    (t.status != "open").then(|| {
        AppError::Conflict(
            "this attempt is already closed, so its answers cannot change; start a new attempt"
                .into(),
        )
    })
}

#[derive(Template)]
#[template(path = "learning/track.html")]
struct TrackPage {
    page: Page,
    track: TrackEntry,
    courses: Vec<(String, String, bool)>,
    items: usize,
    pre: Option<AttemptRow>,
    post: Option<AttemptRow>,
    gain: Option<i64>,
    completed: bool,
}

fn latest_closed(attempts: &[AttemptRow]) -> Option<AttemptRow> {
    attempts.iter().find(|t| t.status != "open").cloned()
}

/// GET /o/{org}/learn/tracks/{slug}
pub async fn track(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let org = ctx.org();
    let me = ctx.member.person_id;
    let t = state.store.track_by_slug(org, &slug).await?;
    let done = state
        .store
        .done_keys(org, me, "completed", "course", None)
        .await?;
    let all = state.store.courses(org).await?;
    let courses = t
        .courses
        .iter()
        .map(|c| {
            let title = all
                .iter()
                .find(|e| &e.slug == c && e.published_version.is_some())
                .map(|e| e.title.clone())
                .unwrap_or_default();
            (c.clone(), title, done.contains(c))
        })
        .collect();
    let items = state.store.track_test(org, &slug).await?.len();
    let pre = latest_closed(
        &state
            .store
            .attempts(org, me, "test", &format!("{slug}/pre"))
            .await?,
    );
    let post = latest_closed(
        &state
            .store
            .attempts(org, me, "test", &format!("{slug}/post"))
            .await?,
    );
    let gain = match (&pre, &post) {
        (Some(a), Some(b)) => match (a.scaled, b.scaled) {
            (Some(x), Some(y)) => Some(((y - x) * 100.0).round() as i64),
            _ => None,
        },
        _ => None,
    };
    let completed = state
        .store
        .done_keys(org, me, "completed", "track", None)
        .await?
        .contains(&slug);
    let page = Page::org(&ctx, &csrf.0, "learning-track-title").titled(t.title.clone());
    render(TrackPage {
        page: with_notice(page, q.done.as_deref()),
        track: t,
        courses,
        items,
        pre,
        post,
        gain,
        completed,
    })
}

/// POST /o/{org}/learn/tracks/{slug}/{phase}: start the pre-test (once) or a post-test.
pub async fn test_start(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, slug, phase)): Path<(String, String, String)>,
) -> AppResult<Redirect> {
    let (a, _) = load_test(&state, &ctx, &slug, &phase).await?;
    if phase == "pre" {
        let done = state
            .store
            .attempts(ctx.org(), ctx.member.person_id, "test", &a.key)
            .await?;
        if done.iter().any(|t| t.status != "open") {
            return Err(AppError::Conflict(
                "the pre-test is taken once, before the track; take the post-test at the end"
                    .into(),
            ));
        }
    }
    start(&state, &ctx, &a).await
}

/// GET /o/{org}/learn/tracks/{slug}/{phase}/{id}
pub async fn test_attempt(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, phase, id)): Path<(String, String, String, i64)>,
) -> AppResult<Response> {
    let (a, _) = load_test(&state, &ctx, &slug, &phase).await?;
    let t = mine(&state, &ctx, &a, id).await?;
    let back = Some(format!("/o/{}/learn/tracks/{slug}", org_slug(&ctx)));
    attempt_page(&state, &ctx, &csrf.0, &a, t, vec![], back).await
}

/// POST /o/{org}/learn/tracks/{slug}/{phase}/{id}
pub async fn test_submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, slug, phase, id)): Path<(String, String, String, i64)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let (a, _) = load_test(&state, &ctx, &slug, &phase).await?;
    let t = mine(&state, &ctx, &a, id).await?;
    if let Some(r) = refuse_closed(&t) {
        return Err(r);
    }
    match parse_answers(&a, &body) {
        Err(errors) => attempt_page(&state, &ctx, &csrf.0, &a, t, errors, None).await,
        Ok(answers) => {
            submit(&state, &ctx, &a, &t, &answers).await?;
            Ok(Redirect::to(&format!("{}/{id}", a.url)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "learning/grading.html")]
struct GradingPage {
    page: Page,
    items: Vec<GradingItem>,
}

/// One answer in the grading queue.
pub struct GradingItem {
    /// The attempt.
    pub attempt: i64,
    /// Position of the question.
    pub position: i64,
    /// Who.
    pub person: String,
    /// Quiz or test key.
    pub key: String,
    /// Prompt as HTML.
    pub prompt: String,
    /// Rubric.
    pub rubric: String,
    /// The answer.
    pub response: String,
}

async fn questions_of(state: &AppState, org: OrgId, t: &AttemptRow) -> AppResult<Vec<Question>> {
    Ok(match (t.kind.as_str(), t.version_id) {
        ("quiz", Some(v)) => {
            let module = t.key.split('/').nth(1).unwrap_or_default();
            state.store.quiz(org, v, module).await?.1
        }
        _ => {
            let track = t.key.split('/').next().unwrap_or_default();
            state
                .store
                .track_test(org, track)
                .await?
                .into_iter()
                .map(|(_, q)| q)
                .collect()
        }
    })
}

/// GET /o/{org}/learn/grading
pub async fn grading(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let mut items = Vec::new();
    for p in state.store.pending_answers(ctx.org()).await? {
        let t = state.store.attempt(ctx.org(), p.attempt_id).await?;
        let qs = questions_of(&state, ctx.org(), &t).await?;
        let q = qs.iter().find(|q| q.id == p.question_id);
        items.push(GradingItem {
            attempt: p.attempt_id,
            position: p.position,
            person: p.person_name,
            key: p.key,
            prompt: q
                .map(|q| somu_content::render_markdown(&q.prompt))
                .unwrap_or_default(),
            rubric: q.and_then(|q| q.rubric.clone()).unwrap_or_default(),
            response: p.response,
        });
    }
    let page = Page::org(&ctx, &csrf.0, "learning-grading-title");
    render(GradingPage {
        page: with_notice(page, q.done.as_deref()),
        items,
    })
}

/// The grading form.
#[derive(Deserialize)]
pub struct GradeForm {
    /// Question position in the attempt.
    position: i64,
    /// `correct` or `incorrect`.
    verdict: String,
}

/// POST /o/{org}/learn/grading/{id}
pub async fn grade(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<GradeForm>,
) -> AppResult<Redirect> {
    let right = match f.verdict.as_str() {
        "correct" => true,
        "incorrect" => false,
        other => {
            return Err(AppError::field(
                "verdict",
                "unknown-value",
                format!("\"{other}\" is not one of: correct, incorrect"),
            ))
        }
    };
    let org = ctx.org();
    let t = state.store.attempt(org, id).await?;
    let answers = state.store.answers(org, id).await?;
    let ans = answers
        .iter()
        .find(|a| a.position == f.position)
        .ok_or_else(|| AppError::field("position", "unknown", "no such answer in this attempt"))?;
    if ans.verdict != "pending" {
        return Err(AppError::Conflict("this answer is already graded".into()));
    }
    let qs = questions_of(&state, org, &t).await?;
    let q = qs
        .iter()
        .find(|q| q.id == ans.question_id)
        .ok_or(AppError::NotFound)?;
    let a = match (t.kind.as_str(), t.version_id) {
        ("quiz", Some(_)) => {
            let mut parts = t.key.splitn(2, '/');
            let (slug, module) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            load_quiz_for(&state, org, slug, module, &t).await?
        }
        _ => {
            let mut parts = t.key.splitn(2, '/');
            let (track, phase) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let tr = state.store.track_by_slug(org, track).await?;
            Assessment {
                kind: "test",
                activity: ActivityKind::Test,
                key: t.key.clone(),
                title: format!("{} ({phase})", tr.title),
                pass_mark: u8::try_from(tr.pass_mark).unwrap_or(100),
                questions: qs.clone(),
                version: None,
                registration: None,
                parent: (ActivityKind::Track, track.to_string()),
                url: String::new(),
                about: None,
                max_attempts: None,
            }
        }
    };
    let now = state.clock.now();
    let learner = PersonId(t.person_id);
    let g = grade::instructor_grade(q, right);
    let mut stmts = vec![answered(
        learner,
        &a,
        &t.registration,
        q,
        &ans.response,
        &g,
        now,
    )];
    let mut graded: Vec<Graded> = answers
        .iter()
        .map(|x| {
            let verdict = if x.position == f.position {
                g.verdict
            } else {
                Verdict::from_code(&x.verdict)
            };
            Graded {
                verdict,
                score: if verdict == Verdict::Correct {
                    1.0
                } else {
                    0.0
                },
                feedback: vec![],
                rubric: None,
            }
        })
        .collect();
    graded.truncate(a.questions.len().max(answers.len()));
    let s = grade::score(&graded, a.questions.len(), a.pass_mark);
    let finish = s.passed.map(|passed| {
        stmts.push(result_statement(
            learner,
            &a,
            &t.registration,
            &s,
            passed,
            now,
        ));
        totals_of(&s, now)
    });
    state
        .store
        .grade_answer(
            org,
            id,
            f.position,
            right,
            ctx.member.person_id,
            now,
            finish.as_ref(),
            &stmts,
        )
        .await?;
    if a.kind == "quiz" {
        if let Ok(p) = published(&state, org, &a.parent.1).await {
            record_completions(&state, org, learner, &p, now).await?;
        }
    }
    audit(
        &state,
        &ctx,
        "learning.grade",
        &format!("attempt/{id}/{}", f.position),
        &f.verdict,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/learn/grading?done=graded",
        org_slug(&ctx)
    )))
}

async fn load_quiz_for(
    state: &AppState,
    org: OrgId,
    slug: &str,
    module: &str,
    t: &AttemptRow,
) -> AppResult<Assessment> {
    let v = t.version_id.ok_or(AppError::NotFound)?;
    let (quiz, questions) = state.store.quiz(org, v, module).await?;
    Ok(Assessment {
        kind: "quiz",
        activity: ActivityKind::Quiz,
        key: t.key.clone(),
        title: quiz.title,
        pass_mark: u8::try_from(quiz.pass_mark).unwrap_or(100),
        questions,
        version: Some(v),
        registration: Some(t.registration.clone()),
        parent: (ActivityKind::Course, slug.to_string()),
        url: String::new(),
        about: None,
        max_attempts: quiz.max_attempts,
    })
}
