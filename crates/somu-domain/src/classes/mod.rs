//! Instructor-led classes: sessions in a named IANA time zone, registration with a waitlist,
//! attendance, and the iCalendar rendering of sessions ([`ical`]).
//!
//! Times are stored as Unix seconds; a session also keeps the IANA zone it was planned in, so that
//! it is shown (and exported) in local time and a move across a daylight-saving change stays
//! right. Zones come from the time-zone database bundled with `jiff`, never from the system.

pub mod ical;

use crate::ids::PersonId;
use crate::{FieldError, FieldErrors};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;

crate::closed_set!(
    /// Who may see and join a session.
    Visibility {
        /// Members of the organisation only.
        InCompany = "in-company" | "private" | "internal",
        /// Published in the organisation's public catalogue (training providers).
        OpenCalendar = "open-calendar" | "open" | "public",
    }
);

crate::closed_set!(
    /// Whether a session still takes place.
    SessionStatus {
        /// Planned.
        Scheduled = "scheduled",
        /// Called off; registrants were told.
        Cancelled = "cancelled" | "canceled",
    }
);

crate::closed_set!(
    /// Where a person stands for a session.
    RegistrationStatus {
        /// Has a seat.
        Registered = "registered",
        /// Waits for a seat; promoted in order when one frees up.
        Waitlisted = "waitlisted" | "waitlist",
        /// Withdrew (or was withdrawn).
        Cancelled = "cancelled" | "canceled",
    }
);

crate::closed_set!(
    /// What the instructor marked on the roster.
    Attendance {
        /// Was there.
        Present = "present" | "attended" | "yes",
        /// Was not.
        Absent = "absent" | "no",
    }
);

/// The largest capacity a session may have.
pub const MAX_CAPACITY: i64 = 10_000;

/// A session as typed into the form or sent to the API: every field text, checked by
/// [`SessionInput::validate`].
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct SessionDraft {
    /// Title.
    pub title: String,
    /// Slug of the course the session is about (optional).
    pub course: String,
    /// Description.
    pub description: String,
    /// IANA time zone, e.g. `Europe/Oslo`.
    pub time_zone: String,
    /// Local start, `YYYY-MM-DDTHH:MM` (as a `datetime-local` input sends it).
    pub starts: String,
    /// Local end, same form.
    pub ends: String,
    /// Room and address.
    pub place: String,
    /// Meeting link.
    pub online_url: String,
    /// Seats.
    pub capacity: String,
    /// The instructor's person id (optional).
    pub instructor: String,
    /// `in-company` or `open-calendar`.
    pub visibility: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInput {
    /// Title.
    pub title: String,
    /// Course slug.
    pub course: Option<String>,
    /// Description.
    pub description: String,
    /// IANA zone name as the database spells it.
    pub time_zone: String,
    /// Start (Unix seconds).
    pub start_at: i64,
    /// End (Unix seconds).
    pub end_at: i64,
    /// Room and address.
    pub place: Option<String>,
    /// Meeting link (http or https).
    pub online_url: Option<String>,
    /// Seats.
    pub capacity: i64,
    /// The instructor.
    pub instructor: Option<PersonId>,
    /// Who may see it.
    pub visibility: Visibility,
}

fn trimmed(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Look a zone up in the bundled database.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give a time zone such as Europe/Oslo".into());
    }
    TimeZone::get(name)
        .map_err(|_| format!("\"{name}\" is not a time zone name (e.g. Europe/Oslo)"))
}

/// A local `YYYY-MM-DDTHH:MM` in a zone as Unix seconds. Times skipped by a daylight-saving
/// change move forward, repeated times take the earlier instant.
pub fn local_to_unix(local: &str, tz: &TimeZone) -> Result<i64, String> {
    let local = local.trim();
    let dt: DateTime = local
        .parse()
        .map_err(|_| format!("\"{local}\" is not a date and time (YYYY-MM-DDTHH:MM)"))?;
    dt.to_zoned(tz.clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| e.to_string())
}

fn local(unix: i64, tz: &TimeZone) -> DateTime {
    Timestamp::from_second(unix)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .datetime()
}

