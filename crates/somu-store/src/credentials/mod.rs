//! Certification: programmes and their requirements, the facts the learning record gives about
//! a person for a programme, capstone submissions and their grading. Issued credentials, issuer
//! keys and status lists are in [`issued`].

pub mod exam;
pub mod issued;

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::certification::Facts;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};

/// A certification programme.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Programme {
    /// Id within the organisation.
    pub id: i64,
    /// Stable name (the xAPI key of its exam, capstone and programme statements).
    pub slug: String,
    /// Title, e.g. "Social Media Manager".
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Requirements as JSON (see `somu_domain::certification::Step`).
    pub requirements: String,
    /// What the capstone asks for (Markdown); empty when there is no capstone.
    pub capstone_brief: String,
    /// Rubric as JSON (see `somu_domain::certification::Criterion`).
    pub rubric: String,
    /// 1 when a programme owner approves each credential before it is issued.
    pub needs_approval: i64,
    /// 1 when every capstone needs a second, blind grader.
    pub second_grader: i64,
    /// Months a credential stays valid; none = no expiry.
    pub valid_months: Option<i64>,
    /// Course to take again to recertify, if any.
    pub refresher_course: Option<String>,
    /// Created (Unix seconds).
    pub created_at: i64,
}

const PROGRAMME_COLUMNS: &str = "id, slug, title, summary, requirements, capstone_brief, rubric, \
    needs_approval, second_grader, valid_months, refresher_course, created_at";

/// A capstone submission.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Capstone {
    /// Id within the organisation.
    pub id: i64,
    /// The programme.
    pub programme_id: i64,
    /// Who submitted it.
    pub person_id: i64,
    /// Team members' person ids (comma-separated, includes the submitter).
    pub team: String,
    /// Title.
    pub title: String,
    /// The text.
    pub body: String,
    /// Links, one a line.
    pub links: String,
    /// `submitted`, `returned`, `passed` or `failed`.
    pub status: String,
    /// Final rubric score (percent) once decided.
    pub percent: Option<f64>,
    /// Overall feedback once decided.
    pub feedback: String,
    /// Submitted (Unix seconds).
    pub submitted_at: i64,
    /// Decided (Unix seconds).
    pub decided_at: Option<i64>,
}

impl Capstone {
    /// Team member ids.
    pub fn members(&self) -> Vec<i64> {
        self.team
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }
}

const CAPSTONE_COLUMNS: &str = "id, programme_id, person_id, team, title, body, links, status, \
    percent, feedback, submitted_at, decided_at";

/// A capstone about to be submitted.
#[derive(Debug, Clone)]
pub struct NewCapstone {
    /// The programme.
    pub programme_id: i64,
    /// Submitter.
    pub person: PersonId,
    /// All members (including the submitter).
    pub team: Vec<i64>,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Links, one a line.
    pub links: String,
    /// Files: (name, MIME type, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
}

/// A file attached to a capstone (without its bytes).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct CapstoneFile {
    /// Number within the capstone.
    pub id: i64,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: i64,
}

/// One grader's grading of a capstone.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Grade {
    /// The grader's person id.
    pub grader_id: i64,
    /// Level per criterion (JSON array).
    pub levels: String,
    /// Comment per criterion (JSON array of strings).
    pub comments: String,
    /// Overall feedback.
    pub feedback: String,
    /// Rubric percentage.
    pub percent: f64,
    /// `pass` or `return`.
    pub decision: String,
    /// When (Unix seconds).
    pub at: i64,
}

impl Store {
    /// Create or update a programme by slug; returns its id.
    pub async fn put_programme(&self, org: OrgId, p: &Programme) -> Result<i64> {
        retry_on_conflict(|| async {
            Ok(with_pool!(self, |pool| sqlx::query_scalar(concat!(
                "INSERT INTO programme (org_id, id, slug, title, summary, requirements, \
                 capstone_brief, rubric, needs_approval, second_grader, valid_months, \
                 refresher_course, created_at) VALUES ($1, ",
                next_id_sql!("programme"),
                ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (org_id, slug) DO UPDATE SET title = excluded.title, \
                 summary = excluded.summary, requirements = excluded.requirements, \
                 capstone_brief = excluded.capstone_brief, rubric = excluded.rubric, \
                 needs_approval = excluded.needs_approval, second_grader = excluded.second_grader, \
                 valid_months = excluded.valid_months, refresher_course = excluded.refresher_course \
                 RETURNING id"
            ))
            .bind(org.0)
            .bind(&p.slug)
            .bind(&p.title)
            .bind(&p.summary)
            .bind(&p.requirements)
            .bind(&p.capstone_brief)
            .bind(&p.rubric)
            .bind(p.needs_approval)
            .bind(p.second_grader)
            .bind(p.valid_months)
            .bind(&p.refresher_course)
            .bind(p.created_at)
            .fetch_one(pool)
            .await)?)
        })
        .await
    }

