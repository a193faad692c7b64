//! Client error correction for response bodies, as the AWS SDKs do it (Smithy's rule): when a server
//! omits a required member of a response, or sends `null` for one that is not nullable, the client fills
//! in the type's zero value instead of failing, because failing would turn a server bug into an outage
//! (and could lose what the server sent, such as a secret shown only once). The correction is never
//! silent: every corrected path is listed on the response (`ApiResponse::corrections`) and logged as a
//! `tracing` warning. Anything else that does not fit (a string where a number belongs, a body that is
//! not JSON) is an `Error::Decode` naming the path.
//!
//! The fast path is one `serde_json::from_slice`; only a body that fails it is read again here.

/// Why a body could not be decoded: the JSON path of the value that did not fit (`.` for the body
/// itself) and serde's message.
pub(crate) struct Failure {
    pub(crate) path: String,
    pub(crate) source: serde_json::Error,
}

/// Decodes `bytes` into `T`, correcting missing and `null` required values to their zero value.
/// Returns the value and the corrected paths, or where and why it does not fit.
///
/// What is never corrected: the body itself or an item of a list when it is `null` or `{}` where an
/// object with required members is due (that is a broken answer, not a drifted one); identifiers
/// (`id`, `ownerId`, `owner_id`, ...) and secrets (they would be used as if real); and anything that is
/// present with the wrong type. Correction is one pass over the body, whatever the number of
/// corrections; only structs that keep unknown properties (read as maps) need a pass per missing member.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(T, Vec<String>), Failure> {
    let first = match serde_json::from_slice::<T>(bytes) {
        Ok(v) => return Ok((v, Vec::new())),
        Err(e) => e,
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Err(Failure { path: ".".into(), source: first });
    };
    let mut extra: Vec<String> = Vec::new();
    // A round per member the single pass cannot reach (inside structs read as maps).
    for _ in 0..64 {
        let log = std::cell::RefCell::new(Vec::new());
        let error = match serde_path_to_error::deserialize::<_, T>(Fix {
            value: &value,
            at: &Pos::Root,
            synthesized: false,
            log: &log,
        }) {
            Ok(v) => {
                let mut corrected = log.into_inner();
                corrected.extend(extra);
                return Ok((v, corrected));
            }
            Err(e) => e,
        };
        let segments: Vec<Seg> = error.path().iter().filter_map(Seg::from).collect();
        let message = error.inner().to_string();
        let fixed = if let Some(field) = missing_field(&message).filter(|f| !never_zero(f)) {
            match at(&mut value, &segments) {
                Some(serde_json::Value::Object(map))
                    if !map.contains_key(field) && (!map.is_empty() || !whole(&segments)) =>
                {
                    map.insert(field.to_string(), serde_json::Value::Null);
                    let mut path = segments.clone();
                    path.push(Seg::Key(field.to_string()));
                    extra.push(show(&path));
                    true
                }
                _ => false,
            }
        } else if let Some(expected) = message.strip_prefix("invalid type: null, expected ") {
            let key_ok = match segments.last() {
                Some(Seg::Key(k)) => !never_zero(k),
                _ => true,
            };
            match (at(&mut value, &segments), zero(expected).filter(|_| key_ok)) {
                (Some(slot @ serde_json::Value::Null), Some(z)) if !(z.is_object() && whole(&segments)) => {
                    *slot = z;
                    let path = show(&segments);
                    if !extra.contains(&path) {
                        extra.push(path);
                    }
                    true
                }
                _ => false,
            }
        } else {
            false
        };
        if !fixed {
            let source = serde::de::Error::custom(message);
            return Err(Failure { path: show(&segments), source });
        }
    }
    Err(Failure { path: ".".into(), source: first })
}

/// Whether a path names the body itself or an item of a list: a record that is `null` or `{}` there is
/// missing, not drifted, and is never made up.
fn whole(path: &[Seg]) -> bool {
    matches!(path.last(), None | Some(Seg::Index(_)))
}

