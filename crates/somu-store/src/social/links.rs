//! Linking accounts (with consent), revoking them, and removing a person's social data.

use super::{week_sql, SocialAccount};
use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::{FieldError, FieldErrors};
pub use somu_social::LinkRow;

/// An account to link.
#[derive(Debug, Clone)]
pub struct NewLink<'a> {
    /// Platform code.
    pub platform: &'a str,
    /// Normalised handle.
    pub handle: &'a str,
    /// The person whose account it is (none for a brand account).
    pub person: Option<PersonId>,
    /// An account of the organisation.
    pub brand: bool,
    /// When consent was given.
    pub consent_at: Option<i64>,
    /// How: `self` (the person, on the consent page), `bulk` (admin CSV), `admin` (brand).
    pub consent_source: &'a str,
}

/// What revoking removed.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct RevokeSummary {
    /// Posts deleted.
    pub posts: u64,
    /// Follower snapshots deleted.
    pub snapshots: u64,
}

/// Statements that remove the social data of the accounts `scope` selects (`$1` org, `$2` the
/// scope's value): dirty marks for the weeks that lose posts first, then children, then accounts.
pub(crate) fn purge_sql(scope: &str) -> [String; 5] {
    let accounts = format!("SELECT id FROM social_account WHERE org_id = $1 AND {scope}");
    [
        format!(
            "INSERT INTO rollup_dirty (org_id, account_id, week_start) SELECT DISTINCT org_id, account_id, {} \
             FROM post WHERE org_id = $1 AND account_id IN ({accounts}) ON CONFLICT DO NOTHING",
            week_sql!("created_at")
        ),
        format!("DELETE FROM social_pull WHERE org_id = $1 AND account_id IN ({accounts})"),
        format!("DELETE FROM follower_snapshot WHERE org_id = $1 AND account_id IN ({accounts})"),
        format!("DELETE FROM post WHERE org_id = $1 AND account_id IN ({accounts})"),
        format!("DELETE FROM social_account WHERE org_id = $1 AND {scope}"),
    ]
}

/// Run the purge statements inside a transaction: `$tx` a transaction, `$scope` the SQL condition,
/// `$value` its `$2`. Evaluates to the rows each statement touched.
macro_rules! purge_in_tx {
    ($tx:ident, $org:expr, $scope:expr, $value:expr) => {{
        let mut counts = [0u64; 5];
        for (i, sql) in $crate::social::links::purge_sql($scope).iter().enumerate() {
            counts[i] = sqlx::query(sql)
                .bind($org.0)
                .bind($value)
                .execute(&mut *$tx)
                .await?
                .rows_affected();
        }
        // The account's roll-ups went with its posts: reports built from them are stale.
        sqlx::query($crate::analytics::snapshot::BUMP_GENERATION)
            .bind($org.0)
            .execute(&mut *$tx)
            .await?;
        counts
    }};
}
pub(crate) use purge_in_tx;

const ACCOUNT_SELECT: &str = "SELECT a.id, a.platform, a.handle, a.person_id, pe.name AS person_name, a.brand, \
     a.consent_at, a.consent_source, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM post p WHERE p.org_id = a.org_id AND p.account_id = a.id) AS posts, \
     (SELECT s.followers FROM follower_snapshot s WHERE s.org_id = a.org_id AND s.account_id = a.id ORDER BY s.at DESC LIMIT 1) AS followers \
     FROM social_account a LEFT JOIN person pe ON pe.org_id = a.org_id AND pe.id = a.person_id WHERE a.org_id = $1";

