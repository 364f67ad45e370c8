//! Issuing and checking credentials: the organisation's issuer identity and sealed keys, the
//! Open Badges credential built from a programme, batch signing, the signed status lists and
//! the verdict a verification page shows. The pages, the API, the demo and `somu bench
//! credentials` all go through here.

use crate::error::{AppError, AppResult};
use crate::AppState;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};
use somu_credentials::keys::{public_key_multibase, resolve_did_key, verifying_key_from_multibase};
use somu_credentials::ob3::{Achievement, Evidence, IssuerProfile, Recipient};
use somu_credentials::status::status_list_credential;
use somu_credentials::{
    did_key_from_public, sign, sign_open_badges, Keypair, OpenBadgeCredential, StatusEntry,
    StatusList, StatusPurpose, VerifyingKey,
};
use somu_domain::ids::{OrgId, PersonId};
use somu_store::credentials::issued::{CredentialRow, IssuerKey, NewCredential};
use somu_store::credentials::Programme;
use somu_store::org::Org;

/// Bits in each status list (the W3C minimum, 16 KiB: herd privacy).
pub const STATUS_BITS: usize = somu_credentials::status::MIN_STATUS_LIST_BITS;

/// XML Schema dateTime (UTC, seconds) of a Unix time.
pub fn xsd(unix: i64) -> String {
    let t = somu_domain::time_util::from_unix(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn seal_key(secret: &str) -> XChaCha20Poly1305 {
    let mut h = Sha256::new();
    h.update(b"somu issuer key seal v1\0");
    h.update(secret.as_bytes());
    XChaCha20Poly1305::new(&h.finalize())
}

/// Seal a secret key for organisation `org`: hex(nonce ‖ XChaCha20-Poly1305(key)), the
/// organisation id bound as associated data so a sealed key cannot be moved to another.
pub fn seal(secret: &str, org: OrgId, key: &Keypair) -> AppResult<String> {
    let nonce: [u8; 24] = rand::thread_rng().gen();
    let aad = org.0.to_be_bytes();
    let ct = seal_key(secret)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &key.secret_bytes(),
                aad: &aad,
            },
        )
        .map_err(|_| AppError::Internal("sealing an issuer key failed".into()))?;
    Ok(format!("{}{}", hex::encode(nonce), hex::encode(ct)))
}

/// Open a sealed key (see [`seal`]).
pub fn unseal(secret: &str, org: OrgId, sealed: &str) -> AppResult<Keypair> {
    let bad = || {
        AppError::Internal(
            "an issuer key cannot be unsealed: is credential_key_secret the one it was sealed with?"
                .into(),
        )
    };
    let bytes = hex::decode(sealed).map_err(|_| bad())?;
    if bytes.len() < 24 {
        return Err(bad());
    }
    let (nonce, ct) = bytes.split_at(24);
    let aad = org.0.to_be_bytes();
    let plain = seal_key(secret)
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
        .map_err(|_| bad())?;
    Keypair::from_secret_bytes(&plain).map_err(|_| bad())
}

/// The organisation's issuer as credentials name it.
#[derive(Debug, Clone)]
pub struct Issuer {
    /// The organisation.
    pub org: Org,
    /// Public base of its pages, e.g. `https://somu.example`.
    pub base: String,
    /// Every key, oldest first.
    pub keys: Vec<IssuerKey>,
    /// Whether the issuer is a `did:web` (production) rather than one `did:key` per key.
    pub did_web: bool,
}