/// Members never zero-filled by name: identifiers, which a caller would send back as if real. (Secrets
/// are known by their type: see [`zero`].)
fn never_zero(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower == "id" || key.ends_with("Id") || key.ends_with("ID") || lower.ends_with("_id") || lower.ends_with("-id")
}

/// Where a value sits in the body, as a list linked from the innermost step (built only as the
/// decoder descends; turned into text only for a correction).
enum Pos<'p> {
    Root,
    Key(&'p str, &'p Pos<'p>),
    Index(usize, &'p Pos<'p>),
}

impl Pos<'_> {
    fn show(&self) -> String {
        let mut steps = Vec::new();
        let mut cur = self;
        loop {
            match cur {
                Pos::Root => break,
                Pos::Key(k, up) => {
                    steps.push(Seg::Key((*k).to_string()));
                    cur = up;
                }
                Pos::Index(i, up) => {
                    steps.push(Seg::Index(*i));
                    cur = up;
                }
            }
        }
        steps.reverse();
        show(&steps)
    }

    fn key(&self) -> Option<&str> {
        match self {
            Pos::Key(k, _) => Some(k),
            _ => None,
        }
    }
}

static NULL: serde_json::Value = serde_json::Value::Null;

/// A deserializer over a parsed body that fills in the zero value of what the type asks for where the
/// body has `null` or nothing, and records each such path. Everything else reads as serde_json would.
struct Fix<'a> {
    value: &'a serde_json::Value,
    at: &'a Pos<'a>,
    /// The member was missing from its object (not `null` in it).
    synthesized: bool,
    log: &'a std::cell::RefCell<Vec<String>>,
}

type Res<T> = Result<T, serde_json::Error>;

impl<'a> Fix<'a> {
    /// For a `null` (or missing) value where the visitor wants something that is not optional: its zero
    /// value, or `None` where the rules above forbid one.
    fn zero_for(&self, expected: &str) -> Option<serde_json::Value> {
        let z = match self.at {
            Pos::Root => return None,
            Pos::Key(k, _) if never_zero(k) => return None,
            _ => zero(expected)?,
        };
        // A list item that is `null` where an object is due is missing, not drifted.
        if z.is_object() && matches!(self.at, Pos::Index(..)) {
            return None;
        }
        Some(z)
    }

    fn refuse<T>(&self, expected: &str) -> Res<T> {
        Err(match (self.synthesized, self.at.key()) {
            (true, Some(k)) => serde::de::Error::custom(format_args!("missing field `{k}`")),
            _ => serde::de::Error::custom(format_args!("invalid type: null, expected {expected}")),
        })
    }

    fn record(&self) {
        self.log.borrow_mut().push(self.at.show());
    }

    /// A scalar: read as it is, or, when `null`, as its zero value.
    fn scalar<'de, V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
        read: fn(serde_json::Value, V) -> Res<V::Value>,
    ) -> Res<V::Value> {
        if !self.value.is_null() {
            return read(self.value.clone(), visitor);
        }
        let expected = format!("{}", &visitor as &dyn serde::de::Expected);
        match self.zero_for(&expected) {
            Some(z) => {
                self.record();
                read(z, visitor)
            }
            None => self.refuse(&expected),
        }
    }

    /// A container that is `null`: its zero value (recorded), read by `read`.
    fn null_container<'de, V: serde::de::Visitor<'de>>(
        &self,
        visitor: V,
        read: impl FnOnce(Fix<'_>, V) -> Res<V::Value>,
    ) -> Res<V::Value> {
        let expected = format!("{}", &visitor as &dyn serde::de::Expected);
        match self.zero_for(&expected) {
            Some(z) => {
                self.record();
                read(Fix { value: &z, at: self.at, synthesized: false, log: self.log }, visitor)
            }
            None => self.refuse(&expected),
        }
    }
}

macro_rules! scalars {
    ($de:lifetime: $($method:ident)*) => {
        $(fn $method<V: serde::de::Visitor<$de>>(self, visitor: V) -> Res<V::Value> {
            self.scalar(visitor, |v, visitor| serde::Deserializer::$method(v, visitor))
        })*
    };
}

