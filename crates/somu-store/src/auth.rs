//! Accounts, sessions, sign-in throttling, password resets, invitations and API tokens.
//! Secrets are stored only as SHA-256 hashes; passwords only as argon2id hashes made by the caller.

use crate::{
    hash_secret, new_secret, next_id_sql, retry_on_conflict, with_pool, Result, Store, StoreError,
};
use somu_domain::ids::{AccountId, OrgId, PersonId, TokenId};

/// A login account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Lowercased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// Platform operator.
    pub is_operator: bool,
    /// Preferred language.
    pub locale: String,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
}

impl Account {
    /// Typed id.
    pub fn account_id(&self) -> AccountId {
        AccountId(self.id)
    }
}

/// A live session joined with its account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// Account id.
    pub account_id: i64,
    /// Account email.
    pub email: String,
    /// Account name.
    pub name: String,
    /// Operator flag.
    pub is_operator: bool,
    /// Locale.
    pub locale: String,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
}

/// An API token's owner and scope, found from the token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    /// Token id.
    pub id: i64,
    /// The account acting.
    pub account_id: i64,
    /// Space-separated scopes (`read`, `write`).
    pub scopes: String,
    /// Expiry.
    pub expires_at: Option<i64>,
}

/// A token as listed to its owner (never the secret).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TokenInfo {
    /// Id.
    pub id: i64,
    /// The owner's label.
    pub name: String,
    /// Scopes.
    pub scopes: String,
    /// Created.
    pub created_at: i64,
    /// Expires.
    pub expires_at: Option<i64>,
    /// Last use.
    pub last_used_at: Option<i64>,
    /// Revoked.
    pub revoked_at: Option<i64>,
}

const ACCOUNT_COLS: &str = "id, email, name, password_hash, is_operator, locale, disabled";

