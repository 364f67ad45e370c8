//! User stories: an academy issues a certificate, a verifier checks it, the academy
//! revokes it through its status list.

use serde_json::{json, Value};
use somu_credentials::keys::{
    did_key_verification_method, resolve_did_key, verifying_key_from_multibase,
};
use somu_credentials::ob3::{self, Achievement, IssuerProfile, Recipient};
use somu_credentials::status::{check_status, status_list_credential};
use somu_credentials::{
    did_key_from_public, did_web_document, sign, sign_many, sign_open_badges, verify, Keypair,
    OpenBadgeCredential, SignError, StatusEntry, StatusList, StatusPurpose, VerifyError,
    VerifyingKey,
};

const CREATED: &str = "2026-03-02T09:15:00Z";
const LIST_URL: &str = "https://academy.example/status/1";

fn badge(issuer: &str, n: usize) -> OpenBadgeCredential {
    OpenBadgeCredential {
        id: format!("https://academy.example/certificates/{n}"),
        name: "Social Media Manager".into(),
        issuer: IssuerProfile {
            id: issuer.into(),
            name: "Example Academy".into(),
            url: Some("https://academy.example".into()),
            email: Some("certificates@academy.example".into()),
        },
        valid_from: "2026-03-02T09:14:00Z".into(),
        valid_until: None,
        recipient: Recipient::HashedEmail {
            email: format!("learner{n}@example.com"),
            salt: format!("salt-{n}"),
        },
        achievement: Achievement {
            id: "https://academy.example/programmes/smm".into(),
            name: "Social Media Manager".into(),
            description: "Runs an organisation's social media.".into(),
            criteria_narrative: "Courses, exam, attendance, capstone.".into(),
            achievement_type: Some("Certificate".into()),
            image: Some("https://academy.example/smm.png".into()),
        },
        evidence: vec![],
        status: Some(StatusEntry {
            list_credential: LIST_URL.into(),
            index: n,
            purpose: StatusPurpose::Revocation,
        }),
    }
}

#[test]
fn a_did_key_certificate_verifies_and_is_a_valid_ob3_credential() {
    let key = Keypair::generate(&mut rand::rngs::OsRng);
    let did = did_key_from_public(&key.verifying_key());
    let method = did_key_verification_method(&key.verifying_key());
    let signed = sign(badge(&did, 1).to_json(), &key, &method, CREATED).unwrap();

    assert_eq!(ob3::validate(&signed), Ok(()));
    assert_eq!(signed["proof"]["type"], "DataIntegrityProof");
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(signed["proof"]["proofPurpose"], "assertionMethod");
    assert!(signed["proof"]["proofValue"]
        .as_str()
        .unwrap()
        .starts_with('z'));

    let ok = verify(&signed, resolve_did_key).unwrap();
    assert_eq!(ok.issuer.as_deref(), Some(did.as_str()));
    assert_eq!(ok.verification_method, method);
}

#[test]
fn batch_signing_equals_one_by_one_on_both_paths() {
    let key = Keypair::from_seed(&[3; 32]);
    let did = did_key_from_public(&key.verifying_key());
    let method = did_key_verification_method(&key.verifying_key());
    let badges: Vec<OpenBadgeCredential> = (0..7).map(|n| badge(&did, n)).collect();
    let one_by_one: Vec<Value> = badges
        .iter()
        .map(|b| sign(b.to_json(), &key, &method, CREATED).unwrap())
        .collect();
    let batch: Vec<Value> = sign_many(
        badges.iter().map(|b| b.to_json()).collect(),
        &key,
        &method,
        CREATED,
    )
    .into_iter()
    .map(Result::unwrap)
    .collect();
    let fast: Vec<Value> = sign_open_badges(&badges, &key, &method, CREATED)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(batch, one_by_one);
    assert_eq!(fast, one_by_one);
}

#[test]
fn a_did_web_issuer_is_verified_through_its_did_document() {
    let key = Keypair::from_seed(&[5; 32]);
    let did = "did:web:academy.example";
    let doc = did_web_document(did, &[("key-1", key.verifying_key())]);
    // A verifier resolves keys from the published DID document.
    let resolver = |method: &str| -> Option<VerifyingKey> {
        doc["verificationMethod"]
            .as_array()?
            .iter()
            .find(|vm| vm["id"] == method)
            .and_then(|vm| verifying_key_from_multibase(vm["publicKeyMultibase"].as_str()?).ok())
    };
    let signed = sign(
        badge(did, 2).to_json(),
        &key,
        &format!("{did}#key-1"),
        CREATED,
    )
    .unwrap();
    assert!(verify(&signed, resolver).is_ok());
    assert!(matches!(
        verify(&signed, |_| None),
        Err(VerifyError::UnknownKey(m)) if m == "did:web:academy.example#key-1"
    ));
}

#[test]
fn revoking_sets_the_bit_in_a_signed_status_list() {
    let key = Keypair::from_seed(&[8; 32]);
    let did = did_key_from_public(&key.verifying_key());
    let method = did_key_verification_method(&key.verifying_key());
    let certificate = sign(badge(&did, 4242).to_json(), &key, &method, CREATED).unwrap();

    let mut list = StatusList::new(131_072).unwrap();
    let publish = |list: &StatusList| {
        let unsigned =
            status_list_credential(LIST_URL, &did, CREATED, StatusPurpose::Revocation, list);
        sign(unsigned, &key, &method, CREATED).unwrap()
    };

    let published = publish(&list);
    assert!(verify(&published, resolve_did_key).is_ok());
    assert_eq!(check_status(&certificate, &published), Ok(false));

    list.set(4242, true).unwrap();
    let published = publish(&list);
    assert!(verify(&published, resolve_did_key).is_ok());
    assert_eq!(check_status(&certificate, &published), Ok(true));

    // Editing the published list without re-signing is detected.
    let mut forged = published.clone();
    forged["credentialSubject"]["encodedList"] = json!(StatusList::new(131_072).unwrap().encode());
    assert!(matches!(
        verify(&forged, resolve_did_key),
        Err(VerifyError::InvalidSignature)
    ));
}

