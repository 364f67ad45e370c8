//! Learning content: course versions (draft, published, archived) with their package kept byte
//! for byte, lessons and quiz questions addressable per version, the item bank and each track's
//! test items, the organisation's placeholder values, lesson visits, and quiz/test attempts with
//! their answers. Publishing keeps the catalogue row (`course`) describing the published version.

use crate::catalogue::CourseEntry;
use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use sha2::{Digest, Sha256};
use somu_content::{Course, Question, QuestionKind, QuizOption};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::NewStatement;

/// Version states.
pub const DRAFT: &str = "draft";
/// The version learners see.
pub const PUBLISHED: &str = "published";
/// A version replaced by a later publication.
pub const ARCHIVED: &str = "archived";

/// One version of a course.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct VersionRow {
    /// Id within the organisation.
    pub id: i64,
    /// The course.
    pub course_slug: String,
    /// `draft`, `published` or `archived`.
    pub status: String,
    /// The author's version label (`1.0.0`).
    pub label: String,
    /// Title of this version.
    pub title: String,
    /// The UUID recorded as xAPI registration in statements about this version.
    pub registration: String,
    /// SHA-256 of the package zip.
    pub digest: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Published (Unix seconds).
    pub published_at: Option<i64>,
}

const VERSION_COLUMNS: &str =
    "id, course_slug, status, label, title, registration, digest, created_at, published_at";

/// A lesson of a version.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct LessonRow {
    /// Reading order across the course, from 0.
    pub position: i64,
    /// Its module.
    pub module_slug: String,
    /// The module's title.
    pub module_title: String,
    /// The lesson's name in URLs (its file name without folder and `.md`).
    pub slug: String,
    /// Path in the package.
    pub file: String,
    /// Title.
    pub title: String,
    /// Estimated minutes.
    pub minutes: i64,
    /// Markdown (empty in lists).
    pub body: String,
}

/// A module quiz of a version.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct QuizRow {
    /// The module.
    pub module_slug: String,
    /// Title.
    pub title: String,
    /// Pass mark in percent.
    pub pass_mark: i64,
    /// Attempts a learner may take; none = unlimited.
    pub max_attempts: Option<i64>,
}

/// A placeholder the organisation fills in.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct PlaceholderRow {
    /// Name used in lessons as `{{org.NAME}}`.
    pub name: String,
    /// What to fill in.
    pub description: String,
    /// The organisation's value, if given.
    pub value: Option<String>,
}

/// An attempt at a quiz or a track test.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct AttemptRow {
    /// Id within the organisation.
    pub id: i64,
    /// Who.
    pub person_id: i64,
    /// `quiz` or `test`.
    pub kind: String,
    /// `course/module` or `track/pre|post`.
    pub key: String,
    /// The course version (quizzes).
    pub version_id: Option<i64>,
    /// xAPI registration.
    pub registration: String,
    /// Seed for the order options are shown in.
    pub seed: i64,
    /// `open`, `pending`, `passed` or `failed`.
    pub status: String,
    /// Points earned.
    pub points: Option<f64>,
    /// Points available.
    pub max_points: Option<f64>,
    /// Scaled score.
    pub scaled: Option<f64>,
    /// Started.
    pub started_at: i64,
    /// Submitted.
    pub submitted_at: Option<i64>,
}

const ATTEMPT_COLUMNS: &str = "id, person_id, kind, key, version_id, registration, seed, status, \
    points, max_points, scaled, started_at, submitted_at";

/// One answer of an attempt.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct AnswerRow {
    /// Question position in the attempt.
    pub position: i64,
    /// Question id.
    pub question_id: String,
    /// The response as recorded (`0[,]2`, or the text).
    pub response: String,
    /// `correct`, `incorrect` or `pending`.
    pub verdict: String,
    /// Points.
    pub score: f64,
}

