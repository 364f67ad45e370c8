//! The dashboards (leadership, programme owner, person), exports and the help page. Each
//! dashboard is a list of sections; a section has a chart, the table of the same numbers and a
//! CSV link, so every number can be read without the picture.

use super::chart::{Chart, Kind, Series};
use super::pdf;
use super::report::{self, Num, Report, ReportOptions};
use super::{show, show_pct, RangeQuery};
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::i18n::Tr;
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use somu_analytics::period::DateRange;

/// A table of numbers.
pub struct Table {
    /// Caption.
    pub caption: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows; the first cell is the row heading.
    pub rows: Vec<Vec<String>>,
}

/// One part of a dashboard.
pub struct Section {
    /// Anchor.
    pub id: String,
    /// Heading.
    pub heading: String,
    /// Plain sentences.
    pub paragraphs: Vec<String>,
    /// The charts (drawn as SVG on the page, as vector paths in the PDF).
    pub charts: Vec<Chart>,
    /// The numbers.
    pub table: Option<Table>,
    /// CSV download of the report the section comes from.
    pub csv: Option<String>,
}

#[derive(Template)]
#[template(path = "analytics/dashboard.html")]
struct DashboardPage {
    page: Page,
    /// Form action for the period.
    action: String,
    from: String,
    to: String,
    links: Vec<(String, String)>,
    sections: Vec<Section>,
    /// "Download PDF" of the same report and period.
    pdf: Option<String>,
    /// Query parameters the period form keeps.
    hidden: Vec<(String, String)>,
}

fn links(page: &Page, slug: &str, is_staff: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if is_staff {
        out.push((
            format!("/o/{slug}/analytics"),
            page.t("analytics-leadership-title"),
        ));
        out.push((
            format!("/o/{slug}/analytics/programmes"),
            page.t("analytics-programmes-title"),
        ));
    }
    out.push((
        format!("/o/{slug}/analytics/team"),
        page.t("analytics-team-title"),
    ));
    out.push((
        format!("/o/{slug}/analytics/me"),
        page.t("analytics-me-title"),
    ));
    if is_staff {
        out.push((
            format!("/o/{slug}/analytics/inputs"),
            page.t("analytics-inputs-title"),
        ));
    }
    out.push((
        format!("/o/{slug}/analytics/help"),
        page.t("analytics-help-title"),
    ));
    out
}

async fn build(state: &AppState, ctx: &OrgCtx, name: &str, range: DateRange) -> AppResult<Report> {
    report::build(
        &state.store,
        ctx.org(),
        &ctx.member.org.slug,
        name,
        range,
        ReportOptions::default(),
        &|_| {},
    )
    .await?
    .ok_or(AppError::NotFound)
}

fn export_href(slug: &str, name: &str, format: &str, range: DateRange) -> String {
    format!(
        "/o/{slug}/analytics/export/{name}?format={format}&from={}&to={}",
        range.first, range.last
    )
}

fn csv_href(slug: &str, name: &str, range: DateRange) -> String {
    export_href(slug, name, "csv", range)
}

fn pdf_href(slug: &str, name: &str, range: DateRange) -> String {
    export_href(slug, name, "pdf", range)
}

