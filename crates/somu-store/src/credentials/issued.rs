//! Issued credentials, the organisation's issuer keys (sealed; the store never sees a secret
//! key in the clear), the signed status lists and the opt-in public profile cards.

use crate::{next_id_sql, retry_on_conflict, with_pool, with_tx, Result, Store, StoreError};
use somu_domain::ids::{OrgId, PersonId};

/// An issuer key of an organisation.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IssuerKey {
    /// Number within the organisation (the DID fragment is `key-{id}`).
    pub id: i64,
    /// Public key, Multikey multibase.
    pub public_key: String,
    /// The secret key sealed with the server's credential secret.
    pub sealed: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Retired (no longer signs; still verifies), if rotated out.
    pub retired_at: Option<i64>,
}

/// A credential as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct CredentialRow {
    /// Number within the organisation; also its bit in the status list.
    pub id: i64,
    /// Public id (verification page `/credentials/{uuid}`).
    pub uuid: String,
    /// The holder.
    pub person_id: i64,
    /// The programme.
    pub programme_id: i64,
    /// `pending` (awaiting approval) or `issued`.
    pub state: String,
    /// Issued (or requested, while pending), Unix seconds.
    pub issued_at: i64,
    /// Expiry, Unix seconds.
    pub valid_until: Option<i64>,
    /// Revoked at, Unix seconds.
    pub revoked_at: Option<i64>,
    /// Why it was revoked.
    pub revoke_reason: String,
    /// The credential this one renews.
    pub replaces_id: Option<i64>,
    /// When the expiry reminder was sent.
    pub reminded_at: Option<i64>,
    /// Evidence shown on the page (JSON).
    pub evidence: String,
    /// The signed `OpenBadgeCredential` (empty while pending).
    pub document: String,
}

const CREDENTIAL_COLUMNS: &str = "id, uuid, person_id, programme_id, state, issued_at, \
    valid_until, revoked_at, revoke_reason, replaces_id, reminded_at, evidence, document";

/// SHA-256 (hex) of a stored credential document: the key of its cached signature verdict.
/// Somu records it when it signs a document (issue, approval) and when a full verification of
/// a stored document succeeds; a document that no longer has it is verified in full again.
pub fn document_hash(document: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(document.as_bytes()))
}

/// A credential as the public verification page reads it: the row, its organisation and the
/// page's caches.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicCredential {
    /// The organisation.
    pub org_id: i64,
    /// The row.
    #[sqlx(flatten)]
    pub row: CredentialRow,
    /// Hash of the document whose proof verified (see [`document_hash`]).
    pub verified_hash: Option<String>,
    /// The page's QR code, drawn once.
    pub qr_svg: Option<String>,
}

/// A credential about to be stored; `document` is filled in by [`Store::sign_credentials`]'s
/// caller once ids are known.
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// Public id.
    pub uuid: String,
    /// Holder.
    pub person: PersonId,
    /// Programme.
    pub programme_id: i64,
    /// `pending` or `issued`.
    pub state: String,
    /// Unix seconds.
    pub issued_at: i64,
    /// Expiry.
    pub valid_until: Option<i64>,
    /// Renews.
    pub replaces_id: Option<i64>,
    /// Evidence (JSON).
    pub evidence: String,
}

