//! Extractors that turn unreadable input into errors naming the field, instead of axum's defaults.

use crate::error::AppError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

fn deser_error(kind: &str, path: String, inner: String) -> AppError {
    // serde reports a missing member at the parent's path; name the member itself.
    if let Some(name) = inner
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let field = if path.is_empty() || path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return AppError::field(&field, "required", "this field is required");
    }
    if path.is_empty() || path == "." {
        AppError::BadRequest(format!("{kind}: {inner}"))
    } else {
        AppError::field(&path, "invalid", inner)
    }
}

/// The whole body, mapping an over-limit body to 413.
async fn body_bytes<S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<axum::body::Bytes, AppError> {
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::BadRequest(e.body_text())
            }
        })
}

/// A URL-encoded form body.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        parse_form(&bytes).map(Form)
    }
}

/// Parse a URL-encoded body or query string, naming the field that is wrong.
pub fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(bytes));
    serde_path_to_error::deserialize(de)
        .map_err(|e| deser_error("form", e.path().to_string(), e.inner().to_string()))
}

fn form_urlencoded_parse(bytes: &[u8]) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(bytes)
}

/// A query string.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| deser_error("query string", e.path().to_string(), e.inner().to_string()))
    }
}

/// A JSON body.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !json_type {
            return Err(AppError::BadRequest(
                "send the body as application/json".into(),
            ));
        }
        let bytes = body_bytes(req, state).await?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(Json).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner();
            if inner.is_syntax() || inner.is_eof() {
                AppError::BadRequest(format!("the body is not valid JSON: {inner}"))
            } else {
                deser_error("body", path, inner.to_string())
            }
        })
    }
}