fn effect_section(page: &Page, rep: &Report, csv: &str) -> Option<Section> {
    let e = rep.training_effect.as_ref()?;
    let mut paragraphs = Vec::new();
    if let Some(code) = &e.not_enough_data {
        paragraphs.push(format!(
            "{} ({})",
            page.t("analytics-not-enough-data"),
            page.tk("analytics-reason", code)
        ));
    } else {
        paragraphs.push(format!(
            "{} {}; {} {}; {} {}, {} {}.",
            page.t("analytics-treated"),
            e.treated_people,
            page.t("analytics-comparison"),
            e.comparison_people,
            page.t("analytics-resamples"),
            e.resamples,
            page.t("analytics-seed"),
            e.seed
        ));
        paragraphs.extend(e.outcomes.iter().map(|o| o.sentence.clone()));
    }
    let rows = e
        .outcomes
        .iter()
        .map(|o| {
            vec![
                page.tk("analytics-outcome", &o.outcome),
                format!("{:.3}", o.effect),
                match (o.low, o.high) {
                    (Some(l), Some(h)) => format!("{l:.3} … {h:.3}"),
                    _ => page.t("analytics-no-interval"),
                },
                format!("{:.3} → {:.3}", o.treated_before, o.treated_after),
                format!("{:.3} → {:.3}", o.comparison_before, o.comparison_after),
            ]
        })
        .collect();
    // Per-cohort posts effects along the overall 95% interval.
    let used: Vec<_> = e.cohorts.iter().filter(|c| c.skipped.is_none()).collect();
    let posts = e.outcomes.iter().find(|o| o.outcome == "posts");
    let svg = (!used.is_empty()).then(|| Chart {
        title: page.t("analytics-chart-cohorts"),
        desc: page.t("analytics-chart-cohorts-desc"),
        labels: used.iter().map(|c| c.week.clone()).collect(),
        series: vec![Series {
            name: page.t("analytics-outcome-posts"),
            values: used.iter().map(|c| c.posts_effect).collect(),
        }],
        band: posts
            .and_then(|p| p.low.zip(p.high))
            .map(|b| vec![Some(b); used.len()]),
        kind: Kind::Line,
    });
    let mut table = Table {
        caption: page.t("analytics-effect-table"),
        head: vec![
            page.t("analytics-col-outcome"),
            page.t("analytics-col-effect"),
            page.t("analytics-col-interval"),
            page.t("analytics-col-treated"),
            page.t("analytics-col-comparison"),
        ],
        rows,
    };
    for c in &e.cohorts {
        table.rows.push(vec![
            format!("{} {}", page.t("analytics-cohort"), c.week),
            c.posts_effect.map_or(String::new(), |v| format!("{v:.3}")),
            c.skipped.clone().unwrap_or_default(),
            c.people.to_string(),
            c.comparison.to_string(),
        ]);
    }
    Some(Section {
        id: "effect".into(),
        heading: page.t("analytics-effect-heading"),
        paragraphs,
        charts: svg.into_iter().collect(),
        table: Some(table),
        csv: Some(csv.to_string()),
    })
}

fn adoption_section(page: &Page, rep: &Report, csv: &str) -> Option<Section> {
    let points = rep.adoption.as_ref()?;
    let labels: Vec<String> = points.iter().map(|p| p.k.to_string()).collect();
    let svg = Chart {
        title: page.t("analytics-chart-adoption"),
        desc: page.t("analytics-chart-adoption-desc"),
        labels,
        series: vec![Series {
            name: page.t("analytics-outcome-active-share"),
            values: points
                .iter()
                .map(|p| p.active_share.value.map(|v| v * 100.0))
                .collect(),
        }],
        band: None,
        kind: Kind::Line,
    };
    let rows = points
        .iter()
        .map(|p| {
            vec![
                p.k.to_string(),
                p.people.to_string(),
                show_pct(page, &p.active_share),
                show(page, &p.mean_posts, 2),
                show(page, &p.mean_engagements, 1),
                show(page, &p.mean_influence, 2),
            ]
        })
        .collect();
    Some(Section {
        id: "adoption".into(),
        heading: page.t("analytics-adoption-heading"),
        paragraphs: vec![page.t("analytics-adoption-intro")],
        charts: vec![svg],
        table: Some(Table {
            caption: page.t("analytics-adoption-table"),
            head: vec![
                page.t("analytics-col-k"),
                page.t("analytics-col-people"),
                page.t("analytics-outcome-active-share"),
                page.t("analytics-outcome-posts"),
                page.t("analytics-outcome-engagements"),
                page.t("analytics-outcome-influence"),
            ],
            rows,
        }),
        csv: Some(csv.to_string()),
    })
}

