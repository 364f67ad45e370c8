//! Social activity: linked accounts (with consent), imported and pulled posts, follower
//! snapshots, and the activity lists. Writers of posts and snapshots mark the (account, week)
//! they touched in `rollup_dirty` in the same transaction, for the analytics roll-ups.

mod import;
pub(crate) mod links;
mod pull;
mod write;

pub use import::{check_source, ImportSummary, ScoredPost, SocialImportRun, SocialWriter};
pub use links::{LinkRow, NewLink, RevokeSummary};
pub use pull::{PullOutcome, PullRow};

use crate::{with_pool, Result, Store, StoreError};
use somu_domain::ids::OrgId;

/// The Monday 00:00 UTC starting the ISO week of `t` (Unix seconds).
pub fn week_start(t: i64) -> i64 {
    let day = t.div_euclid(86_400);
    (day - (day + 3).rem_euclid(7)) * 86_400
}

/// SQL for [`week_start`] of a column (non-negative times).
macro_rules! week_sql {
    ($col:literal) => {
        concat!(
            "(",
            $col,
            " - ",
            $col,
            " % 86400 - ((",
            $col,
            " / 86400 + 3) % 7) * 86400)"
        )
    };
}
pub(crate) use week_sql;

/// A linked or known account.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SocialAccount {
    /// Id within the organisation.
    pub id: i64,
    /// Platform code.
    pub platform: String,
    /// Normalised handle.
    pub handle: String,
    /// The person it belongs to (a personal account).
    pub person_id: Option<i64>,
    /// That person's name.
    pub person_name: Option<String>,
    /// An account of the organisation.
    pub brand: bool,
    /// When consent was given (Unix seconds).
    pub consent_at: Option<i64>,
    /// How consent was given (`self`, `bulk`, `admin`).
    pub consent_source: Option<String>,
    /// Posts stored.
    pub posts: i64,
    /// Latest follower count known.
    pub followers: Option<i64>,
}

/// Which posts to list.
#[derive(Debug, Clone, Default)]
pub struct PostFilter {
    /// Platform code.
    pub platform: Option<String>,
    /// One account.
    pub account: Option<i64>,
    /// One person's accounts.
    pub person: Option<i64>,
    /// The people of one team.
    pub team: Option<i64>,
    /// Only brand accounts.
    pub brand_only: bool,
    /// Posted at or after (Unix seconds).
    pub from: Option<i64>,
    /// Posted before (Unix seconds).
    pub to: Option<i64>,
    /// Post kind code.
    pub kind: Option<String>,
}

/// A post as the activity pages show it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PostRow {
    /// Id within the organisation.
    pub id: i64,
    /// Platform code.
    pub platform: String,
    /// Author handle.
    pub handle: String,
    /// Author account id.
    pub account_id: i64,
    /// The person behind it.
    pub person_id: Option<i64>,
    /// That person's name.
    pub person_name: Option<String>,
    /// Whether the author is a brand account.
    pub brand: bool,
    /// The platform's id.
    pub post_id: String,
    /// Posted (Unix seconds).
    pub created_at: i64,
    /// original, reply, repost, quote.
    pub kind: String,
    /// Text.
    pub text: String,
    /// The post answered.
    pub in_reply_to: Option<String>,
    /// Likes.
    pub likes: i64,
    /// Reposts.
    pub reposts: i64,
    /// Replies.
    pub replies: i64,
    /// Quotes.
    pub quotes: i64,
    /// Impressions, when the platform reports them.
    pub impressions: Option<i64>,
    /// Followers at posting time (potential reach).
    pub followers: i64,
    /// Compound sentiment in [-1, 1]; none when not English.
    pub sentiment: Option<f64>,
    /// Mean sentiment of the replies received.
    pub response_sentiment: Option<f64>,
    /// Mentions the organisation's brand.
    pub mentions_brand: bool,
}

/// Totals over the posts a filter selects.
#[derive(Debug, Clone, Default, sqlx::FromRow, serde::Serialize)]
pub struct ActivityTotals {
    /// Posts.
    pub posts: i64,
    /// Likes.
    pub likes: i64,
    /// Reposts.
    pub reposts: i64,
    /// Replies.
    pub replies: i64,
    /// Quotes.
    pub quotes: i64,
    /// Impressions, summed over the posts whose platform reports them.
    pub impressions: i64,
    /// Posts with an impressions figure.
    pub impression_posts: i64,
    /// Followers at posting time, summed over the posts without impressions (potential reach).
    pub potential: i64,
    /// Followers at posting time, summed over every post.
    pub reach: i64,
    /// Mean compound sentiment.
    pub sentiment: Option<f64>,
    /// Posts with a sentiment score.
    pub scored: i64,
}

