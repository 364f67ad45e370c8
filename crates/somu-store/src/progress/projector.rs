//! The projector: folds new learning statements into the progress tables.
//!
//! It reads statements in id order after the organisation's watermark and moves the watermark in
//! the same transaction as the rows it writes, so a statement is counted exactly once. The first
//! write of each round takes the watermark row's lock, so two app servers catching up at the same
//! time take turns rather than double-counting.

use super::status::mark_dirty;
use crate::{with_pool, with_tx, Result, Store};
use somu_domain::ids::OrgId;
use somu_domain::xapi::{ActivityKind, Verb};
use std::collections::{BTreeMap, BTreeSet};

/// Statements folded per transaction.
const BATCH: i64 = 5000;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    person_id: i64,
    verb: String,
    kind: String,
    key: String,
    score_scaled: Option<f64>,
    duration_ms: Option<i64>,
    at: i64,
}

/// What a batch changes for one person and course.
#[derive(Default)]
struct CourseDelta {
    time_ms: i64,
    last: Option<(i64, String)>,
    last_at: i64,
    started_at: i64,
    completed_at: Option<i64>,
    best_score: Option<f64>,
    lessons: bool,
}

#[derive(Default)]
struct TrackDelta {
    pre: Option<f64>,
    post: Option<f64>,
    post_passed: bool,
    completed_at: Option<i64>,
}

