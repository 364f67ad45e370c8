//! Layers around every route: request ids, tracing, metrics, security headers, anti-forgery
//! tokens and error rendering.

use crate::error::AppError;
use crate::i18n::Tr;
use crate::AppState;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::Arc;
use std::time::Instant;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The anti-forgery token of this browser, for forms to embed.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The cookie holding the anti-forgery token.
pub const CSRF_COOKIE: &str = "somu_csrf";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Content Security Policy: no inline script, no framing.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Wrap the routed application in every cross-cutting layer.
pub fn wrap(router: Router, state: AppState) -> Router {
    // A route may set its own, larger limit (see `RouteDef::body_limit`): the innermost
    // `DefaultBodyLimit` is the one extractors see.
    let limit = state.config.upload_limit();
    router
        .layer(from_fn_with_state(state.clone(), csrf))
        .layer(from_fn(render_errors))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(state.metrics.clone(), track))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get(REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Count requests and time them by route pattern.
async fn track(
    State(m): State<Arc<crate::metrics::Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let labels = crate::metrics::LatencyLabels {
        method: method.clone(),
        route: route.clone(),
    };
    m.latency
        .get_or_create(&labels)
        .observe(start.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&crate::metrics::RouteLabels {
            method,
            route,
            status: resp.status().as_u16(),
        })
        .inc();
    resp
}

/// Turn an [`AppError`] left in a response into a page or a problem document.
async fn render_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let tr = Tr::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let resp = next.run(req).await;
    match resp.extensions().get::<Arc<AppError>>() {
        Some(err) if api => err.json(&tr),
        Some(err) => err.page(&tr),
        None => resp,
    }
}

/// Read one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Double-submit anti-forgery check for every state-changing browser request: the form (or the
/// `x-csrf-token` header, or the action's `csrf` query parameter for file uploads) must carry the
/// value of the browser's `somu_csrf` cookie. The JSON API authenticates with bearer tokens and is
/// exempt. Servers keep nothing: the check needs only the request.
async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| t.len() == 48 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(new_token);
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(CsrfToken(token.clone()));
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut req = Request::from_parts(parts, body);
    if !safe && !req.uri().path().starts_with("/api/") {
        let supplied = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_param(req.uri().query(), "csrf"));
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let supplied = match supplied {
            Some(s) => Some(s),
            None if is_form => {
                let (parts, body) = req.into_parts();
                let bytes = match axum::body::to_bytes(body, 2 * 1024 * 1024).await {
                    Ok(b) => b,
                    Err(_) => return AppError::TooLarge.into_response(),
                };
                let found = form_urlencoded::parse(&bytes)
                    .find(|(k, _)| k == "csrf")
                    .map(|(_, v)| v.into_owned());
                req = Request::from_parts(parts, Body::from(bytes));
                found
            }
            None => None,
        };
        if fresh || supplied.as_deref() != Some(token.as_str()) {
            return AppError::Csrf.into_response();
        }
    }
    let mut resp = next.run(req).await;
    if fresh {
        let secure = if state.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"
        )) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}
