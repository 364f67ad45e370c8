//! What Somu cannot know and the organisation enters: revenue per month (RevPAF), money value
//! per engagement type (earned media value) and per unit of effect (benefits), and programme
//! costs by category (ROI). Amounts are refused when negative or not numbers, naming the field.

use super::report::month_start;
use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::extract::{Form, Query};
use crate::middleware::CsrfToken;
use crate::page::Page;
use crate::pages::{audit, render, Done};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use axum::Extension;
use somu_analytics::{parse_money, Money};
use somu_domain::{FieldError, FieldErrors};
use somu_store::analytics::{InputChanges, Inputs};

/// Money values per engagement type and per unit of effect.
pub const VALUE_KINDS: [&str; 9] = [
    "like",
    "repost",
    "reply",
    "quote",
    "click",
    "save",
    "post",
    "engagement",
    "influence",
];

/// Programme cost categories.
pub const COST_CATEGORIES: [&str; 4] = ["content", "instructors", "platform", "learner-hourly"];

/// One input on the form.
pub struct Field {
    /// Form field name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Current value, as typed.
    pub value: String,
}

#[derive(Template)]
#[template(path = "analytics/inputs.html")]
struct InputsPage {
    page: Page,
    revenue: Vec<Field>,
    values: Vec<Field>,
    costs: Vec<Field>,
    /// Each programme (track) with its own cost fields: (title, fields).
    programmes: Vec<(String, Vec<Field>)>,
}

fn amount(cents: Option<i64>) -> String {
    cents
        .and_then(|c| Money::from_cents("amount", c).ok())
        .map(|m| m.to_string())
        .unwrap_or_default()
}

/// The months shown: the 12 up to `now`'s month, and any month already entered.
fn months(now: i64, inputs: &Inputs) -> Vec<String> {
    let today = somu_domain::time_util::from_unix(now).date();
    let (mut y, mut m) = (today.year(), u8::from(today.month()));
    let mut out = Vec::new();
    for _ in 0..12 {
        out.push(format!("{y:04}-{m:02}"));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    for (month, _) in &inputs.revenue {
        if !out.contains(month) {
            out.push(month.clone());
        }
    }
    out.sort();
    out
}

/// GET /o/{org}/analytics/inputs
pub async fn form(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Extension(csrf): Extension<CsrfToken>,
    Query(q): Query<Done>,
) -> AppResult<Html<String>> {
    let page = Page::org(&ctx, &csrf.0, "analytics-inputs-title").with_notice(q.done.as_deref());
    let inputs = state.store.analytics_inputs(ctx.org()).await?;
    let revenue = months(state.clock.now(), &inputs)
        .into_iter()
        .map(|m| Field {
            name: format!("revenue-{m}"),
            label: m.clone(),
            value: amount(
                inputs
                    .revenue
                    .iter()
                    .find(|(x, _)| *x == m)
                    .map(|(_, c)| *c),
            ),
        })
        .collect();
    let values = VALUE_KINDS
        .iter()
        .map(|k| Field {
            name: format!("value-{k}"),
            label: page.tk("analytics-value", k),
            value: amount(inputs.value(k)),
        })
        .collect();
    let cost_fields = |programme: &str| -> Vec<Field> {
        COST_CATEGORIES
            .iter()
            .map(|c| Field {
                name: cost_field(programme, c),
                label: page.tk("analytics-cost", c),
                value: amount(inputs.programme_cost(programme, c)),
            })
            .collect()
    };
    let costs = cost_fields("");
    let programmes = state
        .store
        .tracks(ctx.org())
        .await?
        .into_iter()
        .map(|t| (t.title, cost_fields(&t.slug)))
        .collect();
    render(InputsPage {
        page,
        revenue,
        values,
        costs,
        programmes,
    })
}

/// Parse the posted fields; every bad field is reported at once and nothing is saved.
/// The form field of a cost: `cost-CATEGORY` for the whole programme, `cost.TRACK.CATEGORY`
/// for one track (slugs and categories have no dots, so the name splits back unambiguously).
fn cost_field(programme: &str, category: &str) -> String {
    if programme.is_empty() {
        format!("cost-{category}")
    } else {
        format!("cost.{programme}.{category}")
    }
}

/// The amounts in a posted form. Costs of a track not in `tracks` are refused, naming the
/// field.
pub fn parse(fields: &[(String, String)], tracks: &[String]) -> Result<InputChanges, FieldErrors> {
    let mut out = InputChanges::default();
    let mut errors = Vec::new();
    let mut unknown = Vec::new();
    let mut money = |name: &str, v: &str| -> Option<Option<i64>> {
        if v.trim().is_empty() {
            return Some(None);
        }
        match parse_money(name, v) {
            Ok(m) => Some(Some(m.cents())),
            Err(e) => {
                errors.push(FieldError::new(name, "amount", e.to_string()));
                None
            }
        }
    };
    for (name, v) in fields {
        if let Some(month) = name.strip_prefix("revenue-") {
            if month_start(month).is_none() {
                continue;
            }
            if let Some(c) = money(name, v) {
                out.revenue.push((month.to_string(), c));
            }
        } else if let Some(kind) = name.strip_prefix("value-") {
            if VALUE_KINDS.contains(&kind) {
                if let Some(c) = money(name, v) {
                    out.values.push((kind.to_string(), c));
                }
            }
        } else if let Some(cat) = name.strip_prefix("cost-") {
            if COST_CATEGORIES.contains(&cat) {
                if let Some(c) = money(name, v) {
                    out.costs.push((String::new(), cat.to_string(), c));
                }
            }
        } else if let Some((track, cat)) = name
            .strip_prefix("cost.")
            .and_then(|rest| rest.rsplit_once('.'))
        {
            if !COST_CATEGORIES.contains(&cat) {
                continue;
            }
            if !tracks.iter().any(|t| t == track) {
                unknown.push(FieldError::new(
                    name,
                    "programme",
                    format!("{name}: there is no programme {track:?}"),
                ));
            } else if let Some(c) = money(name, v) {
                out.costs.push((track.to_string(), cat.to_string(), c));
            }
        }
    }
    errors.extend(unknown);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(FieldErrors(errors))
    }
}