fn social_rows(page: &Page, rep: &Report) -> Vec<Vec<String>> {
    let (Some(now), Some(before)) = (&rep.social, &rep.social_before) else {
        return Vec::new();
    };
    let count = |n: u64| n.to_string();
    let reach_label = match now.reach_kind.as_deref() {
        Some(k) => format!(
            "{} ({})",
            page.t("analytics-reach"),
            page.tk("analytics-reach-kind", k)
        ),
        None => page.t("analytics-reach"),
    };
    let pair =
        |label: String, f: &dyn Fn(&report::Social) -> String| vec![label, f(now), f(before)];
    vec![
        pair(page.t("analytics-posts"), &|s| count(s.posts)),
        pair(page.t("analytics-original-posts"), &|s| {
            count(s.original_posts)
        }),
        pair(page.t("analytics-engagements"), &|s| count(s.engagements)),
        pair(reach_label, &|s| show(page, &s.reach, 0)),
        pair(page.t("analytics-er"), &|s| {
            show_pct(page, &s.engagement_rate)
        }),
        pair(page.t("analytics-warmth"), &|s| show(page, &s.warmth, 3)),
        pair(page.t("analytics-cold"), &|s| show(page, &s.cold_score, 0)),
        pair(page.t("analytics-warm"), &|s| show(page, &s.warm_score, 4)),
        pair(page.t("analytics-influence"), &|s| {
            show(page, &s.influence, 1)
        }),
        pair(page.t("analytics-emv"), &|s| {
            show(page, &s.earned_media_value, 2)
        }),
        pair(page.t("analytics-revenue"), &|s| show(page, &s.revenue, 2)),
        pair(page.t("analytics-brand-audience"), &|s| {
            show(page, &s.brand_audience, 0)
        }),
        pair(page.t("analytics-revpaf"), &|s| show(page, &s.revpaf, 4)),
        pair(page.t("analytics-active-people"), &|s| {
            format!("{} / {}", s.active_people, s.linked_people)
        }),
    ]
}

fn roi_section(page: &Page, rep: &Report, csv: &str) -> Option<Section> {
    let r = rep.roi.as_ref()?;
    let mut paragraphs = vec![format!(
        "{} {} · {} {}",
        page.t("analytics-roi-people"),
        r.trained_people,
        page.t("analytics-roi-weeks"),
        r.horizon_weeks
    )];
    if let (Some(l), Some(h)) = (r.roi_percent_low, r.roi_percent_high) {
        paragraphs.push(format!(
            "{} {l:.0}% … {h:.0}%",
            page.t("analytics-roi-interval")
        ));
    }
    let row = |label: &str, n: &Num, d: usize| vec![page.t(label), show(page, n, d)];
    let rows = vec![
        row("analytics-cost-content", &r.content, 2),
        row("analytics-cost-instructors", &r.instructors, 2),
        row("analytics-cost-platform", &r.platform, 2),
        row("analytics-cost-learner-hourly", &r.learner_hourly_cost, 2),
        vec![
            page.t("analytics-learning-minutes"),
            r.learning_minutes.to_string(),
        ],
        row("analytics-learner-hours", &r.learner_hours, 2),
        row("analytics-costs", &r.costs, 2),
        row("analytics-benefits", &r.benefits, 2),
        row("analytics-roi-percent", &r.roi_percent, 1),
        row("analytics-bcr", &r.bcr, 2),
    ];
    Some(Section {
        id: "roi".into(),
        heading: page.t("analytics-roi-heading"),
        paragraphs,
        charts: Vec::new(),
        table: Some(Table {
            caption: page.t("analytics-roi-heading"),
            head: vec![
                page.t("analytics-col-metric"),
                page.t("analytics-col-value"),
            ],
            rows,
        }),
        csv: Some(csv.to_string()),
    })
}

