#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The generator formats this file; rustfmt would lay a long `cfg` out differently.
#[rustfmt::skip]
#[cfg(not(any({{ any_version }})))]
compile_error!("no API version is enabled: enable at least one of this crate's version features ({% for v in versions %}{% if !loop.first %}, {% endif %}`{{ v.module }}`{% endfor %}), or keep the default features");
{%- if let Some((any, _)) = tag_guard %}
#[rustfmt::skip]
#[cfg(not({{ any }}))]
compile_error!("no API is enabled: enable at least one of this crate's tag features (see its Cargo.toml), or keep the default features");
{%- endif %}

{% if embed -%}
// The runtime (the `sdk-runtime` crate's source, embedded unchanged so this crate stands alone).
#[rustfmt::skip]
mod auth;
#[rustfmt::skip]
pub mod client;
{%- if sailpoint %}
#[rustfmt::skip]
pub mod config;
{%- endif %}
#[rustfmt::skip]
mod correct;
#[rustfmt::skip]
pub mod env;
#[rustfmt::skip]
pub mod error;
{%- if sailpoint %}
#[rustfmt::skip]
pub mod filter;
{%- endif %}
#[rustfmt::skip]
pub mod binary;
#[rustfmt::skip]
pub mod pagination;
#[rustfmt::skip]
pub mod patch;
#[rustfmt::skip]
pub mod record;
#[rustfmt::skip]
pub mod retry;
#[rustfmt::skip]
pub mod secret;
#[rustfmt::skip]
pub mod security;
#[rustfmt::skip]
pub mod unions;
#[rustfmt::skip]
pub mod validate;
{%- else -%}
// The runtime: the `sdk-runtime` crate, whose modules this crate's operations call as `crate::client`, ...
pub use sdk_runtime::{binary, env, error, pagination, patch, record, retry};
{%- if sailpoint %}
pub use sdk_runtime::{config, filter};
{%- endif %}
pub use sdk_runtime::{secret, security, unions, validate};

/// The HTTP client: the runtime's `client` module, with this crate's own [`Client`],
/// [`ClientBuilder`] and [`USER_AGENT`] in place of the runtime's.
pub mod client {
    pub use crate::{Client, ClientBuilder, USER_AGENT};
    pub use sdk_runtime::client::*;
}
{%- endif %}

/// The product token this crate's requests send as their `User-Agent` (before the name that
/// [`ClientBuilder::consumer`] sets).
pub const USER_AGENT: &str = concat!("{{ user_agent_product }}/", env!("CARGO_PKG_VERSION"));

// Generated modules are formatted by the generator (prettyplease); `cargo fmt` leaves them alone.
{% for v in versions -%}
#[cfg(feature = "{{ v.module }}")]
#[cfg_attr(docsrs, doc(cfg(feature = "{{ v.module }}")))]
#[rustfmt::skip]
pub mod {{ v.module }};
{% endfor %}

pub use client::{ApiResponse, BodyLimits};

{% if embed -%}
use crate::client as runtime_client;
{%- else -%}
use sdk_runtime::client as runtime_client;
{%- endif %}

/// A client for {{ title }}: the runtime's client (which it dereferences to) with an
/// accessor per API version. Cheap to clone: clones share one connection pool and one access-token
/// cache.
#[derive(Clone, Debug)]
pub struct Client {
    inner: runtime_client::Client,
}

/// The security schemes the spec declares, as the client sends them (each has a setter on
/// [`ClientBuilder`]).
#[rustfmt::skip]
pub mod schemes {
    #[allow(unused_imports)]
    use crate::security::{KeyLocation, Scheme, SchemeKind};
{% for sc in schemes %}
{{ sc.docs }}
    pub const {{ sc.ident }}: Scheme = Scheme { name: {{ sc.name_lit }}, kind: {{ sc.kind }} };
{%- endfor %}

    /// Every scheme above.
    pub const ALL: &[&Scheme] = &[{% for sc in schemes %}&{{ sc.ident }}, {% endfor %}];
}

/// The servers the spec declares, in its order: [`ClientBuilder::server`] picks one (the base URL is the
/// server's URL up to its path; the path is part of each operation's path).
#[rustfmt::skip]
pub mod servers {
    #[allow(unused_imports)]
    use crate::security::{Server, ServerVariable};

