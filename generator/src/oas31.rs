//! OpenAPI 3.1 read as the 3.0 the lowering understands: a pass over the bundled document (plain
//! YAML values, before `openapiv3` sees it) that rewrites each 3.1 construct into its 3.0 form, in
//! place, and notes what it could not keep.
//!
//! Why a down-conversion rather than a 3.1 model of our own: the lowering reads `openapiv3` types
//! throughout, and every 3.1 construct the corpus uses has a 3.0 form that lowers to the same Rust
//! (`[T, "null"]` is `nullable`, `const` a one-value `enum`, `$ref` with siblings an `allOf`). The
//! pass is a few hundred lines; a second model would be the whole lowering again.
//!
//! Per schema (at every place a schema stands, found by walking the document's structure, not by
//! guessing from keys):
//! - `true` is `{}`, `false` is `{not: {}}` (any JSON, with the lowering's `not` warning);
//! - a `type` list: `"null"` makes it `nullable`; one other type is that type; several are a `oneOf`
//!   of each (`type: "null"` alone is a nullable value of any JSON);
//! - `anyOf`/`oneOf` with a `{type: "null"}` member: the member dropped, the schema `nullable`;
//! - `const` is a one-value `enum`; a schema's `examples` list gives its first as `example`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` are the bound with the 3.0 boolean;
//! - `$ref` with sibling keywords is `allOf: [{$ref}]` with the siblings beside it (3.1 applies them);
//! - `contentEncoding: base64` is `format: byte`; `contentMediaType` of a binary type `format: binary`;
//! - `$defs` are lowered where they are referenced (a `$ref` into them works as into any schema);
//! - `prefixItems` is a list of any of its items' types, with a warning (no tuple type yet);
//! - keywords with no lowering (`if`/`then`/`else`, `patternProperties`, `propertyNames`,
//!   `unevaluated*`, `dependent*`, `contains`, `$dynamicRef`) are dropped with a warning naming the
//!   looser type left; `patternProperties` keeps the members as additional properties.
//!
//! `webhooks` keep their place (the lowering lists them as events), each inline payload schema moved to
//! `components.schemas` as `{Name}Webhook` so it is generated as a type.
//!
//! At the document level: `openapi` becomes `3.0.3`, a missing `paths` (or an operation's missing
//! `responses`) an empty one, a callback by reference a copy of it, `webhooks` and
//! `components.pathItems` are walked like paths (the lowering copies a path item's local `$ref` in
//! place); a `jsonSchemaDialect` other than OpenAPI's (or the JSON Schema 2020-12 it extends) is an
//! error.

use serde_norway::{Mapping, Value};

use crate::diagnostics::WarningKind;

/// OpenAPI 3.1's default schema dialect.
pub const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// What the pass could not keep: a warning's kind, the pointer and the message.
pub type Note = (WarningKind, String, String);

/// What the pass did: its notes, and the nodes it moved (new pointer, the pointer it had), so messages
/// about a moved node still name the place a maintainer edits.
#[derive(Debug, Default)]
pub struct Converted {
    /// Warnings.
    pub notes: Vec<Note>,
    /// (new pointer, old pointer) of each node moved.
    pub moved: Vec<(String, String)>,
}

/// Before bundling (any version): security schemes given as a reference to a URL, which the generator
/// does not fetch, are left out with a warning (a scheme is configuration, not a shape of data).
pub fn before_bundle(doc: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    let Some(Value::Mapping(schemes)) = doc.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) else {
        return notes;
    };
    let remote: Vec<(Value, String)> = schemes
        .iter()
        .filter_map(|(k, v)| {
            let r = v.get("$ref").and_then(Value::as_str)?;
            r.contains("://").then(|| (k.clone(), r.to_string()))
        })
        .collect();
    for (k, r) in remote {
        schemes.remove(&k);
        notes.push((
            WarningKind::UnsupportedScheme,
            format!("/components/securitySchemes/{}", esc(&k)),
            format!("the scheme is a `$ref` to a URL (`{r}`), which is not fetched; the scheme is left out"),
        ));
    }
    notes
}