fn weeks_section(page: &Page, rep: &Report, csv: &str) -> Option<Section> {
    let weeks = rep.weeks.as_ref()?;
    let labels: Vec<String> = weeks.iter().map(|w| w.week.clone()).collect();
    let svg = Chart {
        title: page.t("analytics-chart-weeks"),
        desc: page.t("analytics-chart-weeks-desc"),
        labels,
        series: vec![Series {
            name: page.t("analytics-original-posts"),
            values: weeks.iter().map(|w| Some(w.posts as f64)).collect(),
        }],
        band: None,
        kind: Kind::Bar,
    };
    let infl = Chart {
        title: page.t("analytics-chart-influence"),
        desc: page.t("analytics-chart-influence-desc"),
        labels: weeks.iter().map(|w| w.week.clone()).collect(),
        series: vec![Series {
            name: page.t("analytics-influence"),
            values: weeks.iter().map(|w| Some(w.influence)).collect(),
        }],
        band: None,
        kind: Kind::Line,
    };
    let rows = weeks
        .iter()
        .map(|w| {
            vec![
                w.week.clone(),
                w.posts.to_string(),
                w.engagements.to_string(),
                w.active_people.to_string(),
                format!("{:.1}", w.influence),
            ]
        })
        .collect();
    Some(Section {
        id: "weeks".into(),
        heading: page.t("analytics-weeks-heading"),
        paragraphs: Vec::new(),
        charts: vec![svg, infl],
        table: Some(Table {
            caption: page.t("analytics-weeks-table"),
            head: vec![
                page.t("analytics-col-week"),
                page.t("analytics-original-posts"),
                page.t("analytics-engagements"),
                page.t("analytics-active-people"),
                page.t("analytics-influence"),
            ],
            rows,
        }),
        csv: Some(csv.to_string()),
    })
}

fn frame(
    page: Page,
    ctx: &OrgCtx,
    path: &str,
    range: DateRange,
    sections: Vec<Section>,
    pdf: Option<String>,
) -> AppResult<Html<String>> {
    frame_with(page, ctx, path, range, sections, pdf, Vec::new())
}

/// A dashboard page; `hidden` are query parameters the period form keeps (name, value).
pub fn frame_with(
    page: Page,
    ctx: &OrgCtx,
    path: &str,
    range: DateRange,
    sections: Vec<Section>,
    pdf: Option<String>,
    hidden: Vec<(String, String)>,
) -> AppResult<Html<String>> {
    let slug = ctx.member.org.slug.clone();
    let is_staff = page.org.as_ref().is_some_and(|o| o.is_staff);
    let links = links(&page, &slug, is_staff);
    render(DashboardPage {
        action: format!("/o/{slug}/analytics{path}"),
        from: range.first.to_string(),
        to: range.last.to_string(),
        links,
        sections,
        pdf,
        hidden,
        page,
    })
}

/// Every section a report has, in reading order: the dashboards show them and the PDF prints
/// them, so the two never disagree.
pub fn report_sections(page: &Page, rep: &Report, csv: &str) -> Vec<Section> {
    let mut sections = headline_sections(page, rep, csv);
    sections.extend(weeks_section(page, rep, csv));
    sections.extend(effect_section(page, rep, csv));
    sections.extend(adoption_section(page, rep, csv));
    sections.extend(roi_section(page, rep, csv));
    sections.extend(programme_sections(page, rep, csv));
    sections
}

/// The headline (leadership) and the period against the comparison period (when the report
/// has social activity).
fn headline_sections(page: &Page, rep: &Report, csv: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    if let Some(h) = &rep.headline {
        let mut rows = vec![
            vec![
                page.t("analytics-people-trained"),
                h.people_trained.to_string(),
            ],
            vec![
                page.t("analytics-people-certified"),
                h.people_certified.to_string(),
            ],
            vec![
                page.t("analytics-adoption-week6"),
                show_pct(page, &h.adoption_week6),
            ],
            vec![
                page.t("analytics-adoption-week12"),
                show_pct(page, &h.adoption_week12),
            ],
        ];
        if let Some(r) = &rep.roi {
            rows.push(vec![
                page.t("analytics-roi-percent"),
                show(page, &r.roi_percent, 1),
            ]);
            rows.push(vec![page.t("analytics-bcr"), show(page, &r.bcr, 2)]);
        }
        sections.push(Section {
            id: "headline".into(),
            heading: page.t("analytics-headline-heading"),
            paragraphs: h.effect_sentence.iter().cloned().collect(),
            charts: Vec::new(),
            table: Some(Table {
                caption: page.t("analytics-headline-heading"),
                head: vec![
                    page.t("analytics-col-metric"),
                    page.t("analytics-col-value"),
                ],
                rows,
            }),
            csv: Some(csv.to_string()),
        });
    }
    if rep.social.is_none() {
        return sections;
    }
    sections.push(Section {
        id: "period".into(),
        heading: page.t("analytics-period-heading"),
        paragraphs: vec![page.t("analytics-period-intro")],
        charts: Vec::new(),
        table: Some(Table {
            caption: page.t("analytics-period-heading"),
            head: vec![
                page.t("analytics-col-metric"),
                format!("{} … {}", rep.period.from, rep.period.to),
                format!(
                    "{} … {}",
                    rep.comparison_period.from, rep.comparison_period.to
                ),
            ],
            rows: social_rows(page, rep),
        }),
        csv: Some(csv.to_string()),
    });
    sections
}

