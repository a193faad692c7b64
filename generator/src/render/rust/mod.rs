//! Rust rendering: IR -> Askama template views -> Rust text (formatted by [`super::format`]).
//!
//! The views hold only strings and flags the templates print; all decisions (types, serde attributes,
//! match arms) are made here from the IR, so the templates read like the files they produce.

use askama::Template;
use serde_json::Value;

use super::text::{doc_comment, inner_doc, rust_str, rustdoc_markdown};
use crate::features::Features;

mod models;
mod operations;

use crate::ir::{
    Api, BodyEncoding, Crate, Operation, ParamLocation, PathPart, ResponseEncoding, Status, TypeDef, TypeKind, TypeRef,
};
use models::*;
use operations::*;

/// A rendered Rust file before formatting: its path, text, and the template that made it.
pub struct RustFile {
    /// Path inside the crate.
    pub path: String,
    /// Template name, for error messages.
    pub template: &'static str,
    /// Unformatted text.
    pub text: String,
    /// Written as it is (the embedded runtime's source), not formatted.
    pub verbatim: bool,
}

#[derive(Template)]
#[template(path = "rust/lib.rs", escape = "none")]
struct LibTemplate {
    title: String,
    versions: Vec<VersionLine>,
    doc_pages: Vec<DocPage>,
    /// `feature = "v3", feature = "v2024", ...` for the "no version enabled" guard.
    any_version: String,
    /// In a crate with tag features: the predicate "some tag is on" for the "no tag enabled" guard, and
    /// a tag feature to name in the docs.
    tag_guard: Option<(String, String)>,
    /// Some operation sends a JSON Patch body (the `patch` module and `JsonPatch`).
    has_patch: bool,
    /// Some operation takes SailPoint's `filters` query parameter (the `filter` module and `Filter`).
    has_filter: bool,
    /// The runtime's modules are embedded (else re-exported from `sdk-runtime`).
    embed: bool,
    /// `name-rust`, the `User-Agent` product token.
    user_agent_product: String,
    /// The security schemes of every API, with their builder setters.
    schemes: Vec<SchemeView>,
    /// The servers the base URL may come from (with an absolute URL).
    servers: Vec<ServerView>,
    /// (setter, variable name, docs) per server variable, once per name.
    variables: Vec<(String, String, String)>,
    /// SailPoint's profile: `SAIL_*` configuration and the sail CLI file, and the `Filter` helper.
    sailpoint: bool,
    /// The environment variables `from_env` reads, as an `env::EnvNames` expression.
    env: String,
}

/// The environment variable of a server variable or credential: `{PREFIX}_{NAME}`.
fn env_var(krate: &Crate, name: &str) -> String {
    format!("{}_{}", krate.env_prefix, name.trim_end_matches('_').to_ascii_uppercase())
}

/// Per scheme, its environment variables (for the README) and `EnvCredential` expressions.
fn env_credentials(krate: &Crate, s: &crate::ir::SecurityScheme) -> (Vec<String>, Vec<String>) {
    use crate::ir::SchemeKind;
    let v = |suffix: &str| env_var(krate, &format!("{}_{suffix}", s.setter));
    let lit = |name: &String| rust_str(name);
    let entry = |kind: String| format!("EnvCredential {{ scheme: {}, kind: {kind} }}", rust_str(&s.name));
    match &s.kind {
        SchemeKind::ApiKey { .. } => {
            let k = v("KEY");
            (vec![k.clone()], vec![entry(format!("EnvKind::ApiKey({})", lit(&k)))])
        }
        SchemeKind::Http(h) if h.eq_ignore_ascii_case("basic") => {
            let (u, p) = (v("USER"), v("PASSWORD"));
            (vec![u.clone(), p.clone()], vec![entry(format!("EnvKind::Basic({}, {})", lit(&u), lit(&p)))])
        }
        SchemeKind::OAuth2 { token_url: Some(_) } => {
            let (t, i, c) = (v("TOKEN"), v("CLIENT_ID"), v("CLIENT_SECRET"));
            (
                vec![t.clone(), i.clone(), c.clone()],
                vec![
                    entry(format!("EnvKind::Token({})", lit(&t))),
                    entry(format!("EnvKind::ClientCredentials({}, {})", lit(&i), lit(&c))),
                ],
            )
        }
        _ => {
            let t = v("TOKEN");
            (vec![t.clone()], vec![entry(format!("EnvKind::Token({})", lit(&t)))])
        }
    }
}

