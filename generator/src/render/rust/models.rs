//! The models file of a version: structs, enums, unions and aliases with their serde attributes, derives
//! and `validate` methods, from the IR's types.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;

use super::*;

#[derive(Template)]
#[template(path = "rust/models.rs", escape = "none")]
pub(super) struct ModelsTemplate {
    pub(super) needs_serde: bool,
    /// Models are gated behind tag features (the serde import may go unused).
    pub(super) gated: bool,
    pub(super) title: String,
    pub(super) version: String,
    pub(super) source: String,
    pub(super) structs: Vec<StructView>,
    pub(super) enums: Vec<EnumView>,
    pub(super) int_enums: Vec<IntEnumView>,
    pub(super) unions: Vec<UnionView>,
    pub(super) tagged: Vec<TaggedView>,
    pub(super) aliases: Vec<AliasView>,
}

pub(super) struct TaggedView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) derives: String,
    pub(super) property_lit: String,
    pub(super) property_doc: String,
    pub(super) variants: Vec<TaggedVariantView>,
}

pub(super) struct TaggedVariantView {
    pub(super) ident: String,
    pub(super) ty: String,
    pub(super) tag_lit: String,
    pub(super) patterns: String,
    pub(super) tags_doc: String,
}

pub(super) struct StructView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) derives: String,
    pub(super) deprecated: bool,
    pub(super) fields: Vec<FieldView>,
    pub(super) ctor: Option<CtorView>,
    /// What `validate()` checks, field by field, when the struct has bounds to check (directly or in a
    /// field).
    pub(super) checks: Vec<FieldChecks>,
    /// The bounds `validate()` checks, in words, for its docs.
    pub(super) checks_doc: String,
    /// Decoded through the runtime's `record` module instead of serde_derive's `Deserialize`.
    pub(super) record: Option<RecordView>,
}

/// A struct decoded as a `crate::record::Record`: its name and, per field, the member's name and how
/// the field is made from its slot.
pub(super) struct RecordView {
    pub(super) name_lit: String,
    pub(super) fields: Vec<RecordField>,
}

pub(super) struct RecordField {
    pub(super) ident: String,
    pub(super) wire_lit: String,
    /// `crate::record::required(f0, "name")?` or `crate::record::optional(f0)`.
    pub(super) init: String,
}

pub(super) struct FieldView {
    pub(super) docs: String,
    pub(super) attrs: String,
    pub(super) deprecated: bool,
    pub(super) ident: String,
    pub(super) ty: String,
}

pub(super) struct CtorView {
    pub(super) args: Vec<ArgView>,
    pub(super) inits: Vec<String>,
}

pub(super) struct ArgView {
    pub(super) ident: String,
    pub(super) ty: String,
}

pub(super) struct EnumView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) deprecated: bool,
    pub(super) variants: Vec<EnumVariantView>,
}

pub(super) struct EnumVariantView {
    pub(super) ident: String,
    pub(super) wire_lit: String,
    pub(super) wire_doc: String,
}

pub(super) struct IntEnumView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) variants: Vec<IntVariantView>,
}

pub(super) struct IntVariantView {
    pub(super) ident: String,
    pub(super) value: i64,
}

pub(super) struct UnionView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) derives: String,
    pub(super) deprecated: bool,
    pub(super) variants: Vec<UnionVariantView>,
    pub(super) froms: Vec<FromView>,
    /// With two or more struct variants: decoded by keeping the struct variant that keeps the most of
    /// the body (`unions::kept`) instead of serde's fixed order.
    pub(super) chosen: bool,
}

pub(super) struct UnionVariantView {
    pub(super) docs: String,
    pub(super) ident: String,
    pub(super) ty: String,
    /// Whether the variant is a struct (scored by `unions::kept` when the union is `chosen`).
    pub(super) is_struct: bool,
}

pub(super) struct FromView {
    pub(super) from_ty: String,
    pub(super) ident: String,
    pub(super) expr: String,
}

