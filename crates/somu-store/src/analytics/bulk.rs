//! Bulk writes for large synthetic organisations (`somu bench generate`): many rows per INSERT,
//! one transaction per batch. Ordinary writers use their own areas' functions instead.

use super::AccountWeek;
use crate::{with_pool, with_tx, BackendKind, Result, Store};
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
/// from a sort, which is several times cheaper than millions of scattered inserts. Each with its
/// definition as the migrations create it (a test compares them), so that [`Store::migrate`]
/// can put back any that an interrupted load left out.
pub(crate) const DEFERRED_INDEXES: [(&str, &str); 2] = [
    ("post_time", "ON post (org_id, created_at)"),
    ("post_kind_time", "ON post (org_id, kind, created_at)"),
];
/// The page cache while the deferred indexes are sorted, in KiB: SQLite sorts in runs the size
/// of the page cache (up to 512 MB), each run a linked list whose sort misses the processor's
/// caches at every step when the run is large; runs of a few megabytes sort several times
/// faster, two at a time (the load's thread and one helper), and are merged.
const SORT_CACHE_KB: u32 = 16 * 1024;

/// A load of a whole synthetic organisation's posts, follower snapshots and roll-ups, one
/// transaction per batch, so that the write-ahead log is copied back into the database while
/// the load goes on instead of growing to the size of the whole load (reads from a log of
/// millions of pages slow down with its length). On SQLite the [`DEFERRED_INDEXES`] are dropped
/// first and built by [`BulkLoad::finish`]; meanwhile every organisation's activity lists are
/// slower, and a load that stops half-way leaves its organisation half-written (the indexes come
/// back with [`BulkLoad::abandon`], or with the next [`Store::migrate`] after a crash). Writers
/// must add rows person by person, account ids and post ids ascending, so that every other
/// index and table grows at its end. Use a [`Store::single_connection`].
pub struct BulkLoad {
    store: Store,
    org: OrgId,
}

