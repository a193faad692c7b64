//! Configuration from the environment: `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET` (the
//! names SailPoint's SDKs use), or, when none of them is set, the `sail` CLI's `~/.sailpoint/config.yaml`
//! (`activeenvironment` -> `environments.<name>.baseurl`, `.pat.clientid`, `.pat.clientsecret`).

use std::path::{Path, PathBuf};

use crate::client::{Client, ClientBuilder};
use crate::error::ConfigError;

/// The environment variables read by [`ClientBuilder::from_env`].
pub const ENV_BASE_URL: &str = "SAIL_BASE_URL";
/// The personal access token's client id.
pub const ENV_CLIENT_ID: &str = "SAIL_CLIENT_ID";
/// The personal access token's client secret.
pub const ENV_CLIENT_SECRET: &str = "SAIL_CLIENT_SECRET";

/// `true` opts in to experimental operations ([`ClientBuilder::experimental`]); `false` or unset does not.
pub const ENV_EXPERIMENTAL: &str = "SAIL_EXPERIMENTAL";

/// The `sail` CLI's configuration file under the user's home folder.
pub fn default_config_file() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".sailpoint").join("config.yaml"))
}

impl Client {
    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, ConfigError> {
        ClientBuilder::<Client>::from_env()?.build()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder configured from `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`, or, if none of
    /// them is set, from `~/.sailpoint/config.yaml`; `SAIL_EXPERIMENTAL=true` opts in to experimental
    /// operations. Other settings (timeouts, retries) can follow.
    pub fn from_env() -> Result<Self, ConfigError> {
        let env = |name: &str| std::env::var(name).ok();
        Self::from_sources(&env, default_config_file().as_deref())
    }

    /// Like [`ClientBuilder::from_env`], with the environment given as a lookup function and the
    /// configuration file as a path (for tests, and for programs that keep settings elsewhere).
    pub fn from_sources(env: &dyn Fn(&str) -> Option<String>, config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let experimental = match env(ENV_EXPERIMENTAL).map(|v| v.trim().to_ascii_lowercase()) {
            None => false,
            Some(v) if v == "true" => true,
            Some(v) if v == "false" || v.is_empty() => false,
            Some(_) => {
                return Err(ConfigError::new(
                    format!("environment variable {ENV_EXPERIMENTAL}"),
                    "must be `true` or `false`",
                ));
            }
        };
        Self::from_credentials(env, config_file).map(|b| b.experimental(experimental))
    }

    fn from_credentials(env: &dyn Fn(&str) -> Option<String>, config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let names = [ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET];
        if names.iter().any(|n| env(n).is_some()) {
            let get = |name: &str| match env(name) {
                Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                Some(_) => Err(ConfigError::new(format!("environment variable {name}"), "is empty")),
                None => Err(ConfigError::new(
                    format!("environment variable {name}"),
                    format!("is not set ({} must be set together)", names.join(", ")),
                )),
            };
            return Ok(Self::default()
                .base_url(get(ENV_BASE_URL)?)
                .client_credentials(get(ENV_CLIENT_ID)?, get(ENV_CLIENT_SECRET)?));
        }
        let Some(path) = config_file.filter(|p| p.is_file()) else {
            return Err(ConfigError::new(
                format!("environment variable {ENV_BASE_URL}"),
                format!(
                    "is not set, and there is no sail CLI configuration file{}",
                    config_file.map(|p| format!(" at {}", p.display())).unwrap_or_default()
                ),
            ));
        };
        from_config_file(path)
    }
}

#[cfg(feature = "config-file")]
fn from_config_file<C: From<Client>>(path: &Path) -> Result<ClientBuilder<C>, ConfigError> {
    use serde_norway::Value;
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| ConfigError::new(shown.clone(), format!("cannot be read: {e}")))?;
    let doc: Value = serde_norway::from_str(&text).map_err(|e| {
        // The parser's message can quote the offending line, which may hold the secret; keep the position only.
        let at = e.location().map(|l| format!(" at line {}, column {}", l.line(), l.column())).unwrap_or_default();
        ConfigError::new(shown.clone(), format!("is not valid YAML{at}"))
    })?;
    let key = |k: &str| ConfigError::new(format!("{shown}: key `{k}`"), "is missing or not a string");
    let text_at = |v: &Value, path: &[&str]| -> Result<String, ConfigError> {
        let mut cur = v;
        for p in path {
            cur = cur.get(*p).ok_or_else(|| key(&path.join(".")))?;
        }
        cur.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).ok_or_else(|| key(&path.join(".")))
    };
    let active = text_at(&doc, &["activeenvironment"])?;
    let base = text_at(&doc, &["environments", &active, "baseurl"])?;
    let id = text_at(&doc, &["environments", &active, "pat", "clientid"])?;
    let secret = text_at(&doc, &["environments", &active, "pat", "clientsecret"])?;
    Ok(ClientBuilder::default().base_url(base).client_credentials(id, secret))
}

#[cfg(not(feature = "config-file"))]
fn from_config_file<C: From<Client>>(path: &Path) -> Result<ClientBuilder<C>, ConfigError> {
    Err(ConfigError::new(path.display().to_string(), "cannot be read: this build has the `config-file` feature off"))
}
