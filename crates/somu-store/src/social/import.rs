//! Writing posts: the import of a whole export (check everything, then write in batches), and the
//! batch writer that imports, live pulls and the demo share. Idempotent by (platform, account,
//! post id): a post seen again updates its counts when they changed and is left alone otherwise.

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::OrgId;
use somu_domain::{FieldError, FieldErrors};
use somu_social::{Format, Platform, ReadOptions, SocialPost, Source};
use std::collections::{HashMap, HashSet};

/// Posts written in one transaction. Each commit writes every index page the batch touched, and
/// the pages of the indexes keyed by account are touched all over, so larger batches write
/// fewer pages per post: 25,000 posts a batch import about 1.5 times as fast as 10,000. Memory
/// grows with it: at most five batches are held at once (see `import_checked`).
const BATCH: usize = 25_000;
/// Rows in one statement whose rows take `cols` parameters each. Parameters are positional
/// (anonymous `?` on SQLite, see [`crate::value_rows`]), so long statements cost nothing extra
/// to bind; PostgreSQL takes up to 65,535 parameters, SQLite 32,766.
pub(super) fn rows_per_statement(cols: usize) -> usize {
    (8_000 / cols).max(1)
}
/// Outside authors the writer remembers before it forgets them (see `resolve_accounts`).
const KNOWN_ACCOUNTS: usize = 50_000;
/// Problems kept from a bad file (the count says how many there were).
const MAX_ERRORS: usize = 1000;

/// What an import (or a batch) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Posts read.
    pub posts: u64,
    /// New posts.
    pub inserted: u64,
    /// Posts whose counts or text changed.
    pub updated: u64,
    /// Posts already stored as they are.
    pub unchanged: u64,
    /// Accounts seen for the first time (authors of replies and mentions, or new handles).
    pub accounts_created: u64,
}

impl std::ops::AddAssign for ImportSummary {
    fn add_assign(&mut self, o: Self) {
        self.posts += o.posts;
        self.inserted += o.inserted;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.accounts_created += o.accounts_created;
    }
}

/// A recorded import run.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SocialImportRun {
    /// Id within the organisation.
    pub id: i64,
    /// Format code.
    pub format: String,
    /// File name.
    pub filename: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Posts read.
    pub posts: i64,
    /// New.
    pub inserted: i64,
    /// Changed.
    pub updated: i64,
    /// Unchanged.
    pub unchanged: i64,
    /// Outcome in words.
    pub message: String,
    /// Started (Unix seconds).
    pub started_at: i64,
    /// Finished.
    pub finished_at: Option<i64>,
}

/// A post with its sentiment (none when the text is not English).
#[derive(Debug, Clone)]
pub struct ScoredPost {
    /// The post.
    pub post: SocialPost,
    /// Compound score.
    pub sentiment: Option<f64>,
}

impl ScoredPost {
    /// Score a post's text.
    pub fn score(post: SocialPost) -> Self {
        let sentiment = if post.kind == somu_social::PostKind::Repost || post.text.is_empty() {
            None
        } else {
            somu_sentiment::Analyzer::shared()
                .analyse(&post.text)
                .scores
                .map(|s| s.compound)
        };
        ScoredPost { post, sentiment }
    }
}

/// Score a batch, in two halves on two threads when the machine has more than one core (the
/// order of the posts is kept).
fn score_batch(mut batch: Vec<SocialPost>) -> Vec<ScoredPost> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores < 2 || batch.len() < 64 {
        return batch.into_iter().map(ScoredPost::score).collect();
    }
    let second = batch.split_off(batch.len() / 2);
    std::thread::scope(|s| {
        let other = s.spawn(move || {
            second
                .into_iter()
                .map(ScoredPost::score)
                .collect::<Vec<_>>()
        });
        let mut scored: Vec<ScoredPost> = batch.into_iter().map(ScoredPost::score).collect();
        match other.join() {
            Ok(rest) => scored.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        scored
    })
}