pub(super) struct AliasView {
    pub(super) name: String,
    pub(super) docs: String,
    pub(super) ty: String,
}

/// Types that (transitively) hold a secret or a float cannot derive everything.
pub(super) struct Traits {
    pub(super) secret: BTreeSet<String>,
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
                if t.kind.members().iter().any(|(_, m)| holds(m, &secret, &by_name)) {
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

pub(super) fn holds(t: &TypeRef, secret: &BTreeSet<String>, by_name: &BTreeMap<&str, &TypeDef>) -> bool {
    match t {
        TypeRef::Secret => true,
        TypeRef::Named(n) => secret.contains(n) || by_name.get(n.as_str()).is_none(),
        TypeRef::Array(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => holds(i, secret, by_name),
        _ => false,
    }
}

/// The structs of `api` that have bounds to check, on a field or in a field's struct (a fixed point, so
/// recursive types end).
pub(super) fn validating(api: &Api) -> BTreeSet<String> {
    fn refers(ty: &TypeRef, set: &BTreeSet<String>) -> bool {
        match ty {
            TypeRef::Named(n) => set.contains(n),
            // Bounds inside a nullable list item or map value are not checked (nothing validates
            // through the `Option` there).
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

/// One bound check on a value bound to `v`, as `templates/rust/checks.rs` writes it. `path` and
/// `within` are Rust expressions of the value's path (`None` for a request body, whose own path is
/// empty); the numbers and rules are Rust literals.
pub(super) enum Check {
    /// A numeric bound: `crate::validate::number`.
    Number { path: String, value: &'static str, min: String, max: String, rule: String },
    /// A length or item count: `crate::validate::count`.
    Count { path: String, len: &'static str, min: String, max: String, unit: &'static str, rule: String },
    /// The value's own `validate()`.
    Nested { within: Option<String> },
    /// Each item's `validate()`, with its index in the path.
    Items { within: Option<String> },
    /// Each map value's `validate()`, with its key in the path.
    Entries { within: Option<String> },
}

/// The checks on one field or parameter `ident` of `self`: only when present if `optional`.
pub(super) struct FieldChecks {
    pub(super) ident: String,
    pub(super) optional: bool,
    pub(super) checks: Vec<Check>,
}

/// The checks of `v` (a value of type `ty`) against `bounds` and, for structs with checks of their own
/// (`set`), their `validate`. `path` is a Rust expression of the value's path; `None` for a request
/// body.
pub(super) fn value_checks(
    ty: &TypeRef,
    bounds: &crate::ir::Bounds,
    path: Option<&str>,
    set: &BTreeSet<String>,
) -> Vec<Check> {
    let rule = rust_str(&bounds.describe().join(", "));
    let within = path.map(str::to_string);
    let path = path.unwrap_or("\"body\"").to_string();
    let num = |n: &Option<serde_json::Number>, exclusive: bool| match n {
        Some(n) => format!("Some(({}_f64, {exclusive}))", n.as_f64().unwrap_or(0.0)),
        None => "None".to_string(),
    };
    let opt = |n: Option<usize>| n.map(|n| format!("Some({n})")).unwrap_or_else(|| "None".into());
    let mut out = Vec::new();
    let numeric = matches!(ty, TypeRef::Integer(_) | TypeRef::Number(_));
    if numeric && (bounds.minimum.is_some() || bounds.maximum.is_some()) {
        out.push(Check::Number {
            path: path.clone(),
            value: match ty {
                TypeRef::Integer(32) | TypeRef::Number(32) => "f64::from(*v)",
                TypeRef::Integer(_) => "*v as f64", // i64: bounds are far inside f64's exact range
                _ => "*v",
            },
            min: num(&bounds.minimum, bounds.exclusive_minimum),
            max: num(&bounds.maximum, bounds.exclusive_maximum),
            rule: rule.clone(),
        });
    }
    let length = match ty {
        TypeRef::String => Some("v.chars().count()"),
        TypeRef::Secret => Some("secrecy::ExposeSecret::expose_secret(v).chars().count()"),
        _ => None,
    };
    if let Some(len) = length
        && (bounds.min_length.is_some() || bounds.max_length.is_some())
    {
        out.push(Check::Count {
            path: path.clone(),
            len,
            min: opt(bounds.min_length),
            max: opt(bounds.max_length),
            unit: "characters",
            rule: rule.clone(),
        });
    }
    if matches!(ty, TypeRef::Array(_)) && (bounds.min_items.is_some() || bounds.max_items.is_some()) {
        out.push(Check::Count {
            path,
            len: "v.len()",
            min: opt(bounds.min_items),
            max: opt(bounds.max_items),
            unit: "items",
            rule,
        });
    }
    let checked = |t: &TypeRef| matches!(t, TypeRef::Named(n) if set.contains(n));
    match ty {
        t if checked(t) => out.push(Check::Nested { within }),
        TypeRef::Array(item) if checked(item) => out.push(Check::Items { within }),
        TypeRef::Map(item) if checked(item) => out.push(Check::Entries { within }),
        _ => {}
    }
    out
}

pub(super) fn models(api: &Api, set: &BTreeSet<String>, features: &Features) -> ModelsTemplate {
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
            docs = format!("{}\n{docs}", crate::render::format::gate_line(gate));
        }
        match &def.kind {
            TypeKind::Struct { fields, extra } => {
                // A struct is a record unless serde must read a member through a function of its own (a
                // secret, bytes) or gather the unknown ones (`flatten`): then serde_derive decodes it.
                let record = extra.is_none()
                    && fields.iter().all(|f| f.ty != TypeRef::Secret && (f.ty != TypeRef::Bytes || f.boxed));
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
                    if optional && !record {
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
                    // JSON has no bytes: a `format: binary` member is a string on the wire.
                    if f.ty == TypeRef::Bytes && !f.boxed {
                        let (ser, de) = if optional {
                            ("crate::binary::serialize_option", "crate::binary::deserialize_option")
                        } else {
                            ("crate::binary::serialize", "crate::binary::deserialize")
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
                        checks.push(FieldChecks { ident: f.ident.clone(), optional: f.optional(), checks: body });
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
                let derives = traits.derives(&def.name, all_optional);
                let record = record.then(|| RecordView {
                    name_lit: rust_str(&def.name),
                    fields: fields
                        .iter()
                        .enumerate()
                        .map(|(i, f)| RecordField {
                            ident: f.ident.clone(),
                            wire_lit: rust_str(&f.wire_name),
                            init: if f.optional() {
                                format!("crate::record::optional(f{i})")
                            } else {
                                format!("crate::record::required(f{i}, {})?", rust_str(&f.wire_name))
                            },
                        })
                        .collect(),
                });
                t.structs.push(StructView {
                    name: def.name.clone(),
                    docs,
                    derives: if record.is_some() { derives.replace(", Deserialize", "") } else { derives },
                    record,
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
                // Struct variants are scored by what they keep of a body (`unions::kept`).
                let is_struct = |t: &TypeRef| match t {
                    TypeRef::Named(n) => matches!(api.type_named(n).map(|d| &d.kind), Some(TypeKind::Struct { .. })),
                    _ => false,
                };
                let chosen = variants.iter().filter(|v| is_struct(&v.ty)).count() >= 2;
                let derives = traits.derives(&def.name, false);
                t.unions.push(UnionView {
                    name: def.name.clone(),
                    docs,
                    derives: if chosen { derives.replace(", Deserialize", "") } else { derives },
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
                            is_struct: is_struct(&v.ty),
                        })
                        .collect(),
                    froms,
                    chosen,
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

pub(super) fn type_doc(def: &TypeDef) -> String {
    match &def.description {
        Some(d) if !d.trim().is_empty() => d.clone(),
        _ if def.origin.starts_with('/') => format!("The inline schema at `{}` in the spec.", def.origin),
        _ => format!("The `{}` schema.", def.origin),
    }
}

pub(super) fn field_doc(f: &crate::ir::Field) -> String {
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
