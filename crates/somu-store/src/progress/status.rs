//! The per-person standing tables behind the programme owner's view: `assignment_status` (one
//! row per assignment in force and person in its scope), `assigned_course` (one row per
//! person and distinct course assigned to them) and `progress_person` (one row per person with
//! a course assigned). Triggers sum the last two into `progress_funnel_total` and
//! `progress_course_total` as rows come and go.
//!
//! They are recomputed person by person: anything that can change a person's standing marks
//! them in `progress_dirty` (the projector for new statements, [`Store::create_assignment`] and
//! [`Store::withdraw_assignment`], and database triggers for changes to people and to a track's
//! courses), and [`Store::refresh_progress_status`] recomputes the marked people with the same
//! rules as the learner's plan. The recomputation is set-based SQL, a few thousand people per
//! transaction.

use super::IN_SCOPE;
use crate::{with_tx, Result, Store};
use somu_domain::ids::OrgId;

/// People recomputed per transaction.
const REFRESH_BATCH: i64 = 2000;

/// `ap`: (assignment, person) pairs in force among the people `{PEOPLE}`; `ac`: the distinct
/// courses each pair gives (one row with a NULL course when a track has none).
const PAIRS: &str = "WITH ap AS (SELECT a.id AS aid, a.kind, a.target, a.due_kind, a.due_date, \
      a.assigned_on, p.id AS pid, p.name, p.audience, p.team_id, p.start_date \
    FROM assignment a JOIN person p ON p.org_id = a.org_id AND p.active = TRUE \
      AND p.id IN ({PEOPLE}) \
    WHERE a.org_id = $1 AND a.archived_at IS NULL AND {IN_SCOPE}), \
    ac AS (SELECT DISTINCT ap.aid, ap.pid, CASE WHEN ap.kind = 'course' THEN ap.target \
        ELSE tc.course_slug END AS course FROM ap \
    LEFT JOIN track t ON ap.kind = 'track' AND t.org_id = $1 AND t.slug = ap.target \
    LEFT JOIN track_course tc ON tc.org_id = $1 AND tc.track_id = t.id)";

/// Insert the standing of every pair (the plan's rules: done when every course is completed
/// and there is at least one).
const INSERT_STATUS: &str = " , st AS (SELECT ac.aid, ac.pid, COUNT(ac.course) AS courses, \
      SUM(CASE WHEN pc.person_id IS NOT NULL THEN 1 ELSE 0 END) AS started, \
      SUM(CASE WHEN pc.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS completed \
    FROM ac LEFT JOIN progress_course pc ON pc.org_id = $1 AND pc.person_id = ac.pid \
      AND pc.course_slug = ac.course GROUP BY ac.aid, ac.pid) \
    INSERT INTO assignment_status (org_id, assignment_id, person_id, name, audience, team_id, \
      courses, started, done, post_passed, due_from) \
    SELECT $1, ap.aid, ap.pid, ap.name, ap.audience, ap.team_id, st.courses, st.started > 0, \
      st.courses > 0 AND st.completed >= st.courses, COALESCE(pt.post_passed, FALSE), \
      CASE ap.due_kind WHEN 'fixed' THEN ap.due_date WHEN 'assigned' THEN ap.assigned_on \
        WHEN 'start' THEN CASE WHEN ap.start_date > ap.assigned_on THEN ap.start_date \
          ELSE ap.assigned_on END \
        ELSE NULL END \
    FROM ap JOIN st ON st.aid = ap.aid AND st.pid = ap.pid \
    LEFT JOIN progress_track pt ON ap.kind = 'track' AND pt.org_id = $1 \
      AND pt.person_id = ap.pid AND pt.track_slug = ap.target";

