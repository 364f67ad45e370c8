//! W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (VC Data Integrity
//! EdDSA Cryptosuites v1.0, §3.3).
//!
//! For a document D (without `proof`) and proof options O (the proof without `proofValue`,
//! carrying D's `@context`):
//!
//! ```text
//! hashData  = SHA-256(RDFC-1.0(O)) ‖ SHA-256(RDFC-1.0(D))      (64 bytes)
//! proofValue = "z" + base58btc(Ed25519-sign(secret, hashData))
//! ```

use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use crate::canon::{canonicalize_dataset, CanonError, Canonicalizer};
use crate::keys::Keypair;
use crate::ob3::OpenBadgeCredential;

/// The cryptosuite identifier this module implements.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
/// The proof type of W3C Data Integrity.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The only proof purpose Somu issues and accepts for credentials.
pub const PROOF_PURPOSE: &str = "assertionMethod";

/// Why a credential could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The credential is not a JSON object.
    #[error("the credential must be a JSON object")]
    NotAnObject,
    /// The credential already carries a proof; Somu does not chain proofs.
    #[error("the credential already has a proof")]
    AlreadySigned,
    /// JSON-LD processing failed (e.g. a term no bundled context defines).
    #[error(transparent)]
    Canon(#[from] CanonError),
}

/// Why a signed credential is not accepted. Every variant means "not valid".
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The input is not a well-formed credential with one supported proof.
    #[error("malformed credential: {0}")]
    Malformed(String),
    /// The verification method is not one the resolver knows.
    #[error("unknown verification method {0}")]
    UnknownKey(String),
    /// The key is known but does not belong to the credential's issuer.
    #[error("verification method {method} is not controlled by the issuer {issuer}")]
    IssuerMismatch {
        /// The proof's verification method.
        method: String,
        /// The credential's issuer id.
        issuer: String,
    },
    /// The signature does not match the document: forged or tampered.
    #[error("invalid signature: the credential was altered or not signed by this key")]
    InvalidSignature,
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The verification method (key id) that signed.
    pub verification_method: String,
    /// The proof's `created` timestamp, as written.
    pub created: String,
    /// The issuer id, when the document has an issuer.
    pub issuer: Option<String>,
}

/// Canonical N-Quads of the document that a proof covers: `document` without `proof`.
///
/// # Errors
/// [`CanonError`] when JSON-LD processing fails.
pub fn canonical_document(document: &Value) -> Result<String, CanonError> {
    let mut unsecured = document.clone();
    if let Some(o) = unsecured.as_object_mut() {
        o.remove("proof");
    }
    Canonicalizer::shared()?.canonical_nquads(&unsecured)
}

/// Canonical N-Quads of proof options: `proof` without `proofValue`, under the
/// document's `@context`.
///
/// # Errors
/// [`CanonError`] when JSON-LD processing fails.
pub fn canonical_proof_options(
    document_context: &Value,
    proof: &Map<String, Value>,
) -> Result<String, CanonError> {
    let mut options = proof.clone();
    options.remove("proofValue");
    options.insert("@context".into(), document_context.clone());
    Canonicalizer::shared()?.canonical_nquads(&Value::Object(options))
}

/// `hashData = SHA-256(proof options) ‖ SHA-256(document)`, the 64 bytes that are signed.
pub fn hash_data(canonical_proof_options: &str, canonical_document: &str) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&Sha256::digest(canonical_proof_options.as_bytes()));
    out[32..].copy_from_slice(&Sha256::digest(canonical_document.as_bytes()));
    out
}

/// Multibase base58btc encoding of a signature: `"z" + base58btc(bytes)`.
pub fn encode_proof_value(signature: &[u8; 64]) -> String {
    format!("z{}", bs58::encode(signature).into_string())
}

/// The proof options object Somu writes (before `proofValue` is added).
fn proof_options(verification_method: &str, created: &str) -> Map<String, Value> {
    let mut proof = Map::new();
    proof.insert("type".into(), PROOF_TYPE.into());
    proof.insert("created".into(), created.into());
    proof.insert("verificationMethod".into(), verification_method.into());
    proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
    proof.insert("proofPurpose".into(), PROOF_PURPOSE.into());
    proof
}

