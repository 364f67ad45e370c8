//! The learning catalogue as every area sees it: courses (described by their published version)
//! and tracks (an audience's ordered set of courses). The learning content area keeps these rows
//! up to date when it imports or publishes; assignments, classes, certification and analytics
//! read them. Courses and tracks are named by slug across areas (see `somu_domain::xapi` keys).

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::OrgId;

/// A course in the catalogue.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct CourseEntry {
    /// Id within the organisation (assigned by the store; ignored by [`Store::put_course`]).
    pub id: i64,
    /// Stable name, unique in the organisation.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary.
    pub summary: String,
    /// Audience codes it is written for, comma-separated (e.g. `practitioner,management`).
    pub audiences: String,
    /// Depth: `introductory`, `intermediate` or `advanced`.
    pub level: String,
    /// Estimated learning time in minutes.
    pub estimated_minutes: i64,
    /// Number of modules in the published version.
    pub modules: i64,
    /// Number of lessons in the published version.
    pub lessons: i64,
    /// The published version's id, if one is published.
    pub published_version: Option<i64>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

/// A track: the courses one audience takes, in order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrackEntry {
    /// Id within the organisation (assigned by the store; ignored by [`Store::put_track`]).
    pub id: i64,
    /// Stable name, unique in the organisation (the default tracks use the audience code).
    pub slug: String,
    /// Audience code.
    pub audience: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Pass mark of the post-test, in percent.
    pub pass_mark: i64,
    /// Course slugs in order.
    pub courses: Vec<String>,
    /// Last change (Unix seconds).
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct TrackRow {
    id: i64,
    slug: String,
    audience: String,
    title: String,
    summary: String,
    pass_mark: i64,
    updated_at: i64,
}

const COURSE_COLUMNS: &str = "id, slug, title, summary, audiences, level, estimated_minutes, \
    modules, lessons, published_version, updated_at";

impl Store {
    /// Create or update a course by slug; returns its id.
    pub async fn put_course(&self, org: OrgId, c: &CourseEntry) -> Result<i64> {
        retry_on_conflict(|| async {
            let id: i64 = with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO course (org_id, id, slug, title, summary, audiences, level, \
                 estimated_minutes, modules, lessons, published_version, updated_at) VALUES ($1, ",
                next_id_sql!("course"),
                ", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (org_id, slug) DO UPDATE SET title = excluded.title, \
                 summary = excluded.summary, audiences = excluded.audiences, level = excluded.level, \
                 estimated_minutes = excluded.estimated_minutes, modules = excluded.modules, \
                 lessons = excluded.lessons, published_version = excluded.published_version, \
                 updated_at = excluded.updated_at RETURNING id"
            ))
            .bind(org.0)
            .bind(&c.slug)
            .bind(&c.title)
            .bind(&c.summary)
            .bind(&c.audiences)
            .bind(&c.level)
            .bind(c.estimated_minutes)
            .bind(c.modules)
            .bind(c.lessons)
            .bind(c.published_version)
            .bind(c.updated_at)
            .fetch_one(p)
            .await)?;
            Ok(id)
        })
        .await
    }

    /// Every course, by title.
    pub async fn courses(&self, org: OrgId) -> Result<Vec<CourseEntry>> {
        let sql =
            format!("SELECT {COURSE_COLUMNS} FROM course WHERE org_id = $1 ORDER BY title, slug");
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .fetch_all(p)
            .await)?)
    }

    /// One course by slug.
    pub async fn course_by_slug(&self, org: OrgId, slug: &str) -> Result<CourseEntry> {
        let sql = format!("SELECT {COURSE_COLUMNS} FROM course WHERE org_id = $1 AND slug = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(slug)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Create or update a track by slug, replacing its course list; returns its id.
    pub async fn put_track(&self, org: OrgId, t: &TrackEntry) -> Result<i64> {
        retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO track (org_id, id, slug, audience, title, summary, pass_mark, \
                     updated_at) VALUES ($1, ",
                    next_id_sql!("track"),
                    ", $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, slug) DO UPDATE SET \
                     audience = excluded.audience, title = excluded.title, \
                     summary = excluded.summary, pass_mark = excluded.pass_mark, \
                     updated_at = excluded.updated_at RETURNING id"
                ))
                .bind(org.0)
                .bind(&t.slug)
                .bind(&t.audience)
                .bind(&t.title)
                .bind(&t.summary)
                .bind(t.pass_mark)
                .bind(t.updated_at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM track_course WHERE org_id = $1 AND track_id = $2")
                    .bind(org.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for (pos, slug) in t.courses.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO track_course (org_id, track_id, position, course_slug) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(org.0)
                    .bind(id)
                    .bind(pos as i64)
                    .bind(slug)
                    .execute(&mut *tx)
                    .await?;
                }
                id
            }))
        })
        .await
    }

    /// Every track with its courses, by audience then title.
    pub async fn tracks(&self, org: OrgId) -> Result<Vec<TrackEntry>> {
        self.read_tracks(org, None).await
    }

    /// One track by slug.
    pub async fn track_by_slug(&self, org: OrgId, slug: &str) -> Result<TrackEntry> {
        self.read_tracks(org, Some(slug))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)
    }

    async fn read_tracks(&self, org: OrgId, slug: Option<&str>) -> Result<Vec<TrackEntry>> {
        let rows: Vec<TrackRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, slug, audience, title, summary, pass_mark, updated_at FROM track \
             WHERE org_id = $1 AND ($2 IS NULL OR slug = $2) ORDER BY audience, title"
        )
        .bind(org.0)
        .bind(slug)
        .fetch_all(p)
        .await)?;
        let links: Vec<(i64, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT tc.track_id, tc.course_slug FROM track_course tc \
             JOIN track t ON t.org_id = tc.org_id AND t.id = tc.track_id \
             WHERE tc.org_id = $1 AND ($2 IS NULL OR t.slug = $2) \
             ORDER BY tc.track_id, tc.position"
        )
        .bind(org.0)
        .bind(slug)
        .fetch_all(p)
        .await)?;
        let mut courses: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for (track, course) in links {
            courses.entry(track).or_default().push(course);
        }
        Ok(rows
            .into_iter()
            .map(|r| TrackEntry {
                courses: courses.remove(&r.id).unwrap_or_default(),
                id: r.id,
                slug: r.slug,
                audience: r.audience,
                title: r.title,
                summary: r.summary,
                pass_mark: r.pass_mark,
                updated_at: r.updated_at,
            })
            .collect())
    }
}
