//! Somu's database: migrations, queries and transactions over SQLite and PostgreSQL.
//!
//! One API, two backends. The SQL is written once in the dialect both accept (`$1` placeholders,
//! `ON CONFLICT`, `CAST`), and the [`with_pool!`] macro expands each query once per backend so
//! that sqlx checks types against each concrete driver. Only migrations differ per backend.
//!
//! **Invariant:** every function that touches tenant-owned rows takes an [`OrgId`] and filters on it.
#![forbid(unsafe_code)]

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod classes;
pub mod credentials;
pub mod jobs;
pub mod learning;
pub mod org;
pub mod outbox;
pub mod progress;
pub mod social;
pub mod statements;
pub mod surveys;

use somu_domain::ids::OrgId;
use somu_domain::FieldErrors;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Run one expression against whichever pool the store has; `$pool` is bound to the concrete pool.
#[macro_export]
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}

/// Run a block in a transaction on whichever pool the store has; commits when the block returns `Ok`.
#[macro_export]
macro_rules! with_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Backend::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// The database behind a store.
#[derive(Clone, Debug)]
pub enum Backend {
    /// The embedded default.
    Sqlite(SqlitePool),
    /// For scale.
    Postgres(PgPool),
}

/// Which kind of database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Positional parameters for `rows` rows of `cols` values, `(…), (…)`, numbered from `first`
/// (1-based) on PostgreSQL. SQLite gets anonymous `?`: it finds a numbered parameter's name by
/// walking a list, so binding a statement of P numbered parameters costs P² (it was 80% of the
/// generator's time and a fifth of an import's). Every value is bound in order, once.
pub(crate) fn value_rows(kind: BackendKind, first: usize, rows: usize, cols: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(rows * (cols * 4 + 4));
    let mut n = first;
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            match kind {
                BackendKind::Sqlite => s.push('?'),
                BackendKind::Postgres => {
                    let _ = write!(s, "${n}");
                }
            }
            n += 1;
        }
        s.push(')');
    }
    s
}

/// `n` positional parameters separated by commas (for `IN (…)`), numbered from `first`.
/// What a bulk insert does with a row whose key is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Refuse the statement (a bug in the writer: its keys are new by construction).
    Fail,
    /// Leave the stored row alone and go on.
    Skip,
}

/// `INSERT INTO {into} {rows}` for a bulk writer (`rows`: `VALUES …` or a `SELECT`). On SQLite
/// the conflict rule goes in front (`OR FAIL`, `OR IGNORE`): a long statement whose constraints
/// may ABORT needs a statement journal, an in-memory copy of every page it touches made so that
/// the statement alone can be undone, which was a fifth of the generator's and an import's time.
/// Writers run these inside a transaction that is rolled back whole on any error, so nothing is
/// lost. PostgreSQL skips with `ON CONFLICT DO NOTHING`.
pub(crate) fn bulk_insert(kind: BackendKind, existing: Existing, into: &str, rows: &str) -> String {
    match (kind, existing) {
        (BackendKind::Sqlite, Existing::Fail) => format!("INSERT OR FAIL INTO {into} {rows}"),
        (BackendKind::Sqlite, Existing::Skip) => format!("INSERT OR IGNORE INTO {into} {rows}"),
        (BackendKind::Postgres, Existing::Fail) => format!("INSERT INTO {into} {rows}"),
        (BackendKind::Postgres, Existing::Skip) => {
            format!("INSERT INTO {into} {rows} ON CONFLICT DO NOTHING")
        }
    }
}

pub(crate) fn value_list(kind: BackendKind, first: usize, n: usize) -> String {
    let row = value_rows(kind, first, 1, n);
    row[1..row.len() - 1].to_string()
}

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist in this organisation.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (e.g. an email already used in the organisation).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input was refused; nothing changed.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// The database URL is not one Somu understands.
    #[error("unsupported database URL (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl,
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether the error is a unique-key violation.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => e.is_unique_violation(),
            StoreError::Conflict(_) => true,
            _ => false,
        }
    }
}

/// Result alias for the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Connection settings.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
    pub url: String,
    /// Most connections the pool opens.
    pub max_connections: u32,
}

/// Background checkpoints, running until dropped (see [`Store::background_checkpoints`]).
pub struct Checkpoints {
    _stop: tokio::sync::watch::Sender<bool>,
}

/// The handle every other layer uses to reach the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    /// The pool, by backend.
    pub backend: Backend,
}

impl Store {
    /// Connect to the database named by the URL; SQLite files are created when missing.
    pub async fn connect(opts: &StoreOptions) -> Result<Self> {
        let url = opts.url.as_str();
        let backend = if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-32000")
                .pragma("temp_store", "memory");
            let pool = SqlitePoolOptions::new()
                .max_connections(opts.max_connections.max(1))
                .connect_with(connect)
                .await?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        Ok(Store { backend })
    }

