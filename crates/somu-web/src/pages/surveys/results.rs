//! Anonymous survey results per track or course, wave, survey and completion month: means, NPS,
//! distributions (SVG bar chart beside a table, and CSV) and shuffled comments. A group with
//! fewer responses than the organisation's minimum group size shows its count and nothing else.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::analytics::chart::{Chart, Kind, Series};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::Extension;
use somu_domain::ids::OrgId;
use somu_domain::surveys::{aggregate, nps, shown, Answer, Question, QuestionKind, WAVES};
use somu_store::surveys::{ResponseFilter, ResponseRow};
use somu_store::Store;
use std::collections::BTreeMap;

/// Which results to show; every part is optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// `track` or `course`.
    pub kind: Option<String>,
    /// Track or course slug.
    pub key: Option<String>,
    /// Weeks after completion: 0, 6 or 12.
    pub wave: Option<String>,
    /// Completion month, `YYYY-MM`.
    pub cohort: Option<String>,
    /// `kind:key` in one (the page's select), used when `kind` and `key` are not given.
    pub object: Option<String>,
}

fn some(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl ResultsQuery {
    /// The store filter, or the field that is wrong.
    pub fn filter(&self) -> Result<ResponseFilter, AppError> {
        let (mut kind, mut key) = (some(&self.kind), some(&self.key));
        if let (None, None, Some(o)) = (&kind, &key, some(&self.object)) {
            let (k, v) = o.split_once(':').ok_or_else(|| {
                AppError::field(
                    "object",
                    "invalid",
                    "object is kind:slug, e.g. track:practitioner.",
                )
            })?;
            (kind, key) = (Some(k.to_string()), Some(v.to_string()));
        }
        if kind
            .as_deref()
            .is_some_and(|k| k != "track" && k != "course")
        {
            return Err(AppError::field(
                "kind",
                "invalid",
                "kind is track or course.",
            ));
        }
        let wave = match some(&self.wave) {
            None => None,
            Some(w) => match w.parse::<u8>() {
                Ok(n) if WAVES.contains(&n) => Some(i64::from(n)),
                _ => {
                    return Err(AppError::field(
                        "wave",
                        "invalid",
                        "wave is 0, 6 or 12 (weeks after completion).",
                    ))
                }
            },
        };
        Ok(ResponseFilter {
            object_kind: kind,
            object_key: key,
            wave,
            cohort: some(&self.cohort),
        })
    }
}

/// How many gave one score.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SurveyScoreCount {
    /// The score.
    pub score: u8,
    /// How many gave it.
    pub count: usize,
}

/// The aggregate of one question.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SurveyQuestionOut {
    /// Position, from 1.
    pub number: usize,
    /// The question.
    pub text: String,
    /// `rating`, `nps`, `likert` or `text`.
    pub kind: String,
    /// How many answered it.
    pub answered: usize,
    /// Mean score (scale questions).
    pub mean: Option<f64>,
    /// NPS: % promoters (9–10) − % detractors (0–6).
    pub nps: Option<f64>,
    /// How many gave each score.
    pub distribution: Vec<SurveyScoreCount>,
    /// Comments, without names, shuffled.
    pub comments: Vec<String>,
}

/// One survey's results in one group.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SurveyGroupOut {
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Template reference.
    pub template: String,
    /// Survey title.
    pub title: String,
    /// Responses in the group.
    pub responses: usize,
    /// Whether the group is large enough to show; when not, everything below is empty.
    pub shown: bool,
    /// Mean of every rating (1–5) answer.
    pub mean_rating: Option<f64>,
    /// NPS over every recommendation (0–10) answer.
    pub nps: Option<f64>,
    /// Per question.
    pub questions: Vec<SurveyQuestionOut>,
}

/// Aggregated, anonymous survey results.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SurveyResultsOut {
    /// The organisation's minimum group size.
    pub min_group: i64,
    /// Responses matching the filter.
    pub responses: usize,
    /// Per track or course, wave and survey.
    pub groups: Vec<SurveyGroupOut>,
}

fn scores(qs: &[Question], answers: &[Vec<Option<Answer>>], kind: QuestionKind) -> Vec<u8> {
    let mut out = Vec::new();
    for a in answers {
        for (q, ans) in qs.iter().zip(a) {
            if let (true, Some(Answer::Score(s))) = (q.kind == kind, ans) {
                out.push(*s);
            }
        }
    }
    out
}