fn env_view(krate: &Crate) -> String {
    let mut variables = Vec::new();
    for v in krate.servers().iter().flat_map(|s| &s.variables) {
        let Some(setter) = &v.setter else { continue };
        let pair = format!("({}, {})", rust_str(&v.name), rust_str(&env_var(krate, setter)));
        if !variables.contains(&pair) {
            variables.push(pair);
        }
    }
    let credentials: Vec<String> = krate.schemes().iter().flat_map(|s| env_credentials(krate, s).1).collect();
    format!(
        "EnvNames {{ base_url: {}, variables: &[{}], credentials: &[{}] }}",
        rust_str(&env_var(krate, "BASE_URL")),
        variables.join(", "),
        credentials.join(", ")
    )
}

/// A server as `lib.rs` declares it.
struct ServerView {
    docs: String,
    /// The `Server` expression.
    expr: String,
}

/// The crate's servers whose URL is absolute, as `sdk_runtime::security::Server` expressions, and the
/// setters of their variables.
fn server_views(krate: &Crate) -> (Vec<ServerView>, Vec<(String, String, String)>) {
    let mut views = Vec::new();
    let mut variables: Vec<(String, String, String)> = Vec::new();
    for (i, server) in krate.servers().iter().enumerate().filter(|(_, s)| s.url.contains("://")) {
        let origin = server.origin();
        let vars: Vec<String> = server
            .variables
            .iter()
            .filter(|v| v.setter.is_some())
            .map(|v| {
                let default =
                    if v.default.is_empty() { "None".to_string() } else { format!("Some({})", rust_str(&v.default)) };
                let values: Vec<String> = v.values.iter().map(|x| rust_str(x)).collect();
                format!(
                    "ServerVariable {{ name: {}, default: {default}, values: &[{}] }}",
                    rust_str(&v.name),
                    values.join(", ")
                )
            })
            .collect();
        let mut docs = format!("- {i}: `{}`", server.url);
        if let Some(d) =
            server.description.as_deref().and_then(|d| d.lines().next()).map(str::trim).filter(|d| !d.is_empty())
        {
            docs.push_str(&format!(" ({})", d.trim_end_matches('.')));
        }
        docs.push('.');
        views.push(ServerView {
            docs,
            expr: format!("Server {{ url: {}, variables: &[{}] }}", rust_str(origin), vars.join(", ")),
        });
        for v in &server.variables {
            let Some(setter) = &v.setter else { continue };
            if variables.iter().any(|(s, _, _)| s == setter) {
                continue;
            }
            let mut d = v.description.clone().unwrap_or_else(|| format!("The `{}` server variable.", v.name));
            d = d.trim().to_string();
            if !v.values.is_empty() {
                d.push_str(&format!(
                    "\n\nOne of: {}.",
                    v.values.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
                ));
            }
            if !v.default.is_empty() {
                d.push_str(&format!("\n\nThe spec's default: `{}`.", v.default));
            }
            d.push_str(&format!("\n\nFills `{{{}}}` in the server URL; `base_url` overrides it.", v.name));
            variables.push((setter.clone(), rust_str(&v.name), doc_comment(&d, 4)));
        }
    }
    (views, variables)
}

/// A security scheme as `lib.rs` declares it, and the builder setters for its credential.
struct SchemeView {
    /// The scheme's name in the spec.
    name: String,
    /// What the client sends for it, in words.
    sent: String,
    /// The constant in `schemes`.
    ident: String,
    docs: String,
    name_lit: String,
    /// The `SchemeKind` expression.
    kind: String,
    setters: Vec<SetterView>,
}

struct SetterView {
    name: String,
    docs: String,
    /// The parameters (`key: impl Into<String>`).
    params: String,
    /// The `Credential` expression built from them.
    credential: String,
}

/// The constant that declares a scheme in the crate's `schemes` module.
pub(super) fn scheme_const(s: &crate::ir::SecurityScheme) -> String {
    s.setter.trim_end_matches('_').to_ascii_uppercase()
}