    /// Every programme, by title.
    pub async fn programmes(&self, org: OrgId) -> Result<Vec<Programme>> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programme WHERE org_id = $1 ORDER BY title, id"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?)
    }

    /// One programme.
    pub async fn programme(&self, org: OrgId, id: i64) -> Result<Programme> {
        let sql =
            format!("SELECT {PROGRAMME_COLUMNS} FROM programme WHERE org_id = $1 AND id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// One programme by slug.
    pub async fn programme_by_slug(&self, org: OrgId, slug: &str) -> Result<Option<Programme>> {
        let sql =
            format!("SELECT {PROGRAMME_COLUMNS} FROM programme WHERE org_id = $1 AND slug = $2");
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(slug)
            .fetch_optional(p)
            .await)?)
    }

    /// What the learning record says about `person` for the programme `slug` (see
    /// `somu_domain::xapi` keys): completed courses, best exam, sessions, passed capstone.
    pub async fn certification_facts(
        &self,
        org: OrgId,
        person: PersonId,
        slug: &str,
    ) -> Result<Facts> {
        let rows: Vec<(String, String, String, Option<f64>)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT verb, kind, key, score_scaled FROM statement WHERE org_id = $1 AND person_id = $2 \
             AND ((verb = 'completed' AND kind = 'course') OR (verb = 'attended' AND kind = 'session') \
             OR (verb IN ('passed', 'failed') AND kind = 'exam' AND key = $3) \
             OR (verb = 'passed' AND kind = 'capstone' AND key = $3))"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(slug)
        .fetch_all(p)
        .await
        })?;
        let mut f = Facts::default();
        let mut sessions = std::collections::BTreeSet::new();
        for (verb, kind, key, scaled) in rows {
            let pct = scaled.map(|s| s * 100.0);
            match (verb.as_str(), kind.as_str()) {
                ("completed", "course") => {
                    f.completed_courses.insert(key);
                }
                ("attended", "session") => {
                    sessions.insert(key);
                }
                (_, "exam") => f.best_exam_percent = max_opt(f.best_exam_percent, pct),
                (_, "capstone") => f.capstone_percent = max_opt(f.capstone_percent, pct),
                _ => {}
            }
        }
        f.sessions_attended = u32::try_from(sessions.len()).unwrap_or(u32::MAX);
        Ok(f)
    }

    /// Submit a capstone (or resubmit after it was returned: a new submission).
    pub async fn submit_capstone(&self, org: OrgId, c: &NewCapstone, now: i64) -> Result<i64> {
        let team = c
            .team
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO capstone (org_id, id, programme_id, person_id, team, title, body, \
                     links, status, feedback, submitted_at) VALUES ($1, ",
                    next_id_sql!("capstone"),
                    ", $2, $3, $4, $5, $6, $7, 'submitted', '', $8) RETURNING id"
                ))
                .bind(org.0)
                .bind(c.programme_id)
                .bind(c.person.0)
                .bind(&team)
                .bind(&c.title)
                .bind(&c.body)
                .bind(&c.links)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for (i, (name, mime, data)) in c.files.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO capstone_file (org_id, capstone_id, id, person_id, name, mime, data) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(org.0)
                    .bind(id)
                    .bind(i as i64 + 1)
                    .bind(c.person.0)
                    .bind(name)
                    .bind(mime)
                    .bind(data.as_slice())
                    .execute(&mut *tx)
                    .await?;
                }
                id
            }))
        })
        .await
    }

    /// Capstones, newest first: all of a programme, or only those in `status`, or only those
    /// naming `person` as a team member.
    pub async fn capstones(
        &self,
        org: OrgId,
        status: Option<&str>,
        person: Option<PersonId>,
    ) -> Result<Vec<Capstone>> {
        let sql = format!(
            "SELECT {CAPSTONE_COLUMNS} FROM capstone WHERE org_id = $1 \
             AND ($2 IS NULL OR status = $2) ORDER BY submitted_at DESC, id DESC"
        );
        let all: Vec<Capstone> = with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(status)
            .fetch_all(p)
            .await)?;
        Ok(match person {
            Some(p) => all
                .into_iter()
                .filter(|c| c.members().contains(&p.0))
                .collect(),
            None => all,
        })
    }

    /// One capstone.
    pub async fn capstone(&self, org: OrgId, id: i64) -> Result<Capstone> {
        let sql = format!("SELECT {CAPSTONE_COLUMNS} FROM capstone WHERE org_id = $1 AND id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// A capstone's files (without their bytes).
    pub async fn capstone_files(&self, org: OrgId, capstone: i64) -> Result<Vec<CapstoneFile>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, mime, CAST(LENGTH(data) AS BIGINT) AS size FROM capstone_file \
             WHERE org_id = $1 AND capstone_id = $2 ORDER BY id"
        )
        .bind(org.0)
        .bind(capstone)
        .fetch_all(p)
        .await)?)
    }

    /// One file's (name, MIME type, bytes).
    pub async fn capstone_file(
        &self,
        org: OrgId,
        capstone: i64,
        file: i64,
    ) -> Result<(String, String, Vec<u8>)> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT name, mime, data FROM capstone_file WHERE org_id = $1 AND capstone_id = $2 AND id = $3"
        )
        .bind(org.0)
        .bind(capstone)
        .bind(file)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Every grade of a capstone.
    pub async fn capstone_grades(&self, org: OrgId, capstone: i64) -> Result<Vec<Grade>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT grader_id, levels, comments, feedback, percent, decision, at FROM capstone_grade \
             WHERE org_id = $1 AND capstone_id = $2 ORDER BY at, grader_id"
        )
        .bind(org.0)
        .bind(capstone)
        .fetch_all(p)
        .await
        })?)
    }

    /// Record (or replace) one grader's grade.
    pub async fn put_grade(&self, org: OrgId, capstone: i64, g: &Grade) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO capstone_grade (org_id, capstone_id, grader_id, levels, comments, feedback, \
             percent, decision, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (org_id, capstone_id, grader_id) DO UPDATE SET levels = excluded.levels, \
             comments = excluded.comments, feedback = excluded.feedback, percent = excluded.percent, \
             decision = excluded.decision, at = excluded.at"
        )
        .bind(org.0)
        .bind(capstone)
        .bind(g.grader_id)
        .bind(&g.levels)
        .bind(&g.comments)
        .bind(&g.feedback)
        .bind(g.percent)
        .bind(&g.decision)
        .bind(g.at)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Close a capstone: `passed` (recording a `passed` capstone statement for every team
    /// member, scaled score = percent / 100, in the same transaction) or `returned`.
    #[allow(clippy::too_many_arguments)] // the decision's facts, recorded together
    pub async fn decide_capstone(
        &self,
        org: OrgId,
        c: &Capstone,
        programme_slug: &str,
        passed: bool,
        percent: f64,
        feedback: &str,
        now: i64,
    ) -> Result<()> {
        let status = if passed { "passed" } else { "returned" };
        let stmts: Vec<NewStatement> = if passed {
            c.members()
                .into_iter()
                .map(|m| NewStatement {
                    person: PersonId(m),
                    verb: Verb::Passed,
                    kind: ActivityKind::Capstone,
                    key: programme_slug.to_string(),
                    name: c.title.clone(),
                    parent: Some((ActivityKind::Programme, programme_slug.to_string())),
                    registration: None,
                    outcome: Outcome {
                        scaled: Some(percent / 100.0),
                        success: Some(true),
                        completion: Some(true),
                        ..Outcome::default()
                    },
                    at: now,
                })
                .collect()
        } else {
            Vec::new()
        };
        with_tx!(self, |tx| {
            sqlx::query(
                "UPDATE capstone SET status = $3, percent = $4, feedback = $5, decided_at = $6 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(c.id)
            .bind(status)
            .bind(percent)
            .bind(feedback)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let _ = crate::record_statements!(tx, org, &stmts);
        });
        Ok(())
    }

    /// Record an exam attempt's result (passed or failed, scaled score) in the learning record.
    pub async fn record_exam(
        &self,
        org: OrgId,
        person: PersonId,
        programme: &Programme,
        percent: f64,
        passed: bool,
        now: i64,
    ) -> Result<()> {
        let st = NewStatement {
            person,
            verb: if passed { Verb::Passed } else { Verb::Failed },
            kind: ActivityKind::Exam,
            key: programme.slug.clone(),
            name: programme.title.clone(),
            parent: Some((ActivityKind::Programme, programme.slug.clone())),
            registration: None,
            outcome: Outcome {
                scaled: Some(percent / 100.0),
                success: Some(passed),
                completion: Some(true),
                ..Outcome::default()
            },
            at: now,
        };
        self.record_statements(org, &[st]).await?;
        Ok(())
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}
