//! One batch of posts written in one transaction (see [`super::import::SocialWriter::write`]):
//! new posts, changed posts, follower snapshots, replies' mean sentiment on their parents and
//! the roll-up marks.

use super::import::rows_per_statement;
use super::ScoredPost;
use crate::{with_tx, Result, Store, StoreError};
use somu_domain::ids::OrgId;
use std::collections::{BTreeSet, HashMap};

pub(super) struct Row<'a> {
    pub(super) s: &'a ScoredPost,
    pub(super) account: i64,
    pub(super) person: Option<i64>,
    pub(super) mentions_brand: bool,
}

const POST_COLUMNS: &str = "post (org_id, id, account_id, post_id, person_id, created_at, kind, text, in_reply_to, \
     likes, reposts, replies, quotes, impressions, followers, sentiment, mentions, mentions_brand, updated_at)";

/// The update of stored posts whose counts or text changed, from `(VALUES …) AS v` rows of
/// [`CHANGE_COLUMNS`] values: account, post id, likes, reposts, replies, quotes, impressions,
/// text, kind, in reply to, sentiment, mentions, mentions the brand, updated at. Both backends
/// name a VALUES list's columns `column1`, `column2`, ….
const CHANGE_SET: &str = "UPDATE post SET likes = v.column3, reposts = v.column4, replies = v.column5, \
     quotes = v.column6, impressions = v.column7, text = v.column8, kind = v.column9, in_reply_to = v.column10, \
     sentiment = v.column11, mentions = v.column12, mentions_brand = v.column13, updated_at = v.column14 FROM (VALUES ";
const CHANGE_WHERE: &str = ") AS v WHERE post.account_id = v.column1 AND post.post_id = v.column2 \
     AND (post.likes <> v.column3 OR post.reposts <> v.column4 OR post.replies <> v.column5 \
     OR post.quotes <> v.column6 OR post.impressions IS DISTINCT FROM v.column7 OR post.text <> v.column8 \
     OR post.kind <> v.column9 OR post.in_reply_to IS DISTINCT FROM v.column10 \
     OR post.mentions <> v.column12 OR post.mentions_brand <> v.column13) AND post.org_id = ";
const CHANGE_COLUMNS: usize = 14;

