//! The JSON API at `/api/v1`, authenticated by personal API tokens (`Authorization: Bearer …`),
//! and its OpenAPI document, generated from the handlers' annotations.

mod analytics;
mod classes;
mod credentials;
mod learning;
mod org;
mod progress;
mod social;
mod surveys;

use crate::routes::RouteDef;
use axum::http::Method;
use axum::routing::{get, post, put};
use axum::Json;
use somu_domain::access::Access;
use utoipa::OpenApi;

pub use org::{PersonOut, TeamOut};

#[derive(OpenApi)]
#[openapi(
    info(title = "Somu API", version = "1", description = "Somu, the social media university. Authenticate with a personal API token: `Authorization: Bearer somu_…`. Errors are RFC 9457 problem documents."),
    paths(org::me, org::list_people, org::create_person, org::get_person, org::update_person, org::list_teams, org::audit, openapi_json),
    components(schemas(org::PersonOut, org::PersonBody, org::PeopleOut, org::TeamOut, org::AuditOut, org::MeOut, Problem, FieldProblem)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// An RFC 9457 problem document.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct Problem {
    /// Always `about:blank`.
    pub r#type: String,
    /// What kind of problem.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// More detail.
    pub detail: Option<String>,
    /// Field-level problems of a refused input.
    pub errors: Option<Vec<FieldProblem>>,
}

/// One refused field.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct FieldProblem {
    /// Line, for files.
    pub line: Option<u64>,
    /// Field name.
    pub field: String,
    /// Explanation.
    pub message: String,
    /// Stable code.
    pub code: String,
}

/// The OpenAPI document as JSON.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for area in [
        learning::doc(),
        progress::doc(),
        classes::doc(),
        credentials::doc(),
        social::doc(),
        crate::pages::social::pulls::doc(),
        analytics::doc(),
        surveys::doc(),
    ] {
        doc.merge(area);
    }
    doc
}

/// The OpenAPI document.
#[utoipa::path(get, path = "/api/v1/openapi.json", security(()), responses((status = 200, description = "This document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The API's routes, for the registry.
pub fn routes() -> Vec<RouteDef> {
    use crate::routes::r;
    let mut routes = vec![
        r(
            Method::GET,
            "/api/v1/openapi.json",
            Access::Public,
            get(openapi_json),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/me",
            Access::MEMBER,
            get(org::me),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/people",
            Access::STAFF,
            get(org::list_people),
        ),
        r(
            Method::POST,
            "/api/v1/orgs/{org}/people",
            Access::ADMIN,
            post(org::create_person),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/people/{id}",
            Access::STAFF,
            get(org::get_person),
        ),
        r(
            Method::PUT,
            "/api/v1/orgs/{org}/people/{id}",
            Access::ADMIN,
            put(org::update_person),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/teams",
            Access::STAFF,
            get(org::list_teams),
        ),
        r(
            Method::GET,
            "/api/v1/orgs/{org}/audit",
            Access::ADMIN,
            get(org::audit),
        ),
    ];
    routes.extend(learning::routes());
    routes.extend(progress::routes());
    routes.extend(classes::routes());
    routes.extend(credentials::routes());
    routes.extend(social::routes());
    routes.extend(analytics::routes());
    routes.extend(surveys::routes());
    routes
}