/// Rewrites a 3.1 document in place; `Err((pointer, message))` for what cannot be read at all.
pub fn down_convert(doc: &mut Value) -> Result<Converted, (String, String)> {
    let mut out = Converted::default();
    let Value::Mapping(top) = doc else { return Ok(out) };
    if let Some(d) = top.get("jsonSchemaDialect") {
        let d = d.as_str().unwrap_or_default();
        // OpenAPI's own dialect (`.../oas/3.1/dialect/base`, or a draft of it) and the JSON Schema
        // 2020-12 it extends are what the pass reads; another dialect's keywords mean other things.
        let known = d.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
            || d.trim_end_matches('#') == "https://json-schema.org/draft/2020-12/schema";
        if !known {
            return Err((
                "/jsonSchemaDialect".into(),
                format!(
                    "`jsonSchemaDialect: {d}` is not supported; only OpenAPI's default dialect ({DEFAULT_DIALECT}) is"
                ),
            ));
        }
    }
    top.insert("openapi".into(), "3.0.3".into());
    top.remove("jsonSchemaDialect");
    if !top.contains_key("paths") {
        top.insert("paths".into(), Value::Mapping(Mapping::new()));
    }
    // Callbacks by reference (which `openapiv3` reads only in place): copied from the components.
    let callbacks = crate::yaml::get(doc, "/components/callbacks").cloned();
    let Value::Mapping(top) = doc else { return Ok(out) };
    let mut w = Walk { out: &mut out, callbacks };
    for key in ["paths", "webhooks"] {
        if let Some(Value::Mapping(paths)) = top.get_mut(key) {
            for (k, item) in paths.iter_mut() {
                w.path_item(item, &format!("/{key}/{}", esc(k)));
            }
        }
    }
    if let Some(Value::Mapping(c)) = top.get_mut("components") {
        w.components(c);
    }
    hoist_webhook_payloads(top, &mut out);
    Ok(out)
}

/// A webhook's inline payload schema becomes a component (`petAdopted` -> `PetAdoptedWebhook`), so it
/// is generated as a type like every component, and the webhook refers to it.
fn hoist_webhook_payloads(top: &mut Mapping, out: &mut Converted) {
    let Some(Value::Mapping(hooks)) = top.get("webhooks").cloned() else { return };
    let mut hooks = hooks;
    let mut schemas = match top.get("components").and_then(|c| c.get("schemas")) {
        Some(Value::Mapping(m)) => m.clone(),
        _ => Mapping::new(),
    };
    for (name, item) in hooks.iter_mut() {
        let hook = crate::yaml::scalar_text(name);
        for method in crate::ir::METHODS {
            let Some(Value::Mapping(content)) =
                item.get_mut(*method).and_then(|op| op.get_mut("requestBody")).and_then(|b| b.get_mut("content"))
            else {
                continue;
            };
            for (media, m) in content.iter_mut() {
                let Some(schema) = m.get_mut("schema") else { continue };
                if schema.get("$ref").is_some() {
                    continue;
                }
                let base = format!("{}Webhook", heck::ToUpperCamelCase::to_upper_camel_case(hook.as_str()));
                let key = (0..)
                    .map(|i| if i == 0 { base.clone() } else { format!("{base}{i}") })
                    .find(|k| !schemas.contains_key(k.as_str()))
                    .unwrap_or(base);
                let from = format!("/webhooks/{}/{method}/requestBody/content/{}/schema", esc(name), esc(media));
                out.moved.push((format!("/components/schemas/{}", crate::error::escape_pointer(&key)), from));
                let mut r = Mapping::new();
                r.insert("$ref".into(), format!("#/components/schemas/{key}").into());
                schemas.insert(key.into(), std::mem::replace(schema, Value::Mapping(r)));
            }
        }
    }
    top.insert("webhooks".into(), Value::Mapping(hooks));
    let components = top.entry("components".into()).or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(c) = components {
        c.insert("schemas".into(), Value::Mapping(schemas));
    }
}

fn esc(k: &Value) -> String {
    crate::error::escape_pointer(&crate::yaml::scalar_text(k))
}

