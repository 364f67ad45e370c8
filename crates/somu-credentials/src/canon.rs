//! JSON-LD → RDF → RDFC-1.0 canonical N-Quads, offline and cached.
//!
//! The JSON-LD algorithms are the `json-ld` crate's; canonicalisation is `rdf-canon`'s
//! RDFC-1.0 over `oxrdf`. What Somu adds is speed: processing the `@context` of a credential
//! (two large contexts, VC v2 and OB 3.0.3) costs more than expanding the document itself,
//! and every Somu credential carries the same `@context`. So the processed active context
//! is kept, keyed by the JSON text of `@context`, and the document is expanded under it with
//! its own `@context` removed. That is exactly what the expansion algorithm would do on its
//! first step (JSON-LD 1.1 Expansion, step 9: the active context becomes the result of
//! processing the local `@context`), so the RDF is the same.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use json_ld::expansion::{Action, Expand, Policy};
use json_ld::rdf::RdfQuads as _;
use json_ld::syntax::context::Context as LocalContext;
use json_ld::syntax::TryFromJson as _;
use json_ld::{IriBuf, Process as _, RemoteDocument};
use rdf_types::generator;

use crate::contexts::BUNDLED;

/// The processed active context type of the `json-ld` crate.
type ActiveContext = json_ld::Context;

/// A failure to turn a JSON-LD document into canonical N-Quads.
#[derive(Debug, thiserror::Error)]
pub enum CanonError {
    /// `@context` is absent, not valid, or names a context that is not bundled.
    #[error("invalid or unknown @context: {0}")]
    Context(String),
    /// JSON-LD expansion rejected the document (e.g. an undefined term or an invalid IRI).
    #[error("JSON-LD expansion failed: {0}")]
    Expansion(String),
    /// The document produced an RDF term that is not valid RDF (e.g. a malformed IRI).
    #[error("invalid RDF term: {0}")]
    Rdf(String),
    /// RDFC-1.0 gave up (e.g. a poison graph exceeding the call limit).
    #[error("canonicalisation failed: {0}")]
    Canonicalization(String),
}

/// How many distinct `@context` values the cache keeps; documents from outside may carry
/// any context, and an unbounded cache would let them grow memory without limit.
const CONTEXT_CACHE_LIMIT: usize = 32;

/// Upper bound on RDFC-1.0 "hash N-degree quads" calls, so a crafted graph cannot make
/// verification run for ever (RDFC-1.0 §4.4 recommends such a safeguard).
const HNDQ_CALL_LIMIT: usize = 4096;

/// RDFC-1.0 canonical N-Quads of an RDF dataset.
///
/// # Errors
/// [`CanonError::Canonicalization`] when the call limit is exceeded.
pub(crate) fn canonicalize_dataset(dataset: &oxrdf::Dataset) -> Result<String, CanonError> {
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(HNDQ_CALL_LIMIT),
    };
    rdf_canon::canonicalize_with::<sha2::Sha256>(dataset, &options)
        .map_err(|e| CanonError::Canonicalization(e.to_string()))
}

/// The offline JSON-LD processor: bundled contexts plus a cache of processed ones.
pub struct Canonicalizer {
    loader: HashMap<IriBuf, RemoteDocument>,
    cache: Mutex<HashMap<String, Arc<ActiveContext>>>,
}

