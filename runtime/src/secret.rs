//! Secrets in models: fields such as the `secret` returned on create are `SecretString`s, redacted in
//! `Debug` and readable only through `ExposeSecret::expose_secret`. These helpers let serde write them back,
//! and read them so that a missing or `null` secret is never corrected to an empty one.

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

/// Reads a secret (used by `#[serde(deserialize_with)]`). It says it expects `a secret string`, so a
/// response that leaves a secret out, or sends `null` for it, is an error rather than corrected to `""`.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SecretString, D::Error> {
    deserializer.deserialize_string(SecretVisitor)
}

/// Reads an optional secret: `null` is `None`.
pub fn deserialize_option<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<SecretString>, D::Error> {
    struct Optional;
    impl<'de> serde::de::Visitor<'de> for Optional {
        type Value = Option<SecretString>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a secret string or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            deserialize(d).map(Some)
        }
    }
    deserializer.deserialize_option(Optional)
}

struct SecretVisitor;

impl serde::de::Visitor<'_> for SecretVisitor {
    type Value = SecretString;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a secret string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(SecretString::from(v))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(SecretString::from(v))
    }
}
