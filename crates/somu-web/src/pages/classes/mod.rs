//! Instructor-led classes: the session list and pages, the session form, registration and the
//! waitlist, the attendance roster, the public catalogue of a training provider and the
//! iCalendar feeds.

mod calendar;
mod catalogue;
mod roster;
mod sessions;

use crate::access::OrgCtx;
use crate::i18n::Tr;
use crate::routes::{r, RouteDef};
use crate::AppState;
use axum::http::Method as M;
use axum::routing::{get, post};
pub use roster::withdraw_and_promote;
use somu_domain::access::Access;
use somu_domain::classes::display_span;
use somu_domain::org::AppRole;
use somu_store::classes::{Recipient, SessionRow};

/// Who manages sessions: instructors, programme owners and administrators.
pub const CLASS_STAFF: Access = Access::Org(&[
    AppRole::OrgAdmin,
    AppRole::ProgrammeOwner,
    AppRole::Instructor,
]);

/// This area's routes.
pub fn routes() -> Vec<RouteDef> {
    let (public, member, staff) = (Access::Public, Access::MEMBER, CLASS_STAFF);
    vec![
        r(M::GET, "/o/{org}/classes", member, get(sessions::list)),
        r(
            M::GET,
            "/o/{org}/classes/new",
            staff,
            get(sessions::new_form),
        ),
        r(
            M::POST,
            "/o/{org}/classes/new",
            staff,
            post(sessions::create),
        ),
        r(
            M::POST,
            "/o/{org}/classes/feed",
            member,
            post(calendar::renew_feed),
        ),
        r(M::GET, "/o/{org}/classes/{id}", member, get(sessions::show)),
        r(
            M::GET,
            "/o/{org}/classes/{id}/edit",
            staff,
            get(sessions::edit_form),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/edit",
            staff,
            post(sessions::update),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/cancel",
            staff,
            post(sessions::cancel),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/notes",
            staff,
            post(sessions::notes),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/register",
            member,
            post(roster::register),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/withdraw",
            member,
            post(roster::withdraw),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/enrol",
            staff,
            post(roster::enrol),
        ),
        r(
            M::GET,
            "/o/{org}/classes/{id}/attendance",
            staff,
            get(roster::attendance_form),
        ),
        r(
            M::POST,
            "/o/{org}/classes/{id}/attendance",
            staff,
            post(roster::attendance),
        ),
        r(M::GET, "/catalogue/{org}", public, get(catalogue::list)),
        r(
            M::GET,
            "/catalogue/{org}/{id}",
            public,
            get(catalogue::show),
        ),
        r(
            M::POST,
            "/catalogue/{org}/{id}",
            public,
            post(catalogue::register),
        ),
        r(M::GET, "/ical/{token}", public, get(calendar::person_feed)),
    ]
}

/// A session as the templates show it.
pub struct SessionView {
    /// The row.
    pub s: SessionRow,
    /// Its time in its own zone.
    pub when: String,
    /// Where (place, else "online").
    pub place: String,
}

impl SessionView {
    /// Wrap a row.
    pub fn new(s: SessionRow, tr: &Tr) -> Self {
        let when = display_span(s.start_at, s.end_at, &s.time_zone);
        let place = match (&s.place, &s.online_url) {
            (Some(p), _) => p.clone(),
            (None, Some(_)) => tr.t("classes-online"),
            (None, None) => String::new(),
        };
        SessionView { s, when, place }
    }
}

/// `{id}` or `{id}.ics` from the path: the id and whether the calendar form was asked for.
pub(crate) fn id_and_format(raw: &str) -> Result<(i64, bool), crate::error::AppError> {
    let (digits, ics) = match raw.strip_suffix(".ics") {
        Some(d) => (d, true),
        None => (raw, false),
    };
    digits
        .parse::<i64>()
        .map(|id| (id, ics))
        .map_err(|_| crate::error::AppError::NotFound)
}

/// Tell people about a change by mail (the outbox) and in the app.
pub async fn tell(
    state: &AppState,
    org: &somu_store::org::Org,
    people: &[Recipient],
    session: &SessionRow,
    code: &str,
) -> crate::error::AppResult<()> {
    use crate::i18n::FluentArg;
    let tr = Tr::new("en");
    let now = state.clock.now();
    let link = format!(
        "{}/o/{}/classes/{}",
        state.config.base_url, org.slug, session.id
    );
    let when = display_span(session.start_at, session.end_at, &session.time_zone);
    for p in people {
        let args = [
            ("name", FluentArg::Str(p.name.clone())),
            ("title", FluentArg::Str(session.title.clone())),
            ("when", FluentArg::Str(when.clone())),
            ("link", FluentArg::Str(link.clone())),
        ];
        let subject = tr.ta(&format!("classes-mail-{code}-subject"), &args);
        let body = tr.ta(&format!("classes-mail-{code}-body"), &args);
        state
            .store
            .enqueue_mail(org.org_id(), &p.email, &subject, &body)
            .await?;
        // A promotion's in-app notice is written with the promotion itself.
        if code == somu_store::classes::notice::PROMOTED {
            continue;
        }
        state
            .store
            .add_class_notice(
                org.org_id(),
                somu_domain::ids::PersonId(p.person_id),
                session.id,
                code,
                now,
            )
            .await?;
    }
    Ok(())
}

/// Whether the member manages sessions.
pub fn is_class_staff(ctx: &OrgCtx) -> bool {
    CLASS_STAFF.admits(&ctx.member.roles)
}
