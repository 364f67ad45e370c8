//! Open Badges 3.0 `OpenBadgeCredential`s: a builder that writes every field the OB 3.0
//! data model requires, and a validator that names the first missing one.

use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::contexts::{OB_V3P0_3, VC_V2};
use crate::status::StatusEntry;

/// The issuing organisation (OB 3.0 `Profile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerProfile {
    /// The issuer's id: a `did:web` / `did:key` or an HTTPS URL; proofs must use its keys.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home page.
    pub url: Option<String>,
    /// Contact address.
    pub email: Option<String>,
}

/// Who earned the badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A URI the learner controls (e.g. a `did:`).
    Id(String),
    /// An e-mail address, published only as a salted hash (OB 3.0 `IdentityObject`).
    HashedEmail {
        /// The address; trimmed and lower-cased before hashing.
        email: String,
        /// Random salt, kept by Somu so a holder can prove the address later.
        salt: String,
    },
}

/// What was achieved (OB 3.0 `Achievement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    /// Stable URL of the achievement (e.g. the certification programme's page).
    pub id: String,
    /// Name, e.g. "Social Media Manager".
    pub name: String,
    /// What the holder can do.
    pub description: String,
    /// How it is earned (`criteria.narrative`, Markdown allowed).
    pub criteria_narrative: String,
    /// OB 3.0 achievement type vocabulary term, e.g. `"Certificate"`.
    pub achievement_type: Option<String>,
    /// URL of the badge image.
    pub image: Option<String>,
}

/// A piece of evidence (OB 3.0 `Evidence`), e.g. the graded capstone project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// URL of the evidence, if it has one.
    pub id: Option<String>,
    /// Short name.
    pub name: String,
    /// What it shows.
    pub narrative: Option<String>,
}

/// An Open Badges 3.0 credential before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBadgeCredential {
    /// Unique id of this credential, e.g. `urn:uuid:…` or its verification page URL.
    pub id: String,
    /// Credential name shown by wallets.
    pub name: String,
    /// The issuer.
    pub issuer: IssuerProfile,
    /// XML Schema dateTime from which it is valid (the award time).
    pub valid_from: String,
    /// Expiry (recertification due), if any.
    pub valid_until: Option<String>,
    /// The learner.
    pub recipient: Recipient,
    /// The achievement.
    pub achievement: Achievement,
    /// Evidence items.
    pub evidence: Vec<Evidence>,
    /// Revocation entry in a status list.
    pub status: Option<StatusEntry>,
}

/// `identityHash` of an e-mail: `"sha256$" + hex(SHA-256(lowercase(trim(email)) ‖ salt))`.
pub fn email_identity_hash(email: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(email.trim().to_lowercase().as_bytes());
    h.update(salt.as_bytes());
    format!("sha256${}", hex::encode(h.finalize()))
}

impl OpenBadgeCredential {
    /// The credential as JSON-LD (VC 2.0 data model, OB 3.0.3 context), ready for
    /// [`crate::proof::sign`].
    pub fn to_json(&self) -> Value {
        let mut issuer = Map::new();
        issuer.insert("id".into(), self.issuer.id.clone().into());
        issuer.insert("type".into(), json!(["Profile"]));
        issuer.insert("name".into(), self.issuer.name.clone().into());
        if let Some(url) = &self.issuer.url {
            issuer.insert("url".into(), url.clone().into());
        }
        if let Some(email) = &self.issuer.email {
            issuer.insert("email".into(), email.clone().into());
        }

        let a = &self.achievement;
        let mut achievement = json!({
            "id": a.id,
            "type": ["Achievement"],
            "name": a.name,
            "description": a.description,
            "criteria": { "narrative": a.criteria_narrative },
        });
        if let Some(t) = &a.achievement_type {
            achievement["achievementType"] = t.clone().into();
        }
        if let Some(image) = &a.image {
            achievement["image"] = json!({ "id": image, "type": "Image" });
        }

        let mut subject = json!({ "type": ["AchievementSubject"], "achievement": achievement });
        match &self.recipient {
            Recipient::Id(id) => subject["id"] = id.clone().into(),
            Recipient::HashedEmail { email, salt } => {
                subject["identifier"] = json!([{
                    "type": "IdentityObject",
                    "identityHash": email_identity_hash(email, salt),
                    "identityType": "emailAddress",
                    "hashed": true,
                    "salt": salt,
                }]);
            }
        }

        let mut vc = json!({
            "@context": [VC_V2, OB_V3P0_3],
            "id": self.id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": self.name,
            "issuer": issuer,
            "validFrom": self.valid_from,
            "credentialSubject": subject,
        });
        if let Some(until) = &self.valid_until {
            vc["validUntil"] = until.clone().into();
        }
        if !self.evidence.is_empty() {
            let items: Vec<Value> = self
                .evidence
                .iter()
                .map(|e| {
                    let mut item = json!({ "type": ["Evidence"], "name": e.name });
                    if let Some(id) = &e.id {
                        item["id"] = id.clone().into();
                    }
                    if let Some(n) = &e.narrative {
                        item["narrative"] = n.clone().into();
                    }
                    item
                })
                .collect();
            vc["evidence"] = items.into();
        }
        if let Some(status) = &self.status {
            vc["credentialStatus"] = status.to_json();
        }
        vc
    }
}