/// Insert each person's distinct assigned courses with their progress on them.
const INSERT_COURSES: &str = " INSERT INTO assigned_course (org_id, course_slug, person_id, \
      started, completed, best_score, time_ms) \
    SELECT $1, x.course, x.pid, CASE WHEN pc.person_id IS NULL THEN 0 ELSE 1 END, \
      CASE WHEN pc.completed_at IS NULL THEN 0 ELSE 1 END, pc.best_score, COALESCE(pc.time_ms, 0) \
    FROM (SELECT DISTINCT pid, course FROM ac WHERE course IS NOT NULL) x \
    LEFT JOIN progress_course pc ON pc.org_id = $1 AND pc.person_id = x.pid \
      AND pc.course_slug = x.course";

/// Sum each person's standing over their assignments (after `assignment_status` is written):
/// started when any course is begun, completed when every assignment with courses is done,
/// post-test passed when completed and an assigned track's post-test was passed.
const INSERT_PERSON: &str = "INSERT INTO progress_person (org_id, person_id, audience, team_id, \
      started, completed, post_passed) \
    SELECT org_id, person_id, audience, COALESCE(team_id, 0), \
      MAX(CASE WHEN courses > 0 AND started THEN 1 ELSE 0 END), \
      MIN(CASE WHEN courses > 0 AND NOT done THEN 0 ELSE 1 END), \
      MIN(CASE WHEN courses > 0 AND NOT done THEN 0 ELSE 1 END) \
        * MAX(CASE WHEN post_passed THEN 1 ELSE 0 END) \
    FROM assignment_status WHERE org_id = $1 AND person_id IN ({PEOPLE}) \
    GROUP BY org_id, person_id, audience, team_id HAVING MAX(courses) > 0";

/// Mark people (ids from the database, never from input) for recomputation, inside a
/// transaction.
macro_rules! mark_dirty {
    ($tx:expr, $org:expr, $people:expr) => {{
        for chunk in $people.chunks(500) {
            let values = chunk
                .iter()
                .map(|id| format!("({}, {id})", $org.0))
                .collect::<Vec<_>>()
                .join(",");
            sqlx::query(&format!(
                "INSERT INTO progress_dirty (org_id, person_id) VALUES {values} \
                 ON CONFLICT DO NOTHING"
            ))
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use mark_dirty;

impl Store {
    /// Recompute the standing of every person marked in `progress_dirty`. Called by
    /// [`Store::project_progress`]; cheap when nobody is marked. Returns how many people were
    /// recomputed.
    pub async fn refresh_progress_status(&self, org: OrgId) -> Result<u64> {
        let mut total = 0;
        loop {
            let n = self.refresh_batch(org).await?;
            total += n;
            if n < REFRESH_BATCH as u64 {
                return Ok(total);
            }
        }
    }

    async fn refresh_batch(&self, org: OrgId) -> Result<u64> {
        Ok(with_tx!(self, |tx| {
            let people: Vec<i64> = sqlx::query_scalar(
                "SELECT person_id FROM progress_dirty WHERE org_id = $1 ORDER BY person_id \
                 LIMIT $2",
            )
            .bind(org.0)
            .bind(REFRESH_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            if !people.is_empty() {
                let list = super::id_list(&people);
                // The marks go first: a change made while this runs marks the person again
                // (after this transaction), so it is picked up by the next round.
                for table in [
                    "progress_dirty",
                    "assignment_status",
                    "assigned_course",
                    "progress_person",
                ] {
                    sqlx::query(&format!(
                        "DELETE FROM {table} WHERE org_id = $1 AND person_id IN ({list})"
                    ))
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
                }
                let pairs = PAIRS
                    .replace("{IN_SCOPE}", IN_SCOPE)
                    .replace("{PEOPLE}", &list);
                for tail in [INSERT_STATUS, INSERT_COURSES] {
                    sqlx::query(&format!("{pairs}{tail}"))
                        .bind(org.0)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(&INSERT_PERSON.replace("{PEOPLE}", &list))
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
            }
            people.len() as u64
        }))
    }
}
