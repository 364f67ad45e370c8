//! Social activity pages: a person's own accounts (consent, link, revoke), the admin's accounts
//! page (brand accounts, bulk links, imports), the activity lists with CSV, and the formats help.

mod accounts;
pub(crate) mod activity;
pub use activity::ActivityQuery;
mod import;
pub mod pulls;

use crate::routes::{r, BodyLimit, RouteDef};
use axum::http::Method as M;
use axum::routing::{get, post, put};
use somu_domain::access::Access;

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    let (member, staff, admin) = (Access::MEMBER, Access::STAFF, Access::ADMIN);
    let everyone = Access::Org(activity::SEES_ALL);
    vec![
        r(M::GET, "/o/{org}/me/accounts", member, get(accounts::mine)),
        r(
            M::POST,
            "/o/{org}/me/accounts",
            member,
            post(accounts::link_own),
        ),
        r(
            M::GET,
            "/o/{org}/me/accounts/{id}/revoke",
            member,
            get(accounts::confirm_own_revoke),
        ),
        r(
            M::POST,
            "/o/{org}/me/accounts/{id}/revoke",
            member,
            post(accounts::revoke_own),
        ),
        r(M::GET, "/o/{org}/me/activity", member, get(activity::mine)),
        r(
            M::GET,
            "/o/{org}/me/activity.csv",
            member,
            get(activity::mine_csv),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}/activity",
            member,
            get(activity::person),
        ),
        r(
            M::GET,
            "/o/{org}/people/{id}/activity.csv",
            member,
            get(activity::person_csv),
        ),
        r(
            M::GET,
            "/o/{org}/teams/{id}/activity",
            staff,
            get(activity::team),
        ),
        r(
            M::GET,
            "/o/{org}/teams/{id}/activity.csv",
            staff,
            get(activity::team_csv),
        ),
        r(M::GET, "/o/{org}/social", everyone, get(activity::list)),
        r(M::GET, "/o/{org}/social.csv", everyone, get(activity::csv)),
        r(
            M::GET,
            "/o/{org}/social/posts/{id}",
            member,
            get(activity::show),
        ),
        r(
            M::GET,
            "/o/{org}/social/formats",
            member,
            get(import::formats),
        ),
        r(
            M::GET,
            "/o/{org}/social/accounts",
            admin,
            get(accounts::admin),
        ),
        r(
            M::POST,
            "/o/{org}/social/accounts",
            admin,
            post(accounts::add_brand),
        ),
        r(
            M::GET,
            "/o/{org}/social/accounts/{id}/revoke",
            admin,
            get(accounts::confirm_revoke),
        ),
        r(
            M::POST,
            "/o/{org}/social/accounts/{id}/revoke",
            admin,
            post(accounts::revoke),
        ),
        r(
            M::POST,
            "/o/{org}/social/links",
            admin,
            post(accounts::bulk_link),
        ),
        r(
            M::POST,
            "/o/{org}/social/import",
            admin,
            post(import::upload),
        )
        .with_body_limit(BodyLimit::SocialExport),
        r(M::GET, "/o/{org}/social/pulls", admin, get(pulls::list)),
        r(
            M::POST,
            "/o/{org}/social/pulls/{id}/run",
            admin,
            post(pulls::run_now),
        ),
        r(
            M::POST,
            "/o/{org}/social/pulls/{id}/pause",
            admin,
            post(pulls::pause),
        ),
        r(
            M::POST,
            "/o/{org}/social/pulls/{id}/resume",
            admin,
            post(pulls::resume),
        ),
        r(
            M::POST,
            "/o/{org}/social/pulls/{id}/schedule",
            admin,
            post(pulls::schedule),
        ),
        r(
            M::GET,
            "/api/v1/orgs/{org}/social/pulls",
            admin,
            get(pulls::api_list),
        ),
        r(
            M::PUT,
            "/api/v1/orgs/{org}/social/pulls/{id}",
            admin,
            put(pulls::api_schedule),
        ),
    ]
}
