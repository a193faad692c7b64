//! Security schemes as a spec declares them, the credentials a client holds for them, and how an
//! operation's security requirements choose what a request sends.
//!
//! A generated crate declares each of its spec's schemes as a [`Scheme`] and each operation's
//! requirements as a list of alternatives (any one suffices; the schemes of one alternative go
//! together). The client holds at most one [`Credential`] per scheme, set with the crate's typed setters
//! or [`ClientBuilder::credential`](crate::client::ClientBuilder::credential); the older setters
//! (`access_token`, `client_credentials`, `api_key`, `basic_auth`) set a default that every scheme of the
//! matching kind uses when it has no credential of its own. For each request the first alternative the
//! client has every credential for is sent; an empty alternative (`security: []`) sends none.

use secrecy::{ExposeSecret, SecretString};

use crate::auth::TokenSource;
use crate::error::ConfigError;

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter (redacted from every error and log line that shows the URL).
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme of a spec (`components.securitySchemes`), as generated code declares it.
#[derive(Debug, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// What it takes and where it goes.
    pub kind: SchemeKind,
}

/// The kinds of security scheme OpenAPI has.
#[derive(Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey`: a key sent as the named header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
    },
    /// `http` with `basic`: a user name and password.
    Basic,
    /// `http` with any other scheme (`bearer`, `token`, ...): `Authorization: <Scheme> <token>`, with the
    /// scheme name as written here.
    Http {
        /// The authentication scheme's name (`Bearer` for `bearer`).
        scheme: &'static str,
    },
    /// `oauth2`: a bearer access token, given by the caller or obtained with client credentials at
    /// `token_url` (a URL relative to the base URL is resolved against it).
    OAuth2 {
        /// The client-credentials flow's token URL, if the spec declares that flow.
        token_url: Option<&'static str>,
    },
    /// `openIdConnect`: a bearer access token the caller obtains.
    OpenIdConnect,
}

impl SchemeKind {
    /// What the scheme takes, in words (for errors and docs).
    pub fn describe(&self) -> &'static str {
        match self {
            SchemeKind::ApiKey { location: KeyLocation::Header, .. } => "an API key in a header",
            SchemeKind::ApiKey { location: KeyLocation::Query, .. } => "an API key in a query parameter",
            SchemeKind::ApiKey { location: KeyLocation::Cookie, .. } => "an API key in a cookie",
            SchemeKind::Basic => "HTTP basic credentials",
            SchemeKind::Http { .. } => "a token in the Authorization header",
            SchemeKind::OAuth2 { .. } => "an OAuth2 access token or client credentials",
            SchemeKind::OpenIdConnect => "an OpenID Connect access token",
        }
    }
}

/// The credential a client holds for one scheme. Every secret is a [`SecretString`]: never in `Debug`,
/// errors or logs.
#[derive(Clone)]
pub enum Credential {
    /// An API key, for an `apiKey` scheme.
    ApiKey(SecretString),
    /// An access token, for `oauth2`, `openIdConnect` and `http` schemes other than `basic`.
    Token(SecretString),
    /// A user name and password, for an `http` `basic` scheme.
    Basic {
        /// The user name (not secret: shown in `Debug`).
        user: String,
        /// The password.
        password: SecretString,
    },
    /// OAuth2 client credentials, exchanged at the scheme's token URL for access tokens that are cached
    /// and refreshed.
    ClientCredentials {
        /// The client id (not secret: shown in `Debug`).
        client_id: String,
        /// The client secret.
        client_secret: SecretString,
        /// The scopes to ask for (`scope` in the token request); none by default.
        scopes: Vec<String>,
    },
}

