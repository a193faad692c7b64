//! Rust rendering: IR -> Askama template views -> Rust text (formatted by [`super::format`]).
//!
//! The views hold only strings and flags the templates print; all decisions (types, serde attributes,
//! match arms) are made here from the IR, so the templates read like the files they produce.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use serde_json::Value;

use super::text::{doc_comment, inner_doc, rust_str, rustdoc_markdown};
use crate::features::Features;
use crate::ir::{
    Api, BodyEncoding, Crate, Operation, ParamLocation, PathPart, ResponseEncoding, Status, TypeDef, TypeKind, TypeRef,
};

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
    /// In a crate with tag features: the predicate under which some tag of this version is on (the
    /// handle's client goes unused otherwise).
    any_tag: Option<String>,
}

struct TagLine {
    /// The tag feature's `cfg` predicate, in a crate with tag features.
    cfg: Option<String>,
    module: String,
    type_name: String,
    docs: String,
}

#[derive(Template)]
#[template(path = "rust/models.rs", escape = "none")]
struct ModelsTemplate {
    needs_serde: bool,
    /// Models are gated behind tag features (the serde import may go unused).
    gated: bool,
    title: String,
    version: String,
    source: String,
    structs: Vec<StructView>,
    enums: Vec<EnumView>,
    int_enums: Vec<IntEnumView>,
    unions: Vec<UnionView>,
    tagged: Vec<TaggedView>,
    aliases: Vec<AliasView>,
}

struct TaggedView {
    name: String,
    docs: String,
    derives: String,
    property_lit: String,
    property_doc: String,
    variants: Vec<TaggedVariantView>,
}

struct TaggedVariantView {
    ident: String,
    ty: String,
    tag_lit: String,
    patterns: String,
    tags_doc: String,
}

struct StructView {
    name: String,
    docs: String,
    derives: String,
    deprecated: bool,
    fields: Vec<FieldView>,
    ctor: Option<CtorView>,
    /// The statements of `validate()`, when the struct has bounds to check (directly or in a field).
    checks: Vec<String>,
    /// The bounds `validate()` checks, in words, for its docs.
    checks_doc: String,
}

struct FieldView {
    docs: String,
    attrs: String,
    deprecated: bool,
    ident: String,
    ty: String,
}

struct CtorView {
    args: Vec<ArgView>,
    inits: Vec<String>,
}

struct ArgView {
    ident: String,
    ty: String,
}

struct EnumView {
    name: String,
    docs: String,
    deprecated: bool,
    variants: Vec<EnumVariantView>,
}

struct EnumVariantView {
    ident: String,
    wire_lit: String,
    wire_doc: String,
}

struct IntEnumView {
    name: String,
    docs: String,
    variants: Vec<IntVariantView>,
}

struct IntVariantView {
    ident: String,
    value: i64,
}

struct UnionView {
    name: String,
    docs: String,
    derives: String,
    deprecated: bool,
    variants: Vec<UnionVariantView>,
    froms: Vec<FromView>,
}

struct UnionVariantView {
    docs: String,
    ident: String,
    ty: String,
}

struct FromView {
    from_ty: String,
    ident: String,
    expr: String,
}

struct AliasView {
    name: String,
    docs: String,
    ty: String,
}

#[derive(Template)]
#[template(path = "rust/api.rs", escape = "none")]
struct ApiTemplate {
    uses_models: bool,
    tag_name: String,
    version_title: String,
    description_inner: String,
    type_docs: String,
    type_name: String,
    ops: Vec<OpView>,
}

struct OpView {
    docs: String,
    deprecated: bool,
    fn_name: String,
    builder: String,
    error_enum: String,
    args: Vec<ArgView>,
    inits: Vec<String>,
    fields: Vec<ArgView>,
    setters: Vec<SetterView>,
    ok_ty: String,
    success_enum: Option<String>,
    success_variants: Vec<ErrorVariantView>,
    method: String,
    path_expr: String,
    accept_lit: String,
    /// Bound checks of parameters, run before anything is built or sent.
    checks: Vec<String>,
    query: Vec<String>,
    body: Option<String>,
    arms: Vec<String>,
    error_variants: Vec<ErrorVariantView>,
}

struct SetterView {
    docs: String,
    ident: String,
    ty: String,
    expr: String,
}

struct ErrorVariantView {
    docs: String,
    ident: String,
    payload: String,
    pattern: String,
    display_lit: String,
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
}

/// The runtime's source files, as the `sdk-runtime` crate has them, for crates that embed it.
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../runtime/src/auth.rs")),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    ("config.rs", include_str!("../../../runtime/src/config.rs")),
    ("correct.rs", include_str!("../../../runtime/src/correct.rs")),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    ("filter.rs", include_str!("../../../runtime/src/filter.rs")),
    ("patch.rs", include_str!("../../../runtime/src/patch.rs")),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../../runtime/src/secret.rs")),
    ("validate.rs", include_str!("../../../runtime/src/validate.rs")),
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
    }
    .render()
    .unwrap_or_default()
}

