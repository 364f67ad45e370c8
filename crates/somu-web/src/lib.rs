//! Somu's HTTP layer: routes, pages, the JSON API and its OpenAPI document.
//!
//! **Invariant:** only this crate knows HTTP, HTML and JSON. Handlers parse, authorise (through
//! the route registry, never by hand), call the domain and the store, and render.
#![forbid(unsafe_code)]

pub mod access;
pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod middleware;
pub mod page;
pub mod pages;
pub mod routes;

use axum::Router;
use config::Config;
use somu_store::Store;
use std::sync::Arc;

pub use routes::{route_table, RouteDef};

/// A clock the tests can set. Production reads the system clock.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<i64>,
}

impl Clock {
    /// A clock stuck at a Unix time.
    pub fn fixed(unix: i64) -> Self {
        Clock { fixed: Some(unix) }
    }

    /// Now, as Unix seconds.
    pub fn now(&self) -> i64 {
        self.fixed
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp())
    }
}

/// What every handler can reach. Holds no per-user state: sessions live in the database.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Configuration, read once.
    pub config: Arc<Config>,
    /// Time.
    pub clock: Clock,
    /// Request metrics for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    /// State around a connected store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            clock: Clock::default(),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    middleware::wrap(routes::router(state.clone()), state)
}

/// Serve until `shutdown` resolves, then finish in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Uploads a server stopped mid-import left in the upload directory.
    let dir = state.config.upload_path();
    tokio::task::spawn_blocking(move || {
        let n = pages::remove_stale_uploads(&dir, pages::STALE_UPLOAD);
        if n > 0 {
            tracing::info!(removed = n, dir = %dir.display(), "left-behind uploads removed");
        }
    });
    let mailer = mail::spawn(state.clone());
    let reminders = pages::progress::remind::spawn(state.clone());
    let rollups = pages::analytics::spawn_rollup_tick(state.clone());
    let surveys = pages::surveys::send::spawn(state.clone());
    let credential_reminders = pages::credentials::reminders::spawn(state.clone());
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    if let Some(m) = mailer {
        m.abort();
    }
    reminders.abort();
    rollups.abort();
    surveys.abort();
    credential_reminders.abort();
    result
}
