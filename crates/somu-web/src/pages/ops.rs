//! Health, readiness, metrics and static assets.

use crate::error::{AppError, AppResult};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// GET /healthz: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// GET /readyz: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// GET /metrics: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let (size, idle) = state.store.pool_stats();
    state.metrics.db_connections.set(i64::from(size));
    state.metrics.db_idle.set(idle as i64);
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

const CSS: &str = include_str!("../../static/somu.css");
const JS: &str = include_str!("../../static/somu.js");

/// GET /static/{file}: the stylesheet and the small progressive-enhancement script.
pub async fn static_file(Path(file): Path<String>) -> AppResult<Response> {
    let (body, mime) = match file.as_str() {
        "somu.css" => (CSS, "text/css; charset=utf-8"),
        "somu.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}
