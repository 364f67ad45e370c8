//! W3C Bitstring Status List v1.0: revocation of issued credentials.
//!
//! A status list is a bitstring of at least 131,072 bits (16 KiB); bit i belongs to the
//! credential whose `statusListIndex` is i, bit 0 being the left-most (most significant)
//! bit of the first byte. Set means revoked (or suspended, by purpose). It is published as
//!
//! ```text
//! encodedList = "u" + base64url-no-padding(GZIP(bitstring))
//! ```
//!
//! inside a `BitstringStatusListCredential`, signed like any other credential.

use std::io::{Read as _, Write as _};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::contexts::VC_V2;

/// The minimum list length in bits required by the specification (herd privacy).
pub const MIN_STATUS_LIST_BITS: usize = 131_072;

/// The largest list accepted when decoding, in bytes (1 GiB of bits would be a bomb).
const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;

/// What a set bit means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPurpose {
    /// Permanent: the credential is withdrawn.
    Revocation,
    /// Temporary: the credential is on hold.
    Suspension,
}

impl StatusPurpose {
    /// The `statusPurpose` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Revocation => "revocation",
            Self::Suspension => "suspension",
        }
    }
}

/// A status list error.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StatusError {
    /// The list would be shorter than 131,072 bits or not a whole number of bytes.
    #[error(
        "a status list needs a multiple of 8 bits and at least {MIN_STATUS_LIST_BITS}, got {0}"
    )]
    Length(usize),
    /// The index is past the end of the list.
    #[error("status index {index} is outside a list of {len} entries")]
    Index {
        /// Requested index.
        index: usize,
        /// List length in bits.
        len: usize,
    },
    /// `encodedList` is not `u` + base64url(GZIP(bits)).
    #[error("encodedList cannot be decoded: {0}")]
    Encoding(String),
    /// The credential or the list credential lacks a field, or they do not match.
    #[error("status check impossible: {0}")]
    Mismatch(String),
}

/// A bitstring of credential statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl StatusList {
    /// An all-clear list of `bits` entries (at least [`MIN_STATUS_LIST_BITS`], multiple of 8).
    ///
    /// # Errors
    /// [`StatusError::Length`].
    pub fn new(bits: usize) -> Result<Self, StatusError> {
        if bits < MIN_STATUS_LIST_BITS || !bits.is_multiple_of(8) {
            return Err(StatusError::Length(bits));
        }
        Ok(Self {
            bytes: vec![0; bits / 8],
        })
    }

    /// Number of entries (bits).
    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    /// Never true: a list has at least 131,072 entries.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn locate(&self, index: usize) -> Result<(usize, u8), StatusError> {
        if index >= self.len() {
            return Err(StatusError::Index {
                index,
                len: self.len(),
            });
        }
        // Bit 0 is the most significant bit of byte 0.
        Ok((index / 8, 0x80 >> (index % 8)))
    }

    /// Whether entry `index` is set (revoked / suspended).
    ///
    /// # Errors
    /// [`StatusError::Index`].
    pub fn get(&self, index: usize) -> Result<bool, StatusError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.bytes[byte] & mask != 0)
    }

    /// Set (`true`) or clear (`false`) entry `index`.
    ///
    /// # Errors
    /// [`StatusError::Index`].
    pub fn set(&mut self, index: usize, value: bool) -> Result<(), StatusError> {
        let (byte, mask) = self.locate(index)?;
        if value {
            self.bytes[byte] |= mask;
        } else {
            self.bytes[byte] &= !mask;
        }
        Ok(())
    }

    /// `encodedList`: `"u"` + base64url-no-padding(GZIP(bitstring)).
    pub fn encode(&self) -> String {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let compressed = gz
            .write_all(&self.bytes)
            .and_then(|()| gz.finish())
            .unwrap_or_default();
        format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
        )
    }

    /// Decode an `encodedList` made by [`StatusList::encode`] (or any conformant issuer).
    ///
    /// # Errors
    /// [`StatusError::Encoding`] or [`StatusError::Length`].
    pub fn decode(encoded: &str) -> Result<Self, StatusError> {
        let b64 = encoded
            .strip_prefix('u')
            .ok_or_else(|| StatusError::Encoding("must start with 'u' (base64url)".into()))?;
        // Some issuers pad; the specification says no padding, so accept both.
        let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64.trim_end_matches('='))
            .map_err(|e| StatusError::Encoding(e.to_string()))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StatusError::Encoding(e.to_string()))?;
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(StatusError::Encoding("list larger than 16 MiB".into()));
        }
        if bytes.len() * 8 < MIN_STATUS_LIST_BITS {
            return Err(StatusError::Length(bytes.len() * 8));
        }
        Ok(Self { bytes })
    }
}

/// A credential's pointer into a status list (`BitstringStatusListEntry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// URL of the `BitstringStatusListCredential`.
    pub list_credential: String,
    /// The credential's bit in that list.
    pub index: usize,
    /// What a set bit means.
    pub purpose: StatusPurpose,
}

impl StatusEntry {
    /// The `credentialStatus` JSON; its id is `{list_credential}#{index}`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list_credential, self.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose.as_str(),
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list_credential,
        })
    }
}

/// An unsigned `BitstringStatusListCredential` publishing `list`; sign it with
/// [`crate::proof::sign`] and serve it at `id`.
pub fn status_list_credential(
    id: &str,
    issuer: &str,
    valid_from: &str,
    purpose: StatusPurpose,
    list: &StatusList,
) -> Value {
    json!({
        "@context": [VC_V2],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": list.encode(),
        }
    })
}