/// Kirkpatrick L1–L5 per programme (kirkpatrick).
fn programme_sections(page: &Page, rep: &Report, csv: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    for p in rep.programmes.iter().flatten() {
        let name = if p.programme.is_empty() {
            page.t("analytics-all-programmes")
        } else {
            p.programme.clone()
        };
        let row = |label: &str, value: String| vec![page.t(label), value];
        let rows = vec![
            row("analytics-trained", p.trained.to_string()),
            row("analytics-l1-rating", show(page, &p.l1_rating, 2)),
            row("analytics-l1-nps", show(page, &p.l1_nps, 0)),
            row(
                "analytics-l2-gain",
                format!(
                    "{} ({} {})",
                    show(page, &p.l2_gain, 1),
                    p.l2_pairs,
                    page.t("analytics-pairs")
                ),
            ),
            row("analytics-l3-week6", show_pct(page, &p.l3_active_week6)),
            row("analytics-l3-week12", show_pct(page, &p.l3_active_week12)),
            row("analytics-l3-effect", show(page, &p.l3_effect, 3)),
            row("analytics-l3-posts", show(page, &p.l3_posts_effect, 3)),
            row(
                "analytics-l4-influence",
                show(page, &p.l4_influence_effect, 2),
            ),
            row("analytics-l4-revpaf", show(page, &p.l4_revpaf_change, 4)),
            row("analytics-l5-roi", show(page, &p.l5_roi_percent, 1)),
            row("analytics-l5-bcr", show(page, &p.l5_bcr, 2)),
        ];
        let verdict = match p.l3_posts_effect.value {
            Some(v) if v > 0.0 => page.t("analytics-followed-by-change"),
            Some(_) => page.t("analytics-not-followed-by-change"),
            None => page.t("analytics-change-unknown"),
        };
        sections.push(Section {
            id: format!(
                "programme-{}",
                if p.programme.is_empty() {
                    "all"
                } else {
                    &p.programme
                }
            ),
            heading: name,
            paragraphs: vec![verdict],
            charts: Vec::new(),
            table: Some(Table {
                caption: page.t("analytics-kirkpatrick-table"),
                head: vec![page.t("analytics-col-level"), page.t("analytics-col-value")],
                rows,
            }),
            csv: Some(csv.to_string()),
        });
    }
    sections
}

/// GET /o/{org}/analytics: the leadership one-pager.
pub async fn leadership(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<RangeQuery>,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    report_page(&state, &ctx, &csrf, &q, "leadership", "", &uri).await
}

/// A dashboard that shows one named report (`title` is `analytics-{path}-title`, or the
/// leadership title for the empty path).
async fn report_page(
    state: &AppState,
    ctx: &OrgCtx,
    csrf: &CsrfToken,
    q: &RangeQuery,
    name: &str,
    path: &str,
    uri: &axum::http::Uri,
) -> AppResult<Response> {
    let range = q.range(state.clock.now())?;
    let title = match path.trim_start_matches('/') {
        "" => "analytics-leadership-title".to_string(),
        p => format!("analytics-{p}-title"),
    };
    let mut page = Page::org(ctx, &csrf.0, &title);
    let back = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    let rep = match super::fetch::for_dashboard(state, ctx, name, range, back).await? {
        Ok((rep, None)) => rep,
        Ok((rep, Some(built_at))) => {
            page.notice = Some(page.tr.ta(
                "analytics-report-updating",
                &[("built", crate::pages::when(&built_at).into())],
            ));
            rep
        }
        Err(progress_page) => return Ok(progress_page),
    };
    let csv = csv_href(&ctx.member.org.slug, name, range);
    let sections = report_sections(&page, &rep, &csv);
    let pdf = pdf_href(&ctx.member.org.slug, name, range);
    Ok(frame(page, ctx, path, range, sections, Some(pdf))?.into_response())
}