/// Schema keywords whose value is one schema.
const ONE: &[&str] = &["items", "not", "additionalProperties", "contains", "propertyNames", "if", "then", "else"];
/// Schema keywords whose value is a map of schemas.
const MAP: &[&str] = &["properties", "$defs", "definitions", "patternProperties", "dependentSchemas"];
/// Schema keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Keywords with no lowering: dropped, with what the value falls back to.
const UNLOWERED: &[(&str, &str)] = &[
    ("if", "the `then`/`else` constraints are not checked"),
    ("then", "not checked"),
    ("else", "not checked"),
    ("propertyNames", "any member name is accepted"),
    ("unevaluatedProperties", "members beyond the declared ones are not refused"),
    ("unevaluatedItems", "items beyond the declared ones are not refused"),
    ("dependentSchemas", "not checked"),
    ("dependentRequired", "not checked"),
    ("contains", "not checked"),
    ("minContains", "not checked"),
    ("maxContains", "not checked"),
    ("$dynamicRef", "the value is any JSON"),
    ("$dynamicAnchor", "ignored"),
];

struct Walk<'a> {
    out: &'a mut Converted,
    /// `components.callbacks`, for callbacks given by reference.
    callbacks: Option<Value>,
}

impl Walk<'_> {
    fn note(&mut self, pointer: &str, message: String) {
        self.out.notes.push((WarningKind::UnloweredKeyword, pointer.to_string(), message));
    }

    fn components(&mut self, c: &mut Mapping) {
        // `mutualTLS` (new in 3.1): a client certificate is the HTTP client's TLS setting, not a
        // credential a request carries.
        if let Some(Value::Mapping(schemes)) = c.get_mut("securitySchemes") {
            let mtls: Vec<Value> = schemes
                .iter()
                .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for k in mtls {
                schemes.remove(&k);
                self.out.notes.push((
                    WarningKind::UnsupportedScheme,
                    format!("/components/securitySchemes/{}", esc(&k)),
                    "a `mutualTLS` scheme is a TLS client certificate, which the HTTP client is built with, not a credential a request sends; the scheme is left out".into(),
                ));
            }
        }
        let each = |c: &mut Mapping, key: &str, f: &mut dyn FnMut(&mut Value, &str)| {
            if let Some(Value::Mapping(m)) = c.get_mut(key) {
                for (k, v) in m.iter_mut() {
                    f(v, &format!("/components/{key}/{}", esc(k)));
                }
            }
        };
        each(c, "schemas", &mut |v, p| self.schema(v, p));
        each(c, "parameters", &mut |v, p| self.parameter(v, p));
        each(c, "headers", &mut |v, p| self.parameter(v, p));
        each(c, "responses", &mut |v, p| self.response(v, p));
        each(c, "requestBodies", &mut |v, p| self.content_of(v, p));
        each(c, "pathItems", &mut |v, p| self.path_item(v, p));
        each(c, "callbacks", &mut |v, p| self.callback(v, p));
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Value::Mapping(m) = item else { return };
        self.parameters(m, pointer);
        for method in crate::ir::METHODS {
            if let Some(Value::Mapping(op)) = m.get_mut(*method) {
                let p = format!("{pointer}/{method}");
                // 3.1 lets an operation leave out `responses`: any success, with nothing documented.
                if !op.contains_key("responses") {
                    let mut any = Mapping::new();
                    let mut r = Mapping::new();
                    r.insert("description".into(), "Any success; the spec documents no responses.".into());
                    any.insert("2XX".into(), Value::Mapping(r));
                    op.insert("responses".into(), Value::Mapping(any));
                }
                self.parameters(op, &p);
                if let Some(body) = op.get_mut("requestBody") {
                    self.content_of(body, &format!("{p}/requestBody"));
                }
                if let Some(Value::Mapping(rs)) = op.get_mut("responses") {
                    for (k, r) in rs.iter_mut() {
                        self.response(r, &format!("{p}/responses/{}", esc(k)));
                    }
                }
                if let Some(Value::Mapping(cs)) = op.get_mut("callbacks") {
                    for (k, c) in cs.iter_mut() {
                        self.callback(c, &format!("{p}/callbacks/{}", esc(k)));
                    }
                }
            }
        }
    }

    fn callback(&mut self, c: &mut Value, pointer: &str) {
        let target = c.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/callbacks/"));
        if let Some(found) = target.and_then(|name| self.callbacks.as_ref()?.get(name)).cloned() {
            *c = found;
        }
        if let Value::Mapping(m) = c {
            for (k, item) in m.iter_mut() {
                self.path_item(item, &format!("{pointer}/{}", esc(k)));
            }
        }
    }

    fn parameters(&mut self, m: &mut Mapping, pointer: &str) {
        if let Some(Value::Sequence(ps)) = m.get_mut("parameters") {
            for (i, p) in ps.iter_mut().enumerate() {
                self.parameter(p, &format!("{pointer}/parameters/{i}"));
            }
        }
    }

    /// A parameter or a header: its `schema`, or its `content`.
    fn parameter(&mut self, p: &mut Value, pointer: &str) {
        if let Value::Mapping(m) = p
            && let Some(s) = m.get_mut("schema")
        {
            self.schema(s, &format!("{pointer}/schema"));
        }
        self.content_of(p, pointer);
    }

    fn response(&mut self, r: &mut Value, pointer: &str) {
        if let Value::Mapping(m) = r
            && let Some(Value::Mapping(hs)) = m.get_mut("headers")
        {
            for (k, h) in hs.iter_mut() {
                self.parameter(h, &format!("{pointer}/headers/{}", esc(k)));
            }
        }
        self.content_of(r, pointer);
    }

    /// The schemas of a `content` map (and each media type's encoding headers).
    fn content_of(&mut self, v: &mut Value, pointer: &str) {
        let Value::Mapping(m) = v else { return };
        let Some(Value::Mapping(content)) = m.get_mut("content") else { return };
        for (k, media) in content.iter_mut() {
            let mp = format!("{pointer}/content/{}", esc(k));
            if let Value::Mapping(mm) = media
                && let Some(s) = mm.get_mut("schema")
            {
                self.schema(s, &format!("{mp}/schema"));
            }
        }
    }

    /// Rewrites one schema and every schema inside it.
    fn schema(&mut self, s: &mut Value, pointer: &str) {
        match s {
            Value::Bool(true) => *s = Value::Mapping(Mapping::new()),
            Value::Bool(false) => {
                let mut m = Mapping::new();
                m.insert("not".into(), Value::Mapping(Mapping::new()));
                *s = Value::Mapping(m);
            }
            _ => {}
        }
        let Value::Mapping(m) = s else { return };
        // The schemas inside first, so a rewrite below sees them converted.
        for key in ONE {
            if let Some(inner) = m.get_mut(*key)
                && !(*key == "additionalProperties" && inner.is_bool())
            {
                self.schema(inner, &format!("{pointer}/{}", crate::error::escape_pointer(key)));
            }
        }
        for key in MAP {
            if let Some(Value::Mapping(inner)) = m.get_mut(*key) {
                for (k, v) in inner.iter_mut() {
                    self.schema(v, &format!("{pointer}/{}/{}", crate::error::escape_pointer(key), esc(k)));
                }
            }
        }
        for key in LIST {
            if let Some(Value::Sequence(inner)) = m.get_mut(*key) {
                for (i, v) in inner.iter_mut().enumerate() {
                    self.schema(v, &format!("{pointer}/{key}/{i}"));
                }
            }
        }
        self.rewrite(m, pointer);
    }

    fn rewrite(&mut self, m: &mut Mapping, pointer: &str) {
        // `type` lists, and `type: "null"`.
        let types: Option<Vec<String>> = match m.get("type") {
            Some(Value::Sequence(ts)) => Some(ts.iter().filter_map(|t| t.as_str().map(str::to_string)).collect()),
            Some(Value::String(t)) if t == "null" => Some(vec!["null".into()]),
            _ => None,
        };
        if let Some(types) = types {
            let (null, rest): (Vec<String>, Vec<String>) = types.into_iter().partition(|t| t == "null");
            m.remove("type");
            if !null.is_empty() {
                m.insert("nullable".into(), true.into());
            }
            match &rest[..] {
                [] => {}
                [one] => {
                    m.insert("type".into(), one.as_str().into());
                }
                many => {
                    let variants = many
                        .iter()
                        .map(|t| {
                            let mut v = Mapping::new();
                            v.insert("type".into(), t.as_str().into());
                            Value::Mapping(v)
                        })
                        .collect();
                    m.insert("oneOf".into(), Value::Sequence(variants));
                }
            }
        }
        // A `{type: "null"}` member of `anyOf`/`oneOf` (now `{nullable: true}`): the schema is nullable.
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Sequence(members)) = m.get_mut(key) {
                let before = members.len();
                members.retain(|v| !is_null_only(v));
                if members.len() < before {
                    if members.is_empty() {
                        m.remove(key);
                    }
                    m.insert("nullable".into(), true.into());
                }
            }
        }
        if let Some(c) = m.remove("const")
            && !m.contains_key("enum")
        {
            m.insert("enum".into(), Value::Sequence(vec![c]));
        }
        if let Some(Value::Sequence(examples)) = m.get("examples") {
            if !m.contains_key("example")
                && let Some(first) = examples.first().cloned()
            {
                m.insert("example".into(), first);
            }
            m.remove("examples");
        }
        for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(n @ Value::Number(_)) = m.get(exclusive).cloned() {
                m.insert(bound.into(), n);
                m.insert(exclusive.into(), true.into());
            }
        }
        if m.get("contentEncoding").and_then(Value::as_str) == Some("base64") && !m.contains_key("format") {
            m.insert("format".into(), "byte".into());
        } else if m.contains_key("contentMediaType") && !m.contains_key("contentEncoding") && !m.contains_key("format")
        {
            let media = m.get("contentMediaType").and_then(Value::as_str).unwrap_or_default();
            if !media.starts_with("text/") && !media.contains("json") {
                m.insert("format".into(), "binary".into());
            }
        }
        for key in ["contentEncoding", "contentMediaType", "$schema", "$comment"] {
            m.remove(key);
        }
        for (key, what) in [
            ("$id", "a reference by this id is not resolved (references by pointer are)"),
            ("$anchor", "a reference to this anchor is not resolved (references by pointer are)"),
            ("contentSchema", "the encoded content is not decoded into that schema"),
        ] {
            if m.remove(key).is_some() {
                self.note(
                    &format!("{pointer}/{}", crate::error::escape_pointer(key)),
                    format!("`{key}` is ignored: {what}"),
                );
            }
        }
        if let Some(Value::Sequence(items)) = m.remove("prefixItems") {
            self.note(
                &format!("{pointer}/prefixItems"),
                "`prefixItems` (a tuple) has no Rust lowering yet; the list's items are any of its items' types".into(),
            );
            if !m.contains_key("items") {
                // Each distinct item schema once; one alone is the items' schema.
                let mut distinct: Vec<Value> = Vec::new();
                for item in items {
                    if !distinct.contains(&item) {
                        distinct.push(item);
                    }
                }
                let schema = if distinct.len() == 1 {
                    distinct.remove(0)
                } else {
                    let mut any = Mapping::new();
                    any.insert("anyOf".into(), Value::Sequence(distinct));
                    Value::Mapping(any)
                };
                m.insert("items".into(), schema);
            }
        }
        if let Some(Value::Mapping(patterns)) = m.remove("patternProperties") {
            self.note(
                &format!("{pointer}/patternProperties"),
                "`patternProperties` has no Rust lowering; the members are kept as additional properties of any JSON"
                    .into(),
            );
            if !m.contains_key("additionalProperties") && !patterns.is_empty() {
                m.insert("additionalProperties".into(), true.into());
            }
        }
        for (key, fallback) in UNLOWERED {
            if m.remove(*key).is_some() {
                self.note(
                    &format!("{pointer}/{}", crate::error::escape_pointer(key)),
                    format!("`{key}` has no Rust lowering and is dropped: {fallback}"),
                );
            }
        }
        // `$ref` with siblings: 3.1 applies them, so the reference becomes a member of an `allOf`.
        if m.contains_key("$ref") && m.len() > 1 {
            let reference = m.remove("$ref").unwrap_or(Value::Null);
            let mut r = Mapping::new();
            r.insert("$ref".into(), reference);
            let members = match m.remove("allOf") {
                Some(Value::Sequence(mut all)) => {
                    // The members after it move up one.
                    for i in (0..all.len()).rev() {
                        self.out.moved.push((format!("{pointer}/allOf/{}", i + 1), format!("{pointer}/allOf/{i}")));
                    }
                    all.insert(0, Value::Mapping(r));
                    all
                }
                _ => vec![Value::Mapping(r)],
            };
            self.out.moved.push((format!("{pointer}/allOf/0"), pointer.to_string()));
            m.insert("allOf".into(), Value::Sequence(members));
        }
    }
}

