//! Hand-written (never touched by the generator): every example in SailPoint's upstream documents
//! (`../shared/reference/upstream-pat/`) decodes into our generated model and encodes back to equal JSON.
//!
//! Examples covered: schema-level `example`s of components; media-type `example` and `examples` of
//! responses and request bodies; each object schema's example assembled from its properties' examples
//! (recursively through `$ref`s), and that object with each `oneOf`/`anyOf` member's example in place.

use std::path::PathBuf;

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

fn upstream(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/upstream-pat").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (CI has ../shared beside the clone)", path.display()));
    serde_norway::from_str(&text).unwrap()
}

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))
}

/// Component schema name (any case) -> the model's round trip, per version module.
macro_rules! registry {
    ($fn:ident, $m:ident: $($t:ident),* $(,)?) => {
        fn $fn(name: &str, v: &Value) -> Option<Result<Value, String>> {
            $(
                if name.eq_ignore_ascii_case(stringify!($t)) {
                    return Some(round_trip::<sailpoint_pat::$m::models::$t>(v));
                }
            )*
            None
        }
    };
}
registry!(v3, v3: CreatePersonalAccessTokenRequest, CreatePersonalAccessTokenResponse, ErrorMessageDto, ErrorResponseDto,
    GetPersonalAccessTokenResponse, JsonPatchOperation, LocaleOrigin, PatOwner, Response401, Response429);
registry!(v2024, v2024: CreatePersonalAccessTokenRequest, CreatePersonalAccessTokenResponse, ErrorMessageDto, ErrorResponseDto,
    GetPersonalAccessTokenResponse, JsonPatchOperation, LocaleOrigin, PatOwner, Response401, Response429);
registry!(v2025, v2025: CreatePersonalAccessTokenRequest, CreatePersonalAccessTokenResponse, ErrorMessageDto, ErrorResponseDto,
    GetPersonalAccessTokenResponse, JsonPatchOperation, LocaleOrigin, PatOwner, Response401, Response429);
registry!(v1, v1: CreatePersonalAccessTokenRequest, CreatePersonalAccessTokenResponse, ErrorMessageDto, ErrorResponseDto,
    GetPersonalAccessTokenResponse, JsonPatchOperation, LocaleOrigin, PatOwner, Response401, Response429);

/// The component a schema names, if it is a `$ref`.
fn ref_name(s: &Value) -> Option<&str> {
    s.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
}

/// An example for a schema: its own, else one assembled from its properties' examples.
fn assemble(doc: &Value, s: &Value, depth: usize) -> Option<Value> {
    if depth > 8 {
        return None;
    }
    if let Some(name) = ref_name(s) {
        return assemble(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    if let Some(e) = s.get("example") {
        return Some(e.clone());
    }
    let props = s.get("properties")?.as_object()?;
    let mut out = Map::new();
    for (k, p) in props {
        if let Some(v) = assemble(doc, p, depth + 1) {
            out.insert(k.clone(), v);
        }
    }
    Some(Value::Object(out))
}

struct Case {
    what: String,
    schema: String,
    json: Value,
}

fn cases(doc: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (name, s) in schemas {
        if let Some(e) = s.get("example") {
            out.push(Case { what: format!("schema {name} example"), schema: name.clone(), json: e.clone() });
        }
        if let Some(full) = assemble(doc, s, 0).filter(|_| s.get("properties").is_some()) {
            out.push(Case {
                what: format!("schema {name} assembled from property examples"),
                schema: name.clone(),
                json: full.clone(),
            });
            for (prop, p) in s["properties"].as_object().unwrap() {
                for key in ["oneOf", "anyOf"] {
                    for (i, member) in p.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
                        if let Some(e) = member.get("example") {
                            let mut with = full.clone();
                            with[prop] = e.clone();
                            out.push(Case {
                                what: format!("schema {name}.{prop} {key}[{i}] example"),
                                schema: name.clone(),
                                json: with,
                            });
                        }
                    }
                }
            }
        }
    }
    // Media-type examples of responses and request bodies, through components and operations alike.
    let mut media = Vec::new();
    for (name, r) in doc["components"]["responses"].as_object().into_iter().flatten() {
        media.push((format!("response {name}"), r.clone()));
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(b) = op.get("requestBody") {
                media.push((format!("{method} {path} request body"), b.clone()));
            }
            for (code, r) in op["responses"].as_object().into_iter().flatten() {
                media.push((format!("{method} {path} {code}"), r.clone()));
            }
        }
    }
    for (what, holder) in media {
        for (mt, m) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
            let schema = &m["schema"];
            let mut examples: Vec<(String, Value)> = Vec::new();
            if let Some(e) = m.get("example") {
                examples.push((format!("{what} {mt} example"), e.clone()));
            }
            for (k, e) in m.get("examples").and_then(Value::as_object).into_iter().flatten() {
                examples.push((format!("{what} {mt} examples.{k}"), e["value"].clone()));
            }
            for (label, e) in examples {
                // A list body is checked item by item against the item schema.
                if schema["type"] == "array" {
                    let item = ref_name(&schema["items"]).expect("array items are a $ref").to_string();
                    for (i, v) in e.as_array().expect("an array example").iter().enumerate() {
                        out.push(Case { what: format!("{label}[{i}]"), schema: item.clone(), json: v.clone() });
                    }
                } else {
                    let name = ref_name(schema)
                        .map(String::from)
                        .unwrap_or_else(|| format!("Response{}", what.rsplit(' ').next().unwrap()));
                    out.push(Case { what: label, schema: name, json: e });
                }
            }
        }
    }
    out
}

fn check(file: &str, lookup: fn(&str, &Value) -> Option<Result<Value, String>>) -> usize {
    let doc = upstream(file);
    let cases = cases(&doc);
    let mut failures = Vec::new();
    for c in &cases {
        match lookup(&c.schema, &c.json) {
            None => failures.push(format!("{}: no generated model for schema `{}`", c.what, c.schema)),
            Some(Err(e)) => failures.push(format!("{}: {e}\n  {}", c.what, c.json)),
            Some(Ok(back)) if back != c.json => {
                failures.push(format!("{}: encodes back differently\n  in:  {}\n  out: {back}", c.what, c.json))
            }
            Some(Ok(_)) => {}
        }
    }
    assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    cases.len()
}

#[test]
fn every_upstream_example_round_trips() {
    let counts =
        [check("v3.yaml", v3), check("v2024.yaml", v2024), check("v2025.yaml", v2025), check("resource-v1.yaml", v1)];
    eprintln!("examples checked per document (v3, v2024, v2025, v1): {counts:?}");
    // The documents carry examples on components, properties, oneOf members, responses and bodies.
    for c in counts {
        assert!(c >= 15, "only {c} examples found");
    }
}
