//! Conformance: reproduce the 1EdTech Open Badges 3.0 Data Integrity test vector
//! (eddsa-rdfc-2022) step by step.
//!
//! Source: 1EdTech openbadges-specification, `ob_v3p0/impl/linked-data-proof-ob.html` and
//! `ob_v3p0/impl/test-vectors/obv3p0/`, kept in `shared/conformance/ob3/`.

use std::path::PathBuf;

use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use somu_credentials::keys::{public_key_multibase, Keypair, VerifyingKey};
use somu_credentials::proof::{
    canonical_document, canonical_proof_options, encode_proof_value, hash_data,
};
use somu_credentials::{sign, verify, VerifyError};

/// `shared/conformance/ob3`, beside the repository (or `SOMU_CONFORMANCE_DIR`).
fn vector_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("SOMU_CONFORMANCE_DIR") {
        return PathBuf::from(dir).join("ob3");
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for base in manifest.ancestors() {
        let candidate = base.join("shared/conformance/ob3");
        if candidate.is_dir() {
            return candidate;
        }
    }
    panic!(
        "shared/conformance/ob3 not found above {}",
        manifest.display()
    );
}

fn read(name: &str) -> String {
    std::fs::read_to_string(vector_dir().join(name)).expect("vector file readable")
}

fn vector() -> Value {
    serde_json::from_str(&read("vector.json")).expect("vector.json parses")
}

fn signed_credential() -> Value {
    serde_json::from_str(&read("signed-credential.json")).expect("signed-credential.json parses")
}

fn vector_keypair() -> Keypair {
    let secret = hex::decode(vector()["secret_key_hex"].as_str().unwrap()).unwrap();
    // The vector gives the 64-byte seed ‖ public form; importing checks the public half.
    Keypair::from_secret_bytes(&secret).expect("vector key imports")
}

/// The resolver a verifier would have: only the vector's verification method is known.
fn resolver(method: &str) -> Option<VerifyingKey> {
    let v = vector();
    (method == v["verification_method"].as_str().unwrap()).then(|| vector_keypair().verifying_key())
}

fn unsecured_and_proof() -> (Value, serde_json::Map<String, Value>) {
    let mut doc = signed_credential();
    let proof = doc.as_object_mut().unwrap().remove("proof").unwrap();
    (doc, proof.as_object().unwrap().clone())
}

#[test]
fn key_pair_matches_the_vector() {
    let v = vector();
    let pair = vector_keypair();
    assert_eq!(
        hex::encode(pair.verifying_key().as_bytes()),
        v["public_key_hex"]
    );
    assert_eq!(
        public_key_multibase(&pair.verifying_key()),
        v["public_key_multibase"]
    );
}

#[test]
fn document_canonical_nquads_are_byte_for_byte_equal() {
    let (doc, _) = unsecured_and_proof();
    let canon = canonical_document(&doc).unwrap();
    assert_eq!(canon, read("document-canon.nq"));
    assert_eq!(
        hex::encode(Sha256::digest(canon.as_bytes())),
        vector()["document_hash_hex"]
    );
}

#[test]
fn proof_options_canonical_nquads_are_byte_for_byte_equal() {
    let (doc, proof) = unsecured_and_proof();
    let canon = canonical_proof_options(&doc["@context"], &proof).unwrap();
    assert_eq!(canon, read("proof-canon.nq"));
    assert_eq!(
        hex::encode(Sha256::digest(canon.as_bytes())),
        vector()["proof_hash_hex"]
    );
}

#[test]
fn data_to_sign_signature_and_proof_value_match() {
    let v = vector();
    let data = hash_data(&read("proof-canon.nq"), &read("document-canon.nq"));
    assert_eq!(hex::encode(data), v["data_to_sign_hex"]);
    // Ed25519 is deterministic (RFC 8032), so signing again gives the vector's signature.
    let signature = vector_keypair().sign(&data);
    assert_eq!(hex::encode(signature), v["signature_hex"]);
    assert_eq!(encode_proof_value(&signature), v["proof_value"]);
}

