//! Learning content: the learner's catalogue, courses, lessons, quizzes and track tests; the
//! instructors' grading queue; and the curriculum pages where programme owners and admins
//! install, import, export, edit and publish content.

pub mod assess;
pub mod content;
pub mod curriculum;
pub mod learn;

use crate::access::OrgCtx;
use crate::page::Page;
use crate::routes::{r, RouteDef};
use axum::http::Method;
use axum::routing::{get, post};
use somu_domain::access::Access;
use somu_domain::ids::PersonId;
use somu_domain::org::AppRole;
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};

/// Who manages content.
pub const OWNERS: Access = Access::Org(&[AppRole::OrgAdmin, AppRole::ProgrammeOwner]);
/// Who grades short-text answers.
pub const GRADERS: Access = Access::Org(&[
    AppRole::OrgAdmin,
    AppRole::ProgrammeOwner,
    AppRole::Instructor,
]);

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    use Method as M;
    let member = Access::MEMBER;
    vec![
        r(
            M::GET,
            "/o/{org}/learn/catalogue",
            member,
            get(learn::catalogue),
        ),
        r(
            M::GET,
            "/o/{org}/learn/courses/{slug}",
            member,
            get(learn::course),
        ),
        r(
            M::GET,
            "/o/{org}/learn/courses/{slug}/{module}/{lesson}",
            member,
            get(learn::lesson),
        ),
        r(
            M::GET,
            "/o/{org}/learn/courses/{slug}/{module}/assets/{*file}",
            member,
            get(learn::asset),
        ),
        r(
            M::POST,
            "/o/{org}/learn/courses/{slug}/{module}/{lesson}/done",
            member,
            post(learn::mark_done),
        ),
        r(
            M::GET,
            "/o/{org}/learn/courses/{slug}/{module}/quiz",
            member,
            get(assess::quiz_home),
        ),
        r(
            M::POST,
            "/o/{org}/learn/courses/{slug}/{module}/quiz",
            member,
            post(assess::quiz_start),
        ),
        r(
            M::GET,
            "/o/{org}/learn/courses/{slug}/{module}/quiz/{id}",
            member,
            get(assess::quiz_attempt),
        ),
        r(
            M::POST,
            "/o/{org}/learn/courses/{slug}/{module}/quiz/{id}",
            member,
            post(assess::quiz_submit),
        ),
        r(
            M::GET,
            "/o/{org}/learn/tracks/{slug}",
            member,
            get(assess::track),
        ),
        r(
            M::POST,
            "/o/{org}/learn/tracks/{slug}/{phase}",
            member,
            post(assess::test_start),
        ),
        r(
            M::GET,
            "/o/{org}/learn/tracks/{slug}/{phase}/{id}",
            member,
            get(assess::test_attempt),
        ),
        r(
            M::POST,
            "/o/{org}/learn/tracks/{slug}/{phase}/{id}",
            member,
            post(assess::test_submit),
        ),
        r(
            M::GET,
            "/o/{org}/learn/grading",
            GRADERS,
            get(assess::grading),
        ),
        r(
            M::POST,
            "/o/{org}/learn/grading/{id}",
            GRADERS,
            post(assess::grade),
        ),
        r(M::GET, "/o/{org}/curriculum", OWNERS, get(curriculum::home)),
        r(
            M::POST,
            "/o/{org}/curriculum/install",
            OWNERS,
            post(curriculum::install),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/import",
            OWNERS,
            post(curriculum::import),
        ),
        r(
            M::GET,
            "/o/{org}/curriculum/placeholders",
            OWNERS,
            get(curriculum::placeholders),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/placeholders",
            OWNERS,
            post(curriculum::save_placeholders),
        ),
        r(
            M::GET,
            "/o/{org}/curriculum/tracks/{slug}",
            OWNERS,
            get(curriculum::track),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/tracks/{slug}",
            OWNERS,
            post(curriculum::save_track),
        ),
        r(
            M::GET,
            "/o/{org}/curriculum/courses/{slug}",
            OWNERS,
            get(curriculum::course),
        ),
        r(
            M::GET,
            "/o/{org}/curriculum/courses/{slug}/versions/{id}/export",
            OWNERS,
            get(curriculum::export),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/courses/{slug}/publish",
            OWNERS,
            post(curriculum::publish),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/preview",
            OWNERS,
            post(curriculum::live_preview),
        ),
        r(
            M::GET,
            "/o/{org}/curriculum/courses/{slug}/edit/{module}/{lesson}",
            OWNERS,
            get(curriculum::edit_lesson),
        ),
        r(
            M::POST,
            "/o/{org}/curriculum/courses/{slug}/edit/{module}/{lesson}",
            OWNERS,
            post(curriculum::save_lesson),
        ),
    ]
}

/// A statement by the current member.
#[allow(clippy::too_many_arguments)]
pub(crate) fn statement(
    person: PersonId,
    verb: Verb,
    kind: ActivityKind,
    key: &str,
    name: &str,
    parent: Option<(ActivityKind, &str)>,
    registration: &str,
    outcome: Outcome,
    at: i64,
) -> NewStatement {
    NewStatement {
        person,
        verb,
        kind,
        key: key.to_string(),
        name: name.to_string(),
        parent: parent.map(|(k, s)| (k, s.to_string())),
        registration: Some(registration.to_string()),
        outcome,
        at,
    }
}

/// A `?done=` notice of this area (`learning-notice-<id>`).
pub(crate) fn with_notice(mut page: Page, id: Option<&str>) -> Page {
    if let Some(id) = id.filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')) {
        let text = page.t(&format!("learning-notice-{id}"));
        if !text.starts_with("Unknown localization") {
            page.notice = Some(text);
        }
    }
    page
}

/// The organisation's slug, for links.
pub(crate) fn org_slug(ctx: &OrgCtx) -> &str {
    &ctx.member.org.slug
}
