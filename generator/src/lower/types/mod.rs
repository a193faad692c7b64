//! Schemas -> [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Every schema is first flattened into a [`View`] (openapiv3 spreads a schema over several enum variants,
//! and puts schemas with unusual key combinations, like `type: string` with `items`, into `Any`), then
//! lowered by what it is: a `$ref`, a composition (`allOf`, `oneOf`, `anyOf`), an enum, an object, an
//! array, a primitive, or anything. Inline schemas that need a Rust type (objects, enums, unions) are named
//! from their parent, deterministically. Upstream defects that can be tolerated become warnings.
//!
//! Split by concern: [`view`] flattens a schema, [`refs`] resolves references and names components,
//! [`schema`] lowers one schema by what it is, [`compose`] merges `allOf` and orders union variants,
//! [`values`] checks defaults and examples, and [`cycles`] runs the graph passes after lowering.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::names::{self, Scope};
use crate::diagnostics::WarningKind;
use crate::error::{SpecError, escape_pointer};
use crate::ir::{Bounds, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant, Warning};
use crate::parse::Document;

mod compose;
mod cycles;
mod refs;
mod schema;
pub(crate) use schema::or_null;
mod values;
mod view;

use compose::*;
use refs::*;
use values::*;
use view::*;

/// Field names treated as secrets even without `format: password`.
const SECRET_FIELDS: &[&str] =
    &["secret", "password", "client_secret", "access_token", "refresh_token", "id_token", "private_key"];

/// `format` names that specs put in `type` by mistake; such a schema is a string of that format.
const FORMAT_NAMES: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "uuid",
    "uri",
    "url",
    "uri-reference",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "byte",
    "binary",
    "password",
    "datetime",
];

/// How the type an inline or component schema defines is named.
pub enum Naming {
    /// A component's name, claimed up front.
    Fixed(String),
    /// An inline schema: a name is claimed from this hint only if a type is defined.
    Hint(String),
}

impl Naming {
    fn hint(&self) -> String {
        match self {
            Naming::Fixed(s) | Naming::Hint(s) => s.clone(),
        }
    }
}

/// What a lowered schema says besides its type.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `nullable: true`, or an enum with `null`, or a `$ref` to such a schema.
    pub nullable: bool,
    /// Description.
    pub description: Option<String>,
    /// A default that fits the type.
    pub default: Option<Value>,
    /// Example.
    pub example: Option<Value>,
    /// Enum values (for docs).
    pub enum_values: Vec<Value>,
    /// Bounds.
    pub bounds: Bounds,
    /// readOnly.
    pub read_only: bool,
    /// writeOnly.
    pub write_only: bool,
    /// deprecated.
    pub deprecated: bool,
}

/// Lowers schemas of one document, collecting named types.
pub struct TypeLowerer<'a> {
    doc: &'a Document,
    schemas: IndexMap<String, ReferenceOr<Schema>>,
    /// Component key -> Rust type name.
    component_names: HashMap<String, String>,
    /// Component keys being lowered (to stop on `$ref` cycles).
    in_progress: BTreeSet<String>,
    /// Component keys already lowered, with their type.
    lowered: HashMap<String, TypeRef>,
    /// Inline schemas already lowered, by JSON pointer.
    inline_done: HashMap<String, (TypeRef, Meta)>,
    /// References into components being lowered (to stop on cycles).
    deep_in_progress: BTreeSet<String>,
    /// Discriminated parents (an object with a `discriminator` that others extend with `allOf`): parent
    /// key -> its children's keys, in sorted order.
    children: BTreeMap<String, Vec<String>>,
    /// Parent key -> the name of the struct holding the parent's own fields.
    disc_base: HashMap<String, String>,
    /// Named types, by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    scope: Scope,
    /// Tolerated oddities.
    pub warnings: Vec<Warning>,
}

