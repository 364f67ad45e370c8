//! Registration, the waitlist and attendance. Every change that gives a seat records a
//! `registered` statement, and every `present` mark an `attended` statement, in the same
//! transaction as the registration row.

use super::Recipient;
use crate::{record_statements, Result, Store, StoreError};
use somu_domain::classes::{admit, Attendance, RegistrationStatus, SessionStatus};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::org::{AppRole, Audience, EmploymentType, PersonInput};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use somu_domain::FieldError;

/// Notice codes written to `class_notice.message` (the web layer words them).
pub mod notice {
    /// Moved from the waitlist to a seat.
    pub const PROMOTED: &str = "promoted";
    /// The session's time changed.
    pub const MOVED: &str = "moved";
    /// The session was called off.
    pub const CANCELLED: &str = "cancelled";
}

/// A statement about a session.
pub fn session_statement(
    person: PersonId,
    verb: Verb,
    session: i64,
    title: &str,
    course: Option<&str>,
    at: i64,
) -> NewStatement {
    NewStatement {
        person,
        verb,
        kind: ActivityKind::Session,
        key: session.to_string(),
        name: title.to_string(),
        parent: course.map(|c| (ActivityKind::Course, c.to_string())),
        registration: None,
        outcome: Outcome {
            completion: (verb == Verb::Attended).then_some(true),
            ..Outcome::default()
        },
        at,
    }
}

/// Give the first person waiting a seat (inside a transaction `$tx`): records their `registered`
/// statement and an in-app notice, and evaluates to the person promoted, if anyone was waiting.
macro_rules! promote_next {
    ($tx:ident, $org:expr, $session:expr, $title:expr, $course:expr, $now:expr) => {{
        let next: Option<$crate::classes::Recipient> = sqlx::query_as(
            "SELECT p.id AS person_id, p.name, p.email FROM class_registration r \
             JOIN person p ON p.org_id = r.org_id AND p.id = r.person_id \
             WHERE r.org_id = $1 AND r.session_id = $2 AND r.status = 'waitlisted' ORDER BY r.seq LIMIT 1",
        )
        .bind($org.0)
        .bind($session)
        .fetch_optional(&mut *$tx)
        .await?;
        if let Some(r) = &next {
            sqlx::query(
                "UPDATE class_registration SET status = 'registered', updated_at = $4 \
                 WHERE org_id = $1 AND session_id = $2 AND person_id = $3",
            )
            .bind($org.0)
            .bind($session)
            .bind(r.person_id)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
            let st = $crate::classes::session_statement(
                somu_domain::ids::PersonId(r.person_id),
                somu_domain::xapi::Verb::Registered,
                $session,
                $title,
                $course,
                $now,
            );
            $crate::record_statements!($tx, $org, &[st]);
            sqlx::query(concat!(
                "INSERT INTO class_notice (org_id, id, person_id, session_id, message, at) VALUES ($1, ",
                $crate::next_id_sql!("class_notice"),
                ", $2, $3, $4, $5)"
            ))
            .bind($org.0)
            .bind(r.person_id)
            .bind($session)
            .bind($crate::classes::notice::PROMOTED)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
        next
    }};
}

/// One person on a session's roster.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct RegistrationRow {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Team (for a training provider: the client company).
    pub company: Option<String>,
    /// `registered`, `waitlisted` or `cancelled`.
    pub status: String,
    /// Order of arrival (the waitlist order).
    pub seq: i64,
    /// `present`, `absent` or not yet taken.
    pub attendance: Option<String>,
    /// Registered at.
    pub created_at: i64,
}

/// The first statement of every transaction that counts seats: a no-op write on the session row.
/// It takes the row lock on PostgreSQL and the write lock on SQLite before anything is read, so
/// concurrent registrations for one session run one after the other and never overbook.
pub(crate) const LOCK_SESSION: &str =
    "UPDATE class_session SET updated_at = updated_at WHERE org_id = $1 AND id = $2";

