//! Our `spec/` files against SailPoint's upstream descriptions in `../shared/reference/upstream-pat/`:
//! structurally equal (operations, parameters, media types, status codes, schema names, property names,
//! types, formats, required, nullable, enums, bounds), whatever the wording of descriptions.
//!
//! The comparison reads both files as plain YAML, independently of the generator's own parser.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn upstream_dir() -> PathBuf {
    let dir = root().join("../shared/reference/upstream-pat");
    assert!(
        dir.is_dir(),
        "the upstream reference specs are missing: expected {} (CI has ../shared beside the clone)",
        dir.display()
    );
    dir
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Follows a local `$ref` to its target.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut cur = doc;
            for seg in r.trim_start_matches("#/").split('/') {
                cur = &cur[seg.replace("~1", "/").replace("~0", "~")];
            }
            deref(doc, cur)
        }
        None => v,
    }
}

/// The structure of a schema: what a generated client depends on, nothing it does not.
fn schema(s: &Value) -> Value {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        // Compared by name (case-insensitive: the per-resource layout uses lower-case keys).
        return json!({ "$ref": r.rsplit('/').next().unwrap().to_lowercase() });
    }
    let mut out = Map::new();
    let typ = s.get("type").cloned().unwrap_or(Value::Null);
    for key in ["type", "format", "minimum", "maximum"] {
        if let Some(v) = s.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    out.insert("nullable".into(), s.get("nullable").cloned().unwrap_or(Value::Bool(false)));
    if let Some(e) = s.get("enum") {
        out.insert("enum".into(), e.clone());
    }
    if let Some(req) = s.get("required").and_then(Value::as_array) {
        let mut r: Vec<String> = req.iter().filter_map(|x| x.as_str().map(String::from)).collect();
        r.sort();
        out.insert("required".into(), json!(r));
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        let p: BTreeMap<String, Value> = props.iter().map(|(k, v)| (k.clone(), schema(v))).collect();
        out.insert("properties".into(), json!(p));
    }
    // `items` only means something on an array (upstream puts it on strings and integers too).
    if typ == "array"
        && let Some(items) = s.get("items")
    {
        out.insert("items".into(), schema(items));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = s.get(key).and_then(Value::as_array) {
            out.insert(key.into(), Value::Array(list.iter().map(schema).collect()));
        }
    }
    if let Some(a) = s.get("additionalProperties") {
        out.insert("additionalProperties".into(), if a.is_boolean() { a.clone() } else { schema(a) });
    }
    Value::Object(out)
}

fn content(c: Option<&Value>) -> Value {
    let mut out = BTreeMap::new();
    if let Some(c) = c.and_then(Value::as_object) {
        for (mt, m) in c {
            out.insert(mt.clone(), m.get("schema").map(schema).unwrap_or(Value::Null));
        }
    }
    json!(out)
}

/// The structure of a whole document.
fn structure(doc: &Value) -> Value {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str()) {
                continue;
            }
            let mut params: Vec<Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let p = deref(doc, p);
                            json!({
                                "in": p["in"], "name": p["name"],
                                "required": p.get("required").cloned().unwrap_or(Value::Bool(false)),
                                "schema": p.get("schema").map(schema),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            params.sort_by_key(|p| format!("{}:{}", p["in"], p["name"]));
            let body = op.get("requestBody").map(|b| {
                let b = deref(doc, b);
                json!({ "required": b.get("required").cloned().unwrap_or(Value::Bool(false)), "content": content(b.get("content")) })
            });
            let mut responses = BTreeMap::new();
            for (code, r) in op["responses"].as_object().unwrap() {
                let r = deref(doc, r);
                responses.insert(code.clone(), content(r.get("content")));
            }
            ops.insert(
                format!("{} {path}", method.to_uppercase()),
                json!({ "operationId": op["operationId"], "parameters": params, "requestBody": body, "responses": responses }),
            );
        }
    }
    let mut schemas = BTreeMap::new();
    if let Some(s) = doc["components"]["schemas"].as_object() {
        for (name, v) in s {
            schemas.insert(name.clone(), schema(v));
        }
    }
    json!({ "operations": ops, "schemas": schemas })
}

/// Every JSON path where two values differ.
fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => differences(v, w, &format!("{at}/{k}"), out),
                    (Some(v), None) => out.push(format!("{at}/{k}: only in ours: {v}")),
                    (None, Some(w)) => out.push(format!("{at}/{k}: only upstream: {w}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differences(v, w, &format!("{at}/{i}"), out);
            }
        }
        _ if a != b => out.push(format!("{at}: ours {a}, upstream {b}")),
        _ => {}
    }
}

fn compare(ours: &str, upstream: &str) {
    let a = load(&root().join("spec").join(ours));
    let b = load(&upstream_dir().join(upstream));
    assert_eq!(a["openapi"], "3.0.1", "{ours}: must be OpenAPI 3.0.1");
    let mut diffs = Vec::new();
    differences(&structure(&a), &structure(&b), "", &mut diffs);
    assert!(diffs.is_empty(), "spec/{ours} differs structurally from upstream {upstream}:\n{}", diffs.join("\n"));
    // Server suffixes must agree too: they decide every request URL.
    let suffix = |d: &Value| -> Vec<String> {
        d["servers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["url"].as_str().unwrap().split_once("}").map(|(_, r)| r.to_string()).unwrap_or_default())
            .collect()
    };
    assert_eq!(
        suffix(&a).iter().map(|s| s.trim_start_matches(".api.identitynow.com")).collect::<Vec<_>>(),
        suffix(&b).iter().map(|s| s.trim_start_matches(".api.identitynow.com")).collect::<Vec<_>>()
    );
}

#[test]
fn v3_matches_upstream() {
    compare("v3.yaml", "v3.yaml");
}

#[test]
fn v2024_matches_upstream() {
    compare("v2024.yaml", "v2024.yaml");
}

#[test]
fn v2025_matches_upstream() {
    compare("v2025.yaml", "v2025.yaml");
}

#[test]
fn v1_matches_upstream_per_resource_layout() {
    compare("v1.yaml", "resource-v1.yaml");
}

/// The comparison is not vacuous: a changed type, a dropped enum value and a missing status all show.
#[test]
fn the_comparison_notices_structural_changes() {
    let b = load(&upstream_dir().join("v3.yaml"));
    let base = structure(&b);
    for (path, new) in [
        ("/components/schemas/PatOwner/properties/id/type", json!("integer")),
        ("/components/schemas/LocaleOrigin/enum", json!(["DEFAULT", null])),
        ("/paths/~1personal-access-tokens~1{id}/delete/responses/404", Value::Null),
    ] {
        let mut changed = b.clone();
        *changed.pointer_mut(path).unwrap_or_else(|| panic!("{path}")) = new;
        let mut diffs = Vec::new();
        differences(&structure(&changed), &base, "", &mut diffs);
        assert!(!diffs.is_empty(), "changing {path} went unnoticed");
    }
}
