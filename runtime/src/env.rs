//! Configuration from environment variables named after the crate: the base URL, the server
//! variables, and each security scheme's credential (`{PREFIX}_BASE_URL`, `{PREFIX}_{VARIABLE}`,
//! `{PREFIX}_{SCHEME}_TOKEN`, ...). Generated crates declare the names; [`ClientBuilder::from_env_names`]
//! reads them.

use crate::client::{Client, ClientBuilder};
use crate::error::ConfigError;
use crate::security::Credential;

/// The environment variables a crate's `from_env` reads.
#[derive(Debug)]
pub struct EnvNames {
    /// The base URL (`{PREFIX}_BASE_URL`).
    pub base_url: &'static str,
    /// (server variable, environment variable) pairs.
    pub variables: &'static [(&'static str, &'static str)],
    /// The credentials, per scheme.
    pub credentials: &'static [EnvCredential],
}

/// The environment variables of one way to give a scheme its credential.
#[derive(Debug)]
pub struct EnvCredential {
    /// The scheme's name in the spec.
    pub scheme: &'static str,
    /// What the variables hold.
    pub kind: EnvKind,
}

/// What a scheme's variables hold.
#[derive(Debug)]
pub enum EnvKind {
    /// An API key.
    ApiKey(&'static str),
    /// An access token.
    Token(&'static str),
    /// A user name and a password.
    Basic(&'static str, &'static str),
    /// An OAuth2 client id and client secret.
    ClientCredentials(&'static str, &'static str),
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder configured from the environment variables `names` lists (generated crates call this
    /// from their `from_env`). A variable that is set but empty, or one of a pair set without the other,
    /// is a [`ConfigError`] naming it; so is an environment that sets none of them. Secrets are never
    /// part of a message.
    pub fn from_env_names(names: &EnvNames, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| -> Result<Option<String>, ConfigError> {
            match env(name) {
                Some(v) if v.trim().is_empty() => {
                    Err(ConfigError::new(format!("environment variable {name}"), "is empty"))
                }
                Some(v) => Ok(Some(v.trim().to_string())),
                None => Ok(None),
            }
        };
        let pair = |a: &str, b: &str| -> Result<Option<(String, String)>, ConfigError> {
            match (get(a)?, get(b)?) {
                (Some(x), Some(y)) => Ok(Some((x, y))),
                (None, None) => Ok(None),
                (Some(_), None) => Err(ConfigError::new(
                    format!("environment variable {b}"),
                    format!("is not set ({a} and {b} go together)"),
                )),
                (None, Some(_)) => Err(ConfigError::new(
                    format!("environment variable {a}"),
                    format!("is not set ({a} and {b} go together)"),
                )),
            }
        };
        let mut builder = Self::default();
        let mut found = false;
        if let Some(url) = get(names.base_url)? {
            builder = builder.base_url(url);
            found = true;
        }
        for (variable, name) in names.variables {
            if let Some(value) = get(name)? {
                builder = builder.server_variable(*variable, value);
                found = true;
            }
        }
        for c in names.credentials {
            let credential = match c.kind {
                EnvKind::ApiKey(name) => get(name)?.map(Credential::api_key),
                EnvKind::Token(name) => get(name)?.map(Credential::token),
                EnvKind::Basic(user, password) => pair(user, password)?.map(|(u, p)| Credential::basic(u, p)),
                EnvKind::ClientCredentials(id, secret) => {
                    pair(id, secret)?.map(|(i, s)| Credential::client_credentials(i, s))
                }
            };
            if let Some(credential) = credential {
                builder = builder.credential(c.scheme, credential);
                found = true;
            }
        }
        if !found {
            return Err(ConfigError::new(
                format!("environment variable {}", names.base_url),
                "is not set, nor any other variable of this client's configuration",
            ));
        }
        Ok(builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAMES: EnvNames = EnvNames {
        base_url: "X_BASE_URL",
        variables: &[("host", "X_HOST")],
        credentials: &[
            EnvCredential { scheme: "key", kind: EnvKind::ApiKey("X_KEY_KEY") },
            EnvCredential {
                scheme: "oauth",
                kind: EnvKind::ClientCredentials("X_OAUTH_CLIENT_ID", "X_OAUTH_CLIENT_SECRET"),
            },
        ],
    };

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |n| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string())
    }

    #[test]
    fn variables_become_settings_and_mistakes_name_the_variable() {
        let b = ClientBuilder::<Client>::from_env_names(&NAMES, &env(&[("X_HOST", "h"), ("X_KEY_KEY", "SECRET-k")]))
            .unwrap();
        let shown = format!("{b:?}");
        assert!(shown.contains("\"host\"") && !shown.contains("SECRET"), "{shown}");
        let err = ClientBuilder::<Client>::from_env_names(&NAMES, &env(&[("X_OAUTH_CLIENT_ID", "i")])).unwrap_err();
        assert!(err.to_string().contains("X_OAUTH_CLIENT_SECRET"), "{err}");
        let err = ClientBuilder::<Client>::from_env_names(&NAMES, &env(&[("X_KEY_KEY", " ")])).unwrap_err();
        assert!(err.to_string().contains("X_KEY_KEY is empty"), "{err}");
        let err = ClientBuilder::<Client>::from_env_names(&NAMES, &env(&[])).unwrap_err();
        assert!(err.to_string().contains("X_BASE_URL"), "{err}");
    }
}