#[test]
fn signing_refuses_what_it_cannot_cover() {
    let key = Keypair::from_seed(&[1; 32]);
    let method = did_key_verification_method(&key.verifying_key());
    let did = did_key_from_public(&key.verifying_key());

    let signed = sign(badge(&did, 1).to_json(), &key, &method, CREATED).unwrap();
    assert!(matches!(
        sign(signed, &key, &method, CREATED),
        Err(SignError::AlreadySigned)
    ));
    assert!(matches!(
        sign(json!("text"), &key, &method, CREATED),
        Err(SignError::NotAnObject)
    ));

    // A context that is not bundled cannot be loaded offline.
    let mut unknown = badge(&did, 1).to_json();
    unknown["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://example.com/ctx"
    ]);
    assert!(matches!(
        sign(unknown, &key, &method, CREATED),
        Err(SignError::Canon(_))
    ));

    // An id that is not an absolute IRI would drop out of the RDF; the fast path refuses it.
    let mut relative = badge(&did, 1);
    relative.achievement.id = "programmes/smm".into();
    assert!(sign_open_badges(&[relative], &key, &method, CREATED)[0].is_err());
}

#[test]
fn a_credential_with_an_unknown_context_is_not_valid() {
    let key = Keypair::from_seed(&[1; 32]);
    let did = did_key_from_public(&key.verifying_key());
    let method = did_key_verification_method(&key.verifying_key());
    let mut signed = sign(badge(&did, 1).to_json(), &key, &method, CREATED).unwrap();
    signed["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://example.com/ctx"
    ]);
    assert!(matches!(
        verify(&signed, resolve_did_key),
        Err(VerifyError::Malformed(_))
    ));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the text, a Somu certificate verifies, and changing one character of
        /// its name makes it invalid.
        #[test]
        fn sign_then_verify_and_any_edit_breaks_it(name in "\\PC{1,30}", n in 0usize..131_072) {
            let key = Keypair::from_seed(&[11; 32]);
            let did = did_key_from_public(&key.verifying_key());
            let method = did_key_verification_method(&key.verifying_key());
            let mut b = badge(&did, n);
            b.name = name.clone();
            let signed = sign_open_badges(&[b], &key, &method, CREATED).remove(0).unwrap();
            prop_assert!(verify(&signed, resolve_did_key).is_ok());

            let mut edited = signed.clone();
            edited["name"] = json!(format!("{name}."));
            prop_assert!(matches!(
                verify(&edited, resolve_did_key),
                Err(VerifyError::InvalidSignature)
            ));
        }
    }
}

mod verification_page {
    use super::*;
    use somu_credentials::validity::Validity;
    use somu_credentials::{check_certificate, CheckError};
    use time::macros::datetime;

    #[test]
    fn the_page_shows_valid_then_revoked_then_expired() {
        let key = Keypair::from_seed(&[21; 32]);
        let did = did_key_from_public(&key.verifying_key());
        let method = did_key_verification_method(&key.verifying_key());
        let mut b = badge(&did, 99);
        b.valid_until = Some("2028-03-02T09:14:00Z".into());
        let certificate = sign(b.to_json(), &key, &method, CREATED).unwrap();
        let mut list = StatusList::new(131_072).unwrap();
        let publish = |list: &StatusList| {
            let unsigned =
                status_list_credential(LIST_URL, &did, CREATED, StatusPurpose::Revocation, list);
            sign(unsigned, &key, &method, CREATED).unwrap()
        };
        let now = datetime!(2027-01-01 00:00 UTC);

        let page =
            check_certificate(&certificate, resolve_did_key, Some(&publish(&list)), now).unwrap();
        assert!(page.is_good());
        assert_eq!(page.revoked, Some(false));

        list.set(99, true).unwrap();
        let page =
            check_certificate(&certificate, resolve_did_key, Some(&publish(&list)), now).unwrap();
        assert_eq!(page.revoked, Some(true));
        assert!(!page.is_good());

        let later = datetime!(2028-03-02 09:14 UTC);
        let page = check_certificate(&certificate, resolve_did_key, None, later).unwrap();
        assert_eq!(page.validity, Validity::Expired);
        assert_eq!(page.revoked, None);
        assert!(!page.is_good());
    }

    #[test]
    fn a_status_list_from_someone_else_is_refused() {
        let key = Keypair::from_seed(&[21; 32]);
        let did = did_key_from_public(&key.verifying_key());
        let method = did_key_verification_method(&key.verifying_key());
        let certificate = sign(badge(&did, 5).to_json(), &key, &method, CREATED).unwrap();

        // Another party publishes a list at the same URL claiming the badge is revoked.
        let other = Keypair::from_seed(&[22; 32]);
        let other_did = did_key_from_public(&other.verifying_key());
        let mut list = StatusList::new(131_072).unwrap();
        list.set(5, true).unwrap();
        let unsigned = status_list_credential(
            LIST_URL,
            &other_did,
            CREATED,
            StatusPurpose::Revocation,
            &list,
        );
        let foreign = sign(
            unsigned,
            &other,
            &did_key_verification_method(&other.verifying_key()),
            CREATED,
        )
        .unwrap();
        let result = check_certificate(
            &certificate,
            resolve_did_key,
            Some(&foreign),
            datetime!(2027-01-01 00:00 UTC),
        );
        assert!(matches!(result, Err(CheckError::StatusListProof(_))));
    }
}