impl Issuer {
    /// `did:web:{host}:o:{org}` (resolving to `{base}/o/{org}/did.json`).
    pub fn did_web_id(&self) -> String {
        let host = self
            .base
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let (host, path) = host.split_once('/').unwrap_or((host, ""));
        let mut did = format!("did:web:{}", host.replace(':', "%3A"));
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            did.push(':');
            did.push_str(seg);
        }
        format!("{did}:o:{}", self.org.slug)
    }

    /// The issuer id and verification method of a key.
    pub fn ids_of(&self, key: &IssuerKey) -> AppResult<(String, String)> {
        if self.did_web {
            let did = self.did_web_id();
            Ok((did.clone(), format!("{did}#key-{}", key.id)))
        } else {
            let vk = verifying_key_from_multibase(&key.public_key)
                .map_err(|e| AppError::Internal(format!("issuer key: {e}")))?;
            let did = did_key_from_public(&vk);
            let fragment = did.trim_start_matches("did:key:").to_string();
            Ok((did.clone(), format!("{did}#{fragment}")))
        }
    }

    /// The key that signs new credentials.
    pub fn current(&self) -> AppResult<&IssuerKey> {
        self.keys
            .iter()
            .rev()
            .find(|k| k.retired_at.is_none())
            .ok_or_else(|| AppError::Internal("the organisation has no issuer key".into()))
    }

    /// URL of the status list signed by key `key_id`.
    pub fn status_list_url(&self, key_id: i64) -> String {
        format!(
            "{}/o/{}/credentials/status/{key_id}",
            self.base, self.org.slug
        )
    }

    /// Find a verification method among this issuer's keys (or any `did:key`).
    pub fn resolve(&self, method: &str) -> Option<VerifyingKey> {
        for k in &self.keys {
            if let Ok((_, m)) = self.ids_of(k) {
                if m == method {
                    return verifying_key_from_multibase(&k.public_key).ok();
                }
            }
        }
        resolve_did_key(method)
    }

    /// The DID document of the `did:web` issuer: every key, retired ones included, so that
    /// old credentials still verify.
    pub fn did_document(&self) -> Value {
        let did = self.did_web_id();
        let keys: Vec<(String, VerifyingKey)> = self
            .keys
            .iter()
            .filter_map(|k| {
                verifying_key_from_multibase(&k.public_key)
                    .ok()
                    .map(|v| (format!("key-{}", k.id), v))
            })
            .collect();
        let refs: Vec<(&str, VerifyingKey)> = keys.iter().map(|(i, v)| (i.as_str(), *v)).collect();
        somu_credentials::did_web_document(&did, &refs)
    }
}

/// The organisation's issuer, creating its first key when it has none.
pub async fn issuer(state: &AppState, org: OrgId) -> AppResult<Issuer> {
    let mut keys = state.store.issuer_keys(org).await?;
    if keys.is_empty() {
        rotate_key(state, org).await?;
        keys = state.store.issuer_keys(org).await?;
    }
    Ok(Issuer {
        org: state.store.org_by_id(org).await?,
        base: state.config.base_url.trim_end_matches('/').to_string(),
        keys,
        did_web: state.config.is_production(),
    })
}

/// Generate a new signing key and retire the current one. Returns the new key's id.
pub async fn rotate_key(state: &AppState, org: OrgId) -> AppResult<i64> {
    let secret = state
        .config
        .credential_secret()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let key = Keypair::generate(&mut rand::rngs::OsRng);
    let sealed = seal(secret, org, &key)?;
    let public = public_key_multibase(&key.verifying_key());
    Ok(state
        .store
        .add_issuer_key(org, &public, &sealed, state.clock.now())
        .await?)
}

/// The secret half of one of the issuer's keys.
pub fn keypair(state: &AppState, issuer: &Issuer, key: &IssuerKey) -> AppResult<Keypair> {
    let secret = state
        .config
        .credential_secret()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    unseal(secret, issuer.org.org_id(), &key.sealed)
}

/// Everything needed to issue one credential.
#[derive(Debug, Clone)]
pub struct Award {
    /// Holder.
    pub person: PersonId,
    /// Holder's email (published only hashed).
    pub email: String,
    /// Evidence items: (name, narrative).
    pub evidence: Vec<(String, String)>,
    /// The credential it renews.
    pub replaces: Option<i64>,
}

/// Build the unsigned badge of credential number `n` (its bit in the status list).
#[allow(clippy::too_many_arguments)] // each is a distinct fact of the credential
pub fn badge(
    issuer: &Issuer,
    issuer_id: &str,
    key_id: i64,
    programme: &Programme,
    uuid: &str,
    n: i64,
    award: &Award,
    issued_at: i64,
    valid_until: Option<i64>,
) -> OpenBadgeCredential {
    OpenBadgeCredential {
        id: format!("{}/credentials/{uuid}", issuer.base),
        name: programme.title.clone(),
        issuer: IssuerProfile {
            id: issuer_id.to_string(),
            name: issuer.org.name.clone(),
            url: Some(format!("{}/o/{}", issuer.base, issuer.org.slug)),
            email: None,
        },
        valid_from: xsd(issued_at),
        valid_until: valid_until.map(xsd),
        recipient: Recipient::HashedEmail {
            email: award.email.clone(),
            salt: uuid.replace('-', ""),
        },
        achievement: Achievement {
            id: format!(
                "{}/o/{}/programmes/{}",
                issuer.base, issuer.org.slug, programme.id
            ),
            name: programme.title.clone(),
            description: programme.summary.clone(),
            criteria_narrative: criteria_narrative(programme),
            achievement_type: Some("Certificate".into()),
            image: None,
        },
        evidence: award
            .evidence
            .iter()
            .map(|(name, narrative)| Evidence {
                id: None,
                name: name.clone(),
                narrative: Some(narrative.clone()),
            })
            .collect(),
        status: Some(StatusEntry {
            list_credential: issuer.status_list_url(key_id),
            index: usize::try_from(n).unwrap_or(0),
            purpose: StatusPurpose::Revocation,
        }),
    }
}