/// GET /o/{org}/analytics/programmes: Kirkpatrick L1–L5 per programme.
pub async fn programmes(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<RangeQuery>,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    report_page(&state, &ctx, &csrf, &q, "kirkpatrick", "/programmes", &uri).await
}

/// GET /o/{org}/analytics/me: my influence over time, before and after my training.
pub async fn me(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<RangeQuery>,
) -> AppResult<Html<String>> {
    let range = q.range(state.clock.now())?;
    let page = Page::org(&ctx, &csrf.0, "analytics-me-title");
    let mine = report::person(&state.store, ctx.org(), ctx.member.person_id, range).await?;
    let labels: Vec<String> = mine.weeks.iter().map(|w| w.week.clone()).collect();
    let series = |name: &str, f: &dyn Fn(&report::PersonWeek) -> Option<f64>| Series {
        name: page.t(name),
        values: mine.weeks.iter().map(f).collect(),
    };
    let svg = Chart {
        title: page.t("analytics-chart-me"),
        desc: page.t("analytics-chart-me-desc"),
        labels,
        series: vec![series("analytics-influence", &|w| w.influence.value)],
        band: None,
        kind: Kind::Line,
    };
    let rows = mine
        .weeks
        .iter()
        .map(|w| {
            vec![
                w.week.clone(),
                w.posts.to_string(),
                w.engagements.to_string(),
                show(&page, &w.cold, 0),
                show(&page, &w.warm, 4),
                show(&page, &w.influence, 2),
            ]
        })
        .collect();
    let mut paragraphs = Vec::new();
    match &mine.completed {
        Some(d) => paragraphs.push(format!(
            "{} {d}. {} {} → {}; {} {} → {}.",
            page.t("analytics-me-completed"),
            page.t("analytics-me-posts"),
            show(&page, &mine.posts_before, 2),
            show(&page, &mine.posts_after, 2),
            page.t("analytics-me-influence"),
            show(&page, &mine.influence_before, 2),
            show(&page, &mine.influence_after, 2),
        )),
        None => paragraphs.push(page.t("analytics-me-not-trained")),
    }
    let sections = vec![Section {
        id: "me".into(),
        heading: page.t("analytics-me-heading"),
        paragraphs,
        charts: vec![svg],
        table: Some(Table {
            caption: page.t("analytics-me-table"),
            head: vec![
                page.t("analytics-col-week"),
                page.t("analytics-original-posts"),
                page.t("analytics-engagements"),
                page.t("analytics-cold"),
                page.t("analytics-warm"),
                page.t("analytics-influence"),
            ],
            rows,
        }),
        csv: None,
    }];
    frame(page, &ctx, "/me", range, sections, None)
}

/// Rows `path,value` of a JSON document, depth first: any report as CSV.
pub fn flatten_csv(v: &serde_json::Value) -> Result<Vec<u8>, AppError> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, x, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), x, out);
                }
            }
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let mut rows = Vec::new();
    walk("", v, &mut rows);
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record(["field", "value"]).map_err(internal)?;
    for (k, v) in rows {
        w.write_record([k, v]).map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Who a PDF report is for and when it was made.
pub struct PdfMeta<'a> {
    /// The reader's language.
    pub tr: &'a Tr,
    /// The organisation's name.
    pub org_name: &'a str,
    /// Unix seconds.
    pub now: i64,
}