/// Inside a transaction: lock the session row ([`LOCK_SESSION`]), then read the person's standing.
macro_rules! lock_and_standing {
    ($tx:ident, $org:expr, $session:expr, $person:expr) => {{
        sqlx::query(LOCK_SESSION)
            .bind($org.0)
            .bind($session)
            .execute(&mut *$tx)
            .await?;
        let current: Option<String> = sqlx::query_scalar(
            "SELECT status FROM class_registration WHERE org_id = $1 AND session_id = $2 AND person_id = $3",
        )
        .bind($org.0)
        .bind($session)
        .bind($person.0)
        .fetch_optional(&mut *$tx)
        .await?;
        current.and_then(|c| c.parse::<RegistrationStatus>().ok())
    }};
}

fn refused(m: &str) -> StoreError {
    StoreError::Conflict(m.to_string())
}

impl Store {
    /// Register a person: a seat while there are seats, else a waitlist place. Refused (nothing
    /// changed) for a cancelled or started session and for someone already registered or waiting.
    pub async fn register(
        &self,
        org: OrgId,
        session: i64,
        person: PersonId,
        now: i64,
    ) -> Result<RegistrationStatus> {
        let s = self.class_session(org, session).await?;
        self.person(org, person).await?;
        let status: SessionStatus = s.status.parse().unwrap_or(SessionStatus::Scheduled);
        crate::retry_on_conflict(|| async {
            Ok(crate::with_tx!(self, |tx| {
                let current = lock_and_standing!(tx, org, session, person);
                let (taken, last_seq): (i64, i64) = sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM class_registration WHERE org_id = $1 AND session_id = $2",
                )
                .bind(org.0)
                .bind(session)
                .fetch_one(&mut *tx)
                .await?;
                                let outcome = admit(status, s.start_at, now, current, taken, s.capacity)
                    .map_err(|r| refused(r.message()))?;
                sqlx::query(
                    "INSERT INTO class_registration (org_id, session_id, person_id, status, seq, attendance, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, NULL, $6, $6) ON CONFLICT (org_id, session_id, person_id) \
                     DO UPDATE SET status = $4, seq = $5, attendance = NULL, updated_at = $6",
                )
                .bind(org.0)
                .bind(session)
                .bind(person.0)
                .bind(outcome.code())
                .bind(last_seq + 1)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if outcome == RegistrationStatus::Registered {
                    let st = session_statement(
                        person,
                        Verb::Registered,
                        session,
                        &s.title,
                        s.course_slug.as_deref(),
                        now,
                    );
                    record_statements!(tx, org, &[st]);
                }
                outcome
            }))
        })
        .await
    }

    /// Withdraw a person. When they held a seat of a session still to come, the first person
    /// waiting takes it; that person is returned (to be told by mail).
    pub async fn withdraw(
        &self,
        org: OrgId,
        session: i64,
        person: PersonId,
        now: i64,
    ) -> Result<Option<Recipient>> {
        let s = self.class_session(org, session).await?;
        crate::retry_on_conflict(|| async {
            Ok(crate::with_tx!(self, |tx| {
                let current = lock_and_standing!(tx, org, session, person);
                let was = current;
                if !matches!(
                    was,
                    Some(RegistrationStatus::Registered | RegistrationStatus::Waitlisted)
                ) {
                    return Err(refused("not registered for this session"));
                }
                sqlx::query(
                    "UPDATE class_registration SET status = 'cancelled', updated_at = $4 \
                     WHERE org_id = $1 AND session_id = $2 AND person_id = $3",
                )
                .bind(org.0)
                .bind(session)
                .bind(person.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if was == Some(RegistrationStatus::Registered)
                    && !s.is_cancelled()
                    && s.start_at > now
                {
                    promote_next!(tx, org, session, &s.title, s.course_slug.as_deref(), now)
                } else {
                    None
                }
            }))
        })
        .await
    }

    /// A session's roster: seats first, then the waitlist in order, then withdrawals.
    pub async fn registrations(&self, org: OrgId, session: i64) -> Result<Vec<RegistrationRow>> {
        Ok(crate::with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT r.person_id, p.name, p.email, t.name AS company, r.status, r.seq, r.attendance, r.created_at \
             FROM class_registration r JOIN person p ON p.org_id = r.org_id AND p.id = r.person_id \
             LEFT JOIN team t ON t.org_id = p.org_id AND t.id = p.team_id \
             WHERE r.org_id = $1 AND r.session_id = $2 \
             ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, \
             CASE WHEN r.status = 'registered' THEN p.name ELSE '' END, r.seq"
        )
        .bind(org.0)
        .bind(session)
        .fetch_all(p)
        .await
        })?)
    }

    /// A person's standing for every session they ever registered for: (session id, status).
    pub async fn registrations_of(
        &self,
        org: OrgId,
        person: PersonId,
    ) -> Result<Vec<(i64, String)>> {
        Ok(crate::with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT session_id, status FROM class_registration WHERE org_id = $1 AND person_id = $2"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_all(p)
        .await
        })?)
    }

    /// Record attendance marks for people holding a seat. A first `present` mark records an
    /// `attended` statement dated `at`. Refused whole when someone is not on the roster.
    pub async fn set_attendance(
        &self,
        org: OrgId,
        session: i64,
        marks: &[(PersonId, Attendance)],
        at: i64,
        now: i64,
    ) -> Result<usize> {
        let s = self.class_session(org, session).await?;
        if s.is_cancelled() {
            return Err(refused("this session was cancelled"));
        }
        crate::retry_on_conflict(|| async {
            Ok(crate::with_tx!(self, |tx| {
                let mut stmts = Vec::new();
                for (person, mark) in marks {
                    let current: Option<(String, Option<String>)> = sqlx::query_as(
                        "SELECT status, attendance FROM class_registration WHERE org_id = $1 AND session_id = $2 AND person_id = $3",
                    )
                    .bind(org.0)
                    .bind(session)
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((_, before)) = current.filter(|(st, _)| st == "registered") else {
                        return Err(StoreError::Invalid(
                            FieldError::new(
                                format!("attendance.{}", person.0),
                                "not-registered",
                                format!("person {} holds no seat in this session", person.0),
                            )
                            .into(),
                        ));
                    };
                    sqlx::query(
                        "UPDATE class_registration SET attendance = $4, updated_at = $5 \
                         WHERE org_id = $1 AND session_id = $2 AND person_id = $3",
                    )
                    .bind(org.0)
                    .bind(session)
                    .bind(person.0)
                    .bind(mark.code())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if *mark == Attendance::Present && before.as_deref() != Some("present") {
                        stmts.push(session_statement(
                            *person,
                            Verb::Attended,
                            session,
                            &s.title,
                            s.course_slug.as_deref(),
                            at,
                        ));
                    }
                }
                record_statements!(tx, org, &stmts);
                marks.len()
            }))
        })
        .await
    }

    /// The person with this email in the organisation, or a new one (a participant from a client
    /// company, filed under a team named after the company). Returns the id and whether it is new.
    pub async fn participant(
        &self,
        org: OrgId,
        name: &str,
        email: &str,
        company: &str,
    ) -> Result<(PersonId, bool)> {
        if let Some(p) = self.person_by_email(org, email).await? {
            return Ok((PersonId(p.id), false));
        }
        let input = PersonInput {
            employee_id: None,
            email: email.to_string(),
            name: name.to_string(),
            audience: Audience::Practitioner,
            team: (!company.is_empty()).then(|| company.to_string()),
            manager: None,
            employment_type: EmploymentType::Partner,
            language: "en".into(),
            job_title: None,
            start_date: None,
        };
        match self.create_person(org, &input).await {
            Ok(id) => {
                self.set_roles(org, id, &[AppRole::Learner]).await?;
                Ok((id, true))
            }
            // Someone registered with the same address a moment ago.
            Err(e) if e.is_unique_violation() => match self.person_by_email(org, email).await? {
                Some(p) => Ok((PersonId(p.id), false)),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}