impl ActivityTotals {
    /// Engagements: likes, reposts, replies and quotes.
    pub fn engagements(&self) -> i64 {
        self.likes + self.reposts + self.replies + self.quotes
    }
}

const POST_COLUMNS: &str = "SELECT p.id, a.platform, a.handle, p.account_id, p.person_id, pe.name AS person_name, a.brand, \
     p.post_id, p.created_at, p.kind, p.text, p.in_reply_to, p.likes, p.reposts, p.replies, p.quotes, \
     p.impressions, p.followers, p.sentiment, p.response_sentiment, p.mentions_brand";

const POST_JOINS: &str =
    "FROM post p JOIN social_account a ON a.org_id = p.org_id AND a.id = p.account_id \
     LEFT JOIN person pe ON pe.org_id = p.org_id AND pe.id = p.person_id";

const TOTALS_COLUMNS: &str = "SELECT CAST(COUNT(*) AS BIGINT) AS posts, CAST(COALESCE(SUM(p.likes), 0) AS BIGINT) AS likes, \
     CAST(COALESCE(SUM(p.reposts), 0) AS BIGINT) AS reposts, CAST(COALESCE(SUM(p.replies), 0) AS BIGINT) AS replies, \
     CAST(COALESCE(SUM(p.quotes), 0) AS BIGINT) AS quotes, \
     CAST(COALESCE(SUM(p.impressions), 0) AS BIGINT) AS impressions, CAST(COUNT(p.impressions) AS BIGINT) AS impression_posts, \
     CAST(COALESCE(SUM(CASE WHEN p.impressions IS NULL THEN p.followers ELSE 0 END), 0) AS BIGINT) AS potential, \
     CAST(COALESCE(SUM(p.followers), 0) AS BIGINT) AS reach, \
     CAST(AVG(p.sentiment) AS DOUBLE PRECISION) AS sentiment, CAST(COUNT(p.sentiment) AS BIGINT) AS scored \
     FROM post p";

/// A value bound to one of a filter's placeholders.
enum Arg<'a> {
    Int(i64),
    Text(&'a str),
}

/// A filter as SQL: only the conditions that are set, each written so an index keyed by
/// organisation first can serve it (platform, brand, person and team through the account ids),
/// and the values to bind after `$1` (the organisation).
fn filter_sql<'a>(f: &'a PostFilter) -> (String, Vec<Arg<'a>>) {
    let mut sql = String::from(" WHERE p.org_id = $1");
    let mut args: Vec<Arg<'a>> = Vec::new();
    let mut add = |cond: &str, arg: Arg<'a>| {
        args.push(arg);
        sql.push_str(&cond.replace('?', &format!("${}", args.len() + 1)));
    };
    if let Some(platform) = f.platform.as_deref() {
        add(
            " AND p.account_id IN (SELECT x.id FROM social_account x WHERE x.org_id = $1 AND x.platform = ?)",
            Arg::Text(platform),
        );
    }
    if let Some(account) = f.account {
        add(" AND p.account_id = ?", Arg::Int(account));
    }
    // A person's and a team's posts through their accounts (post_account_time): a person has a
    // few accounts, and posts keep no index by person. The team's people are a nested IN, not a
    // join: SQLite would walk every account of the organisation for the join.
    if let Some(person) = f.person {
        add(
            " AND p.account_id IN (SELECT y.id FROM social_account y WHERE y.org_id = $1 AND y.person_id = ?)",
            Arg::Int(person),
        );
    }
    if let Some(team) = f.team {
        add(
            " AND p.account_id IN (SELECT y.id FROM social_account y WHERE y.org_id = $1 AND y.person_id IN \
             (SELECT t.id FROM person t WHERE t.org_id = $1 AND t.team_id = ?))",
            Arg::Int(team),
        );
    }
    if let Some(from) = f.from {
        add(" AND p.created_at >= ?", Arg::Int(from));
    }
    if let Some(to) = f.to {
        add(" AND p.created_at < ?", Arg::Int(to));
    }
    if let Some(kind) = f.kind.as_deref() {
        add(" AND p.kind = ?", Arg::Text(kind));
    }
    if f.brand_only {
        sql.push_str(
            " AND p.account_id IN (SELECT b.id FROM social_account b WHERE b.org_id = $1 AND b.brand = TRUE)",
        );
    }
    (sql, args)
}