/// `{type: "null"}` (already rewritten to `{nullable: true}`): a member that only allows `null`.
fn is_null_only(v: &Value) -> bool {
    let Value::Mapping(m) = v else { return false };
    let only_null =
        m.get("nullable") == Some(&Value::Bool(true)) || m.get("type").and_then(Value::as_str) == Some("null");
    only_null && m.keys().all(|k| matches!(k.as_str(), Some("nullable" | "type" | "description" | "title")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(yaml: &str) -> (Value, Vec<Note>) {
        let mut doc: Value = serde_norway::from_str(yaml).unwrap();
        let notes = down_convert(&mut doc).unwrap().notes;
        (doc, notes)
    }

    fn at<'a>(doc: &'a Value, pointer: &str) -> &'a Value {
        crate::yaml::get(doc, pointer).unwrap_or_else(|| panic!("nothing at {pointer}: {doc:?}"))
    }

    #[test]
    fn schemas_read_as_their_3_0_forms() {
        let (doc, notes) = converted(
            r##"
openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Name: {type: [string, "null"], examples: [ada]}
    Mixed: {type: [string, integer]}
    Kind: {const: cat}
    Bounded: {type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}
    Ref: {$ref: '#/components/schemas/Name', description: The name.}
    Maybe: {anyOf: [{$ref: '#/components/schemas/Kind'}, {type: "null"}]}
    Yes: true
    No: false
    Blob: {type: string, contentEncoding: base64}
    Pair: {type: array, prefixItems: [{type: string}, {type: integer}]}
    Nested: {type: object, properties: {a: {type: [integer, "null"]}}, propertyNames: {pattern: '^a'}}
    Ided: {$id: 'https://example.com/ided', type: string}
"##,
        );
        assert_eq!(at(&doc, "/openapi"), &Value::from("3.0.3"));
        assert_eq!(at(&doc, "/paths"), &Value::Mapping(Mapping::new()), "3.1 may have no paths");
        assert_eq!(at(&doc, "/components/schemas/Name/type"), &Value::from("string"));
        assert_eq!(at(&doc, "/components/schemas/Name/nullable"), &Value::from(true));
        assert_eq!(at(&doc, "/components/schemas/Name/example"), &Value::from("ada"));
        assert_eq!(at(&doc, "/components/schemas/Mixed/oneOf/1/type"), &Value::from("integer"));
        assert_eq!(at(&doc, "/components/schemas/Kind/enum/0"), &Value::from("cat"));
        assert_eq!(at(&doc, "/components/schemas/Bounded/minimum"), &Value::from(0));
        assert_eq!(at(&doc, "/components/schemas/Bounded/exclusiveMaximum"), &Value::from(true));
        assert_eq!(at(&doc, "/components/schemas/Ref/allOf/0/$ref"), &Value::from("#/components/schemas/Name"));
        assert_eq!(at(&doc, "/components/schemas/Ref/description"), &Value::from("The name."));
        assert_eq!(at(&doc, "/components/schemas/Maybe/nullable"), &Value::from(true));
        assert_eq!(crate::yaml::get(&doc, "/components/schemas/Maybe/anyOf/1"), None, "the null member is gone");
        assert_eq!(at(&doc, "/components/schemas/Yes"), &Value::Mapping(Mapping::new()));
        assert!(crate::yaml::get(&doc, "/components/schemas/No/not").is_some());
        assert_eq!(at(&doc, "/components/schemas/Blob/format"), &Value::from("byte"));
        assert_eq!(at(&doc, "/components/schemas/Pair/items/anyOf/1/type"), &Value::from("integer"));
        let (same, _) =
            converted("openapi: 3.1.0\ncomponents: {schemas: {P: {prefixItems: [{type: number}, {type: number}]}}}\n");
        assert_eq!(at(&same, "/components/schemas/P/items/type"), &Value::from("number"), "one distinct item schema");
        assert_eq!(at(&doc, "/components/schemas/Nested/properties/a/nullable"), &Value::from(true));
        let pointers: Vec<&str> = notes.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/Pair/prefixItems",
                "/components/schemas/Nested/propertyNames",
                "/components/schemas/Ided/$id"
            ]
        );
    }

    #[test]
    fn a_dialect_other_than_the_default_is_refused() {
        let mut doc: Value =
            serde_norway::from_str("openapi: 3.1.0\njsonSchemaDialect: https://example.com/d\n").unwrap();
        let (pointer, message) = down_convert(&mut doc).unwrap_err();
        assert_eq!(pointer, "/jsonSchemaDialect");
        assert!(message.contains("not supported"), "{message}");
    }
}
