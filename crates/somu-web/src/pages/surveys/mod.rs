//! Post-training surveys: the learner's open surveys and the answer form, the programme owner's
//! templates, plans and settings, anonymous results (page, CSV, API), and the background tick that
//! sends surveys at completion, +6 and +12 weeks and reminds once.

mod learner;
pub use learner::record;
mod manage;
pub mod results;
pub mod send;

use crate::i18n::Tr;
use crate::routes::{r, RouteDef};
use axum::http::Method;
use axum::routing::{get, post};
use somu_domain::access::Access;
use somu_domain::ids::OrgId;
use somu_domain::org::AppRole;
use somu_domain::surveys::{default_template, shipped, Question, SurveyForm};
use somu_store::surveys::PlanRow;
use somu_store::{Result, Store, StoreError};

/// Who may edit templates, plans and settings.
pub const OWNERS: Access = Access::Org(&[AppRole::OrgAdmin, AppRole::ProgrammeOwner]);

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    vec![
        r(
            M::GET,
            "/o/{org}/surveys",
            Access::MEMBER,
            get(learner::mine),
        ),
        r(
            M::GET,
            "/o/{org}/surveys/{id}",
            Access::MEMBER,
            get(learner::form),
        ),
        r(
            M::POST,
            "/o/{org}/surveys/{id}",
            Access::MEMBER,
            post(learner::submit),
        ),
        r(M::GET, "/o/{org}/surveys/manage", OWNERS, get(manage::page)),
        r(
            M::POST,
            "/o/{org}/surveys/manage/settings",
            OWNERS,
            post(manage::save_settings),
        ),
        r(
            M::POST,
            "/o/{org}/surveys/manage/plans",
            OWNERS,
            post(manage::save_plans),
        ),
        r(
            M::POST,
            "/o/{org}/surveys/manage/templates",
            OWNERS,
            post(manage::copy_template),
        ),
        r(
            M::GET,
            "/o/{org}/surveys/manage/templates/{id}",
            OWNERS,
            get(manage::edit_template),
        ),
        r(
            M::POST,
            "/o/{org}/surveys/manage/templates/{id}",
            OWNERS,
            post(manage::save_template),
        ),
        r(
            M::GET,
            "/o/{org}/surveys/results",
            Access::STAFF,
            get(results::page),
        ),
        r(
            M::GET,
            "/o/{org}/surveys/results.csv",
            Access::STAFF,
            get(results::csv),
        ),
    ]
}

/// A shipped template in words.
pub fn shipped_form(tr: &Tr, code: &str) -> Option<SurveyForm> {
    let s = shipped(code)?;
    Some(SurveyForm {
        title: tr.t(&format!("surveys-tpl-{code}-title")),
        questions: s
            .questions
            .iter()
            .enumerate()
            .map(|(i, (kind, required))| Question {
                text: tr.t(&format!("surveys-tpl-{code}-q{}", i + 1)),
                kind: *kind,
                required: *required,
            })
            .collect(),
    })
}

/// The form a template reference stands for: a shipped code or `t<id>` for the organisation's
/// own. `None` for an empty or unknown reference.
pub async fn resolve(
    store: &Store,
    tr: &Tr,
    org: OrgId,
    template: &str,
) -> Result<Option<SurveyForm>> {
    if let Some(id) = template
        .strip_prefix('t')
        .and_then(|n| n.parse::<i64>().ok())
    {
        return match store.survey_template(org, id).await {
            Ok(t) => Ok(Some(t.form())),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        };
    }
    Ok(shipped_form(tr, template))
}

/// The template reference planned for an object's wave: the organisation's choice, else the
/// default. An empty reference means none.
pub fn planned(plans: &[PlanRow], kind: &str, key: &str, wave: u8) -> String {
    plans
        .iter()
        .find(|p| p.object_kind == kind && p.object_key == key && p.wave == i64::from(wave))
        .map(|p| p.template.clone())
        .unwrap_or_else(|| default_template(kind, wave).unwrap_or("").to_string())
}
