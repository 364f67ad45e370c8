//! Instructor-led classes: sessions, registrations with a waitlist and automatic promotion,
//! attendance, personal calendar feeds and in-app notices. Registrations and attendance are also
//! written to the learning record (`registered`, `attended`; kind `session`, key = session id) in
//! the same transaction.

#[macro_use]
mod registration;

pub use registration::*;

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store, StoreError};
use somu_domain::classes::SessionInput;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::FieldError;

/// A session as listed and shown.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SessionRow {
    /// Id within the organisation.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Course slug.
    pub course_slug: Option<String>,
    /// Description.
    pub description: String,
    /// IANA zone.
    pub time_zone: String,
    /// Start (Unix seconds).
    pub start_at: i64,
    /// End (Unix seconds).
    pub end_at: i64,
    /// Room and address.
    pub place: Option<String>,
    /// Meeting link.
    pub online_url: Option<String>,
    /// Seats.
    pub capacity: i64,
    /// Instructor's person id.
    pub instructor_id: Option<i64>,
    /// Instructor's name.
    pub instructor_name: Option<String>,
    /// `in-company` or `open-calendar`.
    pub visibility: String,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// iCalendar SEQUENCE: bumped on every move and on cancellation.
    pub ical_sequence: i64,
    /// The instructor's notes.
    pub notes: String,
    /// Created.
    pub created_at: i64,
    /// Last changed.
    pub updated_at: i64,
    /// Seats taken.
    pub registered: i64,
    /// People waiting.
    pub waitlisted: i64,
}

impl SessionRow {
    /// Whether the session was called off.
    pub fn is_cancelled(&self) -> bool {
        self.status == "cancelled"
    }

    /// Seats still free.
    pub fn seats_left(&self) -> i64 {
        (self.capacity - self.registered).max(0)
    }
}

pub(crate) const SESSION_SELECT: &str = "SELECT s.id, s.title, s.course_slug, s.description, s.time_zone, \
    s.start_at, s.end_at, s.place, s.online_url, s.capacity, s.instructor_id, i.name AS instructor_name, \
    s.visibility, s.status, s.ical_sequence, s.notes, s.created_at, s.updated_at, \
    CAST((SELECT COUNT(*) FROM class_registration r WHERE r.org_id = s.org_id AND r.session_id = s.id AND r.status = 'registered') AS BIGINT) AS registered, \
    CAST((SELECT COUNT(*) FROM class_registration r WHERE r.org_id = s.org_id AND r.session_id = s.id AND r.status = 'waitlisted') AS BIGINT) AS waitlisted \
    FROM class_session s LEFT JOIN person i ON i.org_id = s.org_id AND i.id = s.instructor_id";

/// Which sessions to list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    /// Only sessions ending at or after this instant (Unix seconds).
    pub ending_after: Option<i64>,
    /// Only sessions that started before this instant.
    pub starting_before: Option<i64>,
    /// Only this visibility (`in-company` or `open-calendar`).
    pub visibility: Option<String>,
    /// Leave out cancelled sessions.
    pub scheduled_only: bool,
}

/// Someone to tell about a change to a session.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Recipient {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// The owner of a calendar feed token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedOwner {
    /// Organisation id.
    pub org_id: i64,
    /// Organisation slug.
    pub org_slug: String,
    /// Organisation name.
    pub org_name: String,
    /// Person id.
    pub person_id: i64,
}

/// What an edit did.
#[derive(Debug, Clone, Default)]
pub struct SessionUpdate {
    /// The time or zone changed (SEQUENCE was bumped).
    pub moved: bool,
    /// Everyone registered or waiting, to be told of a move.
    pub registrants: Vec<Recipient>,
    /// People who got a seat because the capacity grew.
    pub promoted: Vec<Recipient>,
}

fn capacity_too_small(registered: i64) -> StoreError {
    StoreError::Invalid(
        FieldError::new(
            "capacity",
            "below-registrations",
            format!("{registered} people already hold a seat; the capacity cannot be lower"),
        )
        .into(),
    )
}

impl Store {
    async fn check_instructor(&self, org: OrgId, input: &SessionInput) -> Result<()> {
        if let Some(p) = input.instructor {
            if self.person(org, p).await.is_err() {
                return Err(StoreError::Invalid(
                    FieldError::new(
                        "instructor",
                        "unknown-person",
                        format!("no person {} in this organisation", p.0),
                    )
                    .into(),
                ));
            }
        }
        Ok(())
    }

