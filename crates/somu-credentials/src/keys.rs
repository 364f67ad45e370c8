//! Ed25519 issuer keys, their Multikey encoding, `did:key` and `did:web` documents.

use ed25519_dalek::SigningKey;
pub use ed25519_dalek::VerifyingKey;
use rand_core::CryptoRngCore;
use serde_json::{json, Value};

/// Multicodec prefix of an Ed25519 public key (`ed25519-pub`, code 0xed, varint `0xed 0x01`).
pub const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// A key that cannot be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// Secret key bytes must be the 32-byte seed, or the 64-byte seed ‖ public key.
    #[error("secret key must be 32 or 64 bytes, got {0}")]
    SecretLength(usize),
    /// The 64-byte form's public half does not belong to its seed.
    #[error("the public half of the 64-byte secret key does not match its seed")]
    PublicMismatch,
    /// `publicKeyMultibase` is not `z` + base58btc(0xed01 ‖ 32-byte key).
    #[error("not an Ed25519 Multikey: {0}")]
    Multikey(String),
}

/// An Ed25519 key pair used to sign credentials.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Keypair {
    signing: SigningKey,
}

impl std::fmt::Debug for Keypair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keypair")
            .field("public", &public_key_multibase(&self.verifying_key()))
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl Keypair {
    /// A fresh key pair from the caller's cryptographic RNG (e.g. `rand::rngs::OsRng`).
    pub fn generate<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        Self {
            signing: SigningKey::generate(rng),
        }
    }

    /// The key pair whose secret is this 32-byte seed (RFC 8032 §5.1.5).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// Import a secret exported by [`Keypair::secret_bytes`] (32 bytes), or the common
    /// 64-byte form seed ‖ public key, whose public half is checked.
    ///
    /// # Errors
    /// [`KeyError::SecretLength`] or [`KeyError::PublicMismatch`].
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        match bytes.len() {
            32 | 64 => {
                let mut seed = [0u8; 32];
                seed.copy_from_slice(&bytes[..32]);
                let pair = Self::from_seed(&seed);
                if bytes.len() == 64 && pair.verifying_key().as_bytes()[..] != bytes[32..] {
                    return Err(KeyError::PublicMismatch);
                }
                Ok(pair)
            }
            n => Err(KeyError::SecretLength(n)),
        }
    }

    /// The 32-byte secret seed; keep it secret.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Ed25519 signature (RFC 8032, deterministic) of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.signing.sign(message).to_bytes()
    }
}

/// Multikey `publicKeyMultibase`: `"z"` + base58btc(0xed 0x01 ‖ 32-byte public key).
pub fn public_key_multibase(key: &VerifyingKey) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PUB_MULTICODEC);
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Decode a Multikey `publicKeyMultibase` made by [`public_key_multibase`].
///
/// # Errors
/// [`KeyError::Multikey`] when the prefix, codec, length or point is wrong.
pub fn verifying_key_from_multibase(multibase: &str) -> Result<VerifyingKey, KeyError> {
    let b58 = multibase
        .strip_prefix('z')
        .ok_or_else(|| KeyError::Multikey("must start with 'z' (base58btc)".into()))?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|e| KeyError::Multikey(e.to_string()))?;
    let key = bytes
        .strip_prefix(&ED25519_PUB_MULTICODEC[..])
        .ok_or_else(|| KeyError::Multikey("multicodec is not ed25519-pub (0xed01)".into()))?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| KeyError::Multikey(format!("key is {} bytes, not 32", key.len())))?;
    VerifyingKey::from_bytes(&key).map_err(|e| KeyError::Multikey(e.to_string()))
}

/// `did:key` of an Ed25519 public key: `"did:key:"` + [`public_key_multibase`].
pub fn did_key_from_public(key: &VerifyingKey) -> String {
    format!("did:key:{}", public_key_multibase(key))
}

/// The verification method id of a `did:key`: `did:key:z…#z…` (the fragment repeats the key).
pub fn did_key_verification_method(key: &VerifyingKey) -> String {
    let mb = public_key_multibase(key);
    format!("did:key:{mb}#{mb}")
}

