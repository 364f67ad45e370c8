//! Everything a verification page says about a certificate, in one call: the proof, the
//! OB 3.0 shape, the validity period and the revocation status.

use serde_json::Value;
use time::OffsetDateTime;

use crate::keys::VerifyingKey;
use crate::ob3::{self, Ob3Error};
use crate::proof::{verify, Verification, VerifyError};
use crate::status::{check_status, StatusError};
use crate::validity::{check_validity, DateError, Validity};

/// The verdict on a certificate whose proof is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateCheck {
    /// Who signed, with which key, when.
    pub proof: Verification,
    /// Where the given time falls in `validFrom` … `validUntil`.
    pub validity: Validity,
    /// `Some(true)` revoked/suspended, `Some(false)` in good standing, `None` when the
    /// certificate has no status entry or no status list was given.
    pub revoked: Option<bool>,
    /// The first missing OB 3.0 field, if any (a signed but incomplete badge).
    pub ob3_problem: Option<Ob3Error>,
}

impl CertificateCheck {
    /// Valid now: proof good (implied), within its period, not revoked, complete.
    pub fn is_good(&self) -> bool {
        self.validity == Validity::Valid && self.revoked != Some(true) && self.ob3_problem.is_none()
    }
}

/// Why a certificate could not be judged. Any of these means "do not trust it".
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The certificate's own proof failed.
    #[error("certificate: {0}")]
    Proof(VerifyError),
    /// The status list credential's proof failed, or it is not the issuer's.
    #[error("status list: {0}")]
    StatusListProof(VerifyError),
    /// The status list does not match the certificate or cannot be decoded.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// `validFrom` / `validUntil` cannot be read.
    #[error(transparent)]
    Date(#[from] DateError),
}

/// Check `certificate` at time `now`, reading revocation from `status_list` (the fetched
/// `BitstringStatusListCredential`) when given. The list must carry a valid proof by the
/// certificate's own issuer; keys are found with `resolve_key` as in [`verify`].
///
/// # Errors
/// [`CheckError`].
pub fn check_certificate(
    certificate: &Value,
    resolve_key: impl Fn(&str) -> Option<VerifyingKey>,
    status_list: Option<&Value>,
    now: OffsetDateTime,
) -> Result<CertificateCheck, CheckError> {
    let proof = verify(certificate, &resolve_key).map_err(CheckError::Proof)?;
    let validity = check_validity(certificate, now)?;
    let revoked = match (status_list, certificate.get("credentialStatus")) {
        (Some(list), Some(_)) => {
            let list_proof = verify(list, &resolve_key).map_err(CheckError::StatusListProof)?;
            if list_proof.issuer != proof.issuer {
                return Err(CheckError::StatusListProof(VerifyError::IssuerMismatch {
                    method: list_proof.verification_method,
                    issuer: proof.issuer.unwrap_or_default(),
                }));
            }
            Some(check_status(certificate, list)?)
        }
        _ => None,
    };
    Ok(CertificateCheck {
        proof,
        validity,
        revoked,
        ob3_problem: ob3::validate(certificate).err(),
    })
}