/// A short-text answer waiting for an instructor.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct PendingAnswer {
    /// The attempt.
    pub attempt_id: i64,
    /// Question position.
    pub position: i64,
    /// The quiz key (`course/module`) or test key.
    pub key: String,
    /// The version (quizzes).
    pub version_id: Option<i64>,
    /// Question id.
    pub question_id: String,
    /// What the learner wrote.
    pub response: String,
    /// Learner's name.
    pub person_name: String,
    /// Submitted.
    pub submitted_at: Option<i64>,
}

/// A graded answer to store with a submission.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    /// Question id.
    pub question_id: String,
    /// Recorded response.
    pub response: String,
    /// `correct`, `incorrect` or `pending`.
    pub verdict: String,
    /// Points.
    pub score: f64,
}

/// The totals of a submission.
#[derive(Debug, Clone)]
pub struct Submission {
    /// `pending`, `passed` or `failed`.
    pub status: String,
    /// Points.
    pub points: f64,
    /// Available.
    pub max_points: f64,
    /// Scaled.
    pub scaled: f64,
    /// When.
    pub at: i64,
}

/// What installing a course did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Installed {
    /// The version id.
    pub version: i64,
    /// Whether a new version was written (false: the same content was already there).
    pub changed: bool,
}

/// The name of a lesson in URLs: its file name without folder and extension.
pub fn lesson_slug(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name).to_string()
}

/// Options as stored: JSON `[[text, correct, explanation], ...]`.
fn options_json(q: &Question) -> String {
    let v: Vec<(&str, bool, &str)> = q
        .options
        .iter()
        .map(|o| (o.text.as_str(), o.correct, o.explanation.as_str()))
        .collect();
    serde_json::to_string(&v).unwrap_or_else(|_| "[]".into())
}

#[derive(sqlx::FromRow)]
pub(crate) struct QuestionDbRow {
    question_id: String,
    topic: Option<String>,
    kind: String,
    prompt: String,
    rubric: Option<String>,
    options: String,
}

impl QuestionDbRow {
    pub(crate) fn into_question(self) -> Result<(Option<String>, Question)> {
        let bad = |what: &str| StoreError::Db(sqlx::Error::Decode(what.to_string().into()));
        let kind: QuestionKind = self.kind.parse().map_err(|_| bad("question kind"))?;
        let opts: Vec<(String, bool, String)> =
            serde_json::from_str(&self.options).map_err(|_| bad("question options"))?;
        Ok((
            self.topic,
            Question {
                id: self.question_id,
                kind,
                prompt: self.prompt,
                options: opts
                    .into_iter()
                    .map(|(text, correct, explanation)| QuizOption {
                        text,
                        correct,
                        explanation,
                    })
                    .collect(),
                rubric: self.rubric,
            },
        ))
    }
}

/// The catalogue row describing a version of a course.
pub fn catalogue_entry(course: &Course, version: Option<i64>, now: i64) -> CourseEntry {
    CourseEntry {
        id: 0,
        slug: course.slug.clone(),
        title: course.title.clone(),
        summary: course.summary.clone(),
        audiences: course
            .audiences
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(","),
        level: course.level.as_str().to_string(),
        estimated_minutes: i64::from(course.estimated_minutes),
        modules: course.modules.len() as i64,
        lessons: course.modules.iter().map(|m| m.lessons.len() as i64).sum(),
        published_version: version,
        updated_at: now,
    }
}

