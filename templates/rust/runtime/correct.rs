//! Client error correction for response bodies, as the AWS SDKs do it (Smithy's rule): when a server
//! omits a required member of a response, or sends `null` for one that is not nullable, the client fills
//! in the type's zero value instead of failing, because failing would turn a server bug into an outage
//! (and could lose what the server sent, such as a secret shown only once). The correction is never
//! silent: every corrected path is listed on the response (`ApiResponse::corrections`) and logged as a
//! `tracing` warning. Anything else that does not fit (a string where a number belongs, a body that is
//! not JSON) is an `Error::Decode` naming the path.
//!
//! The fast path is one `serde_json::from_slice`; only a body that fails it is read again here.
{{ inner_allow }}

/// Why a body could not be decoded: the JSON path of the value that did not fit (`.` for the body
/// itself) and serde's message.
pub(crate) struct Failure {
    pub(crate) path: String,
    pub(crate) source: serde_json::Error,
}

/// Decodes `bytes` into `T`, correcting missing and `null` required values to their zero value.
/// Returns the value and the corrected paths, or where and why it does not fit.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(T, Vec<String>), Failure> {
    let first = match serde_json::from_slice::<T>(bytes) {
        Ok(v) => return Ok((v, Vec::new())),
        Err(e) => e,
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Err(Failure { path: ".".into(), source: first });
    };
    let mut corrected: Vec<String> = Vec::new();
    // Each round fixes one value; a body with more problems than this is not a drifted response.
    for _ in 0..256 {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) => return Ok((v, corrected)),
            Err(e) => e,
        };
        let segments: Vec<Seg> = error.path().iter().filter_map(Seg::from).collect();
        let message = error.inner().to_string();
        let fixed = if let Some(field) = missing_field(&message) {
            // `missing field `x``: the path is the object; give it `x: null`, typed next round.
            match at(&mut value, &segments) {
                Some(serde_json::Value::Object(map)) if !map.contains_key(field) => {
                    map.insert(field.to_string(), serde_json::Value::Null);
                    let mut path = segments.clone();
                    path.push(Seg::Key(field.to_string()));
                    corrected.push(show(&path));
                    true
                }
                _ => false,
            }
        } else if let Some(expected) = message.strip_prefix("invalid type: null, expected ") {
            match (at(&mut value, &segments), zero(expected)) {
                (Some(slot @ serde_json::Value::Null), Some(z)) => {
                    *slot = z;
                    let path = show(&segments);
                    if !corrected.contains(&path) {
                        corrected.push(path);
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
}
