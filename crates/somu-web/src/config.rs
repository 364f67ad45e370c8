//! Configuration: a struct with defaults, read once from an optional TOML file and `SOMU_*`
//! environment variables, then passed down. Secrets are wrapped so that printing masks them.

use serde::Deserialize;
use std::fmt;

/// A value that must not be printed.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"********\"")
        }
    }
}

/// Everything Somu can be told at start-up.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// `sqlite://somu.db` or `postgres://…`; may hold a password, so it is masked when printed.
    pub database_url: Secret,
    /// Most database connections per app server.
    pub database_max_connections: u32,
    /// The public address people reach Somu at (used in mail links and credentials).
    pub base_url: String,
    /// Mark cookies `Secure` (set when Somu is served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// How long a sign-in lasts, in hours.
    pub session_hours: i64,
    /// Log as JSON lines instead of human-readable text.
    pub log_json: bool,
    /// Largest upload accepted, in megabytes.
    pub max_upload_mb: usize,
    /// Largest social export accepted by the browser import, in megabytes. The upload is streamed
    /// to a temporary file, so this bounds disk, not memory.
    pub max_social_upload_mb: usize,
    /// Directory for uploads being imported (social exports are streamed there and deleted when
    /// their import ends); empty: the system's temporary directory. Point it at a disk when the
    /// temporary directory is held in memory (tmpfs).
    pub upload_dir: String,
    /// SMTP relay for outgoing mail (`host:port`); empty keeps mail in the outbox page and the log.
    pub smtp_relay: String,
    /// Sender address for mail.
    pub mail_from: String,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Seals the organisations' credential signing keys at rest (at least 32 characters).
    /// Required when `base_url` is HTTPS; a fixed development value is used otherwise.
    pub credential_key_secret: Secret,
    /// Run scheduled live pulls of linked Mastodon and Bluesky accounts in `somu serve`.
    pub social_pulls: bool,
    /// Minutes between two scheduled pulls of one account.
    pub social_pull_interval_minutes: i64,
    /// One server to ask for every Mastodon account (a proxy, a test server); empty asks each
    /// account's own instance.
    pub mastodon_base_url: String,
    /// Let organisation admins point an account's pulls at `http://` addresses, IP addresses,
    /// ports and local names (a test server, a private network). Off: only `https://` public
    /// DNS names, so an admin cannot make Somu call into its own network.
    pub social_pull_private_servers: bool,
    /// The Bluesky AppView asked for Bluesky accounts.
    pub bluesky_appview_url: String,
    /// Milliseconds a dashboard waits for a report being built before it shows the build's
    /// progress page instead.
    pub report_wait_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8080".into(),
            database_url: Secret("sqlite://somu.db".into()),
            database_max_connections: 8,
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            session_hours: 12,
            log_json: false,
            max_upload_mb: 64,
            max_social_upload_mb: 4096,
            upload_dir: String::new(),
            smtp_relay: String::new(),
            mail_from: "somu@localhost".into(),
            trust_proxy: false,
            credential_key_secret: Secret::default(),
            social_pulls: true,
            social_pull_interval_minutes: 60,
            mastodon_base_url: String::new(),
            social_pull_private_servers: false,
            bluesky_appview_url: "https://public.api.bsky.app".into(),
            report_wait_ms: 1500,
        }
    }
}