/// Read a whole source to check it: the number of posts, or every problem (up to 1,000, the last
/// one saying how many more there were). Blocking: call from a blocking thread.
pub fn check_source(
    source: &Source,
    format: Format,
    opts: &ReadOptions,
) -> std::result::Result<u64, FieldErrors> {
    let mut errors = Vec::new();
    let (mut posts, mut extra) = (0u64, 0u64);
    let whole = somu_social::read(source, format, opts, &mut |item| {
        match item {
            Ok(_) => posts += 1,
            Err(e) if errors.len() < MAX_ERRORS => errors.push(e),
            Err(_) => extra += 1,
        }
        true
    });
    if let Err(e) = whole {
        errors.push(e);
    }
    if extra > 0 {
        errors.push(FieldError::new(
            "file",
            "more-problems",
            format!("… and {extra} more problems"),
        ));
    }
    if posts == 0 && errors.is_empty() {
        errors.push(FieldError::new(
            source.display_name(),
            "empty",
            "the file holds no posts",
        ));
    }
    FieldErrors(errors).into_result(posts)
}

/// Writes batches of posts for one organisation, remembering the accounts it has seen.
pub struct SocialWriter {
    org: OrgId,
    accounts: HashMap<(Platform, String), (i64, Option<i64>)>,
    brand: HashSet<(Platform, String)>,
}

impl SocialWriter {
    /// Make sure every author and handle of `wanted` is known: the new ones are created as
    /// outside accounts in one statement per chunk, then read back with their ids. Returns how
    /// many were created.
    async fn resolve_accounts(
        &mut self,
        store: &Store,
        wanted: &[(Platform, &str)],
    ) -> Result<u64> {
        // Outside authors (replies, mentions) are forgotten once there are many: an export with
        // hundreds of thousands of them would otherwise hold them all for the whole import.
        // People's and brand accounts stay; a forgotten author is read again when seen again.
        if self.accounts.len() > KNOWN_ACCOUNTS {
            self.accounts
                .retain(|key, (_, person)| person.is_some() || self.brand.contains(key));
            self.accounts.shrink_to_fit();
        }
        let mut missing = self.unknown(wanted);
        missing.sort_unstable();
        missing.dedup();
        let org = self.org;
        let now = crate::unix_now();
        let mut created = 0;
        let kind = store.kind();
        // Statements of the usual length are prepared once and kept; the shorter last ones of
        // each batch are not kept (each length is a new statement, and SQLite holds every kept
        // statement's program and parameters in memory).
        let per_account = rows_per_statement(5);
        let chunks = missing
            .chunk_by(|a, b| a.0 == b.0)
            .flat_map(|same_platform| same_platform.chunks(per_account));
        for chunk in chunks {
            // Authors stored before (an earlier run, or forgotten above) are read first; only
            // the rest are created.
            self.learn(store, chunk, chunk.len() == per_account).await?;
            let new = self.unknown(chunk);
            if new.is_empty() {
                continue;
            }
            // The created accounts come back with their ids; any another writer created
            // meanwhile are read afterwards.
            let made: Vec<(i64, String)> = retry_on_conflict(|| async {
                let sql = format!(
                    "INSERT INTO social_account (org_id, id, platform, handle, created_at) VALUES {} \
                     ON CONFLICT (org_id, platform, handle) DO NOTHING RETURNING id, handle",
                    crate::value_rows(kind, 1, new.len(), 5)
                );
                Ok(with_tx!(store, |tx| {
                    let base: i64 = sqlx::query_scalar(
                        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM social_account WHERE org_id = $1",
                    )
                    .bind(org.0)
                    .fetch_one(&mut *tx)
                    .await?;
                    let mut q = sqlx::query_as(&sql).persistent(new.len() == per_account);
                    for (i, (platform, handle)) in new.iter().enumerate() {
                        q = q
                            .bind(org.0)
                            .bind(base + 1 + i as i64)
                            .bind(platform.code())
                            .bind(*handle)
                            .bind(now);
                    }
                    q.fetch_all(&mut *tx).await?
                }))
            })
            .await?;
            created += made.len() as u64;
            let platform = new[0].0;
            for (id, handle) in made {
                self.accounts.insert((platform, handle), (id, None));
            }
            let raced = self.unknown(&new);
            self.learn(store, &raced, false).await?;
        }
        Ok(created)
    }