impl Store {
    /// The organisation's issuer keys, oldest first.
    pub async fn issuer_keys(&self, org: OrgId) -> Result<Vec<IssuerKey>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, public_key, sealed, created_at, retired_at FROM issuer_key \
             WHERE org_id = $1 ORDER BY id"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// Add a new signing key and retire the current one (rotation). Returns the new key's id.
    pub async fn add_issuer_key(
        &self,
        org: OrgId,
        public_key: &str,
        sealed: &str,
        now: i64,
    ) -> Result<i64> {
        retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                sqlx::query(
                    "UPDATE issuer_key SET retired_at = $2 WHERE org_id = $1 AND retired_at IS NULL",
                )
                .bind(org.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO issuer_key (org_id, id, public_key, sealed, created_at) VALUES ($1, ",
                    next_id_sql!("issuer_key"),
                    ", $2, $3, $4) RETURNING id"
                ))
                .bind(org.0)
                .bind(public_key)
                .bind(sealed)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                id
            }))
        })
        .await
    }

    /// The next credential number (the first id [`Store::insert_credentials`] will use).
    pub async fn next_credential_id(&self, org: OrgId) -> Result<i64> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM credential WHERE org_id = $1"
        )
        .bind(org.0)
        .fetch_one(p)
        .await)?)
    }

    /// Store credentials with consecutive ids from `first` (as returned by
    /// [`Store::next_credential_id`], the ids already written into `documents`), in one
    /// transaction. A concurrent issue that took the ids makes this fail with a conflict and
    /// change nothing; the caller signs again.
    pub async fn insert_credentials(
        &self,
        org: OrgId,
        first: i64,
        creds: &[(NewCredential, String)],
    ) -> Result<()> {
        with_tx!(self, |tx| {
            for (i, (c, document)) in creds.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO credential (org_id, id, uuid, person_id, programme_id, state, \
                     issued_at, valid_until, replaces_id, evidence, document, verified_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(org.0)
                .bind(first + i as i64)
                .bind(&c.uuid)
                .bind(c.person.0)
                .bind(c.programme_id)
                .bind(&c.state)
                .bind(c.issued_at)
                .bind(c.valid_until)
                .bind(c.replaces_id)
                .bind(&c.evidence)
                .bind(document)
                .bind((!document.is_empty()).then(|| document_hash(document)))
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }

    /// Fill in the signed document of a pending credential and mark it issued.
    pub async fn approve_credential(
        &self,
        org: OrgId,
        id: i64,
        document: &str,
        issued_at: i64,
        valid_until: Option<i64>,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE credential SET state = 'issued', document = $3, issued_at = $4, valid_until = $5, \
             verified_hash = $6 WHERE org_id = $1 AND id = $2 AND state = 'pending'"
        )
        .bind(org.0)
        .bind(id)
        .bind(document)
        .bind(issued_at)
        .bind(valid_until)
        .bind(document_hash(document))
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Credentials of the organisation, newest first, optionally of one person or programme.
    pub async fn credentials(
        &self,
        org: OrgId,
        person: Option<PersonId>,
        programme: Option<i64>,
    ) -> Result<Vec<CredentialRow>> {
        let sql = format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credential WHERE org_id = $1 \
             AND ($2 IS NULL OR person_id = $2) AND ($3 IS NULL OR programme_id = $3) \
             ORDER BY id DESC"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(person.map(|p| p.0))
            .bind(programme)
            .fetch_all(p)
            .await)?)
    }

    /// One credential of the organisation.
    pub async fn credential(&self, org: OrgId, id: i64) -> Result<CredentialRow> {
        let sql =
            format!("SELECT {CREDENTIAL_COLUMNS} FROM credential WHERE org_id = $1 AND id = $2");
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(id)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// A credential by its public id, with its organisation (for the public pages only).
    pub async fn credential_by_uuid(&self, uuid: &str) -> Result<(OrgId, CredentialRow)> {
        let c = self.public_credential(uuid).await?;
        Ok((OrgId(c.org_id), c.row))
    }

    /// An issued credential by its public id, with its organisation and page caches, in one
    /// query (the verification page's hot path).
    pub async fn public_credential(&self, uuid: &str) -> Result<PublicCredential> {
        let sql = format!(
            "SELECT org_id, verified_hash, qr_svg, {CREDENTIAL_COLUMNS} FROM credential \
             WHERE uuid = $1 AND state = 'issued'"
        );
        with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(uuid)
            .fetch_optional(p)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    /// Remember that the proof of the document with hash `verified_hash` verified, and/or the
    /// page's QR code (a `None` leaves that cache as it is).
    pub async fn cache_credential_page(
        &self,
        org: OrgId,
        id: i64,
        verified_hash: Option<&str>,
        qr_svg: Option<&str>,
    ) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE credential SET verified_hash = COALESCE($3, verified_hash), \
             qr_svg = COALESCE($4, qr_svg) WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .bind(verified_hash)
        .bind(qr_svg)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Issued, unrevoked credentials that expire after `now` and within `window` seconds and
    /// have had no reminder, oldest expiry first.
    pub async fn credentials_due_reminder(
        &self,
        org: OrgId,
        now: i64,
        window: i64,
    ) -> Result<Vec<CredentialRow>> {
        let sql = format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credential WHERE org_id = $1 AND state = 'issued' \
             AND revoked_at IS NULL AND reminded_at IS NULL AND valid_until > $2 \
             AND valid_until <= $3 ORDER BY valid_until, id"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(&sql)
            .bind(org.0)
            .bind(now)
            .bind(now + window)
            .fetch_all(p)
            .await)?)
    }

    /// Revoke a credential with a reason. Returns false when it was already revoked.
    pub async fn revoke_credential(
        &self,
        org: OrgId,
        id: i64,
        reason: &str,
        now: i64,
    ) -> Result<bool> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE credential SET revoked_at = $3, revoke_reason = $4 \
             WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL AND state = 'issued'"
        )
        .bind(org.0)
        .bind(id)
        .bind(now)
        .bind(reason)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Ids of the organisation's revoked credentials (the set bits of its status list).
    pub async fn revoked_credential_ids(&self, org: OrgId) -> Result<Vec<i64>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT id FROM credential WHERE org_id = $1 AND revoked_at IS NOT NULL ORDER BY id"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// Claim the expiry reminder of a credential: true for exactly one caller however many
    /// servers try at once (the one that set `reminded_at`), which then sends it.
    pub async fn claim_reminder(&self, org: OrgId, id: i64, now: i64) -> Result<bool> {
        let n = with_pool!(self, |p| sqlx::query(
            "UPDATE credential SET reminded_at = $3 WHERE org_id = $1 AND id = $2 \
             AND reminded_at IS NULL"
        )
        .bind(org.0)
        .bind(id)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// The signed status list `id` of the organisation, if published.
    pub async fn status_list(&self, org: OrgId, id: i64) -> Result<Option<String>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT document FROM status_list WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id)
        .fetch_optional(p)
        .await)?)
    }

    /// Publish (replace) a signed status list.
    pub async fn put_status_list(
        &self,
        org: OrgId,
        id: i64,
        document: &str,
        now: i64,
    ) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO status_list (org_id, id, document, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (org_id, id) DO UPDATE SET document = excluded.document, \
             updated_at = excluded.updated_at"
        )
        .bind(org.0)
        .bind(id)
        .bind(document)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Whether `person` holds a current (issued, not revoked, not expired at `now`) credential
    /// of the programme `slug`. "Cleared to post" is `holds_credential(org, p, "cleared-to-post", now)`.
    pub async fn holds_credential(
        &self,
        org: OrgId,
        person: PersonId,
        slug: &str,
        now: i64,
    ) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM credential c JOIN programme g \
             ON g.org_id = c.org_id AND g.id = c.programme_id \
             WHERE c.org_id = $1 AND c.person_id = $2 AND g.slug = $3 AND c.state = 'issued' \
             AND c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until > $4)"
        )
        .bind(org.0)
        .bind(person.0)
        .bind(slug)
        .bind(now)
        .fetch_one(p)
        .await)?;
        Ok(n > 0)
    }

    /// The person's public profile card token, if they opted in.
    pub async fn profile_card(&self, org: OrgId, person: PersonId) -> Result<Option<String>> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT token FROM profile_card WHERE org_id = $1 AND person_id = $2"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_optional(p)
        .await)?)
    }

    /// Opt in (with a fresh token) or out of the public profile card.
    pub async fn set_profile_card(
        &self,
        org: OrgId,
        person: PersonId,
        token: Option<&str>,
    ) -> Result<()> {
        match token {
            Some(t) => with_pool!(self, |p| sqlx::query(
                "INSERT INTO profile_card (org_id, person_id, token) VALUES ($1, $2, $3) \
                 ON CONFLICT (org_id, person_id) DO NOTHING"
            )
            .bind(org.0)
            .bind(person.0)
            .bind(t)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?,
            None => with_pool!(self, |p| sqlx::query(
                "DELETE FROM profile_card WHERE org_id = $1 AND person_id = $2"
            )
            .bind(org.0)
            .bind(person.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?,
        };
        Ok(())
    }

    /// The organisation and person behind a profile card token.
    pub async fn profile_card_owner(&self, token: &str) -> Result<(OrgId, PersonId)> {
        let row: Option<(i64, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT org_id, person_id FROM profile_card WHERE token = $1"
        )
        .bind(token)
        .fetch_optional(p)
        .await)?;
        row.map(|(o, p)| (OrgId(o), PersonId(p)))
            .ok_or(StoreError::NotFound)
    }
}

impl Store {
    /// An organisation by id (the public credential pages know only the credential's row).
    pub async fn org_by_id(&self, org: OrgId) -> Result<crate::org::Org> {
        with_pool!(self, |p| sqlx::query_as(
            "SELECT id, slug, name FROM org WHERE id = $1"
        )
        .bind(org.0)
        .fetch_optional(p)
        .await)?
        .ok_or(StoreError::NotFound)
    }
}

impl Store {
    /// (id, name) of every active person, by name: the rows of a programme owner's table.
    pub async fn people_brief(&self, org: OrgId) -> Result<Vec<(i64, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM person WHERE org_id = $1 AND active = TRUE ORDER BY name, id"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }
}
