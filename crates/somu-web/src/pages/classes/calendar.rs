//! iCalendar feeds: one file per session and a secret-link feed per person.

use crate::access::OrgCtx;
use crate::error::{AppError, AppResult};
use crate::pages::audit;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use somu_domain::classes::ical::{calendar, Event};
use somu_domain::ids::{OrgId, PersonId};
use somu_store::classes::SessionRow;
use somu_store::org::Org;

fn host(base_url: &str) -> &str {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("somu")
}

/// A session as a calendar event. `public` links to the catalogue page instead of the member page.
pub(crate) fn event(state: &AppState, org: &Org, s: &SessionRow, public: bool) -> Event {
    let base = &state.config.base_url;
    let url = if public {
        format!("{base}/catalogue/{}/{}", org.slug, s.id)
    } else {
        format!("{base}/o/{}/classes/{}", org.slug, s.id)
    };
    Event {
        // Stable for the session's life: organisation and session ids never change.
        uid: format!("session-{}-{}@{}", org.id, s.id, host(base)),
        sequence: s.ical_sequence,
        cancelled: s.is_cancelled(),
        summary: s.title.clone(),
        description: s.description.clone(),
        location: s.place.clone().or_else(|| s.online_url.clone()),
        url: Some(url),
        start_at: s.start_at,
        end_at: s.end_at,
        time_zone: s.time_zone.clone(),
        stamp: s.updated_at,
    }
}

/// A calendar document response.
pub(crate) fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, max-age=300".to_string()),
        ],
        body,
    )
        .into_response()
}

/// One session's `.ics`.
pub(crate) fn session_ics(state: &AppState, org: &Org, s: SessionRow, public: bool) -> Response {
    let name = format!("{} · {}", s.title, org.name);
    let body = calendar(&name, &[event(state, org, &s, public)]);
    ics_response(body, &format!("session-{}.ics", s.id))
}

/// GET /ical/{token} (`{token}.ics`): a person's sessions, for calendar apps to subscribe to.
/// The token is the only credential; unknown tokens get 404.
pub async fn person_feed(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> AppResult<Response> {
    let secret = raw.strip_suffix(".ics").unwrap_or(&raw);
    if secret.len() != 48 || !secret.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let owner = state
        .store
        .feed_owner(secret)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = Org {
        id: owner.org_id,
        slug: owner.org_slug,
        name: owner.org_name,
    };
    let sessions = state
        .store
        .person_sessions(OrgId(owner.org_id), PersonId(owner.person_id), 1000)
        .await?;
    let events: Vec<Event> = sessions
        .iter()
        .map(|s| event(&state, &org, s, false))
        .collect();
    let body = calendar(&format!("Somu · {}", org.name), &events);
    Ok(ics_response(body, "somu-classes.ics"))
}

/// POST /o/{org}/classes/feed: make a new secret feed link (the old one stops working).
pub async fn renew_feed(
    State(state): State<AppState>,
    Extension(ctx): Extension<OrgCtx>,
) -> AppResult<Redirect> {
    let secret = state
        .store
        .renew_feed_token(ctx.org(), ctx.member.person_id, state.clock.now())
        .await?;
    audit(
        &state,
        &ctx,
        "class.feed-renew",
        &format!("person/{}", ctx.member.person_id.0),
        "",
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/o/{}/classes?done=feed&feed={secret}#feed",
        ctx.member.org.slug
    )))
}
