//! Post-training surveys: the organisation's templates and per-track plans, the sends (claimed
//! once each, with the notification and mail in the same transaction), anonymous responses and
//! what reporting and Kirkpatrick L1 read from them.

use crate::progress::OutMail;
use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::surveys::{
    shown, Answer, Question, QuestionKind, SurveyForm, DEFAULT_MIN_GROUP, DEFAULT_OPEN_DAYS,
    DEFAULT_REMIND_DAYS,
};
use std::collections::{BTreeMap, HashSet};

/// An organisation's survey settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    /// Fewest responses a result is shown for.
    pub min_group: i64,
    /// Days before an unanswered survey is reminded about.
    pub remind_days: i64,
    /// Days a survey stays open.
    pub open_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_group: DEFAULT_MIN_GROUP,
            remind_days: DEFAULT_REMIND_DAYS,
            open_days: DEFAULT_OPEN_DAYS,
        }
    }
}

/// One of the organisation's own templates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TemplateRow {
    /// Id within the organisation.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Questions as JSON.
    pub questions: String,
    /// The shipped code it was copied from, or empty.
    pub based_on: String,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

impl TemplateRow {
    /// The title and questions.
    pub fn form(&self) -> SurveyForm {
        SurveyForm {
            title: self.title.clone(),
            questions: parse_questions(&self.questions),
        }
    }
}

/// A plan entry: which template at which wave for a track or course.
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct PlanRow {
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Shipped code, `t<id>`, or empty for none.
    pub template: String,
}

/// A survey sent to a person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SendRow {
    /// Id within the organisation.
    pub id: i64,
    /// Recipient.
    pub person_id: i64,
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Template reference.
    pub template: String,
    /// Title as sent.
    pub title: String,
    /// Questions as sent (JSON).
    pub questions: String,
    /// Completion month.
    pub cohort: String,
    /// Sent (Unix seconds).
    pub sent_at: i64,
    /// Closes (Unix seconds).
    pub closes_at: i64,
    /// Answered (Unix seconds).
    pub answered_at: Option<i64>,
}

impl SendRow {
    /// The questions as sent.
    pub fn question_list(&self) -> Vec<Question> {
        parse_questions(&self.questions)
    }

    /// Still open for an answer at `now`.
    pub fn is_open(&self, now: i64) -> bool {
        self.answered_at.is_none() && now < self.closes_at
    }
}

/// A survey to send: the claim is on (person, object, wave).
#[derive(Debug, Clone)]
pub struct NewSend {
    /// Recipient.
    pub person: PersonId,
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Template reference.
    pub template: String,
    /// Title and questions as sent.
    pub form: SurveyForm,
    /// Completion time (Unix seconds).
    pub completed_at: i64,
    /// Closing time (Unix seconds).
    pub closes_at: i64,
}

/// A completion that may call for a survey.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SurveyCompletion {
    /// Person.
    pub person_id: i64,
    /// Their email.
    pub email: String,
    /// Their name.
    pub name: String,
    /// `track` or `course`.
    pub kind: String,
    /// Slug.
    pub key: String,
    /// First completion (Unix seconds).
    pub at: i64,
}

/// An unanswered send due for its reminder, with its recipient.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueReminder {
    /// Send id.
    pub id: i64,
    /// Person.
    pub person_id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Title as sent.
    pub title: String,
    /// Closes (Unix seconds).
    pub closes_at: i64,
}

/// One anonymous response.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponseRow {
    /// `track` or `course`.
    pub object_kind: String,
    /// Track or course slug.
    pub object_key: String,
    /// Weeks after completion.
    pub wave: i64,
    /// Template reference.
    pub template: String,
    /// Title as sent.
    pub title: String,
    /// Questions as sent (JSON).
    pub questions: String,
    /// Completion month of the respondent.
    pub cohort: String,
    /// Answers (JSON).
    pub answers: String,
}

impl ResponseRow {
    /// The answers, one per question.
    pub fn answer_list(&self) -> Vec<Option<Answer>> {
        serde_json::from_str(&self.answers).unwrap_or_default()
    }
}

/// Which responses to read.
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    /// `track` or `course`.
    pub object_kind: Option<String>,
    /// Track or course slug.
    pub object_key: Option<String>,
    /// Wave.
    pub wave: Option<i64>,
    /// Cohort (`YYYY-MM`).
    pub cohort: Option<String>,
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Already answered.
    Answered,
    /// Closed.
    Closed,
}

/// L1 inputs of one track: the rating and NPS scores of its responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reactions {
    /// Every rating (1–5) answer.
    pub ratings: Vec<f64>,
    /// Every NPS (0–10) answer.
    pub nps_scores: Vec<u8>,
}

