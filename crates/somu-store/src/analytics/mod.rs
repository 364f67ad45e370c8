//! Analytics: the weekly roll-up projection of social activity, what the organisation enters
//! (revenue, money values, programme costs), and the plain inputs the metrics are computed from.
//!
//! The roll-up is `analytics_account_week`: one row per (account, ISO week) holding
//! [`PostTotals`] and the latest follower snapshot of the week. Writers of posts and snapshots
//! mark the (account, week) they touched in `rollup_dirty`; [`Store::project_rollups`] claims
//! marks by deleting them and rebuilds those rows from `post` and `follower_snapshot` in the same
//! transaction, so the projection is idempotent and two servers never both rebuild one mark.
//! The store computes no metric: it sums with [`PostTotals::of_posts`] from `somu-analytics`.

pub mod bulk;
pub mod snapshot;

use crate::{with_pool, with_tx, BackendKind, Result, Store, StoreError};
use somu_analytics::post::{AccountKey, EngagementCounts, Post};
use somu_analytics::rollup::PostTotals;
use somu_domain::ids::{OrgId, PersonId};

const WEEK: i64 = 7 * 86_400;

/// One roll-up row: an account's posts and latest follower snapshot in one ISO week.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountWeek {
    /// The account.
    pub account_id: i64,
    /// Monday 00:00 UTC of the week (Unix seconds).
    pub week_start: i64,
    /// The person owning the account, if any.
    pub person_id: Option<i64>,
    /// A brand account of the organisation.
    pub brand: bool,
    /// The week's post totals.
    pub totals: PostTotals,
    /// The latest follower snapshot taken in the week: (at, followers).
    pub snapshot: Option<(i64, u64)>,
}

const AW_COLUMNS: &str = "account_id, week_start, person_id, brand, posts, original_posts, likes, \
    reposts, replies, quotes, clicks, saves, impressions, impression_posts, potential, \
    potential_posts, warm_engagements, warmth_weight, warmth_posts, snapshot_at, snapshot_followers";

