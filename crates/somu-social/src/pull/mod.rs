//! Live pulls from open APIs: Mastodon (any instance) and the Bluesky public AppView.
//!
//! This is the one part of the crate that talks to the network. [`Http`] sends GET requests and
//! is polite about it: it honours the rate-limit headers (`X-RateLimit-Remaining/Reset` on
//! Mastodon, `RateLimit-Remaining/Reset` on Bluesky) by waiting until the window resets, and
//! retries 429 and 5xx answers with exponential backoff, honouring `Retry-After`. The platform
//! modules turn answers into [`SocialPost`]s with the same rules as the importers; the store drives
//! the pull (lease, cursor, writes).

pub mod bluesky;
mod http;
pub mod mastodon;

#[cfg(test)]
mod tests;

pub use http::{check_base_url, link_next, retry_after, Http, RateLimit};

use crate::SocialPost;
use std::time::Duration;

/// How pulls behave; the web layer fills it from the configuration.
#[derive(Debug, Clone)]
pub struct PullSettings {
    /// Overrides every Mastodon account's own instance (e.g. a proxy or a test server).
    pub mastodon_base_url: Option<String>,
    /// The Bluesky AppView (`https://public.api.bsky.app`).
    pub bluesky_appview_url: String,
    /// Recent posts whose counts are fetched again on every pull (seconds).
    pub refresh_window: i64,
    /// How far back the first pull of an account goes (seconds).
    pub history: i64,
    /// Pages fetched in one run at most; the next run continues where this one stopped.
    pub max_pages: u32,
    /// Retries of one request after a 429, a 5xx or a network failure.
    pub max_retries: u32,
    /// First backoff delay; doubled on every retry.
    pub backoff_base: Duration,
    /// The longest wait a run accepts (rate-limit reset, Retry-After); longer ends the run.
    pub max_wait: Duration,
    /// Per-request time limit.
    pub timeout: Duration,
}

impl Default for PullSettings {
    fn default() -> Self {
        PullSettings {
            mastodon_base_url: None,
            bluesky_appview_url: "https://public.api.bsky.app".into(),
            refresh_window: 14 * 86_400,
            history: 365 * 86_400,
            max_pages: 25,
            max_retries: 5,
            backoff_base: Duration::from_secs(2),
            max_wait: Duration::from_secs(300),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why a request failed for good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PullError {
    /// The server answered with an error status (after retries for 429 and 5xx).
    #[error("{url}: HTTP {status}: {message}")]
    Status {
        /// The address asked.
        url: String,
        /// HTTP status.
        status: u16,
        /// The start of the answer.
        message: String,
    },
    /// No answer (connection refused, time-out, TLS).
    #[error("{url}: {message}")]
    Network {
        /// The address asked.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// An answer without the expected shape.
    #[error("{url}: {field}: {message}")]
    Shape {
        /// The address asked.
        url: String,
        /// The JSON path.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The server asks to wait longer than a run accepts.
    #[error("rate limited until {until} (Unix time)")]
    RateLimited {
        /// When requests may start again (Unix seconds).
        until: i64,
    },
}

/// One page of an account's posts, newest first.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The posts, with the key to fetch each one's replies (Mastodon status id, Bluesky URI).
    pub posts: Vec<(SocialPost, String)>,
    /// Where the next (older) page starts: Mastodon `max_id`, Bluesky `cursor`.
    pub next: Option<String>,
}

/// A profile: the platform's id of the account and its follower count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Mastodon account id or Bluesky DID.
    pub id: String,
    /// Followers now.
    pub followers: Option<i64>,
}

/// Percent-encode a query value (RFC 3986 unreserved characters kept).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An answer without the expected shape, at a JSON path.
pub(crate) fn shape(url: &str, field: String, message: String) -> PullError {
    PullError::Shape {
        url: url.to_string(),
        field,
        message,
    }
}

/// A base URL without its trailing slash.
pub(crate) fn trim_base(base: &str) -> &str {
    base.trim_end_matches('/')
}
