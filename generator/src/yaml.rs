//! YAML and JSON-pointer helpers shared by reading, bundling and lowering: a spec file's text as a
//! plain value (JSON or YAML, with integers beyond 64 bits kept as numbers), scalars as text, and the
//! node a JSON pointer names.

use crate::error::SpecError;
use crate::source::Place;

/// Parses one file's text into a plain value: JSON with a JSON parser (`.json` files, whose escapes are
/// not all valid YAML), anything else as YAML. Syntax errors carry the line.
pub fn from_text(file: &str, text: &str) -> Result<serde_norway::Value, SpecError> {
    let err = |line: Option<usize>, message: String| SpecError::at(Place::new(file, "", line), message);
    if file.to_ascii_lowercase().ends_with(".json") {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| err(Some(e.line()), format!("JSON syntax error: {e}")))?;
        return serde_norway::to_value(json).map_err(|e| err(None, format!("cannot read the JSON document: {e}")));
    }
    serde_norway::from_str::<Loose>(text).map(|l| l.0).map_err(|e| {
        let line = e.location().map(|l| l.line());
        err(line, format!("YAML syntax error: {e}"))
    })
}

/// A YAML value read like `serde_norway::Value`, except that integers beyond 64 bits (real specs put
/// them in bounds and examples) become floating-point numbers instead of failing the whole file.
struct Loose(serde_norway::Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = serde_norway::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number((v as f64).into()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number((v as f64).into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Number(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_norway::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(serde_norway::Value::Sequence(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_norway::Mapping::new();
        while let Some(Loose(k)) = map.next_key()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format_args!("duplicate entry with key {}", scalar_text(&k))));
            }
            let Loose(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(serde_norway::Value::Mapping(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(serde::de::Error::custom("YAML tags (`!tag`) are not supported in a spec"))
    }
}

/// A YAML scalar as text (keys and version numbers).
pub fn scalar_text(v: &serde_norway::Value) -> String {
    match v {
        serde_norway::Value::String(s) => s.clone(),
        serde_norway::Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// The node a JSON pointer names in a YAML value.
pub fn get<'a>(root: &'a serde_norway::Value, pointer: &str) -> Option<&'a serde_norway::Value> {
    let mut cur = root;
    if pointer.is_empty() {
        return Some(cur);
    }
    for seg in pointer.trim_start_matches('/').split('/') {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            serde_norway::Value::Mapping(m) => m.iter().find(|(k, _)| scalar_text(k) == seg).map(|(_, v)| v)?,
            serde_norway::Value::Sequence(s) => s.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}