/// Write rows in one transaction: new posts, changed posts, follower snapshots, replies' mean
/// sentiment on their parents, and the dirty marks. Returns (inserted, updated).
///
/// New posts go in with one `INSERT` that skips stored ones (no row comes back: what was new is
/// read afterwards in SQL as the ids above the batch's first); only when a statement skipped
/// some rows does an `UPDATE … FROM (VALUES …)` of the same rows change those whose counts or
/// text moved, and only those come back.
pub(super) async fn write_rows(store: &Store, org: OrgId, rows: &[Row<'_>]) -> Result<(u64, u64)> {
    let now = crate::unix_now();
    let (mut inserted, mut updated) = (0u64, 0u64);
    let mut dirty: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut snapshots: HashMap<(i64, i64), i64> = HashMap::new();
    for r in rows {
        if let Some(f) = r.s.post.followers {
            let day = r.s.post.created_at - r.s.post.created_at.rem_euclid(86_400);
            snapshots.insert((r.account, day), f);
        }
    }
    let snapshots: Vec<((i64, i64), i64)> = snapshots.into_iter().collect();
    let kind = store.kind();
    let (per_post, per_change, per_snapshot, per_parent, per_mark) = (
        rows_per_statement(19),
        rows_per_statement(CHANGE_COLUMNS),
        rows_per_statement(4),
        rows_per_statement(1),
        rows_per_statement(3),
    );
    with_tx!(store, |tx| {
        let base: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM post WHERE org_id = $1",
        )
        .bind(org.0)
        .fetch_one(&mut *tx)
        .await?;
        let mut next = base;
        // Parents whose mean reply sentiment may have moved because a reply changed.
        let mut changed_parents: BTreeSet<String> = BTreeSet::new();
        for chunk in rows.chunks(per_post) {
            let values = format!("VALUES {}", crate::value_rows(kind, 1, chunk.len(), 19));
            let sql = crate::bulk_insert(kind, crate::Existing::Skip, POST_COLUMNS, &values);
            let mut q = sqlx::query(&sql).persistent(chunk.len() == per_post);
            for r in chunk {
                next += 1;
                let p = &r.s.post;
                q = q
                    .bind(org.0)
                    .bind(next)
                    .bind(r.account)
                    .bind(&p.post_id)
                    .bind(r.person)
                    .bind(p.created_at)
                    .bind(p.kind.code())
                    .bind(&p.text)
                    .bind(p.in_reply_to.as_deref())
                    .bind(p.likes)
                    .bind(p.reposts)
                    .bind(p.replies)
                    .bind(p.quotes)
                    .bind(p.impressions)
                    .bind(p.followers.unwrap_or(0))
                    .bind(r.s.sentiment)
                    .bind(p.mentions.join(" "))
                    .bind(r.mentions_brand)
                    .bind(now);
            }
            let added = q.execute(&mut *tx).await?.rows_affected();
            inserted += added;
            if added == chunk.len() as u64 {
                continue;
            }
            for part in chunk.chunks(per_change) {
                let sql = format!(
                    "{CHANGE_SET}{}{CHANGE_WHERE}{} RETURNING account_id, created_at, in_reply_to",
                    crate::value_rows(kind, 1, part.len(), CHANGE_COLUMNS),
                    crate::value_list(kind, part.len() * CHANGE_COLUMNS + 1, 1)
                );
                let mut q = sqlx::query_as::<_, (i64, i64, Option<String>)>(&sql)
                    .persistent(part.len() == per_change);
                for r in part {
                    let p = &r.s.post;
                    q = q
                        .bind(r.account)
                        .bind(&p.post_id)
                        .bind(p.likes)
                        .bind(p.reposts)
                        .bind(p.replies)
                        .bind(p.quotes)
                        .bind(p.impressions)
                        .bind(&p.text)
                        .bind(p.kind.code())
                        .bind(p.in_reply_to.as_deref())
                        .bind(r.s.sentiment)
                        .bind(p.mentions.join(" "))
                        .bind(r.mentions_brand)
                        .bind(now);
                }
                for (account, created_at, parent) in q.bind(org.0).fetch_all(&mut *tx).await? {
                    updated += 1;
                    dirty.insert((account, super::week_start(created_at)));
                    if let Some(parent) = parent {
                        changed_parents.insert(parent);
                    }
                }
            }
        }
        let mean = "(SELECT AVG(r.sentiment) FROM post r WHERE r.org_id = post.org_id AND r.account_id <> post.account_id \
                    AND r.id IN (SELECT i.id FROM post i WHERE i.org_id = post.org_id AND i.in_reply_to = post.post_id))";
        if inserted > 0 {
            // The connection may not check references (see `Store::single_connection`): new
            // posts of an account deleted meanwhile (consent revoked) are refused here.
            let orphans: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM post p WHERE p.org_id = $1 AND p.id > $2 \
                 AND NOT EXISTS (SELECT 1 FROM social_account a WHERE a.org_id = p.org_id AND a.id = p.account_id)",
            )
            .bind(org.0)
            .bind(base)
            .fetch_one(&mut *tx)
            .await?;
            if orphans > 0 {
                return Err(StoreError::Conflict(
                    "an account was removed while its posts were being written".into(),
                ));
            }
            // Every week a new post falls in: from the rows themselves when all of them were
            // new, else read back from the rows written.
            if inserted == rows.len() as u64 {
                for r in rows {
                    dirty.insert((r.account, super::week_start(r.s.post.created_at)));
                }
            } else {
                let sql = crate::bulk_insert(
                    kind,
                    crate::Existing::Skip,
                    "rollup_dirty (org_id, account_id, week_start)",
                    &format!(
                        "SELECT DISTINCT org_id, account_id, {} FROM post WHERE org_id = $1 AND id > $2",
                        super::week_sql!("created_at")
                    ),
                );
                sqlx::query(&sql)
                    .bind(org.0)
                    .bind(base)
                    .execute(&mut *tx)
                    .await?;
            }
            // New posts that already have replies stored (replies imported before their
            // parent), and the parents of new replies.
            let parents_of_new = "SELECT k.id FROM post k WHERE k.org_id = $1 AND k.post_id IN \
                 (SELECT n.in_reply_to FROM post n WHERE n.org_id = $1 AND n.id > $2 AND n.in_reply_to IS NOT NULL)";
            for which in [
                "id > $2 AND EXISTS (SELECT 1 FROM post e WHERE e.org_id = $1 AND e.in_reply_to = post.post_id)"
                    .to_string(),
                format!("id IN ({parents_of_new})"),
            ] {
                let sql = format!(
                    "UPDATE post SET response_sentiment = {mean} WHERE org_id = $1 AND {which} \
                     AND response_sentiment IS DISTINCT FROM {mean} RETURNING account_id, created_at"
                );
                let marks: Vec<(i64, i64)> = sqlx::query_as(&sql)
                    .bind(org.0)
                    .bind(base)
                    .fetch_all(&mut *tx)
                    .await?;
                for (account, created_at) in marks {
                    dirty.insert((account, super::week_start(created_at)));
                }
            }
        }
        for chunk in snapshots.chunks(per_snapshot) {
            let values = format!("VALUES {}", crate::value_rows(kind, 1, chunk.len(), 4));
            let sql = format!(
                "{} RETURNING account_id, at",
                crate::bulk_insert(
                    kind,
                    crate::Existing::Skip,
                    "follower_snapshot (org_id, account_id, at, followers)",
                    &values
                )
            );
            let mut q =
                sqlx::query_as::<_, (i64, i64)>(&sql).persistent(chunk.len() == per_snapshot);
            for ((account, at), followers) in chunk {
                q = q.bind(org.0).bind(*account).bind(*at).bind(*followers);
            }
            for (account, at) in q.fetch_all(&mut *tx).await? {
                dirty.insert((account, super::week_start(at)));
            }
        }
        let parents: Vec<String> = changed_parents.into_iter().collect();
        for chunk in parents.chunks(per_parent) {
            // Row ids are looked up through the narrow indexes first: SQLite without statistics
            // would otherwise walk the whole organisation's posts by primary key.
            let sql = format!(
                "UPDATE post SET response_sentiment = {mean} WHERE org_id = {} \
                 AND id IN (SELECT k.id FROM post k WHERE k.org_id = {} AND k.post_id IN ({})) \
                 AND response_sentiment IS DISTINCT FROM {mean} RETURNING account_id, created_at",
                crate::value_list(kind, 1, 1),
                crate::value_list(kind, 2, 1),
                crate::value_list(kind, 3, chunk.len())
            );
            let mut q = sqlx::query_as::<_, (i64, i64)>(&sql)
                .persistent(chunk.len() == per_parent)
                .bind(org.0)
                .bind(org.0);
            for p in chunk {
                q = q.bind(p.as_str());
            }
            for (account, created_at) in q.fetch_all(&mut *tx).await? {
                dirty.insert((account, super::week_start(created_at)));
            }
        }
        let dirty: Vec<(i64, i64)> = dirty.into_iter().collect();
        for chunk in dirty.chunks(per_mark) {
            let values = format!("VALUES {}", crate::value_rows(kind, 1, chunk.len(), 3));
            let sql = crate::bulk_insert(
                kind,
                crate::Existing::Skip,
                "rollup_dirty (org_id, account_id, week_start)",
                &values,
            );
            let mut q = sqlx::query(&sql).persistent(chunk.len() == per_mark);
            for (account, week) in chunk {
                q = q.bind(org.0).bind(*account).bind(*week);
            }
            q.execute(&mut *tx).await?;
        }
    });
    Ok((inserted, updated))
}