fn scheme_views(krate: &Crate) -> Vec<SchemeView> {
    use crate::ir::SchemeKind;
    krate
        .schemes()
        .into_iter()
        .map(|s| {
            let name = &s.name;
            let token = |what: String| SetterView {
                name: s.setter.clone(),
                docs: doc_comment(&what, 4),
                params: "token: impl Into<String>".into(),
                credential: "Credential::token(token)".into(),
            };
            let (kind, mut what, setters) = match &s.kind {
                SchemeKind::ApiKey { name: param, location } => (
                    format!(
                        "SchemeKind::ApiKey {{ location: KeyLocation::{}, name: {} }}",
                        match location {
                            ParamLocation::Query => "Query",
                            ParamLocation::Cookie => "Cookie",
                            _ => "Header",
                        },
                        rust_str(param)
                    ),
                    format!("an API key sent as the `{param}` {}", key_place(location)),
                    vec![SetterView {
                        name: s.setter.clone(),
                        docs: doc_comment(&format!("The API key of the `{name}` security scheme, sent as the `{param}` {} to the operations that take it.", key_place(location)), 4),
                        params: "key: impl Into<String>".into(),
                        credential: "Credential::api_key(key)".into(),
                    }],
                ),
                SchemeKind::Http(h) if h.eq_ignore_ascii_case("basic") => (
                    "SchemeKind::Basic".to_string(),
                    "HTTP basic credentials".to_string(),
                    vec![SetterView {
                        name: s.setter.clone(),
                        docs: doc_comment(&format!("HTTP basic credentials for the `{name}` security scheme, sent to the operations that take it."), 4),
                        params: "user: impl Into<String>, password: impl Into<String>".into(),
                        credential: "Credential::basic(user, password)".into(),
                    }],
                ),
                SchemeKind::Http(h) => {
                    let scheme = capitalized(h);
                    (
                        format!("SchemeKind::Http {{ scheme: {} }}", rust_str(&scheme)),
                        format!("a token sent as `Authorization: {scheme} <token>`"),
                        vec![token(format!("The token of the `{name}` security scheme, sent as `Authorization: {scheme} <token>` to the operations that take it."))],
                    )
                }
                SchemeKind::OAuth2 { token_url } => {
                    let mut setters = vec![token(format!("An OAuth2 access token for the `{name}` security scheme, sent as a bearer token to the operations that take it."))];
                    if let Some(url) = token_url {
                        setters.push(SetterView {
                            name: format!("{}_client_credentials", s.setter),
                            docs: doc_comment(&format!("OAuth2 client credentials for the `{name}` security scheme, exchanged at `{url}` for access tokens (cached, refreshed before they expire and after a `401`). For scopes, pass `Credential::client_credentials(..).with_scopes(..)` to [`ClientBuilder::credential`]."), 4),
                            params: "client_id: impl Into<String>, client_secret: impl Into<String>".into(),
                            credential: "Credential::client_credentials(client_id, client_secret)".into(),
                        });
                    }
                    let kind = match token_url {
                        Some(u) => format!("SchemeKind::OAuth2 {{ token_url: Some({}) }}", rust_str(u)),
                        None => "SchemeKind::OAuth2 { token_url: None }".to_string(),
                    };
                    let what = match token_url {
                        Some(u) if !u.contains("://") => {
                            format!("OAuth2: an access token, or client credentials exchanged at `{u}` on the base URL")
                        }
                        Some(u) => format!("OAuth2: an access token, or client credentials exchanged at `{u}`"),
                        None => "OAuth2: an access token".to_string(),
                    };
                    (kind, what, setters)
                }
                SchemeKind::OpenIdConnect => (
                    "SchemeKind::OpenIdConnect".to_string(),
                    "OpenID Connect: an access token".to_string(),
                    vec![token(format!("An OpenID Connect access token for the `{name}` security scheme, sent as a bearer token to the operations that take it."))],
                ),
            };
            // Each setter's docs name the variables `from_env` reads for the same credential.
            let mut setters = setters;
            let (vars, _) = env_credentials(krate, s);
            let sailpoint = krate.profile == crate::ir::Profile::SailPoint;
            for st in &mut setters {
                let names: Vec<String> = if sailpoint {
                    if st.name.ends_with("_client_credentials") {
                        vec!["SAIL_CLIENT_ID".into(), "SAIL_CLIENT_SECRET".into()]
                    } else {
                        vec![]
                    }
                } else if st.name.ends_with("_client_credentials") {
                    vars.iter().skip(1).cloned().collect()
                } else {
                    vars.iter().take(if vars.len() == 2 { 2 } else { 1 }).cloned().collect()
                };
                if !names.is_empty() {
                    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    st.docs.push_str(&format!("\n    ///\n    /// `from_env` reads it from {}.", list.join(" and ")));
                }
            }
            let sent = what.clone();
            what = format!("`{name}`: {what}.");
            SchemeView {
                name: name.clone(),
                sent,
                ident: scheme_const(s),
                docs: doc_comment(&what, 4),
                name_lit: rust_str(name),
                kind,
                setters,
            }
        })
        .collect()
}