impl Store {
    /// Store a course as a new version (published, or as the course's draft, replacing an
    /// earlier draft). Idempotent: when the same package is already the published version (or
    /// the draft, for drafts) nothing changes. Keeps the catalogue row up to date.
    pub async fn put_course_version(
        &self,
        org: OrgId,
        course: &Course,
        publish: bool,
        now: i64,
    ) -> Result<Installed> {
        let zip = somu_content::export_zip(&somu_content::Package::Course(course.clone()))
            .map_err(|e| StoreError::Conflict(e.to_string()))?;
        let digest = hex::encode(Sha256::digest(&zip));
        let status = if publish { PUBLISHED } else { DRAFT };
        let current = self.course_version_in(org, &course.slug, status).await?;
        if let Some(v) = current.as_ref().filter(|v| v.digest == digest) {
            return Ok(Installed {
                version: v.id,
                changed: false,
            });
        }
        let registration = uuid::Uuid::new_v4().to_string();
        let id = retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                if publish {
                    sqlx::query(
                        "UPDATE course_version SET status = 'archived' WHERE org_id = $1 \
                         AND course_slug = $2 AND status = 'published'",
                    )
                    .bind(org.0)
                    .bind(&course.slug)
                    .execute(&mut *tx)
                    .await?;
                } else if let Some(old) = &current {
                    for table in ["question", "quiz", "lesson"] {
                        sqlx::query(&format!(
                            "DELETE FROM {table} WHERE org_id = $1 AND version_id = $2"
                        ))
                        .bind(org.0)
                        .bind(old.id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    sqlx::query("DELETE FROM course_version WHERE org_id = $1 AND id = $2")
                        .bind(org.0)
                        .bind(old.id)
                        .execute(&mut *tx)
                        .await?;
                }
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO course_version (org_id, id, course_slug, status, label, title, \
                     registration, digest, package, created_at, published_at) VALUES ($1, ",
                    next_id_sql!("course_version"),
                    ", $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
                ))
                .bind(org.0)
                .bind(&course.slug)
                .bind(status)
                .bind(&course.version)
                .bind(&course.title)
                .bind(&registration)
                .bind(&digest)
                .bind(&zip)
                .bind(now)
                .bind(publish.then_some(now))
                .fetch_one(&mut *tx)
                .await?;
                let mut position = 0i64;
                for m in &course.modules {
                    let mut seen = std::collections::BTreeSet::new();
                    for l in &m.lessons {
                        let mut slug = lesson_slug(&l.file);
                        if !seen.insert(slug.clone()) {
                            slug = format!("{slug}-{position}");
                        }
                        sqlx::query(
                            "INSERT INTO lesson (org_id, version_id, position, module_slug, \
                             module_title, slug, file, title, minutes, body) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        )
                        .bind(org.0)
                        .bind(id)
                        .bind(position)
                        .bind(&m.slug)
                        .bind(&m.title)
                        .bind(&slug)
                        .bind(&l.file)
                        .bind(&l.title)
                        .bind(i64::from(l.minutes))
                        .bind(&l.body)
                        .execute(&mut *tx)
                        .await?;
                        position += 1;
                    }
                    sqlx::query(
                        "INSERT INTO quiz (org_id, version_id, module_slug, title, pass_mark, \
                         max_attempts) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(org.0)
                    .bind(id)
                    .bind(&m.slug)
                    .bind(&m.quiz.title)
                    .bind(i64::from(m.quiz.pass_mark))
                    .bind(m.quiz.attempts.map(i64::from))
                    .execute(&mut *tx)
                    .await?;
                    for (i, q) in m.quiz.questions.iter().enumerate() {
                        insert_question!(tx, org, id, &m.slug, i, None::<&str>, q);
                    }
                }
                id
            }))
        })
        .await?;
        if publish || self.course_by_slug(org, &course.slug).await.is_err() {
            self.put_course(org, &catalogue_entry(course, publish.then_some(id), now))
                .await?;
        }
        Ok(Installed {
            version: id,
            changed: true,
        })
    }

    /// Publish the course's draft; the previously published version is archived.
    pub async fn publish_draft(&self, org: OrgId, slug: &str, now: i64) -> Result<i64> {
        let draft = self
            .course_version_in(org, slug, DRAFT)
            .await?
            .ok_or(StoreError::NotFound)?;
        let zip = self.version_package(org, draft.id).await?;
        let course = match somu_content::load_zip(&zip) {
            Ok(somu_content::Package::Course(c)) => c,
            _ => {
                return Err(StoreError::Conflict(
                    "the stored draft does not load".into(),
                ))
            }
        };
        with_tx!(self, |tx| {
            sqlx::query(
                "UPDATE course_version SET status = 'archived' WHERE org_id = $1 \
                 AND course_slug = $2 AND status = 'published'",
            )
            .bind(org.0)
            .bind(slug)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE course_version SET status = 'published', published_at = $3 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org.0)
            .bind(draft.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        });
        self.put_course(org, &catalogue_entry(&course, Some(draft.id), now))
            .await?;
        Ok(draft.id)
    }

    async fn course_version_in(
        &self,
        org: OrgId,
        slug: &str,
        status: &str,
    ) -> Result<Option<VersionRow>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM course_version WHERE org_id = $1 AND course_slug = $2 \
             AND status = $3 ORDER BY id DESC LIMIT 1"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(slug)
            .bind(status)
            .fetch_optional(p)
            .await)?)
    }

    /// The course's draft, if it has one.
    pub async fn draft_version(&self, org: OrgId, slug: &str) -> Result<Option<VersionRow>> {
        self.course_version_in(org, slug, DRAFT).await
    }

    /// The course's published version, if it has one.
    pub async fn published_version(&self, org: OrgId, slug: &str) -> Result<Option<VersionRow>> {
        self.course_version_in(org, slug, PUBLISHED).await
    }

    /// Every version of a course, newest first.
    pub async fn course_versions(&self, org: OrgId, slug: &str) -> Result<Vec<VersionRow>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM course_version WHERE org_id = $1 AND course_slug = $2 \
             ORDER BY id DESC"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(slug)
            .fetch_all(p)
            .await)?)
    }

    /// One version by id.
    pub async fn course_version(&self, org: OrgId, id: i64) -> Result<VersionRow> {
        let sql =
            format!("SELECT {VERSION_COLUMNS} FROM course_version WHERE org_id = $1 AND id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// The package zip of a version, exactly as stored.
    pub async fn version_package(&self, org: OrgId, id: i64) -> Result<Vec<u8>> {
        with_pool!(self, |p| sqlx::query_scalar(
            "SELECT package FROM course_version WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// The lessons of a version in reading order, without their bodies.
    pub async fn lessons(&self, org: OrgId, version: i64) -> Result<Vec<LessonRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT position, module_slug, module_title, slug, file, title, minutes, \
             '' AS body FROM lesson WHERE org_id = $1 AND version_id = $2 ORDER BY position"
        )
        .bind(org.0)
        .bind(version)
        .fetch_all(p)
        .await)?)
    }

    /// One lesson with its body.
    pub async fn lesson(
        &self,
        org: OrgId,
        version: i64,
        module: &str,
        slug: &str,
    ) -> Result<LessonRow> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT position, module_slug, module_title, slug, file, title, minutes, body \
             FROM lesson WHERE org_id = $1 AND version_id = $2 AND module_slug = $3 AND slug = $4"
        )
        .bind(org.0)
        .bind(version)
        .bind(module)
        .bind(slug)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// The module quizzes of a version.
    pub async fn quizzes(&self, org: OrgId, version: i64) -> Result<Vec<QuizRow>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT module_slug, title, pass_mark, max_attempts FROM quiz WHERE org_id = $1 AND version_id = $2"
        )
        .bind(org.0)
        .bind(version)
        .fetch_all(p)
        .await
        })?)
    }

    /// A module quiz with its questions in order.
    pub async fn quiz(
        &self,
        org: OrgId,
        version: i64,
        module: &str,
    ) -> Result<(QuizRow, Vec<Question>)> {
        let quiz: QuizRow = with_pool!(self, |p| sqlx::query_as(
            "SELECT module_slug, title, pass_mark, max_attempts FROM quiz WHERE org_id = $1 \
             AND version_id = $2 AND module_slug = $3"
        )
        .bind(org.0)
        .bind(version)
        .bind(module)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)?;
        let questions = self
            .questions(org, version, module)
            .await?
            .into_iter()
            .map(|(_, q)| q)
            .collect();
        Ok((quiz, questions))
    }

    async fn questions(
        &self,
        org: OrgId,
        version: i64,
        module: &str,
    ) -> Result<Vec<(Option<String>, Question)>> {
        let rows: Vec<QuestionDbRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT question_id, topic, kind, prompt, rubric, options FROM question \
             WHERE org_id = $1 AND version_id = $2 AND module_slug = $3 ORDER BY position"
        )
        .bind(org.0)
        .bind(version)
        .bind(module)
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(QuestionDbRow::into_question).collect()
    }

    /// Replace the item bank and the tracks' test items, and declare placeholders (keeping
    /// values already filled in).
    pub async fn put_curriculum_extras(
        &self,
        org: OrgId,
        curriculum: &somu_content::Curriculum,
        now: i64,
    ) -> Result<()> {
        with_tx!(self, |tx| {
            sqlx::query("DELETE FROM question WHERE org_id = $1 AND version_id = 0")
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
            let items = curriculum.item_bank.iter().flat_map(|f| f.items.iter());
            for (i, item) in items.enumerate() {
                insert_question!(
                    tx,
                    org,
                    0i64,
                    "",
                    i,
                    Some(item.topic.as_str()),
                    &item.question
                );
            }
            for t in &curriculum.tracks {
                let slug = t.audience.as_str();
                sqlx::query("DELETE FROM track_test_item WHERE org_id = $1 AND track_slug = $2")
                    .bind(org.0)
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
                for (i, item) in t.test_items.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO track_test_item (org_id, track_slug, position, item_id) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(org.0)
                    .bind(slug)
                    .bind(i as i64)
                    .bind(item)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for (name, description) in &curriculum.placeholders {
                sqlx::query(
                    "INSERT INTO org_placeholder (org_id, name, description, value, updated_at) \
                     VALUES ($1, $2, $3, NULL, $4) ON CONFLICT (org_id, name) DO UPDATE SET \
                     description = excluded.description",
                )
                .bind(org.0)
                .bind(name)
                .bind(description)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// A track's test items (the same for pre- and post-test), with their topics.
    pub async fn track_test(&self, org: OrgId, track: &str) -> Result<Vec<(String, Question)>> {
        let rows: Vec<QuestionDbRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT q.question_id, q.topic, q.kind, q.prompt, q.rubric, q.options \
             FROM track_test_item t JOIN question q ON q.org_id = t.org_id \
             AND q.version_id = 0 AND q.question_id = t.item_id \
             WHERE t.org_id = $1 AND t.track_slug = $2 ORDER BY t.position"
        )
        .bind(org.0)
        .bind(track)
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|r| r.into_question().map(|(t, q)| (t.unwrap_or_default(), q)))
            .collect()
    }

    /// The organisation's placeholders, by name.
    pub async fn placeholders(&self, org: OrgId) -> Result<Vec<PlaceholderRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT name, description, value FROM org_placeholder WHERE org_id = $1 ORDER BY name"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// Set placeholder values (an empty value clears it). Unknown names are refused whole.
    pub async fn set_placeholders(
        &self,
        org: OrgId,
        values: &[(String, String)],
        now: i64,
    ) -> Result<()> {
        let known: Vec<String> = self
            .placeholders(org)
            .await?
            .into_iter()
            .map(|p| p.name)
            .collect();
        let mut errors = somu_domain::FieldErrors::default();
        for (name, _) in values {
            if !known.contains(name) {
                errors.push(somu_domain::FieldError::new(
                    name,
                    "unknown",
                    format!("`{name}` is not a placeholder of this organisation"),
                ));
            }
        }
        if !errors.0.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        with_tx!(self, |tx| {
            for (name, value) in values {
                let value = value.trim();
                sqlx::query(
                    "UPDATE org_placeholder SET value = $3, updated_at = $4 \
                     WHERE org_id = $1 AND name = $2",
                )
                .bind(org.0)
                .bind(name)
                .bind((!value.is_empty()).then_some(value))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// Remember when a person was last served a lesson (for the time spent on it).
    pub async fn lesson_opened(
        &self,
        org: OrgId,
        person: PersonId,
        key: &str,
        now: i64,
    ) -> Result<bool> {
        let before = self.lesson_opened_at(org, person, key).await?;
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO lesson_open (org_id, person_id, lesson_key, opened_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, person_id, lesson_key) \
             DO UPDATE SET opened_at = excluded.opened_at"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(key)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(before.is_none())
    }

    /// When a person was last served a lesson.
    pub async fn lesson_opened_at(
        &self,
        org: OrgId,
        person: PersonId,
        key: &str,
    ) -> Result<Option<i64>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT opened_at FROM lesson_open WHERE org_id = $1 AND person_id = $2 \
             AND lesson_key = $3"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(key)
        .fetch_optional(p)
        .await)?)
    }

    /// Keys of the activities of one kind a person has a statement with this verb about, whose
    /// parent key is `parent` (or any parent when `None`).
    pub async fn done_keys(
        &self,
        org: OrgId,
        person: PersonId,
        verb: &str,
        kind: &str,
        parent: Option<&str>,
    ) -> Result<Vec<String>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT DISTINCT key FROM statement WHERE org_id = $1 AND person_id = $2 \
             AND verb = $3 AND kind = $4 AND ($5 IS NULL OR parent_key = $5) ORDER BY key"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(verb)
        .bind(kind)
        .bind(parent)
        .fetch_all(p)
        .await)?)
    }

    /// Start an attempt, recording its statements in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_attempt(
        &self,
        org: OrgId,
        person: PersonId,
        kind: &str,
        key: &str,
        version: Option<i64>,
        registration: &str,
        seed: i64,
        statements: &[NewStatement],
        now: i64,
    ) -> Result<i64> {
        retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO quiz_attempt (org_id, id, person_id, kind, key, version_id, \
                     registration, seed, status, started_at) VALUES ($1, ",
                    next_id_sql!("quiz_attempt"),
                    ", $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id"
                ))
                .bind(org.0)
                .bind(person.0)
                .bind(kind)
                .bind(key)
                .bind(version)
                .bind(registration)
                .bind(seed)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                crate::record_statements!(tx, org, statements);
                id
            }))
        })
        .await
    }

    /// One attempt.
    pub async fn attempt(&self, org: OrgId, id: i64) -> Result<AttemptRow> {
        let sql =
            format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempt WHERE org_id = $1 AND id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// A person's attempts at one quiz or test, newest first.
    pub async fn attempts(
        &self,
        org: OrgId,
        person: PersonId,
        kind: &str,
        key: &str,
    ) -> Result<Vec<AttemptRow>> {
        let sql = format!(
            "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempt WHERE org_id = $1 AND person_id = $2 \
             AND kind = $3 AND key = $4 ORDER BY id DESC"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.0)
            .bind(kind)
            .bind(key)
            .fetch_all(p)
            .await)?)
    }

    /// Close an open attempt with its answers and statements. Refused with a conflict (nothing
    /// changed) when the attempt is no longer open.
    pub async fn submit_attempt(
        &self,
        org: OrgId,
        attempt: &AttemptRow,
        answers: &[NewAnswer],
        totals: &Submission,
        statements: &[NewStatement],
    ) -> Result<()> {
        with_tx!(self, |tx| {
            let closed = sqlx::query(
                "UPDATE quiz_attempt SET status = $3, points = $4, max_points = $5, scaled = $6, \
                 submitted_at = $7 WHERE org_id = $1 AND id = $2 AND status = 'open'",
            )
            .bind(org.0)
            .bind(attempt.id)
            .bind(&totals.status)
            .bind(totals.points)
            .bind(totals.max_points)
            .bind(totals.scaled)
            .bind(totals.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if closed != 1 {
                return Err(StoreError::Conflict(
                    "this attempt is already closed; start a new attempt".into(),
                ));
            }
            for (i, a) in answers.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO quiz_answer (org_id, attempt_id, position, person_id, \
                     question_id, response, verdict, score) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(org.0)
                .bind(attempt.id)
                .bind(i as i64)
                .bind(attempt.person_id)
                .bind(&a.question_id)
                .bind(&a.response)
                .bind(&a.verdict)
                .bind(a.score)
                .execute(&mut *tx)
                .await?;
            }
            crate::record_statements!(tx, org, statements);
        });
        Ok(())
    }

    /// The answers of an attempt in question order.
    pub async fn answers(&self, org: OrgId, attempt: i64) -> Result<Vec<AnswerRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT position, question_id, response, verdict, score FROM quiz_answer \
             WHERE org_id = $1 AND attempt_id = $2 ORDER BY position"
        )
        .bind(org.0)
        .bind(attempt)
        .fetch_all(p)
        .await)?)
    }

    /// Short-text answers waiting for an instructor, oldest first.
    pub async fn pending_answers(&self, org: OrgId) -> Result<Vec<PendingAnswer>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT a.attempt_id, a.position, t.key, t.version_id, a.question_id, a.response, \
             p.name AS person_name, t.submitted_at FROM quiz_answer a \
             JOIN quiz_attempt t ON t.org_id = a.org_id AND t.id = a.attempt_id \
             JOIN person p ON p.org_id = a.org_id AND p.id = a.person_id \
             WHERE a.org_id = $1 AND a.verdict = 'pending' ORDER BY t.submitted_at, a.attempt_id, a.position"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?)
    }

    /// Grade one pending answer; when it was the attempt's last, close the attempt with its
    /// totals. Statements are recorded in the same transaction. Refused (conflict, nothing
    /// changed) when the answer is not pending.
    #[allow(clippy::too_many_arguments)]
    pub async fn grade_answer(
        &self,
        org: OrgId,
        attempt: i64,
        position: i64,
        right: bool,
        grader: PersonId,
        now: i64,
        finish: Option<&Submission>,
        statements: &[NewStatement],
    ) -> Result<()> {
        with_tx!(self, |tx| {
            let n = sqlx::query(
                "UPDATE quiz_answer SET verdict = $4, score = $5, graded_by = $6, graded_at = $7 \
                 WHERE org_id = $1 AND attempt_id = $2 AND position = $3 AND verdict = 'pending'",
            )
            .bind(org.0)
            .bind(attempt)
            .bind(position)
            .bind(if right { "correct" } else { "incorrect" })
            .bind(if right { 1.0f64 } else { 0.0 })
            .bind(grader.0)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict("this answer is already graded".into()));
            }
            if let Some(t) = finish {
                sqlx::query(
                    "UPDATE quiz_attempt SET status = $3, points = $4, max_points = $5, \
                     scaled = $6 WHERE org_id = $1 AND id = $2 AND status = 'pending'",
                )
                .bind(org.0)
                .bind(attempt)
                .bind(&t.status)
                .bind(t.points)
                .bind(t.max_points)
                .bind(t.scaled)
                .execute(&mut *tx)
                .await?;
            }
            crate::record_statements!(tx, org, statements);
        });
        Ok(())
    }
}

/// Insert one question row inside a transaction.
macro_rules! insert_question {
    ($tx:ident, $org:expr, $version:expr, $module:expr, $pos:expr, $topic:expr, $q:expr) => {{
        let q: &Question = $q;
        sqlx::query(
            "INSERT INTO question (org_id, version_id, module_slug, position, question_id, topic, \
             kind, prompt, rubric, options) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind($org.0)
        .bind($version)
        .bind($module)
        .bind($pos as i64)
        .bind(&q.id)
        .bind($topic)
        .bind(q.kind.as_str())
        .bind(&q.prompt)
        .bind(q.rubric.as_deref())
        .bind(options_json(q))
        .execute(&mut *$tx)
        .await?;
    }};
}
use insert_question;
