//! The learner's side: my surveys (open ones first) and the answer form.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, when, Done};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use somu_domain::surveys::{check_answers, Question, QuestionKind};
use somu_domain::FieldError;
use somu_store::surveys::{Refusal, SendRow};
use std::collections::BTreeMap;

/// A survey in a list.
pub struct SendView {
    id: i64,
    title: String,
    about: String,
    wave: String,
    closes: String,
    answered: bool,
}

fn send_view(page: &Page, s: &SendRow) -> SendView {
    SendView {
        id: s.id,
        title: s.title.clone(),
        about: format!(
            "{}: {}",
            page.tk("surveys-kind", &s.object_kind),
            s.object_key
        ),
        wave: page.tk("surveys-wave", s.wave),
        closes: when(&s.closes_at),
        answered: s.answered_at.is_some(),
    }
}

#[derive(Template)]
#[template(path = "surveys/mine.html")]
struct MinePage {
    page: Page,
    open: Vec<SendView>,
    past: Vec<SendView>,
}

/// GET /o/{org}/surveys
pub async fn mine(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "surveys-title").with_notice(q.done.as_deref());
    let now = state.clock.now();
    let sends = state
        .store
        .my_surveys(ctx.org(), ctx.member.person_id)
        .await?;
    let (open, past): (Vec<&SendRow>, Vec<&SendRow>) = sends.iter().partition(|s| s.is_open(now));
    render(MinePage {
        open: open.iter().map(|s| send_view(&page, s)).collect(),
        past: past.iter().map(|s| send_view(&page, s)).collect(),
        page,
    })
}

/// One choice of a scale question.
pub struct Choice {
    value: u8,
    label: String,
    checked: bool,
}

/// A question on the form.
pub struct QuestionView {
    n: usize,
    text: String,
    kind: &'static str,
    required: bool,
    choices: Vec<Choice>,
    value: String,
    error: Option<String>,
}

fn label(page: &Page, kind: QuestionKind, v: u8) -> String {
    let id = match (kind, v) {
        (QuestionKind::Likert, _) => format!("surveys-likert-{v}"),
        (QuestionKind::Rating, 1 | 5) => format!("surveys-rating-{v}"),
        (QuestionKind::Nps, 0 | 10) => format!("surveys-nps-{v}"),
        _ => return v.to_string(),
    };
    page.t(&id)
}

fn question_views(
    page: &Page,
    questions: &[Question],
    raw: &BTreeMap<String, String>,
    errors: &[FieldError],
) -> Vec<QuestionView> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let field = format!("q{}", i + 1);
            let value = raw.get(&field).cloned().unwrap_or_default();
            QuestionView {
                n: i + 1,
                text: q.text.clone(),
                kind: q.kind.code(),
                required: q.required,
                choices: q
                    .kind
                    .scale()
                    .map(|(lo, hi)| {
                        (lo..=hi)
                            .map(|v| Choice {
                                value: v,
                                label: label(page, q.kind, v),
                                checked: value.trim() == v.to_string(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                error: errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone()),
                value,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "surveys/form.html")]
struct FormPage {
    page: Page,
    send: SendView,
    questions: Vec<QuestionView>,
    errors: Vec<FieldError>,
    open: bool,
    note: String,
}

async fn form_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &str,
    id: i64,
    raw: &BTreeMap<String, String>,
    errors: Vec<FieldError>,
) -> AppResult<Html<String>> {
    let send = state
        .store
        .my_survey(ctx.org(), ctx.member.person_id, id)
        .await?;
    let page = Page::org(ctx, csrf, "surveys-title").titled(send.title.clone());
    let min_group = state.store.survey_settings(ctx.org()).await?.min_group;
    render(FormPage {
        questions: question_views(&page, &send.question_list(), raw, &errors),
        send: send_view(&page, &send),
        open: send.is_open(state.clock.now()),
        errors,
        note: page.tr.ta(
            "surveys-anonymous-note",
            &[("min", crate::i18n::FluentArg::Num(min_group as f64))],
        ),
        page,
    })
}

/// GET /o/{org}/surveys/{id}
pub async fn form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    form_page(&state, &ctx, &csrf.0, id, &BTreeMap::new(), Vec::new()).await
}

/// Record answers: checked against the questions as sent, one answer per send, not after closing.
pub async fn record(
    state: &AppState,
    ctx: &OrgCtx,
    id: i64,
    raw: &BTreeMap<String, String>,
) -> AppResult<()> {
    let send = state
        .store
        .my_survey(ctx.org(), ctx.member.person_id, id)
        .await?;
    let answers = check_answers(&send.question_list(), raw).map_err(AppError::Invalid)?;
    match state
        .store
        .answer_survey(
            ctx.org(),
            ctx.member.person_id,
            id,
            &answers,
            state.clock.now(),
        )
        .await?
    {
        Ok(()) => {
            // The audit names the survey send, never the answers.
            audit(
                state,
                ctx,
                "survey.answer",
                &format!("survey_send:{id}"),
                "",
            )
            .await
        }
        Err(Refusal::Answered) => Err(AppError::Conflict(ctx_tr(ctx).t("surveys-err-answered"))),
        Err(Refusal::Closed) => Err(AppError::Conflict(ctx_tr(ctx).t("surveys-err-closed"))),
    }
}

fn ctx_tr(ctx: &OrgCtx) -> crate::i18n::Tr {
    crate::i18n::Tr::new(&ctx.principal.locale)
}

/// POST /o/{org}/surveys/{id}
pub async fn submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let raw: BTreeMap<String, String> = fields.into_iter().filter(|(k, _)| k != "csrf").collect();
    match record(&state, &ctx, id, &raw).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/o/{}/surveys?done=surveys-answered",
            ctx.member.org.slug
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let html = form_page(&state, &ctx, &csrf.0, id, &raw, errors.0).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(e),
    }
}
