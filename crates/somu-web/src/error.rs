//! One error type for every handler. Each kind maps to a status code and, depending on where the
//! request came from, to an HTML page or an RFC 9457 problem document. Users never see internals.

use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use somu_domain::{FieldError, FieldErrors};
use somu_store::StoreError;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not there, or not visible to this person (the two are deliberately indistinguishable).
    #[error("not found")]
    NotFound,
    /// Signed in but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in (API) or a bad token.
    #[error("unauthorised")]
    Unauthorized,
    /// The form's anti-forgery token is missing or stale.
    #[error("the form has expired")]
    Csrf,
    /// Input refused; nothing changed.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// The request could not be read at all (malformed JSON, bad query string).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A uniqueness rule was broken.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too large.
    #[error("payload too large")]
    TooLarge,
    /// Too many attempts.
    #[error("too many attempts")]
    TooMany,
    /// Something broke inside Somu.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldError::new(field, code, message).into())
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title_id(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Csrf => "error-csrf",
            AppError::Invalid(_) => "error-invalid",
            AppError::BadRequest(_) => "error-bad-request",
            AppError::Conflict(_) => "error-conflict",
            AppError::TooLarge => "error-too-large",
            AppError::TooMany => "error-too-many",
            AppError::Internal(_) => "error-internal",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            AppError::BadRequest(m) | AppError::Conflict(m) => Some(m.clone()),
            _ => None,
        }
    }

    /// An RFC 9457 problem document.
    pub fn problem(&self, tr: &Tr) -> serde_json::Value {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": tr.t(self.title_id()),
            "status": self.status().as_u16(),
        });
        if let Some(d) = self.detail() {
            body["detail"] = d.into();
        }
        if let AppError::Invalid(errors) = self {
            body["errors"] = serde_json::to_value(errors).unwrap_or_default();
        }
        body
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Marks a response as coming from the JSON API, so errors render as problem documents.
#[derive(Clone, Copy, Debug)]
pub struct ApiRequest;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: &'a Tr,
    title: String,
    detail: Option<String>,
    errors: Vec<FieldError>,
    status: u16,
}

impl AppError {
    /// Render as an HTML page.
    pub fn page(&self, tr: &Tr) -> Response {
        if let AppError::Internal(m) = self {
            tracing::error!(error = %m, "internal error");
        }
        let page = ErrorPage {
            tr,
            title: tr.t(self.title_id()),
            detail: self.detail(),
            errors: match self {
                AppError::Invalid(e) => e.0.clone(),
                _ => Vec::new(),
            },
            status: self.status().as_u16(),
        };
        let html = page.render().unwrap_or_else(|_| "error".into());
        (self.status(), Html(html)).into_response()
    }

    /// Render as a problem document.
    pub fn json(&self, tr: &Tr) -> Response {
        if let AppError::Internal(m) = self {
            tracing::error!(error = %m, "internal error");
        }
        let mut resp = (self.status(), Json(self.problem(tr))).into_response();
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/problem+json"),
        );
        resp
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The response is finished by `render_errors`, which knows the request (API or page,
        // language); the error travels in the extensions.
        let mut resp = self.status().into_response();
        resp.extensions_mut().insert(std::sync::Arc::new(self));
        resp
    }
}

/// Result type for handlers.
pub type AppResult<T> = Result<T, AppError>;
