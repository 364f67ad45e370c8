//! GET with rate limits and retries.

use super::{PullError, PullSettings};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// What the rate-limit headers of an answer say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests left in the window.
    pub remaining: i64,
    /// When the window resets (Unix seconds).
    pub reset: i64,
}

impl RateLimit {
    /// Read `X-RateLimit-*` (Mastodon: reset is an ISO 8601 time) or `RateLimit-*` (Bluesky: reset
    /// is Unix seconds; some servers send seconds from now, told apart by size).
    pub fn from_headers(h: &HeaderMap, now: i64) -> Option<RateLimit> {
        let text = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::trim);
        let remaining = text("x-ratelimit-remaining")
            .or_else(|| text("ratelimit-remaining"))?
            .parse::<i64>()
            .ok()?;
        let reset = text("x-ratelimit-reset").or_else(|| text("ratelimit-reset"))?;
        let reset = match reset.parse::<i64>() {
            Ok(n) if n < 1_000_000_000 => now + n,
            Ok(n) => n,
            Err(_) => crate::parse_rfc3339(reset)?,
        };
        Some(RateLimit { remaining, reset })
    }
}

/// `Retry-After` as seconds to wait: a number of seconds or an HTTP date.
pub fn retry_after(h: &HeaderMap, now: i64) -> Option<u64> {
    let v = h.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(n) = v.parse::<u64>() {
        return Some(n);
    }
    let format = time::format_description::well_known::Rfc2822;
    let at = time::OffsetDateTime::parse(&v.replace("GMT", "+0000"), &format).ok()?;
    Some(u64::try_from(at.unix_timestamp() - now).unwrap_or(0))
}

/// The `rel="next"` address of a `Link` header.
pub fn link_next(h: &HeaderMap) -> Option<String> {
    let v = h.get("link")?.to_str().ok()?;
    v.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        let url = url.trim().strip_prefix('<')?.strip_suffix('>')?;
        next.then(|| url.to_string())
    })
}

/// The value of a query parameter in an address.
pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A polite HTTP client for the pulls.
pub struct Http {
    client: reqwest::Client,
    settings: PullSettings,
    /// No request before this time (Unix seconds): the rate-limit window is spent.
    paused_until: Mutex<i64>,
}

/// An answer: its JSON and its `Link: rel="next"` address.
pub struct Answer {
    /// The body.
    pub body: Value,
    /// The next page's address, from the `Link` header.
    pub next: Option<String>,
}

impl Http {
    /// A client with the settings' time limit and a descriptive user agent.
    pub fn new(settings: PullSettings) -> Result<Http, PullError> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .user_agent(concat!("Somu/", env!("CARGO_PKG_VERSION"), " (live pulls)"))
            .build()
            .map_err(|e| PullError::Network {
                url: String::new(),
                message: e.to_string(),
            })?;
        Ok(Http {
            client,
            settings,
            paused_until: Mutex::new(0),
        })
    }

    /// The settings.
    pub fn settings(&self) -> &PullSettings {
        &self.settings
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let d = self
            .settings
            .backoff_base
            .saturating_mul(1 << attempt.min(16));
        d.min(self.settings.max_wait)
    }

    /// Wait `d`, or give up when it is longer than a run accepts.
    async fn wait(&self, d: Duration) -> Result<(), PullError> {
        if d > self.settings.max_wait {
            return Err(PullError::RateLimited {
                until: now() + i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
            });
        }
        tokio::time::sleep(d).await;
        Ok(())
    }

    /// GET a JSON document, waiting for the rate-limit window and retrying 429, 5xx and network
    /// failures with exponential backoff (honouring `Retry-After`).
    pub async fn get(&self, url: &str) -> Result<Answer, PullError> {
        let mut attempt = 0u32;
        loop {
            let paused = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
            let t = now();
            if paused > t {
                self.wait(Duration::from_secs(u64::try_from(paused - t).unwrap_or(0)))
                    .await?;
            }
            let sent = self.client.get(url).send().await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    if attempt >= self.settings.max_retries {
                        return Err(PullError::Network {
                            url: url.into(),
                            message: causes(&e),
                        });
                    }
                    self.wait(self.backoff(attempt)).await?;
                    attempt += 1;
                    continue;
                }
            };
            let status = resp.status();
            let headers = resp.headers().clone();
            let t = now();
            if let Some(limit) = RateLimit::from_headers(&headers, t) {
                if limit.remaining <= 0 {
                    *self.paused_until.lock().unwrap_or_else(|e| e.into_inner()) = limit.reset;
                }
            }
            if status.as_u16() == 429 || status.is_server_error() {
                if attempt >= self.settings.max_retries {
                    let message = excerpt(resp.text().await.unwrap_or_default());
                    return Err(PullError::Status {
                        url: url.into(),
                        status: status.as_u16(),
                        message,
                    });
                }
                let wait = retry_after(&headers, t)
                    .map(Duration::from_secs)
                    .unwrap_or_else(|| self.backoff(attempt));
                self.wait(wait).await?;
                attempt += 1;
                continue;
            }
            if !status.is_success() {
                let message = excerpt(resp.text().await.unwrap_or_default());
                return Err(PullError::Status {
                    url: url.into(),
                    status: status.as_u16(),
                    message,
                });
            }
            let next = link_next(&headers);
            let body = resp.json::<Value>().await.map_err(|e| PullError::Shape {
                url: url.into(),
                field: "$".into(),
                message: format!("not JSON: {e}"),
            })?;
            return Ok(Answer { body, next });
        }
    }
}

/// An error with its causes (reqwest's own message leaves out why the connection failed).
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The first 200 characters of an error answer.
fn excerpt(s: String) -> String {
    let s = s.trim();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Check a server address typed by an admin: an `http` or `https` URL with a host and no query
/// or fragment. Unless `private` allows any such address, it must be `https://` to a public DNS
/// name without a port (see [`super::mastodon::public_host`]), so that an organisation's admin
/// cannot make Somu call into its own network. Returns it without a trailing slash, or what is
/// wrong.
pub fn check_base_url(text: &str, private: bool) -> Result<String, &'static str> {
    let text = text.trim();
    let url = reqwest::Url::parse(text)
        .map_err(|_| "write a full address such as https://mastodon.example")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("the address must start with https:// (or http://)");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the address needs a server name");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the address may not carry a query (?…) or a fragment (#…)");
    }
    if !private {
        if url.scheme() != "https" {
            return Err("the address must start with https://");
        }
        let public = url.domain().is_some_and(super::mastodon::public_host);
        if !public || url.port().is_some() {
            return Err(
                "the address must name a public server (no IP address, port or local name)",
            );
        }
    }
    Ok(text.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod base_url_tests {
    use super::check_base_url;

    #[test]
    fn server_addresses_are_checked() {
        assert_eq!(
            check_base_url(" https://m.example/ ", false),
            Ok("https://m.example".into())
        );
        assert_eq!(
            check_base_url("https://appview.example.org/api", false),
            Ok("https://appview.example.org/api".into())
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:9000/api", true),
            Ok("http://127.0.0.1:9000/api".into())
        );
        for bad in [
            "m.example",
            "ftp://m.example",
            "https://m.example/?a=1",
            "https://",
            "",
        ] {
            assert!(check_base_url(bad, true).is_err(), "{bad}");
        }
        // Without private servers allowed: https to a public name only.
        for bad in [
            "http://m.example",
            "https://127.0.0.1",
            "https://[::1]",
            "https://localhost",
            "https://intranet",
            "https://pulls.internal",
            "https://m.example:8443",
        ] {
            assert!(check_base_url(bad, false).is_err(), "{bad}");
        }
    }
}
