//! A JSON Patch (RFC 6902) builder for every operation whose body is `application/json-patch+json`:
//! `JsonPatch::new().replace("/name", "New name").remove("/expirationDate")` (the examples are this
//! module's tests).
//!
//! Values are anything serde can serialize: strings, numbers, booleans, lists, `chrono` date-times, models.
//! A list of a version's generated `JsonPatchOperation` model converts into a `JsonPatch` too.

use serde::ser::{Serialize, SerializeSeq, Serializer};

/// An ordered list of JSON Patch operations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonPatch {
    operations: Vec<serde_json::Value>,
    /// The first value that could not be serialized, reported when the request is sent.
    error: Option<String>,
}

impl JsonPatch {
    /// An empty patch.
    pub fn new() -> Self {
        JsonPatch::default()
    }

    fn push(mut self, op: &str, path: &str, from: Option<&str>, value: Option<serde_json::Value>) -> Self {
        let mut o = serde_json::Map::new();
        o.insert("op".into(), op.into());
        if let Some(from) = from {
            o.insert("from".into(), from.into());
        }
        o.insert("path".into(), path.into());
        if let Some(v) = value {
            o.insert("value".into(), v);
        }
        self.operations.push(serde_json::Value::Object(o));
        self
    }

    fn value(&mut self, value: impl Serialize) -> serde_json::Value {
        match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => {
                self.error.get_or_insert_with(|| e.to_string());
                serde_json::Value::Null
            }
        }
    }

    /// `add`: adds `value` at `path` (appends to an array with `/-`).
    pub fn add(mut self, path: &str, value: impl Serialize) -> Self {
        let v = self.value(value);
        self.push("add", path, None, Some(v))
    }

    /// `remove`: removes the value at `path`.
    pub fn remove(self, path: &str) -> Self {
        self.push("remove", path, None, None)
    }

    /// `replace`: replaces the value at `path` with `value`.
    pub fn replace(mut self, path: &str, value: impl Serialize) -> Self {
        let v = self.value(value);
        self.push("replace", path, None, Some(v))
    }

    /// `move`: moves the value at `from` to `path`.
    pub fn move_value(self, from: &str, path: &str) -> Self {
        self.push("move", path, Some(from), None)
    }

    /// `copy`: copies the value at `from` to `path`.
    pub fn copy(self, from: &str, path: &str) -> Self {
        self.push("copy", path, Some(from), None)
    }

    /// `test`: the patch applies only if the value at `path` equals `value`.
    pub fn test(mut self, path: &str, value: impl Serialize) -> Self {
        let v = self.value(value);
        self.push("test", path, None, Some(v))
    }

    /// The number of operations.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    /// Whether there are no operations.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The operations as JSON, or the first value that could not be serialized.
    #[doc(hidden)]
    pub fn check(&self) -> Result<(), serde_json::Error> {
        match &self.error {
            Some(e) => Err(serde::ser::Error::custom(e)),
            None => Ok(()),
        }
    }
}

impl Serialize for JsonPatch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.operations.len()))?;
        for op in &self.operations {
            seq.serialize_element(op)?;
        }
        seq.end()
    }
}

impl<T: Serialize> From<Vec<T>> for JsonPatch {
    fn from(operations: Vec<T>) -> Self {
        let mut patch = JsonPatch::new();
        for op in operations {
            let v = patch.value(op);
            patch.operations.push(v);
        }
        patch
    }
}

#[cfg(test)]
mod examples {
    #[test]
    fn the_documented_examples_hold() {
        use super::JsonPatch;

        let patch = JsonPatch::new()
            .replace("/name", "New name")
            .replace("/scope", ["sp:scopes:all"])
            .remove("/expirationDate");
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            serde_json::json!([
                {"op": "replace", "path": "/name", "value": "New name"},
                {"op": "replace", "path": "/scope", "value": ["sp:scopes:all"]},
                {"op": "remove", "path": "/expirationDate"}
            ])
        );
    }
}