impl<'de> serde::Deserializer<'de> for Fix<'_> {
    type Error = serde_json::Error;

    scalars!('de: deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_identifier);

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.value {
            serde_json::Value::Object(map) => visitor.visit_map(Members::new(map, &[], self.at, self.log)),
            serde_json::Value::Array(items) => visitor.visit_seq(Items::new(items, self.at, self.log)),
            other => other.clone().deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        if self.value.is_null() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        self.value.clone().deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(self, name: &'static str, visitor: V) -> Res<V::Value> {
        self.value.clone().deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(self, _name: &'static str, visitor: V) -> Res<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.value {
            serde_json::Value::Array(items) => visitor.visit_seq(Items::new(items, self.at, self.log)),
            serde_json::Value::Null => self.null_container(visitor, |f, v| f.deserialize_seq(v)),
            other => other.clone().deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: serde::de::Visitor<'de>>(self, _len: usize, visitor: V) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Res<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        match self.value {
            serde_json::Value::Object(map) => visitor.visit_map(Members::new(map, &[], self.at, self.log)),
            serde_json::Value::Null => self.null_container(visitor, |f, v| f.deserialize_map(v)),
            other => other.clone().deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        match self.value {
            serde_json::Value::Object(map) => {
                // An empty object for the body or a list item stays empty: its required members are
                // reported missing, not made up.
                let fill = if map.is_empty() && !matches!(self.at, Pos::Key(..)) { &[][..] } else { fields };
                visitor.visit_map(Members::new(map, fill, self.at, self.log))
            }
            serde_json::Value::Null => self.null_container(visitor, |f, v| f.deserialize_struct(name, fields, v)),
            other => other.clone().deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Res<V::Value> {
        self.value.clone().deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Res<V::Value> {
        visitor.visit_unit()
    }
}

/// An object's members, then (for a struct) `null` for each of its fields that the object lacks, so that
/// an optional one reads as `None` and a required one gets its zero value.
struct Members<'a> {
    present: serde_json::map::Iter<'a>,
    absent: std::vec::IntoIter<&'static str>,
    next: Option<(&'a str, &'a serde_json::Value, bool)>,
    at: &'a Pos<'a>,
    log: &'a std::cell::RefCell<Vec<String>>,
}

impl<'a> Members<'a> {
    fn new(
        map: &'a serde_json::Map<String, serde_json::Value>,
        fields: &'static [&'static str],
        at: &'a Pos<'a>,
        log: &'a std::cell::RefCell<Vec<String>>,
    ) -> Self {
        let absent: Vec<&'static str> = fields.iter().copied().filter(|f| !map.contains_key(*f)).collect();
        Members { present: map.iter(), absent: absent.into_iter(), next: None, at, log }
    }
}

impl<'de> serde::de::MapAccess<'de> for Members<'_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Res<Option<K::Value>> {
        let (key, value, synthesized) = match self.present.next() {
            Some((k, v)) => (k.as_str(), v, false),
            None => match self.absent.next() {
                Some(f) => (f, &NULL, true),
                None => return Ok(None),
            },
        };
        self.next = Some((key, value, synthesized));
        seed.deserialize(serde::de::value::StrDeserializer::<serde_json::Error>::new(key)).map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(&mut self, seed: V) -> Res<V::Value> {
        let Some((key, value, synthesized)) = self.next.take() else {
            return Err(serde::de::Error::custom("a value was asked for before its key"));
        };
        let at = Pos::Key(key, self.at);
        seed.deserialize(Fix { value, at: &at, synthesized, log: self.log })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.present.len() + self.absent.len())
    }
}

/// A list's items, each read through [`Fix`].
struct Items<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, serde_json::Value>>,
    at: &'a Pos<'a>,
    log: &'a std::cell::RefCell<Vec<String>>,
}

impl<'a> Items<'a> {
    fn new(items: &'a [serde_json::Value], at: &'a Pos<'a>, log: &'a std::cell::RefCell<Vec<String>>) -> Self {
        Items { items: items.iter().enumerate(), at, log }
    }
}