/// Where an API key goes, in words.
fn key_place(location: &ParamLocation) -> &'static str {
    match location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Cookie => "cookie",
        _ => "header",
    }
}

/// `bearer` -> `Bearer`: an HTTP authentication scheme as the `Authorization` header usually spells it.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "rust/README.md", escape = "none")]
struct ReadmeTemplate<'a> {
    preamble: String,
    crate_name: &'a str,
    title: String,
    crate_ident: String,
    example_module: String,
    versions: Vec<VersionLine>,
    tag_guard: Option<(String, String)>,
    user_agent_product: String,
    /// Per security scheme: its name, its setters (`.user_auth(token)`), its environment variables and
    /// what it sends.
    schemes: Vec<(String, String, String, String)>,
    /// SailPoint's profile (`SAIL_*`, the sail CLI file).
    sailpoint: bool,
    /// Some operation is experimental (needs the opt-in).
    experimental: bool,
    /// `from_env`'s base URL variable, and its server variables' (`TENANT`).
    env_base: String,
    env_variables: Vec<String>,
    /// Per server: its index, URL and the setters of its variables.
    servers: Vec<(usize, String, String)>,
}

/// The crate's README: its user guide, and (included by `lib.rs`) its rustdoc front page.
pub fn readme(krate: &Crate, features: &Features, preamble: String) -> String {
    ReadmeTemplate {
        preamble,
        crate_name: &krate.name,
        title: rustdoc_markdown(&krate.title),
        crate_ident: krate.name.replace('-', "_"),
        example_module: krate.apis.keys().next().cloned().unwrap_or_default(),
        versions: version_lines(krate),
        tag_guard: tag_guard(features),
        user_agent_product: format!("{}-rust", krate.name),
        schemes: scheme_views(krate)
            .into_iter()
            .map(|v| {
                let setters: Vec<String> = v
                    .setters
                    .iter()
                    .map(|st| {
                        let args: Vec<&str> =
                            st.params.split(", ").map(|p| p.split(':').next().unwrap_or_default()).collect();
                        format!("`.{}({})`", st.name, args.join(", "))
                    })
                    .collect();
                let env = krate
                    .schemes()
                    .into_iter()
                    .find(|s| s.name == v.name)
                    .map(|s| {
                        env_credentials(krate, s).0.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
                    })
                    .unwrap_or_default();
                (v.name.clone(), setters.join(", "), env, v.sent.clone())
            })
            .collect(),
        sailpoint: krate.profile == crate::ir::Profile::SailPoint,
        experimental: krate.apis.values().flat_map(|a| &a.operations).any(|o| o.experimental()),
        env_base: env_var(krate, "BASE_URL"),
        env_variables: krate
            .servers()
            .iter()
            .flat_map(|s| &s.variables)
            .filter_map(|v| v.setter.as_ref())
            .map(|st| env_var(krate, st))
            .fold(Vec::new(), |mut acc, e| {
                if !acc.contains(&e) {
                    acc.push(e);
                }
                acc
            }),
        servers: krate
            .servers()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.url.contains("://"))
            .map(|(i, s)| {
                let setters: Vec<String> =
                    s.variables.iter().filter_map(|v| v.setter.as_ref()).map(|st| format!("`.{st}(..)`")).collect();
                (i, s.url.clone(), if setters.is_empty() { "none".to_string() } else { setters.join(", ") })
            })
            .collect(),
    }
    .render()
    .unwrap_or_default()
}