fn parse_questions(json: &str) -> Vec<Question> {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// The completion month (`YYYY-MM`) of a Unix time.
pub fn cohort_of(at: i64) -> String {
    let d = somu_domain::time_util::from_unix(at);
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

const SEND_COLS: &str = "id, person_id, object_kind, object_key, wave, template, title, \
     questions, cohort, sent_at, closes_at, answered_at";

/// Insert a notification and mails inside a transaction (the caller holds the claim).
macro_rules! notify_in_tx {
    ($tx:ident, $org:expr, $person:expr, $kind:expr, $subject:expr, $link:expr, $mail:expr, $now:expr) => {{
        sqlx::query(concat!(
            "INSERT INTO notification (org_id, id, person_id, kind, subject, link, created_at) \
             VALUES ($1, ",
            next_id_sql!("notification"),
            ", $2, $3, $4, $5, $6)"
        ))
        .bind($org.0)
        .bind($person)
        .bind($kind)
        .bind($subject)
        .bind($link)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        let m: &OutMail = $mail;
        sqlx::query(concat!(
            "INSERT INTO outbox (org_id, id, to_addr, subject, body, created_at) VALUES ($1, ",
            next_id_sql!("outbox"),
            ", $2, $3, $4, $5)"
        ))
        .bind($org.0)
        .bind(&m.to)
        .bind(&m.subject)
        .bind(&m.body)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
    }};
}

impl Store {
    /// The organisation's survey settings (defaults until changed).
    pub async fn survey_settings(&self, org: OrgId) -> Result<Settings> {
        let row: Option<(i64, i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT min_group, remind_days, open_days FROM survey_settings WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_optional(p)
        .await)?;
        Ok(row.map_or_else(Settings::default, |(m, r, o)| Settings {
            min_group: m,
            remind_days: r,
            open_days: o,
        }))
    }

    /// Change the settings.
    pub async fn set_survey_settings(&self, org: OrgId, s: Settings) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO survey_settings (org_id, min_group, remind_days, open_days) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET \
             min_group = excluded.min_group, remind_days = excluded.remind_days, \
             open_days = excluded.open_days"
        )
        .bind(org.0)
        .bind(s.min_group)
        .bind(s.remind_days)
        .bind(s.open_days)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The organisation's own templates, newest first.
    pub async fn survey_templates(&self, org: OrgId) -> Result<Vec<TemplateRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, title, questions, based_on, updated_at FROM survey_template \
             WHERE org_id = $1 ORDER BY id DESC"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// One of them (another organisation's id is not found).
    pub async fn survey_template(&self, org: OrgId, id: i64) -> Result<TemplateRow> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT id, title, questions, based_on, updated_at FROM survey_template \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Save a new template; returns its id.
    pub async fn create_survey_template(
        &self,
        org: OrgId,
        form: &SurveyForm,
        based_on: &str,
        now: i64,
    ) -> Result<i64> {
        let questions = to_json(&form.questions);
        retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO survey_template (org_id, id, title, questions, based_on, updated_at) \
                 VALUES ($1, ",
                next_id_sql!("survey_template"),
                ", $2, $3, $4, $5) RETURNING id"
            ))
            .bind(org.0)
            .bind(&form.title)
            .bind(&questions)
            .bind(based_on)
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await
    }

    /// Change a template's title and questions (surveys already sent keep theirs).
    pub async fn update_survey_template(
        &self,
        org: OrgId,
        id: i64,
        form: &SurveyForm,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE survey_template SET title = $3, questions = $4, updated_at = $5 \
             WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .bind(&form.title)
        .bind(to_json(&form.questions))
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Every plan entry the organisation has set.
    pub async fn survey_plans(&self, org: OrgId) -> Result<Vec<PlanRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT object_kind, object_key, wave, template FROM survey_plan WHERE org_id = $1 \
             ORDER BY object_kind, object_key, wave"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// Set which template goes out at a wave (an empty template sends nothing).
    pub async fn set_survey_plan(&self, org: OrgId, row: &PlanRow) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO survey_plan (org_id, object_kind, object_key, wave, template) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, object_kind, object_key, wave) \
             DO UPDATE SET template = excluded.template"
        )
        .bind(org.0)
        .bind(&row.object_kind)
        .bind(&row.object_key)
        .bind(row.wave)
        .bind(&row.template)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// First completions of tracks and courses by active people, from the learning record.
    pub async fn survey_completions(&self, org: OrgId) -> Result<Vec<SurveyCompletion>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT s.person_id, p.email, p.name, s.kind, s.key, MIN(s.at) AS at \
             FROM statement s JOIN person p ON p.org_id = s.org_id AND p.id = s.person_id \
             WHERE s.org_id = $1 AND s.verb = 'completed' AND s.kind IN ('track', 'course') \
             AND p.active = TRUE \
             GROUP BY s.person_id, p.email, p.name, s.kind, s.key ORDER BY s.person_id, s.key"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// The (person, kind, key, wave) of every send so far.
    pub async fn survey_send_keys(
        &self,
        org: OrgId,
    ) -> Result<HashSet<(i64, String, String, i64)>> {
        let rows: Vec<(i64, String, String, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT person_id, object_kind, object_key, wave FROM survey_send WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Claim and send a survey: the send row, the notification (linking to the send, whose id
    /// replaces `{id}` in `link`) and the mail in one transaction. Returns `false` (changing
    /// nothing) when it was already sent.
    pub async fn send_survey(
        &self,
        org: OrgId,
        s: &NewSend,
        subject: &str,
        link: &str,
        mail: &OutMail,
        now: i64,
    ) -> Result<bool> {
        let questions = to_json(&s.form.questions);
        let cohort = cohort_of(s.completed_at);
        let attempt = || async {
            Ok::<bool, StoreError>(with_tx!(self, |tx| {
                let id: Option<i64> = sqlx::query_scalar(concat!(
                    "INSERT INTO survey_send (org_id, id, person_id, object_kind, object_key, \
                     wave, template, title, questions, cohort, completed_at, sent_at, closes_at) \
                     VALUES ($1, ",
                    next_id_sql!("survey_send"),
                    ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (org_id, person_id, object_kind, object_key, wave) DO NOTHING \
                     RETURNING id"
                ))
                .bind(org.0)
                .bind(s.person.0)
                .bind(&s.object_kind)
                .bind(&s.object_key)
                .bind(s.wave)
                .bind(&s.template)
                .bind(&s.form.title)
                .bind(&questions)
                .bind(&cohort)
                .bind(s.completed_at)
                .bind(now)
                .bind(s.closes_at)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(id) = id {
                    let link = link.replace("{id}", &id.to_string());
                    let mut m = mail.clone();
                    m.body = m.body.replace("{id}", &id.to_string());
                    notify_in_tx!(tx, org, s.person.0, "survey", subject, &link, &m, now);
                }
                id.is_some()
            }))
        };
        retry_on_conflict(attempt).await
    }

    /// Unanswered, still open sends whose reminder is due at `now` and not yet sent.
    pub async fn survey_reminders_due(
        &self,
        org: OrgId,
        remind_days: i64,
        now: i64,
    ) -> Result<Vec<DueReminder>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT s.id, s.person_id, p.email, p.name, s.title, s.closes_at \
             FROM survey_send s JOIN person p ON p.org_id = s.org_id AND p.id = s.person_id \
             WHERE s.org_id = $1 AND s.answered_at IS NULL AND s.reminded_at IS NULL \
             AND s.sent_at <= $2 AND s.closes_at > $3 AND p.active = TRUE ORDER BY s.id"
        )
        .bind(org.0)
        .bind(now - remind_days * 86_400)
        .bind(now)
        .fetch_all(p)
        .await)?)
    }

    /// Claim and send one reminder (once, whatever the number of servers).
    pub async fn send_survey_reminder(
        &self,
        org: OrgId,
        r: &DueReminder,
        subject: &str,
        link: &str,
        mail: &OutMail,
        now: i64,
    ) -> Result<bool> {
        let attempt = || async {
            Ok::<bool, StoreError>(with_tx!(self, |tx| {
                let claimed = sqlx::query(
                    "UPDATE survey_send SET reminded_at = $3 WHERE org_id = $1 AND id = $2 \
                     AND reminded_at IS NULL AND answered_at IS NULL",
                )
                .bind(org.0)
                .bind(r.id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if claimed {
                    notify_in_tx!(
                        tx,
                        org,
                        r.person_id,
                        "survey-reminder",
                        subject,
                        link,
                        mail,
                        now
                    );
                }
                claimed
            }))
        };
        retry_on_conflict(attempt).await
    }

    /// A person's surveys, newest first.
    pub async fn my_surveys(&self, org: OrgId, person: PersonId) -> Result<Vec<SendRow>> {
        let sql = format!(
            "SELECT {SEND_COLS} FROM survey_send WHERE org_id = $1 AND person_id = $2 \
             ORDER BY id DESC"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.0)
            .fetch_all(p)
            .await)?)
    }

    /// One of a person's surveys (someone else's, or another organisation's, is not found).
    pub async fn my_survey(&self, org: OrgId, person: PersonId, id: i64) -> Result<SendRow> {
        let sql = format!(
            "SELECT {SEND_COLS} FROM survey_send WHERE org_id = $1 AND person_id = $2 AND id = $3"
        );
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Record a person's answers to their survey: marks the send answered and stores the
    /// response without the person, in one transaction. Refused (changing nothing) when already
    /// answered or closed.
    pub async fn answer_survey(
        &self,
        org: OrgId,
        person: PersonId,
        id: i64,
        answers: &[Option<Answer>],
        now: i64,
    ) -> Result<Result<(), Refusal>> {
        let send = self.my_survey(org, person, id).await?;
        let json = to_json(&answers);
        let day =
            somu_domain::time_util::format_date(somu_domain::time_util::from_unix(now).date());
        let attempt = || async {
            Ok::<Result<(), Refusal>, StoreError>(with_tx!(self, |tx| {
                let claimed = sqlx::query(
                    "UPDATE survey_send SET answered_at = $4 WHERE org_id = $1 AND person_id = $2 \
                     AND id = $3 AND answered_at IS NULL AND closes_at > $4",
                )
                .bind(org.0)
                .bind(person.0)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if claimed {
                    sqlx::query(concat!(
                        "INSERT INTO survey_response (org_id, id, object_kind, object_key, wave, \
                         template, title, questions, cohort, answers, day) VALUES ($1, ",
                        next_id_sql!("survey_response"),
                        ", $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ))
                    .bind(org.0)
                    .bind(&send.object_kind)
                    .bind(&send.object_key)
                    .bind(send.wave)
                    .bind(&send.template)
                    .bind(&send.title)
                    .bind(&send.questions)
                    .bind(&send.cohort)
                    .bind(&json)
                    .bind(&day)
                    .execute(&mut *tx)
                    .await?;
                    Ok(())
                } else if send.answered_at.is_some() || now < send.closes_at {
                    Err(Refusal::Answered)
                } else {
                    Err(Refusal::Closed)
                }
            }))
        };
        retry_on_conflict(attempt).await
    }

    /// Anonymous responses matching `f`.
    pub async fn survey_responses(
        &self,
        org: OrgId,
        f: &ResponseFilter,
    ) -> Result<Vec<ResponseRow>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT object_kind, object_key, wave, template, title, questions, cohort, answers \
             FROM survey_response WHERE org_id = $1 \
             AND ($2 IS NULL OR object_kind = $2) AND ($3 IS NULL OR object_key = $3) \
             AND ($4 IS NULL OR wave = $4) AND ($5 IS NULL OR cohort = $5) ORDER BY id"
        )
        .bind(org.0)
        .bind(f.object_kind.as_deref())
        .bind(f.object_key.as_deref())
        .bind(f.wave)
        .bind(f.cohort.as_deref())
        .fetch_all(p)
        .await)?)
    }

    /// Kirkpatrick L1 inputs per track: every rating and NPS answer of the track's survey
    /// responses, keyed by track slug, and under `""` those of all tracks together. A track with
    /// fewer responses than the organisation's minimum group size is left out, so L1 can never
    /// single someone out.
    pub async fn survey_reactions(&self, org: OrgId) -> Result<BTreeMap<String, Reactions>> {
        let min = self.survey_settings(org).await?.min_group;
        let rows = self
            .survey_responses(
                org,
                &ResponseFilter {
                    object_kind: Some("track".into()),
                    ..Default::default()
                },
            )
            .await?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut out: BTreeMap<String, Reactions> = BTreeMap::new();
        for r in &rows {
            *counts.entry(r.object_key.clone()).or_default() += 1;
            let questions = parse_questions(&r.questions);
            let answers = r.answer_list();
            for (q, a) in questions.iter().zip(answers.iter()) {
                let Some(Answer::Score(s)) = a else { continue };
                let e = out.entry(r.object_key.clone()).or_default();
                match q.kind {
                    QuestionKind::Rating => e.ratings.push(f64::from(*s)),
                    QuestionKind::Nps => e.nps_scores.push(*s),
                    QuestionKind::Likert | QuestionKind::Text => {}
                }
            }
        }
        let mut all = Reactions::default();
        for r in out.values() {
            all.ratings.extend(&r.ratings);
            all.nps_scores.extend(&r.nps_scores);
        }
        out.retain(|k, _| shown(counts.get(k).copied().unwrap_or(0), min));
        if shown(rows.len(), min) {
            out.insert(String::new(), all);
        }
        Ok(out)
    }
}