impl<'de> serde::de::SeqAccess<'de> for Items<'_> {
    type Error = serde_json::Error;

    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(&mut self, seed: T) -> Res<Option<T::Value>> {
        let Some((i, value)) = self.items.next() else { return Ok(None) };
        let at = Pos::Index(i, self.at);
        seed.deserialize(Fix { value, at: &at, synthesized: false, log: self.log }).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// One step of a path into a JSON value.
#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn from(s: &serde_path_to_error::Segment) -> Option<Seg> {
        match s {
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            _ => None,
        }
    }
}

/// `owner.name`, `[2].expirationDate`, `.` for the body itself.
fn show(path: &[Seg]) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn at<'a>(value: &'a mut serde_json::Value, path: &[Seg]) -> Option<&'a mut serde_json::Value> {
    let mut v = value;
    for s in path {
        v = match s {
            Seg::Key(k) => v.get_mut(k.as_str())?,
            Seg::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// The zero value of what serde expected (`a string`, `i64`, `a boolean`, `a sequence`, `struct X`, a
/// date-time), or `None` when there is none to give.
fn zero(expected: &str) -> Option<serde_json::Value> {
    let e = expected.to_ascii_lowercase();
    // A secret is never made up (its type says so when it is read: `a secret string`).
    if e.contains("secret") {
        return None;
    }
    // Named things first: `struct CandidateDate` is a struct, whatever its name says.
    Some(if e.starts_with("struct ") || e.starts_with("a map") || e.starts_with("map") {
        serde_json::Value::Object(serde_json::Map::new())
    } else if e.starts_with("a sequence") || e.starts_with("an array") || e.starts_with("tuple") {
        serde_json::Value::Array(Vec::new())
    } else if e.contains("date and time") || e.contains("datetime") {
        serde_json::Value::String("1970-01-01T00:00:00Z".into())
    } else if e.contains("date") {
        serde_json::Value::String("1970-01-01".into())
    } else if e.contains("string") || e.contains("char") {
        serde_json::Value::String(String::new())
    } else if e.contains("bool") {
        serde_json::Value::Bool(false)
    } else if ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "integer"].iter().any(|t| e.contains(t)) {
        serde_json::Value::from(0)
    } else if e.contains("f32") || e.contains("f64") || e.contains("number") || e.contains("float") {
        serde_json::Value::from(0.0)
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::zero;
    use serde_json::json;

    #[test]
    fn zero_values_follow_what_serde_expected() {
        assert_eq!(zero("struct CandidateDate"), Some(json!({})));
        assert_eq!(zero("a sequence"), Some(json!([])));
        assert_eq!(zero("a map"), Some(json!({})));
        assert_eq!(zero("a formatted date and time string or a unix timestamp"), Some(json!("1970-01-01T00:00:00Z")));
        assert_eq!(zero("a string"), Some(json!("")));
        assert_eq!(zero("a boolean"), Some(json!(false)));
        assert_eq!(zero("i64"), Some(json!(0)));
        assert_eq!(zero("f64"), Some(json!(0.0)));
        assert_eq!(zero("something else"), None);
    }

    /// Properties over arbitrary bodies: decoding never panics, corrects exactly the required members a
    /// body left out or nulled (one pass, any number), and never makes up an id, a secret or a record.
    mod properties {
        use super::super::decode;
        use proptest::prelude::*;
        use serde_json::{Value, json};

        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Owner {
            id: Option<String>,
            name: String,
        }

        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            id: String,
            name: String,
            count: i64,
            flag: bool,
            tags: Vec<String>,
            owner: Owner,
            #[serde(default)]
            note: Option<String>,
            #[serde(deserialize_with = "crate::secret::deserialize")]
            secret: crate::secret::SecretString,
        }

        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Open {
            name: String,
            count: i64,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, Value>,
        }

        fn key() -> impl Strategy<Value = String> {
            prop::sample::select(vec!["id", "name", "count", "flag", "tags", "owner", "note", "secret", "x"])
                .prop_map(String::from)
        }

        fn any_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
                "[a-z]{0,3}".prop_map(Value::from),
            ];
            leaf.prop_recursive(4, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                    prop::collection::btree_map(key(), inner, 0..8)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn item(i: usize) -> Value {
            json!({"id": format!("i{i}"), "name": "n", "count": 7, "flag": true, "tags": ["t"], "owner": {"id": "o", "name": "ada"}, "note": "x", "secret": "s"})
        }

        proptest! {
            #[test]
            fn arbitrary_bodies_never_panic(body in any_json()) {
                let bytes = serde_json::to_vec(&body).unwrap();
                let _ = decode::<Item>(&bytes);
                let _ = decode::<Vec<Item>>(&bytes);
                let _ = decode::<Open>(&bytes);
                let _ = decode::<Vec<Open>>(&bytes);
            }

            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
                let _ = decode::<Vec<Item>>(&bytes);
            }

            /// Each item loses or nulls some of `name`, `count`, `flag`, `tags`, `owner`, `owner.name`:
            /// exactly those paths are corrected, and everything else arrives as sent.
            #[test]
            fn exactly_the_drifted_members_are_corrected(drift in prop::collection::vec((0usize..6, any::<bool>()), 0..40)) {
                let mut items: Vec<Value> = (0..20).map(item).collect();
                let mut expected = std::collections::BTreeSet::new();
                for (n, (which, remove)) in drift.iter().enumerate() {
                    let i = n % items.len();
                    let (outer, inner) = [("name", None), ("count", None), ("flag", None), ("tags", None), ("owner", None), ("owner", Some("name"))][*which];
                    let (slot, path) = match inner {
                        None => (items[i].as_object_mut().unwrap(), format!("[{i}].{outer}")),
                        Some(k) => match items[i][outer].as_object_mut() {
                            Some(o) => (o, format!("[{i}].{outer}.{k}")),
                            None => continue,
                        },
                    };
                    let k = inner.unwrap_or(outer);
                    let _ = if *remove { slot.remove(k) } else { slot.insert(k.to_string(), Value::Null) };
                    // A removed or nulled owner is corrected as a whole; its members then too.
                    if expected.iter().any(|p: &String| path.starts_with(&format!("{p}."))) { continue; }
                    expected.retain(|p: &String| !p.starts_with(&format!("{path}.")));
                    expected.insert(path);
                }
                let bytes = serde_json::to_vec(&items).unwrap();
                let (decoded, corrections) = decode::<Vec<Item>>(&bytes).map_err(|f| TestCaseError::fail(format!("{}: {}", f.path, f.source)))?;
                prop_assert_eq!(decoded.len(), 20);
                let got: std::collections::BTreeSet<String> = corrections.iter().filter(|p| expected.iter().any(|e| p == &e)).cloned().collect();
                prop_assert_eq!(&got, &expected);
                for c in &corrections {
                    prop_assert!(expected.iter().any(|e| c == e || c.starts_with(&format!("{e}."))), "unexpected correction {}", c);
                }
                for (i, d) in decoded.iter().enumerate() {
                    prop_assert_eq!(&d.id, &format!("i{i}"));
                }
            }

            /// An id or a secret that is missing or null is never made up, nor is a list item that is
            /// `null` or `{}`.
            #[test]
            fn ids_secrets_and_whole_records_are_never_made_up(at in 0usize..10, what in 0usize..4) {
                let mut items: Vec<Value> = (0..10).map(item).collect();
                match what {
                    0 => { items[at].as_object_mut().unwrap().remove("id"); }
                    1 => { items[at]["secret"] = Value::Null; }
                    2 => { items[at] = json!({}); }
                    _ => { items[at] = Value::Null; }
                }
                let bytes = serde_json::to_vec(&items).unwrap();
                let failure = decode::<Vec<Item>>(&bytes).err();
                prop_assert!(failure.is_some());
                let failure = failure.unwrap();
                prop_assert!(failure.path.starts_with(&format!("[{at}]")), "{}", failure.path);
            }
        }
    }
}
