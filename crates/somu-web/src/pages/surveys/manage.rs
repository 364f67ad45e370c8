//! The programme owner's side: templates (copy one of Somu's, edit title and questions), which
//! survey goes out at which wave for each track and course, and the organisation's settings
//! (minimum group size, reminder delay, how long a survey stays open).

use super::{planned, resolve, shipped_form};
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
use somu_domain::surveys::{
    check_form, Question, QuestionKind, SurveyForm, MAX_QUESTIONS, SHIPPED, WAVES,
};
use somu_domain::{FieldError, FieldErrors};
use somu_store::surveys::{PlanRow, Settings};
use std::collections::BTreeMap;

/// A template in a list or a select.
pub struct TemplateView {
    reference: String,
    title: String,
    questions: usize,
    edit: Option<i64>,
}

/// One select of the plan table.
pub struct PlanCell {
    name: String,
    label: String,
    selected: String,
}

/// A track or course row of the plan table.
pub struct PlanLine {
    label: String,
    cells: Vec<PlanCell>,
}

#[derive(Template)]
#[template(path = "surveys/manage.html")]
struct ManagePage {
    page: Page,
    shipped: Vec<TemplateView>,
    own: Vec<TemplateView>,
    lines: Vec<PlanLine>,
    waves: Vec<String>,
    settings: Settings,
}

/// GET /o/{org}/surveys/manage
pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "surveys-manage").with_notice(q.done.as_deref());
    let org = ctx.org();
    let store = &state.store;
    let shipped = SHIPPED
        .iter()
        .filter_map(|s| {
            shipped_form(&page.tr, s.code).map(|f| TemplateView {
                reference: s.code.into(),
                title: f.title,
                questions: f.questions.len(),
                edit: None,
            })
        })
        .collect();
    let own = store
        .survey_templates(org)
        .await?
        .into_iter()
        .map(|t| TemplateView {
            reference: format!("t{}", t.id),
            questions: t.form().questions.len(),
            title: t.title,
            edit: Some(t.id),
        })
        .collect();
    let plans = store.survey_plans(org).await?;
    let mut objects: Vec<(String, String, String)> = store
        .tracks(org)
        .await?
        .into_iter()
        .map(|t| ("track".to_string(), t.slug, t.title))
        .collect();
    objects.extend(
        store
            .courses(org)
            .await?
            .into_iter()
            .map(|c| ("course".to_string(), c.slug, c.title)),
    );
    let lines = objects
        .into_iter()
        .map(|(kind, key, title)| PlanLine {
            label: format!("{}: {title}", page.tk("surveys-kind", &kind)),
            cells: WAVES
                .iter()
                .map(|w| PlanCell {
                    name: format!("p:{kind}:{key}:{w}"),
                    label: format!("{title}, {}", page.tk("surveys-wave", w)),
                    selected: planned(&plans, &kind, &key, *w),
                })
                .collect(),
        })
        .collect();
    render(ManagePage {
        waves: WAVES.iter().map(|w| page.tk("surveys-wave", w)).collect(),
        settings: store.survey_settings(org).await?,
        shipped,
        own,
        lines,
        page,
    })
}

fn int_field(
    fields: &BTreeMap<String, String>,
    name: &str,
    lo: i64,
    hi: i64,
    errs: &mut Vec<FieldError>,
) -> i64 {
    match fields.get(name).map(|s| s.trim().parse::<i64>()) {
        Some(Ok(n)) if (lo..=hi).contains(&n) => n,
        _ => {
            errs.push(FieldError::new(
                name,
                "out-of-range",
                format!("{name} takes a whole number from {lo} to {hi}."),
            ));
            lo
        }
    }
}

/// POST /o/{org}/surveys/manage/settings
pub async fn save_settings(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> AppResult<Redirect> {
    let mut errs = Vec::new();
    let s = Settings {
        min_group: int_field(&fields, "min_group", 2, 100, &mut errs),
        remind_days: int_field(&fields, "remind_days", 1, 60, &mut errs),
        open_days: int_field(&fields, "open_days", 7, 180, &mut errs),
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(FieldErrors(errs)));
    }
    state.store.set_survey_settings(ctx.org(), s).await?;
    audit(
        &state,
        &ctx,
        "survey.settings",
        "survey_settings",
        &format!(
            "min_group={} remind_days={} open_days={}",
            s.min_group, s.remind_days, s.open_days
        ),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/surveys/manage?done=surveys-saved",
        ctx.member.org.slug
    )))
}

/// POST /o/{org}/surveys/manage/plans: every `p:<kind>:<key>:<wave>` select.
pub async fn save_plans(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let org = ctx.org();
    let tr = crate::i18n::Tr::new(&ctx.principal.locale);
    let mut rows = Vec::new();
    let mut errs = Vec::new();
    for (name, value) in &fields {
        let Some(rest) = name.strip_prefix("p:") else {
            continue;
        };
        let parts: Vec<&str> = rest.split(':').collect();
        let parsed = match parts.as_slice() {
            [kind @ ("track" | "course"), key, wave] => wave
                .parse::<u8>()
                .ok()
                .filter(|w| WAVES.contains(w))
                .map(|w| (kind.to_string(), key.to_string(), w)),
            _ => None,
        };
        let Some((kind, key, wave)) = parsed else {
            errs.push(FieldError::new(name, "invalid", "Unknown plan field."));
            continue;
        };
        if !value.is_empty() && resolve(&state.store, &tr, org, value).await?.is_none() {
            errs.push(FieldError::new(name, "invalid", "No such survey template."));
            continue;
        }
        rows.push(PlanRow {
            object_kind: kind,
            object_key: key,
            wave: i64::from(wave),
            template: value.clone(),
        });
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(FieldErrors(errs)));
    }
    for row in &rows {
        state.store.set_survey_plan(org, row).await?;
    }
    audit(
        &state,
        &ctx,
        "survey.plans",
        "survey_plan",
        &format!("{} entries", rows.len()),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/surveys/manage?done=surveys-saved",
        ctx.member.org.slug
    )))
}