/// Sign `credential` with a `DataIntegrityProof` (`eddsa-rdfc-2022`, `assertionMethod`).
///
/// `created` is an XML Schema dateTime such as `"2026-03-02T09:14:00Z"`.
///
/// # Errors
/// [`SignError`].
pub fn sign(
    credential: Value,
    key: &Keypair,
    verification_method: &str,
    created: &str,
) -> Result<Value, SignError> {
    let options = proof_options(verification_method, created);
    let context = context_of(&credential)?;
    let proof_hash = Sha256::digest(canonical_proof_options(&context, &options)?.as_bytes());
    let document = Canonicalizer::shared()?.canonical_nquads(&credential)?;
    attach_proof(credential, &document, key, options, &proof_hash.into())
}

/// Sign many credentials with one key and one `created` time, as a batch issue does.
///
/// The result is the same as calling [`sign`] on each (same order), but the proof options
/// are canonicalised once per distinct `@context` and the work is spread over the machine's
/// cores.
pub fn sign_many(
    credentials: Vec<Value>,
    key: &Keypair,
    verification_method: &str,
    created: &str,
) -> Vec<Result<Value, SignError>> {
    let options = proof_options(verification_method, created);
    let mut proof_hashes: Vec<(Value, [u8; 32])> = Vec::new();
    let jobs: Vec<Result<(Value, [u8; 32]), SignError>> = credentials
        .into_iter()
        .map(|credential| {
            let context = context_of(&credential)?;
            let hash = match proof_hashes.iter().find(|(c, _)| *c == context) {
                Some((_, h)) => *h,
                None => {
                    let h: [u8; 32] =
                        Sha256::digest(canonical_proof_options(&context, &options)?.as_bytes())
                            .into();
                    proof_hashes.push((context, h));
                    h
                }
            };
            Ok((credential, hash))
        })
        .collect();
    parallel_map(jobs, |job| {
        job.and_then(|(credential, hash)| {
            let document = Canonicalizer::shared()?.canonical_nquads(&credential)?;
            attach_proof(credential, &document, key, options.clone(), &hash)
        })
    })
}

/// Sign Somu-built Open Badges credentials: the same output as
/// `sign_many(credentials.iter().map(to_json), …)`, computed through the direct RDF of the
/// known credential shape (see `ob3_rdf`), several times faster.
pub fn sign_open_badges(
    credentials: &[OpenBadgeCredential],
    key: &Keypair,
    verification_method: &str,
    created: &str,
) -> Vec<Result<Value, SignError>> {
    let options = proof_options(verification_method, created);
    let context = serde_json::json!([crate::contexts::VC_V2, crate::contexts::OB_V3P0_3]);
    let proof_hash: Result<[u8; 32], SignError> = canonical_proof_options(&context, &options)
        .map(|c| Sha256::digest(c.as_bytes()).into())
        .map_err(SignError::from);
    let jobs: Vec<&OpenBadgeCredential> = credentials.iter().collect();
    parallel_map(jobs, |credential| {
        let hash = proof_hash
            .as_ref()
            .map_err(|e| SignError::Canon(CanonError::Context(format!("proof options: {e}"))))?;
        let document = canonicalize_dataset(&crate::ob3_rdf::dataset(credential)?)?;
        attach_proof(credential.to_json(), &document, key, options.clone(), hash)
    })
}

/// Apply `work` to every job on all cores, keeping the order.
fn parallel_map<J: Send, R: Send>(
    mut jobs: Vec<J>,
    work: impl Fn(J) -> Result<R, SignError> + Sync,
) -> Vec<Result<R, SignError>> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let mut results = Vec::with_capacity(jobs.len());
    let work = &work;
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        while !jobs.is_empty() {
            let rest = jobs.split_off(chunk.min(jobs.len()));
            let mine = std::mem::replace(&mut jobs, rest);
            let count = mine.len();
            handles.push((
                count,
                scope.spawn(move || mine.into_iter().map(work).collect::<Vec<_>>()),
            ));
        }
        for (count, handle) in handles {
            match handle.join() {
                Ok(part) => results.extend(part),
                // A panic inside the JSON-LD library must not take the caller down; the
                // chunk's credentials are reported unsigned, keeping the order.
                Err(_) => results.extend((0..count).map(|_| {
                    Err(SignError::Canon(CanonError::Expansion(
                        "a signing worker panicked".into(),
                    )))
                })),
            }
        }
    });
    results
}

fn context_of(credential: &Value) -> Result<Value, SignError> {
    let object = credential.as_object().ok_or(SignError::NotAnObject)?;
    if object.contains_key("proof") {
        return Err(SignError::AlreadySigned);
    }
    object
        .get("@context")
        .cloned()
        .ok_or_else(|| SignError::Canon(CanonError::Context("the document has no @context".into())))
}

