//! Decoding the models that are plain records (structs whose fields are read as they are): the generated
//! code says only which fields a struct has and how each one ends up in it ([`Record`]); the visitor,
//! the lookup of a member's name and the errors are here, compiled once for every model.
//!
//! serde_derive writes all of that again for every struct (a field enum with its own visitor for
//! strings, bytes and integers, and a visitor for maps and one for sequences). In a whole-API crate that
//! was the largest share of the code the compiler checks (see BENCHMARKS.md, "Less code per operation
//! and per model"). What a record decodes is what serde_derive's code decoded from an object: members in
//! any order, unknown ones skipped, a duplicate or a missing required member an error that names it,
//! `null` or nothing for an optional one `None`, and the same `struct Name` in an error's "expected". The
//! one difference: a record is never read from a sequence (serde_derive's positional form, which no
//! OpenAPI body has).

use std::marker::PhantomData;

/// A model decoded by [`deserialize`]: its name, its members' names on the wire, and how a map of them
/// becomes the struct (written by the generator: one slot per field, [`Keys`] and [`put`] for each member,
/// [`required`] or [`optional`] for each field).
#[doc(hidden)]
pub trait Record: Sized {
    /// The struct's name, for `expected struct Name` in errors.
    const NAME: &'static str;
    /// The members' names on the wire, in the order of [`Keys`]' indexes.
    const FIELDS: &'static [&'static str];
    /// Reads the struct from its members.
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The body of every record's `Deserialize::deserialize`.
#[doc(hidden)]
#[inline]
pub fn deserialize<'de, T: Record, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, Visit(PhantomData))
}

struct Visit<T>(PhantomData<T>);

impl<'de, T: Record> serde::de::Visitor<'de> for Visit<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Reads a member's name as its index in the fields (`fields.len()` for a member the record does not
/// have), from a string, bytes or an index, as serde_derive's field visitor does. Members usually come
/// in the spec's order, so the field after the last one found is tried first.
#[doc(hidden)]
pub struct Keys {
    fields: &'static [&'static str],
    next: usize,
}

impl Keys {
    /// Names of `fields`, the first one expected first.
    #[inline]
    pub fn new(fields: &'static [&'static str]) -> Self {
        Keys { fields, next: 0 }
    }

    fn find(&mut self, matches: impl Fn(&str) -> bool) -> usize {
        let found = match self.fields.get(self.next) {
            Some(f) if matches(f) => self.next,
            _ => self.fields.iter().position(|f| matches(f)).unwrap_or(self.fields.len()),
        };
        self.next = found + 1;
        found
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut Keys {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for &mut Keys {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(self.find(|f| f == v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(self.find(|f| f.as_bytes() == v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<usize, E> {
        let len = self.fields.len();
        Ok(usize::try_from(v).ok().filter(|i| *i < len).unwrap_or(len))
    }
}

/// Reads the value of the member `name` into its slot; a second one is an error.
#[doc(hidden)]
#[inline]
pub fn put<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a member the record does not have.
#[doc(hidden)]
#[inline]
pub fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(|_| ())
}

/// A required field: its value, or the error `missing field `name``.
#[doc(hidden)]
#[inline]
pub fn required<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// An optional field (an `Option`): `None` when the member is missing or `null`.
#[doc(hidden)]
#[inline]
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

#[cfg(test)]
mod tests {
    use super::Record;

    /// What the generator writes for a struct with a renamed required member, an optional one and a
    /// nested record.
    #[derive(Debug, PartialEq)]
    struct Token {
        name: String,
        owner_name: Option<String>,
        scope: Option<Vec<String>>,
        inner: Option<Box<Token>>,
    }

    impl<'de> serde::Deserialize<'de> for Token {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    impl Record for Token {
        const NAME: &'static str = "Token";
        const FIELDS: &'static [&'static str] = &["name", "ownerName", "scope", "inner"];
        fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut f0, mut f1, mut f2, mut f3) = (None, None, None, None);
            let mut keys = super::Keys::new(Self::FIELDS);
            while let Some(i) = map.next_key_seed(&mut keys)? {
                match i {
                    0 => super::put(&mut map, &mut f0, "name")?,
                    1 => super::put(&mut map, &mut f1, "ownerName")?,
                    2 => super::put(&mut map, &mut f2, "scope")?,
                    3 => super::put(&mut map, &mut f3, "inner")?,
                    _ => super::skip(&mut map)?,
                }
            }
            Ok(Self {
                name: super::required(f0, "name")?,
                owner_name: super::optional(f1),
                scope: super::optional(f2),
                inner: super::optional(f3),
            })
        }
    }

    fn err(json: &str) -> String {
        serde_json::from_str::<Token>(json).unwrap_err().to_string()
    }

    #[test]
    fn members_in_any_order_unknown_ones_skipped_null_and_missing_are_none() {
        let t: Token = serde_json::from_str(
            r#"{"scope": ["a"], "extra": {"deep": [1, 2]}, "ownerName": null, "name": "x", "inner": {"name": "y"}}"#,
        )
        .unwrap();
        let inner = Token { name: "y".into(), owner_name: None, scope: None, inner: None };
        assert_eq!(
            t,
            Token { name: "x".into(), owner_name: None, scope: Some(vec!["a".into()]), inner: Some(Box::new(inner)) }
        );
        // Escaped names (which serde_json cannot lend) and names read from a parsed value.
        let t: Token = serde_json::from_str(r#"{"n\u0061me": "x", "owner\u004eame": "n"}"#).unwrap();
        assert_eq!((t.name.as_str(), t.owner_name.as_deref()), ("x", Some("n")));
        let t = Token::deserialize(&serde_json::json!({"name": "v", "ownerName": "o"})).unwrap();
        assert_eq!(t.owner_name.as_deref(), Some("o"));
    }

    #[test]
    fn errors_name_the_member_and_what_was_expected() {
        assert!(err(r#"{"ownerName": "n"}"#).starts_with("missing field `name`"), "{}", err(r#"{}"#));
        assert!(err(r#"{"name": "a", "name": "b"}"#).starts_with("duplicate field `name`"));
        assert!(err(r#""text""#).starts_with("invalid type: string \"text\", expected struct Token"));
        assert!(err(r#"["x"]"#).starts_with("invalid type: sequence, expected struct Token"));
        assert!(err(r#"{"name": 3}"#).starts_with("invalid type: integer `3`, expected a string"));
        // The path of a failure inside a nested record, as the client reports it.
        let de = &mut serde_json::Deserializer::from_str(r#"{"name": "x", "inner": {"name": "y", "scope": [1]}}"#);
        let e = serde_path_to_error::deserialize::<_, Token>(de).unwrap_err();
        assert_eq!(e.path().to_string(), "inner.scope[0]");
    }

    #[test]
    fn a_missing_required_member_is_corrected_like_a_derived_one() {
        let (t, corrected) = crate::correct::decode::<Token>(
            br#"{"inner": {"ownerName": "n", "name": "y"}, "name": "x", "scope": null}"#,
        )
        .unwrap_or_else(|f| panic!("{}: {}", f.path, f.source));
        assert_eq!((t.name.as_str(), corrected.len()), ("x", 0));
        let (t, corrected) = crate::correct::decode::<Token>(br#"{"inner": {"ownerName": "n"}, "name": "x"}"#)
            .unwrap_or_else(|f| panic!("{}: {}", f.path, f.source));
        assert_eq!(t.inner.map(|i| i.name), Some(String::new()));
        assert_eq!(corrected, vec!["inner.name".to_string()]);
    }

    use serde::Deserialize as _;
}