/// The criteria in words, from the programme's requirements.
pub fn criteria_narrative(p: &Programme) -> String {
    use somu_domain::certification::{parse_requirements, Condition};
    let steps = parse_requirements(&p.requirements).unwrap_or_default();
    let lines: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let alts: Vec<String> = s
                .any_of
                .iter()
                .map(|c| match c {
                    Condition::Course { slug } => format!("complete the course {slug}"),
                    Condition::Exam { min_percent } => {
                        format!("pass the written exam with at least {min_percent}%")
                    }
                    Condition::Sessions { count } => {
                        format!("attend {count} instructor-led sessions")
                    }
                    Condition::Capstone { min_percent } => {
                        format!("score at least {min_percent}% on the graded capstone project")
                    }
                })
                .collect();
            format!("{}. {}", i + 1, alts.join(", or "))
        })
        .collect();
    lines.join("\n")
}

/// Expiry of a credential issued at `at` for a programme valid `months` months (30.44-day months).
pub fn expiry(p: &Programme, at: i64) -> Option<i64> {
    p.valid_months.map(|m| at + m * 2_629_746)
}

/// Issue credentials of `programme` in one batch: sign them all (the fast batch path) and
/// store them in one transaction. Pending (approval) awards are stored unsigned. Returns the
/// new credentials' uuids in order.
pub async fn issue(
    state: &AppState,
    org: OrgId,
    programme: &Programme,
    awards: &[Award],
    pending: bool,
) -> AppResult<Vec<String>> {
    let now = state.clock.now();
    let issuer = issuer(state, org).await?;
    let key = issuer.current()?.clone();
    let (issuer_id, method) = issuer.ids_of(&key)?;
    let pair = keypair(state, &issuer, &key)?;
    let valid_until = expiry(programme, now);
    for _attempt in 0..3 {
        let first = state.store.next_credential_id(org).await?;
        if first + awards.len() as i64 >= STATUS_BITS as i64 {
            return Err(AppError::Conflict(
                "this organisation's status list is full".into(),
            ));
        }
        let uuids: Vec<String> = awards
            .iter()
            .map(|_| uuid::Uuid::new_v4().to_string())
            .collect();
        let badges: Vec<OpenBadgeCredential> = awards
            .iter()
            .zip(&uuids)
            .enumerate()
            .map(|(i, (a, u))| {
                badge(
                    &issuer,
                    &issuer_id,
                    key.id,
                    programme,
                    u,
                    first + i as i64,
                    a,
                    now,
                    valid_until,
                )
            })
            .collect();
        let documents: Vec<String> = if pending {
            vec![String::new(); awards.len()]
        } else {
            // Signing is CPU work on every core: off the async workers.
            let (pair, method, created) = (pair.clone(), method.clone(), xsd(now));
            let signed = tokio::task::spawn_blocking(move || {
                sign_open_badges(&badges, &pair, &method, &created)
            })
            .await
            .map_err(|e| AppError::Internal(format!("signing: {e}")))?;
            signed
                .into_iter()
                .map(|r| {
                    r.map(|v| v.to_string())
                        .map_err(|e| AppError::Internal(format!("signing: {e}")))
                })
                .collect::<AppResult<_>>()?
        };
        let rows: Vec<(NewCredential, String)> = awards
            .iter()
            .zip(uuids.iter())
            .zip(documents)
            .map(|((a, u), d)| {
                (
                    NewCredential {
                        uuid: u.clone(),
                        person: a.person,
                        programme_id: programme.id,
                        state: if pending { "pending" } else { "issued" }.into(),
                        issued_at: now,
                        valid_until,
                        replaces_id: a.replaces,
                        evidence: evidence_json(&a.evidence),
                    },
                    d,
                )
            })
            .collect();
        match state.store.insert_credentials(org, first, &rows).await {
            Ok(()) => return Ok(uuids),
            Err(e) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Conflict(
        "credentials were being issued at the same time; try again".into(),
    ))
}

fn evidence_json(items: &[(String, String)]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Sign and issue a credential that was waiting for approval.
pub async fn approve(
    state: &AppState,
    org: OrgId,
    cred: &CredentialRow,
    email: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let programme = state.store.programme(org, cred.programme_id).await?;
    let issuer = issuer(state, org).await?;
    let key = issuer.current()?.clone();
    let (issuer_id, method) = issuer.ids_of(&key)?;
    let pair = keypair(state, &issuer, &key)?;
    let evidence: Vec<(String, String)> = serde_json::from_str(&cred.evidence).unwrap_or_default();
    let award = Award {
        person: PersonId(cred.person_id),
        email: email.to_string(),
        evidence,
        replaces: cred.replaces_id,
    };
    let valid_until = expiry(&programme, now);
    let b = badge(
        &issuer,
        &issuer_id,
        key.id,
        &programme,
        &cred.uuid,
        cred.id,
        &award,
        now,
        valid_until,
    );
    let signed = sign(b.to_json(), &pair, &method, &xsd(now))
        .map_err(|e| AppError::Internal(format!("signing: {e}")))?;
    state
        .store
        .approve_credential(org, cred.id, &signed.to_string(), now, valid_until)
        .await?;
    Ok(())
}

/// Sign and store every status list of the organisation (one per key) from the revoked set.
pub async fn publish_status_lists(state: &AppState, org: OrgId) -> AppResult<()> {
    let issuer = issuer(state, org).await?;
    let revoked = state.store.revoked_credential_ids(org).await?;
    let mut list = StatusList::new(STATUS_BITS).map_err(|e| AppError::Internal(e.to_string()))?;
    for id in revoked {
        if let Ok(i) = usize::try_from(id) {
            list.set(i, true)
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
    }
    let now = state.clock.now();
    for key in &issuer.keys {
        let (issuer_id, method) = issuer.ids_of(key)?;
        let pair = keypair(state, &issuer, key)?;
        let url = issuer.status_list_url(key.id);
        let unsigned = status_list_credential(
            &url,
            &issuer_id,
            &xsd(now),
            StatusPurpose::Revocation,
            &list,
        );
        let signed = sign(unsigned, &pair, &method, &xsd(now))
            .map_err(|e| AppError::Internal(format!("signing the status list: {e}")))?;
        state
            .store
            .put_status_list(org, key.id, &signed.to_string(), now)
            .await?;
    }
    Ok(())
}

/// The published status list `key_id`, publishing the lists first if never published.
pub async fn status_list(state: &AppState, org: OrgId, key_id: i64) -> AppResult<String> {
    if let Some(doc) = state.store.status_list(org, key_id).await? {
        return Ok(doc);
    }
    if !state
        .store
        .issuer_keys(org)
        .await?
        .iter()
        .any(|k| k.id == key_id)
    {
        return Err(AppError::NotFound);
    }
    publish_status_lists(state, org).await?;
    state
        .store
        .status_list(org, key_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// What a verification page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the issuer, in its validity period, not revoked.
    Valid,
    /// Genuine but past `validUntil`.
    Expired,
    /// Genuine but not yet valid.
    NotYetValid,
    /// Genuine but revoked (the reason, where Somu knows it).
    Revoked,
    /// The proof does not verify: altered or not issued by who it names.
    Forged(String),
    /// Not a credential Somu can read (the reason names the place).
    Malformed(String),
}

impl Verdict {
    /// Message id suffix.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Expired => "expired",
            Verdict::NotYetValid => "not-yet-valid",
            Verdict::Revoked => "revoked",
            Verdict::Forged(_) => "forged",
            Verdict::Malformed(_) => "malformed",
        }
    }
}

/// Judge a credential document: its proof against `issuer`'s keys (or a `did:key`), its
/// validity period at `now`, and revocation in `status_list` when given.
pub fn judge(
    document: &Value,
    issuer: Option<&Issuer>,
    status_list: Option<&Value>,
    now: i64,
) -> Verdict {
    use somu_credentials::validity::Validity;
    use somu_credentials::{CheckError, VerifyError};
    let Ok(now) = time::OffsetDateTime::from_unix_timestamp(now) else {
        return Verdict::Malformed("clock".into());
    };
    let resolve = |m: &str| match issuer {
        Some(i) => i.resolve(m),
        None => resolve_did_key(m),
    };
    match somu_credentials::check_certificate(document, resolve, status_list, now) {
        Ok(c) => {
            if let Some(p) = c.ob3_problem {
                return Verdict::Malformed(p.to_string());
            }
            if c.revoked == Some(true) {
                return Verdict::Revoked;
            }
            match c.validity {
                Validity::Valid => Verdict::Valid,
                Validity::Expired => Verdict::Expired,
                _ => Verdict::NotYetValid,
            }
        }
        Err(CheckError::Proof(VerifyError::Malformed(m))) => Verdict::Malformed(m),
        Err(CheckError::Date(e)) => Verdict::Malformed(e.to_string()),
        Err(e) => Verdict::Forged(e.to_string()),
    }
}
