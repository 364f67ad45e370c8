//! The learning record: xAPI statements (see [`somu_domain::xapi`]). Every learning area records
//! what people did here, in the same transaction as its own tables where it keeps any.

use crate::{with_pool, BackendKind, Result, Store};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Statement, Verb};
use sqlx::Row;

const COLUMNS: &str = "id, uuid, person_id, verb, kind, key, name, parent_kind, parent_key, \
    registration, score_scaled, score_raw, score_max, success, completion, duration_ms, response, at, stored";

/// Which statements to read.
#[derive(Debug, Clone, Default)]
pub struct StatementFilter {
    /// Only this person's.
    pub person: Option<PersonId>,
    /// Only this verb.
    pub verb: Option<Verb>,
    /// Only about this kind of activity.
    pub kind: Option<ActivityKind>,
    /// Only about this activity (with `kind`).
    pub key: Option<String>,
    /// Only at or after (Unix seconds).
    pub since: Option<i64>,
    /// Only before (Unix seconds).
    pub until: Option<i64>,
    /// Only with an id greater than this (for paging through in id order).
    pub after_id: Option<i64>,
}

/// Insert statements inside an open transaction (or on a pool). `$exec` is anything sqlx can
/// execute on (`&mut *tx`). Allocates per-organisation ids in one step for the whole batch.
/// Returns the stored statements.
#[macro_export]
macro_rules! record_statements {
    ($exec:expr, $org:expr, $stmts:expr) => {{
        let org: somu_domain::ids::OrgId = $org;
        let stmts: &[somu_domain::xapi::NewStatement] = $stmts;
        let mut out = Vec::with_capacity(stmts.len());
        if !stmts.is_empty() {
            let first: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM statement WHERE org_id = $1",
            )
            .bind(org.0)
            .fetch_one(&mut *$exec)
            .await?;
            let stored = $crate::statements::now();
            out.extend(
                stmts
                    .iter()
                    .enumerate()
                    .map(|(i, s)| somu_domain::xapi::Statement {
                        id: first + i as i64,
                        uuid: $crate::statements::new_uuid(),
                        body: s.clone(),
                        stored,
                    }),
            );
            let kind = $crate::statements::kind_of(&*$exec);
            for chunk in out.chunks($crate::statements::ROWS) {
                let sql = $crate::statements::insert_sql(kind, chunk.len());
                let mut q = sqlx::query(&sql)
                    .persistent(chunk.len() == 1 || chunk.len() == $crate::statements::ROWS);
                for st in chunk {
                    q = $crate::statements::bind_statement(q, org, st);
                }
                q.execute(&mut *$exec).await?;
            }
        }
        out
    }};
}

/// The current time for the `stored` column.
pub fn now() -> i64 {
    crate::unix_now()
}