    /// The accounts of `handles` the writer does not know.
    fn unknown<'h>(&self, handles: &[(Platform, &'h str)]) -> Vec<(Platform, &'h str)> {
        handles
            .iter()
            .filter(|(p, h)| !self.accounts.contains_key(&(*p, (*h).to_string())))
            .copied()
            .collect()
    }

    /// Read the stored accounts among `handles` (all of one platform) into the map; `keep`: the
    /// statement is of the usual length and worth keeping prepared.
    async fn learn(
        &mut self,
        store: &Store,
        handles: &[(Platform, &str)],
        keep: bool,
    ) -> Result<()> {
        let Some((platform, _)) = handles.first() else {
            return Ok(());
        };
        let kind = store.kind();
        // One platform at a time, joined from a VALUES list so that the lookup walks the (org,
        // platform, handle) index: SQLite without statistics reads every account of the
        // organisation by primary key for `handle IN (…)` with more than one value.
        let n = handles.len();
        let sql = format!(
            "SELECT a.id, a.platform, a.handle, a.person_id FROM (VALUES {}) AS v \
             JOIN social_account a ON a.org_id = {} AND a.platform = {} AND a.handle = v.column1",
            crate::value_rows(kind, 1, n, 1),
            crate::value_list(kind, n + 1, 1),
            crate::value_list(kind, n + 2, 1)
        );
        let found: Vec<(i64, String, String, Option<i64>)> = with_pool!(store, |p| {
            let mut q = sqlx::query_as(&sql).persistent(keep);
            for (_, handle) in handles {
                q = q.bind(*handle);
            }
            q = q.bind(self.org.0).bind(platform.code());
            q.fetch_all(p).await
        })?;
        for (id, platform, handle, person) in found {
            if let Some(platform) = Platform::parse(&platform) {
                self.accounts.insert((platform, handle), (id, person));
            }
        }
        Ok(())
    }

    /// Write one batch in one transaction; returns what changed.
    pub async fn write(&mut self, store: &Store, batch: Vec<ScoredPost>) -> Result<ImportSummary> {
        let mut summary = ImportSummary {
            posts: batch.len() as u64,
            ..Default::default()
        };
        // The last occurrence of a post wins (a statement may not touch a row twice).
        let mut latest: HashMap<(Platform, &str, &str), usize> =
            HashMap::with_capacity(batch.len());
        for (i, s) in batch.iter().enumerate() {
            latest.insert((s.post.platform, &s.post.account, &s.post.post_id), i);
        }
        let authors: Vec<(Platform, &str)> = batch
            .iter()
            .map(|s| (s.post.platform, s.post.account.as_str()))
            .collect();
        summary.accounts_created = self.resolve_accounts(store, &authors).await?;
        let mut rows = Vec::with_capacity(latest.len());
        for (i, s) in batch.iter().enumerate() {
            if latest.get(&(
                s.post.platform,
                s.post.account.as_str(),
                s.post.post_id.as_str(),
            )) != Some(&i)
            {
                continue;
            }
            let Some(&(account, person)) = self
                .accounts
                .get(&(s.post.platform, s.post.account.clone()))
            else {
                return Err(StoreError::Conflict(format!(
                    "the account {} could not be created",
                    s.post.account
                )));
            };
            let mentions_brand = s
                .post
                .mentions
                .iter()
                .any(|m| self.brand.contains(&(s.post.platform, m.clone())));
            rows.push(super::write::Row {
                s,
                account,
                person,
                mentions_brand,
            });
        }
        let org = self.org;
        let written = retry_on_conflict(|| super::write::write_rows(store, org, &rows)).await?;
        summary.inserted = written.0;
        summary.updated = written.1;
        summary.unchanged = summary.posts - written.0 - written.1;
        Ok(summary)
    }
}

impl Store {
    /// A writer for the organisation's posts (loads its people's and brand accounts once; other
    /// authors are looked up as they come).
    pub async fn social_writer(&self, org: OrgId) -> Result<SocialWriter> {
        let rows: Vec<(i64, String, String, Option<i64>, bool)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, platform, handle, person_id, brand FROM social_account WHERE org_id = $1 \
             AND (brand = TRUE OR person_id IS NOT NULL)"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?;
        let mut accounts = HashMap::with_capacity(rows.len());
        let mut brand = HashSet::new();
        for (id, platform, handle, person, is_brand) in rows {
            let Some(platform) = Platform::parse(&platform) else {
                continue;
            };
            if is_brand {
                brand.insert((platform, handle.clone()));
            }
            accounts.insert((platform, handle), (id, person));
        }
        Ok(SocialWriter {
            org,
            accounts,
            brand,
        })
    }

