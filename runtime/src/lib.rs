//! The runtime every generated client crate shares: the HTTP client and its builder ([`client`]),
//! authentication (a static token or OAuth2 client credentials), retries ([`retry`]), errors
//! ([`error`]), correction of drifted response bodies, and the request helpers generated operations call
//! (query, header, cookie and form encoding, multipart bodies, path segments, bound checks,
//! [`JsonPatch`], [`Filter`]).
//!
//! A generated crate uses it in one of two ways, chosen by the generator:
//! - **as a dependency** (inside this workspace): the generated crate re-exports these modules, so
//!   `sailpoint_pat::client::Client` *is* `sdk_runtime::client::Client`, and two generated crates in one
//!   program share one `Error` type and one fix;
//! - **embedded**: the generator copies these files, unchanged, into the generated crate's `src/`, so the
//!   crate stands alone (the default for output outside this workspace). Every path in them is
//!   `crate::<module>::...`, which resolves the same way in both.
//!
//! Items marked `#[doc(hidden)]` are for generated code, not for callers: they may change with the
//! generator.
//!
//! ```
//! use sdk_runtime::{Filter, JsonPatch};
//!
//! let patch = JsonPatch::new().replace("/name", "New name").remove("/expirationDate");
//! assert_eq!(patch.len(), 2);
//! assert_eq!(Filter::isnull("lastUsed").to_string(), "lastUsed isnull");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
pub mod binary;
pub mod client;
pub mod config;
mod correct;
pub mod env;
pub mod error;
pub mod filter;
pub mod pagination;
pub mod patch;
pub mod record;
pub mod retry;
pub mod secret;
pub mod security;
pub mod unions;
pub mod validate;

pub use client::{ApiResponse, BodyLimits, Client, ClientBuilder};
pub use error::{ApiError, AuthError, BodyTooLarge, ConfigError, Error, InvalidValue, RawParts, ResponseBody};
pub use filter::Filter;
pub use patch::JsonPatch;
pub use retry::RetryPolicy;
pub use security::{Credential, KeyLocation, Scheme, SchemeKind, Server, ServerVariable};
