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
#[rustfmt::skip]
pub mod config;
#[rustfmt::skip]
mod correct;
#[rustfmt::skip]
pub mod error;
#[rustfmt::skip]
pub mod filter;
#[rustfmt::skip]
pub mod patch;
#[rustfmt::skip]
pub mod retry;
#[rustfmt::skip]
pub mod secret;
#[rustfmt::skip]
pub mod validate;
{%- else -%}
// The runtime: the `sdk-runtime` crate, whose modules this crate's operations call as `crate::client`, ...
pub use sdk_runtime::{config, error, filter, patch, retry, secret, validate};

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

/// Configures a [`Client`]: every setter is the runtime's builder's.
pub type ClientBuilder = runtime_client::ClientBuilder<Client>;

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