    /// Import a whole export: check every post first (any problem refuses the file and changes
    /// nothing), then write in batches while reading, reporting `progress(done, total)`. Safe to
    /// run again after an interruption or on an updated export.
    pub async fn import_social(
        &self,
        org: OrgId,
        source: Source,
        format: Format,
        opts: ReadOptions,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        let run = self
            .start_social_import(org, format.code(), &source.display_name())
            .await?;
        let result = self
            .import_checked(org, source, format, opts, progress)
            .await;
        let (status, message) = match &result {
            Ok(s) => (
                "done",
                format!(
                    "{} posts: {} new, {} updated, {} unchanged",
                    s.posts, s.inserted, s.updated, s.unchanged
                ),
            ),
            Err(StoreError::Invalid(e)) => ("failed", format!("refused: {} problems", e.0.len())),
            Err(e) => ("failed", e.to_string()),
        };
        let s = result.as_ref().copied().unwrap_or_default();
        with_pool!(self, |p| {
            sqlx::query(
            "UPDATE social_import SET status = $3, posts = $4, inserted = $5, updated = $6, unchanged = $7, \
             message = $8, finished_at = $9 WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(run)
        .bind(status)
        .bind(s.posts as i64)
        .bind(s.inserted as i64)
        .bind(s.updated as i64)
        .bind(s.unchanged as i64)
        .bind(&message)
        .bind(crate::unix_now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        result
    }

    async fn import_checked(
        &self,
        org: OrgId,
        source: Source,
        format: Format,
        opts: ReadOptions,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        let (src, o) = (source.clone(), opts.clone());
        let total = tokio::task::spawn_blocking(move || check_source(&src, format, &o))
            .await
            .map_err(|e| StoreError::Conflict(format!("the check stopped: {e}")))?
            .map_err(StoreError::Invalid)?;
        progress(0, total);
        // Three stages run at once: reading and parsing, sentiment scoring, and writing (the
        // database does its work on its own thread). Each hands on one batch at a time and
        // holds at most one waiting (the writer is the slowest stage, so a deeper queue would
        // only hold more posts), so memory stays bounded whatever the file's size.
        let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Vec<SocialPost>>(1);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<ScoredPost>>(1);
        let reader = tokio::task::spawn_blocking(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let _ = somu_social::read(&source, format, &opts, &mut |item| {
                if let Ok(p) = item {
                    batch.push(p);
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        return raw_tx.send(full).is_ok();
                    }
                }
                true
            });
            if !batch.is_empty() {
                let _ = raw_tx.send(batch);
            }
        });
        let scorer = tokio::task::spawn_blocking(move || {
            for batch in raw_rx {
                if tx.blocking_send(score_batch(batch)).is_err() {
                    return;
                }
            }
        });
        let mut writer = self.social_writer(org).await?;
        let mut summary = ImportSummary::default();
        // One connection writes every batch (see `Store::single_connection`).
        let single = self.single_connection(None).await?;
        while let Some(batch) = rx.recv().await {
            summary += writer.write(&single, batch).await?;
            progress(summary.posts, total);
        }
        if let crate::Backend::Sqlite(p) = &single.backend {
            p.close().await;
        }
        let _ = reader.await;
        let _ = scorer.await;
        Ok(summary)
    }

    async fn start_social_import(&self, org: OrgId, format: &str, filename: &str) -> Result<i64> {
        let now = crate::unix_now();
        retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO social_import (org_id, id, format, filename, status, started_at) VALUES ($1, ",
                next_id_sql!("social_import"),
                ", $2, $3, 'running', $4) RETURNING id"
            ))
            .bind(org.0)
            .bind(format)
            .bind(filename)
            .bind(now)
            .fetch_one(p)
            .await)?)
        })
        .await
    }

    /// Recent import runs, newest first.
    pub async fn social_imports(&self, org: OrgId, limit: i64) -> Result<Vec<SocialImportRun>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, format, filename, status, posts, inserted, updated, unchanged, message, started_at, finished_at \
             FROM social_import WHERE org_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(org.0)
        .bind(limit)
        .fetch_all(p)
        .await
        })?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn weeks_start_on_monday() {
        // 2026-03-04 is a Wednesday; its week starts on Monday 2026-03-02.
        assert_eq!(super::super::week_start(1_772_625_600), 1_772_409_600);
        assert_eq!(super::super::week_start(1_772_409_600), 1_772_409_600);
        use crate::{value_list, value_rows, BackendKind};
        assert_eq!(
            value_rows(BackendKind::Postgres, 2, 2, 2),
            "($2, $3), ($4, $5)"
        );
        assert_eq!(value_rows(BackendKind::Sqlite, 2, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(value_list(BackendKind::Postgres, 3, 3), "$3, $4, $5");
        assert_eq!(value_list(BackendKind::Sqlite, 1, 2), "?, ?");
    }
}
