//! Bulk writes for large synthetic organisations (`somu bench generate`): many rows per INSERT,
//! one transaction per batch. Ordinary writers use their own areas' functions instead.

use super::AccountWeek;
use crate::{with_tx, BackendKind, Result, Store};
use somu_domain::ids::OrgId;

/// Rows per INSERT: below SQLite's 32 766 bound parameters for the widest table.
const ROWS: usize = 1000;

/// A person written in bulk (employee, English, active).
#[derive(Debug, Clone)]
pub struct BulkPerson {
    /// Id within the organisation.
    pub id: i64,
    /// Email (unique in the organisation).
    pub email: String,
    /// Name.
    pub name: String,
    /// Audience code.
    pub audience: String,
}

/// A social account written in bulk.
#[derive(Debug, Clone)]
pub struct BulkAccount {
    /// Id within the organisation.
    pub id: i64,
    /// Platform.
    pub platform: String,
    /// Handle.
    pub handle: String,
    /// Owner.
    pub person_id: Option<i64>,
}

/// A post written in bulk.
#[derive(Debug, Clone)]
pub struct BulkPost {
    /// Id within the organisation.
    pub id: i64,
    /// Author account.
    pub account_id: i64,
    /// Author person.
    pub person_id: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    /// `original`, `reply`, `repost` or `quote`.
    pub kind: &'static str,
    /// Likes, reposts, replies, quotes, clicks, saves.
    pub counts: [i64; 6],
    /// Impressions when reported.
    pub impressions: Option<i64>,
    /// Followers at post time.
    pub followers: i64,
    /// Own sentiment.
    pub sentiment: Option<f64>,
    /// Responses' sentiment.
    pub response_sentiment: Option<f64>,
}

/// The INSERT of `rows` rows of `cols` positional values into `into` (see
/// [`crate::value_rows`] and [`crate::bulk_insert`]: every key is new).
fn insert(kind: BackendKind, into: &str, rows: usize, cols: usize) -> String {
    let values = format!("VALUES {}", crate::value_rows(kind, 1, rows, cols));
    crate::bulk_insert(kind, crate::Existing::Fail, into, &values)
}

impl Store {
    /// Insert people.
    pub async fn bulk_people(&self, org: OrgId, people: &[BulkPerson], now: i64) -> Result<()> {
        for chunk in people.chunks(ROWS) {
            let sql = insert(
                self.kind(),
                "person (org_id, id, email, name, audience, employment_type, language, search, \
                 created_at, updated_at)",
                chunk.len(),
                10,
            );
            with_tx!(self, |tx| {
                let mut q = sqlx::query(&sql);
                for p in chunk {
                    q = q
                        .bind(org.0)
                        .bind(p.id)
                        .bind(p.email.as_str())
                        .bind(p.name.as_str())
                        .bind(p.audience.as_str())
                        .bind("employee")
                        .bind("en")
                        .bind(format!("{} {}", p.name.to_lowercase(), p.email))
                        .bind(now)
                        .bind(now);
                }
                q.execute(&mut *tx).await?;
            });
        }
        Ok(())
    }

    /// Insert social accounts (consent recorded as given at `now` by the generator).
    pub async fn bulk_accounts(
        &self,
        org: OrgId,
        accounts: &[BulkAccount],
        now: i64,
    ) -> Result<()> {
        for chunk in accounts.chunks(ROWS) {
            let sql = insert(
                self.kind(),
                "social_account (org_id, id, platform, handle, person_id, brand, consent_at, \
                 consent_source, created_at)",
                chunk.len(),
                9,
            );
            with_tx!(self, |tx| {
                let mut q = sqlx::query(&sql);
                for a in chunk {
                    q = q
                        .bind(org.0)
                        .bind(a.id)
                        .bind(a.platform.as_str())
                        .bind(a.handle.as_str())
                        .bind(a.person_id)
                        .bind(a.person_id.is_none())
                        .bind(now)
                        .bind("synthetic")
                        .bind(now);
                }
                q.execute(&mut *tx).await?;
            });
        }
        Ok(())
    }
}

/// Secondary indexes of `post` that a person-by-person load would fill in random order (they
/// are keyed by time across people): a SQLite load drops them and builds each once at the end,
/// from a sort, which is several times cheaper than millions of scattered inserts.
const DEFERRED_INDEXES: [&str; 2] = ["post_time", "post_kind_time"];

enum LoadTx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Run `$body` with `$c` the load's connection, on either backend.
macro_rules! on_load {
    ($load:expr, |$c:ident| $body:expr) => {
        match &mut $load.tx {
            LoadTx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut **t;
                $body
            }
            LoadTx::Postgres(t) => {
                let $c: &mut sqlx::PgConnection = &mut **t;
                $body
            }
        }
    };
}

/// One transaction that writes a whole synthetic organisation's posts, follower snapshots and
/// roll-ups: everything or nothing, and on SQLite with [`DEFERRED_INDEXES`] rebuilt by
/// [`BulkLoad::finish`] (other connections keep reading the committed schema meanwhile).
/// Writers must add rows person by person, account ids and post ids ascending, so that every
/// other index and table grows at its end. On SQLite the load holds the database's write lock
/// until it commits (minutes at 100,000 people): other writers of the same file wait, then fail.
pub struct BulkLoad {
    tx: LoadTx,
    org: OrgId,
    /// The dropped indexes' own definitions, replayed by `finish`.
    rebuild: Vec<String>,
}