impl Store {
    /// Start a bulk load into `org`.
    pub async fn bulk_load(&self, org: OrgId) -> Result<BulkLoad> {
        if let crate::Backend::Sqlite(p) = &self.backend {
            let mut tx = p.begin().await?;
            for (name, _) in DEFERRED_INDEXES {
                sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(BulkLoad {
            store: self.clone(),
            org,
        })
    }

    /// Create any of the [`DEFERRED_INDEXES`] that is missing (SQLite).
    pub(crate) async fn restore_deferred_indexes(&self) -> Result<()> {
        if let crate::Backend::Sqlite(p) = &self.backend {
            for (name, on) in DEFERRED_INDEXES {
                sqlx::query(&format!("CREATE INDEX IF NOT EXISTS {name} {on}"))
                    .execute(p)
                    .await?;
            }
        }
        Ok(())
    }
}

/// A statement's values bound on the caller's thread, for either backend.
enum Args {
    Sqlite(sqlx::sqlite::SqliteArguments<'static>),
    Postgres(sqlx::postgres::PgArguments),
}

/// Values bound in order into [`Args`], whatever the backend.
struct Binder(Args);

impl Binder {
    fn new(kind: BackendKind) -> Self {
        Binder(match kind {
            BackendKind::Sqlite => Args::Sqlite(Default::default()),
            BackendKind::Postgres => Args::Postgres(Default::default()),
        })
    }

    fn add<T>(&mut self, value: T) -> Result<()>
    where
        T: 'static
            + Send
            + sqlx::Encode<'static, sqlx::Sqlite>
            + sqlx::Type<sqlx::Sqlite>
            + for<'q> sqlx::Encode<'q, sqlx::Postgres>
            + sqlx::Type<sqlx::Postgres>,
    {
        use sqlx::Arguments;
        let added = match &mut self.0 {
            Args::Sqlite(a) => a.add(value),
            Args::Postgres(a) => a.add(value),
        };
        added.map_err(|e| crate::StoreError::Conflict(format!("a value could not be bound: {e}")))
    }
}

/// Rows of one table bound to their INSERT statements, built on the generator's thread while
/// the database thread writes the previous ones (binding a batch takes about a third of the
/// time SQLite takes to write it, and would otherwise wait its turn on the same thread).
pub struct BoundRows {
    /// SQL, values, and whether the statement is of the usual length (worth keeping prepared).
    statements: Vec<(std::sync::Arc<str>, Args, bool)>,
}

/// The INSERT statements of `rows` split in chunks of [`ROWS`], each chunk's values bound by
/// `bind` (`cols` of them per row). Full chunks share one SQL text (kept prepared).
fn bind_rows<R>(
    kind: BackendKind,
    into: &str,
    cols: usize,
    rows: &[R],
    bind: impl Fn(&mut Binder, &R) -> Result<()>,
) -> Result<BoundRows> {
    let full: std::sync::Arc<str> = insert(kind, into, ROWS, cols).into();
    let mut statements = Vec::with_capacity(rows.len().div_ceil(ROWS));
    for chunk in rows.chunks(ROWS) {
        let sql = if chunk.len() == ROWS {
            std::sync::Arc::clone(&full)
        } else {
            insert(kind, into, chunk.len(), cols).into()
        };
        let mut b = Binder::new(kind);
        for r in chunk {
            bind(&mut b, r)?;
        }
        statements.push((sql, b.0, chunk.len() == ROWS));
    }
    Ok(BoundRows { statements })
}

/// Posts bound for [`BulkLoad::write`].
pub fn bind_posts(kind: BackendKind, org: OrgId, posts: &[BulkPost]) -> Result<BoundRows> {
    // updated_at repeats created_at.
    bind_rows(
        kind,
        "post (org_id, id, account_id, post_id, person_id, created_at, kind, text, \
         likes, reposts, replies, quotes, clicks, saves, impressions, followers, \
         sentiment, response_sentiment, updated_at)",
        19,
        posts,
        |b, p| {
            b.add(org.0)?;
            b.add(p.id)?;
            b.add(p.account_id)?;
            b.add(post_id(p.id))?;
            b.add(p.person_id)?;
            b.add(p.created_at)?;
            b.add(p.kind)?;
            b.add("")?;
            for c in p.counts {
                b.add(c)?;
            }
            b.add(p.impressions)?;
            b.add(p.followers)?;
            b.add(p.sentiment)?;
            b.add(p.response_sentiment)?;
            b.add(p.created_at)
        },
    )
}

/// Follower snapshots (account, at, followers) bound for [`BulkLoad::write`].
pub fn bind_snapshots(
    kind: BackendKind,
    org: OrgId,
    snaps: &[(i64, i64, i64)],
) -> Result<BoundRows> {
    bind_rows(
        kind,
        "follower_snapshot (org_id, account_id, at, followers)",
        4,
        snaps,
        |b, &(account, at, followers)| {
            b.add(org.0)?;
            b.add(account)?;
            b.add(at)?;
            b.add(followers)
        },
    )
}

/// Roll-up rows computed by the writer itself (instead of marking weeks dirty and re-reading
/// the posts), bound for [`BulkLoad::write`].
pub fn bind_account_weeks(
    kind: BackendKind,
    org: OrgId,
    rows: &[AccountWeek],
) -> Result<BoundRows> {
    let i = super::i;
    bind_rows(
        kind,
        "analytics_account_week (org_id, account_id, week_start, person_id, brand, \
         posts, original_posts, likes, reposts, replies, quotes, clicks, saves, \
         impressions, impression_posts, potential, potential_posts, warm_engagements, \
         warmth_weight, warmth_posts, snapshot_at, snapshot_followers)",
        22,
        rows,
        |b, r| {
            let t = &r.totals;
            b.add(org.0)?;
            b.add(r.account_id)?;
            b.add(r.week_start)?;
            b.add(r.person_id)?;
            b.add(r.brand)?;
            for v in [
                t.posts,
                t.original_posts,
                t.counts.likes,
                t.counts.reposts,
                t.counts.replies,
                t.counts.quotes,
                t.counts.clicks,
                t.counts.saves,
                t.impressions,
                t.impression_posts,
                t.potential,
                t.potential_posts,
            ] {
                b.add(i(v))?;
            }
            b.add(t.warm_engagements)?;
            b.add(i(t.warmth_weight))?;
            b.add(i(t.warmth_posts))?;
            b.add(r.snapshot.map(|s| s.0))?;
            b.add(r.snapshot.map(|s| i(s.1)))
        },
    )
}

impl BulkLoad {
    /// Which backend the load writes to (rows must be bound for it).
    pub fn kind(&self) -> BackendKind {
        self.store.kind()
    }

    /// Execute bound rows (from [`bind_posts`], [`bind_snapshots`], [`bind_account_weeks`])
    /// in one transaction.
    pub async fn write(&mut self, rows: impl IntoIterator<Item = BoundRows>) -> Result<()> {
        let statements = rows.into_iter().flat_map(|r| r.statements);
        let other = || crate::StoreError::Conflict("rows were bound for the other database".into());
        match &self.store.backend {
            crate::Backend::Sqlite(p) => {
                let mut tx = p.begin().await?;
                for (sql, args, keep) in statements {
                    let Args::Sqlite(args) = args else {
                        return Err(other());
                    };
                    let q = sqlx::query_with(&sql, args).persistent(keep);
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            crate::Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                for (sql, args, keep) in statements {
                    let Args::Postgres(args) = args else {
                        return Err(other());
                    };
                    let q = sqlx::query_with(&sql, args).persistent(keep);
                    q.execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Build the dropped indexes, then advance the organisation's roll-up generation.
    pub async fn finish(self) -> Result<()> {
        self.build_indexes().await?;
        let org = self.org;
        with_pool!(&self.store, |p| sqlx::query(
            super::snapshot::BUMP_GENERATION
        )
        .bind(org.0)
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Put the dropped indexes back after a load that failed (what was written stays).
    pub async fn abandon(self) -> Result<()> {
        self.store.restore_deferred_indexes().await
    }

    /// Build the dropped indexes from sorts with two threads and a small page cache (see
    /// [`SORT_CACHE_KB`]).
    async fn build_indexes(&self) -> Result<()> {
        let crate::Backend::Sqlite(p) = &self.store.backend else {
            return Ok(());
        };
        let mut c = p.acquire().await?;
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *c)
            .await?;
        // Sorts spill to temporary files: with temporary storage in memory (as the store's
        // connections have it) SQLite sorts everything as one list, on one thread.
        sqlx::query("PRAGMA temp_store = FILE")
            .execute(&mut *c)
            .await?;
        sqlx::query("PRAGMA threads = 2").execute(&mut *c).await?;
        sqlx::query(&format!("PRAGMA cache_size = -{SORT_CACHE_KB}"))
            .execute(&mut *c)
            .await?;
        let mut built = Ok(());
        for (name, on) in DEFERRED_INDEXES {
            let sql = format!("CREATE INDEX IF NOT EXISTS {name} {on}");
            if let Err(e) = sqlx::query(&sql).execute(&mut *c).await {
                built = Err(e);
                break;
            }
        }
        sqlx::query(&format!("PRAGMA cache_size = {cache}"))
            .execute(&mut *c)
            .await?;
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *c)
            .await?;
        Ok(built?)
    }
}

/// A generated post's id on its platform: zero-padded, so that text order is number order and
/// the post-id indexes grow at their end.
fn post_id(id: i64) -> String {
    format!("{id:012}")
}