    /// Create a session.
    pub async fn create_class_session(
        &self,
        org: OrgId,
        input: &SessionInput,
        now: i64,
    ) -> Result<i64> {
        self.check_instructor(org, input).await?;
        retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO class_session (org_id, id, title, course_slug, description, time_zone, start_at, end_at, \
                 place, online_url, capacity, instructor_id, visibility, status, ical_sequence, notes, created_at, updated_at) \
                 VALUES ($1, ",
                next_id_sql!("class_session"),
                ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'scheduled', 0, '', $13, $13) RETURNING id"
            ))
            .bind(org.0)
            .bind(&input.title)
            .bind(&input.course)
            .bind(&input.description)
            .bind(&input.time_zone)
            .bind(input.start_at)
            .bind(input.end_at)
            .bind(&input.place)
            .bind(&input.online_url)
            .bind(input.capacity)
            .bind(input.instructor.map(|p| p.0))
            .bind(input.visibility.code())
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await
    }

    /// One session.
    pub async fn class_session(&self, org: OrgId, id: i64) -> Result<SessionRow> {
        let sql = format!("{SESSION_SELECT} WHERE s.org_id = $1 AND s.id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Sessions in start order, at most `limit`.
    pub async fn class_sessions(
        &self,
        org: OrgId,
        f: &SessionFilter,
        limit: i64,
    ) -> Result<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE s.org_id = $1 AND ($2 IS NULL OR s.end_at >= $2) \
             AND ($3 IS NULL OR s.start_at < $3) AND ($4 IS NULL OR s.visibility = $4) \
             AND ($5 = FALSE OR s.status = 'scheduled') ORDER BY s.start_at, s.id LIMIT $6"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(f.ending_after)
            .bind(f.starting_before)
            .bind(f.visibility.as_deref())
            .bind(f.scheduled_only)
            .bind(limit)
            .fetch_all(p)
            .await)?)
    }

    /// Replace a session's details. Refused when the capacity would fall below the seats taken.
    /// A change of time or zone bumps the SEQUENCE; a larger capacity promotes people waiting.
    pub async fn update_class_session(
        &self,
        org: OrgId,
        id: i64,
        input: &SessionInput,
        now: i64,
    ) -> Result<SessionUpdate> {
        self.check_instructor(org, input).await?;
        let before = self.class_session(org, id).await?;
        if before.is_cancelled() {
            return Err(StoreError::Conflict(
                "this session was cancelled; plan a new one instead".into(),
            ));
        }
        if input.capacity < before.registered {
            return Err(capacity_too_small(before.registered));
        }
        let moved = before.start_at != input.start_at
            || before.end_at != input.end_at
            || before.time_zone != input.time_zone;
        let promoted = crate::with_tx!(self, |tx| {
            sqlx::query(registration::LOCK_SESSION)
                .bind(org.0)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let taken: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM class_registration WHERE org_id = $1 AND session_id = $2 AND status = 'registered'",
            )
            .bind(org.0)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if input.capacity < taken {
                return Err(capacity_too_small(taken));
            }
            sqlx::query(
                "UPDATE class_session SET title = $3, course_slug = $4, description = $5, time_zone = $6, \
                 start_at = $7, end_at = $8, place = $9, online_url = $10, capacity = $11, instructor_id = $12, \
                 visibility = $13, ical_sequence = ical_sequence + $14, updated_at = $15 WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(id)
            .bind(&input.title)
            .bind(&input.course)
            .bind(&input.description)
            .bind(&input.time_zone)
            .bind(input.start_at)
            .bind(input.end_at)
            .bind(&input.place)
            .bind(&input.online_url)
            .bind(input.capacity)
            .bind(input.instructor.map(|p| p.0))
            .bind(input.visibility.code())
            .bind(i64::from(moved))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let mut promoted = Vec::new();
            let free = input.capacity - taken;
            if before.status == "scheduled" && before.start_at > now {
                for _ in 0..free {
                    match promote_next!(tx, org, id, &input.title, input.course.as_deref(), now) {
                        Some(r) => promoted.push(r),
                        None => break,
                    }
                }
            }
            promoted
        });
        let registrants = if moved {
            self.session_recipients(org, id).await?
        } else {
            Vec::new()
        };
        Ok(SessionUpdate {
            moved,
            registrants,
            promoted,
        })
    }

    /// Call a session off: it stays listed as cancelled, feeds show `STATUS:CANCELLED`, and the
    /// people registered or waiting are returned to be told.
    pub async fn cancel_class_session(
        &self,
        org: OrgId,
        id: i64,
        now: i64,
    ) -> Result<Vec<Recipient>> {
        let s = self.class_session(org, id).await?;
        if s.is_cancelled() {
            return Err(StoreError::Conflict(
                "this session is already cancelled".into(),
            ));
        }
        let people = self.session_recipients(org, id).await?;
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE class_session SET status = 'cancelled', ical_sequence = ical_sequence + 1, updated_at = $3 \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(people)
    }

    /// Replace the instructor's notes.
    pub async fn set_session_notes(
        &self,
        org: OrgId,
        id: i64,
        notes: &str,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE class_session SET notes = $3, updated_at = $4 WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .bind(notes)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// People registered or waiting for a session.
    pub async fn session_recipients(&self, org: OrgId, id: i64) -> Result<Vec<Recipient>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT p.id AS person_id, p.name, p.email FROM class_registration r \
             JOIN person p ON p.org_id = r.org_id AND p.id = r.person_id \
             WHERE r.org_id = $1 AND r.session_id = $2 AND r.status IN ('registered', 'waitlisted') ORDER BY r.seq"
        )
        .bind(org.0)
        .bind(id)
        .fetch_all(p)
        .await
        })?)
    }

    /// Sessions on a person's calendar: those they hold a seat or a waitlist place for, and those
    /// they teach; cancelled ones included (so calendars learn of the cancellation).
    pub async fn person_sessions(
        &self,
        org: OrgId,
        person: PersonId,
        limit: i64,
    ) -> Result<Vec<SessionRow>> {
        let sql = format!(
            "{SESSION_SELECT} WHERE s.org_id = $1 AND (s.instructor_id = $2 OR EXISTS (\
             SELECT 1 FROM class_registration r WHERE r.org_id = s.org_id AND r.session_id = s.id \
             AND r.person_id = $2 AND r.status IN ('registered', 'waitlisted'))) \
             ORDER BY s.start_at DESC, s.id LIMIT $3"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.0)
            .bind(limit)
            .fetch_all(p)
            .await)?)
    }

    /// Give a person a new calendar feed token (any earlier one stops working); returns the secret.
    pub async fn renew_feed_token(&self, org: OrgId, person: PersonId, now: i64) -> Result<String> {
        let (secret, hash) = crate::new_secret();
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO class_feed (org_id, person_id, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (org_id, person_id) DO UPDATE SET token_hash = $3, created_at = $4"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(&hash)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(secret)
    }

    /// When the person's feed token was made, if they have one.
    pub async fn feed_created(&self, org: OrgId, person: PersonId) -> Result<Option<i64>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT created_at FROM class_feed WHERE org_id = $1 AND person_id = $2"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_optional(p)
        .await)?)
    }

    /// Whose feed a secret opens (a platform lookup by the token's hash): the organisation, its
    /// slug and name, and the person.
    pub async fn feed_owner(&self, secret: &str) -> Result<Option<FeedOwner>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT f.org_id, o.slug AS org_slug, o.name AS org_name, f.person_id FROM class_feed f \
             JOIN org o ON o.id = f.org_id WHERE f.token_hash = $1"
        )
        .bind(crate::hash_secret(secret))
        .fetch_optional(p)
        .await
        })?)
    }

    /// People who may teach: active members holding the instructor role, by name.
    pub async fn class_instructors(&self, org: OrgId) -> Result<Vec<(i64, String)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT p.id, p.name FROM person p JOIN person_role r ON r.org_id = p.org_id AND r.person_id = p.id \
             WHERE p.org_id = $1 AND r.role = 'instructor' AND p.active = TRUE ORDER BY p.name LIMIT 500"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?)
    }

    /// Queue an in-app notice for a person.
    pub async fn add_class_notice(
        &self,
        org: OrgId,
        person: PersonId,
        session: i64,
        message: &str,
        now: i64,
    ) -> Result<()> {
        retry_on_conflict(|| async {
            with_pool!(self, |p| sqlx::query(concat!(
                "INSERT INTO class_notice (org_id, id, person_id, session_id, message, at) VALUES ($1, ",
                next_id_sql!("class_notice"),
                ", $2, $3, $4, $5)"
            ))
            .bind(org.0)
            .bind(person.0)
            .bind(session)
            .bind(message)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
            Ok(())
        })
        .await
    }

    /// A person's latest notices about sessions: (session id, message, at).
    pub async fn class_notices(
        &self,
        org: OrgId,
        person: PersonId,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT session_id, message, at FROM class_notice WHERE org_id = $1 AND person_id = $2 \
             ORDER BY at DESC, id DESC LIMIT $3"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(limit)
        .fetch_all(p)
        .await
        })?)
    }
}
