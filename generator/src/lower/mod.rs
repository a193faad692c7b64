//! Lowering: one parsed [`Document`] -> one [`Api`] in the IR.
//!
//! `names` makes identifiers, `types` lowers schemas, `operations` lowers paths; this module puts the
//! pieces together (servers, tags, security schemes, examples) and fixes the order of everything, so the
//! same spec always gives the same IR.

pub mod names;
mod operations;
mod types;

use std::collections::BTreeMap;

use openapiv3::ReferenceOr;
use serde_json::Value;

use crate::error::SpecErrors;
use crate::ir::{
    Api, ParamLocation, SchemeKind, SecurityScheme, Server, ServerVariable, Source, Tag, TypeDef, TypeKind, TypeRef,
};
use crate::parse::Document;

/// Lowers a parsed document into the IR; `module` is the Rust module name of this version.
///
/// Every error is collected (a component or operation with an error is skipped, the rest go on), so one
/// run reports them all; errors are returned in the order found, without repeats.
pub fn lower(doc: &Document, module: &str) -> Result<Api, SpecErrors> {
    let api = &doc.openapi;
    let mut types = types::TypeLowerer::new(doc);
    let mut errors = doc.deferred.clone();
    types.lower_components(&mut errors);
    let operations = operations::lower_operations(doc, &mut types, &mut errors);
    if !errors.is_empty() {
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.file.clone(), e.pointer.clone(), e.message.clone())));
        return Err(SpecErrors(errors));
    }
    types.drop_self_members();
    types.box_recursive_fields();
    let mut type_map = std::mem::take(&mut types.types);
    fill_examples(&mut type_map);
    let warnings = std::mem::take(&mut types.warnings);

    let servers: Vec<Server> = api
        .servers
        .iter()
        .map(|s| {
            let variables: Vec<ServerVariable> = s
                .variables
                .iter()
                .flat_map(|m| m.iter())
                .map(|(name, v)| ServerVariable {
                    name: name.clone(),
                    default: v.default.clone(),
                    values: v.enumeration.clone(),
                    description: v.description.clone(),
                })
                .collect();
            let mut default_url = s.url.clone();
            for v in &variables {
                default_url = default_url.replace(&format!("{{{}}}", v.name), &v.default);
            }
            Server { url: s.url.clone(), default_url, description: s.description.clone(), variables }
        })
        .collect();
    let base_path = servers.first().map(|s| url_path(&s.default_url)).unwrap_or_default();

    // Tags: declared ones in spec order, then any only used by operations, in first-use order.
    let mut tags: Vec<Tag> = Vec::new();
    let mut scope = names::Scope::default();
    let mut add_tag = |tags: &mut Vec<Tag>, name: &str, description: Option<String>| {
        if tags.iter().any(|t| t.name == name) {
            return;
        }
        let base = names::snake_ident(name);
        let module = scope.claim(&base);
        tags.push(Tag {
            name: name.to_string(),
            type_name: names::type_name(&format!("{module} api")),
            module,
            description,
            operations: Vec::new(),
        });
    };
    for op in &operations {
        if let Some(t) = api.tags.iter().find(|t| t.name == op.tag) {
            add_tag(&mut tags, &t.name, t.description.clone());
        } else {
            add_tag(&mut tags, &op.tag, None);
        }
    }
    for (i, op) in operations.iter().enumerate() {
        if let Some(t) = tags.iter_mut().find(|t| t.name == op.tag) {
            t.operations.push(i);
        }
    }
    let security_schemes = api
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter_map(|(name, s)| {
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let ReferenceOr::Item(s) = s else { return None };
            let (kind, description) = match s {
                S::OAuth2 { description, .. } => (SchemeKind::OAuth2, description),
                S::OpenIDConnect { description, .. } => (SchemeKind::OpenIdConnect, description),
                S::HTTP { scheme, description, .. } => (SchemeKind::Http(scheme.to_ascii_lowercase()), description),
                S::APIKey { location, name, description, .. } => {
                    let location = match location {
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (SchemeKind::ApiKey { name: name.clone(), location }, description)
                }
            };
            Some(SecurityScheme { name: name.clone(), kind, description: description.clone() })
        })
        .collect();
    Ok(Api {
        source: Source { path: doc.file.clone(), sha256: doc.sha256.clone() },
        module: module.to_string(),
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        servers,
        base_path,
        tags,
        operations,
        types: type_map.into_values().collect(),
        security_schemes,
        warnings,
    })
}

