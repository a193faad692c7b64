//! `format: binary` members of a JSON body. JSON has no bytes, so such a member is a string on the wire
//! (Resend's attachment `content`, which Prism checks "must be string"); serde's own encoding of bytes,
//! a list of numbers, is refused by every server. The bytes are sent as the text they hold (base64
//! them first when the server wants base64, as `format: byte` says); bytes that are not UTF-8 cannot be
//! a JSON string, so encoding them is an error rather than a silent change. A string or a list of
//! numbers decodes.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serializer};

/// Encodes the bytes as the JSON string they hold.
pub fn serialize<S: Serializer>(bytes: &Bytes, s: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => s.serialize_str(text),
        Err(_) => Err(serde::ser::Error::custom(
            "a `format: binary` member of a JSON body is a string; these bytes are not UTF-8 (base64 them first)",
        )),
    }
}

/// [`serialize`] for an optional member.
pub fn serialize_option<S: Serializer>(bytes: &Option<Bytes>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => serialize(b, s),
        None => s.serialize_none(),
    }
}

/// Decodes a string (its UTF-8 bytes) or a list of numbers.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
    Bytes::deserialize(d)
}

/// [`deserialize`] for an optional member.
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bytes>, D::Error> {
    Option::<Bytes>::deserialize(d)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Attachment {
        #[serde(serialize_with = "super::serialize", deserialize_with = "super::deserialize")]
        content: bytes::Bytes,
        #[serde(default, serialize_with = "super::serialize_option", deserialize_with = "super::deserialize_option")]
        more: Option<bytes::Bytes>,
    }

    #[test]
    fn binary_members_are_strings_on_the_wire() {
        let a = Attachment { content: bytes::Bytes::from_static(b"aGk="), more: None };
        assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::json!({"content": "aGk=", "more": null}));
        let back: Attachment =
            serde_json::from_value(serde_json::json!({"content": "aGk=", "more": [104, 105]})).unwrap();
        assert_eq!((back.content.as_ref(), back.more.as_deref()), (&b"aGk="[..], Some(&b"hi"[..])));
        let raw = Attachment { content: bytes::Bytes::from_static(&[0xff, 0xfe]), more: None };
        let e = serde_json::to_value(&raw).unwrap_err().to_string();
        assert!(e.contains("not UTF-8"), "{e}");
    }
}
