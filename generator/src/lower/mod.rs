//! Lowering: one parsed [`Document`] -> one [`Api`] in the IR.
//!
//! `names` makes identifiers, `types` lowers schemas, `operations` lowers paths, `paging` finds the
//! lists that page (after the rest, on the IR); this module puts the
//! pieces together (servers, tags, security schemes, examples) and fixes the order of everything, so the
//! same spec always gives the same IR.

pub mod names;
mod operations;
pub mod paging;
mod types;

use std::collections::BTreeMap;

use openapiv3::ReferenceOr;

use crate::error::SpecErrors;
use crate::ir::{
    Api, ParamLocation, SchemeKind, SecurityScheme, Server, ServerVariable, Source, Tag, TypeDef, TypeRef, Webhook,
};
use crate::parse::Document;

/// Lowers a parsed document into the IR; `module` is the Rust module name of this version.
///
/// Every error is collected (a component or operation with an error is skipped, the rest go on), so one
/// run reports them all; errors are returned in the order found, without repeats.
pub fn lower(doc: &Document, module: &str) -> Result<Api, SpecErrors> {
    let api = &doc.openapi;
    let mut types = types::TypeLowerer::new(doc);
    for (kind, pointer, message) in &doc.notes {
        types.warn(*kind, pointer, message.clone());
    }
    let mut errors = doc.deferred.clone();
    types.lower_components(&mut errors);
    let operations = operations::lower_operations(doc, &mut types, &mut errors);
    let webhooks = webhooks(doc, &mut types, &mut errors);
    if !errors.is_empty() {
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.place.file.clone(), e.place.pointer.clone(), e.message.clone())));
        return Err(SpecErrors(errors));
    }
    types.drop_self_members();
    types.order_union_members();
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
                    setter: None,
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
    // `models` is the version's own module of types; a tag called so gets another name.
    let mut scope = names::Scope::with(&["models"]);
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
                S::OAuth2 { description, flows, .. } => {
                    let token_url = flows.client_credentials.as_ref().map(|f| on_server(&f.token_url, &servers));
                    (SchemeKind::OAuth2 { token_url }, description)
                }
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
            Some(SecurityScheme { name: name.clone(), setter: String::new(), kind, description: description.clone() })
        })
        .collect();
    let mut security_schemes: Vec<SecurityScheme> = security_schemes;
    // The builder's own methods are taken; `{setter}_client_credentials` is checked with them.
    let mut setters = names::Scope::with(BUILDER_METHODS);
    for s in &mut security_schemes {
        let mut setter = names::snake_ident(&s.name);
        if BUILDER_METHODS.contains(&setter.as_str())
            || BUILDER_METHODS.contains(&format!("{setter}_client_credentials").as_str())
        {
            setter.push_str("_scheme");
        }
        s.setter = setters.claim(&setter);
        setters.claim(&format!("{}_client_credentials", s.setter));
    }
    // Server variables of the URL's origin get setters too, one per name across the servers.
    let mut servers = servers;
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for server in &mut servers {
        let origin = server.origin().to_string();
        for v in &mut server.variables {
            if !origin.contains(&format!("{{{}}}", v.name)) {
                continue;
            }
            let setter = by_name.entry(v.name.clone()).or_insert_with(|| {
                let mut setter = names::snake_ident(&v.name);
                if setters.contains(&setter) {
                    setter.push_str("_variable");
                }
                setters.claim(&setter)
            });
            v.setter = Some(setter.clone());
        }
    }
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
        webhooks,
    })
}

