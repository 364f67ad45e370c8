#![forbid(unsafe_code)]
#![warn(missing_docs)]
//! Somu's verifiable credentials: certificates as Open Badges 3.0 `OpenBadgeCredential`s
//! (W3C Verifiable Credentials Data Model 2.0), secured with a W3C Data Integrity proof using
//! the `eddsa-rdfc-2022` cryptosuite, and revoked through a W3C Bitstring Status List.
//!
//! Pure and synchronous, no network: the JSON-LD contexts are bundled ([`contexts`]).
//!
//! - [`keys`]: Ed25519 key pairs, Multikey, `did:key`, `did:web` documents.
//! - [`ob3`]: the credential builder and the OB 3.0 required-field validator.
//! - [`proof`]: [`sign`], [`sign_many`], [`sign_open_badges`] (the fast path), [`verify`].
//! - [`status`]: status lists and status checks.
//! - [`check`]: [`check_certificate`], everything a verification page shows, in one call.
//! - [`validity`]: `validFrom` / `validUntil` against a clock (expiry, recertification).
//! - [`canon`]: JSON-LD → RDFC-1.0 canonical N-Quads, with the processed contexts cached.

pub mod canon;
pub mod check;
pub mod contexts;
pub mod keys;
pub mod ob3;
mod ob3_rdf;
pub mod proof;
mod rdf;
pub mod status;
pub mod validity;

pub use check::{check_certificate, CertificateCheck, CheckError};
pub use keys::{did_key_from_public, did_web_document, Keypair, VerifyingKey};
pub use ob3::OpenBadgeCredential;
pub use proof::{sign, sign_many, sign_open_badges, verify, SignError, Verification, VerifyError};
pub use status::{StatusEntry, StatusList, StatusPurpose};