/// A report as a PDF: the same sections as the dashboards, the period and the comparison
/// period on top, the definitions as footnotes.
pub fn report_pdf(rep: &Report, meta: &PdfMeta) -> Vec<u8> {
    let page = Page::public(meta.tr.clone(), "", "analytics-leadership-title");
    let title = page.tk("analytics-report", &rep.name);
    let made = somu_domain::time_util::from_unix(meta.now).date();
    let sections = report_sections(&page, rep, "");
    let cover = pdf::Cover {
        org: meta.org_name,
        title: &title,
        lines: vec![
            format!(
                "{} {} \u{2013} {}",
                page.t("analytics-pdf-period"),
                rep.period.from,
                rep.period.to
            ),
            format!(
                "{} {} \u{2013} {}",
                page.t("analytics-pdf-comparison"),
                rep.comparison_period.from,
                rep.comparison_period.to
            ),
            format!("{} {made}", page.t("analytics-pdf-made")),
        ],
        footer: format!(
            "{} \u{00b7} {title} \u{00b7} {} \u{2013} {}",
            meta.org_name, rep.period.from, rep.period.to
        ),
        notes_heading: &page.t("analytics-pdf-definitions"),
        notes: definitions(&page),
    };
    pdf::report(&cover, &sections)
}

/// A report as a download in the format asked for (`json`, `csv` or `pdf`).
pub fn report_response(rep: &Report, format: Option<&str>, meta: &PdfMeta) -> AppResult<Response> {
    let attachment = |ext: &str| {
        format!(
            "attachment; filename=\"{}-{}-{}-{}.{ext}\"",
            rep.org, rep.name, rep.period.from, rep.period.to
        )
    };
    match format.unwrap_or("json") {
        "json" => {
            let value = serde_json::to_value(rep).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(axum::Json(value).into_response())
        }
        "csv" => {
            let value = serde_json::to_value(rep).map_err(|e| AppError::Internal(e.to_string()))?;
            let body = flatten_csv(&value)?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, attachment("csv")),
                ],
                body,
            )
                .into_response())
        }
        "pdf" => Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, attachment("pdf")),
            ],
            report_pdf(rep, meta),
        )
            .into_response()),
        other => Err(AppError::field(
            "format",
            "unknown",
            format!("format: {other:?} is not one of json, csv, pdf"),
        )),
    }
}

/// GET /o/{org}/analytics/export/{name}?format=csv|json
pub async fn export(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path((_, name)): Path<(String, String)>,
    Query(q): Query<RangeQuery>,
) -> AppResult<Response> {
    let range = q.range(state.clock.now())?;
    let rep = build(&state, &ctx, &name, range).await?;
    let tr = Page::org(&ctx, "", "analytics-leadership-title").tr;
    let meta = PdfMeta {
        tr: &tr,
        org_name: &ctx.member.org.name,
        now: state.clock.now(),
    };
    report_response(&rep, q.format.as_deref(), &meta)
}

#[derive(Template)]
#[template(path = "analytics/help.html")]
struct HelpPage {
    page: Page,
    definitions: Vec<String>,
    choices: Vec<String>,
}

/// The ids of the definitions, in PRODUCT.md's order.
pub const DEFINITIONS: [&str; 17] = [
    "followers",
    "engagements",
    "reach",
    "engagement-rate",
    "warmth",
    "cold",
    "warm",
    "influence",
    "revpaf",
    "share-of-voice",
    "emv",
    "active",
    "adoption",
    "effect",
    "kirkpatrick",
    "intro",
    "applies",
];

/// Every metric's definition, as PRODUCT.md states it.
fn definitions(page: &Page) -> Vec<String> {
    DEFINITIONS[..15]
        .iter()
        .map(|d| page.t(&format!("analytics-def-{d}")))
        .collect()
}

/// GET /o/{org}/analytics/help: every definition, as PRODUCT.md states it.
pub async fn help(
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "analytics-help-title");
    let definitions = definitions(&page);
    let choices = (1..=8)
        .map(|i| page.t(&format!("analytics-choice-{i}")))
        .collect();
    render(HelpPage {
        page,
        definitions,
        choices,
    })
}