/// POST /o/{org}/analytics/inputs
pub async fn save(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let tracks: Vec<String> = state
        .store
        .tracks(ctx.org())
        .await?
        .into_iter()
        .map(|t| t.slug)
        .collect();
    let changes = parse(&fields, &tracks).map_err(AppError::Invalid)?;
    state
        .store
        .set_analytics_inputs(ctx.org(), &changes)
        .await?;
    let detail = format!(
        "{} revenue months, {} values, {} costs",
        changes.revenue.len(),
        changes.values.len(),
        changes.costs.len()
    );
    audit(
        &state,
        &ctx,
        "analytics.inputs",
        "analytics/inputs",
        &detail,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/analytics/inputs?done=saved",
        ctx.member.org.slug
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn amounts_parse_to_cents_and_blank_removes() {
        let c = parse(
            &f(&[
                ("revenue-2026-01", "1250.50"),
                ("value-like", ""),
                ("cost-platform", "300"),
                ("csrf", "x"),
                ("revenue-nonsense", "5"),
                ("cost.practitioner.content", "1000"),
                ("cost.practitioner.nonsense", "1"),
            ]),
            &["practitioner".to_string()],
        );
        let c = c.unwrap_or_default();
        assert_eq!(c.revenue, vec![("2026-01".to_string(), Some(125_050))]);
        assert_eq!(c.values, vec![("like".to_string(), None)]);
        assert_eq!(
            c.costs,
            vec![
                (String::new(), "platform".to_string(), Some(30_000)),
                (
                    "practitioner".to_string(),
                    "content".to_string(),
                    Some(100_000)
                )
            ]
        );
    }

    #[test]
    fn negative_and_non_numeric_are_refused_naming_each_field() {
        let e = parse(
            &f(&[
                ("cost-content", "-5"),
                ("value-reply", "lots"),
                ("cost.practitioner.platform", "-1"),
                ("cost.unknown.platform", "1"),
            ]),
            &["practitioner".to_string()],
        );
        let text = format!("{:?}", e.err());
        assert!(text.contains("cost-content"), "{text}");
        assert!(text.contains("value-reply"), "{text}");
        assert!(text.contains("cost.practitioner.platform"), "{text}");
        assert!(text.contains("cost.unknown.platform"), "{text}");
    }
}