impl Credential {
    /// An API key.
    pub fn api_key(key: impl Into<String>) -> Self {
        Credential::ApiKey(SecretString::from(key.into()))
    }
    /// An access token.
    pub fn token(token: impl Into<String>) -> Self {
        Credential::Token(SecretString::from(token.into()))
    }
    /// HTTP basic credentials.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credential::Basic { user: user.into(), password: SecretString::from(password.into()) }
    }
    /// OAuth2 client credentials, asking for no particular scope.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credential::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            scopes: Vec::new(),
        }
    }
    /// The same client credentials asking for `scopes`; other credentials are returned unchanged.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        if let Credential::ClientCredentials { scopes: s, .. } = &mut self {
            *s = scopes.into_iter().map(Into::into).collect();
        }
        self
    }

    /// Whether this credential fits a scheme of `kind`.
    pub(crate) fn fits(&self, kind: &SchemeKind) -> bool {
        matches!(
            (self, kind),
            (Credential::ApiKey(_), SchemeKind::ApiKey { .. })
                | (Credential::Basic { .. }, SchemeKind::Basic)
                | (
                    Credential::Token(_),
                    SchemeKind::Http { .. } | SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect
                )
                | (Credential::ClientCredentials { .. }, SchemeKind::OAuth2 { .. })
        )
    }

    /// What kind of credential this is, in words.
    fn describe_kind(&self) -> &'static str {
        match self {
            Credential::ApiKey(_) => "an API key",
            Credential::Token(_) => "an access token",
            Credential::Basic { .. } => "HTTP basic credentials",
            Credential::ClientCredentials { .. } => "OAuth2 client credentials",
        }
    }

    /// A description for `Debug` output, without any secret.
    pub(crate) fn describe(&self) -> String {
        match self {
            Credential::ApiKey(_) => "API key (redacted)".into(),
            Credential::Token(_) => "access token (redacted)".into(),
            Credential::Basic { user, .. } => format!("basic (user {user}, password redacted)"),
            Credential::ClientCredentials { client_id, scopes, .. } => {
                format!("client credentials (client id {client_id}, secret redacted, scopes {scopes:?})")
            }
        }
    }

    /// Checks the credential before it is used; the error names `scheme`, never the secret.
    pub(crate) fn check(&self, scheme: Option<&str>) -> Result<(), ConfigError> {
        let err = |what: &str, problem: &str| match scheme {
            Some(scheme) => ConfigError::new(format!("{what} of `{scheme}`"), problem),
            None => ConfigError::new(what, problem),
        };
        let header_safe = |s: &str| !s.chars().any(|c| c.is_control());
        match self {
            Credential::ApiKey(k) | Credential::Token(k) => {
                let what = if matches!(self, Credential::ApiKey(_)) { "API key" } else { "access token" };
                if k.expose_secret().trim().is_empty() {
                    return Err(err(what, "is empty"));
                }
                if !header_safe(k.expose_secret()) {
                    return Err(err(what, "contains control characters"));
                }
            }
            Credential::Basic { user, password } => {
                if user.is_empty() {
                    return Err(err("user name", "is empty"));
                }
                if user.contains(':') {
                    return Err(err("user name", "contains `:`, which HTTP basic credentials cannot carry"));
                }
                if !header_safe(user) || !header_safe(password.expose_secret()) {
                    return Err(err("basic credentials", "contain control characters"));
                }
            }
            Credential::ClientCredentials { client_id, client_secret, .. } => {
                if client_id.trim().is_empty() {
                    return Err(err("client id", "is empty"));
                }
                if client_secret.expose_secret().is_empty() {
                    return Err(err("client secret", "is empty"));
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A server of the spec (`servers`), as generated code declares it: its URL up to the path (the path
/// is part of every operation's path), with `{variables}`.
#[derive(Debug, PartialEq, Eq)]
pub struct Server {
    /// The URL template without its path, e.g. `https://{tenant}.api.example.com`.
    pub url: &'static str,
    /// The variables in `url`, in spec order.
    pub variables: &'static [ServerVariable],
}

/// A variable of a server URL.
#[derive(Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// The name inside `{}`.
    pub name: &'static str,
    /// The spec's default (often an example, such as a placeholder tenant).
    pub default: Option<&'static str>,
    /// The values allowed, when the spec restricts them.
    pub values: &'static [&'static str],
}

/// The base URL of server `index` (unpicked: the first with every variable set) with `values`
/// (name, value) for its variables, defaults for the rest.
/// `chosen` says whether the caller picked the server or set a variable: a server with variables is
/// not used unasked, because its defaults are usually examples and credentials must not go to them.
pub(crate) fn server_url(
    servers: &[Server],
    index: Option<usize>,
    values: &[(String, String)],
) -> Result<String, ConfigError> {
    let chosen = index.is_some() || !values.is_empty();
    // Unpicked: the first server that has every variable set (a spec's second server may be the one
    // with a variable for the whole host).
    let index = index.unwrap_or_else(|| {
        let fits = |s: &Server| values.iter().all(|(n, _)| s.variables.iter().any(|v| v.name == n));
        servers.iter().position(fits).unwrap_or(0)
    });
    let Some(server) = servers.get(index) else {
        return Err(if servers.is_empty() {
            ConfigError::new("base URL", "is not set (the spec declares no server)")
        } else {
            ConfigError::new("server", format!("{index} is not a server of this API; it has {}", servers.len()))
        });
    };
    let names = || server.variables.iter().map(|v| format!("`{}`", v.name)).collect::<Vec<_>>().join(", ");
    if !chosen && !server.variables.is_empty() {
        return Err(ConfigError::new(
            "base URL",
            format!("is not set: set `base_url`, or the server's variables ({}) for `{}`", names(), server.url),
        ));
    }
    for (name, value) in values {
        if !server.variables.iter().any(|v| v.name == name) {
            return Err(ConfigError::new(
                format!("server variable `{name}`"),
                format!(
                    "is not a variable of `{}` (its variables: {})",
                    server.url,
                    if server.variables.is_empty() { "none".into() } else { names() }
                ),
            ));
        }
        if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control() || "/?#@\\".contains(c)) {
            return Err(ConfigError::new(
                format!("server variable `{name}`"),
                "must be non-empty, without `/`, `?`, `#`, `@` or spaces",
            ));
        }
    }
    let mut url = server.url.to_string();
    for v in server.variables {
        let value = match values.iter().rev().find(|(n, _)| n == v.name) {
            Some((_, value)) => value.as_str(),
            None => match v.default.filter(|d| !d.is_empty()) {
                Some(d) => d,
                None => {
                    return Err(ConfigError::new(
                        format!("server variable `{}`", v.name),
                        "is not set, and the spec gives it no default",
                    ));
                }
            },
        };
        if !v.values.is_empty() && !v.values.contains(&value) {
            return Err(ConfigError::new(
                format!("server variable `{}`", v.name),
                format!("is `{value}`, but must be one of: {}", v.values.join(", ")),
            ));
        }
        url = url.replace(&format!("{{{}}}", v.name), value);
    }
    Ok(url)
}

/// Resolves a token URL from the spec against the base URL: absolute URLs are kept, others are
/// resolved as a reference relative to the base URL taken as a folder (`token` under
/// `https://x/auth/v1` is `https://x/auth/v1/token`; `/oauth/token` is `https://x/oauth/token`).
pub(crate) fn resolve_token_url(base_url: &str, url: &str) -> Result<String, ConfigError> {
    if url.contains("://") {
        return Ok(url.to_string());
    }
    let base = reqwest::Url::parse(&format!("{base_url}/")).map_err(|e| ConfigError::new("base URL", e.to_string()))?;
    base.join(url)
        .map(|u| u.to_string())
        .map_err(|e| ConfigError::new("token URL", format!("`{url}` does not resolve: {e}")))
}

/// The defaults the older builder setters give every scheme of the matching kind.
#[derive(Default)]
pub(crate) struct Defaults {
    pub(crate) access_token: Option<SecretString>,
    pub(crate) client_credentials: Option<(String, SecretString)>,
    pub(crate) api_key: Option<SecretString>,
    pub(crate) basic: Option<(String, SecretString)>,
}

impl Defaults {
    /// The default credential for a scheme of `kind`, if one was set.
    fn for_kind(&self, kind: &SchemeKind) -> Option<Credential> {
        let token = || self.access_token.clone().map(Credential::Token);
        match kind {
            SchemeKind::ApiKey { .. } => self.api_key.clone().map(Credential::ApiKey),
            SchemeKind::Basic => self.basic.clone().map(|(user, password)| Credential::Basic { user, password }),
            SchemeKind::Http { .. } | SchemeKind::OpenIdConnect => token(),
            SchemeKind::OAuth2 { .. } => token().or_else(|| {
                self.client_credentials.clone().map(|(client_id, client_secret)| Credential::ClientCredentials {
                    client_id,
                    client_secret,
                    scopes: Vec::new(),
                })
            }),
        }
    }
}

/// A credential prepared for sending.
pub(crate) enum Applied {
    /// A header with a fixed value (marked sensitive): an API key, or a fixed token.
    Header(reqwest::header::HeaderName, reqwest::header::HeaderValue),
    /// An API key as a query parameter.
    Query(&'static str, SecretString),
    /// An API key as a cookie.
    Cookie(&'static str, SecretString),
    /// HTTP basic credentials.
    Basic(String, SecretString),
    /// OAuth2 client credentials: a bearer token from this source.
    OAuth(std::sync::Arc<TokenSource>),
}

impl Applied {
    fn describe(&self) -> String {
        match self {
            Applied::Header(name, _) => format!("header {name} (redacted)"),
            Applied::Query(name, _) => format!("query parameter {name} (redacted)"),
            Applied::Cookie(name, _) => format!("cookie {name} (redacted)"),
            Applied::Basic(user, _) => format!("basic (user {user}, password redacted)"),
            Applied::OAuth(s) => {
                format!("client credentials (client id {}, secret redacted, token URL {})", s.client_id, s.token_url)
            }
        }
    }
}

/// The credentials of a client, prepared once at `build()`.
pub(crate) struct Credentials {
    /// One per scheme the client has a credential for, by scheme name.
    by_scheme: Vec<(&'static str, Applied)>,
    /// For requests whose operation declares no security: the default access token or client
    /// credentials, sent as a bearer token.
    fallback: Option<Applied>,
    /// Whether the caller set any credential at all.
    any: bool,
}

/// The settings `Credentials::prepare` reads.
pub(crate) struct Settings<'a> {
    pub(crate) schemes: &'static [&'static Scheme],
    pub(crate) credentials: Vec<(String, Credential)>,
    pub(crate) defaults: Defaults,
    /// The caller's token URL (checked), which overrides every scheme's.
    pub(crate) token_url: Option<String>,
    pub(crate) base_url: &'a str,
    pub(crate) check_url: &'a dyn Fn(&str, &str) -> Result<String, ConfigError>,
}

impl Credentials {
    pub(crate) fn prepare(s: Settings<'_>) -> Result<Credentials, ConfigError> {
        for (name, _) in &s.credentials {
            if !s.schemes.iter().any(|scheme| scheme.name == name) {
                let known: Vec<&str> = s.schemes.iter().map(|scheme| scheme.name).collect();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                return Err(ConfigError::new(
                    format!("credential for `{name}`"),
                    format!("names no security scheme of this API (its schemes: {known})"),
                ));
            }
        }
        let any = !s.credentials.is_empty()
            || s.defaults.access_token.is_some()
            || s.defaults.client_credentials.is_some()
            || s.defaults.api_key.is_some()
            || s.defaults.basic.is_some();
        let mut sources: Vec<std::sync::Arc<TokenSource>> = Vec::new();
        let mut source_for = |url: String, id: String, secret: SecretString, scopes: Vec<String>| {
            let found = sources
                .iter()
                .find(|t| t.token_url == url && t.client_id == id && t.scopes == scopes && t.same_secret(&secret));
            match found {
                Some(t) => t.clone(),
                None => {
                    let t = std::sync::Arc::new(TokenSource::new(url, id, secret, scopes));
                    sources.push(t.clone());
                    t
                }
            }
        };
        let mut by_scheme = Vec::new();
        for scheme in s.schemes {
            let specific = s.credentials.iter().rev().find(|(n, _)| n == scheme.name).map(|(_, c)| c.clone());
            let explicit = specific.is_some();
            let Some(credential) = specific.or_else(|| s.defaults.for_kind(&scheme.kind)) else { continue };
            if !credential.fits(&scheme.kind) {
                if !explicit {
                    continue;
                }
                return Err(ConfigError::new(
                    format!("credential for `{}`", scheme.name),
                    format!("is {}, but the scheme takes {}", credential.describe_kind(), scheme.kind.describe()),
                ));
            }
            credential.check(Some(scheme.name))?;
            let applied = match (credential, &scheme.kind) {
                (Credential::ApiKey(key), SchemeKind::ApiKey { location, name }) => match location {
                    KeyLocation::Header => {
                        let header = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            ConfigError::new(
                                format!("scheme `{}`", scheme.name),
                                format!("header `{name}` is not a valid header name"),
                            )
                        })?;
                        Applied::Header(header, sensitive(key.expose_secret(), scheme.name)?)
                    }
                    KeyLocation::Query => Applied::Query(name, key),
                    KeyLocation::Cookie => Applied::Cookie(name, key),
                },
                (Credential::Basic { user, password }, _) => Applied::Basic(user, password),
                (Credential::Token(token), kind) => {
                    let prefix = match kind {
                        SchemeKind::Http { scheme } => scheme,
                        _ => "Bearer",
                    };
                    let value = format!("{prefix} {}", token.expose_secret());
                    Applied::Header(reqwest::header::AUTHORIZATION, sensitive(&value, scheme.name)?)
                }
                (
                    Credential::ClientCredentials { client_id, client_secret, scopes },
                    SchemeKind::OAuth2 { token_url },
                ) => {
                    let url = match (&s.token_url, token_url) {
                        (Some(u), _) => u.clone(),
                        (None, Some(u)) => (s.check_url)(&resolve_token_url(s.base_url, u)?, "token URL")?,
                        (None, None) => {
                            return Err(ConfigError::new(
                                format!("token URL of `{}`", scheme.name),
                                "is not known: the spec declares no client-credentials flow for this scheme; set `token_url`",
                            ));
                        }
                    };
                    Applied::OAuth(source_for(url, client_id, client_secret, scopes))
                }
                _ => continue,
            };
            by_scheme.push((scheme.name, applied));
        }
        let fallback = match (s.defaults.access_token, s.defaults.client_credentials) {
            (Some(token), _) => {
                Credential::Token(token.clone()).check(None)?;
                Some(Applied::Header(
                    reqwest::header::AUTHORIZATION,
                    sensitive(&format!("Bearer {}", token.expose_secret()), "access token")?,
                ))
            }
            (None, Some((id, secret))) => {
                Credential::ClientCredentials { client_id: id.clone(), client_secret: secret.clone(), scopes: vec![] }
                    .check(None)?;
                // The caller's token URL, else the one the spec declares (the first OAuth2 scheme with a
                // client-credentials flow).
                let declared = s.schemes.iter().find_map(|scheme| match scheme.kind {
                    SchemeKind::OAuth2 { token_url: Some(u) } => Some(u),
                    _ => None,
                });
                let url = match (&s.token_url, declared) {
                    (Some(u), _) => Some(u.clone()),
                    (None, Some(u)) => Some((s.check_url)(&resolve_token_url(s.base_url, u)?, "token URL")?),
                    (None, None) if s.schemes.is_empty() => {
                        return Err(ConfigError::new("token URL", "is not set: client credentials need `token_url`"));
                    }
                    (None, None) => None,
                };
                url.map(|url| Applied::OAuth(source_for(url, id, secret, Vec::new())))
            }
            (None, None) => None,
        };
        Ok(Credentials { by_scheme, fallback, any })
    }

    /// What a request sends: the first alternative of `security` the client has every credential for
    /// (`None`: the operation declares nothing, and the default token goes). With none, an operation
    /// that allows no credentials, or a client without any, sends none; otherwise the request is refused
    /// before anything is sent.
    pub(crate) fn choose(
        &self,
        security: Option<&'static [&'static [&'static Scheme]]>,
        what: &dyn Fn() -> String,
    ) -> Result<Vec<&Applied>, ConfigError> {
        let Some(alternatives) = security else { return Ok(self.fallback.iter().collect()) };
        for alternative in alternatives.iter().filter(|a| !a.is_empty()) {
            let found: Option<Vec<&Applied>> = alternative
                .iter()
                .map(|scheme| self.by_scheme.iter().find(|(n, _)| *n == scheme.name).map(|(_, a)| a))
                .collect();
            if let Some(found) = found {
                return Ok(found);
            }
        }
        if !self.any || alternatives.is_empty() || alternatives.iter().any(|a| a.is_empty()) {
            return Ok(Vec::new());
        }
        let accepted: Vec<String> = alternatives
            .iter()
            .map(|a| {
                a.iter()
                    .map(|scheme| format!("`{}` ({})", scheme.name, scheme.kind.describe()))
                    .collect::<Vec<_>>()
                    .join(" with ")
            })
            .collect();
        Err(ConfigError::new(
            what(),
            format!("needs credentials the client does not have: it accepts {}", accepted.join(", or ")),
        ))
    }

    /// The credentials for `Debug` output, without any secret.
    pub(crate) fn describe(&self) -> Vec<String> {
        let mut out: Vec<String> = self.by_scheme.iter().map(|(n, a)| format!("{n}: {}", a.describe())).collect();
        if let Some(f) = &self.fallback {
            out.push(format!("default: {}", f.describe()));
        }
        out
    }
}

/// A header value marked sensitive (never shown by `Debug`, never indexed by HTTP/2 compression).
fn sensitive(value: &str, scheme: &str) -> Result<reqwest::header::HeaderValue, ConfigError> {
    let mut v = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        ConfigError::new(format!("credential of `{scheme}`"), "contains characters not allowed in a header")
    })?;
    v.set_sensitive(true);
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    static SERVERS: &[Server] = &[
        Server {
            url: "{protocol}://{host}:{port}",
            variables: &[
                ServerVariable { name: "protocol", default: Some("https"), values: &["http", "https"] },
                ServerVariable { name: "host", default: None, values: &[] },
                ServerVariable { name: "port", default: Some("55000"), values: &[] },
            ],
        },
        Server { url: "https://fixed.example", variables: &[] },
    ];

    #[test]
    fn server_variables_fill_the_url_with_defaults_checks_and_no_unasked_use() {
        let set =
            |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        assert_eq!(server_url(SERVERS, None, &set(&[("host", "w.corp")])).unwrap(), "https://w.corp:55000");
        assert_eq!(
            server_url(SERVERS, None, &set(&[("host", "w"), ("protocol", "http"), ("port", "1")])).unwrap(),
            "http://w:1"
        );
        let err = server_url(SERVERS, None, &[]).unwrap_err().to_string();
        assert!(err.contains("base URL") && err.contains("`host`"), "{err}");
        let err = server_url(SERVERS, Some(0), &[]).unwrap_err().to_string();
        assert!(err.contains("`host`") && err.contains("no default"), "{err}");
        let err = server_url(SERVERS, None, &set(&[("host", "w"), ("protocol", "ftp")])).unwrap_err().to_string();
        assert!(err.contains("one of: http, https"), "{err}");
        assert!(server_url(SERVERS, None, &set(&[("host", "evil.example/x")])).is_err());
        assert!(server_url(SERVERS, None, &set(&[("tenant", "x")])).unwrap_err().to_string().contains("`tenant`"));
        assert_eq!(server_url(SERVERS, Some(1), &[]).unwrap(), "https://fixed.example");
        let two: &[Server] = &[
            Server {
                url: "https://{tenant}.example",
                variables: &[ServerVariable { name: "tenant", default: Some("t"), values: &[] }],
            },
            Server {
                url: "https://{apiUrl}",
                variables: &[ServerVariable { name: "apiUrl", default: Some("x"), values: &[] }],
            },
        ];
        assert_eq!(
            server_url(two, None, &set(&[("apiUrl", "api.corp")])).unwrap(),
            "https://api.corp",
            "the server with the variable"
        );
        assert!(server_url(SERVERS, Some(2), &[]).is_err());
        assert!(server_url(&[], None, &[]).unwrap_err().to_string().contains("base URL"));
    }

    #[test]
    fn token_urls_resolve_against_the_base_url_as_a_folder() {
        let base = "https://x.example/auth/v1";
        assert_eq!(resolve_token_url(base, "token").unwrap(), "https://x.example/auth/v1/token");
        assert_eq!(resolve_token_url(base, "/oauth/token").unwrap(), "https://x.example/oauth/token");
        assert_eq!(resolve_token_url(base, "https://id.example/t").unwrap(), "https://id.example/t");
    }

    #[test]
    fn credentials_fit_their_kinds_and_hide_their_secrets() {
        let oauth = SchemeKind::OAuth2 { token_url: None };
        assert!(Credential::token("t").fits(&oauth));
        assert!(Credential::client_credentials("i", "s").fits(&oauth));
        assert!(!Credential::client_credentials("i", "s").fits(&SchemeKind::Http { scheme: "Bearer" }));
        assert!(!Credential::api_key("k").fits(&SchemeKind::Basic));
        for c in [
            Credential::api_key("SECRET"),
            Credential::token("SECRET"),
            Credential::basic("u", "SECRET"),
            Credential::client_credentials("i", "SECRET").with_scopes(["a"]),
        ] {
            assert!(!format!("{c:?}").contains("SECRET"));
        }
        assert!(Credential::basic("a:b", "p").check(Some("s")).is_err());
        assert!(Credential::token("a\r\nb").check(Some("s")).is_err());
        assert!(Credential::api_key(" ").check(Some("s")).unwrap_err().to_string().contains("`s`"));
    }
}