/// Unix seconds as the local `YYYY-MM-DDTHH:MM` of a zone (for pre-filling forms).
pub fn unix_to_local(unix: i64, zone_name: &str) -> String {
    let tz = zone(zone_name).unwrap_or(TimeZone::UTC);
    local(unix, &tz).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// A session's time as people read it: `Tue 1 Dec 2026, 09:00–12:30 (Europe/Oslo)`.
pub fn display_span(start: i64, end: i64, zone_name: &str) -> String {
    let tz = zone(zone_name).unwrap_or(TimeZone::UTC);
    let (a, b) = (local(start, &tz), local(end, &tz));
    let first = a.strftime("%a %-d %b %Y, %H:%M").to_string();
    let second = if a.date() == b.date() {
        b.strftime("%H:%M").to_string()
    } else {
        b.strftime("%a %-d %b %Y, %H:%M").to_string()
    };
    format!("{first}–{second} ({zone_name})")
}

impl SessionInput {
    /// Check a draft; every problem is named by its field.
    pub fn validate(d: &SessionDraft) -> Result<SessionInput, FieldErrors> {
        let mut errs = FieldErrors::default();
        let mut bad =
            |f: &str, code: &'static str, m: String| errs.push(FieldError::new(f, code, m));
        let title = d.title.trim().to_string();
        if title.is_empty() {
            bad("title", "required", "give the session a title".into());
        } else if title.chars().count() > 200 {
            bad(
                "title",
                "too-long",
                "keep the title under 200 characters".into(),
            );
        }
        let tz = match zone(&d.time_zone) {
            Ok(tz) => Some(tz),
            Err(m) => {
                bad("time_zone", "unknown-zone", m);
                None
            }
        };
        let mut times = (None, None);
        if let Some(tz) = &tz {
            match local_to_unix(&d.starts, tz) {
                Ok(s) => times.0 = Some(s),
                Err(m) => bad("starts", "invalid", m),
            }
            match local_to_unix(&d.ends, tz) {
                Ok(s) => times.1 = Some(s),
                Err(m) => bad("ends", "invalid", m),
            }
        }
        if let (Some(s), Some(e)) = times {
            if e <= s {
                bad(
                    "ends",
                    "before-start",
                    "the end must come after the start".into(),
                );
            } else if e - s > 14 * 86_400 {
                bad("ends", "too-long", "a session lasts at most 14 days".into());
            }
        }
        let capacity = match d.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            Ok(_) => {
                bad(
                    "capacity",
                    "out-of-range",
                    format!("capacity is between 1 and {MAX_CAPACITY}"),
                );
                0
            }
            Err(_) => {
                bad(
                    "capacity",
                    "invalid",
                    format!("\"{}\" is not a whole number", d.capacity.trim()),
                );
                0
            }
        };
        let online_url = trimmed(&d.online_url);
        if let Some(u) = &online_url {
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || u.contains(char::is_whitespace)
            {
                bad(
                    "online_url",
                    "invalid",
                    "the link must start with https:// or http://".into(),
                );
            }
        }
        let place = trimmed(&d.place);
        let instructor = match trimmed(&d.instructor) {
            None => None,
            Some(v) => match v.parse::<i64>() {
                Ok(n) if n > 0 => Some(PersonId(n)),
                _ => {
                    bad(
                        "instructor",
                        "invalid",
                        format!("\"{v}\" is not a person id"),
                    );
                    None
                }
            },
        };
        let visibility = match trimmed(&d.visibility) {
            None => Visibility::InCompany,
            Some(v) => v.parse().unwrap_or_else(|e: crate::org::UnknownValue| {
                bad("visibility", "unknown-value", e.to_string());
                Visibility::InCompany
            }),
        };
        let course = trimmed(&d.course);
        if let Some(c) = &course {
            if !c
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            {
                bad("course", "invalid", format!("\"{c}\" is not a course slug"));
            }
        }
        let tz_name = tz
            .as_ref()
            .and_then(|t| t.iana_name().map(str::to_string))
            .unwrap_or_else(|| d.time_zone.trim().to_string());
        errs.into_result(())?;
        Ok(SessionInput {
            title,
            course,
            description: d.description.trim().to_string(),
            time_zone: tz_name,
            start_at: times.0.unwrap_or_default(),
            end_at: times.1.unwrap_or_default(),
            place,
            online_url,
            capacity,
            instructor,
            visibility,
        })
    }
}