impl Store {
    /// Linked accounts: one person's (`Some`), or every personal and brand account (`None`).
    pub async fn social_accounts(
        &self,
        org: OrgId,
        person: Option<PersonId>,
    ) -> Result<Vec<SocialAccount>> {
        let sql = format!(
            "{ACCOUNT_SELECT} AND (a.person_id IS NOT NULL OR a.brand = TRUE) \
             AND ($2 IS NULL OR a.person_id = $2) ORDER BY a.brand DESC, pe.name, a.platform, a.handle"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.map(|p| p.0))
            .fetch_all(p)
            .await)?)
    }

    /// One account of the organisation (linked or not).
    pub async fn social_account(&self, org: OrgId, id: i64) -> Result<SocialAccount> {
        let sql = format!("{ACCOUNT_SELECT} AND a.id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Link an account to a person or to the organisation. An account already known (as the
    /// author of replies or mentions) is claimed with its posts; one linked to someone else is a
    /// conflict. Linking again the same way only refreshes the consent date. Returns the id.
    pub async fn link_social_account(&self, org: OrgId, l: &NewLink<'_>) -> Result<i64> {
        let now = crate::unix_now();
        retry_on_conflict(|| async {
            with_tx!(self, |tx| {
                let existing: Option<(i64, Option<i64>, bool)> = sqlx::query_as(
                    "SELECT id, person_id, brand FROM social_account WHERE org_id = $1 AND platform = $2 AND handle = $3",
                )
                .bind(org.0)
                .bind(l.platform)
                .bind(l.handle)
                .fetch_optional(&mut *tx)
                .await?;
                let person = l.person.map(|p| p.0);
                match existing {
                    Some((_, Some(owner), _)) if Some(owner) != person => {
                        return Err(StoreError::Conflict(
                            "this account is already linked to someone else".into(),
                        ))
                    }
                    Some((_, None, true)) if !l.brand => {
                        return Err(StoreError::Conflict(
                            "this is one of the organisation's brand accounts".into(),
                        ))
                    }
                    Some((_, Some(_), _)) if l.brand => {
                        return Err(StoreError::Conflict(
                            "this account is already linked to a person".into(),
                        ))
                    }
                    Some((id, _, _)) => {
                        sqlx::query(
                            "UPDATE social_account SET person_id = $3, brand = $4, consent_at = COALESCE($5, consent_at), \
                             consent_source = $6 WHERE org_id = $1 AND id = $2",
                        )
                        .bind(org.0)
                        .bind(id)
                        .bind(person)
                        .bind(l.brand)
                        .bind(l.consent_at)
                        .bind(l.consent_source)
                        .execute(&mut *tx)
                        .await?;
                        // Posts written before the link now belong to the person.
                        sqlx::query(concat!(
                            "INSERT INTO rollup_dirty (org_id, account_id, week_start) SELECT DISTINCT org_id, account_id, ",
                            week_sql!("created_at"),
                            " FROM post WHERE org_id = $1 AND account_id = $2 AND person_id IS DISTINCT FROM $3 ON CONFLICT DO NOTHING"
                        ))
                        .bind(org.0)
                        .bind(id)
                        .bind(person)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(
                            "UPDATE post SET person_id = $3 WHERE org_id = $1 AND account_id = $2 AND person_id IS DISTINCT FROM $3",
                        )
                        .bind(org.0)
                        .bind(id)
                        .bind(person)
                        .execute(&mut *tx)
                        .await?;
                        Ok(id)
                    }
                    None => Ok(sqlx::query_scalar(concat!(
                        "INSERT INTO social_account (org_id, id, platform, handle, person_id, brand, consent_at, consent_source, created_at) VALUES ($1, ",
                        next_id_sql!("social_account"),
                        ", $2, $3, $4, $5, $6, $7, $8) RETURNING id"
                    ))
                    .bind(org.0)
                    .bind(l.platform)
                    .bind(l.handle)
                    .bind(person)
                    .bind(l.brand)
                    .bind(l.consent_at)
                    .bind(l.consent_source)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?),
                }
            })
        })
        .await
    }

    /// Revoke a link: the account, its posts, its follower snapshots and its pull schedule are
    /// deleted (the weeks that lose posts are marked for the roll-ups). With `owner`, only that
    /// person's account can be revoked (others are not found).
    pub async fn revoke_social_account(
        &self,
        org: OrgId,
        id: i64,
        owner: Option<PersonId>,
    ) -> Result<RevokeSummary> {
        let account = self.social_account(org, id).await?;
        if account.person_id.is_none() && !account.brand {
            return Err(StoreError::NotFound);
        }
        if owner.is_some_and(|o| account.person_id != Some(o.0)) {
            return Err(StoreError::NotFound);
        }
        let counts = with_tx!(self, |tx| purge_in_tx!(tx, org, "id = $2", id));
        Ok(RevokeSummary {
            posts: counts[3],
            snapshots: counts[2],
        })
    }

    /// Link many accounts at once (an admin's CSV of consents collected elsewhere). Every row is
    /// checked first (the person exists, the account is not someone else's); any problem refuses
    /// the whole file and changes nothing. Returns how many links were new.
    pub async fn bulk_link_social(&self, org: OrgId, rows: &[LinkRow]) -> Result<usize> {
        let mut errors = FieldErrors::default();
        let mut resolved = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(person) = self.person_by_key(org, &r.person_key).await? else {
                errors.push(
                    FieldError::new(
                        "person",
                        "unknown",
                        format!(
                            "no one in this organisation has the email or employee id {}",
                            r.person_key
                        ),
                    )
                    .at_line(r.line),
                );
                continue;
            };
            let owner: Option<(Option<i64>, bool)> = with_pool!(self, |p| {
                sqlx::query_as(
                "SELECT person_id, brand FROM social_account WHERE org_id = $1 AND platform = $2 AND handle = $3"
            )
            .bind(org.0)
            .bind(&r.platform)
            .bind(&r.handle)
            .fetch_optional(p)
            .await
            })?;
            match owner {
                Some((Some(o), _)) if o != person.0 => errors.push(
                    FieldError::new(
                        "handle",
                        "taken",
                        "this account is already linked to someone else",
                    )
                    .at_line(r.line),
                ),
                Some((_, true)) => errors.push(
                    FieldError::new(
                        "handle",
                        "taken",
                        "this is one of the organisation's brand accounts",
                    )
                    .at_line(r.line),
                ),
                Some((Some(_), _)) => {}
                _ => resolved.push((person, r)),
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut linked = 0;
        for (person, r) in resolved {
            self.link_social_account(
                org,
                &NewLink {
                    platform: &r.platform,
                    handle: &r.handle,
                    person: Some(person),
                    brand: false,
                    consent_at: Some(r.consent_at),
                    consent_source: "bulk",
                },
            )
            .await?;
            linked += 1;
        }
        Ok(linked)
    }
}
