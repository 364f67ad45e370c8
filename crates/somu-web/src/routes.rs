//! The route registry: the one place every route is declared with its access rule.
//! The router is built from this table, so a route cannot exist without a rule, and the tests
//! walk the same table to check every rule and the isolation of organisations.

use crate::access::enforce;
use crate::error::AppError;
use crate::{api, auth, pages, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use somu_domain::access::Access;
use std::collections::BTreeMap;

/// One route: method, path pattern, who may use it, and its handler.
pub struct RouteDef {
    /// HTTP method.
    pub method: Method,
    /// Path pattern with `{name}` parameters; `{org}` is always the organisation slug.
    pub path: &'static str,
    /// Who may use it.
    pub access: Access,
    /// The handler.
    pub handler: MethodRouter<AppState>,
    /// How large a request body it accepts.
    pub body_limit: BodyLimit,
}

/// How large a request body a route accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyLimit {
    /// `max_upload_mb`, set around every route in `middleware::wrap`.
    Upload,
    /// `max_social_upload_mb`: social exports, which are streamed to disk, not held in memory.
    SocialExport,
}

impl RouteDef {
    /// The same route with another body limit.
    pub(crate) fn with_body_limit(self, body_limit: BodyLimit) -> RouteDef {
        RouteDef { body_limit, ..self }
    }
}

pub(crate) fn r(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> RouteDef {
    RouteDef {
        method,
        path,
        access,
        handler,
        body_limit: BodyLimit::Upload,
    }
}

/// Every route Somu serves.
pub fn route_table() -> Vec<RouteDef> {
    use Method as M;
    let (public, signed_in, operator) = (Access::Public, Access::SignedIn, Access::Operator);
    let (member, staff, admin) = (Access::MEMBER, Access::STAFF, Access::ADMIN);
    let mut routes = vec![
        // Operations and assets.
        r(M::GET, "/healthz", public, get(pages::ops::healthz)),
        r(M::GET, "/readyz", public, get(pages::ops::readyz)),
        r(M::GET, "/metrics", public, get(pages::ops::metrics)),
        r(
            M::GET,
            "/static/{file}",
            public,
            get(pages::ops::static_file),
        ),
        r(M::GET, "/", public, get(pages::home::root)),
        // Signing in.
        r(M::GET, "/sign-in", public, get(auth::sign_in_form)),
        r(M::POST, "/sign-in", public, post(auth::sign_in)),
        r(M::POST, "/sign-out", signed_in, post(auth::sign_out)),
        r(M::GET, "/password/forgot", public, get(auth::forgot_form)),
        r(M::POST, "/password/forgot", public, post(auth::forgot)),
        r(
            M::GET,
            "/password/reset/{token}",
            public,
            get(auth::reset_form),
        ),
        r(
            M::POST,
            "/password/reset/{token}",
            public,
            post(auth::reset),
        ),
        r(
            M::GET,
            "/o/{org}/invite/{token}",
            public,
            get(auth::invite_form),
        ),
        r(
            M::POST,
            "/o/{org}/invite/{token}",
            public,
            post(auth::accept_invite),
        ),
        // The account and its organisations.
        r(M::GET, "/home", signed_in, get(pages::home::home)),
        r(M::GET, "/switch", signed_in, get(pages::home::switch)),
        // Platform operators.
        r(M::GET, "/admin/orgs", operator, get(pages::operator::orgs)),
        r(
            M::POST,
            "/admin/orgs",
            operator,
            post(pages::operator::create_org),
        ),
        r(
            M::GET,
            "/admin/outbox",
            operator,
            get(pages::operator::outbox),
        ),
        // Inside an organisation.
        r(M::GET, "/o/{org}", member, get(pages::home::org_home)),
        r(M::GET, "/o/{org}/tokens", member, get(pages::tokens::list)),
        r(
            M::POST,
            "/o/{org}/tokens",
            member,
            post(pages::tokens::create),
        ),
        r(
            M::POST,
            "/o/{org}/tokens/{id}/revoke",
            member,
            post(pages::tokens::revoke),
        ),
        r(M::GET, "/o/{org}/jobs/{id}", member, get(pages::jobs::show)),
        r(M::GET, "/o/{org}/people", staff, get(pages::people::list)),
        r(
            M::GET,
            "/o/{org}/people.csv",
            admin,
            get(pages::people::export_csv),
        ),
        r(
            M::GET,
            "/o/{org}/people/new",
            admin,
            get(pages::people::new_form),
        ),
        r(
            M::POST,
            "/o/{org}/people/new",
            admin,
            post(pages::people::create),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}",
            staff,
            get(pages::people::show),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}/edit",
            admin,
            get(pages::people::edit_form),
        ),
        r(
            M::POST,
            "/o/{org}/people/{id}/edit",
            admin,
            post(pages::people::update),
        ),
        r(
            M::POST,
            "/o/{org}/people/{id}/active",
            admin,
            post(pages::people::set_active),
        ),
        r(
            M::POST,
            "/o/{org}/people/{id}/roles",
            admin,
            post(pages::people::set_roles),
        ),
        r(
            M::POST,
            "/o/{org}/people/{id}/invite",
            admin,
            post(pages::people::invite),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}/data.json",
            admin,
            get(pages::people::export_personal_data),
        ),
        r(
            M::POST,
            "/o/{org}/people/{id}/erase",
            admin,
            post(pages::people::erase),
        ),
        r(
            M::GET,
            "/o/{org}/import/people",
            admin,
            get(pages::import::upload_form),
        ),
        r(
            M::POST,
            "/o/{org}/import/people",
            admin,
            post(pages::import::upload),
        ),
        r(
            M::GET,
            "/o/{org}/import/people/{id}",
            admin,
            get(pages::import::mapping),
        ),
        r(
            M::POST,
            "/o/{org}/import/people/{id}",
            admin,
            post(pages::import::run),
        ),
        r(M::GET, "/o/{org}/teams", staff, get(pages::teams::list)),
        r(M::POST, "/o/{org}/teams", admin, post(pages::teams::create)),
        r(
            M::POST,
            "/o/{org}/teams/{id}",
            admin,
            post(pages::teams::update),
        ),
        r(M::GET, "/o/{org}/audit", admin, get(pages::admin::audit)),
        r(M::GET, "/o/{org}/outbox", admin, get(pages::admin::outbox)),
    ];
    routes.extend(pages::learning::routes());
    routes.extend(pages::progress::routes());
    routes.extend(pages::classes::routes());
    routes.extend(pages::credentials::routes());
    routes.extend(pages::social::routes());
    routes.extend(pages::analytics::routes());
    routes.extend(pages::surveys::routes());
    routes.extend(api::routes());
    routes
}

/// Build the router from the table, guarding each route with its rule.
pub fn router(state: AppState) -> Router {
    let mut by_path: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    for def in route_table() {
        // Inside the global limit of `middleware::wrap`, so this one is what extractors see.
        let handler = match def.body_limit {
            BodyLimit::Upload => def.handler,
            BodyLimit::SocialExport => def
                .handler
                .route_layer(DefaultBodyLimit::max(state.config.social_upload_limit())),
        };
        let guarded = handler.route_layer(from_fn_with_state((state.clone(), def.access), enforce));
        let entry = by_path.remove(def.path).unwrap_or_default();
        by_path.insert(def.path, entry.merge(guarded));
    }
    let mut router = Router::new();
    for (path, mr) in by_path {
        router = router.route(path, mr);
    }
    router
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}