fn version_lines(krate: &Crate) -> Vec<VersionLine> {
    krate
        .apis
        .values()
        .map(|a| VersionLine {
            module: a.module.clone(),
            title: a.title.clone(),
            version: a.version.clone(),
            base_path_display: display_base(&a.base_path),
        })
        .collect()
}

fn tag_guard(features: &Features) -> Option<(String, String)> {
    features.enabled().then(|| {
        let tags = features.tag_features();
        (crate::features::any(&tags), tags.first().map(|t| t.to_string()).unwrap_or_default())
    })
}

struct VersionLine {
    module: String,
    title: String,
    version: String,
    base_path_display: String,
}

/// A Markdown page included as doctests.
pub struct DocPage {
    /// Path relative to the crate root.
    pub path: String,
    /// A unique item name to hang the docs on.
    pub ident: String,
    /// The `cfg` predicate the page's examples need (its version's feature, and its tag's or model's), if
    /// it belongs to one version.
    pub cfg: Option<String>,
}

#[derive(Template)]
#[template(path = "rust/version.rs", escape = "none")]
struct VersionTemplate {
    title: String,
    version: String,
    source: String,
    module: String,
    description_inner: String,
    base_path_display: String,
    base_path_lit: String,
    default_server_lit: String,
    tags: Vec<TagLine>,
    /// The `## Webhooks` section of the module docs (inner doc lines), empty without webhooks.
    webhooks_doc: String,
    /// In a crate with tag features: the predicate under which some tag of this version is on (the
    /// handle's client goes unused otherwise).
    any_tag: Option<String>,
}

struct TagLine {
    /// The tag feature's `cfg` predicate, in a crate with tag features.
    cfg: Option<String>,
    /// The crate has this one API: the client has the tag's accessor itself (`client.users()`).
    direct: bool,
    module: String,
    type_name: String,
    docs: String,
}

#[derive(Template)]
#[template(path = "rust/Cargo.toml", escape = "none")]
struct CargoTemplate {
    name: String,
    version: String,
    description: String,
    /// One feature per API version (its module name), all on by default.
    features: Vec<String>,
    /// One feature per tag (feature, the tags it stands for), all on by default; empty for a crate with
    /// one tag.
    tags: Vec<(String, String)>,
    /// The feature of the models no operation reaches, if there are any.
    unreferenced: Option<String>,
    /// The `sdk-runtime` crate's folder, relative to the generated crate's, when it is a dependency.
    runtime_path: Option<String>,
    /// SailPoint's profile: the `config-file` feature (the sail CLI's file).
    sailpoint: bool,
}

/// The runtime files only SailPoint's profile embeds: `SAIL_*` configuration and the `filters` syntax.
const SAILPOINT_FILES: &[&str] = &["config.rs", "filter.rs"];

/// The runtime's source files, as the `sdk-runtime` crate has them, for crates that embed it.
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../../runtime/src/auth.rs")),
    ("binary.rs", include_str!("../../../../runtime/src/binary.rs")),
    ("client.rs", include_str!("../../../../runtime/src/client.rs")),
    ("config.rs", include_str!("../../../../runtime/src/config.rs")),
    ("correct.rs", include_str!("../../../../runtime/src/correct.rs")),
    ("env.rs", include_str!("../../../../runtime/src/env.rs")),
    ("error.rs", include_str!("../../../../runtime/src/error.rs")),
    ("filter.rs", include_str!("../../../../runtime/src/filter.rs")),
    ("pagination.rs", include_str!("../../../../runtime/src/pagination.rs")),
    ("patch.rs", include_str!("../../../../runtime/src/patch.rs")),
    ("record.rs", include_str!("../../../../runtime/src/record.rs")),
    ("retry.rs", include_str!("../../../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../../../runtime/src/secret.rs")),
    ("security.rs", include_str!("../../../../runtime/src/security.rs")),
    ("unions.rs", include_str!("../../../../runtime/src/unions.rs")),
    ("validate.rs", include_str!("../../../../runtime/src/validate.rs")),
];

fn render<T: Template>(t: &T, template: &'static str, path: String) -> RustFile {
    // Askama only fails on a user-defined filter or Display error, neither of which these templates have.
    let text = t.render().unwrap_or_else(|e| format!("compile_error!({:?});", e.to_string()));
    RustFile { path, template, text, verbatim: false }
}