/// A new random statement id.
pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Statements per INSERT (20 values each, well below either backend's bound-parameter limit).
pub const ROWS: usize = 400;

/// The backend behind a connection, for placeholders: SQLite's bare `?` (sqlx looks each
/// numbered one up by name, which grows with the statement's length).
pub trait OnBackend {
    /// The backend.
    const KIND: BackendKind;
}

impl OnBackend for sqlx::SqliteConnection {
    const KIND: BackendKind = BackendKind::Sqlite;
}

impl OnBackend for sqlx::PgConnection {
    const KIND: BackendKind = BackendKind::Postgres;
}

/// The backend of a connection.
pub fn kind_of<C: OnBackend>(_: &C) -> BackendKind {
    C::KIND
}

/// The INSERT of `rows` statements.
pub fn insert_sql(kind: BackendKind, rows: usize) -> String {
    format!(
        "INSERT INTO statement (org_id, id, uuid, person_id, verb, kind, key, name, parent_kind, \
         parent_key, registration, score_scaled, score_raw, score_max, success, completion, \
         duration_ms, response, at, stored) VALUES {}",
        crate::value_rows(kind, 1, rows, 20)
    )
}

/// Bind one statement's 20 values (see [`insert_sql`]), on either backend.
pub fn bind_statement<'q, DB>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    org: OrgId,
    st: &'q Statement,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    f64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB>,
    Option<f64>: sqlx::Encode<'q, DB>,
    Option<bool>: sqlx::Encode<'q, DB>,
    Option<String>: sqlx::Encode<'q, DB>,
    Option<&'q str>: sqlx::Encode<'q, DB>,
{
    let b = &st.body;
    let o = &b.outcome;
    q.bind(org.0)
        .bind(st.id)
        .bind(st.uuid.as_str())
        .bind(b.person.0)
        .bind(b.verb.code())
        .bind(b.kind.code())
        .bind(b.key.as_str())
        .bind(b.name.as_str())
        .bind(b.parent.as_ref().map(|(k, _)| k.code()))
        .bind(b.parent.as_ref().map(|(_, key)| key.as_str()))
        .bind(b.registration.as_deref())
        .bind(o.scaled)
        .bind(o.raw)
        .bind(o.max)
        .bind(o.success)
        .bind(o.completion)
        .bind(o.duration_ms)
        .bind(o.response.as_deref())
        .bind(b.at)
        .bind(st.stored)
}

fn from_row<R: Row>(row: &R) -> std::result::Result<Statement, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<f64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let bad = |field: &str, value: String| sqlx::Error::ColumnDecode {
        index: field.to_string(),
        source: format!("unknown value {value:?}").into(),
    };
    let verb: String = row.try_get(3)?;
    let kind: String = row.try_get(4)?;
    let parent_kind: Option<String> = row.try_get(7)?;
    let parent_key: Option<String> = row.try_get(8)?;
    let parent = match (parent_kind, parent_key) {
        (Some(k), Some(key)) => Some((k.parse().map_err(|_| bad("parent_kind", k))?, key)),
        _ => None,
    };
    Ok(Statement {
        id: row.try_get(0)?,
        uuid: row.try_get(1)?,
        body: NewStatement {
            person: PersonId(row.try_get(2)?),
            verb: verb.parse().map_err(|_| bad("verb", verb.clone()))?,
            kind: kind.parse().map_err(|_| bad("kind", kind.clone()))?,
            key: row.try_get(5)?,
            name: row.try_get(6)?,
            parent,
            registration: row.try_get(9)?,
            outcome: Outcome {
                scaled: row.try_get(10)?,
                raw: row.try_get(11)?,
                max: row.try_get(12)?,
                success: row.try_get(13)?,
                completion: row.try_get(14)?,
                duration_ms: row.try_get(15)?,
                response: row.try_get(16)?,
            },
            at: row.try_get(17)?,
        },
        stored: row.try_get(18)?,
    })
}

impl Store {
    /// Record statements in their own transaction.
    pub async fn record_statements(
        &self,
        org: OrgId,
        stmts: &[NewStatement],
    ) -> Result<Vec<Statement>> {
        crate::retry_on_conflict(|| async {
            Ok(crate::with_tx!(self, |tx| record_statements!(
                tx, org, stmts
            )))
        })
        .await
    }

    /// Statements matching a filter, oldest first (by id), at most `limit`.
    pub async fn statements(
        &self,
        org: OrgId,
        f: &StatementFilter,
        limit: i64,
    ) -> Result<Vec<Statement>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM statement WHERE org_id = $1 \
             AND ($2 IS NULL OR person_id = $2) AND ($3 IS NULL OR verb = $3) \
             AND ($4 IS NULL OR kind = $4) AND ($5 IS NULL OR key = $5) \
             AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at < $7) \
             AND id > $8 ORDER BY id LIMIT $9"
        );
        with_pool!(self, |p| {
            let rows = sqlx::query(&sql)
                .bind(org.0)
                .bind(f.person.map(|p| p.0))
                .bind(f.verb.map(|v| v.code()))
                .bind(f.kind.map(|k| k.code()))
                .bind(f.key.as_deref())
                .bind(f.since)
                .bind(f.until)
                .bind(f.after_id.unwrap_or(0))
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.iter()
                .map(|r| from_row(r).map_err(crate::StoreError::from))
                .collect()
        })
    }
}
