//! Markdown rendering: IR -> the docs pages under `docs/`, mirroring SailPoint's SDK pages section by
//! section (front matter, method table, parameters, return type, responses, headers, example; model
//! properties and example). Examples are Rust that the generated crate compiles and runs as doctests.

use askama::Template;
use serde_json::Value;

use super::rust::json_macro;
use super::text::{md_cell, md_text, rust_str};
use crate::features::Features;
use crate::ir::{Api, BodyEncoding, Crate, Operation, ResponseEncoding, TypeDef, TypeKind, TypeRef};

/// Front matter of a docs-site page.
struct FrontMatter {
    id: String,
    title: String,
    slug: String,
    /// The deepest heading level in the page's table of contents (a method page lists its operations only).
    toc_max_heading_level: Option<u8>,
    /// No table of contents at all (a model page has only its table and its example).
    hide_table_of_contents: bool,
}

#[derive(Template)]
#[template(path = "docs/api.md")]
struct ApiPage {
    /// The cargo feature that compiles the tag, in a crate with tag features.
    feature: Option<String>,
    preamble: String,
    fm: FrontMatter,
    type_name: String,
    description: String,
    server_url: String,
    ops: Vec<OpDoc>,
}

struct OpDoc {
    fn_name: String,
    anchor: String,
    method: String,
    path: String,
    summary: String,
    title: String,
    deprecated: bool,
    /// The operation needs the client's opt-in to experimental operations.
    experimental: bool,
    /// The operation has `.paginate()` and `.pages()`: how they page.
    paginated: Option<String>,
    description: String,
    params: Vec<ParamDoc>,
    return_type: String,
    responses: Vec<ResponseDoc>,
    content_type: String,
    accept: String,
    authorization: String,
    response_headers: String,
    example: String,
}

struct ParamDoc {
    location: String,
    name: String,
    data_type: String,
    required: String,
    description: String,
}

struct ResponseDoc {
    code: String,
    description: String,
    data_type: String,
}

#[derive(Template)]
#[template(path = "docs/model.md")]
struct ModelPage {
    /// The cargo features that compile the model (any one), when not every tag does.
    features: Option<String>,
    preamble: String,
    fm: FrontMatter,
    crate_ident: String,
    module: String,
    name: String,
    description: String,
    fields: Vec<FieldDoc>,
    values: Vec<(String, String)>,
    variants: Vec<(String, String, String)>,
    alias: Option<String>,
    example_json: String,
    example_macro: String,
}

struct FieldDoc {
    name: String,
    data_type: String,
    description: String,
    notes: String,
}

#[derive(Template)]
#[template(path = "docs/version_index.md")]
struct VersionIndex {
    preamble: String,
    fm: FrontMatter,
    crate_ident: String,
    title: String,
    version: String,
    module: String,
    source: String,
    description: String,
    server_url: String,
    servers: String,
    base_path: String,
    endpoints: Vec<EndpointRow>,
    models: Vec<String>,
    /// The events the API sends (OpenAPI 3.1 `webhooks`): a row each.
    webhooks: Vec<WebhookRow>,
}

struct WebhookRow {
    name: String,
    method: String,
    /// A link to the payload's model page, or empty.
    payload: String,
    summary: String,
}

struct EndpointRow {
    class: String,
    fn_name: String,
    anchor: String,
    method: String,
    path: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "docs/index.md")]
struct Index {
    preamble: String,
    fm: FrontMatter,
    crate_name: String,
    title: String,
    crate_ident: String,
    versions: Vec<VersionRow>,
}

struct VersionRow {
    module: String,
    title: String,
    endpoints: usize,
    models: usize,
}

/// A docs page: path relative to the crate root and contents.
pub struct Page {
    /// Path, e.g. `docs/v3/PersonalAccessTokensApi.md`.
    pub path: String,
    /// Markdown.
    pub text: String,
}

