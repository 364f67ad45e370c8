//! The written exam of a programme: which item-bank questions it asks, its time limit, attempt
//! limit and cool-down. Attempts themselves are learning attempts of kind `exam` keyed by the
//! programme slug (see [`crate::learning`]), so the exam shares their answers table and
//! statements with quizzes and tests.

use crate::learning::QuestionDbRow;
use crate::{with_pool, Result, Store};
use somu_content::Question;
use somu_domain::ids::OrgId;

/// A programme's exam settings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ExamSettings {
    /// Item-bank question ids (JSON array), in the order asked.
    pub items: String,
    /// Time limit in minutes; none = untimed.
    pub minutes: Option<i64>,
    /// Attempts allowed; none = unlimited.
    pub max_attempts: Option<i64>,
    /// Hours to wait after a failed attempt before the next; none = no wait.
    pub cooldown_hours: Option<i64>,
}

impl ExamSettings {
    /// The item ids.
    pub fn item_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }
}

impl Store {
    /// A programme's exam settings, if it has an exam.
    pub async fn exam_settings(&self, org: OrgId, programme: i64) -> Result<Option<ExamSettings>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT items, minutes, max_attempts, cooldown_hours FROM programme_exam \
             WHERE org_id = $1 AND programme_id = $2"
        )
        .bind(org.0)
        .bind(programme)
        .fetch_optional(p)
        .await)?)
    }

    /// Create or replace a programme's exam settings.
    pub async fn put_exam_settings(
        &self,
        org: OrgId,
        programme: i64,
        e: &ExamSettings,
    ) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO programme_exam (org_id, programme_id, items, minutes, max_attempts, \
             cooldown_hours) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, programme_id) \
             DO UPDATE SET items = excluded.items, minutes = excluded.minutes, \
             max_attempts = excluded.max_attempts, cooldown_hours = excluded.cooldown_hours"
        )
        .bind(org.0)
        .bind(programme)
        .bind(&e.items)
        .bind(e.minutes)
        .bind(e.max_attempts)
        .bind(e.cooldown_hours)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Questions of the organisation's item bank with these ids, in the order given (ids the
    /// bank does not hold are left out).
    pub async fn bank_questions(&self, org: OrgId, ids: &[String]) -> Result<Vec<Question>> {
        let rows: Vec<QuestionDbRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT question_id, topic, kind, prompt, rubric, options FROM question \
             WHERE org_id = $1 AND version_id = 0 ORDER BY position"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        let mut bank = std::collections::HashMap::new();
        for r in rows {
            let (_, q) = r.into_question()?;
            bank.insert(q.id.clone(), q);
        }
        Ok(ids.iter().filter_map(|id| bank.remove(id)).collect())
    }
}