/// Whether `credential`'s status bit is set in `list_credential` (true = revoked or
/// suspended, per the entry's purpose). The list credential's own proof is checked
/// separately with [`crate::proof::verify`].
///
/// # Errors
/// [`StatusError::Mismatch`] when the entry does not point at this list or a field is
/// missing, and the decoding errors of [`StatusList::decode`].
pub fn check_status(credential: &Value, list_credential: &Value) -> Result<bool, StatusError> {
    let mismatch = |m: &str| StatusError::Mismatch(m.to_owned());
    let entries: Vec<&Value> = match credential.get("credentialStatus") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(entry @ Value::Object(_)) => vec![entry],
        _ => return Err(mismatch("the credential has no credentialStatus")),
    };
    let list_id = list_credential
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| mismatch("the list credential has no id"))?;
    let subject = list_credential
        .get("credentialSubject")
        .ok_or_else(|| mismatch("the list credential has no credentialSubject"))?;
    let list_purpose = subject.get("statusPurpose").and_then(Value::as_str);
    let entry = entries
        .into_iter()
        .find(|e| {
            e.get("type").and_then(Value::as_str) == Some("BitstringStatusListEntry")
                && e.get("statusListCredential").and_then(Value::as_str) == Some(list_id)
                && e.get("statusPurpose").and_then(Value::as_str) == list_purpose
        })
        .ok_or_else(|| mismatch("no BitstringStatusListEntry points at this list and purpose"))?;
    let index: usize = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| mismatch("statusListIndex is not a decimal string"))?;
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or_else(|| mismatch("the list credential has no encodedList"))?;
    StatusList::decode(encoded)?.get(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_zero_is_the_leftmost_bit() {
        let mut list = StatusList::new(MIN_STATUS_LIST_BITS).expect("valid test data");
        list.set(0, true).expect("valid test data");
        list.set(9, true).expect("valid test data");
        // Bits 0 and 9: byte 0 = 1000_0000, byte 1 = 0100_0000.
        assert_eq!(&list.bytes[..2], &[0x80, 0x40]);
        assert!(list.get(9).expect("valid test data"));
        list.set(9, false).expect("valid test data");
        assert!(!list.get(9).expect("valid test data"));
    }

    #[test]
    fn length_and_index_limits() {
        assert_eq!(
            StatusList::new(1000).unwrap_err(),
            StatusError::Length(1000)
        );
        assert_eq!(
            StatusList::new(MIN_STATUS_LIST_BITS + 1).unwrap_err(),
            StatusError::Length(MIN_STATUS_LIST_BITS + 1)
        );
        let list = StatusList::new(MIN_STATUS_LIST_BITS).expect("valid test data");
        assert_eq!(list.len(), 131_072);
        assert!(matches!(list.get(131_072), Err(StatusError::Index { .. })));
    }

    #[test]
    fn encode_decode_round_trip() {
        let mut list = StatusList::new(MIN_STATUS_LIST_BITS).expect("valid test data");
        for i in [1, 7, 8, 65_535, 131_071] {
            list.set(i, true).expect("valid test data");
        }
        let encoded = list.encode();
        assert!(encoded.starts_with('u'));
        assert!(!encoded.contains('=') && !encoded.contains('+') && !encoded.contains('/'));
        // 16 KiB of mostly zeros compresses to well under 1 KiB.
        assert!(encoded.len() < 1024, "{}", encoded.len());
        assert_eq!(StatusList::decode(&encoded).expect("valid test data"), list);
    }

    #[test]
    fn decodes_an_all_zero_16k_list_from_another_encoder() {
        // Another encoder's choices: fastest compression and base64url with padding,
        // which some issuers emit although the specification says no padding.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[0u8; 16_384]).expect("valid test data");
        let padded = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE.encode(gz.finish().expect("valid test data"))
        );
        let list = StatusList::decode(&padded).expect("valid test data");
        assert_eq!(list.len(), MIN_STATUS_LIST_BITS);
        assert!(!list.get(4242).expect("valid test data"));
    }

    #[test]
    fn decode_rejects_garbage_and_short_lists() {
        assert!(matches!(
            StatusList::decode("zabc"),
            Err(StatusError::Encoding(_))
        ));
        assert!(matches!(
            StatusList::decode("u!!!"),
            Err(StatusError::Encoding(_))
        ));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[0u8; 100]).expect("valid test data");
        let short = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(gz.finish().expect("valid test data"))
        );
        assert_eq!(
            StatusList::decode(&short).unwrap_err(),
            StatusError::Length(800)
        );
    }

    #[test]
    fn check_status_follows_the_entry() {
        let entry = StatusEntry {
            list_credential: "https://somu.example/status/7".into(),
            index: 1234,
            purpose: StatusPurpose::Revocation,
        };
        let credential = json!({ "credentialStatus": entry.to_json() });
        let mut list = StatusList::new(MIN_STATUS_LIST_BITS).expect("valid test data");
        let make = |l: &StatusList| {
            status_list_credential(
                "https://somu.example/status/7",
                "did:web:somu.example",
                "2026-01-01T00:00:00Z",
                StatusPurpose::Revocation,
                l,
            )
        };
        assert_eq!(check_status(&credential, &make(&list)), Ok(false));
        list.set(1234, true).expect("valid test data");
        assert_eq!(check_status(&credential, &make(&list)), Ok(true));

        let other = status_list_credential(
            "https://somu.example/status/8",
            "did:web:somu.example",
            "2026-01-01T00:00:00Z",
            StatusPurpose::Revocation,
            &list,
        );
        assert!(matches!(
            check_status(&credential, &other),
            Err(StatusError::Mismatch(_))
        ));
    }
}