fn min_opt(a: Option<i64>, b: i64) -> Option<i64> {
    Some(a.map_or(b, |a| a.min(b)))
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The batch folded in memory: per (person, course) and per (person, track), plus lessons read.
#[derive(Default)]
struct Fold {
    courses: BTreeMap<(i64, String), CourseDelta>,
    tracks: BTreeMap<(i64, String), TrackDelta>,
    lessons: BTreeSet<(i64, String)>,
}

impl Fold {
    fn course(&mut self, person: i64, slug: &str, at: i64) -> &mut CourseDelta {
        let d = self
            .courses
            .entry((person, slug.to_string()))
            .or_insert_with(|| CourseDelta {
                started_at: at,
                last_at: at,
                ..Default::default()
            });
        d.started_at = d.started_at.min(at);
        d.last_at = d.last_at.max(at);
        d
    }

    fn add(&mut self, r: &Row) {
        let (Ok(verb), Ok(kind)) = (r.verb.parse::<Verb>(), r.kind.parse::<ActivityKind>()) else {
            return;
        };
        let head = r.key.split('/').next().unwrap_or_default();
        match kind {
            ActivityKind::Lesson => {
                let d = self.course(r.person_id, head, r.at);
                if matches!(verb, Verb::Launched | Verb::Experienced)
                    && d.last.as_ref().is_none_or(|(at, _)| *at <= r.at)
                {
                    d.last = Some((r.at, r.key.clone()));
                }
                if verb == Verb::Experienced {
                    d.time_ms += r.duration_ms.unwrap_or(0).max(0);
                    d.lessons = true;
                    self.lessons.insert((r.person_id, r.key.clone()));
                }
            }
            ActivityKind::Course => {
                let d = self.course(r.person_id, &r.key, r.at);
                match verb {
                    Verb::Completed => d.completed_at = min_opt(d.completed_at, r.at),
                    Verb::Passed => d.best_score = max_opt(d.best_score, r.score_scaled),
                    _ => {}
                }
            }
            ActivityKind::Quiz => {
                let d = self.course(r.person_id, head, r.at);
                if verb == Verb::Passed || verb == Verb::Failed {
                    d.best_score = max_opt(d.best_score, r.score_scaled);
                }
            }
            ActivityKind::Test if matches!(verb, Verb::Passed | Verb::Failed) => {
                let d = self
                    .tracks
                    .entry((r.person_id, head.to_string()))
                    .or_default();
                if r.key.ends_with("/pre") {
                    d.pre = d.pre.or(r.score_scaled);
                } else if r.key.ends_with("/post") {
                    d.post = max_opt(d.post, r.score_scaled);
                    d.post_passed |= verb == Verb::Passed;
                }
            }
            ActivityKind::Track if verb == Verb::Completed => {
                let d = self.tracks.entry((r.person_id, r.key.clone())).or_default();
                d.completed_at = min_opt(d.completed_at, r.at);
            }
            _ => {}
        }
    }
}

/// The end of the key range of a course's lessons: `slug/` up to (not including) `slug0`
/// (`'0'` is the character after `'/'`).
fn lesson_range(slug: &str) -> (String, String) {
    (format!("{slug}/"), format!("{slug}0"))
}

impl Store {
    /// Catch the organisation's progress tables up with the learning record, then recompute
    /// the standing of the people it touched or who changed (see [`super::status`]). Cheap when
    /// there is nothing new (three indexed reads). Returns how many statements were folded in.
    pub async fn project_progress(&self, org: OrgId) -> Result<u64> {
        let (latest, mark, dirty): (i64, Option<i64>, i64) = with_pool!(self, |p| sqlx::query_as(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM statement WHERE org_id = $1), \
             (SELECT last_id FROM progress_watermark WHERE org_id = $1), \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM progress_dirty \
               WHERE org_id = $1 LIMIT 1) d)"
        )
        .bind(org.0)
        .fetch_one(p)
        .await)?;
        let mut total = 0u64;
        if mark.unwrap_or(0) < latest {
            loop {
                let n = self.project_batch(org).await?;
                total += n;
                if n < BATCH as u64 {
                    break;
                }
            }
        }
        if total > 0 || dirty > 0 {
            self.refresh_progress_status(org).await?;
        }
        Ok(total)
    }

    async fn project_batch(&self, org: OrgId) -> Result<u64> {
        Ok(with_tx!(self, |tx| {
            // Taking the row lock first serialises concurrent projectors of one organisation.
            let mark: i64 = sqlx::query_scalar(
                "INSERT INTO progress_watermark (org_id, last_id) VALUES ($1, 0) \
                 ON CONFLICT (org_id) DO UPDATE SET last_id = progress_watermark.last_id \
                 RETURNING last_id",
            )
            .bind(org.0)
            .fetch_one(&mut *tx)
            .await?;
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, person_id, verb, kind, key, score_scaled, duration_ms, at \
                 FROM statement WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(org.0)
            .bind(mark)
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let mut fold = Fold::default();
            for r in &rows {
                fold.add(r);
            }
            for (person, key) in &fold.lessons {
                sqlx::query(
                    "INSERT INTO progress_lesson (org_id, person_id, lesson_key) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(org.0)
                .bind(person)
                .bind(key)
                .execute(&mut *tx)
                .await?;
            }
            for ((person, slug), d) in &fold.courses {
                sqlx::query(
                    "INSERT INTO progress_course (org_id, person_id, course_slug, lessons_done, \
                     time_ms, last_lesson, last_at, started_at, completed_at, best_score) \
                     VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (org_id, person_id, course_slug) DO UPDATE SET \
                     time_ms = progress_course.time_ms + excluded.time_ms, \
                     last_lesson = CASE WHEN excluded.last_lesson IS NOT NULL \
                       AND (progress_course.last_lesson IS NULL OR excluded.last_at >= progress_course.last_at) \
                       THEN excluded.last_lesson ELSE progress_course.last_lesson END, \
                     last_at = CASE WHEN excluded.last_at > progress_course.last_at \
                       THEN excluded.last_at ELSE progress_course.last_at END, \
                     started_at = CASE WHEN excluded.started_at < progress_course.started_at \
                       THEN excluded.started_at ELSE progress_course.started_at END, \
                     completed_at = CASE WHEN progress_course.completed_at IS NULL \
                       OR excluded.completed_at < progress_course.completed_at \
                       THEN COALESCE(excluded.completed_at, progress_course.completed_at) \
                       ELSE progress_course.completed_at END, \
                     best_score = CASE WHEN progress_course.best_score IS NULL \
                       OR excluded.best_score > progress_course.best_score \
                       THEN COALESCE(excluded.best_score, progress_course.best_score) \
                       ELSE progress_course.best_score END",
                )
                .bind(org.0)
                .bind(person)
                .bind(slug)
                .bind(d.time_ms)
                .bind(d.last.as_ref().map(|(_, k)| k.as_str()))
                .bind(d.last_at)
                .bind(d.started_at)
                .bind(d.completed_at)
                .bind(d.best_score)
                .execute(&mut *tx)
                .await?;
                if d.lessons {
                    let (lo, hi) = lesson_range(slug);
                    sqlx::query(
                        "UPDATE progress_course SET lessons_done = (SELECT COUNT(*) FROM \
                         progress_lesson l WHERE l.org_id = $1 AND l.person_id = $2 \
                         AND l.lesson_key >= $4 AND l.lesson_key < $5) \
                         WHERE org_id = $1 AND person_id = $2 AND course_slug = $3",
                    )
                    .bind(org.0)
                    .bind(person)
                    .bind(slug)
                    .bind(&lo)
                    .bind(&hi)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for ((person, slug), d) in &fold.tracks {
                sqlx::query(
                    "INSERT INTO progress_track (org_id, person_id, track_slug, pre_score, \
                     post_score, post_passed, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (org_id, person_id, track_slug) DO UPDATE SET \
                     pre_score = COALESCE(progress_track.pre_score, excluded.pre_score), \
                     post_score = CASE WHEN progress_track.post_score IS NULL \
                       OR excluded.post_score > progress_track.post_score \
                       THEN COALESCE(excluded.post_score, progress_track.post_score) \
                       ELSE progress_track.post_score END, \
                     post_passed = (progress_track.post_passed OR excluded.post_passed), \
                     completed_at = CASE WHEN progress_track.completed_at IS NULL \
                       OR excluded.completed_at < progress_track.completed_at \
                       THEN COALESCE(excluded.completed_at, progress_track.completed_at) \
                       ELSE progress_track.completed_at END",
                )
                .bind(org.0)
                .bind(person)
                .bind(slug)
                .bind(d.pre)
                .bind(d.post)
                .bind(d.post_passed)
                .bind(d.completed_at)
                .execute(&mut *tx)
                .await?;
            }
            let touched: BTreeSet<i64> = fold
                .courses
                .keys()
                .map(|(p, _)| *p)
                .chain(fold.tracks.keys().map(|(p, _)| *p))
                .collect();
            let touched: Vec<i64> = touched.into_iter().collect();
            mark_dirty!(tx, org, touched);
            if let Some(last) = rows.last() {
                sqlx::query("UPDATE progress_watermark SET last_id = $2 WHERE org_id = $1")
                    .bind(org.0)
                    .bind(last.id)
                    .execute(&mut *tx)
                    .await?;
            }
            rows.len() as u64
        }))
    }
}