    /// Every server, in the spec's order:
{%- for sv in servers %}
    /// {{ sv.docs }}
{%- endfor %}
    pub const ALL: &[Server] = &[
{%- for sv in servers %}
        {{ sv.expr }},
{%- endfor %}
    ];
}

{%- if !sailpoint %}
/// The environment variables [`ClientBuilder::from_env`] reads: the base URL, each server variable and
/// each scheme's credential.
#[rustfmt::skip]
pub const ENV_NAMES: env::EnvNames = {
    #[allow(unused_imports)]
    use env::{EnvCredential, EnvKind, EnvNames};
    {{ env }}
};
{%- endif %}

/// Configures a [`Client`]: the runtime's builder (see [`runtime_client::ClientBuilder`]) with this
/// API's security schemes and servers, and a typed setter for each scheme and server variable.
pub struct ClientBuilder {
    inner: runtime_client::ClientBuilder<Client>,
}

#[rustfmt::skip]
impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder { inner: runtime_client::ClientBuilder::default().schemes(schemes::ALL).servers(servers::ALL) }
    }
}

#[rustfmt::skip]
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

// Formatted by the generator; `cargo fmt` would lay the signatures out differently.
#[rustfmt::skip]
impl ClientBuilder {
    fn with(self, f: impl FnOnce(runtime_client::ClientBuilder<Client>) -> runtime_client::ClientBuilder<Client>) -> Self {
        ClientBuilder { inner: f(self.inner) }
    }
{%- for sc in schemes %}
{%- for st in sc.setters %}

{{ st.docs }}
    pub fn {{ st.name }}(self, {{ st.params }}) -> Self {
        self.credential({{ sc.name_lit }}, security::{{ st.credential }})
    }
{%- endfor %}
{%- endfor %}

{%- for (setter, name, docs) in variables %}

{{ docs }}
    pub fn {{ setter }}(self, value: impl Into<String>) -> Self {
        self.server_variable({{ name }}, value)
    }
{%- endfor %}

