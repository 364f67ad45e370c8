//! Bridge from the `json-ld` crate's RDF terms to `oxrdf`, which `rdf-canon` canonicalises.

use json_ld::rdf::QuadRef;
use json_ld::{BlankIdBuf, IriBuf};
use rdf_types::{Id, LiteralType, Term};

use crate::canon::CanonError;

type JsonLdLiteral = rdf_types::Literal<IriBuf>;

/// Convert one quad produced by JSON-LD toRdf into an `oxrdf` quad.
pub(crate) fn to_oxrdf(
    quad: QuadRef<'_, IriBuf, BlankIdBuf, JsonLdLiteral>,
) -> Result<oxrdf::Quad, CanonError> {
    let rdf_types::Quad(subject, predicate, object, graph) = quad;
    let subject = subject_of(&subject)?;
    let predicate = match predicate.as_ref() {
        Id::Iri(iri) => named(iri)?,
        Id::Blank(b) => {
            return Err(CanonError::Rdf(format!(
                "blank node {b} used as a predicate (generalised RDF)"
            )))
        }
    };
    let object: oxrdf::Term = match object {
        Term::Id(id) => subject_of(&id)?.into(),
        Term::Literal(lit) => literal(lit)?.into(),
    };
    let graph = match graph {
        None => oxrdf::GraphName::DefaultGraph,
        Some(Id::Iri(iri)) => named(iri)?.into(),
        Some(Id::Blank(b)) => blank(b)?.into(),
    };
    Ok(oxrdf::Quad::new(subject, predicate, object, graph))
}

fn subject_of(id: &Id<IriBuf, BlankIdBuf>) -> Result<oxrdf::Subject, CanonError> {
    Ok(match id {
        Id::Iri(iri) => named(iri)?.into(),
        Id::Blank(b) => blank(b)?.into(),
    })
}

fn named(iri: &IriBuf) -> Result<oxrdf::NamedNode, CanonError> {
    oxrdf::NamedNode::new(iri.as_str()).map_err(|e| CanonError::Rdf(format!("<{iri}>: {e}")))
}

fn blank(b: &BlankIdBuf) -> Result<oxrdf::BlankNode, CanonError> {
    oxrdf::BlankNode::new(b.suffix()).map_err(|e| CanonError::Rdf(format!("{b}: {e}")))
}

fn literal(lit: JsonLdLiteral) -> Result<oxrdf::Literal, CanonError> {
    Ok(match lit.type_ {
        LiteralType::Any(datatype) => {
            oxrdf::Literal::new_typed_literal(lit.value, named(&datatype)?)
        }
        // Kept as written: RDFC-1.0 does not normalise language tags, and neither does
        // jsonld.js, which the independent verifier uses.
        LiteralType::LangString(tag) => {
            oxrdf::Literal::new_language_tagged_literal_unchecked(lit.value, tag.as_str())
        }
    })
}