/// The events of an OpenAPI 3.1 `webhooks` map: name, method, docs and payload type (an inline payload
/// was made a component by [`crate::oas31`], so every payload here is a reference).
fn webhooks(
    doc: &Document,
    types: &mut types::TypeLowerer<'_>,
    errors: &mut Vec<crate::error::SpecError>,
) -> Vec<Webhook> {
    use serde_norway::Value;
    let mut out = Vec::new();
    let Some(Value::Mapping(hooks)) = crate::yaml::get(&doc.raw, "/webhooks") else { return out };
    for (name, item) in hooks {
        let name = crate::yaml::scalar_text(name);
        for method in crate::ir::METHODS {
            let Some(op) = item.get(*method) else { continue };
            let text = |k: &str| op.get(k).and_then(Value::as_str).map(str::to_string);
            let content = op.get("requestBody").and_then(|b| b.get("content")).and_then(Value::as_mapping);
            let first = content.and_then(|c| c.iter().next());
            let payload = first.and_then(|(media, m)| {
                let reference = m.get("schema")?.get("$ref")?.as_str()?.to_string();
                let pointer = format!(
                    "/webhooks/{}/{method}/requestBody/content/{}/schema",
                    crate::error::escape_pointer(&name),
                    crate::error::escape_pointer(&crate::yaml::scalar_text(media))
                );
                match types.lower(&ReferenceOr::Reference { reference }, &name, &pointer) {
                    Ok((t, _)) => Some(t),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            });
            out.push(Webhook {
                name: name.clone(),
                method: method.to_ascii_uppercase(),
                summary: text("summary"),
                description: text("description"),
                payload,
            });
        }
    }
    out
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
            let ex = crate::ir::example_of(&TypeRef::Named(name.clone()), &|n| types.get(n), 0);
            if let Some(t) = types.get_mut(&name) {
                t.example = Some(ex);
            }
        }
    }
}

/// The methods every client builder has, which a scheme's setter must not take.
const BUILDER_METHODS: &[&str] = &[
    "access_token",
    "api_key",
    "base_url",
    "basic_auth",
    "body_limits",
    "build",
    "client_credentials",
    "connect_timeout",
    "consumer",
    "credential",
    "default",
    "fmt",
    "from_env",
    "from_sources",
    "http_client",
    "no_proxy",
    "no_timeouts",
    "proxy",
    "retry_policy",
    "timeout",
    "token_url",
    "with",
    "inner",
];

/// A token URL on a host that a server template matches (`https://example-tenant.api.identitynow.com/
/// oauth/token` against `https://{tenant}.api.identitynow.com/v3`) is the server's own: its absolute
/// path, resolved against the base URL the caller configures, so client secrets never go to the
/// spec's example host. Any other URL is kept.
fn on_server(url: &str, servers: &[Server]) -> String {
    let origin = |u: &str| -> Option<(String, String)> {
        let start = u.find("://")? + 3;
        let end = u[start..].find('/').map_or(u.len(), |i| start + i);
        Some((u[..end].to_string(), u[end..].to_string()))
    };
    let Some((token_origin, token_path)) = origin(url) else { return url.to_string() };
    for server in servers {
        let Some((template, _)) = origin(&server.url) else { continue };
        if template.contains('{') && template_matches(&template, &token_origin) {
            return if token_path.is_empty() { "/".to_string() } else { token_path };
        }
    }
    url.to_string()
}

/// Whether `text` is `template` with each `{variable}` replaced by some non-empty text without `/`.
fn template_matches(template: &str, text: &str) -> bool {
    match template.find('{') {
        None => template.eq_ignore_ascii_case(text),
        Some(open) => {
            let (literal, rest) = template.split_at(open);
            let Some(close) = rest.find('}') else { return false };
            let after = &rest[close + 1..];
            if text.len() < literal.len() || !text[..literal.len()].eq_ignore_ascii_case(literal) {
                return false;
            }
            let text = &text[literal.len()..];
            (1..=text.len())
                .filter(|&i| text.is_char_boundary(i) && !text[..i].contains('/'))
                .any(|i| template_matches(after, &text[i..]))
        }
    }
}

#[cfg(test)]
mod token_url_tests {
    use super::*;

    fn server(url: &str) -> Server {
        Server { url: url.into(), default_url: String::new(), description: None, variables: vec![] }
    }

    #[test]
    fn a_token_url_on_the_servers_template_host_becomes_its_path() {
        let servers = [server("https://{tenant}.api.identitynow.com/v3")];
        assert_eq!(on_server("https://example-tenant.api.identitynow.com/oauth/token", &servers), "/oauth/token");
        assert_eq!(
            on_server("https://login.example.com/oauth/token", &servers),
            "https://login.example.com/oauth/token"
        );
        // A server without variables keeps the spec's URL as written.
        let fixed = [server("https://api.example.com")];
        assert_eq!(on_server("https://api.example.com/token", &fixed), "https://api.example.com/token");
        assert!(template_matches("{protocol}://{host}:{port}", "https://h:1"));
        assert!(!template_matches("https://{t}.x.com", "https://a/b.x.com"));
    }
}