/// A configuration problem, naming the place.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML file could not be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// File path.
        path: String,
        /// What is wrong, with line and column where known.
        message: String,
    },
    /// An environment variable has a bad value.
    #[error("environment variable {name}: {message}")]
    Env {
        /// Variable name.
        name: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Read the TOML file when given, then apply `SOMU_*` environment overrides.
    pub fn load(path: Option<&str>) -> Result<Self, ConfigError> {
        let mut cfg = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| ConfigError::File {
                    path: p.into(),
                    message: e.to_string(),
                })?;
                toml_from_str(p, &text)?
            }
            None => Config::default(),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        Ok(cfg)
    }

    /// Apply `SOMU_*` overrides read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, ConfigError> {
            v.parse().map_err(|_| ConfigError::Env {
                name: name.into(),
                message: format!("\"{v}\" is not a valid value"),
            })
        }
        if let Some(v) = get("SOMU_BIND") {
            self.bind = v;
        }
        if let Some(v) = get("SOMU_DATABASE_URL") {
            self.database_url = Secret(v);
        }
        if let Some(v) = get("SOMU_DATABASE_MAX_CONNECTIONS") {
            self.database_max_connections = parse("SOMU_DATABASE_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = get("SOMU_BASE_URL") {
            self.base_url = v;
        }
        if let Some(v) = get("SOMU_SECURE_COOKIES") {
            self.secure_cookies = parse("SOMU_SECURE_COOKIES", &v)?;
        }
        if let Some(v) = get("SOMU_SESSION_HOURS") {
            self.session_hours = parse("SOMU_SESSION_HOURS", &v)?;
        }
        if let Some(v) = get("SOMU_LOG_JSON") {
            self.log_json = parse("SOMU_LOG_JSON", &v)?;
        }
        if let Some(v) = get("SOMU_MAX_UPLOAD_MB") {
            self.max_upload_mb = parse("SOMU_MAX_UPLOAD_MB", &v)?;
        }
        if let Some(v) = get("SOMU_MAX_SOCIAL_UPLOAD_MB") {
            self.max_social_upload_mb = parse("SOMU_MAX_SOCIAL_UPLOAD_MB", &v)?;
        }
        if let Some(v) = get("SOMU_UPLOAD_DIR") {
            self.upload_dir = v;
        }
        if let Some(v) = get("SOMU_SMTP_RELAY") {
            self.smtp_relay = v;
        }
        if let Some(v) = get("SOMU_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = get("SOMU_TRUST_PROXY") {
            self.trust_proxy = parse("SOMU_TRUST_PROXY", &v)?;
        }
        if let Some(v) = get("SOMU_CREDENTIAL_KEY_SECRET") {
            self.credential_key_secret = Secret(v);
        }
        if let Some(v) = get("SOMU_SOCIAL_PULLS") {
            self.social_pulls = parse("SOMU_SOCIAL_PULLS", &v)?;
        }
        if let Some(v) = get("SOMU_SOCIAL_PULL_PRIVATE_SERVERS") {
            self.social_pull_private_servers = parse("SOMU_SOCIAL_PULL_PRIVATE_SERVERS", &v)?;
        }
        if let Some(v) = get("SOMU_SOCIAL_PULL_INTERVAL_MINUTES") {
            self.social_pull_interval_minutes = parse("SOMU_SOCIAL_PULL_INTERVAL_MINUTES", &v)?;
        }
        if let Some(v) = get("SOMU_REPORT_WAIT_MS") {
            self.report_wait_ms = parse("SOMU_REPORT_WAIT_MS", &v)?;
        }
        if let Some(v) = get("SOMU_MASTODON_BASE_URL") {
            self.mastodon_base_url = v;
        }
        if let Some(v) = get("SOMU_BLUESKY_APPVIEW_URL") {
            self.bluesky_appview_url = v;
        }
        Ok(())
    }
}

impl Config {
    /// The body limit of every route, in bytes (`max_upload_mb`).
    pub fn upload_limit(&self) -> usize {
        self.max_upload_mb.saturating_mul(1024 * 1024)
    }

    /// The body limit of the social export import, in bytes (`max_social_upload_mb`).
    pub fn social_upload_limit(&self) -> usize {
        self.max_social_upload_mb.saturating_mul(1024 * 1024)
    }

    /// Where uploads being imported are saved (`upload_dir`, else the system's temporary
    /// directory).
    pub fn upload_path(&self) -> std::path::PathBuf {
        if self.upload_dir.trim().is_empty() {
            std::env::temp_dir()
        } else {
            self.upload_dir.trim().into()
        }
    }
}

/// Used only when no secret is configured and Somu is not served over HTTPS (development,
/// tests): keys sealed with it are as good as unsealed.
const DEVELOPMENT_CREDENTIAL_SECRET: &str =
    "somu development credential secret, not for production";

