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
    /// SMTP relay for outgoing mail (`host:port`); empty keeps mail in the outbox page and the log.
    pub smtp_relay: String,
    /// Sender address for mail.
    pub mail_from: String,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
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
            smtp_relay: String::new(),
            mail_from: "somu@localhost".into(),
            trust_proxy: false,
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
        if let Some(v) = get("SOMU_SMTP_RELAY") {
            self.smtp_relay = v;
        }
        if let Some(v) = get("SOMU_MAIL_FROM") {
            self.mail_from = v;
        }
        if let Some(v) = get("SOMU_TRUST_PROXY") {
            self.trust_proxy = parse("SOMU_TRUST_PROXY", &v)?;
        }
        Ok(())
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
    fn toml_errors_name_the_line() {
        let err = toml_from_str("somu.toml", "bind = \"x\"\nsession_hours = \"many\"\n")
            .expect_err("bad");
        assert!(err.to_string().starts_with("somu.toml: line 2"), "{err}");
        let err = toml_from_str("somu.toml", "colour = 1\n").expect_err("unknown key");
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