/// Compute the results for `f` in an organisation.
pub async fn compute(
    store: &Store,
    org: OrgId,
    f: &ResponseFilter,
) -> somu_store::Result<SurveyResultsOut> {
    let min = store.survey_settings(org).await?.min_group;
    let rows = store.survey_responses(org, f).await?;
    type Key = (String, String, i64, String, String, String);
    let mut groups: BTreeMap<Key, Vec<&ResponseRow>> = BTreeMap::new();
    for r in &rows {
        groups
            .entry((
                r.object_kind.clone(),
                r.object_key.clone(),
                r.wave,
                r.template.clone(),
                r.title.clone(),
                r.questions.clone(),
            ))
            .or_default()
            .push(r);
    }
    let out = groups
        .into_iter()
        .enumerate()
        .map(|(i, ((kind, key, wave, template, title, qjson), rs))| {
            let n = rs.len();
            let ok = shown(n, min);
            let qs: Vec<Question> = serde_json::from_str(&qjson).unwrap_or_default();
            let answers: Vec<Vec<Option<Answer>>> = rs.iter().map(|r| r.answer_list()).collect();
            let (mean_rating, group_nps, questions) = if ok {
                let ratings = scores(&qs, &answers, QuestionKind::Rating);
                let mean = (!ratings.is_empty()).then(|| {
                    ratings.iter().map(|s| f64::from(*s)).sum::<f64>() / ratings.len() as f64
                });
                let questions = aggregate(&qs, &answers, 0x5eed ^ (i as u64) ^ (n as u64) << 16)
                    .into_iter()
                    .enumerate()
                    .map(|(j, q)| SurveyQuestionOut {
                        number: j + 1,
                        text: q.question.text,
                        kind: q.question.kind.code().into(),
                        answered: q.answered,
                        mean: q.mean,
                        nps: q.nps,
                        distribution: q
                            .distribution
                            .into_iter()
                            .map(|(score, count)| SurveyScoreCount { score, count })
                            .collect(),
                        comments: q.comments,
                    })
                    .collect();
                (
                    mean,
                    nps(&scores(&qs, &answers, QuestionKind::Nps)),
                    questions,
                )
            } else {
                (None, None, Vec::new())
            };
            SurveyGroupOut {
                object_kind: kind,
                object_key: key,
                wave,
                template,
                title,
                responses: n,
                shown: ok,
                mean_rating,
                nps: group_nps,
                questions,
            }
        })
        .collect();
    Ok(SurveyResultsOut {
        min_group: min,
        responses: rows.len(),
        groups: out,
    })
}

/// A number for display.
fn num(v: Option<f64>, places: usize) -> String {
    v.map(|v| format!("{v:.places$}"))
        .unwrap_or_else(|| "–".into())
}

/// A question as shown.
pub struct QuestionView {
    q: SurveyQuestionOut,
    mean: String,
    nps: String,
    svg: String,
}

/// A group as shown.
pub struct GroupView {
    g: SurveyGroupOut,
    about: String,
    wave: String,
    mean: String,
    nps: String,
    too_few: String,
    questions: Vec<QuestionView>,
}