impl<'a> TypeLowerer<'a> {
    /// Names every component schema up front, so references resolve in any order.
    pub fn new(doc: &'a Document) -> Self {
        let schemas = doc.openapi.components.as_ref().map(|c| c.schemas.clone()).unwrap_or_default();
        let mut scope = Scope::default();
        let mut component_names = HashMap::new();
        // Titles name a component when they make a good type name; the key otherwise. Keys are claimed in
        // sorted order so the result does not depend on how the spec orders its components.
        let mut keys: Vec<&String> = schemas.keys().collect();
        keys.sort();
        for key in keys {
            let title = match &schemas[key] {
                ReferenceOr::Item(s) => s.schema_data.title.clone().filter(|t| names::is_name_like(t)),
                ReferenceOr::Reference { .. } => None,
            };
            let from_key = names::type_name(key);
            let candidate = match title {
                Some(t) if !t.trim().is_empty() && !names::type_name(&t).starts_with("Type") => names::type_name(&t),
                _ => from_key.clone(),
            };
            let name = if scope.contains(&candidate) { scope.claim(&from_key) } else { scope.claim(&candidate) };
            component_names.insert(key.clone(), name);
        }
        let children = discriminated_children(&schemas);
        TypeLowerer {
            doc,
            schemas,
            component_names,
            in_progress: BTreeSet::new(),
            lowered: HashMap::new(),
            inline_done: HashMap::new(),
            deep_in_progress: BTreeSet::new(),
            children,
            disc_base: HashMap::new(),
            types: BTreeMap::new(),
            scope,
            warnings: Vec::new(),
        }
    }

    /// Records a tolerated oddity of kind `kind` at a pointer into the bundled document.
    pub fn warn(&mut self, kind: WarningKind, pointer: &str, message: impl Into<String>) {
        let place = self.doc.place(pointer);
        self.warnings.push(Warning { kind, place, message: message.into() });
    }

    /// Lowers every component schema (so unused ones are generated too). A component with an error
    /// adds it to `errors` and stands for any JSON from then on, so the run goes on and finds the rest.
    pub fn lower_components(&mut self, errors: &mut Vec<SpecError>) {
        let keys: Vec<String> = self.schemas.keys().cloned().collect();
        for key in keys {
            if let Err(e) = self.component(&key, &format!("/components/schemas/{}", escape_pointer(&key))) {
                errors.push(e);
                self.in_progress.clear();
                self.lowered.insert(key, TypeRef::Any);
            }
        }
    }

    /// Whether a type is an array (directly or through aliases).
    pub fn is_array(&self, t: &TypeRef) -> bool {
        matches!(self.resolved(t), TypeRef::Array(_))
    }

    /// Whether a type is a struct with at least one field (directly or through aliases).
    pub fn has_fields(&self, t: &TypeRef) -> bool {
        matches!(self.resolved(t), TypeRef::Named(n)
            if matches!(self.types.get(&n).map(|d| &d.kind), Some(TypeKind::Struct { fields, .. }) if !fields.is_empty()))
    }

    /// Gives a named type a description if the spec gave it none (e.g. an inline response body).
    pub fn describe_if_missing(&mut self, t: &TypeRef, text: impl FnOnce() -> String) {
        if let TypeRef::Named(n) = t
            && let Some(def) = self.types.get_mut(n)
            && def.description.as_deref().is_none_or(|d| d.trim().is_empty())
        {
            def.description = Some(text());
        }
    }

