//! {{ crate_title }}
//!
//! A typed async client for SailPoint Identity Security Cloud's Personal Access Tokens API, generated
//! from the OpenAPI descriptions in `spec/`. One [`Client`] serves every API version:
//!
{% for v in versions -%}
//! - [`{{ v.module }}`]: {{ v.title }} (`{{ v.version }}`), paths under `{{ v.base_path_display }}`
{% endfor -%}
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // SAIL_BASE_URL, SAIL_CLIENT_ID, SAIL_CLIENT_SECRET, or the sail CLI's ~/.sailpoint/config.yaml
//! let client = {{ crate_ident }}::Client::from_env()?;
//! let api = client.{{ example_module }}();
//! # let _ = api;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

// Generated modules are formatted by the generator (prettyplease); `cargo fmt` leaves them alone.
#[rustfmt::skip]
mod auth;
#[rustfmt::skip]
pub mod client;
#[rustfmt::skip]
pub mod config;
#[rustfmt::skip]
pub mod filter;
#[rustfmt::skip]
pub mod patch;
#[rustfmt::skip]
pub mod retry;
#[rustfmt::skip]
pub mod error;
#[rustfmt::skip]
pub mod secret;
{% for v in versions -%}
#[rustfmt::skip]
pub mod {{ v.module }};
{% endfor %}

pub use client::{ApiResponse, Client, ClientBuilder};
pub use error::{ApiError, AuthError, ConfigError, Error, RawParts, ResponseBody};
pub use filter::Filter;
pub use patch::JsonPatch;
pub use retry::RetryPolicy;

/// The Markdown pages under `docs/`, compiled and run as doctests so their examples stay true.
#[cfg(doctest)]
#[rustfmt::skip]
mod doc_pages {
{% for p in doc_pages -%}
    #[doc = include_str!("../{{ p.path }}")]
    struct {{ p.ident }};
{% endfor -%}
}