/// Renders the crate manifest (TOML, not formatted by syn).
pub fn cargo_toml(krate: &Crate, features: &Features) -> String {
    let tags = features
        .tag_features()
        .into_iter()
        .map(|f| {
            let mut names: Vec<&str> = krate
                .apis
                .values()
                .flat_map(|a| a.tags.iter())
                .filter(|t| features.tag(&t.module) == Some(f))
                .map(|t| t.name.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            (f.to_string(), names.join(", ").replace(['\n', '\r'], " "))
        })
        .collect();
    CargoTemplate {
        tags,
        unreferenced: features.has_unreferenced().then(|| crate::features::UNREFERENCED.to_string()),
        name: krate.name.clone(),
        version: krate.version.clone(),
        description: krate.description.replace('\\', "\\\\").replace('"', "\\\""),
        features: krate.apis.keys().cloned().collect(),
        runtime_path: match &krate.runtime {
            crate::ir::Runtime::Path(p) => Some(p.clone()),
            crate::ir::Runtime::Embedded => None,
        },
        sailpoint: krate.profile == crate::ir::Profile::SailPoint,
    }
    .render()
    .unwrap_or_default()
}

/// Every Rust file of the crate.
pub fn files(krate: &Crate, features: &Features, doc_pages: Vec<DocPage>) -> Vec<RustFile> {
    let mut out = Vec::new();
    let versions = version_lines(krate);
    let version_rs: Vec<(String, Vec<RustFile>)> = krate
        .apis
        .values()
        .map(|api| (api.module.clone(), version_files(api, features, krate.apis.len() == 1)))
        .collect();
    let embed = krate.runtime == crate::ir::Runtime::Embedded;
    let ops = || krate.apis.values().flat_map(|a| &a.operations);
    let (servers, variables) = server_views(krate);
    let sailpoint = krate.profile == crate::ir::Profile::SailPoint;
    let lib = LibTemplate {
        title: rustdoc_markdown(&krate.title),
        any_version: krate.apis.keys().map(|m| format!("feature = {}", rust_str(m))).collect::<Vec<_>>().join(", "),
        tag_guard: tag_guard(features),
        versions,
        doc_pages,
        has_patch: ops().any(|o| o.body.as_ref().is_some_and(|b| b.encoding == crate::ir::BodyEncoding::JsonPatch)),
        has_filter: sailpoint
            && ops().any(|o| o.params.iter().any(|p| p.location == ParamLocation::Query && p.wire_name == "filters")),
        sailpoint,
        env: env_view(krate),
        embed,
        user_agent_product: format!("{}-rust", krate.name),
        schemes: scheme_views(krate),
        servers,
        variables,
    };
    out.push(render(&lib, "rust/lib.rs", "src/lib.rs".into()));
    if embed {
        let sailpoint = krate.profile == crate::ir::Profile::SailPoint;
        for (name, text) in RUNTIME_FILES.iter().filter(|(n, _)| sailpoint || !SAILPOINT_FILES.contains(n)) {
            out.push(RustFile {
                path: format!("src/{name}"),
                template: "runtime",
                text: (*text).to_string(),
                verbatim: true,
            });
        }
    }
    for (_, files) in version_rs {
        out.extend(files);
    }
    out
}

fn display_base(base: &str) -> String {
    if base.is_empty() { "/".to_string() } else { base.to_string() }
}

/// The client's own methods (and its runtime client's, through `Deref`), which a tag's direct accessor
/// must not shadow.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "new", "base_url", "execute", "clone", "fmt", "deref", "from"];

fn version_files(api: &Api, features: &Features, single: bool) -> Vec<RustFile> {
    let m = &api.module;
    let mut out = Vec::new();
    let version = VersionTemplate {
        title: api.title.clone(),
        version: api.version.clone(),
        source: api.source.path.clone(),
        module: m.clone(),
        description_inner: inner_doc(api.description.as_deref().unwrap_or("")),
        base_path_display: display_base(&api.base_path),
        base_path_lit: rust_str(&api.base_path),
        webhooks_doc: webhooks_doc(api),
        default_server_lit: rust_str(api.servers.first().map(|s| s.default_url.as_str()).unwrap_or("")),
        any_tag: features.enabled().then(|| {
            let tags: Vec<&str> = api.tags.iter().filter_map(|t| features.tag(&t.module)).collect();
            crate::features::any(&tags)
        }),
        tags: api
            .tags
            .iter()
            .map(|t| TagLine {
                cfg: features.tag(&t.module).map(|f| crate::features::any(&[f])),
                direct: single && !CLIENT_METHODS.contains(&t.module.as_str()) && t.module != *m,
                module: t.module.clone(),
                type_name: t.type_name.clone(),
                docs: doc_comment(&format!("The operations tagged {}.", t.name), 4),
            })
            .collect(),
    };
    out.push(render(&version, "rust/version.rs", format!("src/{m}/mod.rs")));
    let set = validating(api);
    out.push(render(&models(api, &set, features), "rust/models.rs", format!("src/{m}/models.rs")));
    for tag in &api.tags {
        let ops: Vec<OpView> = tag.operations.iter().map(|&i| op_view(api, &api.operations[i], &set)).collect();
        let uses_models = tag.operations.iter().any(|&i| api.operations[i].named_types().next().is_some());
        let t = ApiTemplate {
            uses_models,
            tag_name: tag.name.clone(),
            version_title: api.title.clone(),
            description_inner: inner_doc(tag.description.as_deref().unwrap_or("")),
            type_docs: doc_comment(
                &format!("The {} operations of the {} (`{}`).", tag.name, api.title, api.version),
                0,
            ),
            type_name: tag.type_name.clone(),
            ops,
        };
        out.push(render(&t, "rust/api.rs", format!("src/{m}/{}.rs", tag.module)));
    }
    out
}

/// Where the type is written: inside `models.rs` or from an API module (`models::` prefix).
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Model,
    Api,
}

