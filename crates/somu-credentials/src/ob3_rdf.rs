//! The fast issuing path: the RDF of a Somu-built [`OpenBadgeCredential`], written directly.
//!
//! JSON-LD expansion with the `json-ld` crate spends most of its time copying the active
//! context each time a type-scoped context applies (five times per credential), which puts
//! 10,000 signatures well above the 5 s budget. Somu's own credentials have one known shape,
//! so the quads JSON-LD toRdf would produce from [`OpenBadgeCredential::to_json`] under the
//! VC v2 and OB 3.0.3 contexts are written here term by term. The test
//! `fast_path_equals_json_ld` (and the property test beside it) checks that this gives the
//! same canonical N-Quads as the general path for every optional field and for awkward
//! strings; the general path remains what verifies anything.

use oxrdf::{BlankNode, Dataset, GraphName, Literal, NamedNode, Quad, Subject, Term};

use crate::canon::CanonError;
use crate::ob3::{email_identity_hash, OpenBadgeCredential, Recipient};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const CRED: &str = "https://www.w3.org/2018/credentials#";
const OB: &str = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
const SCHEMA: &str = "https://schema.org/";
const STATUS: &str = "https://www.w3.org/ns/credentials/status#";
const XSD_DATETIME: &str = "http://www.w3.org/2001/XMLSchema#dateTime";
/// The OB 3.0.3 context types `hashed` and `url` with `https://` XML Schema IRIs (unlike
/// the VC context's `http://`); the RDF must follow the context, quirk included.
const OB_XSD_BOOLEAN: &str = "https://www.w3.org/2001/XMLSchema#boolean";
/// See [`OB_XSD_BOOLEAN`].
const OB_ANY_URI: &str = "https://www.w3.org/2001/XMLSchema#anyURI";

/// Collects triples in the default graph.
struct Triples {
    dataset: Dataset,
    blanks: usize,
}

impl Triples {
    fn add(&mut self, s: &Subject, p: &str, o: impl Into<Term>) {
        self.dataset.insert(&Quad::new(
            s.clone(),
            NamedNode::new_unchecked(p),
            o,
            GraphName::DefaultGraph,
        ));
    }

    fn typed(&mut self, s: &Subject, class: &str) {
        self.add(s, RDF_TYPE, NamedNode::new_unchecked(class));
    }

    fn text(&mut self, s: &Subject, p: &str, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }

    fn dated(&mut self, s: &Subject, p: &str, value: &str) {
        self.add(
            s,
            p,
            Literal::new_typed_literal(value, NamedNode::new_unchecked(XSD_DATETIME)),
        );
    }

    fn fresh(&mut self) -> Subject {
        self.blanks += 1;
        BlankNode::new_unchecked(format!("b{}", self.blanks)).into()
    }
}

/// An `@id` value as JSON-LD would use it: only absolute IRIs become nodes; anything else
/// is refused here rather than silently left out of what is signed.
fn iri(field: &str, value: &str) -> Result<NamedNode, CanonError> {
    NamedNode::new(value).map_err(|e| CanonError::Rdf(format!("{field} {value:?}: {e}")))
}