fn u(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(crate) fn i(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The select list of [`Store::fetch_account_weeks`]: the account, then its weeks in order as
/// `;`-separated rows of the `AW_COLUMNS` after the account, `,`-separated, NULL as empty.
/// Integers print exactly on both backends; the one REAL column is printed with 17 significant
/// digits on SQLite (its default is 15) and PostgreSQL's shortest exact form, so it reads back
/// as the same number.
fn packed_weeks_sql(kind: BackendKind) -> String {
    let columns = AW_COLUMNS.split(',').map(str::trim).skip(1);
    let week = match kind {
        // One printf a row: `%s` prints an integer as CAST does and NULL as nothing, and the
        // REAL gets the 17 digits that read back to the same double. (Twenty CASTs joined by
        // `||` took five microseconds a row in SQLite's interpreter.)
        BackendKind::Sqlite => {
            let (mut format, mut args) = (Vec::new(), Vec::new());
            for c in columns {
                format.push(if c == "warm_engagements" {
                    "%!.17g"
                } else {
                    "%s"
                });
                args.push(if c == "brand" {
                    "CAST(brand AS INTEGER)".to_string()
                } else {
                    c.to_string()
                });
            }
            format!("printf('{}', {})", format.join(","), args.join(", "))
        }
        BackendKind::Postgres => columns
            .map(|c| match c {
                "brand" => "CAST(CAST(brand AS INTEGER) AS TEXT)".to_string(),
                "person_id" | "snapshot_at" | "snapshot_followers" => {
                    format!("COALESCE(CAST({c} AS TEXT), '')")
                }
                _ => format!("CAST({c} AS TEXT)"),
            })
            .collect::<Vec<_>>()
            .join(" || ',' || "),
    };
    format!("account_id, string_agg({week}, ';' ORDER BY week_start)")
}

/// One week of [`packed_weeks_sql`]; `None` when the text is not what it writes.
fn unpack_week(account_id: i64, text: &str) -> Option<AccountWeek> {
    fn opt(s: &str) -> Option<Option<i64>> {
        if s.is_empty() {
            Some(None)
        } else {
            s.parse().ok().map(Some)
        }
    }
    let f: Vec<&str> = text.split(',').collect();
    let [week_start, person, brand, posts, original_posts, likes, reposts, replies, quotes, clicks, saves, impressions, impression_posts, potential, potential_posts, warm, warmth_weight, warmth_posts, at, followers] =
        f.as_slice()
    else {
        return None;
    };
    let n = |s: &str| s.parse::<i64>().ok().map(u);
    Some(AccountWeek {
        account_id,
        week_start: week_start.parse().ok()?,
        person_id: opt(person)?,
        brand: *brand == "1",
        totals: PostTotals {
            posts: n(posts)?,
            original_posts: n(original_posts)?,
            counts: EngagementCounts {
                likes: n(likes)?,
                reposts: n(reposts)?,
                replies: n(replies)?,
                quotes: n(quotes)?,
                clicks: n(clicks)?,
                saves: n(saves)?,
            },
            impressions: n(impressions)?,
            impression_posts: n(impression_posts)?,
            potential: n(potential)?,
            potential_posts: n(potential_posts)?,
            warm_engagements: warm.parse().ok()?,
            warmth_weight: n(warmth_weight)?,
            warmth_posts: n(warmth_posts)?,
        },
        snapshot: opt(at)?.zip(opt(followers)?.map(u)),
    })
}

/// Bind the 22 columns of one roll-up row (in `AW_COLUMNS` order, after `org_id`) to a query.
macro_rules! bind_account_week {
    ($q:expr, $org:expr, $r:expr) => {{
        let r: &AccountWeek = $r;
        let t = &r.totals;
        let i = $crate::analytics::i;
        $q.bind($org.0)
            .bind(r.account_id)
            .bind(r.week_start)
            .bind(r.person_id)
            .bind(r.brand)
            .bind(i(t.posts))
            .bind(i(t.original_posts))
            .bind(i(t.counts.likes))
            .bind(i(t.counts.reposts))
            .bind(i(t.counts.replies))
            .bind(i(t.counts.quotes))
            .bind(i(t.counts.clicks))
            .bind(i(t.counts.saves))
            .bind(i(t.impressions))
            .bind(i(t.impression_posts))
            .bind(i(t.potential))
            .bind(i(t.potential_posts))
            .bind(t.warm_engagements)
            .bind(i(t.warmth_weight))
            .bind(i(t.warmth_posts))
            .bind(r.snapshot.map(|s| s.0))
            .bind(r.snapshot.map(|s| i(s.1)))
    }};
}

/// The upsert of one roll-up row, bound and ready for either backend.
macro_rules! upsert_account_week {
    ($exec:expr, $org:expr, $r:expr) => {{
        let q = sqlx::query(
            "INSERT INTO analytics_account_week (org_id, account_id, week_start, person_id, brand, \
             posts, original_posts, likes, reposts, replies, quotes, clicks, saves, impressions, \
             impression_posts, potential, potential_posts, warm_engagements, warmth_weight, \
             warmth_posts, snapshot_at, snapshot_followers) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
             ON CONFLICT (org_id, account_id, week_start) DO UPDATE SET person_id = excluded.person_id, \
             brand = excluded.brand, posts = excluded.posts, original_posts = excluded.original_posts, \
             likes = excluded.likes, reposts = excluded.reposts, replies = excluded.replies, \
             quotes = excluded.quotes, clicks = excluded.clicks, saves = excluded.saves, \
             impressions = excluded.impressions, impression_posts = excluded.impression_posts, \
             potential = excluded.potential, potential_posts = excluded.potential_posts, \
             warm_engagements = excluded.warm_engagements, warmth_weight = excluded.warmth_weight, \
             warmth_posts = excluded.warmth_posts, snapshot_at = excluded.snapshot_at, \
             snapshot_followers = excluded.snapshot_followers",
        );
        bind_account_week!(q, $org, $r)
            .execute(&mut *$exec)
            .await?;
    }};
}

/// Rebuild one (account, week) roll-up inside an open transaction.
macro_rules! rebuild_account_week {
    ($tx:expr, $org:expr, $account:expr, $week_start:expr) => {{
        let (account, ws): (i64, i64) = ($account, $week_start);
        let owner: Option<(Option<i64>, bool)> = sqlx::query_as(
            "SELECT person_id, brand FROM social_account WHERE org_id = $1 AND id = $2",
        )
        .bind($org.0)
        .bind(account)
        .fetch_optional(&mut *$tx)
        .await?;
        let rows: Vec<(i64, String, i64, i64, i64, i64, i64, i64, Option<i64>, i64, Option<f64>, Option<f64>)> =
            sqlx::query_as(
                "SELECT created_at, kind, likes, reposts, replies, quotes, clicks, saves, impressions, \
                 followers, sentiment, response_sentiment FROM post \
                 WHERE org_id = $1 AND account_id = $2 AND created_at >= $3 AND created_at < $4",
            )
            .bind($org.0)
            .bind(account)
            .bind(ws)
            .bind(ws + WEEK)
            .fetch_all(&mut *$tx)
            .await?;
        let snapshot: Option<(i64, i64)> = sqlx::query_as(
            "SELECT at, followers FROM follower_snapshot WHERE org_id = $1 AND account_id = $2 \
             AND at >= $3 AND at < $4 ORDER BY at DESC LIMIT 1",
        )
        .bind($org.0)
        .bind(account)
        .bind(ws)
        .bind(ws + WEEK)
        .fetch_optional(&mut *$tx)
        .await?;
        let posts: Vec<Post> = rows.into_iter().map(|r| post_of_row(account, r)).collect();
        match owner {
            Some((person_id, brand)) if !posts.is_empty() || snapshot.is_some() => {
                let row = AccountWeek {
                    account_id: account,
                    week_start: ws,
                    person_id,
                    brand,
                    totals: PostTotals::of_posts(&posts),
                    snapshot: snapshot.map(|(at, f)| (at, u(f))),
                };
                upsert_account_week!($tx, $org, &row);
            }
            _ => {
                sqlx::query(
                    "DELETE FROM analytics_account_week WHERE org_id = $1 AND account_id = $2 AND week_start = $3",
                )
                .bind($org.0)
                .bind(account)
                .bind(ws)
                .execute(&mut *$tx)
                .await?;
            }
        }
    }};
}

type PostRow = (
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    Option<f64>,
    Option<f64>,
);

fn post_of_row(account: i64, r: PostRow) -> Post {
    let (at, kind, likes, reposts, replies, quotes, clicks, saves, imp, followers, own, resp) = r;
    Post {
        account: AccountKey(u(account)),
        created_at: somu_domain::time_util::from_unix(at),
        counts: EngagementCounts {
            likes: u(likes),
            reposts: u(reposts),
            replies: u(replies),
            quotes: u(quotes),
            clicks: u(clicks),
            saves: u(saves),
        },
        impressions: imp.map(u),
        followers: u(followers),
        response_sentiment: resp,
        own_sentiment: own,
        is_original: kind == "original",
    }
}

/// The Monday 00:00 UTC starting the ISO week that contains `t` (Unix seconds).
pub fn week_start_of(t: i64) -> i64 {
    // 1970-01-01 was a Thursday: Mondays are 4 days later modulo 7.
    let monday0 = 4 * 86_400;
    t - (t - monday0).rem_euclid(WEEK)
}

/// A person's first completion of a track (an xAPI `completed` statement about a track).
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Who.
    pub person: PersonId,
    /// The track slug.
    pub track: String,
    /// When (Unix seconds).
    pub at: i64,
}

/// A person's scaled score on a pre- or post-test of a track.
#[derive(Debug, Clone, PartialEq)]
pub struct TestScore {
    /// Who.
    pub person: PersonId,
    /// `track/pre` or `track/post`.
    pub key: String,
    /// Scaled score −1…1 (latest attempt).
    pub scaled: f64,
}

/// What the organisation has entered, in cents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Revenue per month (`YYYY-MM`, cents), oldest first.
    pub revenue: Vec<(String, i64)>,
    /// Money value per kind (`like`, `repost`, …, `post`, `engagement`, `influence`).
    pub values: Vec<(String, i64)>,
    /// Programme costs: (programme, category, cents); programme `""` is the whole programme.
    pub costs: Vec<(String, String, i64)>,
}