/// The path part of a server URL template (`https://{tenant}.host/v3` -> `/v3`).
fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

/// Gives every named type an example: its own, else one built from its fields' examples, with made-up
/// values for required fields that have none, so every example deserializes into its type.
fn fill_examples(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    for name in names {
        if types[&name].example.is_none() {
            let ex = example_of(&TypeRef::Named(name.clone()), &|n| types.get(n), 0);
            if let Some(t) = types.get_mut(&name) {
                t.example = Some(ex);
            }
        }
    }
}

/// An example value for a type.
pub fn example_of<'a>(t: &TypeRef, types: &dyn Fn(&str) -> Option<&'a TypeDef>, depth: usize) -> Value {
    if depth > 12 {
        // Types that only hold each other through unions and aliases end here.
        return Value::Null;
    }
    match t {
        TypeRef::String => Value::String("string".into()),
        TypeRef::Secret => Value::String("secret".into()),
        TypeRef::Integer(_) => Value::from(0),
        TypeRef::Number(_) => Value::from(0.5),
        TypeRef::Boolean => Value::Bool(true),
        TypeRef::DateTime => Value::String("2024-01-01T00:00:00Z".into()),
        TypeRef::Date => Value::String("2024-01-01".into()),
        TypeRef::Bytes => Value::Array(Vec::new()),
        TypeRef::Any | TypeRef::Object => Value::Object(Default::default()),
        TypeRef::Array(inner) => {
            if depth > 4 {
                Value::Array(vec![])
            } else {
                Value::Array(vec![example_of(inner, types, depth + 1)])
            }
        }
        TypeRef::Map(_) => Value::Object(Default::default()),
        TypeRef::Named(n) => {
            let Some(def) = types(n) else { return Value::Null };
            if let Some(e) = &def.example {
                return e.clone();
            }
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    let mut map = serde_json::Map::new();
                    for f in fields {
                        let value = match &f.example {
                            Some(e) => Some(e.clone()),
                            None if f.required && !f.nullable && depth < 6 => Some(example_of(&f.ty, types, depth + 1)),
                            None if f.required => Some(Value::Null),
                            None if depth < 2 => match &f.ty {
                                TypeRef::Named(_) => Some(example_of(&f.ty, types, depth + 1)),
                                _ => None,
                            },
                            None => None,
                        };
                        if let Some(v) = value {
                            map.insert(f.wire_name.clone(), v);
                        }
                    }
                    Value::Object(map)
                }
                TypeKind::Enum { variants } => {
                    variants.first().map(|v| Value::String(v.wire.clone())).unwrap_or(Value::Null)
                }
                TypeKind::IntEnum { variants } => variants.first().map(|v| Value::from(v.1)).unwrap_or(Value::Null),
                TypeKind::Union { variants } => {
                    variants.first().map(|v| example_of(&v.ty, types, depth + 1)).unwrap_or(Value::Null)
                }
                TypeKind::TaggedUnion { property, variants } => match variants.first() {
                    Some(v) => {
                        let mut e = example_of(&v.ty, types, depth + 1);
                        if let (Value::Object(m), Some(tag)) = (&mut e, v.tags.first()) {
                            m.insert(property.clone(), Value::String(tag.clone()));
                        }
                        e
                    }
                    None => Value::Null,
                },
                TypeKind::Alias(t) => example_of(t, types, depth + 1),
            }
        }
    }
}