/// The copy form.
#[derive(serde::Deserialize)]
pub struct CopyForm {
    /// A shipped code or `t<id>`.
    pub from: String,
}

/// POST /o/{org}/surveys/manage/templates: copy a template, then edit the copy.
pub async fn copy_template(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(f): Form<CopyForm>,
) -> AppResult<Redirect> {
    let tr = crate::i18n::Tr::new(&ctx.principal.locale);
    let form = resolve(&state.store, &tr, ctx.org(), &f.from)
        .await?
        .ok_or_else(|| AppError::field("from", "invalid", "No such survey template."))?;
    let based_on = if f.from.starts_with('t') { "" } else { &f.from };
    let id = state
        .store
        .create_survey_template(ctx.org(), &form, based_on, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "survey.template.create",
        &format!("survey_template:{id}"),
        &form.title,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/surveys/manage/templates/{id}",
        ctx.member.org.slug
    )))
}

/// A question row on the edit form.
pub struct QuestionRow {
    n: usize,
    text: String,
    kind: &'static str,
    required: bool,
}

#[derive(Template)]
#[template(path = "surveys/template.html")]
struct EditPage {
    page: Page,
    id: i64,
    title: String,
    rows: Vec<QuestionRow>,
    kinds: Vec<(&'static str, String)>,
    errors: Vec<FieldError>,
}

fn edit_page(
    ctx: &OrgCtx,
    csrf: &str,
    id: i64,
    form: &SurveyForm,
    errors: Vec<FieldError>,
    notice: Option<&str>,
) -> AppResult<Html<String>> {
    let page = Page::org(ctx, csrf, "surveys-edit").with_notice(notice);
    let mut rows: Vec<QuestionRow> = form
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| QuestionRow {
            n: i + 1,
            text: q.text.clone(),
            kind: q.kind.code(),
            required: q.required,
        })
        .collect();
    let blank = (form.questions.len() + 3).min(MAX_QUESTIONS);
    for n in rows.len() + 1..=blank {
        rows.push(QuestionRow {
            n,
            text: String::new(),
            kind: "rating",
            required: false,
        });
    }
    render(EditPage {
        kinds: QuestionKind::ALL
            .iter()
            .map(|k| (k.code(), page.tk("surveys-qkind", k.code())))
            .collect(),
        title: form.title.clone(),
        id,
        rows,
        errors,
        page,
    })
}

/// GET /o/{org}/surveys/manage/templates/{id}
pub async fn edit_template(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let t = state.store.survey_template(ctx.org(), id).await?;
    edit_page(&ctx, &csrf.0, id, &t.form(), Vec::new(), q.done.as_deref())
}

/// Read the edit form: `title`, `q<n>-text`, `q<n>-kind`, `q<n>-required`; an empty text
/// drops the question.
pub fn parse_template(fields: &BTreeMap<String, String>) -> Result<SurveyForm, FieldErrors> {
    let mut errs = Vec::new();
    let mut questions = Vec::new();
    for n in 1..=MAX_QUESTIONS + 1 {
        let text = fields
            .get(&format!("q{n}-text"))
            .map(|s| s.trim())
            .unwrap_or("");
        if text.is_empty() {
            continue;
        }
        let kind_field = format!("q{n}-kind");
        let Some(kind) = fields.get(&kind_field).and_then(|k| QuestionKind::parse(k)) else {
            errs.push(FieldError::new(
                kind_field,
                "invalid",
                "The type is rating, nps, likert or text.",
            ));
            continue;
        };
        questions.push(Question {
            text: text.to_string(),
            kind,
            required: fields.contains_key(&format!("q{n}-required")),
        });
    }
    let form = SurveyForm {
        title: fields.get("title").map(|s| s.trim()).unwrap_or("").into(),
        questions,
    };
    if let Err(e) = check_form(&form) {
        errs.extend(e.0);
    }
    if errs.is_empty() {
        Ok(form)
    } else {
        Err(FieldErrors(errs))
    }
}

/// POST /o/{org}/surveys/manage/templates/{id}
pub async fn save_template(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Path((_, id)): Path<(String, i64)>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    state.store.survey_template(ctx.org(), id).await?;
    let form = match parse_template(&fields) {
        Ok(f) => f,
        Err(e) => {
            // Show what was typed with the problems named.
            let shown = SurveyForm {
                title: fields.get("title").cloned().unwrap_or_default(),
                questions: (1..=MAX_QUESTIONS)
                    .filter_map(|n| {
                        let text = fields.get(&format!("q{n}-text"))?.trim();
                        (!text.is_empty()).then(|| Question {
                            text: text.to_string(),
                            kind: fields
                                .get(&format!("q{n}-kind"))
                                .and_then(|k| QuestionKind::parse(k))
                                .unwrap_or(QuestionKind::Text),
                            required: fields.contains_key(&format!("q{n}-required")),
                        })
                    })
                    .collect(),
            };
            let html = edit_page(&ctx, &csrf.0, id, &shown, e.0, None)?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    state
        .store
        .update_survey_template(ctx.org(), id, &form, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "survey.template.update",
        &format!("survey_template:{id}"),
        &form.title,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/surveys/manage/templates/{id}?done=surveys-template-saved",
        ctx.member.org.slug
    ))
    .into_response())
}