impl Store {
    /// Create an account (email lowercased). Fails with `Conflict` when the email is taken.
    pub async fn create_account(
        &self,
        email: &str,
        name: &str,
        password_hash: Option<&str>,
        is_operator: bool,
    ) -> Result<AccountId> {
        let email = email.trim().to_lowercase();
        let res: Result<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "INSERT INTO account (email, name, password_hash, is_operator, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(&email)
        .bind(name)
        .bind(password_hash)
        .bind(is_operator)
        .bind(crate::unix_now())
        .fetch_one(p)
        .await
        .map_err(StoreError::from));
        match res {
            Err(e) if e.is_unique_violation() => Err(StoreError::Conflict(format!(
                "{email} already has an account"
            ))),
            other => other.map(AccountId),
        }
    }

    /// Find an account by email.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM account WHERE email = $1");
        let email = email.trim().to_lowercase();
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(&email)
            .fetch_optional(p)
            .await)?)
    }

    /// Find an account by id.
    pub async fn account(&self, id: AccountId) -> Result<Account> {
        let sql = format!("SELECT {ACCOUNT_COLS} FROM account WHERE id = $1");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Replace an account's password hash and end all its sessions.
    pub async fn set_password(&self, id: AccountId, password_hash: &str) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())?;
            sqlx::query("DELETE FROM session WHERE account_id = $1")
                .bind(id.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Make an account a platform operator (or not).
    pub async fn set_operator(&self, id: AccountId, is_operator: bool) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE account SET is_operator = $1 WHERE id = $2"
        )
        .bind(is_operator)
        .bind(id.0)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Start a session; returns the secret for the cookie.
    pub async fn create_session(
        &self,
        account: AccountId,
        ttl_secs: i64,
        ip: &str,
        user_agent: &str,
    ) -> Result<String> {
        let (secret, hash) = new_secret();
        let now = crate::unix_now();
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO session (token_hash, account_id, created_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(&hash)
        .bind(account.0)
        .bind(now)
        .bind(now + ttl_secs)
        .bind(ip)
        .bind(user_agent.chars().take(200).collect::<String>())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(secret)
    }

    /// The live session for a cookie secret, with its account; expired or disabled → `None`.
    pub async fn session(&self, secret: &str, now: i64) -> Result<Option<SessionRow>> {
        let hash = hash_secret(secret);
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT a.id AS account_id, a.email, a.name, a.is_operator, a.locale, s.expires_at \
             FROM session s JOIN account a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = FALSE"
        )
        .bind(&hash)
        .bind(now)
        .fetch_optional(p)
        .await)?)
    }

    /// End a session.
    pub async fn delete_session(&self, secret: &str) -> Result<()> {
        let hash = hash_secret(secret);
        with_pool!(self, |p| sqlx::query(
            "DELETE FROM session WHERE token_hash = $1"
        )
        .bind(&hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Count a failed sign-in under `key` within a window; returns failures so far in the window.
    pub async fn record_login_failure(&self, key: &str, now: i64, window_secs: i64) -> Result<i64> {
        Ok(with_pool!(self, |p| {
            sqlx::query_scalar(
            "INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
               window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END \
             RETURNING failures"
        )
        .bind(key)
        .bind(now)
        .bind(now - window_secs)
        .fetch_one(p)
        .await
        })?)
    }

    /// Failed sign-ins under `key` in the current window.
    pub async fn login_failures(&self, key: &str, now: i64, window_secs: i64) -> Result<i64> {
        let n: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT failures FROM login_throttle WHERE key = $1 AND window_start >= $2"
        )
        .bind(key)
        .bind(now - window_secs)
        .fetch_optional(p)
        .await)?;
        Ok(n.unwrap_or(0))
    }

    /// Forget failures under `key` (after a successful sign-in).
    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "DELETE FROM login_throttle WHERE key = $1"
        )
        .bind(key)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Create a one-time password-reset token; returns its secret.
    pub async fn create_password_reset(
        &self,
        account: AccountId,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String> {
        let (secret, hash) = new_secret();
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO password_reset (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(&hash)
        .bind(account.0)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(p)
        .await.map(|r| r.rows_affected())
        })?;
        Ok(secret)
    }

    /// The account a live, unused reset token belongs to.
    pub async fn password_reset_account(
        &self,
        secret: &str,
        now: i64,
    ) -> Result<Option<AccountId>> {
        let hash = hash_secret(secret);
        let id: Option<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT account_id FROM password_reset WHERE token_hash = $1 AND expires_at > $2 AND used_at IS NULL"
        )
        .bind(&hash)
        .bind(now)
        .fetch_optional(p)
        .await
        })?;
        Ok(id.map(AccountId))
    }

    /// Use a reset token: set the new password once. Returns false when the token is not live.
    pub async fn use_password_reset(
        &self,
        secret: &str,
        now: i64,
        password_hash: &str,
    ) -> Result<Option<AccountId>> {
        let hash = hash_secret(secret);
        let id: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "UPDATE password_reset SET used_at = $2 \
             WHERE token_hash = $1 AND expires_at > $2 AND used_at IS NULL RETURNING account_id"
        )
        .bind(&hash)
        .bind(now)
        .fetch_optional(p)
        .await)?;
        match id {
            Some(id) => {
                self.set_password(AccountId(id), password_hash).await?;
                Ok(Some(AccountId(id)))
            }
            None => Ok(None),
        }
    }

    /// Invite a person of the organisation to create their sign-in; returns the secret for the link.
    pub async fn create_invitation(
        &self,
        org: OrgId,
        person: PersonId,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String> {
        let (secret, hash) = new_secret();
        with_pool!(self, |p| {
            sqlx::query(
            "INSERT INTO invitation (org_id, token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(org.0)
        .bind(&hash)
        .bind(person.0)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(p)
        .await.map(|r| r.rows_affected())
        })?;
        Ok(secret)
    }

    /// The person a live invitation is for.
    pub async fn invitation_person(
        &self,
        org: OrgId,
        secret: &str,
        now: i64,
    ) -> Result<Option<PersonId>> {
        let hash = hash_secret(secret);
        let id: Option<i64> = with_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT person_id FROM invitation WHERE org_id = $1 AND token_hash = $2 AND expires_at > $3 AND accepted_at IS NULL"
        )
        .bind(org.0)
        .bind(&hash)
        .bind(now)
        .fetch_optional(p)
        .await
        })?;
        Ok(id.map(PersonId))
    }

    /// Mark an invitation used.
    pub async fn accept_invitation(&self, org: OrgId, secret: &str, now: i64) -> Result<()> {
        let hash = hash_secret(secret);
        with_pool!(self, |p| sqlx::query(
            "UPDATE invitation SET accepted_at = $3 WHERE org_id = $1 AND token_hash = $2"
        )
        .bind(org.0)
        .bind(&hash)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Create a personal API token in an organisation. The secret embeds the organisation id
    /// (`somu_<org>_<secret>`) so a request finds its token by primary key.
    pub async fn create_api_token(
        &self,
        org: OrgId,
        account: AccountId,
        name: &str,
        scopes: &str,
        expires_at: Option<i64>,
    ) -> Result<(TokenId, String)> {
        let (secret, hash) = new_secret();
        let now = crate::unix_now();
        let id: i64 = retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO api_token (org_id, id, account_id, name, token_hash, scopes, created_at, expires_at) VALUES ($1, ",
                next_id_sql!("api_token"),
                ", $2, $3, $4, $5, $6, $7) RETURNING id"
            ))
            .bind(org.0)
            .bind(account.0)
            .bind(name)
            .bind(&hash)
            .bind(scopes)
            .bind(now)
            .bind(expires_at)
            .fetch_one(p)
            .await)?)
        })
        .await?;
        Ok((TokenId(id), format!("somu_{}_{}", org.0, secret)))
    }

    /// Resolve a bearer token to its owner within the organisation it names; records its use.
    pub async fn api_token_owner(
        &self,
        org: OrgId,
        secret: &str,
        now: i64,
    ) -> Result<Option<TokenOwner>> {
        let hash = hash_secret(secret);
        let owner: Option<TokenOwner> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, account_id, scopes, expires_at FROM api_token \
             WHERE org_id = $1 AND token_hash = $2 AND revoked_at IS NULL"
        )
        .bind(org.0)
        .bind(&hash)
        .fetch_optional(p)
        .await)?;
        let owner = owner.filter(|o| o.expires_at.is_none_or(|e| e > now));
        if let Some(o) = &owner {
            with_pool!(self, |p| sqlx::query(
                "UPDATE api_token SET last_used_at = $3 WHERE org_id = $1 AND id = $2"
            )
            .bind(org.0)
            .bind(o.id)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
        }
        Ok(owner)
    }

    /// The tokens an account holds in an organisation.
    pub async fn api_tokens(&self, org: OrgId, account: AccountId) -> Result<Vec<TokenInfo>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_token \
             WHERE org_id = $1 AND account_id = $2 ORDER BY id DESC"
        )
        .bind(org.0)
        .bind(account.0)
        .fetch_all(p)
        .await
        })?)
    }

    /// Revoke one of an account's tokens. `NotFound` when it is not theirs.
    pub async fn revoke_api_token(
        &self,
        org: OrgId,
        account: AccountId,
        id: TokenId,
        now: i64,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE api_token SET revoked_at = $4 WHERE org_id = $1 AND account_id = $2 AND id = $3 AND revoked_at IS NULL"
        )
        .bind(org.0)
        .bind(account.0)
        .bind(id.0)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
