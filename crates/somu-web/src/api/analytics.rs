//! Analytics API: the reports, as stable JSON (or CSV), with the same numbers as the pages.

use crate::access::OrgCtx;
use crate::api::Problem;
use crate::error::{AppError, AppResult};
use crate::extract::Query;
use crate::pages::analytics::report::{self, Report, ReportOptions};
use crate::pages::analytics::{report_response, PdfMeta, RangeQuery};
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::Response;
use axum::routing::get;
use axum::Extension;
use somu_domain::access::Access;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(get_report),
    components(schemas(
        Report,
        report::Num,
        report::PeriodJson,
        report::Headline,
        report::Social,
        report::WeekRow,
        report::EffectJson,
        report::EffectRow,
        report::CohortRow,
        report::AdoptionRow,
        report::ProgrammeRow,
        report::RoiJson
    ))
)]
struct Doc;

/// This area's part of the OpenAPI document.
pub fn doc() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// This area's API routes.
pub fn routes() -> Vec<RouteDef> {
    vec![r(
        Method::GET,
        "/api/v1/orgs/{org}/reports/{name}",
        Access::STAFF,
        get(get_report),
    )]
}

/// A report: `leadership`, `training-effect`, `adoption`, `kirkpatrick`, `roi` or `influence`,
/// for the days `from`…`to` (default: the 52 weeks up to today), as JSON, CSV (`format=csv`:
/// one `field,value` row per number, the JSON's paths) or PDF (`format=pdf`: the dashboard's
/// charts and tables, the periods and the definitions, for printing).
#[utoipa::path(get, path = "/api/v1/orgs/{org}/reports/{name}",
    params(
        ("org" = String, Path, description = "Organisation slug"),
        ("name" = String, Path, description = "leadership, training-effect, adoption, kirkpatrick, roi or influence"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day (included), YYYY-MM-DD"),
        ("format" = Option<String>, Query, description = "json (default), csv or pdf"),
    ),
    responses((status = 200, body = Report), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn get_report(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
    Path(path): Path<(String, String)>,
    Query(q): Query<RangeQuery>,
) -> AppResult<Response> {
    let name = path.1;
    let range = q.range(state.clock.now())?;
    let rep = report::build(
        &state.store,
        ctx.org(),
        &ctx.member.org.slug,
        &name,
        range,
        ReportOptions::default(),
        &|_| {},
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let tr = crate::page::Page::org(&ctx, "", "analytics-leadership-title").tr;
    let meta = PdfMeta {
        tr: &tr,
        org_name: &ctx.member.org.name,
        now: state.clock.now(),
    };
    report_response(&rep, q.format.as_deref(), &meta)
}