    /// Opts in to experimental operations (see [`runtime_client::ClientBuilder::experimental`]).
    pub fn experimental(self, on: bool) -> Self {
        self.with(|b| b.experimental(on))
    }
    /// Uses the spec's server number `index` (see [`servers::ALL`] and [`runtime_client::ClientBuilder::server`]).
    pub fn server(self, index: usize) -> Self {
        self.with(|b| b.server(index))
    }
    /// Sets a server URL variable (see [`runtime_client::ClientBuilder::server_variable`]).
    pub fn server_variable(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.with(|b| b.server_variable(name, value))
    }
    /// The credential for the security scheme named `scheme` (see [`runtime_client::ClientBuilder::credential`]).
    pub fn credential(self, scheme: impl Into<String>, credential: security::Credential) -> Self {
        self.with(|b| b.credential(scheme, credential))
    }
    /// The API base URL (see [`runtime_client::ClientBuilder::base_url`]).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.with(|b| b.base_url(url))
    }
    /// A bearer access token for every scheme that takes one (see [`runtime_client::ClientBuilder::access_token`]).
    pub fn access_token(self, token: impl Into<String>) -> Self {
        self.with(|b| b.access_token(token))
    }
    /// OAuth2 client credentials for every OAuth2 scheme (see [`runtime_client::ClientBuilder::client_credentials`]).
    pub fn client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.with(|b| b.client_credentials(client_id, client_secret))
    }
    /// An API key for every `apiKey` scheme (see [`runtime_client::ClientBuilder::api_key`]).
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.with(|b| b.api_key(key))
    }
    /// HTTP basic credentials for every `basic` scheme (see [`runtime_client::ClientBuilder::basic_auth`]).
    pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.with(|b| b.basic_auth(user, password))
    }
    /// The OAuth2 token endpoint, instead of the spec's (see [`runtime_client::ClientBuilder::token_url`]).
    pub fn token_url(self, url: impl Into<String>) -> Self {
        self.with(|b| b.token_url(url))
    }
    /// Time allowed for one attempt (see [`runtime_client::ClientBuilder::timeout`]).
    pub fn timeout(self, timeout: std::time::Duration) -> Self {
        self.with(|b| b.timeout(timeout))
    }
    /// Time allowed to connect (see [`runtime_client::ClientBuilder::connect_timeout`]).
    pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
        self.with(|b| b.connect_timeout(timeout))
    }
    /// Turns both timeouts off (see [`runtime_client::ClientBuilder::no_timeouts`]).
    pub fn no_timeouts(self) -> Self {
        self.with(|b| b.no_timeouts())
    }
    /// The largest bodies read into memory (see [`runtime_client::ClientBuilder::body_limits`]).
    pub fn body_limits(self, limits: BodyLimits) -> Self {
        self.with(|b| b.body_limits(limits))
    }
    /// When failed requests are tried again (see [`runtime_client::ClientBuilder::retry_policy`]).
    pub fn retry_policy(self, policy: RetryPolicy) -> Self {
        self.with(|b| b.retry_policy(policy))
    }
    /// Names the application in the `User-Agent` (see [`runtime_client::ClientBuilder::consumer`]).
    pub fn consumer(self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.with(|b| b.consumer(name, version))
    }
    /// At most `requests` in any window of `per`, shared by every clone (see [`runtime_client::ClientBuilder::rate_limit`]).
    pub fn rate_limit(self, requests: u32, per: std::time::Duration) -> Self {
        self.with(|b| b.rate_limit(requests, per))
    }
    /// Sends requests through `proxy` (see [`runtime_client::ClientBuilder::proxy`]).
    pub fn proxy(self, proxy: reqwest::Proxy) -> Self {
        self.with(|b| b.proxy(proxy))
    }
    /// Sends every request directly (see [`runtime_client::ClientBuilder::no_proxy`]).
    pub fn no_proxy(self) -> Self {
        self.with(|b| b.no_proxy())
    }
    /// Uses a preconfigured `reqwest::Client` (see [`runtime_client::ClientBuilder::http_client`]).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.with(|b| b.http_client(client))
    }
{%- if sailpoint %}
    /// A builder configured from the environment (see [`runtime_client::ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(ClientBuilder { inner: runtime_client::ClientBuilder::from_env()?.schemes(schemes::ALL).servers(servers::ALL) })
    }
    /// Like [`ClientBuilder::from_env`], from the given sources (see [`runtime_client::ClientBuilder::from_sources`]).
    pub fn from_sources(env: &dyn Fn(&str) -> Option<String>, config_file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        Ok(ClientBuilder { inner: runtime_client::ClientBuilder::from_sources(env, config_file)?.schemes(schemes::ALL).servers(servers::ALL) })
    }
{%- else %}
    /// A builder configured from the environment variables [`ENV_NAMES`] lists.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_with(&|name| std::env::var(name).ok())
    }
    /// Like [`ClientBuilder::from_env`], with the environment given as a lookup function.
    pub fn from_env_with(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(ClientBuilder { inner: runtime_client::ClientBuilder::from_env_names(&ENV_NAMES, env)?.schemes(schemes::ALL).servers(servers::ALL) })
    }
{%- endif %}
    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client, ConfigError> {
        self.inner.build()
    }
}

impl From<runtime_client::Client> for Client {
    fn from(inner: runtime_client::Client) -> Self {
        Client { inner }
    }
}

impl std::ops::Deref for Client {
    type Target = runtime_client::Client;

    fn deref(&self) -> &runtime_client::Client {
        &self.inner
    }
}

// Formatted by the generator; `cargo fmt` would lay the signatures out differently.
#[rustfmt::skip]
impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, ConfigError> {
        ClientBuilder::from_env()?.build()
    }

    /// A client for `base_url` that sends `token` as a bearer access token.
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> Result<Self, ConfigError> {
        Client::builder().base_url(base_url).access_token(token).build()
    }
}
pub use error::{ApiError, AuthError, BodyTooLarge, ConfigError, Error};
pub use error::{InvalidValue, RawParts, ResponseBody};
{% if has_filter -%}
pub use filter::Filter;
{% endif -%}
{% if has_patch -%}
pub use patch::JsonPatch;
{% endif -%}
pub use retry::RetryPolicy;

/// The Markdown pages under `docs/`, compiled and run as doctests so their examples stay true.
#[cfg(doctest)]
#[rustfmt::skip]
mod doc_pages {
{% for p in doc_pages -%}
{% if let Some(cfg) = p.cfg %}    #[cfg({{ cfg }})]
{% endif %}    #[doc = include_str!("../{{ p.path }}")]
    struct {{ p.ident }};
{% endfor -%}
}
