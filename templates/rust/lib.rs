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
//! let client = {{ crate_ident }}::Client::builder()
//!     .base_url("https://tenant.api.identitynow.com")
//!     .access_token(std::env::var("SAIL_ACCESS_TOKEN")?)
//!     .build()?;
//! let api = client.{{ example_module }}();
//! # let _ = api;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

// Generated modules are formatted by the generator (prettyplease); `cargo fmt` leaves them alone.
#[rustfmt::skip]
pub mod client;
#[rustfmt::skip]
pub mod error;
#[rustfmt::skip]
pub mod secret;
{% for v in versions -%}
#[rustfmt::skip]
pub mod {{ v.module }};
{% endfor %}

pub use client::{ApiResponse, Client, ClientBuilder};
pub use error::{ApiError, ConfigError, Error, RawParts, ResponseBody};

/// The Markdown pages under `docs/`, compiled and run as doctests so their examples stay true.
#[cfg(doctest)]
#[rustfmt::skip]
mod doc_pages {
{% for p in doc_pages -%}
    #[doc = include_str!("../{{ p.path }}")]
    struct {{ p.ident }};
{% endfor -%}
}