impl Config {
    /// Whether Somu runs at a stable public HTTPS address (production): credentials then name
    /// a `did:web` issuer and a real credential key secret is required.
    pub fn is_production(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// The secret that seals issuer keys.
    ///
    /// # Errors
    /// When it is missing in production or too short.
    pub fn credential_secret(&self) -> Result<&str, ConfigError> {
        let s = self.credential_key_secret.0.as_str();
        let problem = if s.is_empty() && self.is_production() {
            "is required when base_url is HTTPS: set credential_key_secret in the configuration \
             file or SOMU_CREDENTIAL_KEY_SECRET to a random value of at least 32 characters \
             (it seals every organisation's credential signing key; keep it with your backups)"
        } else if s.is_empty() {
            return Ok(DEVELOPMENT_CREDENTIAL_SECRET);
        } else if s.chars().count() < 32 {
            "must be at least 32 characters long"
        } else {
            return Ok(s);
        };
        Err(ConfigError::Env {
            name: "SOMU_CREDENTIAL_KEY_SECRET (credential_key_secret)".into(),
            message: problem.into(),
        })
    }
}

fn toml_from_str(path: &str, text: &str) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        ConfigError::File {
            path: path.into(),
            message: match line {
                Some(l) => format!("line {l}: {}", e.message()),
                None => e.message().to_string(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_when_printed() {
        let cfg = Config {
            database_url: Secret("postgres://u:hunter2@h/db".into()),
            ..Config::default()
        };
        let printed = format!("{cfg:?}");
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("********"));
    }

    #[test]
    fn env_overrides_and_bad_values_are_named() {
        let mut cfg = Config::default();
        cfg.apply_env(|k| (k == "SOMU_SESSION_HOURS").then(|| "48".to_string()))
            .expect("valid");
        assert_eq!(cfg.session_hours, 48);
        let err = cfg
            .apply_env(|k| (k == "SOMU_SECURE_COOKIES").then(|| "perhaps".to_string()))
            .expect_err("invalid");
        assert!(err.to_string().contains("SOMU_SECURE_COOKIES"));
    }

    #[test]
    fn social_exports_have_their_own_upload_limit_and_directory() {
        let mut cfg = Config::default();
        assert_eq!(cfg.social_upload_limit(), 4096 * 1024 * 1024);
        assert_eq!(cfg.upload_path(), std::env::temp_dir());
        let env = |k: &str| match k {
            "SOMU_MAX_SOCIAL_UPLOAD_MB" => Some("10".to_string()),
            "SOMU_UPLOAD_DIR" => Some("/var/lib/somu/uploads".to_string()),
            _ => None,
        };
        cfg.apply_env(env).expect("valid");
        assert_eq!(cfg.social_upload_limit(), 10 * 1024 * 1024);
        assert_eq!(cfg.upload_limit(), 64 * 1024 * 1024, "unchanged");
        assert_eq!(
            cfg.upload_path(),
            std::path::PathBuf::from("/var/lib/somu/uploads")
        );
        let err = cfg
            .apply_env(|k| (k == "SOMU_MAX_SOCIAL_UPLOAD_MB").then(|| "4 GB".to_string()))
            .expect_err("invalid");
        assert!(
            err.to_string().contains("SOMU_MAX_SOCIAL_UPLOAD_MB"),
            "{err}"
        );
    }

    #[test]
    fn live_pull_settings_come_from_the_environment() {
        let mut cfg = Config::default();
        assert!(cfg.social_pulls && cfg.mastodon_base_url.is_empty());
        assert_eq!(cfg.bluesky_appview_url, "https://public.api.bsky.app");
        let env = |k: &str| match k {
            "SOMU_SOCIAL_PULLS" => Some("false".to_string()),
            "SOMU_SOCIAL_PULL_INTERVAL_MINUTES" => Some("15".to_string()),
            "SOMU_MASTODON_BASE_URL" => Some("http://127.0.0.1:9999".to_string()),
            "SOMU_BLUESKY_APPVIEW_URL" => Some("http://127.0.0.1:9998".to_string()),
            _ => None,
        };
        cfg.apply_env(env).expect("valid");
        assert!(!cfg.social_pulls);
        assert_eq!(cfg.social_pull_interval_minutes, 15);
        assert_eq!(cfg.mastodon_base_url, "http://127.0.0.1:9999");
        assert_eq!(cfg.bluesky_appview_url, "http://127.0.0.1:9998");
        let err = cfg
            .apply_env(|k| (k == "SOMU_SOCIAL_PULL_INTERVAL_MINUTES").then(|| "hourly".to_string()))
            .expect_err("invalid");
        assert!(err
            .to_string()
            .contains("SOMU_SOCIAL_PULL_INTERVAL_MINUTES"));
    }

    #[test]
    fn the_credential_secret_is_required_in_production() {
        let mut cfg = Config::default();
        assert!(cfg.credential_secret().is_ok(), "development falls back");
        cfg.base_url = "https://somu.example".into();
        let err = cfg.credential_secret().expect_err("missing in production");
        assert!(
            err.to_string().contains("SOMU_CREDENTIAL_KEY_SECRET"),
            "{err}"
        );
        cfg.credential_key_secret = Secret("short".into());
        assert!(cfg.credential_secret().is_err());
        cfg.credential_key_secret = Secret("x".repeat(40));
        assert_eq!(cfg.credential_secret().expect("set"), "x".repeat(40));
        assert!(!format!("{cfg:?}").contains("xxxx"));
    }

    #[test]
    fn toml_errors_name_the_line() {
        let err = toml_from_str("somu.toml", "bind = \"x\"\nsession_hours = \"many\"\n")
            .expect_err("bad");
        assert!(err.to_string().starts_with("somu.toml: line 2"), "{err}");
        let err = toml_from_str("somu.toml", "colour = 1\n").expect_err("unknown key");
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