#[test]
fn signing_the_unsecured_credential_reproduces_the_signed_one() {
    let (doc, proof) = unsecured_and_proof();
    let v = vector();
    let signed = sign(
        doc,
        &vector_keypair(),
        v["verification_method"].as_str().unwrap(),
        proof["created"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(signed, signed_credential());
}

#[test]
fn the_signed_credential_verifies() {
    let ok = verify(&signed_credential(), resolver).expect("vector verifies");
    assert_eq!(ok.verification_method, vector()["verification_method"]);
    assert_eq!(ok.created, "2010-01-01T19:23:24Z");
    assert_eq!(
        ok.issuer.as_deref(),
        Some("https://example.edu/issuers/565049")
    );
}

/// A change made to a signed credential.
type Tamper = fn(&mut Value);

/// Each tampering must make verification fail with `InvalidSignature`: the change is in
/// what was signed, so the signature no longer matches.
#[test]
fn tampering_with_any_signed_field_is_detected() {
    let tamperings: Vec<(&str, Tamper)> = vec![
        ("credential name", |c| c["name"] = json!("Teamwork Badge!")),
        ("validFrom", |c| {
            c["validFrom"] = json!("2009-01-01T00:00:00Z")
        }),
        ("issuer name", |c| c["issuer"]["name"] = json!("Evil Corp")),
        ("issuer url", |c| {
            c["issuer"]["url"] = json!("https://evil.example")
        }),
        ("subject id", |c| {
            c["credentialSubject"]["id"] = json!("did:example:someone-else");
        }),
        ("achievement name", |c| {
            c["credentialSubject"]["achievement"]["name"] = json!("Leadership");
        }),
        ("criteria narrative", |c| {
            c["credentialSubject"]["achievement"]["criteria"]["narrative"] = json!("None.");
        }),
        ("added validUntil", |c| {
            c["validUntil"] = json!("2030-01-01T00:00:00Z")
        }),
        ("credential id", |c| {
            c["id"] = json!("http://example.com/credentials/9999")
        }),
        ("added type", |c| {
            c["type"]
                .as_array_mut()
                .unwrap()
                .push(json!("EndorsementCredential"));
        }),
        ("proof created", |c| {
            c["proof"]["created"] = json!("2011-01-01T19:23:24Z")
        }),
    ];
    for (what, tamper) in tamperings {
        let mut c = signed_credential();
        tamper(&mut c);
        match verify(&c, resolver) {
            Err(VerifyError::InvalidSignature) => {}
            other => panic!("tampered {what}: expected InvalidSignature, got {other:?}"),
        }
    }
}

#[test]
fn a_flipped_signature_bit_is_an_invalid_signature() {
    let mut c = signed_credential();
    let mut sig = hex::decode(vector()["signature_hex"].as_str().unwrap()).unwrap();
    sig[10] ^= 0x01;
    c["proof"]["proofValue"] = json!(encode_proof_value(&sig.try_into().unwrap()));
    assert!(matches!(
        verify(&c, resolver),
        Err(VerifyError::InvalidSignature)
    ));
}

#[test]
fn unknown_key_and_malformed_input_are_told_apart() {
    assert!(matches!(
        verify(&signed_credential(), |_| None),
        Err(VerifyError::UnknownKey(_))
    ));

    let mut c = signed_credential();
    c["proof"]["proofValue"] = json!("not-multibase");
    assert!(matches!(
        verify(&c, resolver),
        Err(VerifyError::Malformed(_))
    ));

    let mut c = signed_credential();
    c["proof"]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    assert!(matches!(
        verify(&c, resolver),
        Err(VerifyError::Malformed(_))
    ));

    let mut c = signed_credential();
    c.as_object_mut().unwrap().remove("proof");
    assert!(matches!(
        verify(&c, resolver),
        Err(VerifyError::Malformed(_))
    ));

    assert!(matches!(
        verify(&json!([1, 2]), resolver),
        Err(VerifyError::Malformed(_))
    ));
}

#[test]
fn a_key_not_controlled_by_the_issuer_is_refused() {
    // Re-issuing the vector under another issuer with the same key: the key id still names
    // example.edu, so it must not vouch for a different issuer.
    let mut c = signed_credential();
    c["issuer"]["id"] = json!("https://attacker.example/issuer");
    assert!(matches!(
        verify(&c, resolver),
        Err(VerifyError::IssuerMismatch { .. })
    ));
}

#[test]
fn a_forgery_signed_by_another_key_is_never_valid() {
    let (doc, proof) = unsecured_and_proof();
    let forger = Keypair::from_seed(&[7; 32]);
    let forged = sign(
        doc,
        &forger,
        vector()["verification_method"].as_str().unwrap(),
        proof["created"].as_str().unwrap(),
    )
    .unwrap();
    assert!(matches!(
        verify(&forged, resolver),
        Err(VerifyError::InvalidSignature)
    ));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    /// Places a forger might edit, as JSON pointers into the signed vector.
    const PATHS: &[&str] = &[
        "/name",
        "/id",
        "/validFrom",
        "/issuer",
        "/issuer/id",
        "/issuer/type",
        "/credentialSubject",
        "/credentialSubject/type",
        "/credentialSubject/achievement/criteria",
        "/credentialSubject/achievement/name",
        "/proof/created",
        "/proof/verificationMethod",
        "/proof/proofPurpose",
        "/proof",
        "/@context",
        "/type",
    ];

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::from),
            Just(json!("https://www.w3.org/ns/credentials/v2")),
            Just(json!("Profile")),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z@]{1,8}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// An edit never panics the verifier, and it is accepted only when it leaves the
        /// signed RDF unchanged (e.g. `"type": "Profile"` for `["Profile"]`).
        #[test]
        fn edits_are_rejected_unless_the_rdf_is_unchanged(
            path in prop::sample::select(PATHS),
            value in any_json(),
        ) {
            let original = signed_credential();
            let mut edited = original.clone();
            if let Some(slot) = edited.pointer_mut(path) {
                *slot = value;
            }
            if verify(&edited, resolver).is_ok() {
                prop_assert_eq!(
                    canonical_document(&edited).unwrap(),
                    canonical_document(&original).unwrap()
                );
                let (proof, original_proof) = (&edited["proof"], &original["proof"]);
                let context = &original["@context"];
                prop_assert_eq!(
                    canonical_proof_options(context, proof.as_object().unwrap()).unwrap(),
                    canonical_proof_options(context, original_proof.as_object().unwrap()).unwrap()
                );
            }
        }
    }
}