    /// Copy the write-ahead log back into the database from another connection, every quarter
    /// of a second until the returned guard is dropped, so that a long run of writes (a bulk
    /// load, an import) does not stop to do it itself at every 256 MB of log: the copy runs on
    /// the other core. Passive: it never waits for the writer. Nothing on PostgreSQL.
    pub fn background_checkpoints(&self) -> Checkpoints {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        if let Backend::Sqlite(p) = &self.backend {
            let pool = p.clone();
            tokio::spawn(async move {
                loop {
                    tokio::select! {
                        _ = stopped.changed() => break,
                        () = tokio::time::sleep(Duration::from_millis(250)) => {}
                    }
                    // A failure (the database busy) is left for the next round.
                    let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                        .execute(&pool)
                        .await;
                }
            });
        }
        Checkpoints { _stop: stop }
    }

    /// A store of one connection to the same database, for a long run of writes (an import):
    /// the pool hands its connections out in turn, so a long import would otherwise fill every
    /// connection's page cache and statement cache. Dropped at the end, it gives that memory
    /// back. An in-memory SQLite database (one per connection) is shared as it is.
    /// `cache_mb` gives that SQLite connection a page cache of its own size (the synthetic
    /// generator's random inserts into time-ordered indexes need a large one).
    pub async fn single_connection(&self, cache_mb: Option<u32>) -> Result<Store> {
        let backend = match &self.backend {
            Backend::Sqlite(p) => {
                let mut options = (*p.connect_options()).clone();
                if options
                    .get_filename()
                    .to_string_lossy()
                    .contains(":memory:")
                {
                    return Ok(self.clone());
                }
                if let Some(mb) = cache_mb {
                    options = options.pragma("cache_size", format!("-{}", u64::from(mb) * 1024));
                }
                // A bulk writer sets every reference itself (account ids it has just resolved,
                // its own organisation), so this connection does not look each one up again:
                // with foreign keys checked, SQLite reads two parent rows per post and keeps a
                // statement journal for every long INSERT. Checkpoints come every 256 MB of WAL
                // instead of 4, so a hot index page is copied back once, not once a batch.
                options = options
                    .foreign_keys(false)
                    .pragma("wal_autocheckpoint", "65536");
                Backend::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await?,
                )
            }
            Backend::Postgres(p) => Backend::Postgres(
                PgPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with((*p.connect_options()).clone())
                    .await?,
            ),
        };
        Ok(Store { backend })
    }

    /// Apply pending migrations for this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Backend::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        // A bulk load that stopped half-way may have left out the indexes it builds last.
        self.restore_deferred_indexes().await
    }

    /// Which backend this store uses.
    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// A cheap query proving the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Pool figures for `/metrics`: (open connections, idle connections).
    pub fn pool_stats(&self) -> (u32, usize) {
        with_pool!(self, |p| (p.size(), p.num_idle()))
    }

    /// Close every connection (graceful shutdown).
    pub async fn close(&self) {
        with_pool!(self, |p| p.close().await)
    }

    /// Write a consistent copy of a SQLite database to `dest` while it is in use (`VACUUM INTO`).
    /// PostgreSQL is backed up with `pg_dump`.
    pub async fn backup_sqlite(&self, dest: &str) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(p) => {
                sqlx::query("VACUUM INTO $1")
                    .bind(dest)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())?;
                Ok(())
            }
            Backend::Postgres(_) => Err(StoreError::UnsupportedUrl),
        }
    }
}

/// The current time as Unix seconds. The store never reads a clock itself for business rules:
/// callers pass `now`; this helper is for bookkeeping columns only.
pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A new random secret (URL-safe hex) and the SHA-256 hash that is stored in its place.
pub fn new_secret() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let hash = hash_secret(&secret);
    (secret, hash)
}

/// The stored form of a secret token.
pub fn hash_secret(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// SQL for the next per-organisation id of a table: `(SELECT COALESCE(MAX(id),0)+1 …)`.
/// Ids are numbered per organisation so that the primary key `(org_id, id)` needs no global
/// sequence; on PostgreSQL two concurrent writers may race, which [`retry_on_conflict`] absorbs.
macro_rules! next_id_sql {
    ($table:literal) => {
        concat!(
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM ",
            $table,
            " WHERE org_id = $1)"
        )
    };
}
pub(crate) use next_id_sql;

/// Run an insert that allocates a per-organisation id, retrying a few times when a concurrent
/// writer took the same id.
pub(crate) async fn retry_on_conflict<T, F, Fut>(mut f: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        match f().await {
            Err(e) if e.is_unique_violation() && attempt < 5 => attempt += 1,
            other => return other,
        }
    }
}

/// The organisation a platform-level row belongs to.
pub const PLATFORM: OrgId = OrgId::PLATFORM;