/// Resolve a `did:key` Ed25519 verification method (`did:key:zX#zX`, or the bare DID)
/// to its key, with no network: the key is in the identifier. `None` for anything else,
/// including a fragment that names a different key than the DID.
pub fn resolve_did_key(verification_method: &str) -> Option<VerifyingKey> {
    let rest = verification_method.strip_prefix("did:key:")?;
    let (did_key, fragment) = match rest.split_once('#') {
        Some((k, f)) => (k, Some(f)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| f != did_key) {
        return None;
    }
    verifying_key_from_multibase(did_key).ok()
}

/// A `did:web` DID document listing `keys` as `Multikey` verification methods, each usable
/// for `assertionMethod` (issuing credentials) and `authentication`.
///
/// `key_id` is the fragment (`"key-1"` → `"{did}#key-1"`) or a full id starting with `did`.
pub fn did_web_document(did: &str, keys: &[(&str, VerifyingKey)]) -> Value {
    let ids: Vec<String> = keys
        .iter()
        .map(|(key_id, _)| {
            if key_id.starts_with("did:") {
                (*key_id).to_owned()
            } else {
                format!("{did}#{}", key_id.trim_start_matches('#'))
            }
        })
        .collect();
    let methods: Vec<Value> = keys
        .iter()
        .zip(&ids)
        .map(|((_, key), id)| {
            json!({
                "id": id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase(key),
            })
        })
        .collect();
    json!({
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1"
        ],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8032 §7.1 TEST 1: this seed has this public key.
    const SEED_HEX: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const PUB_HEX: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    fn rfc_pair() -> Keypair {
        let seed: [u8; 32] = hex::decode(SEED_HEX).unwrap().try_into().unwrap();
        Keypair::from_seed(&seed)
    }

    #[test]
    fn seed_gives_rfc8032_public_key() {
        assert_eq!(hex::encode(rfc_pair().verifying_key().as_bytes()), PUB_HEX);
    }

    #[test]
    fn secret_round_trips_in_both_lengths() {
        let pair = rfc_pair();
        let again = Keypair::from_secret_bytes(&pair.secret_bytes()).unwrap();
        assert_eq!(again.verifying_key(), pair.verifying_key());
        let mut long = pair.secret_bytes().to_vec();
        long.extend_from_slice(pair.verifying_key().as_bytes());
        assert!(Keypair::from_secret_bytes(&long).is_ok());
        long[40] ^= 1;
        assert_eq!(
            Keypair::from_secret_bytes(&long).unwrap_err(),
            KeyError::PublicMismatch
        );
        assert_eq!(
            Keypair::from_secret_bytes(&[0; 31]).unwrap_err(),
            KeyError::SecretLength(31)
        );
    }

    #[test]
    fn multikey_matches_the_1edtech_vector() {
        // The 1EdTech OB 3.0 test vector gives this public key and its multibase form.
        let public: [u8; 32] =
            hex::decode("4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5")
                .unwrap()
                .try_into()
                .unwrap();
        let key = VerifyingKey::from_bytes(&public).unwrap();
        let mb = public_key_multibase(&key);
        assert_eq!(mb, "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
        assert_eq!(verifying_key_from_multibase(&mb).unwrap(), key);
        assert_eq!(
            did_key_from_public(&key),
            "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
        );
        assert_eq!(
            resolve_did_key(&did_key_verification_method(&key)),
            Some(key)
        );
        assert_eq!(resolve_did_key(&format!("did:key:{mb}#z6Mkother")), None);
        assert_eq!(resolve_did_key("did:web:example.com#key-1"), None);
    }

    #[test]
    fn multikey_rejects_wrong_codec_and_prefix() {
        assert!(
            verifying_key_from_multibase("6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
                .is_err()
        );
        // 0xe7 0x01 is secp256k1-pub, not Ed25519.
        let other = format!(
            "z{}",
            bs58::encode([[0xe7, 0x01].as_slice(), &[1; 32]].concat()).into_string()
        );
        assert!(verifying_key_from_multibase(&other).is_err());
    }

    #[test]
    fn did_web_document_lists_keys_for_assertion() {
        let key = rfc_pair().verifying_key();
        let doc = did_web_document("did:web:somu.example", &[("key-1", key)]);
        assert_eq!(
            doc["verificationMethod"][0]["id"],
            "did:web:somu.example#key-1"
        );
        assert_eq!(doc["verificationMethod"][0]["type"], "Multikey");
        assert_eq!(
            doc["verificationMethod"][0]["controller"],
            "did:web:somu.example"
        );
        assert_eq!(
            doc["verificationMethod"][0]["publicKeyMultibase"],
            public_key_multibase(&key)
        );
        assert_eq!(doc["assertionMethod"][0], "did:web:somu.example#key-1");
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", rfc_pair());
        assert!(!shown.contains(&SEED_HEX[..16]));
        assert!(shown.contains("redacted"));
    }
}