/// The Rust spelling of a type.
/// The module docs' list of the events the API sends (OpenAPI 3.1 `webhooks`).
fn webhooks_doc(api: &crate::ir::Api) -> String {
    if api.webhooks.is_empty() {
        return String::new();
    }
    let cell = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
    let mut md = String::from(
        "## Webhooks\n\nThe events this API sends to a server of yours; decode a payload with \
         `serde_json::from_slice`.\n\n| event | method | payload | summary |\n|---|---|---|---|\n",
    );
    for w in &api.webhooks {
        let payload = w.payload.as_ref().map(|t| format!("[`{}`]", ty(t, Ctx::Api))).unwrap_or_default();
        let summary = w.summary.as_deref().or(w.description.as_deref()).map(cell).unwrap_or_default();
        md.push_str(&format!("| `{}` | {} | {payload} | {summary} |\n", w.name, w.method));
    }
    format!("//!\n{}", crate::render::text::inner_doc(&md))
}

fn ty(t: &TypeRef, ctx: Ctx) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Secret => "crate::secret::SecretString".into(),
        TypeRef::Integer(32) => "i32".into(),
        TypeRef::Integer(_) => "i64".into(),
        TypeRef::Number(32) => "f32".into(),
        TypeRef::Number(_) => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Bytes => "bytes::Bytes".into(),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Object => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Named(n) => match ctx {
            Ctx::Model => n.clone(),
            Ctx::Api => format!("models::{n}"),
        },
        TypeRef::Array(inner) => format!("Vec<{}>", ty(inner, ctx)),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", ty(inner, ctx)),
        TypeRef::Nullable(inner) => format!("Option<{}>", ty(inner, ctx)),
    }
}

/// A type as a user of the crate names it (`Vec<sailpoint_pat::v3::models::X>`).
pub fn public_ty(t: &TypeRef, module: &str, crate_ident: &str) -> String {
    ty(t, Ctx::Api)
        .replace("models::", &format!("{crate_ident}::{module}::models::"))
        .replace("crate::", &format!("{crate_ident}::"))
}

/// An example value as Rust source for docs: `serde_json::json!` accepts any JSON.
pub fn json_macro(v: &Value) -> String {
    format!("serde_json::json!({})", serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into()))
}

#[cfg(test)]
mod tests {
    /// The files a crate embeds are exactly the runtime crate's modules (its `lib.rs` aside), so a file
    /// added to `runtime/src` cannot be left out of embedded crates.
    #[test]
    fn the_embedded_runtime_is_every_runtime_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && n != "lib.rs")
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = super::RUNTIME_FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(embedded, on_disk);
    }
}