/// Why a registration is refused. Nothing changes when one of these is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationRefusal {
    /// The session was cancelled.
    Cancelled,
    /// The session has already started.
    Past,
    /// The person already holds a seat or a waitlist place.
    Already,
}

impl RegistrationRefusal {
    /// The message shown to people.
    pub fn message(self) -> &'static str {
        match self {
            RegistrationRefusal::Cancelled => "this session was cancelled; registration is closed",
            RegistrationRefusal::Past => "this session has already started; registration is closed",
            RegistrationRefusal::Already => {
                "already registered (or on the waitlist) for this session"
            }
        }
    }
}

/// Whether a person may register now, and whether they get a seat (`Registered`) or a waitlist
/// place: seats are taken in order until `capacity`, then the waitlist grows.
pub fn admit(
    status: SessionStatus,
    start_at: i64,
    now: i64,
    current: Option<RegistrationStatus>,
    seats_taken: i64,
    capacity: i64,
) -> Result<RegistrationStatus, RegistrationRefusal> {
    if status == SessionStatus::Cancelled {
        return Err(RegistrationRefusal::Cancelled);
    }
    if start_at <= now {
        return Err(RegistrationRefusal::Past);
    }
    if matches!(
        current,
        Some(RegistrationStatus::Registered | RegistrationStatus::Waitlisted)
    ) {
        return Err(RegistrationRefusal::Already);
    }
    Ok(if seats_taken < capacity {
        RegistrationStatus::Registered
    } else {
        RegistrationStatus::Waitlisted
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SessionDraft {
        SessionDraft {
            title: "Posting with care".into(),
            time_zone: "Europe/Oslo".into(),
            starts: "2026-03-29T01:30".into(),
            ends: "2026-03-29T04:00".into(),
            capacity: "12".into(),
            ..Default::default()
        }
    }

    #[test]
    fn local_times_follow_the_zone_across_a_daylight_saving_change() {
        let s = SessionInput::validate(&draft()).expect("valid");
        // Oslo moves from +01:00 to +02:00 at 02:00 on 29 March 2026: 01:30 is 00:30 UTC and
        // 04:00 is 02:00 UTC, so the session lasts 1.5 hours, not 2.5.
        assert_eq!(s.end_at - s.start_at, 90 * 60);
        assert_eq!(unix_to_local(s.start_at, "Europe/Oslo"), "2026-03-29T01:30");
        assert_eq!(s.visibility, Visibility::InCompany);
    }

    #[test]
    fn bad_input_is_named_by_field() {
        let mut d = draft();
        d.time_zone = "Mars/Olympus".into();
        d.capacity = "zero".into();
        d.online_url = "ftp://x".into();
        let errs = SessionInput::validate(&d).expect_err("invalid");
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["time_zone", "capacity", "online_url"]);

        let mut d = draft();
        d.ends = "2026-03-29T01:00".into();
        let errs = SessionInput::validate(&d).expect_err("end before start");
        assert_eq!(errs.0[0].field, "ends");
        assert_eq!(errs.0[0].code, "before-start");
    }

    #[test]
    fn admission_fills_seats_then_the_waitlist() {
        use RegistrationStatus as R;
        let ok = |cur, taken| admit(SessionStatus::Scheduled, 100, 50, cur, taken, 2);
        assert_eq!(ok(None, 0), Ok(R::Registered));
        assert_eq!(ok(None, 2), Ok(R::Waitlisted));
        assert_eq!(ok(Some(R::Cancelled), 1), Ok(R::Registered));
        assert_eq!(
            ok(Some(R::Waitlisted), 0),
            Err(RegistrationRefusal::Already)
        );
        assert_eq!(
            admit(SessionStatus::Scheduled, 100, 100, None, 0, 2),
            Err(RegistrationRefusal::Past)
        );
        assert_eq!(
            admit(SessionStatus::Cancelled, 100, 0, None, 0, 2),
            Err(RegistrationRefusal::Cancelled)
        );
    }
}
