//! Secrets in models: fields such as the `secret` returned on create are `SecretString`s, redacted in
//! `Debug` and readable only through `ExposeSecret::expose_secret`. These helpers let serde write them back.

pub use secrecy::{ExposeSecret, SecretString};

/// Serializes a secret as a plain string (used by `#[serde(serialize_with)]`).
pub fn serialize<S: serde::Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose_secret())
}

/// Serializes an optional secret as a plain string or null.
pub fn serialize_option<S: serde::Serializer>(secret: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(s) => serializer.serialize_some(s.expose_secret()),
        None => serializer.serialize_none(),
    }
}