/// The totals over a filter's posts. With a filter set, the posts are first selected by id through
/// the filter's index (SQLite without statistics would otherwise read every post of the
/// organisation by primary key to get whole rows), then read by primary key.
fn totals_sql(cond: &str) -> String {
    format!("{TOTALS_COLUMNS}{}", by_id(cond))
}

/// The WHERE clause selecting a filter's posts: through their ids when any filter is set.
fn by_id(cond: &str) -> String {
    if cond.contains(" AND ") {
        format!(" WHERE p.org_id = $1 AND p.id IN (SELECT p.id FROM post p{cond})")
    } else {
        cond.to_string()
    }
}

/// The page of posts of a filter, newest first (`$n` the limit, then the offset). With a filter
/// set, the unary `+` keeps SQLite from walking the whole organisation's time index for the
/// order and testing each post against the filter; the filter's own index drives instead.
fn list_sql(cond: &str, n: usize) -> String {
    let order = if cond.contains(" AND ") {
        "+p.created_at"
    } else {
        "p.created_at"
    };
    format!(
        "{POST_COLUMNS} {POST_JOINS}{} ORDER BY {order} DESC, p.id DESC LIMIT ${n} OFFSET ${}",
        by_id(cond),
        n + 1
    )
}

/// Bind the organisation and a filter's values to a query.
macro_rules! bind_filter {
    ($q:expr, $org:expr, $args:expr) => {{
        let mut q = $q.bind($org.0);
        for a in $args.iter() {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(*v),
            };
        }
        q
    }};
}

impl Store {
    /// Posts selected by a filter, newest first.
    pub async fn social_posts(
        &self,
        org: OrgId,
        f: &PostFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<PostRow>> {
        let (cond, args) = filter_sql(f);
        let n = args.len() + 2;
        let sql = list_sql(&cond, n);
        Ok(with_pool!(self, |p| bind_filter!(
            sqlx::query_as(&sql),
            org,
            args
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await)?)
    }

    /// Totals over the posts selected by a filter.
    pub async fn social_totals(&self, org: OrgId, f: &PostFilter) -> Result<ActivityTotals> {
        let (cond, args) = filter_sql(f);
        let sql = totals_sql(&cond);
        Ok(with_pool!(self, |p| bind_filter!(
            sqlx::query_as(&sql),
            org,
            args
        )
        .fetch_one(p)
        .await)?)
    }

    /// SQLite's query plans (EXPLAIN QUERY PLAN details) for the list and the totals of a
    /// filter, to check that no filter walks every post; empty on PostgreSQL.
    pub async fn social_query_plans(&self, org: OrgId, f: &PostFilter) -> Result<Vec<String>> {
        let crate::Backend::Sqlite(pool) = &self.backend else {
            return Ok(Vec::new());
        };
        let (cond, args) = filter_sql(f);
        let n = args.len() + 2;
        let mut details = Vec::new();
        for (sql, paged) in [(list_sql(&cond, n), true), (totals_sql(&cond), false)] {
            let sql = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = bind_filter!(
                sqlx::query_as::<_, (i64, i64, i64, String)>(&sql),
                org,
                args
            );
            if paged {
                q = q.bind(50i64).bind(0i64);
            }
            details.extend(q.fetch_all(pool).await?.into_iter().map(|r| r.3));
        }
        Ok(details)
    }

    /// The replies stored for a post (by the platform id it answers).
    pub async fn social_replies(&self, org: OrgId, post: i64) -> Result<Vec<PostRow>> {
        let parent = self.social_post(org, post).await?;
        let sql = format!(
            "{POST_COLUMNS} {POST_JOINS} WHERE p.org_id = $1 AND a.platform = $3 \
             AND p.id IN (SELECT i.id FROM post i WHERE i.org_id = $1 AND i.in_reply_to = $2) ORDER BY p.created_at LIMIT 200"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(&parent.post_id)
            .bind(&parent.platform)
            .fetch_all(p)
            .await)?)
    }

    /// One post of the organisation.
    pub async fn social_post(&self, org: OrgId, id: i64) -> Result<PostRow> {
        let sql = format!("{POST_COLUMNS} {POST_JOINS} WHERE p.org_id = $1 AND p.id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Dated follower counts of an account, oldest first.
    pub async fn follower_snapshots(&self, org: OrgId, account: i64) -> Result<Vec<(i64, i64)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT at, followers FROM follower_snapshot WHERE org_id = $1 AND account_id = $2 ORDER BY at"
        )
        .bind(org.0)
        .bind(account)
        .fetch_all(p)
        .await
        })?)
    }
}