impl Inputs {
    /// The value set for a kind.
    pub fn value(&self, kind: &str) -> Option<i64> {
        self.values.iter().find(|(k, _)| k == kind).map(|(_, c)| *c)
    }

    /// The whole programme's cost in a category.
    pub fn cost(&self, category: &str) -> Option<i64> {
        self.programme_cost("", category)
    }

    /// One programme's (track's) cost in a category; `""` is the whole programme.
    pub fn programme_cost(&self, programme: &str, category: &str) -> Option<i64> {
        self.costs
            .iter()
            .find(|(p, c, _)| p == programme && c == category)
            .map(|(_, _, v)| *v)
    }
}

/// A linked social account as analytics sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountOwner {
    /// The account.
    pub account_id: i64,
    /// The owning person.
    pub person_id: Option<i64>,
    /// A brand account.
    pub brand: bool,
}

impl Store {
    /// Claim and rebuild up to `limit` marked (account, week) roll-ups of an organisation.
    /// Returns how many marks this call consumed (0 when none were left).
    pub async fn project_rollups(&self, org: OrgId, limit: i64) -> Result<usize> {
        Ok(with_tx!(self, |tx| {
            let marks: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT account_id, week_start FROM rollup_dirty WHERE org_id = $1 \
                 ORDER BY account_id, week_start LIMIT $2",
            )
            .bind(org.0)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut done = 0usize;
            for (account, ws) in marks {
                // Deleting the mark claims it: a concurrent server's delete waits for this
                // transaction and then finds nothing, so it skips the mark.
                let claimed = sqlx::query(
                    "DELETE FROM rollup_dirty WHERE org_id = $1 AND account_id = $2 AND week_start = $3",
                )
                .bind(org.0)
                .bind(account)
                .bind(ws)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if claimed == 0 {
                    continue;
                }
                rebuild_account_week!(tx, org, account, ws);
                done += 1;
            }
            if done > 0 {
                sqlx::query(snapshot::BUMP_GENERATION)
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
            }
            done
        }))
    }

    /// Rebuild every marked roll-up of an organisation (dashboards call this before reading).
    pub async fn project_all_rollups(&self, org: OrgId) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = self.project_rollups(org, 500).await?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// Organisations with roll-up marks waiting (for the background tick).
    pub async fn orgs_with_dirty_rollups(&self) -> Result<Vec<OrgId>> {
        self.orgs_in("rollup_dirty").await
    }

    /// The distinct organisations that have rows in `table` (a name from this crate), at most
    /// 10,000, in order.
    pub(crate) async fn orgs_in(&self, table: &'static str) -> Result<Vec<OrgId>> {
        let sql = format!("SELECT DISTINCT org_id FROM {table} ORDER BY org_id LIMIT 10000");
        let ids: Vec<i64> = with_pool!(self, |p| sqlx::query_scalar(&sql).fetch_all(p).await)?;
        Ok(ids.into_iter().map(OrgId).collect())
    }

    /// Mark every (account, week) that has posts or snapshots as dirty, so the next projection
    /// rebuilds the whole roll-up (after a repair or a change of definition).
    pub async fn mark_all_rollups_dirty(&self, org: OrgId) -> Result<()> {
        let weeks = format!(
            "(created_at - (((created_at - {m}) % {WEEK}) + {WEEK}) % {WEEK})",
            m = 4 * 86_400
        );
        let snap_weeks = weeks.replace("created_at", "at");
        let sql = format!(
            "INSERT INTO rollup_dirty (org_id, account_id, week_start) \
             SELECT DISTINCT org_id, account_id, {weeks} FROM post WHERE org_id = $1 \
             UNION SELECT DISTINCT org_id, account_id, {snap_weeks} FROM follower_snapshot WHERE org_id = $1 \
             ON CONFLICT DO NOTHING"
        );
        with_pool!(self, |p| sqlx::query(&sql)
            .bind(org.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Roll-up rows of weeks starting before `until` (Unix seconds), by account then week.
    pub async fn account_weeks(&self, org: OrgId, until: i64) -> Result<Vec<AccountWeek>> {
        self.fetch_account_weeks("", org, until).await
    }

    /// Roll-up rows of the accounts that pass `filter` (SQL after `AND`, may use `$1` for the
    /// organisation), weeks before `until`. Each account's rows come back as one text (see
    /// [`packed_weeks_sql`]): read row by row, every value is copied and handed from the
    /// database thread one row at a time, which took nine tenths of a report's first build.
    async fn fetch_account_weeks(
        &self,
        filter: &str,
        org: OrgId,
        until: i64,
    ) -> Result<Vec<AccountWeek>> {
        let sql = format!(
            "SELECT {} FROM analytics_account_week WHERE org_id = $1 AND week_start < $2 {filter} \
             GROUP BY account_id ORDER BY account_id",
            packed_weeks_sql(self.kind())
        );
        let packed: Vec<(i64, String)> = with_pool!(self, |p| {
            sqlx::query_as(&sql)
                .bind(org.0)
                .bind(until)
                .fetch_all(p)
                .await
        })?;
        let mut out = Vec::with_capacity(packed.len() * 52);
        for (account, text) in &packed {
            for week in text.split(';') {
                out.push(unpack_week(*account, week).ok_or_else(|| {
                    StoreError::Conflict(format!(
                        "a roll-up row of account {account} could not be read: {week:?}"
                    ))
                })?);
            }
        }
        Ok(out)
    }

    /// The roll-ups of the accounts some people own (a manager's team), weeks before `until`.
    pub async fn account_weeks_of(
        &self,
        org: OrgId,
        people: &[i64],
        until: i64,
    ) -> Result<Vec<AccountWeek>> {
        let mut out = Vec::new();
        for chunk in people.chunks(500) {
            // Ids are integers: written into the statement, they need no binding.
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let filter = format!(
                "AND account_id IN (SELECT id FROM social_account WHERE org_id = $1 \
                 AND person_id IN ({list}))"
            );
            out.extend(self.fetch_account_weeks(&filter, org, until).await?);
        }
        Ok(out)
    }

    /// Write roll-up rows in one transaction (the synthetic generator's bulk path).
    pub async fn put_account_weeks(&self, org: OrgId, rows: &[AccountWeek]) -> Result<()> {
        with_tx!(self, |tx| {
            for r in rows {
                upsert_account_week!(tx, org, r);
            }
            sqlx::query(snapshot::BUMP_GENERATION)
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The organisation's social accounts and who owns them.
    pub async fn account_owners(&self, org: OrgId) -> Result<Vec<AccountOwner>> {
        let rows: Vec<(i64, Option<i64>, bool)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, person_id, brand FROM social_account WHERE org_id = $1 ORDER BY id"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(account_id, person_id, brand)| AccountOwner {
                account_id,
                person_id,
                brand,
            })
            .collect())
    }

    /// Each person's first completion of each track.
    pub async fn track_completions(&self, org: OrgId) -> Result<Vec<Completion>> {
        let rows: Vec<(i64, String, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT person_id, key, MIN(at) FROM statement WHERE org_id = $1 AND verb = 'completed' \
             AND kind = 'track' GROUP BY person_id, key ORDER BY person_id, key"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(p, track, at)| Completion {
                person: PersonId(p),
                track,
                at,
            })
            .collect())
    }

    /// People who hold a credential valid at `until` (Unix seconds): issued before it, and
    /// neither revoked nor expired by then.
    pub async fn certified_people(&self, org: OrgId, until: i64) -> Result<u64> {
        let n: i64 = with_pool!(self, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(DISTINCT person_id) AS BIGINT) FROM credential WHERE org_id = $1 \
                 AND state = 'issued' AND issued_at < $2 AND (revoked_at IS NULL OR revoked_at >= $2) \
                 AND (valid_until IS NULL OR valid_until >= $2)",
            )
            .bind(org.0)
            .bind(until)
            .fetch_one(p)
            .await
        })?;
        Ok(u(n))
    }

    /// The latest scaled score of every person on every pre- and post-test.
    pub async fn test_scores(&self, org: OrgId) -> Result<Vec<TestScore>> {
        // One pass over the scored test statements in (person, test, id) order, keeping the
        // last of each run. A join back to a grouped MAX(id) was planned by SQLite 3.46 as a
        // scan of the statement table per group (224 s for the demo's 17,000 statements).
        let rows: Vec<(i64, String, f64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT person_id, key, score_scaled FROM statement \
             WHERE org_id = $1 AND kind = 'test' AND score_scaled IS NOT NULL \
             ORDER BY person_id, key, id"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        let mut out: Vec<TestScore> = Vec::new();
        for (p, key, scaled) in rows {
            match out.last_mut() {
                Some(last) if last.person.0 == p && last.key == key => last.scaled = scaled,
                _ => out.push(TestScore {
                    person: PersonId(p),
                    key,
                    scaled,
                }),
            }
        }
        Ok(out)
    }

    /// Recorded learning time in minutes (Σ `duration_ms` of `experienced` statements), rounded.
    pub async fn learning_minutes(&self, org: OrgId) -> Result<u64> {
        let ms: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(duration_ms), 0) AS BIGINT) FROM statement \
             WHERE org_id = $1 AND verb = 'experienced'"
        )
        .bind(org.0)
        .fetch_one(p)
        .await)?;
        Ok(u(ms).saturating_add(30_000) / 60_000)
    }

    /// Recorded learning time per course in minutes (Σ `duration_ms` of `experienced`
    /// statements, whose key starts with the course slug), rounded; by course slug.
    pub async fn learning_minutes_by_course(&self, org: OrgId) -> Result<Vec<(String, u64)>> {
        let rows: Vec<(String, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT key, CAST(COALESCE(SUM(duration_ms), 0) AS BIGINT) FROM statement \
             WHERE org_id = $1 AND verb = 'experienced' GROUP BY key ORDER BY key"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?;
        let mut ms: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
        for (key, d) in rows {
            let course = key.split('/').next().unwrap_or_default().to_string();
            *ms.entry(course).or_default() += u(d);
        }
        Ok(ms
            .into_iter()
            .map(|(c, d)| (c, d.saturating_add(30_000) / 60_000))
            .collect())
    }

    /// Everything the organisation has entered.
    pub async fn analytics_inputs(&self, org: OrgId) -> Result<Inputs> {
        with_pool!(self, |p| {
            let revenue = sqlx::query_as(
                "SELECT month, cents FROM analytics_revenue WHERE org_id = $1 ORDER BY month",
            )
            .bind(org.0)
            .fetch_all(p)
            .await?;
            let values = sqlx::query_as(
                "SELECT kind, cents FROM analytics_value WHERE org_id = $1 ORDER BY kind",
            )
            .bind(org.0)
            .fetch_all(p)
            .await?;
            let costs = sqlx::query_as(
                "SELECT programme, category, cents FROM analytics_cost WHERE org_id = $1 \
                 ORDER BY programme, category",
            )
            .bind(org.0)
            .fetch_all(p)
            .await?;
            Ok(Inputs {
                revenue,
                values,
                costs,
            })
        })
    }

    /// Replace what the organisation has entered, in one transaction. `None` amounts remove the
    /// entry (the metric then says it has not been entered).
    pub async fn set_analytics_inputs(&self, org: OrgId, new: &InputChanges) -> Result<()> {
        with_tx!(self, |tx| {
            for (month, cents) in &new.revenue {
                sqlx::query("DELETE FROM analytics_revenue WHERE org_id = $1 AND month = $2")
                    .bind(org.0)
                    .bind(month)
                    .execute(&mut *tx)
                    .await?;
                if let Some(c) = cents {
                    sqlx::query(
                        "INSERT INTO analytics_revenue (org_id, month, cents) VALUES ($1, $2, $3)",
                    )
                    .bind(org.0)
                    .bind(month)
                    .bind(c)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for (kind, cents) in &new.values {
                sqlx::query("DELETE FROM analytics_value WHERE org_id = $1 AND kind = $2")
                    .bind(org.0)
                    .bind(kind)
                    .execute(&mut *tx)
                    .await?;
                if let Some(c) = cents {
                    sqlx::query(
                        "INSERT INTO analytics_value (org_id, kind, cents) VALUES ($1, $2, $3)",
                    )
                    .bind(org.0)
                    .bind(kind)
                    .bind(c)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for (programme, category, cents) in &new.costs {
                sqlx::query(
                    "DELETE FROM analytics_cost WHERE org_id = $1 AND programme = $2 AND category = $3",
                )
                .bind(org.0)
                .bind(programme)
                .bind(category)
                .execute(&mut *tx)
                .await?;
                if let Some(c) = cents {
                    sqlx::query(
                        "INSERT INTO analytics_cost (org_id, programme, category, cents) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(org.0)
                    .bind(programme)
                    .bind(category)
                    .bind(c)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        });
        Ok(())
    }
}

/// Changes to the organisation's inputs; `None` removes an entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputChanges {
    /// Revenue per month (`YYYY-MM`).
    pub revenue: Vec<(String, Option<i64>)>,
    /// Money value per kind.
    pub values: Vec<(String, Option<i64>)>,
    /// Programme costs: (programme, category, cents).
    pub costs: Vec<(String, String, Option<i64>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_start_is_the_monday() {
        // 2026-03-02 is a Monday: 1772409600. Wednesday 2026-03-04 12:00 belongs to it.
        assert_eq!(week_start_of(1_772_409_600), 1_772_409_600);
        assert_eq!(
            week_start_of(1_772_409_600 + 2 * 86_400 + 43_200),
            1_772_409_600
        );
        assert_eq!(week_start_of(1_772_409_600 - 1), 1_772_409_600 - WEEK);
    }
}