impl Canonicalizer {
    /// Build a processor over the contexts bundled with this crate.
    ///
    /// # Errors
    /// Only if a bundled context is not valid JSON, which the tests rule out.
    pub fn new() -> Result<Self, CanonError> {
        let mut loader = HashMap::new();
        for (url, text) in BUNDLED {
            let iri = IriBuf::new((*url).to_owned())
                .map_err(|e| CanonError::Context(format!("{url}: {e}")))?;
            let json: serde_json::Value = serde_json::from_str(text)
                .map_err(|e| CanonError::Context(format!("{url}: {e}")))?;
            let doc = json_ld::syntax::Value::from_serde_json(json);
            loader.insert(iri.clone(), RemoteDocument::new(Some(iri), None, doc));
        }
        Ok(Self {
            loader,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The process-wide instance. The bundled contexts are constants, so sharing one
    /// processor is sharing a constant, not global state in the sense of configuration.
    ///
    /// # Errors
    /// As [`Canonicalizer::new`].
    pub fn shared() -> Result<&'static Self, CanonError> {
        static SHARED: OnceLock<Result<Canonicalizer, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Self::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| CanonError::Context(e.clone()))
    }

    /// Canonical N-Quads (RDFC-1.0) of a JSON-LD document: the text whose SHA-256 a
    /// Data Integrity proof signs.
    ///
    /// # Errors
    /// See [`CanonError`].
    pub fn canonical_nquads(&self, document: &serde_json::Value) -> Result<String, CanonError> {
        // Documents to verify come from outside; should the JSON-LD library panic on some
        // input, that is a rejected document, not a crashed verifier.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            canonicalize_dataset(&self.to_dataset(document)?)
        }))
        .unwrap_or_else(|_| {
            Err(CanonError::Expansion(
                "the JSON-LD processor failed on this document".into(),
            ))
        })
    }

    /// JSON-LD deserialisation to an RDF dataset (JSON-LD 1.1 API §4.4 toRdf).
    fn to_dataset(&self, document: &serde_json::Value) -> Result<oxrdf::Dataset, CanonError> {
        let object = document
            .as_object()
            .ok_or_else(|| CanonError::Expansion("the document is not a JSON object".into()))?;
        let context_json = object
            .get("@context")
            .ok_or_else(|| CanonError::Context("the document has no @context".into()))?;
        let active = self.active_context(context_json)?;
        let mut body = object.clone();
        body.remove("@context");
        let body = json_ld::syntax::Value::from_serde_json(serde_json::Value::Object(body));

        let options = json_ld::expansion::Options {
            policy: Policy {
                // Like jsonld.js "safe mode": a term the contexts cannot map is an error,
                // never silently dropped, or a signature would not cover it.
                invalid: Action::Reject,
                vocab: Action::Keep,
                allow_undefined: false,
            },
            ..Default::default()
        };
        let mut expanded = futures::executor::block_on(body.expand_full(
            &mut (),
            (*active).clone(),
            None,
            &self.loader,
            options,
            (),
        ))
        .map_err(|e| CanonError::Expansion(e.to_string()))?;

        // toRdf works on the node map, where every node has an identifier; nested nodes
        // without `@id` (e.g. `criteria`) get a fresh blank node label first.
        let mut blanks = generator::Blank::new();
        expanded.identify_all(&mut blanks);
        let mut dataset = oxrdf::Dataset::new();
        for quad in expanded.rdf_quads(&mut blanks, None) {
            dataset.insert(&crate::rdf::to_oxrdf(quad)?);
        }
        Ok(dataset)
    }

    /// The processed `@context`, from the cache or freshly processed.
    fn active_context(
        &self,
        context_json: &serde_json::Value,
    ) -> Result<Arc<ActiveContext>, CanonError> {
        let key = context_json.to_string();
        if let Some(hit) = self.lock_cache().get(&key) {
            return Ok(Arc::clone(hit));
        }
        let local = LocalContext::try_from_json(json_ld::syntax::Value::from_serde_json(
            context_json.clone(),
        ))
        .map_err(|e| CanonError::Context(e.to_string()))?;
        let processed = futures::executor::block_on(local.process_full(
            &mut (),
            &ActiveContext::default(),
            &self.loader,
            None,
            json_ld::context_processing::Options::default(),
            (),
        ))
        .map_err(|e| CanonError::Context(e.to_string()))?;
        let active = Arc::new(processed.processed);
        let mut cache = self.lock_cache();
        if cache.len() < CONTEXT_CACHE_LIMIT {
            cache.insert(key, Arc::clone(&active));
        }
        Ok(active)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<ActiveContext>>> {
        // A poisoned cache only means another thread panicked mid-insert of a whole entry;
        // the map itself is still consistent.
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