/// A choice in a filter.
pub struct Opt {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage {
    page: Page,
    groups: Vec<GroupView>,
    objects: Vec<Opt>,
    waves: Vec<Opt>,
    cohorts: Vec<Opt>,
    csv_query: String,
    total: usize,
    /// Show each group's questions (a track or course is picked, or there are few groups).
    detailed: bool,
}

fn group_view(page: &Page, g: SurveyGroupOut, min: i64) -> GroupView {
    let questions = g
        .questions
        .iter()
        .map(|q| QuestionView {
            mean: num(q.mean, 2),
            nps: num(q.nps, 0),
            svg: if q.distribution.is_empty() {
                String::new()
            } else {
                Chart {
                    title: q.text.clone(),
                    desc: page.tr.ta(
                        "surveys-chart-desc",
                        &[("q", crate::i18n::FluentArg::Str(q.text.clone()))],
                    ),
                    labels: q.distribution.iter().map(|d| d.score.to_string()).collect(),
                    series: vec![Series {
                        name: page.t("surveys-count"),
                        values: q
                            .distribution
                            .iter()
                            .map(|d| Some(d.count as f64))
                            .collect(),
                    }],
                    band: None,
                    kind: Kind::Bar,
                }
                .svg()
            },
            q: q.clone(),
        })
        .collect();
    GroupView {
        about: format!(
            "{}: {}",
            page.tk("surveys-kind", &g.object_kind),
            g.object_key
        ),
        wave: page.tk("surveys-wave", g.wave),
        mean: num(g.mean_rating, 2),
        nps: num(g.nps, 0),
        too_few: page.tr.ta(
            "surveys-too-few",
            &[
                ("n", crate::i18n::FluentArg::Num(g.responses as f64)),
                ("min", crate::i18n::FluentArg::Num(min as f64)),
            ],
        ),
        questions,
        g,
    }
}

async fn checked(
    state: &AppState,
    ctx: &OrgCtx,
    q: &ResultsQuery,
) -> AppResult<(ResponseFilter, SurveyResultsOut)> {
    let f = q.filter()?;
    let out = compute(&state.store, ctx.org(), &f).await?;
    Ok((f, out))
}

/// GET /o/{org}/surveys/results
pub async fn page(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Html<String>> {
    let (f, out) = checked(&state, &ctx, &q).await?;
    let page = Page::org(&ctx, &csrf.0, "surveys-results");
    // The choices come from every response, so a filter never hides its own alternatives.
    let all = state
        .store
        .survey_responses(ctx.org(), &ResponseFilter::default())
        .await?;
    let mut objects: Vec<(String, String)> = all
        .iter()
        .map(|r| (r.object_kind.clone(), r.object_key.clone()))
        .collect();
    objects.sort();
    objects.dedup();
    let mut cohorts: Vec<String> = all.iter().map(|r| r.cohort.clone()).collect();
    cohorts.sort();
    cohorts.dedup();
    let selected_object = f
        .object_kind
        .as_ref()
        .zip(f.object_key.as_ref())
        .map(|(k, v)| format!("{k}:{v}"));
    let opt = |value: String, label: String, selected: bool| Opt {
        value,
        label,
        selected,
    };
    let objects = objects
        .into_iter()
        .map(|(k, v)| {
            let value = format!("{k}:{v}");
            let label = format!("{}: {v}", page.tk("surveys-kind", &k));
            let sel = selected_object.as_deref() == Some(value.as_str());
            opt(value, label, sel)
        })
        .collect();
    let waves = WAVES
        .iter()
        .map(|w| {
            opt(
                w.to_string(),
                page.tk("surveys-wave", w),
                f.wave == Some(i64::from(*w)),
            )
        })
        .collect();
    let cohorts = cohorts
        .into_iter()
        .map(|c| {
            let sel = f.cohort.as_deref() == Some(c.as_str());
            opt(c.clone(), c, sel)
        })
        .collect();
    let csv_query = serde_urlencoded::to_string([
        ("kind", f.object_kind.clone().unwrap_or_default()),
        ("key", f.object_key.clone().unwrap_or_default()),
        ("wave", f.wave.map(|w| w.to_string()).unwrap_or_default()),
        ("cohort", f.cohort.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let min = out.min_group;
    let detailed = f.object_key.is_some() || out.groups.len() <= 3;
    render(ResultsPage {
        detailed,
        groups: out
            .groups
            .into_iter()
            .map(|g| group_view(&page, g, min))
            .collect(),
        total: out.responses,
        objects,
        waves,
        cohorts,
        csv_query,
        page,
    })
}

/// GET /o/{org}/surveys/results.csv
pub async fn csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Response> {
    let (_, out) = checked(&state, &ctx, &q).await?;
    let tr = crate::i18n::Tr::new(&ctx.principal.locale);
    let mut rows = vec![[
        "object_kind",
        "object_key",
        "wave",
        "survey",
        "responses",
        "question",
        "question_text",
        "type",
        "answered",
        "mean",
        "nps",
        "score",
        "count",
        "comment",
    ]
    .map(String::from)
    .to_vec()];
    for g in &out.groups {
        let head = vec![
            g.object_kind.clone(),
            g.object_key.clone(),
            g.wave.to_string(),
            g.title.clone(),
            g.responses.to_string(),
        ];
        if !g.shown {
            let mut r = head.clone();
            r.extend(vec![String::new(); 8]);
            r.push(tr.ta(
                "surveys-too-few",
                &[
                    ("n", crate::i18n::FluentArg::Num(g.responses as f64)),
                    ("min", crate::i18n::FluentArg::Num(out.min_group as f64)),
                ],
            ));
            rows.push(r);
            continue;
        }
        for q in &g.questions {
            let mut base = head.clone();
            base.extend([
                q.number.to_string(),
                q.text.clone(),
                q.kind.clone(),
                q.answered.to_string(),
                q.mean.map(|m| format!("{m:.4}")).unwrap_or_default(),
                q.nps.map(|m| format!("{m:.2}")).unwrap_or_default(),
            ]);
            for d in &q.distribution {
                let mut r = base.clone();
                r.extend([d.score.to_string(), d.count.to_string(), String::new()]);
                rows.push(r);
            }
            for c in &q.comments {
                let mut r = base.clone();
                r.extend([String::new(), String::new(), c.clone()]);
                rows.push(r);
            }
        }
    }
    crate::pages::progress::csv_response("survey-results.csv", rows)
}