fn kebab(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The URL path of a tag's method page.
fn api_slug(module: &str, type_name: &str) -> String {
    format!("/tools/sdk/rust/{module}/methods/{}", kebab(type_name))
}

/// The URL path of a model page.
fn model_slug(module: &str, name: &str) -> String {
    format!("/tools/sdk/rust/{module}/models/{}", kebab(name))
}

/// The anchor GitHub and docs sites give a heading: lower case, spaces to `-`, other punctuation dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A type as a Markdown cell: code, linked to its model page when it names one.
fn doc_type(t: &TypeRef, models_prefix: &str) -> String {
    doc_type_in(t, models_prefix, false)
}

/// Like [`doc_type`], wrapped in `Option<>` when `optional`.
fn doc_type_in(t: &TypeRef, models_prefix: &str, optional: bool) -> String {
    fn plain(t: &TypeRef) -> String {
        match t {
            TypeRef::String => "String".into(),
            TypeRef::Secret => "SecretString".into(),
            TypeRef::Integer(b) => format!("i{b}"),
            TypeRef::Number(b) => format!("f{b}"),
            TypeRef::Boolean => "bool".into(),
            TypeRef::DateTime => "DateTime<Utc>".into(),
            TypeRef::Date => "NaiveDate".into(),
            TypeRef::Bytes => "Bytes".into(),
            TypeRef::Any => "serde_json::Value".into(),
            TypeRef::Object => "serde_json::Map<String, Value>".into(),
            TypeRef::Named(n) => n.clone(),
            TypeRef::Array(i) => format!("Vec<{}>", plain(i)),
            TypeRef::Map(i) => format!("BTreeMap<String, {}>", plain(i)),
            TypeRef::Nullable(i) => format!("Option<{}>", plain(i)),
        }
    }
    fn named(t: &TypeRef) -> Option<&str> {
        match t {
            TypeRef::Named(n) => Some(n),
            TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => named(i),
            _ => None,
        }
    }
    let text = if optional { format!("Option<{}>", plain(t)) } else { plain(t) };
    match named(t) {
        Some(n) => format!("[`{text}`]({models_prefix}{n}.md)"),
        None => format!("`{text}`"),
    }
}

/// Every docs page of the crate.
pub fn pages(krate: &Crate, features: &Features, preamble_for: &dyn Fn(Option<&Api>) -> String) -> Vec<Page> {
    let crate_ident = krate.name.replace('-', "_");
    let mut out = Vec::new();
    let index = Index {
        preamble: preamble_for(None),
        fm: FrontMatter {
            id: "rust-sdk".into(),
            title: krate.name.clone(),
            slug: "/tools/sdk/rust".into(),
            toc_max_heading_level: None,
            hide_table_of_contents: true,
        },
        crate_name: krate.name.clone(),
        title: md_text(&krate.title),
        crate_ident: crate_ident.clone(),
        versions: krate
            .apis
            .values()
            .map(|a| VersionRow {
                module: a.module.clone(),
                title: md_cell(&a.title),
                endpoints: a.operations.len(),
                models: a.types.len(),
            })
            .collect(),
    };
    out.push(Page { path: "docs/README.md".into(), text: render(&index) });
    for api in krate.apis.values() {
        out.extend(version_pages(api, features, &crate_ident, &preamble_for(Some(api))));
    }
    out
}

fn render<T: Template>(t: &T) -> String {
    let mut s = t.render().unwrap_or_else(|e| format!("rendering failed: {e}"));
    // One trailing newline, no trailing spaces.
    s = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    while s.contains("\n\n\n") {
        s = s.replace("\n\n\n", "\n\n");
    }
    s.push('\n');
    s
}

fn server_root(api: &Api) -> String {
    api.servers.first().map(|s| s.default_url.clone()).unwrap_or_else(|| "/".into())
}

fn version_pages(api: &Api, features: &Features, crate_ident: &str, preamble: &str) -> Vec<Page> {
    let m = &api.module;
    let mut out = Vec::new();
    let mut endpoints = Vec::new();
    for tag in &api.tags {
        let ops: Vec<OpDoc> =
            tag.operations.iter().map(|&i| op_doc(api, &api.operations[i], &tag.module, crate_ident)).collect();
        for op in &ops {
            endpoints.push(EndpointRow {
                class: tag.type_name.clone(),
                fn_name: op.fn_name.clone(),
                anchor: op.anchor.clone(),
                method: op.method.clone(),
                path: op.path.clone(),
                summary: op.summary.clone(),
            });
        }
        let page = ApiPage {
            feature: features.tag(&tag.module).map(|f| format!("`{f}`")),
            preamble: preamble.to_string(),
            fm: FrontMatter {
                id: format!("{m}-{}", kebab(&tag.type_name)),
                title: tag.type_name.clone(),
                slug: api_slug(m, &tag.type_name),
                toc_max_heading_level: Some(2),
                hide_table_of_contents: false,
            },
            type_name: tag.type_name.clone(),
            description: md_text(tag.description.as_deref().unwrap_or("")),
            server_url: server_root(api),
            ops,
        };
        out.push(Page { path: format!("docs/{m}/{}.md", tag.type_name), text: render(&page) });
    }
    for def in &api.types {
        out.push(Page {
            path: format!("docs/{m}/models/{}.md", def.name),
            text: render(&model_page(api, def, features, crate_ident, preamble)),
        });
    }
    let index = VersionIndex {
        preamble: preamble.to_string(),
        fm: FrontMatter {
            id: format!("{m}-index"),
            title: m.to_string(),
            slug: format!("/tools/sdk/rust/{m}"),
            toc_max_heading_level: None,
            hide_table_of_contents: true,
        },
        crate_ident: crate_ident.to_string(),
        title: api.title.clone(),
        version: api.version.clone(),
        module: m.clone(),
        source: api.source.path.clone(),
        description: md_text(api.description.as_deref().unwrap_or("")),
        webhooks: api
            .webhooks
            .iter()
            .map(|w| WebhookRow {
                name: md_cell(&w.name),
                method: w.method.clone(),
                payload: match &w.payload {
                    Some(TypeRef::Named(n)) => format!("[{n}](models/{n}.md)"),
                    _ => String::new(),
                },
                summary: md_cell(w.summary.as_deref().or(w.description.as_deref()).unwrap_or("")),
            })
            .collect(),
        server_url: server_root(api),
        servers: api
            .servers
            .iter()
            .map(|s| {
                let mut line = format!("- `{}`", s.url);
                if let Some(d) = &s.description {
                    line.push_str(&format!(": {}", md_cell(d)));
                }
                for v in &s.variables {
                    let mut var = format!("\n  - `{}`: default `{}`", v.name, v.default);
                    if !v.values.is_empty() {
                        var.push_str(&format!(
                            ", one of {}",
                            v.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
                        ));
                    }
                    if let Some(d) = &v.description {
                        var.push_str(&format!("; {}", md_cell(d)));
                    }
                    line.push_str(&var);
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n"),
        base_path: if api.base_path.is_empty() { "/".into() } else { api.base_path.clone() },
        endpoints,
        models: api.types.iter().map(|t| t.name.clone()).collect(),
    };
    out.push(Page { path: format!("docs/{m}/README.md"), text: render(&index) });
    out
}

/// A value's bounds as SailPoint's pages show them: `[minimum: 15]`, `[max length: 8]`.
fn bound_notes(b: &crate::ir::Bounds) -> Vec<String> {
    let mut notes = Vec::new();
    let exclusive = |yes: bool| if yes { "exclusive " } else { "" };
    if let Some(min) = &b.minimum {
        notes.push(format!("[{}minimum: {min}]", exclusive(b.exclusive_minimum)));
    }
    if let Some(max) = &b.maximum {
        notes.push(format!("[{}maximum: {max}]", exclusive(b.exclusive_maximum)));
    }
    for (label, n) in [
        ("min length", b.min_length),
        ("max length", b.max_length),
        ("min items", b.min_items),
        ("max items", b.max_items),
    ] {
        if let Some(n) = n {
            notes.push(format!("[{label}: {n}]"));
        }
    }
    notes
}

fn op_doc(api: &Api, op: &Operation, tag_module: &str, crate_ident: &str) -> OpDoc {
    let mut params: Vec<ParamDoc> = op
        .params
        .iter()
        .map(|p| ParamDoc {
            location: capitalize(p.location.as_str()),
            name: if p.ident == p.wire_name {
                format!("`{}`", p.ident)
            } else {
                format!("`{}`<br/>(`{}`)", p.ident, p.wire_name)
            },
            data_type: doc_type(&p.ty, "models/"),
            required: p.required.to_string(),
            description: {
                let mut d = md_cell(p.description.as_deref().unwrap_or(""));
                for note in bound_notes(&p.bounds) {
                    d = if d.is_empty() { note } else { format!("{d} {note}") };
                }
                d
            },
        })
        .collect();
    if let Some(b) = &op.body {
        params.push(ParamDoc {
            location: "Body".into(),
            name: format!("`{}`", b.ident),
            data_type: if b.encoding == BodyEncoding::JsonPatch {
                format!("`impl Into<JsonPatch>`: a `JsonPatch` or {}", doc_type(&b.ty, "models/"))
            } else {
                doc_type(&b.ty, "models/")
            },
            required: b.required.to_string(),
            description: md_cell(b.description.as_deref().unwrap_or("")),
        });
    }
    let success = op.success();
    let body_type = |r: &crate::ir::Response| match (r.encoding, r.ty.as_ref()) {
        (ResponseEncoding::Json, Some(t)) => doc_type(t, "models/"),
        (ResponseEncoding::Text, _) => "`String`".into(),
        (ResponseEncoding::Binary, _) => "`Bytes`".into(),
        _ => "`()` (empty response body)".into(),
    };
    let successes = op.successes();
    let mut kinds: Vec<String> = successes.iter().map(|r| body_type(r)).collect();
    kinds.dedup();
    let return_type = match kinds.len() {
        0 => "`()` (empty response body)".into(),
        1 => kinds.remove(0),
        _ => format!(
            "`{}Response`, one variant per success status: {}",
            op.type_prefix,
            successes
                .iter()
                .map(|r| format!("`{}` ({}) {}", r.variant, r.status.label(), body_type(r)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let responses = op
        .responses
        .iter()
        .map(|r| ResponseDoc {
            code: r.status.label(),
            description: md_cell(&r.description),
            data_type: match (&r.ty, r.encoding) {
                (_, ResponseEncoding::Empty) => String::new(),
                (Some(t), ResponseEncoding::Json) => doc_type(t, "models/"),
                (_, ResponseEncoding::Text) => "`String`".into(),
                _ => "`Bytes`".into(),
            },
        })
        .collect();
    let accept = success
        .and_then(|r| r.media_type.clone())
        .or_else(|| op.responses.iter().find_map(|r| r.media_type.clone()))
        .unwrap_or_else(|| "Not defined".into());
    OpDoc {
        fn_name: op.fn_name.clone(),
        anchor: anchor(&op.fn_name),
        method: op.method.as_str().to_string(),
        path: md_cell(&op.path),
        summary: md_cell(op.summary.as_deref().unwrap_or("")),
        title: md_text(op.summary.as_deref().unwrap_or(&op.id)),
        deprecated: op.deprecated,
        experimental: op.experimental(),
        paginated: op.paging.as_ref().map(|p| p.how(&op.params)),
        description: md_text(op.description.as_deref().unwrap_or("")),
        params,
        return_type,
        responses,
        content_type: op.body.as_ref().map(|b| b.media_type.clone()).unwrap_or_else(|| "Not defined".into()),
        accept,
        authorization: authorization(api, op),
        response_headers: op
            .responses
            .iter()
            .flat_map(|r| {
                r.headers.iter().map(move |(name, d)| {
                    format!(
                        "- `{name}` ({}){}",
                        r.status.label(),
                        d.as_deref().map(|d| format!(": {}", md_cell(d))).unwrap_or_default()
                    )
                })
            })
            .collect::<Vec<_>>()
            .join("\n"),
        example: example(api, op, tag_module, crate_ident),
    }
}

/// The operation's security alternatives, and how to give the client each kind of credential.
fn authorization(api: &Api, op: &Operation) -> String {
    use crate::ir::SchemeKind;
    if op.security.is_empty() {
        return "None documented.".to_string();
    }
    let how = |name: &str| {
        let Some(scheme) = api.security_schemes.iter().find(|s| s.name == name) else {
            return "not declared by the spec".to_string();
        };
        let setter = &scheme.setter;
        match &scheme.kind {
            SchemeKind::OAuth2 { token_url: Some(url) } => format!(
                "OAuth2: `ClientBuilder::{setter}_client_credentials` (exchanged at `{url}`), `ClientBuilder::{setter}` (an access token), or `ClientBuilder::client_credentials` / `access_token` for every scheme"
            ),
            SchemeKind::OAuth2 { token_url: None } => {
                format!("OAuth2: `ClientBuilder::{setter}` (an access token), or `ClientBuilder::access_token`")
            }
            SchemeKind::OpenIdConnect => {
                format!("OpenID Connect: `ClientBuilder::{setter}` (an access token), or `ClientBuilder::access_token`")
            }
            SchemeKind::Http(h) if h.eq_ignore_ascii_case("basic") => {
                format!("HTTP basic: `ClientBuilder::{setter}`, or `ClientBuilder::basic_auth`")
            }
            SchemeKind::Http(h) if h.eq_ignore_ascii_case("bearer") => {
                format!("HTTP bearer: `ClientBuilder::{setter}`, or `ClientBuilder::access_token`")
            }
            SchemeKind::Http(h) => {
                format!("HTTP `{h}`: `ClientBuilder::{setter}` (sent as `Authorization: {h} <token>`)")
            }
            SchemeKind::ApiKey { name, location } => {
                format!(
                    "API key in the `{name}` {}: `ClientBuilder::{setter}`, or `ClientBuilder::api_key`",
                    location.as_str()
                )
            }
        }
    };
    let lines: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            if alt.schemes.is_empty() {
                return "- no credentials".to_string();
            }
            let parts: Vec<String> = alt
                .schemes
                .iter()
                .map(|(name, scopes)| {
                    let scopes = if scopes.is_empty() {
                        String::new()
                    } else {
                        format!(", scopes {}", scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "))
                    };
                    format!("`{name}` ({}{scopes})", how(name))
                })
                .collect();
            format!("- {}", parts.join(" and "))
        })
        .collect();
    let head = if lines.len() > 1 { "Any one of:\n\n" } else { "" };
    format!("{head}{}", lines.join("\n"))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A Rust literal (or expression) for a parameter value of type `t`.
fn value_expr(t: &TypeRef, v: Option<&Value>, module: &str, crate_ident: &str) -> String {
    match (t, v) {
        (TypeRef::String, Some(Value::String(s))) => rust_str(s),
        (TypeRef::String, _) => rust_str("example"),
        (TypeRef::Integer(_), Some(Value::Number(n))) if n.is_i64() => n.to_string(),
        (TypeRef::Integer(_), _) => "0".into(),
        (TypeRef::Number(_), Some(Value::Number(n))) => {
            let s = n.to_string();
            if s.contains('.') { s } else { format!("{s}.0") }
        }
        (TypeRef::Number(_), _) => "0.0".into(),
        (TypeRef::Boolean, Some(Value::Bool(b))) => b.to_string(),
        (TypeRef::Boolean, _) => "true".into(),
        (other, v) => {
            let json = v.cloned().unwrap_or(Value::Null);
            format!(
                "serde_json::from_value::<{}>({})?",
                super::rust::public_ty(other, module, crate_ident),
                json_macro(&json)
            )
        }
    }
}

/// The method page's Rust example: configure a client, call the method with example values, print.
fn example(api: &Api, op: &Operation, tag_module: &str, crate_ident: &str) -> String {
    let patch_body = op.body.as_ref().is_some_and(|b| b.required && b.encoding == BodyEncoding::JsonPatch);
    let mut lines = vec![
        if patch_body {
            format!("use {crate_ident}::{{Client, JsonPatch}};")
        } else {
            format!("use {crate_ident}::Client;")
        },
        String::new(),
        "#[tokio::main]".into(),
        "async fn main() -> Result<(), Box<dyn std::error::Error>> {".into(),
        "    // The base URL and credentials from the environment (see the crate's README).".into(),
        "    let client = Client::from_env()?;".into(),
        String::new(),
    ];
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.positional()) {
        let expr = value_expr(&p.ty, p.example.as_ref(), &api.module, crate_ident);
        let comment = p.description.as_deref().map(one_line_comment).unwrap_or_default();
        lines.push(format!("    let {} = {expr};{comment}", p.ident));
        args.push(p.ident.clone());
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let example = b.example.clone().unwrap_or_else(|| crate::ir::example_of(&b.ty, &|n| api.type_named(n), 0));
        let expr = match &b.ty {
            _ if b.encoding == BodyEncoding::JsonPatch => patch_builder(&example),
            TypeRef::String => rust_str(example.as_str().unwrap_or("example")),
            TypeRef::Bytes => "bytes::Bytes::from_static(b\"example\")".to_string(),
            t => format!(
                "serde_json::from_value::<{}>({})?",
                super::rust::public_ty(t, &api.module, crate_ident),
                indent_continuation(&json_macro(&example), 4)
            ),
        };
        let comment = b.description.as_deref().map(one_line_comment).unwrap_or_default();
        lines.push(format!("    let {} = {expr};{comment}", b.ident));
        args.push(b.ident.clone());
    }
    let mut call = vec![
        "    let result = client".to_string(),
        format!("        .{}()", api.module),
        format!("        .{tag_module}()"),
        format!("        .{}({})", op.fn_name, args.join(", ")),
    ];
    for p in op.params.iter().filter(|p| !p.required && p.example.is_some()) {
        call.push(format!("        .{}({})", p.ident, value_expr(&p.ty, p.example.as_ref(), &api.module, crate_ident)));
    }
    call.push("        .await?;".into());
    lines.extend(call);
    lines.push("    println!(\"{result:?}\");".into());
    lines.push("    Ok(())".into());
    lines.push("}".into());
    lines.join("\n")
}

/// Markdown links `[text](url)` as their text, for one-line code comments.
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| after[close + 2..].find(')').map(|end| (close, close + 2 + end))) {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// `JsonPatch::new().replace(...)...` from an example list of JSON Patch operations.
fn patch_builder(example: &Value) -> String {
    let mut out = "JsonPatch::new()".to_string();
    for op in example.as_array().into_iter().flatten() {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("replace");
        let path = rust_str(op.get("path").and_then(Value::as_str).unwrap_or("/"));
        let from = op.get("from").and_then(Value::as_str).map(rust_str);
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(rust_str(s)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let value = op.get("value").map(|v| match v {
            // A list of same-kind scalars is a Rust array; anything else is JSON.
            Value::Array(items) if !items.is_empty() && items.iter().all(|i| i.is_string()) => {
                format!("[{}]", items.iter().filter_map(scalar).collect::<Vec<_>>().join(", "))
            }
            other => scalar(other).unwrap_or_else(|| format!("serde_json::json!({other})")),
        });
        let call = match (name, from, value) {
            ("remove", _, _) => format!(".remove({path})"),
            ("move", Some(f), _) => format!(".move_value({f}, {path})"),
            ("copy", Some(f), _) => format!(".copy({f}, {path})"),
            (n @ ("add" | "replace" | "test"), _, Some(v)) => format!(".{n}({path}, {v})"),
            _ => continue,
        };
        out.push_str("\n        ");
        out.push_str(&call);
    }
    out
}

fn one_line_comment(d: &str) -> String {
    let first = strip_links(&d.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut short: String = first.chars().take(80).collect();
    if first.chars().count() > 80 {
        short.push('…');
    }
    format!(" // {short}")
}

fn indent_continuation(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .enumerate()
        .map(|(i, l)| if i == 0 { l.to_string() } else { format!("{pad}{l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

fn model_page(api: &Api, def: &TypeDef, features: &Features, crate_ident: &str, preamble: &str) -> ModelPage {
    let mut fields = Vec::new();
    let mut values = Vec::new();
    let mut variants = Vec::new();
    let mut alias = None;
    match &def.kind {
        TypeKind::Struct { fields: fs, extra } => {
            for f in fs {
                let mut notes = vec![match (f.required, f.nullable) {
                    (true, false) => "[required]".to_string(),
                    (true, true) => "[required] [nullable]".to_string(),
                    (false, true) => "[optional] [nullable]".to_string(),
                    (false, false) => "[optional]".to_string(),
                }];
                if let Some(d) = &f.default {
                    notes.push(format!("[default to `{d}`]"));
                }
                if !f.enum_values.is_empty() {
                    let vals: Vec<String> = f
                        .enum_values
                        .iter()
                        .map(|v| format!("`{}`", v.as_str().map(String::from).unwrap_or(v.to_string())))
                        .collect();
                    notes.push(format!("[enum: {}]", vals.join(", ")));
                }
                notes.extend(bound_notes(&f.bounds));
                if f.read_only {
                    notes.push("[read-only]".into());
                }
                if f.write_only {
                    notes.push("[write-only]".into());
                }
                if f.deprecated {
                    notes.push("[deprecated]".into());
                }
                if f.ty == TypeRef::Secret {
                    notes.push("[secret: redacted in Debug]".into());
                }
                fields.push(FieldDoc {
                    name: if f.ident == f.wire_name {
                        format!("**{}**", f.ident)
                    } else {
                        format!("**{}**<br/>(`{}`)", f.ident, f.wire_name)
                    },
                    data_type: doc_type_in(&f.ty, "", f.optional()),
                    description: md_cell(f.description.as_deref().unwrap_or("")),
                    notes: notes.join(" "),
                });
            }
            if let Some(extra) = extra {
                fields.push(FieldDoc {
                    name: "**additional_properties**".into(),
                    data_type: doc_type(&TypeRef::Map(Box::new(extra.clone())), ""),
                    description: "Properties not described by the spec, kept as received.".into(),
                    notes: "[flattened]".into(),
                });
            }
        }
        TypeKind::Enum { variants: vs } => {
            values = vs.iter().map(|v| (v.wire.replace('`', "'"), v.ident.clone())).collect();
        }
        TypeKind::IntEnum { variants: vs } => {
            values = vs.iter().map(|(i, v)| (v.to_string(), i.clone())).collect();
        }
        TypeKind::Union { variants: vs } => {
            variants = vs
                .iter()
                .map(|v| (v.ident.clone(), doc_type(&v.ty, ""), md_cell(v.description.as_deref().unwrap_or(""))))
                .collect();
        }
        TypeKind::TaggedUnion { property, variants: vs } => {
            variants = vs
                .iter()
                .map(|v| {
                    let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
                    (
                        v.ident.clone(),
                        doc_type(&v.ty, ""),
                        md_cell(&format!("when `{property}` is {}", tags.join(" or "))),
                    )
                })
                .chain(std::iter::once((
                    "Unknown".to_string(),
                    "`serde_json::Value`".to_string(),
                    md_cell(&format!("any other `{property}`, kept as sent")),
                )))
                .collect();
        }
        TypeKind::Alias(t) => alias = Some(doc_type(t, "")),
    }
    let example = def.example.clone().unwrap_or(Value::Null);
    ModelPage {
        features: features.model(&api.module, &def.name).map(|fs| {
            let names: Vec<String> = fs.iter().map(|f| format!("`{f}`")).collect();
            match names.len() {
                1 => format!("Cargo feature: this model compiles with {} (on by default).", names[0]),
                _ => {
                    format!("Cargo features: this model compiles with any of {} (all on by default).", names.join(", "))
                }
            }
        }),
        preamble: preamble.to_string(),
        fm: FrontMatter {
            id: format!("{}-{}", api.module, kebab(&def.name)),
            title: def.name.clone(),
            slug: model_slug(&api.module, &def.name),
            toc_max_heading_level: None,
            hide_table_of_contents: true,
        },
        crate_ident: crate_ident.to_string(),
        module: api.module.clone(),
        name: def.name.clone(),
        description: md_text(def.description.as_deref().unwrap_or("")),
        fields,
        values,
        variants,
        alias,
        example_json: serde_json::to_string_pretty(&example).unwrap_or_default(),
        example_macro: json_macro(&example),
    }
}

/// What a docs site built from the generated pages must show, page by page, taken from the IR rather than from the
/// Markdown: `cargo xtask docs` checks the rendered HTML against it (a table row lost to a stray pipe or
/// line break, a section that did not render, a method-table link to a missing anchor).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SitePage {
    /// The page's URL path on the site (its front matter `slug`).
    pub slug: String,
    /// The page's `<h1>`.
    pub title: String,
    /// For a method page: its operations in page order.
    pub operations: Vec<SiteOperation>,
    /// For a model page: the heading of its table (`Properties`, `Values`, `Variants`) and the number of
    /// rows it must have; `None` for a page without one (an alias).
    pub table: Option<(String, usize)>,
}

/// One operation section of a method page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteOperation {
    /// The section heading (the Rust method name).
    pub heading: String,
    /// The anchor the method table links to.
    pub anchor: String,
    /// Rows of the parameters table (the body counts as one); 0 means the "no parameters" sentence.
    pub params: usize,
    /// The first column of the responses table, one per documented status, in order.
    pub statuses: Vec<String>,
    /// The `Content-Type` and `Accept` request headers as listed.
    pub content_type: String,
    /// See `content_type`.
    pub accept: String,
}

/// The generated pages that have a structure to check, with what each must show.
pub fn site_map(krate: &Crate) -> Vec<SitePage> {
    let mut out = Vec::new();
    for api in krate.apis.values() {
        for tag in &api.tags {
            let operations = tag
                .operations
                .iter()
                .map(|&i| {
                    let op = &api.operations[i];
                    let d = op_doc(api, op, &tag.module, "");
                    SiteOperation {
                        heading: op.fn_name.clone(),
                        anchor: d.anchor,
                        params: op.params.len() + usize::from(op.body.is_some()),
                        statuses: op.responses.iter().map(|r| r.status.label()).collect(),
                        content_type: d.content_type,
                        accept: d.accept,
                    }
                })
                .collect();
            out.push(SitePage {
                slug: api_slug(&api.module, &tag.type_name),
                title: tag.type_name.clone(),
                operations,
                table: None,
            });
        }
        for def in &api.types {
            let table = match &def.kind {
                TypeKind::Struct { fields, extra } => Some(("Properties", fields.len() + usize::from(extra.is_some()))),
                // One row per value, and one for the values the spec does not list.
                TypeKind::Enum { variants } => Some(("Values", variants.len() + 1)),
                TypeKind::IntEnum { variants } => Some(("Values", variants.len() + 1)),
                TypeKind::Union { variants } => Some(("Variants", variants.len())),
                TypeKind::TaggedUnion { variants, .. } => Some(("Variants", variants.len() + 1)),
                TypeKind::Alias(_) => None,
            }
            // The templates leave out an empty table.
            // (an enum without values has none, not just its "any other value" row).
            .filter(|&(h, n)| n > usize::from(h == "Values"));
            out.push(SitePage {
                slug: model_slug(&api.module, &def.name),
                title: def.name.clone(),
                operations: Vec::new(),
                table: table.map(|(h, n)| (h.to_string(), n)),
            });
        }
    }
    out
}