    fn define(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// The name of the type being defined: a component's fixed name, or a fresh one claimed from the hint.
    fn take_name(&mut self, naming: &Naming) -> String {
        match naming {
            Naming::Fixed(n) => n.clone(),
            Naming::Hint(h) => self.scope.claim(&names::type_name(h)),
        }
    }

    /// Lowers a schema or reference used somewhere; `hint` names an inline type if one is needed.
    pub fn lower(&mut self, r: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> Result<(TypeRef, Meta), SpecError> {
        match r {
            ReferenceOr::Reference { reference }
                if reference.starts_with('#') && self.deep_ref(reference, pointer).is_some() =>
            {
                // A reference into a component (`#/components/schemas/Tag/allOf/0`, a response's schema):
                // the schema there, lowered once where it is.
                let (schema, target) = self.deep_ref(reference, pointer).expect("checked")?;
                if !self.deep_in_progress.insert(target.clone()) {
                    self.warn(
                        WarningKind::DeepRefCycle,
                        pointer,
                        format!("$ref `{reference}` leads back to itself; the value is kept as any JSON"),
                    );
                    return Ok((TypeRef::Any, Meta::default()));
                }
                let hint = deep_hint(&target);
                let result = self.lower(&schema, &hint, &target);
                self.deep_in_progress.remove(&target);
                result
            }
            ReferenceOr::Reference { reference } => {
                let key = self.ref_key(reference, pointer)?;
                let tpointer = format!("/components/schemas/{}", escape_pointer(&key));
                let t = self.component(&key, &tpointer)?;
                let (target, _) = self.resolve(r, pointer)?;
                let mut meta = Meta { nullable: is_nullable(&target), ..Meta::default() };
                meta.description = target.schema_data.description.clone();
                meta.enum_values = view(&target).enumeration.into_iter().filter(|v| !v.is_null()).collect();
                Ok((t, meta))
            }
            ReferenceOr::Item(s) => {
                // The same inline schema (a shared component response, say) is one type.
                if let Some(done) = self.inline_done.get(pointer) {
                    return Ok(done.clone());
                }
                let res = self.schema_named(s, &Naming::Hint(hint.to_string()), pointer, pointer)?;
                self.inline_done.insert(pointer.to_string(), res.clone());
                Ok(res)
            }
        }
    }

    /// Like [`TypeLowerer::lower`] for the boxed references that properties and items use.
    pub fn lower_boxed(
        &mut self,
        r: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<(TypeRef, Meta), SpecError> {
        let unboxed = match r {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
            ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
        };
        self.lower(&unboxed, hint, pointer)
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeKind, TypeRef};
    use crate::{Options, SpecInput, lower_all};

    fn lower(yaml: &str) -> crate::ir::Api {
        let input =
            SpecInput { display: "t.yaml".into(), bytes: yaml.as_bytes().to_vec(), module: "t".into(), dir: None };
        lower_all(&[input], &Options::default()).unwrap().apis.remove("t").unwrap()
    }

    #[test]
    fn bounds_are_lowered_and_impossible_ones_dropped_with_a_warning() {
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    M:\n      type: object\n      properties:\n        ok: {type: integer, minimum: 1, maximum: 9, exclusiveMaximum: true}\n        name: {type: string, minLength: 2, maxLength: 4}\n        list: {type: array, minItems: 1, maxItems: 2, items: {type: string}}\n        never: {type: number, minimum: 5, maximum: 1}\n        empty: {type: number, minimum: 3, maximum: 3, exclusiveMinimum: true}\n        short: {type: string, minLength: 5, maxLength: 4}\n",
        );
        let TypeKind::Struct { fields, .. } = &api.types[0].kind else { panic!("{:?}", api.types[0]) };
        let field = |n: &str| fields.iter().find(|f| f.wire_name == n).unwrap();
        let ok = &field("ok").bounds;
        assert_eq!((ok.minimum.clone(), ok.maximum.clone()), (Some(1.into()), Some(9.into())));
        assert!(ok.exclusive_maximum && !ok.exclusive_minimum);
        assert_eq!(ok.describe(), ["at least 1", "less than 9"]);
        assert_eq!((field("name").bounds.min_length, field("name").bounds.max_length), (Some(2), Some(4)));
        assert_eq!((field("list").bounds.min_items, field("list").bounds.max_items), (Some(1), Some(2)));
        assert_eq!(field("list").ty, TypeRef::Array(Box::new(TypeRef::String)));
        for n in ["never", "empty", "short"] {
            assert!(!field(n).bounds.any(), "{n}: {:?}", field(n).bounds);
        }
        let warned = |s: &str| api.warnings.iter().any(|w| w.message.contains(s));
        assert!(warned("minimum 5 and maximum 1 leave no value"), "{:?}", api.warnings);
        assert!(warned("minimum 3 and maximum 3 leave no value"), "{:?}", api.warnings);
        assert!(warned("minLength/maxLength 5/4 leave no value"), "{:?}", api.warnings);
    }

    #[test]
    fn all_of_enums_are_the_values_every_member_allows() {
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Kind: {type: string, enum: [host, subnet, domain]}\n    Peer:\n      allOf:\n        - $ref: '#/components/schemas/Kind'\n        - {type: string, enum: [peer], example: peer}\n    Wide:\n      description: Two of Kind's values.\n      allOf:\n        - $ref: '#/components/schemas/Kind'\n        - {type: string, enum: [subnet, host, other]}\n    Same:\n      allOf:\n        - $ref: '#/components/schemas/Kind'\n        - {type: string, enum: [domain, subnet, host, more]}\n    Plain:\n      allOf:\n        - $ref: '#/components/schemas/Kind'\n        - {type: string, minLength: 1}\n    Mixed:\n      allOf:\n        - $ref: '#/components/schemas/Kind'\n        - {type: integer, enum: [1]}\n",
        );
        let def = |n: &str| api.types.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("{n}: {:?}", api.types));
        let values = |n: &str| match &def(n).kind {
            TypeKind::Enum { variants } => variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>(),
            other => panic!("{n}: {other:?}"),
        };
        // Shared values: an enum of those, in the first enum's order, with the allOf's description.
        assert_eq!(values("Wide"), ["host", "subnet"]);
        assert_eq!(def("Wide").description.as_deref(), Some("Two of Kind's values."));
        // All of one `$ref`'s values (or only it has an enum): that type.
        for n in ["Same", "Plain"] {
            assert_eq!(def(n).kind, TypeKind::Alias(TypeRef::Named("Kind".into())), "{n}");
        }
        // No value in common: a spec defect, warned where it is, and any JSON.
        assert_eq!(def("Peer").kind, TypeKind::Alias(TypeRef::Any));
        let warning = api.warnings.iter().find(|w| w.kind.slug() == "all-of-no-value").expect("warned");
        assert!(warning.message.contains(r#"["host", "subnet", "domain"] and ["peer"]"#), "{}", warning.message);
        assert!(warning.place.to_string().contains("/components/schemas/Peer"), "{}", warning.place);
        // Members of two types are not this rule's (the struct merge warns about them).
        assert!(
            api.warnings
                .iter()
                .any(|w| w.kind.slug() == "all-of-not-mergeable" && w.place.to_string().contains("Mixed"))
        );
    }

    #[test]
    fn enum_values_of_another_type_are_warned() {
        // SailPoint v2024's `locale`: YAML 1.1 read Norwegian's `no` as `false`.
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Locale: {type: string, enum: [de, false, fi]}\n    Level: {type: integer, enum: [1, two]}\n    Fine: {type: number, enum: [1, 2.5]}\n",
        );
        let def = |n: &str| api.types.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("{n}: {:?}", api.types));
        let values = |n: &str| match &def(n).kind {
            TypeKind::Enum { variants } => variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>(),
            other => panic!("{n}: {other:?}"),
        };
        assert_eq!(values("Locale"), ["de", "false", "fi"], "kept as text");
        let warned: Vec<(String, &str)> = api
            .warnings
            .iter()
            .filter(|w| w.kind.slug() == "enum-value-of-another-type")
            .map(|w| (w.place.to_string(), w.message.as_str()))
            .collect();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].0.contains("/components/schemas/Locale/enum") && warned[0].1.contains("lists false"));
        assert!(warned[1].0.contains("Level") && warned[1].1.contains(r#""two""#) && warned[1].1.ends_with("left out"));
    }

    #[test]
    fn an_all_of_member_closed_against_the_others_properties_is_warned_and_merged() {
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Firewall:\n      type: object\n      additionalProperties: false\n      properties:\n        label: {type: string}\n    Create:\n      allOf:\n        - $ref: '#/components/schemas/Firewall'\n      properties:\n        devices: {type: array, items: {type: integer}}\n    Closed:\n      additionalProperties: false\n      allOf:\n        - {type: object, properties: {a: {type: string}}}\n      properties:\n        b: {type: string}\n    Fine:\n      allOf:\n        - $ref: '#/components/schemas/Firewall'\n        - {required: [label]}\n",
        );
        let def = |n: &str| api.types.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("{n}: {:?}", api.types));
        let TypeKind::Struct { fields, .. } = &def("Create").kind else { panic!("{:?}", def("Create")) };
        let wire: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(wire, ["label", "devices"], "every member's properties are kept");
        let warned: Vec<(String, &str)> = api
            .warnings
            .iter()
            .filter(|w| w.kind.slug() == "all-of-closed-member")
            .map(|w| (w.place.to_string(), w.message.as_str()))
            .collect();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].0.contains("/components/schemas/Create/allOf/0") && warned[0].1.contains("`devices`"));
        // The schema beside its allOf closed, while a member declares `a`.
        assert!(warned[1].0.ends_with("/components/schemas/Closed") && warned[1].1.contains("`a`"), "{warned:?}");
    }

    #[test]
    fn properties_beside_one_of_are_in_every_alternative() {
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Attribute:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n      oneOf:\n        - title: list attribute\n          required: [options]\n          properties:\n            data_type: {type: string, enum: [options]}\n            options: {type: array, items: {type: string}}\n        - title: other type\n          properties:\n            data_type: {type: string, enum: [string, date]}\n",
        );
        let def = |n: &str| api.types.iter().find(|t| t.name == n).unwrap_or_else(|| panic!("{n}: {:?}", api.types));
        let TypeKind::Union { variants } = &def("Attribute").kind else { panic!("{:?}", def("Attribute")) };
        assert_eq!(variants.len(), 2);
        for v in variants {
            let TypeRef::Named(n) = &v.ty else { panic!("{v:?}") };
            let TypeKind::Struct { fields, .. } = &def(n).kind else { panic!("{:?}", def(n)) };
            let wire: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire_name.as_str(), f.required)).collect();
            assert!(wire.contains(&("name", true)), "{n}: the property beside oneOf is kept, required: {wire:?}");
            assert!(wire.iter().any(|(w, _)| *w == "data_type"), "{n}: {wire:?}");
        }
        let list = variants.iter().find(|v| v.ident == "ListAttribute").expect("named by its title");
        let TypeRef::Named(n) = &list.ty else { panic!() };
        let TypeKind::Struct { fields, .. } = &def(n).kind else { panic!() };
        assert!(fields.iter().any(|f| f.wire_name == "options" && f.required));
    }

    #[test]
    fn an_all_of_member_that_marks_a_property_read_only_is_kept() {
        // Linode's `PUT /volumes/{id}` body: the volume, with `linode_id` and `size` read-only.
        let api = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Volume:\n      type: object\n      properties:\n        label: {type: string}\n        size: {type: integer}\n    VolumeUpdate:\n      allOf:\n        - $ref: '#/components/schemas/Volume'\n        - type: object\n          properties:\n            size: {readOnly: true}\n",
        );
        let def = api.types.iter().find(|t| t.name == "VolumeUpdate").unwrap();
        let TypeKind::Struct { fields, .. } = &def.kind else { panic!("{def:?}") };
        let field = |n: &str| fields.iter().find(|f| f.wire_name == n).unwrap();
        assert!(field("size").read_only && field("size").ty == TypeRef::Integer(64), "{:?}", field("size"));
        assert!(!field("label").read_only);
    }
}