/// Every Rust file of the crate.
pub fn files(krate: &Crate, features: &Features, doc_pages: Vec<DocPage>) -> Vec<RustFile> {
    let mut out = Vec::new();
    let versions = version_lines(krate);
    let version_rs: Vec<(String, Vec<RustFile>)> =
        krate.apis.values().map(|api| (api.module.clone(), version_files(api, features))).collect();
    let calls = |marker: &str| version_rs.iter().flat_map(|(_, f)| f).any(|f| f.text.contains(marker));
    let embed = krate.runtime == crate::ir::Runtime::Embedded;
    let lib = LibTemplate {
        title: rustdoc_markdown(&krate.title),
        any_version: krate.apis.keys().map(|m| format!("feature = {}", rust_str(m))).collect::<Vec<_>>().join(", "),
        tag_guard: tag_guard(features),
        versions,
        doc_pages,
        has_patch: calls("crate::patch::JsonPatch"),
        has_filter: calls("request.query(\"filters\""),
        embed,
        user_agent_product: format!("{}-rust", krate.name),
    };
    out.push(render(&lib, "rust/lib.rs", "src/lib.rs".into()));
    if embed {
        for (name, text) in RUNTIME_FILES {
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

fn version_files(api: &Api, features: &Features) -> Vec<RustFile> {
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
        let uses_models = ops.iter().any(|o| {
            o.ok_ty.contains("models::")
                || o.fields.iter().any(|f| f.ty.contains("models::"))
                || o.args.iter().any(|a| a.ty.contains("models::"))
                || o.error_variants.iter().chain(&o.success_variants).any(|v| v.payload.contains("models::"))
        });
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
    }
}

/// Types that (transitively) hold a secret or a float cannot derive everything.
struct Traits {
    secret: BTreeSet<String>,
}

impl Traits {
    fn new(types: &[TypeDef]) -> Self {
        let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut secret = BTreeSet::new();
        // Fixed point: a type holds a secret if any of its members does.
        loop {
            let mut changed = false;
            for t in types {
                if secret.contains(&t.name) {
                    continue;
                }
                let members: Vec<&TypeRef> = match &t.kind {
                    TypeKind::Struct { fields, extra } => fields.iter().map(|f| &f.ty).chain(extra.iter()).collect(),
                    TypeKind::Union { variants } => variants.iter().map(|v| &v.ty).collect(),
                    TypeKind::TaggedUnion { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                    TypeKind::Alias(t) => vec![t],
                    _ => vec![],
                };
                if members.iter().any(|m| holds(m, &secret, &by_name)) {
                    secret.insert(t.name.clone());
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Traits { secret }
    }

    fn derives(&self, name: &str, default: bool) -> String {
        let mut d = vec!["Debug", "Clone"];
        if !self.secret.contains(name) {
            d.push("PartialEq");
        }
        if default {
            d.push("Default");
        }
        d.extend(["Serialize", "Deserialize"]);
        d.join(", ")
    }
}

fn holds(t: &TypeRef, secret: &BTreeSet<String>, by_name: &BTreeMap<&str, &TypeDef>) -> bool {
    match t {
        TypeRef::Secret => true,
        TypeRef::Named(n) => secret.contains(n) || by_name.get(n.as_str()).is_none(),
        TypeRef::Array(i) | TypeRef::Map(i) => holds(i, secret, by_name),
        _ => false,
    }
}

/// The structs of `api` that have bounds to check, on a field or in a field's struct (a fixed point, so
/// recursive types end).
fn validating(api: &Api) -> BTreeSet<String> {
    fn refers(ty: &TypeRef, set: &BTreeSet<String>) -> bool {
        match ty {
            TypeRef::Named(n) => set.contains(n),
            TypeRef::Array(t) | TypeRef::Map(t) => refers(t, set),
            _ => false,
        }
    }
    let mut set = BTreeSet::new();
    loop {
        let before = set.len();
        for def in &api.types {
            if let TypeKind::Struct { fields, .. } = &def.kind
                && fields.iter().any(|f| f.bounds.any() || refers(&f.ty, &set))
            {
                set.insert(def.name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Statements checking `v` (a reference to a value of type `ty`) against `bounds` and, for structs with
/// checks of their own, calling their `validate`. `path` is a Rust expression of the value's path; `None`
/// for a request body, whose own path is empty.
fn value_checks(ty: &TypeRef, bounds: &crate::ir::Bounds, path: Option<&str>, set: &BTreeSet<String>) -> Vec<String> {
    let rule = rust_str(&bounds.describe().join(", "));
    let (path, item_path, entry_path, nested) = match path {
        Some(p) => (
            p.to_string(),
            format!("&format!(\"{{}}[{{i}}]\", {p})"),
            format!("&format!(\"{{}}.{{key}}\", {p})"),
            format!("v.validate().map_err(|e| e.within({p}))?;"),
        ),
        None => {
            ("\"body\"".to_string(), "&format!(\"[{i}]\")".to_string(), "key".to_string(), "v.validate()?;".to_string())
        }
    };
    let num = |n: &Option<serde_json::Number>, exclusive: bool| match n {
        Some(n) => format!("Some(({}_f64, {exclusive}))", n.as_f64().unwrap_or(0.0)),
        None => "None".to_string(),
    };
    let opt = |n: Option<usize>| n.map(|n| format!("Some({n})")).unwrap_or_else(|| "None".into());
    let mut out = Vec::new();
    let numeric = matches!(ty, TypeRef::Integer(_) | TypeRef::Number(_));
    if numeric && (bounds.minimum.is_some() || bounds.maximum.is_some()) {
        out.push(format!(
            "crate::validate::number({path}, {}, {}, {}, {rule})?;",
            match ty {
                TypeRef::Integer(32) | TypeRef::Number(32) => "f64::from(*v)",
                TypeRef::Integer(_) => "*v as f64", // i64: bounds are far inside f64's exact range
                _ => "*v",
            },
            num(&bounds.minimum, bounds.exclusive_minimum),
            num(&bounds.maximum, bounds.exclusive_maximum)
        ));
    }
    let length = match ty {
        TypeRef::String => Some("v.chars().count()"),
        TypeRef::Secret => Some("secrecy::ExposeSecret::expose_secret(v).chars().count()"),
        _ => None,
    };
    if let Some(length) = length
        && (bounds.min_length.is_some() || bounds.max_length.is_some())
    {
        out.push(format!(
            "crate::validate::count({path}, {length}, {}, {}, \"characters\", {rule})?;",
            opt(bounds.min_length),
            opt(bounds.max_length)
        ));
    }
    if matches!(ty, TypeRef::Array(_)) && (bounds.min_items.is_some() || bounds.max_items.is_some()) {
        out.push(format!(
            "crate::validate::count({path}, v.len(), {}, {}, \"items\", {rule})?;",
            opt(bounds.min_items),
            opt(bounds.max_items)
        ));
    }
    match ty {
        TypeRef::Named(n) if set.contains(n) => out.push(nested),
        TypeRef::Array(item) if matches!(&**item, TypeRef::Named(n) if set.contains(n)) => out.push(format!(
            "for (i, item) in v.iter().enumerate() {{ item.validate().map_err(|e| e.within({item_path}))?; }}"
        )),
        TypeRef::Map(item) if matches!(&**item, TypeRef::Named(n) if set.contains(n)) => {
            out.push(format!("for (key, item) in v {{ item.validate().map_err(|e| e.within({entry_path}))?; }}"))
        }
        _ => {}
    }
    out
}

/// `checks` on a field or parameter `ident` of `self`, bound to `v`: only when present if `optional`.
fn checks_on(ident: &str, optional: bool, checks: &[String]) -> String {
    let body = checks.join(" ");
    if optional {
        format!("if let Some(v) = &self.{ident} {{ {body} }}")
    } else {
        format!("{{ let v = &self.{ident}; {body} }}")
    }
}

fn models(api: &Api, set: &BTreeSet<String>, features: &Features) -> ModelsTemplate {
    let traits = Traits::new(&api.types);
    let mut t = ModelsTemplate {
        needs_serde: !api.types.iter().all(|d| matches!(d.kind, TypeKind::Alias(_))),
        gated: features.enabled(),
        title: api.title.clone(),
        version: api.version.clone(),
        source: api.source.path.clone(),
        structs: vec![],
        enums: vec![],
        int_enums: vec![],
        unions: vec![],
        tagged: vec![],
        aliases: vec![],
    };
    for def in &api.types {
        let mut docs = doc_comment(&type_doc(def), 0);
        if let Some(gate) = features.model(&api.module, &def.name) {
            docs = format!("{}\n{docs}", super::format::gate_line(gate));
        }
        match &def.kind {
            TypeKind::Struct { fields, extra } => {
                let mut views = Vec::new();
                for f in fields {
                    let mut base = ty(&f.ty, Ctx::Model);
                    if f.boxed {
                        base = format!("Box<{base}>");
                    }
                    let optional = f.optional();
                    let full = if optional { format!("Option<{base}>") } else { base };
                    let mut serde = Vec::new();
                    if f.ident != f.wire_name {
                        serde.push(format!("rename = {}", rust_str(&f.wire_name)));
                    }
                    if optional {
                        serde.push("default".to_string());
                    }
                    if !f.required {
                        serde.push("skip_serializing_if = \"Option::is_none\"".to_string());
                    }
                    if f.ty == TypeRef::Secret {
                        let (ser, de) = if optional {
                            ("crate::secret::serialize_option", "crate::secret::deserialize_option")
                        } else {
                            ("crate::secret::serialize", "crate::secret::deserialize")
                        };
                        serde.push(format!("serialize_with = \"{ser}\", deserialize_with = \"{de}\""));
                    }
                    let attrs =
                        if serde.is_empty() { String::new() } else { format!("    #[serde({})]", serde.join(", ")) };
                    views.push(FieldView {
                        docs: doc_comment(&field_doc(f), 4),
                        attrs,
                        deprecated: f.deprecated,
                        ident: f.ident.clone(),
                        ty: full,
                    });
                }
                if let Some(extra) = extra {
                    let mut ident = "additional_properties".to_string();
                    while fields.iter().any(|f| f.ident == ident) {
                        ident.push('_');
                    }
                    views.push(FieldView {
                        docs: doc_comment("Properties not described by the spec, kept as received.", 4),
                        attrs: "    #[serde(flatten)]".to_string(),
                        deprecated: false,
                        ident,
                        ty: format!("std::collections::BTreeMap<String, {}>", ty(extra, Ctx::Model)),
                    });
                }
                let all_optional = fields.iter().all(|f| f.optional());
                let ctor = if all_optional {
                    None
                } else {
                    let mut args = Vec::new();
                    let mut inits = Vec::new();
                    for f in fields {
                        if f.optional() {
                            inits.push(format!("{}: None", f.ident));
                            continue;
                        }
                        let (arg_ty, expr) = match (&f.ty, f.boxed) {
                            (TypeRef::String, _) => ("impl Into<String>".to_string(), format!("{}.into()", f.ident)),
                            (TypeRef::Secret, _) => (
                                "impl Into<String>".to_string(),
                                format!("crate::secret::SecretString::from({}.into())", f.ident),
                            ),
                            (other, true) => (ty(other, Ctx::Model), format!("Box::new({})", f.ident)),
                            (other, false) => (ty(other, Ctx::Model), f.ident.clone()),
                        };
                        args.push(ArgView { ident: f.ident.clone(), ty: arg_ty });
                        inits.push(if expr == f.ident { expr } else { format!("{}: {expr}", f.ident) });
                    }
                    if extra.is_some() {
                        let ident = views.last().map(|v| v.ident.clone()).unwrap_or_default();
                        inits.push(format!("{ident}: Default::default()"));
                    }
                    Some(CtorView { args, inits })
                };
                let mut checks = Vec::new();
                let mut described = Vec::new();
                if set.contains(&def.name) {
                    for f in fields {
                        let body = value_checks(&f.ty, &f.bounds, Some(&rust_str(&f.wire_name)), set);
                        if body.is_empty() {
                            continue;
                        }
                        let rules = f.bounds.describe();
                        if !rules.is_empty() {
                            described.push(format!("`{}` {}", f.wire_name, rules.join(", ")));
                        }
                        checks.push(checks_on(&f.ident, f.optional(), &body));
                    }
                }
                let mut checks_doc = String::from(
                    "Checks the bounds the spec sets on this value before it is sent (requests run this on their body)",
                );
                if described.is_empty() {
                    checks_doc.push_str(": those of the fields' own types.");
                } else {
                    checks_doc.push_str(&format!(": {}.", described.join("; ")));
                }
                t.structs.push(StructView {
                    name: def.name.clone(),
                    docs,
                    derives: traits.derives(&def.name, all_optional),
                    deprecated: def.deprecated,
                    fields: views,
                    ctor,
                    checks,
                    checks_doc: doc_comment(&checks_doc, 4),
                });
            }
            TypeKind::Enum { variants } => t.enums.push(EnumView {
                name: def.name.clone(),
                docs,
                deprecated: def.deprecated,
                variants: variants
                    .iter()
                    .map(|v| EnumVariantView {
                        ident: v.ident.clone(),
                        wire_lit: rust_str(&v.wire),
                        wire_doc: v.wire.replace('`', "'"),
                    })
                    .collect(),
            }),
            TypeKind::IntEnum { variants } => t.int_enums.push(IntEnumView {
                name: def.name.clone(),
                docs,
                variants: variants.iter().map(|(i, v)| IntVariantView { ident: i.clone(), value: *v }).collect(),
            }),
            TypeKind::Union { variants } => {
                let mut froms = Vec::new();
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                for v in variants {
                    *seen.entry(ty(&v.ty, Ctx::Model)).or_default() += 1;
                }
                for v in variants {
                    let payload = ty(&v.ty, Ctx::Model);
                    if seen[&payload] != 1 {
                        continue;
                    }
                    froms.push(FromView { from_ty: payload.clone(), ident: v.ident.clone(), expr: "value".into() });
                    if v.ty == TypeRef::String && !seen.contains_key("&str") {
                        froms.push(FromView {
                            from_ty: "&str".into(),
                            ident: v.ident.clone(),
                            expr: "value.to_string()".into(),
                        });
                    }
                }
                t.unions.push(UnionView {
                    name: def.name.clone(),
                    docs,
                    derives: traits.derives(&def.name, false),
                    deprecated: def.deprecated,
                    variants: variants
                        .iter()
                        .map(|v| UnionVariantView {
                            docs: doc_comment(
                                v.description.as_deref().unwrap_or(&format!("A `{}` value.", ty(&v.ty, Ctx::Model))),
                                4,
                            ),
                            ident: v.ident.clone(),
                            ty: ty(&v.ty, Ctx::Model),
                        })
                        .collect(),
                    froms,
                });
            }
            TypeKind::TaggedUnion { property, variants } => t.tagged.push(TaggedView {
                name: def.name.clone(),
                docs,
                derives: traits.derives(&def.name, false).replace(", Serialize, Deserialize", ""),
                property_lit: rust_str(property),
                property_doc: property.replace('`', "'"),
                variants: variants
                    .iter()
                    .map(|v| TaggedVariantView {
                        ident: v.ident.clone(),
                        ty: ty(&v.ty, Ctx::Model),
                        tag_lit: rust_str(v.tags.first().map(String::as_str).unwrap_or("")),
                        patterns: v
                            .tags
                            .iter()
                            .map(|t| format!("Some({})", rust_str(t)))
                            .collect::<Vec<_>>()
                            .join(" | "),
                        tags_doc: v
                            .tags
                            .iter()
                            .map(|t| format!("`{}`", t.replace('`', "'")))
                            .collect::<Vec<_>>()
                            .join(" or "),
                    })
                    .collect(),
            }),
            TypeKind::Alias(target) => {
                t.aliases.push(AliasView { name: def.name.clone(), docs, ty: ty(target, Ctx::Model) })
            }
        }
    }
    t
}

fn type_doc(def: &TypeDef) -> String {
    match &def.description {
        Some(d) if !d.trim().is_empty() => d.clone(),
        _ if def.origin.starts_with('/') => format!("The inline schema at `{}` in the spec.", def.origin),
        _ => format!("The `{}` schema.", def.origin),
    }
}

fn field_doc(f: &crate::ir::Field) -> String {
    let mut doc = match &f.description {
        Some(d) if !d.trim().is_empty() => d.trim().to_string(),
        _ => format!("The `{}` property.", f.wire_name),
    };
    let mut notes = Vec::new();
    notes.push(match (f.required, f.nullable) {
        (true, false) => "Required.".to_string(),
        (true, true) => "Required, may be null.".to_string(),
        (false, true) => "Optional, may be null.".to_string(),
        (false, false) => "Optional.".to_string(),
    });
    if let Some(d) = &f.default {
        notes.push(format!("Defaults to `{d}` on the server."));
    }
    let bounds = f.bounds.describe();
    if !bounds.is_empty() {
        let mut text = bounds.join(", ");
        if let Some(first) = text.get(..1) {
            text = first.to_uppercase() + &text[1..];
        }
        notes.push(format!("{text}."));
    }
    if f.read_only {
        notes.push("Read-only: sent by the server, ignored in requests.".to_string());
    }
    if f.write_only {
        notes.push("Write-only: sent in requests, not returned.".to_string());
    }
    if f.deprecated {
        notes.push("Deprecated.".to_string());
    }
    if f.ty == TypeRef::Secret {
        notes.push("A secret: redacted in `Debug`; read it with `ExposeSecret::expose_secret`.".to_string());
    }
    doc.push_str("\n\n");
    doc.push_str(&notes.join(" "));
    doc
}

/// The operation's method documentation.
fn op_doc(op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(s) = &op.summary {
        doc.push_str(s.trim());
        doc.push_str("\n\n");
    }
    if let Some(d) = &op.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}` (operation `{}`).", op.method.as_str(), op.path, op.id));
    let args: Vec<String> =
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("- `{}`: {}", p.ident, one_line(p.description.as_deref().unwrap_or("(no description)"))))
            .chain(op.body.iter().filter(|b| b.required).map(|b| {
                format!("- `{}`: {}", b.ident, one_line(b.description.as_deref().unwrap_or("the request body")))
            }))
            .collect();
    if !args.is_empty() {
        doc.push_str("\n\n# Arguments\n\n");
        doc.push_str(&args.join("\n"));
    }
    doc
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a parameter or body type is taken as `impl Into<String>`.
fn into_string(t: &TypeRef) -> bool {
    matches!(t, TypeRef::String)
}

fn op_view(api: &Api, op: &Operation, set: &BTreeSet<String>) -> OpView {
    let builder = format!("{}Builder", op.type_prefix);
    let error_enum = format!("{}Error", op.type_prefix);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut checks = Vec::new();
    for p in &op.params {
        let t = ty(&p.ty, Ctx::Api);
        let check = value_checks(&p.ty, &p.bounds, Some(&rust_str(&p.wire_name)), &BTreeSet::new());
        if !check.is_empty() {
            checks.push(checks_on(&p.ident, !p.required, &check));
        }
        if p.required {
            let (arg_ty, expr) = if into_string(&p.ty) {
                ("impl Into<String>".to_string(), format!("{}.into()", p.ident))
            } else {
                (t.clone(), p.ident.clone())
            };
            args.push(ArgView { ident: p.ident.clone(), ty: arg_ty });
            inits.push(if expr == p.ident { expr } else { format!("{}: {expr}", p.ident) });
            fields.push(ArgView { ident: p.ident.clone(), ty: t });
        } else {
            inits.push(format!("{}: None", p.ident));
            fields.push(ArgView { ident: p.ident.clone(), ty: format!("Option<{t}>") });
            let (setter_ty, expr) = if into_string(&p.ty) {
                ("impl Into<String>".to_string(), "value.into()".to_string())
            } else {
                (t, "value".to_string())
            };
            let mut d = p
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` {} parameter.", p.wire_name, p.location.as_str()));
            let bounds = p.bounds.describe();
            if !bounds.is_empty() {
                d.push_str(&format!("\n\nMust be {}; checked before sending.", bounds.join(", ")));
            }
            d.push_str(&format!("\n\nSent as the `{}` {} parameter.", p.wire_name, p.location.as_str()));
            setters.push(SetterView { docs: doc_comment(&d, 4), ident: p.ident.clone(), ty: setter_ty, expr });
        }
    }
    let mut body_stmt = None;
    if let Some(b) = &op.body {
        let t = ty(&b.ty, Ctx::Api);
        let ct = rust_str(&b.media_type);
        let patch = b.encoding == BodyEncoding::JsonPatch;
        let t = if patch { "crate::patch::JsonPatch".to_string() } else { t };
        let bind = if b.required {
            if patch {
                args.push(ArgView { ident: b.ident.clone(), ty: "impl Into<crate::patch::JsonPatch>".into() });
                inits.push(format!("{}: {}.into()", b.ident, b.ident));
            } else if b.ty == TypeRef::String || b.encoding == BodyEncoding::Text {
                args.push(ArgView { ident: b.ident.clone(), ty: "impl Into<String>".into() });
                inits.push(format!("{}: {}.into()", b.ident, b.ident));
            } else if t == "bytes::Bytes" {
                args.push(ArgView { ident: b.ident.clone(), ty: "impl Into<bytes::Bytes>".into() });
                inits.push(format!("{}: {}.into()", b.ident, b.ident));
            } else {
                args.push(ArgView { ident: b.ident.clone(), ty: t.clone() });
                inits.push(b.ident.clone());
            }
            fields.push(ArgView { ident: b.ident.clone(), ty: t.clone() });
            format!("let body = Some(&self.{});", b.ident)
        } else {
            inits.push(format!("{}: None", b.ident));
            fields.push(ArgView { ident: b.ident.clone(), ty: format!("Option<{t}>") });
            setters.push(SetterView {
                docs: doc_comment(b.description.as_deref().unwrap_or("The request body."), 4),
                ident: b.ident.clone(),
                ty: t.clone(),
                expr: "value".into(),
            });
            format!("let body = self.{}.as_ref();", b.ident)
        };
        let send = match b.encoding {
            BodyEncoding::Json => format!("if let Some(body) = body {{ request = request.json({ct}, body)?; }}"),
            BodyEncoding::JsonPatch => format!(
                "if let Some(body) = body {{ body.check().map_err(Error::Encode)?; request = request.json({ct}, body)?; }}"
            ),
            BodyEncoding::Text => format!(
                "if let Some(body) = body {{ request.body = crate::client::Body::Bytes {{ content_type: {ct}.into(), bytes: bytes::Bytes::from(body.to_string()) }}; }}"
            ),
            BodyEncoding::Form => format!("if let Some(body) = body {{ request = request.form({ct}, body)?; }}"),
            BodyEncoding::Multipart => {
                // Each field of the body's struct becomes a part: binary fields as files, the rest as text.
                let fields = match &b.ty {
                    TypeRef::Named(n) => match api.type_named(n).map(|d| &d.kind) {
                        Some(TypeKind::Struct { fields, .. }) => Some(fields.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                match fields {
                    // Not a struct (a map, any JSON): each top-level entry of its JSON form is a part.
                    None => "if let Some(body) = body { let mut form = crate::client::Multipart::new(); form.entries(body); request.body = form.finish(); }".to_string(),
                    // A struct without fields: an empty form.
                    Some(fields) if fields.is_empty() => {
                        "if body.is_some() { request.body = crate::client::Multipart::new().finish(); }".to_string()
                    }
                    Some(fields) => {
                let mut code =
                    String::from("if let Some(body) = body { let mut form = crate::client::Multipart::new();");
                for f in &fields {
                    let name = rust_str(&f.wire_name);
                    let access = format!("body.{}", f.ident);
                    // `v` is a reference to the value when optional, the field access when required.
                    let add = |v: &str, is_ref: bool| {
                        let r = if is_ref { v.to_string() } else { format!("&{v}") };
                        if f.ty == TypeRef::Bytes {
                            format!("form.file({name}, &{v}[..]);")
                        } else {
                            format!("form.text({name}, {r});")
                        }
                    };
                    if f.optional() {
                        code.push_str(&format!("if let Some(v) = &{access} {{ {} }}", add("v", true)));
                    } else {
                        code.push_str(&add(&access, false));
                    }
                }
                code.push_str(" request.body = form.finish(); }");
                code
                    }
                }
            }
            _ => format!(
                "if let Some(body) = body {{ request.body = crate::client::Body::Bytes {{ content_type: {ct}.into(), bytes: body.clone() }}; }}"
            ),
        };
        // A body with bounds is checked before anything is encoded or sent.
        let check = value_checks(&b.ty, &crate::ir::Bounds::default(), None, set);
        let check =
            if check.is_empty() { String::new() } else { format!("if let Some(v) = body {{ {} }}", check.join(" ")) };
        body_stmt = Some(format!("{bind} {check} {send}"));
    }
    // Path: base path + template with percent-encoded parameters.
    let mut fmt = api.base_path.replace('{', "{{").replace('}', "}}");
    let mut fmt_args = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(s) => fmt.push_str(&s.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(i) => {
                fmt.push_str("{}");
                let param = &op.params[*i];
                fmt_args.push(format!(
                    "crate::client::path_segment({}, &self.{})?",
                    rust_str(&param.wire_name),
                    param.ident
                ));
            }
        }
    }
    let path_expr = if fmt_args.is_empty() {
        format!("{}.to_string()", rust_str(&fmt))
    } else {
        format!("format!({}, {})", rust_str(&fmt), fmt_args.join(", "))
    };
    let mut query = Vec::new();
    // The API-key schemes any of the operation's security alternatives use.
    let mut keys: Vec<(String, String)> = Vec::new();
    for alt in &op.security {
        for (scheme, _) in &alt.schemes {
            if let Some(crate::ir::SchemeKind::ApiKey { name, location }) =
                api.security_schemes.iter().find(|s| &s.name == scheme).map(|s| &s.kind)
            {
                let k = (location.as_str().to_string(), name.clone());
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
    for (location, name) in &keys {
        query.push(format!("request.api_keys.push(({}, {}));", rust_str(location), rust_str(name)));
    }
    let basic = op.security.iter().flat_map(|alt| &alt.schemes).any(|(scheme, _)| {
        api.security_schemes
            .iter()
            .any(|s| &s.name == scheme && matches!(&s.kind, crate::ir::SchemeKind::Http(h) if h == "basic"))
    });
    if basic {
        query.push("request.basic = true;".to_string());
    }
    for p in &op.params {
        let call = match p.location {
            ParamLocation::Query => format!("request.query({}, v, {});", rust_str(&p.wire_name), p.explode),
            ParamLocation::Header => format!("request.header({}, v);", rust_str(&p.wire_name)),
            ParamLocation::Cookie => format!("request.cookie({}, v);", rust_str(&p.wire_name)),
            ParamLocation::Path => continue,
        };
        if p.required {
            query.push(format!("{{ let v = &self.{}; {call} }}", p.ident));
        } else {
            query.push(format!("if let Some(v) = &self.{} {{ {call} }}", p.ident));
        }
    }
    // Responses: success statuses decode the body (into one type, or an enum when they differ); every
    // other documented status is an error variant.
    let successes = op.successes();
    let payload = |r: &crate::ir::Response| match r.encoding {
        ResponseEncoding::Empty => "()".to_string(),
        ResponseEncoding::Json => ty(r.ty.as_ref().unwrap_or(&TypeRef::Any), Ctx::Api),
        ResponseEncoding::Text => "String".to_string(),
        ResponseEncoding::Binary => "bytes::Bytes".to_string(),
    };
    let decode = |r: &crate::ir::Response| match r.encoding {
        ResponseEncoding::Empty => "response.empty()".to_string(),
        ResponseEncoding::Json => format!("response.json({})", rust_str(&op.id)),
        ResponseEncoding::Text => "response.text()".to_string(),
        ResponseEncoding::Binary => "response.binary()".to_string(),
    };
    let mut payloads: Vec<String> = successes.iter().map(|r| payload(r)).collect();
    payloads.dedup();
    let success_enum = if payloads.len() > 1 { Some(format!("{}Response", op.type_prefix)) } else { None };
    let ok_ty = match &success_enum {
        Some(name) => name.clone(),
        None => payloads.first().cloned().unwrap_or_else(|| "()".to_string()),
    };
    let success_variants: Vec<ErrorVariantView> = match &success_enum {
        None => Vec::new(),
        Some(_) => successes
            .iter()
            .map(|r| {
                let p = payload(r);
                ErrorVariantView {
                    docs: doc_comment(&format!("`{}`: {}", r.status.label(), r.description.trim()), 4),
                    ident: r.variant.clone(),
                    payload: if p == "()" { String::new() } else { format!("({p})") },
                    pattern: String::new(),
                    display_lit: String::new(),
                }
            })
            .collect(),
    };
    let accept = op.success().and_then(|r| r.media_type.clone()).unwrap_or_else(|| {
        op.responses.iter().find_map(|r| r.media_type.clone()).unwrap_or_else(|| "application/json".to_string())
    });
    let pattern_of = |s: &Status| match s {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{}..={}", r * 100, r * 100 + 99),
        Status::Default => "_".to_string(),
    };
    let mut arms = Vec::new();
    let mut error_variants = Vec::new();
    let mut ordered: Vec<&crate::ir::Response> = op.responses.iter().collect();
    // Exact codes, then ranges, then default.
    ordered.sort_by_key(|r| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let mut has_default = false;
    for r in ordered {
        let pat = pattern_of(&r.status);
        has_default |= r.status == Status::Default;
        if successes.contains(&r) {
            let arm = match &success_enum {
                None => format!("{pat} => {},", decode(r)),
                Some(name) if payload(r) == "()" => {
                    format!("{pat} => {}.map(|r| r.map(|()| {name}::{})),", decode(r), r.variant)
                }
                Some(name) => format!("{pat} => {}.map(|r| r.map({name}::{})),", decode(r), r.variant),
            };
            arms.push(arm);
            continue;
        }
        let label = format!("{} {}", r.status.label(), one_line(&r.description));
        let (payload, pattern, arm) = match (r.encoding, &r.ty) {
            (ResponseEncoding::Json, Some(t)) => (
                format!("({})", ty(t, Ctx::Api)),
                "(_)".to_string(),
                format!("{pat} => Err(response.error_json({error_enum}::{})),", r.variant),
            ),
            (ResponseEncoding::Text, _) => (
                "(String)".to_string(),
                "(_)".to_string(),
                format!(
                    "{pat} => Err({{ let text = String::from_utf8_lossy(response.body.bytes()).into_owned(); response.error_with({error_enum}::{}(text)) }}),",
                    r.variant
                ),
            ),
            (ResponseEncoding::Binary, _) => (
                "(bytes::Bytes)".to_string(),
                "(_)".to_string(),
                format!(
                    "{pat} => Err({{ let bytes = bytes::Bytes::copy_from_slice(response.body.bytes()); response.error_with({error_enum}::{}(bytes)) }}),",
                    r.variant
                ),
            ),
            _ => (
                String::new(),
                String::new(),
                format!("{pat} => Err(response.error_with({error_enum}::{})),", r.variant),
            ),
        };
        arms.push(arm);
        error_variants.push(ErrorVariantView {
            docs: doc_comment(&format!("`{}`: {}", r.status.label(), r.description.trim()), 4),
            ident: r.variant.clone(),
            payload,
            pattern,
            display_lit: rust_str(&label),
        });
    }
    if !has_default {
        arms.push("_ => Err(response.unexpected()),".to_string());
    }
    OpView {
        docs: doc_comment(&op_doc(op), 4),
        deprecated: op.deprecated,
        fn_name: op.fn_name.clone(),
        builder,
        error_enum,
        args,
        inits,
        fields,
        setters,
        checks,
        ok_ty,
        method: op.method.as_str().to_string(),
        path_expr,
        accept_lit: rust_str(&accept),
        success_enum,
        success_variants,
        query,
        body: body_stmt,
        arms,
        error_variants,
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