impl Store {
    /// Start a bulk load into `org` (use a [`Store::single_connection`] with a large cache).
    pub async fn bulk_load(&self, org: OrgId) -> Result<BulkLoad> {
        let (tx, rebuild) = match &self.backend {
            crate::Backend::Sqlite(p) => {
                let mut tx = p.begin().await?;
                let mut rebuild = Vec::new();
                for name in DEFERRED_INDEXES {
                    let sql: Option<String> = sqlx::query_scalar(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                    )
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(sql) = sql {
                        sqlx::query(&format!("DROP INDEX {name}"))
                            .execute(&mut *tx)
                            .await?;
                        rebuild.push(sql);
                    }
                }
                (LoadTx::Sqlite(tx), rebuild)
            }
            crate::Backend::Postgres(p) => (LoadTx::Postgres(p.begin().await?), Vec::new()),
        };
        Ok(BulkLoad { tx, org, rebuild })
    }
}

impl BulkLoad {
    fn kind(&self) -> BackendKind {
        match self.tx {
            LoadTx::Sqlite(_) => BackendKind::Sqlite,
            LoadTx::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Insert posts.
    pub async fn posts(&mut self, posts: &[BulkPost]) -> Result<()> {
        const COLS: usize = 18;
        let (org, kind) = (self.org, self.kind());
        for chunk in posts.chunks(ROWS) {
            // updated_at repeats created_at: one more bound column per row.
            let sql = insert(
                kind,
                "post (org_id, id, account_id, post_id, person_id, created_at, kind, text, \
                 likes, reposts, replies, quotes, clicks, saves, impressions, followers, \
                 sentiment, response_sentiment, updated_at)",
                chunk.len(),
                COLS + 1,
            );
            on_load!(self, |c| {
                let mut q = sqlx::query(&sql).persistent(chunk.len() == ROWS);
                for p in chunk {
                    q = q
                        .bind(org.0)
                        .bind(p.id)
                        .bind(p.account_id)
                        .bind(post_id(p.id))
                        .bind(p.person_id)
                        .bind(p.created_at)
                        .bind(p.kind)
                        .bind("")
                        .bind(p.counts[0])
                        .bind(p.counts[1])
                        .bind(p.counts[2])
                        .bind(p.counts[3])
                        .bind(p.counts[4])
                        .bind(p.counts[5])
                        .bind(p.impressions)
                        .bind(p.followers)
                        .bind(p.sentiment)
                        .bind(p.response_sentiment)
                        .bind(p.created_at);
                }
                q.execute(&mut *c).await?;
            });
        }
        Ok(())
    }

    /// Insert follower snapshots: (account, at, followers).
    pub async fn snapshots(&mut self, snaps: &[(i64, i64, i64)]) -> Result<()> {
        let (org, kind) = (self.org, self.kind());
        for chunk in snaps.chunks(ROWS) {
            let sql = insert(
                kind,
                "follower_snapshot (org_id, account_id, at, followers)",
                chunk.len(),
                4,
            );
            on_load!(self, |c| {
                let mut q = sqlx::query(&sql).persistent(chunk.len() == ROWS);
                for (a, at, f) in chunk {
                    q = q.bind(org.0).bind(*a).bind(*at).bind(*f);
                }
                q.execute(&mut *c).await?;
            });
        }
        Ok(())
    }

    /// Insert roll-up rows computed by the writer itself (instead of marking weeks dirty and
    /// re-reading the posts).
    pub async fn account_weeks(&mut self, rows: &[AccountWeek]) -> Result<()> {
        let (org, kind) = (self.org, self.kind());
        for chunk in rows.chunks(ROWS) {
            let sql = insert(
                kind,
                "analytics_account_week (org_id, account_id, week_start, person_id, brand, \
                 posts, original_posts, likes, reposts, replies, quotes, clicks, saves, \
                 impressions, impression_posts, potential, potential_posts, warm_engagements, \
                 warmth_weight, warmth_posts, snapshot_at, snapshot_followers)",
                chunk.len(),
                22,
            );
            on_load!(self, |c| {
                let mut q = sqlx::query(&sql).persistent(chunk.len() == ROWS);
                for r in chunk {
                    q = super::bind_account_week!(q, org, r);
                }
                q.execute(&mut *c).await?;
            });
        }
        Ok(())
    }

    /// Rebuild the dropped indexes (SQLite sorts with two threads), advance the organisation's
    /// roll-up generation and commit.
    pub async fn finish(mut self) -> Result<()> {
        let org = self.org;
        let rebuild = std::mem::take(&mut self.rebuild);
        on_load!(self, |c| {
            if !rebuild.is_empty() {
                sqlx::query("PRAGMA threads = 2").execute(&mut *c).await?;
            }
            for sql in &rebuild {
                sqlx::query(sql).execute(&mut *c).await?;
            }
            sqlx::query(super::snapshot::BUMP_GENERATION)
                .bind(org.0)
                .execute(&mut *c)
                .await?;
        });
        match self.tx {
            LoadTx::Sqlite(t) => t.commit().await?,
            LoadTx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// A generated post's id on its platform: zero-padded, so that text order is number order and
/// the post-id indexes grow at their end.
fn post_id(id: i64) -> String {
    format!("{id:012}")
}