/// Sign `hashData = proof_hash ‖ SHA-256(document)` and add the proof to `credential`.
fn attach_proof(
    mut credential: Value,
    canonical_document: &str,
    key: &Keypair,
    mut options: Map<String, Value>,
    proof_hash: &[u8; 32],
) -> Result<Value, SignError> {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(proof_hash);
    data[32..].copy_from_slice(&Sha256::digest(canonical_document.as_bytes()));
    let signature = key.sign(&data);
    options.insert("proofValue".into(), encode_proof_value(&signature).into());
    let object = credential.as_object_mut().ok_or(SignError::NotAnObject)?;
    object.insert("proof".into(), Value::Object(options));
    Ok(credential)
}

/// Verify the `eddsa-rdfc-2022` proof of `signed`.
///
/// `resolve_key` maps a verification method id to its public key (e.g.
/// [`crate::keys::resolve_did_key`], or a lookup in Somu's own `did:web` keys); `None` means
/// the key is unknown. The verification method must belong to the issuer: its id, up to
/// `#`, equals the issuer's id.
///
/// # Errors
/// [`VerifyError`]; a credential is valid only when this returns `Ok`.
pub fn verify(
    signed: &Value,
    resolve_key: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<Verification, VerifyError> {
    let malformed = |m: &str| VerifyError::Malformed(m.to_owned());
    let object = signed
        .as_object()
        .ok_or_else(|| malformed("not a JSON object"))?;
    let proof = match object.get("proof") {
        Some(Value::Object(p)) => p,
        Some(Value::Array(ps)) if ps.len() == 1 => ps[0]
            .as_object()
            .ok_or_else(|| malformed("proof is not an object"))?,
        Some(_) => return Err(malformed("expected exactly one proof object")),
        None => return Err(malformed("no proof")),
    };
    let field = |name: &str| {
        proof.get(name).and_then(Value::as_str).ok_or_else(|| {
            VerifyError::Malformed(format!("proof.{name} is missing or not a string"))
        })
    };
    if field("type")? != PROOF_TYPE {
        return Err(malformed("proof.type is not DataIntegrityProof"));
    }
    if field("cryptosuite")? != CRYPTOSUITE {
        return Err(malformed("proof.cryptosuite is not eddsa-rdfc-2022"));
    }
    if field("proofPurpose")? != PROOF_PURPOSE {
        return Err(malformed("proof.proofPurpose is not assertionMethod"));
    }
    let created = field("created")?.to_owned();
    let method = field("verificationMethod")?.to_owned();
    let signature = decode_signature(field("proofValue")?)?;
    let context = object
        .get("@context")
        .ok_or_else(|| malformed("no @context"))?;
    if proof.get("@context").is_some_and(|c| c != context) {
        return Err(malformed(
            "proof.@context differs from the document's @context",
        ));
    }

    let issuer = match object.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => Some(
            o.get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| malformed("issuer.id is missing"))?
                .to_owned(),
        ),
        Some(_) => return Err(malformed("issuer must be a string or an object")),
        None => None,
    };
    if let Some(issuer) = &issuer {
        let controller = method.split_once('#').map_or(method.as_str(), |(c, _)| c);
        if controller != issuer {
            return Err(VerifyError::IssuerMismatch {
                method,
                issuer: issuer.clone(),
            });
        }
    }
    let key = resolve_key(&method).ok_or_else(|| VerifyError::UnknownKey(method.clone()))?;

    let proof_canon = canonical_proof_options(context, proof)
        .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let document_canon =
        canonical_document(signed).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let data = hash_data(&proof_canon, &document_canon);
    key.verify_strict(&data, &signature)
        .map_err(|_| VerifyError::InvalidSignature)?;
    Ok(Verification {
        verification_method: method,
        created,
        issuer,
    })
}

fn decode_signature(proof_value: &str) -> Result<Signature, VerifyError> {
    let b58 = proof_value
        .strip_prefix('z')
        .ok_or_else(|| VerifyError::Malformed("proofValue is not multibase base58btc".into()))?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|e| VerifyError::Malformed(format!("proofValue: {e}")))?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| VerifyError::Malformed("proofValue is not a 64-byte signature".into()))?;
    Ok(Signature::from_bytes(&bytes))
}