/// A required OB 3.0 field that is absent or of the wrong kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("OB 3.0 field `{path}` {problem}")]
pub struct Ob3Error {
    /// JSON path of the field, e.g. `credentialSubject.achievement.criteria`.
    pub path: String,
    /// What is wrong with it.
    pub problem: String,
}

fn err(path: &str, problem: &str) -> Ob3Error {
    Ob3Error {
        path: path.to_owned(),
        problem: problem.to_owned(),
    }
}

fn require<'a>(obj: &'a Value, key: &str, path: &str) -> Result<&'a Value, Ob3Error> {
    obj.get(key).ok_or_else(|| err(path, "is missing"))
}

fn require_str<'a>(obj: &'a Value, key: &str, path: &str) -> Result<&'a str, Ob3Error> {
    require(obj, key, path)?
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err(path, "must be a non-empty string"))
}

/// `type` is a string or an array of strings containing `wanted`.
fn require_type(obj: &Value, wanted: &str, path: &str) -> Result<(), Ob3Error> {
    let found = match require(obj, "type", path)? {
        Value::String(s) => s == wanted,
        Value::Array(items) => items.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    };
    if found {
        Ok(())
    } else {
        Err(err(path, &format!("must include \"{wanted}\"")))
    }
}

/// Check the fields the OB 3.0 data model requires of an `OpenBadgeCredential` (signed or
/// not). Returns the first problem found, naming the field.
///
/// # Errors
/// [`Ob3Error`] with the field's path.
pub fn validate(credential: &Value) -> Result<(), Ob3Error> {
    if !credential.is_object() {
        return Err(err("$", "must be a JSON object"));
    }
    let contexts = require(credential, "@context", "@context")?
        .as_array()
        .ok_or_else(|| err("@context", "must be an array"))?;
    if contexts.first().and_then(Value::as_str) != Some(VC_V2) {
        return Err(err("@context", &format!("must start with \"{VC_V2}\"")));
    }
    let has_ob = contexts.iter().filter_map(Value::as_str).any(|c| {
        c.starts_with("https://purl.imsglobal.org/spec/ob/v3p0/context") && c.ends_with(".json")
    });
    if !has_ob {
        return Err(err("@context", "must include an OB 3.0 context"));
    }
    require_str(credential, "id", "id")?;
    require_type(credential, "VerifiableCredential", "type")?;
    let is_ob = require_type(credential, "OpenBadgeCredential", "type")
        .or_else(|_| require_type(credential, "AchievementCredential", "type"));
    is_ob.map_err(|_| err("type", "must include \"OpenBadgeCredential\""))?;
    require_str(credential, "name", "name")?;
    require_str(credential, "validFrom", "validFrom")?;

    let issuer = require(credential, "issuer", "issuer")?;
    if !issuer.is_object() {
        return Err(err("issuer", "must be a Profile object"));
    }
    require_str(issuer, "id", "issuer.id")?;
    require_type(issuer, "Profile", "issuer.type")?;

    let subject = require(credential, "credentialSubject", "credentialSubject")?;
    if !subject.is_object() {
        return Err(err("credentialSubject", "must be an object"));
    }
    require_type(subject, "AchievementSubject", "credentialSubject.type")?;
    let has_identifier = subject
        .get("identifier")
        .and_then(Value::as_array)
        .is_some_and(|ids| !ids.is_empty());
    if subject.get("id").is_none() && !has_identifier {
        return Err(err(
            "credentialSubject.id",
            "or credentialSubject.identifier is required",
        ));
    }
    if let Some(ids) = subject.get("identifier").and_then(Value::as_array) {
        for (i, id) in ids.iter().enumerate() {
            let path = format!("credentialSubject.identifier[{i}]");
            require_type(id, "IdentityObject", &format!("{path}.type"))?;
            require_str(id, "identityHash", &format!("{path}.identityHash"))?;
            require_str(id, "identityType", &format!("{path}.identityType"))?;
            require(id, "hashed", &format!("{path}.hashed"))?;
        }
    }
    let achievement = require(subject, "achievement", "credentialSubject.achievement")?;
    let ap = "credentialSubject.achievement";
    require_str(achievement, "id", &format!("{ap}.id"))?;
    require_type(achievement, "Achievement", &format!("{ap}.type"))?;
    require_str(achievement, "name", &format!("{ap}.name"))?;
    require_str(achievement, "description", &format!("{ap}.description"))?;
    let criteria = require(achievement, "criteria", &format!("{ap}.criteria"))?;
    if criteria.get("id").is_none() && criteria.get("narrative").is_none() {
        return Err(err(&format!("{ap}.criteria"), "needs an id or a narrative"));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::status::StatusPurpose;

    pub(crate) fn sample() -> OpenBadgeCredential {
        OpenBadgeCredential {
            id: "urn:uuid:2f0b3a4c-0d5e-4f61-9a27-6c3c1f5b8e01".into(),
            name: "Social Media Manager".into(),
            issuer: IssuerProfile {
                id: "did:web:academy.example".into(),
                name: "Example Academy".into(),
                url: Some("https://academy.example".into()),
                email: None,
            },
            valid_from: "2026-03-02T09:14:00Z".into(),
            valid_until: Some("2028-03-02T09:14:00Z".into()),
            recipient: Recipient::HashedEmail {
                email: " Ana@Example.com ".into(),
                salt: "s4lt".into(),
            },
            achievement: Achievement {
                id: "https://academy.example/programmes/smm".into(),
                name: "Social Media Manager".into(),
                description: "Plans and runs an organisation's social media.".into(),
                criteria_narrative: "Three weeks of classes, exam, graded capstone.".into(),
                achievement_type: Some("Certificate".into()),
                image: None,
            },
            evidence: vec![Evidence {
                id: None,
                name: "Capstone project".into(),
                narrative: Some("Strategy handbook for a real client, graded 87/100.".into()),
            }],
            status: Some(StatusEntry {
                list_credential: "https://academy.example/status/1".into(),
                index: 42,
                purpose: StatusPurpose::Revocation,
            }),
        }
    }

    #[test]
    fn email_hash_is_salted_sha256_of_normalised_address() {
        // SHA-256("ana@example.com" ‖ "s4lt"), computed with `printf %s ana@example.coms4lt | sha256sum`.
        assert_eq!(
            email_identity_hash(" Ana@Example.com ", "s4lt"),
            format!(
                "sha256${}",
                hex::encode(Sha256::digest(b"ana@example.coms4lt"))
            )
        );
        assert_ne!(
            email_identity_hash("ana@example.com", "s4lt"),
            email_identity_hash("ana@example.com", "salt")
        );
    }

    #[test]
    fn built_credential_is_valid_and_has_required_fields() {
        let vc = sample().to_json();
        assert_eq!(validate(&vc), Ok(()));
        assert_eq!(vc["@context"][1], OB_V3P0_3);
        assert_eq!(
            vc["credentialSubject"]["identifier"][0]["type"],
            "IdentityObject"
        );
        assert_eq!(vc["credentialStatus"]["type"], "BitstringStatusListEntry");
        assert_eq!(vc["credentialStatus"]["statusListIndex"], "42");
        assert_eq!(vc["validUntil"], "2028-03-02T09:14:00Z");
    }

    #[test]
    fn built_credential_expands_with_every_term_defined() {
        // The strict expansion policy rejects undefined terms, so this proves the builder
        // only writes terms the VC v2 and OB 3.0.3 contexts define.
        let nq = crate::canon::Canonicalizer::shared()
            .unwrap()
            .canonical_nquads(&sample().to_json())
            .unwrap();
        assert!(nq.contains("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash>"));
        assert!(nq.contains("<https://www.w3.org/ns/credentials/status#statusListIndex> \"42\""));
        assert!(!nq.contains("issuer-dependent"));
    }

    #[test]
    fn validator_names_the_missing_field() {
        let mut vc = sample().to_json();
        vc["credentialSubject"]["achievement"]
            .as_object_mut()
            .unwrap()
            .remove("criteria");
        assert_eq!(
            validate(&vc).unwrap_err().path,
            "credentialSubject.achievement.criteria"
        );

        let mut vc = sample().to_json();
        vc.as_object_mut().unwrap().remove("validFrom");
        assert_eq!(validate(&vc).unwrap_err().path, "validFrom");

        let mut vc = sample().to_json();
        vc["issuer"]["type"] = json!(["Organization"]);
        assert_eq!(validate(&vc).unwrap_err().path, "issuer.type");

        let mut vc = sample().to_json();
        vc["credentialSubject"]
            .as_object_mut()
            .unwrap()
            .remove("identifier");
        assert_eq!(validate(&vc).unwrap_err().path, "credentialSubject.id");

        let mut vc = sample().to_json();
        vc["type"] = json!(["VerifiableCredential"]);
        assert_eq!(validate(&vc).unwrap_err().path, "type");
    }
}