/// The RDF dataset of `credential.to_json()` (without proof), as JSON-LD toRdf gives it.
///
/// # Errors
/// [`CanonError::Rdf`] when an id is not an absolute IRI.
pub(crate) fn dataset(credential: &OpenBadgeCredential) -> Result<Dataset, CanonError> {
    let mut t = Triples {
        dataset: Dataset::new(),
        blanks: 0,
    };
    let vc: Subject = iri("id", &credential.id)?.into();
    t.typed(&vc, &format!("{CRED}VerifiableCredential"));
    t.typed(&vc, &format!("{OB}OpenBadgeCredential"));
    t.text(&vc, &format!("{SCHEMA}name"), &credential.name);
    t.dated(&vc, &format!("{CRED}validFrom"), &credential.valid_from);
    if let Some(until) = &credential.valid_until {
        t.dated(&vc, &format!("{CRED}validUntil"), until);
    }

    let issuer_node = iri("issuer.id", &credential.issuer.id)?;
    let issuer: Subject = issuer_node.clone().into();
    t.add(&vc, &format!("{CRED}issuer"), issuer_node);
    t.typed(&issuer, &format!("{OB}Profile"));
    t.text(&issuer, &format!("{SCHEMA}name"), &credential.issuer.name);
    if let Some(url) = &credential.issuer.url {
        t.add(
            &issuer,
            &format!("{SCHEMA}url"),
            Literal::new_typed_literal(url.as_str(), NamedNode::new_unchecked(OB_ANY_URI)),
        );
    }
    if let Some(email) = &credential.issuer.email {
        t.text(&issuer, &format!("{SCHEMA}email"), email);
    }

    let subject = match &credential.recipient {
        Recipient::Id(id) => Subject::from(iri("credentialSubject.id", id)?),
        Recipient::HashedEmail { .. } => t.fresh(),
    };
    t.add(&vc, &format!("{CRED}credentialSubject"), term(&subject));
    t.typed(&subject, &format!("{OB}AchievementSubject"));
    if let Recipient::HashedEmail { email, salt } = &credential.recipient {
        let identity = t.fresh();
        t.add(&subject, &format!("{OB}identifier"), term(&identity));
        t.typed(&identity, &format!("{OB}IdentityObject"));
        t.text(
            &identity,
            &format!("{OB}identityHash"),
            &email_identity_hash(email, salt),
        );
        t.text(&identity, &format!("{OB}identityType"), "emailAddress");
        t.add(
            &identity,
            &format!("{OB}hashed"),
            Literal::new_typed_literal("true", NamedNode::new_unchecked(OB_XSD_BOOLEAN)),
        );
        t.text(&identity, &format!("{OB}salt"), salt);
    }

    let a = &credential.achievement;
    let achievement_node = iri("credentialSubject.achievement.id", &a.id)?;
    let achievement: Subject = achievement_node.clone().into();
    t.add(&subject, &format!("{OB}achievement"), achievement_node);
    t.typed(&achievement, &format!("{OB}Achievement"));
    t.text(&achievement, &format!("{SCHEMA}name"), &a.name);
    t.text(
        &achievement,
        &format!("{SCHEMA}description"),
        &a.description,
    );
    let criteria = t.fresh();
    // The OB 3.0.3 context maps the `criteria` property to the IRI ending in `#Criteria`.
    t.add(&achievement, &format!("{OB}Criteria"), term(&criteria));
    t.text(&criteria, &format!("{OB}narrative"), &a.criteria_narrative);
    if let Some(kind) = &a.achievement_type {
        t.text(&achievement, &format!("{OB}achievementType"), kind);
    }
    if let Some(image) = &a.image {
        let image = iri("credentialSubject.achievement.image.id", image)?;
        t.add(&achievement, &format!("{OB}image"), image.clone());
        t.typed(&image.into(), &format!("{OB}Image"));
    }

    for e in &credential.evidence {
        let node = match &e.id {
            Some(id) => Subject::from(iri("evidence.id", id)?),
            None => t.fresh(),
        };
        t.add(&vc, &format!("{CRED}evidence"), term(&node));
        t.typed(&node, &format!("{OB}Evidence"));
        t.text(&node, &format!("{SCHEMA}name"), &e.name);
        if let Some(n) = &e.narrative {
            t.text(&node, &format!("{OB}narrative"), n);
        }
    }

    if let Some(status) = &credential.status {
        let entry = iri(
            "credentialStatus.id",
            &format!("{}#{}", status.list_credential, status.index),
        )?;
        let list = iri(
            "credentialStatus.statusListCredential",
            &status.list_credential,
        )?;
        t.add(&vc, &format!("{CRED}credentialStatus"), entry.clone());
        let entry: Subject = entry.into();
        t.typed(&entry, &format!("{STATUS}BitstringStatusListEntry"));
        t.text(
            &entry,
            &format!("{STATUS}statusPurpose"),
            status.purpose.as_str(),
        );
        t.text(
            &entry,
            &format!("{STATUS}statusListIndex"),
            &status.index.to_string(),
        );
        t.add(&entry, &format!("{STATUS}statusListCredential"), list);
    }
    Ok(t.dataset)
}

fn term(subject: &Subject) -> Term {
    subject.clone().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::{canonicalize_dataset, Canonicalizer};
    use crate::ob3::tests::sample;
    use crate::ob3::{Evidence, IssuerProfile};
    use proptest::prelude::*;

    /// Both paths must give the same canonical N-Quads, byte for byte.
    fn assert_paths_agree(credential: &OpenBadgeCredential) {
        let general = Canonicalizer::shared()
            .unwrap()
            .canonical_nquads(&credential.to_json())
            .unwrap();
        let fast = canonicalize_dataset(&dataset(credential).unwrap()).unwrap();
        assert_eq!(fast, general, "fast path differs for {credential:#?}");
    }

    #[test]
    fn fast_path_equals_json_ld() {
        let full = sample();
        assert_paths_agree(&full);

        let mut minimal = sample();
        minimal.valid_until = None;
        minimal.evidence.clear();
        minimal.status = None;
        minimal.achievement.achievement_type = None;
        minimal.issuer.url = None;
        minimal.recipient = Recipient::Id("did:example:learner-1".into());
        assert_paths_agree(&minimal);

        let mut rich = sample();
        rich.issuer = IssuerProfile {
            email: Some("badges@academy.example".into()),
            ..rich.issuer
        };
        rich.achievement.image = Some("https://academy.example/badge.png".into());
        rich.evidence.push(Evidence {
            id: Some("https://academy.example/capstones/17".into()),
            name: "Capstone file".into(),
            narrative: None,
        });
        rich.evidence.push(Evidence {
            id: None,
            name: "Attendance".into(),
            narrative: Some("15 of 15 sessions".into()),
        });
        rich.status = Some(crate::status::StatusEntry {
            purpose: crate::status::StatusPurpose::Suspension,
            ..rich.status.unwrap()
        });
        assert_paths_agree(&rich);
    }

    #[test]
    fn a_relative_id_is_refused_not_dropped() {
        let mut c = sample();
        c.achievement.id = "programmes/smm".into();
        assert!(matches!(dataset(&c), Err(CanonError::Rdf(_))));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any text (quotes, backslashes, newlines, non-ASCII) in the free-text fields
        /// gives the same N-Quads on both paths.
        #[test]
        fn paths_agree_on_any_text(
            name in "\\PC{0,40}",
            narrative in "[\"\\\\\n\r\t a-zé€😀]{0,30}",
            email in "[A-Za-z0-9.@ ]{1,20}",
            index in 0usize..200_000,
            with_until in any::<bool>(),
        ) {
            let mut c = sample();
            c.name = name.clone();
            c.achievement.description = name;
            c.achievement.criteria_narrative = narrative.clone();
            c.evidence[0].narrative = Some(narrative);
            c.recipient = Recipient::HashedEmail { email, salt: "x".into() };
            if let Some(s) = c.status.as_mut() {
                s.index = index;
            }
            if !with_until {
                c.valid_until = None;
            }
            assert_paths_agree(&c);
        }
    }
}
