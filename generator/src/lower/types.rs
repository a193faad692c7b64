//! Schemas -> [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Every schema is first flattened into a [`View`] (openapiv3 spreads a schema over several enum variants,
//! and puts schemas with unusual key combinations, like `type: string` with `items`, into `Any`), then
//! lowered by what it is: a `$ref`, a composition (`allOf`, `oneOf`, `anyOf`), an enum, an object, an
//! array, a primitive, or anything. Inline schemas that need a Rust type (objects, enums, unions) are named
//! from their parent, deterministically. Upstream defects that can be tolerated become warnings.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::names::{self, Scope};
use crate::diagnostics::WarningKind;
use crate::error::{SpecError, escape_pointer};
use crate::ir::{Bounds, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UnionVariant, Warning};
use crate::parse::Document;

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

/// A schema flattened into one shape.
#[derive(Default)]
struct View<'a> {
    typ: Option<String>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Vec<(&'a String, &'a ReferenceOr<Box<Schema>>)>,
    required: Vec<String>,
    additional: Option<&'a AdditionalProperties>,
    items: Option<&'a ReferenceOr<Box<Schema>>>,
    one_of: &'a [ReferenceOr<Schema>],
    all_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    not: bool,
    bounds: Bounds,
}

fn num_f64(v: f64) -> Option<serde_json::Number> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(serde_json::Number::from(v as i64))
    } else {
        serde_json::Number::from_f64(v)
    }
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string".into());
            v.format = format_name(&s.format);
            v.enumeration = s.enumeration.iter().map(|e| e.clone().map(Value::String).unwrap_or(Value::Null)).collect();
            v.bounds.min_length = s.min_length;
            v.bounds.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number".into());
            v.format = format_name(&n.format);
            v.enumeration =
                n.enumeration.iter().map(|e| e.and_then(num_f64).map(Value::Number).unwrap_or(Value::Null)).collect();
            v.bounds.minimum = n.minimum.and_then(num_f64);
            v.bounds.maximum = n.maximum.and_then(num_f64);
            v.bounds.exclusive_minimum = n.exclusive_minimum && n.minimum.is_some();
            v.bounds.exclusive_maximum = n.exclusive_maximum && n.maximum.is_some();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer".into());
            v.format = format_name(&i.format);
            v.enumeration = i.enumeration.iter().map(|e| e.map(Value::from).unwrap_or(Value::Null)).collect();
            v.bounds.minimum = i.minimum.map(serde_json::Number::from);
            v.bounds.maximum = i.maximum.map(serde_json::Number::from);
            v.bounds.exclusive_minimum = i.exclusive_minimum && i.minimum.is_some();
            v.bounds.exclusive_maximum = i.exclusive_maximum && i.maximum.is_some();
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            v.typ = Some("boolean".into());
            v.enumeration = b.enumeration.iter().map(|e| e.map(Value::Bool).unwrap_or(Value::Null)).collect();
        }
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object".into());
            v.properties = o.properties.iter().collect();
            v.required = o.required.clone();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array".into());
            v.items = a.items.as_ref();
            v.bounds.min_items = a.min_items;
            v.bounds.max_items = a.max_items;
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::Not { .. } => v.not = true,
        SchemaKind::Any(a) => {
            v.typ = a.typ.clone();
            v.format = a.format.clone();
            v.enumeration = a.enumeration.clone();
            v.properties = a.properties.iter().collect();
            v.required = a.required.clone();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref();
            v.one_of = &a.one_of;
            v.all_of = &a.all_of;
            v.any_of = &a.any_of;
            v.not = a.not.is_some();
            v.bounds = Bounds {
                minimum: a.minimum.and_then(num_f64),
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false) && a.minimum.is_some(),
                maximum: a.maximum.and_then(num_f64),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false) && a.maximum.is_some(),
                min_length: a.min_length,
                max_length: a.max_length,
                min_items: a.min_items,
                max_items: a.max_items,
            };
        }
    }
    v
}

fn format_name<T: serde::Serialize>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(i) => serde_json::to_value(i).ok()?.as_str().map(String::from),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

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

    /// The component key a local `$ref` names.
    fn ref_key(&self, reference: &str, pointer: &str) -> Result<String, SpecError> {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else {
            return Err(self.doc.error(
                pointer,
                format!("unsupported $ref `{reference}`: only local references to #/components/schemas/ are supported for schemas"),
            ));
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        if !self.schemas.contains_key(&key) {
            return Err(self
                .doc
                .error(pointer, format!("dangling $ref `{reference}`: no schema `{key}` in components")));
        }
        Ok(key)
    }

    /// For a local reference to somewhere other than a whole component schema (`#/components/schemas/Tag/allOf/0`,
    /// `#/components/responses/Conflict/content/application~1json/schema`, `#/paths/...`): the schema
    /// found there and its pointer. `None` for a reference to a component schema.
    fn deep_ref(&self, reference: &str, pointer: &str) -> Option<Result<(ReferenceOr<Schema>, String), SpecError>> {
        let target = reference.strip_prefix('#')?;
        if let Some(key) = target.strip_prefix("/components/schemas/")
            && !key.contains('/')
        {
            return None;
        }
        let Some(node) = crate::yaml::get(&self.doc.raw, target) else {
            return Some(Err(self
                .doc
                .error(pointer, format!("dangling $ref `{reference}`: nothing is at `{target}`"))));
        };
        Some(
            serde_norway::from_value::<ReferenceOr<Schema>>(node.clone())
                .map(|s| (s, target.to_string()))
                .map_err(|e| self.doc.error(pointer, format!("$ref `{reference}` does not point at a schema: {e}"))),
        )
    }

    /// Follows `$ref`s to the schema a reference finally names.
    fn resolve(&self, r: &'a ReferenceOr<Schema>, pointer: &str) -> Result<(Schema, String), SpecError> {
        let mut current = r.clone();
        let mut ptr = pointer.to_string();
        let mut seen = BTreeSet::new();
        loop {
            match current {
                ReferenceOr::Item(s) => return Ok((s, ptr)),
                ReferenceOr::Reference { reference } => {
                    if let Some(deep) = self.deep_ref(&reference, &ptr) {
                        let (schema, target) = deep?;
                        if !seen.insert(target.clone()) {
                            return Err(self
                                .doc
                                .error(&ptr, format!("$ref cycle through `{reference}` with no schema in it")));
                        }
                        ptr = target;
                        current = schema;
                        continue;
                    }
                    let key = self.ref_key(&reference, &ptr)?;
                    if !seen.insert(key.clone()) {
                        return Err(self
                            .doc
                            .error(&ptr, format!("$ref cycle through `{reference}` with no schema in it")));
                    }
                    ptr = format!("/components/schemas/{}", escape_pointer(&key));
                    current = self.schemas[&key].clone();
                }
            }
        }
    }

    /// Lowers a component schema by key, once.
    fn component(&mut self, key: &str, pointer: &str) -> Result<TypeRef, SpecError> {
        if let Some(t) = self.lowered.get(key) {
            return Ok(t.clone());
        }
        let name = self.component_names[key].clone();
        if !self.in_progress.insert(key.to_string()) {
            // Recursion through a named type: the reference is enough; boxing is decided later.
            return Ok(TypeRef::Named(name));
        }
        let schema = self.schemas[key].clone();
        if let (Some(children), ReferenceOr::Item(s)) = (self.children.get(key).cloned(), &schema) {
            let result = self.discriminated_parent(key, &name, s, &children, pointer)?;
            self.in_progress.remove(key);
            self.lowered.insert(key.to_string(), result.clone());
            return Ok(result);
        }
        let result = match &schema {
            ReferenceOr::Reference { reference } => {
                let target = self.ref_key(reference, pointer)?;
                if target == key {
                    return Err(self.doc.error(pointer, format!("$ref cycle: `{key}` refers to itself")));
                }
                let tpointer = format!("/components/schemas/{}", escape_pointer(&target));
                if self.in_progress.contains(&target) && matches!(self.schemas[&target], ReferenceOr::Reference { .. })
                {
                    return Err(self
                        .doc
                        .error(pointer, format!("$ref cycle through `{reference}` with no schema in it")));
                }
                let inner = self.component(&target, &tpointer)?;
                self.define(TypeDef {
                    name: name.clone(),
                    origin: key.to_string(),
                    description: None,
                    deprecated: false,
                    kind: TypeKind::Alias(inner),
                    example: None,
                });
                TypeRef::Named(name.clone())
            }
            ReferenceOr::Item(s) => {
                let (t, _) = self.schema_named(s, &Naming::Fixed(name.clone()), key, pointer)?;
                if t == TypeRef::Named(name.clone()) && !self.types.contains_key(&name) {
                    // Only itself (`allOf: [$ref: Self]`): nothing constrains the value.
                    self.warn(
                        WarningKind::SchemaIsOnlyItself,
                        pointer,
                        format!("`{key}` is defined only by itself; it holds any JSON"),
                    );
                    self.define(TypeDef {
                        name: name.clone(),
                        origin: key.to_string(),
                        description: s.schema_data.description.clone(),
                        deprecated: s.schema_data.deprecated,
                        kind: TypeKind::Alias(TypeRef::Any),
                        example: None,
                    });
                } else if t != TypeRef::Named(name.clone()) {
                    // A primitive, array or map component: an alias keeps its name usable.
                    self.define(TypeDef {
                        name: name.clone(),
                        origin: key.to_string(),
                        description: s.schema_data.description.clone(),
                        deprecated: s.schema_data.deprecated,
                        kind: TypeKind::Alias(t),
                        example: s.schema_data.example.clone(),
                    });
                }
                TypeRef::Named(name.clone())
            }
        };
        self.in_progress.remove(key);
        self.lowered.insert(key.to_string(), result.clone());
        Ok(result)
    }

    /// The bounds that fit a value of type `t` (numbers: minimum/maximum; strings: lengths; arrays: item
    /// counts); the others are dropped with a warning, so no check is generated that cannot apply.
    pub fn fitting_bounds(&mut self, mut b: Bounds, t: &TypeRef, pointer: &str) -> Bounds {
        let mut dropped = Vec::new();
        if !matches!(t, TypeRef::Integer(_) | TypeRef::Number(_)) && (b.minimum.is_some() || b.maximum.is_some()) {
            dropped.push("minimum/maximum");
            (b.minimum, b.maximum, b.exclusive_minimum, b.exclusive_maximum) = (None, None, false, false);
        }
        if !matches!(t, TypeRef::String | TypeRef::Secret) && (b.min_length.is_some() || b.max_length.is_some()) {
            dropped.push("minLength/maxLength");
            (b.min_length, b.max_length) = (None, None);
        }
        if !matches!(t, TypeRef::Array(_)) && (b.min_items.is_some() || b.max_items.is_some()) {
            dropped.push("minItems/maxItems");
            (b.min_items, b.max_items) = (None, None);
        }
        if !dropped.is_empty() {
            self.warn(
                WarningKind::BoundsDoNotFit,
                pointer,
                format!("{} do not apply to a value of this type; ignored", dropped.join(" and ")),
            );
        }
        b
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

    /// Lowers an inline or component schema whose named type, if it needs one, is `name`.
    fn schema_named(
        &mut self,
        s: &Schema,
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<(TypeRef, Meta), SpecError> {
        let v = view(s);
        let name = naming.hint();
        let data = &s.schema_data;
        let mut meta = Meta {
            nullable: data.nullable || v.enumeration.iter().any(Value::is_null),
            description: data.description.clone(),
            default: None,
            example: data.example.clone(),
            enum_values: v.enumeration.iter().filter(|e| !e.is_null()).cloned().collect(),
            bounds: v.bounds.clone(),
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
        };
        // Bounds no value can meet would refuse every request: dropped, with a warning.
        let b = &mut meta.bounds;
        let f = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        if let (Some(lo), Some(hi)) = (f(&b.minimum), f(&b.maximum))
            && (lo > hi || (lo == hi && (b.exclusive_minimum || b.exclusive_maximum)))
        {
            self.warn(
                WarningKind::ImpossibleBounds,
                pointer,
                format!("minimum {lo} and maximum {hi} leave no value; both ignored"),
            );
            (b.minimum, b.maximum, b.exclusive_minimum, b.exclusive_maximum) = (None, None, false, false);
        }
        for (what, lo, hi) in [
            ("minLength/maxLength", &mut b.min_length, &mut b.max_length),
            ("minItems/maxItems", &mut b.min_items, &mut b.max_items),
        ] {
            if let (Some(l), Some(h)) = (*lo, *hi)
                && l > h
            {
                self.warn(
                    WarningKind::ImpossibleBounds,
                    pointer,
                    format!("{what} {l}/{h} leave no value; both ignored"),
                );
                (*lo, *hi) = (None, None);
            }
        }
        // An enum that lists a value twice has one variant for it.
        let mut unique: Vec<Value> = Vec::with_capacity(meta.enum_values.len());
        for e in std::mem::take(&mut meta.enum_values) {
            if unique.contains(&e) {
                self.warn(
                    WarningKind::DuplicateEnumValue,
                    &format!("{pointer}/enum"),
                    format!("enum lists {e} more than once; one variant"),
                );
            } else {
                unique.push(e);
            }
        }
        meta.enum_values = unique;
        let typedef = |name: String, kind: TypeKind| TypeDef {
            name,
            origin: origin.to_string(),
            description: data.description.clone(),
            deprecated: data.deprecated,
            kind,
            example: data.example.clone(),
        };
        if v.not {
            self.warn(
                WarningKind::Not,
                pointer,
                "`not` cannot be expressed as a Rust type; the value is kept as any JSON",
            );
            return Ok((TypeRef::Any, meta));
        }
        let is_array = v.typ.as_deref() == Some("array");
        if v.items.is_some() && !is_array && v.typ.is_some() {
            self.warn(
                WarningKind::ItemsOnNonArray,
                &format!("{pointer}/items"),
                format!("`items` on a schema of type `{}` is ignored", v.typ.as_deref().unwrap_or("")),
            );
        }

        // Compositions first: they decide the shape regardless of `type`.
        if !v.all_of.is_empty() {
            let (t, nullable) = self.all_of(s, &v, naming, origin, pointer)?;
            meta.nullable |= nullable;
            if meta.description.is_none() {
                // `allOf: [{$ref: X}, {description: ...}]` documents the reference.
                meta.description = v.all_of.iter().find_map(|m| match m {
                    ReferenceOr::Item(a) if is_annotation(a) => a.schema_data.description.clone(),
                    _ => None,
                });
            }
            meta.default = self.checked_default(data.default.as_ref(), &t, meta.nullable, &meta.enum_values, pointer);
            meta.example = self.checked_example(meta.example.take(), &t, &meta, pointer);
            return Ok((t, meta));
        }
        let members = if !v.one_of.is_empty() { v.one_of } else { v.any_of };
        if !members.is_empty() {
            let keyword = if !v.one_of.is_empty() { "oneOf" } else { "anyOf" };
            // A composition of one member is that member.
            if members.len() == 1 && v.properties.is_empty() {
                let mpointer = format!("{pointer}/{keyword}/0");
                let (t, m) = match &members[0] {
                    ReferenceOr::Item(inner) => self.schema_named(inner, naming, &mpointer, &mpointer)?,
                    r => self.lower(r, &name, &mpointer)?,
                };
                meta.nullable |= m.nullable;
                return Ok((t, meta));
            }
            if let Some(d) = &data.discriminator {
                let mpointer = format!("{pointer}/{keyword}");
                if let Some(kind) = self.tagged_variants(members, d, &name, &mpointer)? {
                    let n = self.take_name(naming);
                    self.define(typedef(n.clone(), kind));
                    return Ok((TypeRef::Named(n), meta));
                }
                self.warn(
                    WarningKind::DiscriminatorWithoutTags,
                    &format!("{pointer}/discriminator"),
                    format!(
                        "inline members that do not list their `{}` values cannot be told apart by it; decoded as an untagged union (the first member that fits)",
                        d.property_name
                    ),
                );
            }
            let variants = self.union_variants(members, &name, &format!("{pointer}/{keyword}"))?;
            let n = self.take_name(naming);
            self.define(typedef(n.clone(), TypeKind::Union { variants }));
            return Ok((TypeRef::Named(n), meta));
        }

        let t = match v.typ.as_deref() {
            Some("string") if !meta.enum_values.is_empty() => {
                let mut scope = Scope::with(&["Unknown"]);
                let variants = meta
                    .enum_values
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let wire = match e {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        let ident = scope.claim(&names::variant_name(&wire, &format!("Value{i}")));
                        EnumVariant { ident, wire }
                    })
                    .collect();
                let n = self.take_name(naming);
                self.define(typedef(n.clone(), TypeKind::Enum { variants }));
                TypeRef::Named(n)
            }
            Some("integer") if !meta.enum_values.is_empty() => {
                let mut scope = Scope::with(&["Unknown"]);
                let variants = meta
                    .enum_values
                    .iter()
                    .filter_map(Value::as_i64)
                    .map(|n| (scope.claim(&format!("V{}", n.to_string().replace('-', "Minus"))), n))
                    .collect();
                let n = self.take_name(naming);
                self.define(typedef(n.clone(), TypeKind::IntEnum { variants }));
                TypeRef::Named(n)
            }
            Some("string") => match v.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("binary") => TypeRef::Bytes,
                Some("password") => TypeRef::Secret,
                _ => TypeRef::String,
            },
            Some("integer") => TypeRef::Integer(if v.format.as_deref() == Some("int32") { 32 } else { 64 }),
            Some("number") => TypeRef::Number(if v.format.as_deref() == Some("float") { 32 } else { 64 }),
            Some("boolean") => TypeRef::Boolean,
            Some("array") => match v.items {
                Some(items) => {
                    let (t, _) = self.lower_boxed(items, &format!("{name} Item"), &format!("{pointer}/items"))?;
                    TypeRef::Array(Box::new(t))
                }
                None => {
                    self.warn(
                        WarningKind::ArrayWithoutItems,
                        pointer,
                        "array without `items`; its elements are kept as any JSON",
                    );
                    TypeRef::Array(Box::new(TypeRef::Any))
                }
            },
            Some("object") | None if !v.properties.is_empty() => {
                let (fields, extra) = self.object_fields(&v, &name, pointer)?;
                let n = self.take_name(naming);
                self.define(typedef(n.clone(), TypeKind::Struct { fields, extra }));
                TypeRef::Named(n)
            }
            Some("object") => match v.additional {
                Some(AdditionalProperties::Schema(inner)) => {
                    let (t, _) =
                        self.lower(inner, &format!("{name} Value"), &format!("{pointer}/additionalProperties"))?;
                    TypeRef::Map(Box::new(t))
                }
                Some(AdditionalProperties::Any(false)) => {
                    let n = self.take_name(naming);
                    self.define(typedef(n.clone(), TypeKind::Struct { fields: Vec::new(), extra: None }));
                    TypeRef::Named(n)
                }
                _ => TypeRef::Object,
            },
            None => {
                if !meta.enum_values.is_empty() && meta.enum_values.iter().all(Value::is_string) {
                    // A typeless enum of strings is a string enum.
                    let mut patched = s.clone();
                    patched.schema_kind = SchemaKind::Type(Type::String(openapiv3::StringType {
                        enumeration: meta.enum_values.iter().map(|e| e.as_str().map(String::from)).collect(),
                        ..Default::default()
                    }));
                    return self.schema_named(&patched, naming, origin, pointer);
                }
                match v.additional {
                    Some(AdditionalProperties::Schema(inner)) => {
                        let (t, _) =
                            self.lower(inner, &format!("{name} Value"), &format!("{pointer}/additionalProperties"))?;
                        TypeRef::Map(Box::new(t))
                    }
                    _ => TypeRef::Any,
                }
            }
            Some(other) if FORMAT_NAMES.contains(&other) => {
                // `type: date-time` where `type: string, format: date-time` was meant.
                self.warn(
                    WarningKind::FormatAsType,
                    &format!("{pointer}/type"),
                    format!("`type: {other}` is a format, not a type; read as `type: string, format: {other}`"),
                );
                let mut patched = s.clone();
                patched.schema_kind = SchemaKind::Type(Type::String(openapiv3::StringType {
                    format: openapiv3::VariantOrUnknownOrEmpty::Unknown(other.to_string()),
                    enumeration: v.enumeration.iter().map(|e| e.as_str().map(String::from)).collect(),
                    min_length: v.bounds.min_length,
                    max_length: v.bounds.max_length,
                    ..Default::default()
                }));
                return self.schema_named(&patched, naming, origin, pointer);
            }
            Some(other) => {
                self.warn(
                    WarningKind::UnknownType,
                    &format!("{pointer}/type"),
                    format!("unknown schema type `{other}`; the value is kept as any JSON"),
                );
                TypeRef::Any
            }
        };
        meta.default = self.checked_default(data.default.as_ref(), &t, meta.nullable, &meta.enum_values, pointer);
        meta.example = self.checked_example(meta.example.take(), &t, &meta, pointer);
        Ok((t, meta))
    }

    /// The fields of an object schema, and the type of its additional properties if it keeps them.
    fn object_fields(
        &mut self,
        v: &View<'_>,
        parent: &str,
        pointer: &str,
    ) -> Result<(Vec<Field>, Option<TypeRef>), SpecError> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (prop, schema) in &v.properties {
            let ppointer = format!("{pointer}/properties/{}", escape_pointer(prop));
            let hint = format!("{parent} {prop}");
            let (mut ty, meta) = self.lower_boxed(schema, &hint, &ppointer)?;
            let ident = scope.claim(&names::snake_ident(prop));
            if ty == TypeRef::String && SECRET_FIELDS.contains(&ident.as_str()) {
                ty = TypeRef::Secret;
            }
            let bounds = self.fitting_bounds(meta.bounds, &ty, &ppointer);
            fields.push(Field {
                wire_name: (*prop).clone(),
                ident,
                ty,
                required: v.required.iter().any(|r| r == *prop),
                nullable: meta.nullable,
                description: meta.description,
                default: meta.default,
                example: meta.example,
                enum_values: meta.enum_values,
                bounds,
                read_only: meta.read_only,
                write_only: meta.write_only,
                deprecated: meta.deprecated,
                boxed: false,
            });
        }
        for r in &v.required {
            if !v.properties.iter().any(|(p, _)| *p == r) {
                self.warn(
                    WarningKind::UndeclaredRequired,
                    &format!("{pointer}/required"),
                    format!("required property `{r}` is not declared in `properties`; ignored"),
                );
            }
        }
        let extra = match v.additional {
            Some(AdditionalProperties::Schema(inner)) => {
                let (t, _) =
                    self.lower(inner, &format!("{parent} Value"), &format!("{pointer}/additionalProperties"))?;
                Some(t)
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            _ => None,
        };
        Ok((fields, extra))
    }

    /// `allOf`: the members' properties merged into one struct (a lone `$ref` member is that type).
    fn all_of(
        &mut self,
        s: &Schema,
        v: &View<'_>,
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<(TypeRef, bool), SpecError> {
        let name = naming.hint();
        // Members that only annotate (`{description: ...}`, `{nullable: true}`) add no structure: the usual
        // 3.0 way to document a `$ref` is `allOf: [{$ref: X}, {description: ...}]`, which is X.
        let annotation = |m: &ReferenceOr<Schema>| matches!(m, ReferenceOr::Item(s) if is_annotation(s));
        let nullable =
            v.all_of.iter().any(|m| matches!(m, ReferenceOr::Item(s) if is_annotation(s) && s.schema_data.nullable));
        let structural: Vec<usize> = (0..v.all_of.len()).filter(|&i| !annotation(&v.all_of[i])).collect();
        let only = match structural.as_slice() {
            [i] => Some(*i),
            [] if !v.all_of.is_empty() => Some(0),
            _ => None,
        };
        if let Some(i) = only
            && v.properties.is_empty()
            && v.additional.is_none()
        {
            let mpointer = format!("{pointer}/allOf/{i}");
            let (t, m) = match &v.all_of[i] {
                ReferenceOr::Item(inner) => self.schema_named(inner, naming, &mpointer, &mpointer)?,
                r => self.lower(r, &name, &mpointer)?,
            };
            // `allOf: [$ref: Parent]` of a discriminated parent is a child with no fields of its own: it is
            // the parent's own fields, not the union of the children (which would hold itself).
            let t = match &v.all_of[i] {
                ReferenceOr::Reference { reference } => match self.ref_key(reference, &mpointer) {
                    Ok(k) if self.children.contains_key(&k) => {
                        self.disc_base.get(&k).map(|b| TypeRef::Named(b.clone())).unwrap_or(t)
                    }
                    _ => t,
                },
                ReferenceOr::Item(_) => t,
            };
            return Ok((t, nullable || m.nullable));
        }
        // `allOf: [base..., {oneOf: [A, B]}]`: each alternative merged with the rest, as a union of the
        // merged structs (Equinix's batch input), rather than one struct that could not hold either.
        let alternatives: Vec<usize> = (0..v.all_of.len())
            .filter(|&i| match &v.all_of[i] {
                ReferenceOr::Item(m) => {
                    let mv = view(m);
                    (!mv.one_of.is_empty() || !mv.any_of.is_empty()) && mv.properties.is_empty() && mv.all_of.is_empty()
                }
                ReferenceOr::Reference { .. } => false,
            })
            .collect();
        if let [i] = alternatives.as_slice() {
            return self.all_of_alternatives(s, v, *i, naming, origin, pointer).map(|t| (t, nullable));
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut extra = None;
        let mut unmergeable = None;
        let mut required: Vec<String> = v.required.clone();
        for (i, member) in v.all_of.iter().enumerate() {
            if annotation(member) {
                continue;
            }
            let mpointer = format!("{pointer}/allOf/{i}");
            let (member_schema, rpointer) = self.resolve(member, &mpointer)?;
            let mv = view(&member_schema);
            // A nested composition inside allOf is lowered as its own type and merged by its fields.
            let (t, _) = match member {
                ReferenceOr::Reference { .. } => self.lower(member, &name, &mpointer)?,
                ReferenceOr::Item(_) => {
                    // `{required: [...]}` (and an open `{type: object}`) only narrow the other members.
                    required.extend(mv.required.iter().cloned());
                    if mv.properties.is_empty()
                        && mv.all_of.is_empty()
                        && mv.one_of.is_empty()
                        && mv.any_of.is_empty()
                        && is_open_object(&member_schema)
                        && mv.enumeration.is_empty()
                    {
                        continue;
                    }
                    let n = Naming::Hint(format!("{name} AllOf {i}"));
                    self.schema_named(&member_schema, &n, &rpointer, &rpointer)?
                }
            };
            // Extending a discriminated parent merges the parent's own fields, not its union.
            let t = match member {
                ReferenceOr::Reference { reference } => match self.ref_key(reference, &mpointer) {
                    Ok(k) => self.disc_base.get(&k).map(|b| TypeRef::Named(b.clone())).unwrap_or(t),
                    Err(_) => t,
                },
                ReferenceOr::Item(_) => t,
            };
            if let TypeRef::Named(n) = &t
                && let Some(TypeDef { kind: TypeKind::Struct { fields: f, extra: e }, .. }) = self.types.get(n).cloned()
            {
                for field in f {
                    if let Some(existing) = fields.iter_mut().find(|x| x.wire_name == field.wire_name) {
                        existing.required |= field.required;
                    } else {
                        fields.push(field);
                    }
                }
                extra = extra.or(e);
                if matches!(member, ReferenceOr::Item(_)) {
                    self.types.remove(n);
                }
                continue;
            }
            match self.resolved(&t) {
                // Extra keys of any (or one) type: kept beside the merged fields.
                TypeRef::Map(inner) => extra = extra.or(Some(*inner)),
                TypeRef::Object | TypeRef::Any if is_open_object(&member_schema) => {
                    extra = extra.or(Some(TypeRef::Any))
                }
                _ => unmergeable = unmergeable.or(Some(mpointer)),
            }
        }
        if let Some(mpointer) = unmergeable {
            // An enum, union or primitive cannot be merged with other members into one struct; a struct would
            // reject or lose valid data, so the value stays any JSON.
            self.warn(
                WarningKind::AllOfNotMergeable,
                &mpointer,
                "this allOf member is not an object, so the members cannot be merged into one type; the value is kept as any JSON",
            );
            return Ok((TypeRef::Any, nullable));
        }
        let (own, own_extra) = self.object_fields(v, &name, pointer)?;
        for field in own {
            if let Some(existing) = fields.iter_mut().find(|x| x.wire_name == field.wire_name) {
                *existing = field;
            } else {
                fields.push(field);
            }
        }
        for r in &required {
            if let Some(f) = fields.iter_mut().find(|f| &f.wire_name == r) {
                f.required = true;
            }
        }
        // Field idents must stay unique after merging.
        let mut scope = Scope::default();
        for f in &mut fields {
            f.ident = scope.claim(&names::snake_ident(&f.wire_name));
        }
        let n = self.take_name(naming);
        self.define(TypeDef {
            name: n.clone(),
            origin: origin.to_string(),
            description: s.schema_data.description.clone(),
            deprecated: s.schema_data.deprecated,
            kind: TypeKind::Struct { fields, extra: extra.or(own_extra) },
            example: s.schema_data.example.clone(),
        });
        Ok((TypeRef::Named(n), nullable))
    }

    /// `allOf` whose member `split` is an inline `oneOf`/`anyOf`: one struct per alternative, each the other
    /// members merged with that alternative, and a union of them named as the `allOf` is.
    fn all_of_alternatives(
        &mut self,
        s: &Schema,
        v: &View<'_>,
        split: usize,
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<TypeRef, SpecError> {
        let name = naming.hint();
        let ReferenceOr::Item(member) = &v.all_of[split] else { return Ok(TypeRef::Any) };
        let mv = view(member);
        let (keyword, choices) = if !mv.one_of.is_empty() { ("oneOf", mv.one_of) } else { ("anyOf", mv.any_of) };
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (k, choice) in choices.iter().enumerate() {
            let label = match choice {
                ReferenceOr::Reference { reference } => {
                    reference.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~")
                }
                ReferenceOr::Item(c) => c
                    .schema_data
                    .title
                    .clone()
                    .filter(|t| names::is_name_like(t))
                    .unwrap_or_else(|| format!("Variant {k}")),
            };
            // The same schema with the alternative in place of the `oneOf` member.
            let mut merged = s.clone();
            let mut members: Vec<ReferenceOr<Schema>> = v.all_of.to_vec();
            members[split] = choice.clone();
            merged.schema_kind = match &s.schema_kind {
                SchemaKind::Any(a) => SchemaKind::Any(openapiv3::AnySchema { all_of: members, ..a.clone() }),
                _ => SchemaKind::AllOf { all_of: members },
            };
            merged.schema_data.description = None;
            let mpointer = format!("{pointer}/allOf/{split}/{keyword}/{k}");
            let hint = Naming::Hint(format!("{name} {label}"));
            let (t, _) = self.schema_named(&merged, &hint, &mpointer, &mpointer)?;
            if !matches!(self.resolved(&t), TypeRef::Named(ref n) if matches!(self.types.get(n).map(|d| &d.kind), Some(TypeKind::Struct { .. })))
            {
                self.warn(
                    WarningKind::AllOfNotMergeable,
                    &mpointer,
                    "this alternative is not an object, so it cannot be merged with the other allOf members; the value is kept as any JSON",
                );
                return Ok(TypeRef::Any);
            }
            let ident = scope.claim(&names::variant_name(&label, &format!("Variant{k}")));
            variants.push(UnionVariant { ident, ty: t, description: None });
        }
        variants.sort_by_key(|v| specificity(&v.ty, &self.types));
        let n = self.take_name(naming);
        self.define(TypeDef {
            name: n.clone(),
            origin: origin.to_string(),
            description: s.schema_data.description.clone(),
            deprecated: s.schema_data.deprecated,
            kind: TypeKind::Union { variants },
            example: None,
        });
        Ok(TypeRef::Named(n))
    }

    /// A type with its aliases followed.
    fn resolved(&self, t: &TypeRef) -> TypeRef {
        let mut t = t.clone();
        for _ in 0..32 {
            match &t {
                TypeRef::Named(n) => match self.types.get(n).map(|d| &d.kind) {
                    Some(TypeKind::Alias(inner)) => t = inner.clone(),
                    _ => return t,
                },
                _ => return t,
            }
        }
        t
    }

    /// A parent that children extend with `allOf` and tell apart by its `discriminator`: its own fields
    /// go into `{Name}Base`, and `{Name}` becomes a tagged union of the children (and the base itself).
    fn discriminated_parent(
        &mut self,
        key: &str,
        name: &str,
        s: &Schema,
        children: &[String],
        pointer: &str,
    ) -> Result<TypeRef, SpecError> {
        let base = self.scope.claim(&names::type_name(&format!("{name} Base")));
        let mut plain = s.clone();
        plain.schema_data.discriminator = None;
        let (t, _) = self.schema_named(&plain, &Naming::Fixed(base.clone()), key, pointer)?;
        if t != TypeRef::Named(base.clone()) {
            return Err(self.doc.error(pointer, "a schema with a discriminator that others extend must be an object"));
        }
        self.disc_base.insert(key.to_string(), base.clone());
        let d = s.schema_data.discriminator.clone().unwrap_or_default();
        let tags_for = |k: &str| -> Vec<String> {
            let full = format!("#/components/schemas/{}", escape_pointer(k));
            let mut tags: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, r)| r.as_str() == full || r.as_str() == k)
                .map(|(v, _)| v.clone())
                .collect();
            if tags.is_empty() {
                tags.push(k.to_string());
            }
            tags
        };
        let mut scope = Scope::with(&["Unknown"]);
        let mut variants = Vec::new();
        for child in children {
            let cpointer = format!("/components/schemas/{}", escape_pointer(child));
            let ty = self.component(child, &cpointer)?;
            let ident = scope.claim(&names::variant_name(&self.component_names[child], "Variant"));
            variants.push(crate::ir::TaggedVariant { ident, tags: tags_for(child), ty });
        }
        let ident = scope.claim(&names::variant_name(&base, "Base"));
        variants.push(crate::ir::TaggedVariant { ident, tags: tags_for(key), ty: TypeRef::Named(base) });
        self.define(TypeDef {
            name: name.to_string(),
            origin: key.to_string(),
            description: s.schema_data.description.clone(),
            deprecated: s.schema_data.deprecated,
            kind: TypeKind::TaggedUnion { property: d.property_name.clone(), variants },
            example: None,
        });
        Ok(TypeRef::Named(name.to_string()))
    }

    /// Members of a discriminated union: each must be a `$ref`; its tags come from the mapping, or are the
    /// component's key.
    fn tagged_variants(
        &mut self,
        members: &[ReferenceOr<Schema>],
        d: &openapiv3::Discriminator,
        name: &str,
        pointer: &str,
    ) -> Result<Option<TypeKind>, SpecError> {
        // An inline member is told apart by the values its own discriminator property lists.
        let inline_tags = |s: &Schema| -> Vec<String> {
            view(s)
                .properties
                .iter()
                .find(|(p, _)| **p == d.property_name)
                .and_then(|(_, ps)| match ps {
                    ReferenceOr::Item(ps) => {
                        Some(view(ps).enumeration.iter().filter_map(|e| e.as_str().map(String::from)).collect())
                    }
                    ReferenceOr::Reference { .. } => None,
                })
                .unwrap_or_default()
        };
        if members.iter().any(|m| matches!(m, ReferenceOr::Item(s) if inline_tags(s).is_empty())) {
            return Ok(None);
        }
        let mut scope = Scope::with(&["Unknown"]);
        let mut variants = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mpointer = format!("{pointer}/{i}");
            let ReferenceOr::Reference { reference } = m else {
                let ReferenceOr::Item(s) = m else { continue };
                let tags = inline_tags(s);
                let (t, _) = self.lower(m, &format!("{name} {}", tags[0]), &mpointer)?;
                let ident = scope.claim(&names::variant_name(&tags[0], &format!("Variant{i}")));
                variants.push(crate::ir::TaggedVariant { ident, tags, ty: t });
                continue;
            };
            let key = self.ref_key(reference, &mpointer)?;
            let (t, _) = self.lower(m, &key, &mpointer)?;
            let mut tags: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, r)| r.as_str() == reference || r.as_str() == key)
                .map(|(v, _)| v.clone())
                .collect();
            if tags.is_empty() {
                tags.push(key.clone());
            }
            let ident = scope.claim(&names::variant_name(&self.component_names[&key], &format!("Variant{i}")));
            variants.push(crate::ir::TaggedVariant { ident, tags, ty: t });
        }
        for (value, target) in &d.mapping {
            let known = members.iter().any(|m| matches!(m, ReferenceOr::Reference { reference } if reference == target || reference.ends_with(&format!("/{target}"))));
            if !known {
                self.warn(
                    WarningKind::MappingNamesNoMember,
                    &format!("{}/discriminator/mapping", pointer.rsplit_once('/').map_or("", |(p, _)| p)),
                    format!("mapping `{value}` -> `{target}` names no member; ignored"),
                );
            }
        }
        Ok(Some(TypeKind::TaggedUnion { property: d.property_name.clone(), variants }))
    }

    /// Union members in an order where none is unreachable for an untagged serde enum.
    fn union_variants(
        &mut self,
        members: &[ReferenceOr<Schema>],
        name: &str,
        pointer: &str,
    ) -> Result<Vec<UnionVariant>, SpecError> {
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let mpointer = format!("{pointer}/{i}");
            let title = match m {
                ReferenceOr::Item(s) => s.schema_data.title.clone().filter(|t| names::is_name_like(t)),
                ReferenceOr::Reference { .. } => None,
            };
            let (t, meta) = self.lower(
                m,
                &format!("{name} {}", title.clone().unwrap_or_else(|| format!("Variant {i}"))),
                &mpointer,
            )?;
            let base = match (&title, &t) {
                (Some(t), _) => names::variant_name(t, &format!("Variant{i}")),
                (None, t) => names::variant_name(&type_label(t), &format!("Variant{i}")),
            };
            variants.push(UnionVariant { ident: scope.claim(&base), ty: t, description: meta.description });
        }
        // Stable sort by how specific the payload is: serde tries variants in order.
        variants.sort_by_key(|v| specificity(&v.ty, &self.types));
        Ok(variants)
    }

    /// Keeps a `default` only if it fits the type; otherwise warns and drops it (it stays documentation).
    fn checked_default(
        &mut self,
        default: Option<&Value>,
        t: &TypeRef,
        nullable: bool,
        enums: &[Value],
        pointer: &str,
    ) -> Option<Value> {
        let d = default?;
        if fits(t, d, nullable, enums) {
            Some(d.clone())
        } else {
            self.warn(
                WarningKind::DefaultDoesNotFit,
                &format!("{pointer}/default"),
                format!("default {d} does not fit the schema; kept as documentation only"),
            );
            None
        }
    }

    /// Keeps an `example` only if it fits the type (the docs' examples are decoded in tests); otherwise
    /// warns and drops it (`example: 29.94` on an integer, a number beyond 64 bits).
    fn checked_example(&mut self, example: Option<Value>, t: &TypeRef, meta: &Meta, pointer: &str) -> Option<Value> {
        let e = example?;
        if fits(t, &e, meta.nullable, &meta.enum_values) {
            return Some(e);
        }
        self.warn(
            WarningKind::ExampleDoesNotFit,
            &format!("{pointer}/example"),
            format!("example {e} does not fit the schema; left out of the generated examples"),
        );
        None
    }

    /// Drops union members that are the union itself (`C: oneOf: [$ref: C, string]`, directly or through
    /// aliases and other unions): such a member adds no value, and an untagged enum would try it forever.
    /// A union left with no member holds any JSON.
    pub fn drop_self_members(&mut self) {
        let is_itself =
            |types: &BTreeMap<String, TypeDef>, from: &str, target: &str| reaches(types, from, target, false);
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in names {
            let origin = self.types[&name].origin.clone();
            let drop: Vec<String> = match &self.types[&name].kind {
                TypeKind::Union { variants } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
                TypeKind::TaggedUnion { variants, .. } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
                _ => continue,
            };
            let drop: Vec<String> = drop.into_iter().filter(|n| is_itself(&self.types, n, &name)).collect();
            if drop.is_empty() {
                continue;
            }
            let pointer = if origin.starts_with('/') {
                origin
            } else {
                format!("/components/schemas/{}", escape_pointer(&origin))
            };
            self.warn(
                WarningKind::UnionMemberIsItself,
                &pointer,
                format!("member(s) {} of `{name}` are `{name}` itself; left out", drop.join(", ")),
            );
            let def = self.types.get_mut(&name).expect("listed above");
            let empty = match &mut def.kind {
                TypeKind::Union { variants } => {
                    variants.retain(|v| !named(&v.ty).is_some_and(|n| drop.contains(&n)));
                    variants.is_empty()
                }
                TypeKind::TaggedUnion { variants, .. } => {
                    variants.retain(|v| !named(&v.ty).is_some_and(|n| drop.contains(&n)));
                    false
                }
                _ => false,
            };
            if empty {
                def.kind = TypeKind::Alias(TypeRef::Any);
            }
        }
    }

    /// Marks struct fields that must be boxed because their type contains the struct without indirection.
    pub fn box_recursive_fields(&mut self) {
        let reaches = |types: &BTreeMap<String, TypeDef>, from: &str, target: &str| reaches(types, from, target, true);
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in names {
            let TypeKind::Struct { fields, .. } = &self.types[&name].kind else { continue };
            let to_box: Vec<usize> = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| named(&f.ty).is_some_and(|n| reaches(&self.types, &n, &name)))
                .map(|(i, _)| i)
                .collect();
            if let Some(TypeDef { kind: TypeKind::Struct { fields, .. }, .. }) = self.types.get_mut(&name) {
                for i in to_box {
                    fields[i].boxed = true;
                }
            }
        }
    }
}

/// Parents with a `discriminator` (and no `oneOf`/`anyOf`) that other components extend with `allOf`,
/// with those children (and any the mapping names), sorted.
fn discriminated_children(schemas: &IndexMap<String, ReferenceOr<Schema>>) -> BTreeMap<String, Vec<String>> {
    let key_of = |r: &str| r.strip_prefix("#/components/schemas/").map(|k| k.replace("~1", "/").replace("~0", "~"));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (parent, s) in schemas {
        let ReferenceOr::Item(s) = s else { continue };
        let Some(d) = &s.schema_data.discriminator else { continue };
        let v = view(s);
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            continue;
        }
        let parent_ref = format!("#/components/schemas/{}", escape_pointer(parent));
        let mut children: Vec<String> = schemas
            .iter()
            .filter(|(k, _)| *k != parent)
            .filter(|(_, c)| match c {
                ReferenceOr::Item(c) => view(c)
                    .all_of
                    .iter()
                    .any(|m| matches!(m, ReferenceOr::Reference { reference } if *reference == parent_ref)),
                ReferenceOr::Reference { .. } => false,
            })
            .map(|(k, _)| k.clone())
            .collect();
        for target in d.mapping.values() {
            let k = key_of(target).unwrap_or_else(|| target.clone());
            if &k != parent && schemas.contains_key(&k) && !children.contains(&k) {
                children.push(k);
            }
        }
        children.sort();
        if !children.is_empty() {
            out.insert(parent.clone(), children);
        }
    }
    out
}

/// Whether the named type `from` holds `target` without indirection: through aliases and union members,
/// and through struct fields too when `through_structs`.
fn reaches(types: &BTreeMap<String, TypeDef>, from: &str, target: &str, through_structs: bool) -> bool {
    let held = |name: &str| -> Vec<String> {
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) if through_structs => {
                fields.iter().filter_map(|f| named(&f.ty)).collect()
            }
            Some(TypeKind::Union { variants }) => variants.iter().filter_map(|v| named(&v.ty)).collect(),
            Some(TypeKind::TaggedUnion { variants, .. }) => variants.iter().filter_map(|v| named(&v.ty)).collect(),
            Some(TypeKind::Alias(t)) => named(t).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    let mut stack = vec![from.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if seen.insert(n.clone()) {
            stack.extend(held(&n));
        }
    }
    false
}

/// The named type a field holds directly (not through a Vec or map, which already add indirection).
fn named(t: &TypeRef) -> Option<String> {
    match t {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    }
}

/// A type-name hint for a schema a deep reference points at: the component's name and what follows it
/// (`/components/schemas/Tag/allOf/0` -> `Tag AllOf 0`, a response's schema -> `Conflict Response`).
fn deep_hint(pointer: &str) -> String {
    let segs: Vec<String> =
        pointer.trim_start_matches('/').split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    match segs.as_slice() {
        [c, kind, name, rest @ ..] if c == "components" => {
            let tail: Vec<&str> = rest
                .iter()
                .map(String::as_str)
                .filter(|s| !matches!(*s, "content" | "schema" | "properties") && !s.contains('/'))
                .collect();
            let base = if kind == "responses" { format!("{name} Response") } else { name.clone() };
            format!("{base} {}", tail.join(" ")).trim().to_string()
        }
        _ => segs.iter().filter(|s| !s.contains('/') && !s.contains('{')).cloned().collect::<Vec<_>>().join(" "),
    }
}

/// A schema that adds no structure, only words, flags or a bare `type` that repeats what the other
/// members say (`{description: ...}`, `{nullable: true}`, `{type: string, description: ...}`).
fn is_annotation(s: &Schema) -> bool {
    let v = view(s);
    v.typ.as_deref() != Some("array")
        && v.properties.is_empty()
        && v.required.is_empty()
        && v.items.is_none()
        && v.additional.is_none()
        && v.one_of.is_empty()
        && v.all_of.is_empty()
        && v.any_of.is_empty()
        && !v.not
        && v.enumeration.is_empty()
}

/// An object schema without properties that allows any keys (`type: object`, or untyped).
fn is_open_object(s: &Schema) -> bool {
    let v = view(s);
    matches!(v.typ.as_deref(), None | Some("object"))
        && v.properties.is_empty()
        && !matches!(v.additional, Some(AdditionalProperties::Any(false)))
}

fn is_nullable(s: &Schema) -> bool {
    s.schema_data.nullable || view(s).enumeration.iter().any(Value::is_null)
}

/// Whether a default or example value fits a type (for named types: a listed enum value or an object).
fn fits(t: &TypeRef, v: &Value, nullable: bool, enums: &[Value]) -> bool {
    match (t, v) {
        (_, Value::Null) => nullable,
        (TypeRef::String | TypeRef::Secret, Value::String(_)) => true,
        (TypeRef::DateTime, Value::String(s)) => looks_like_date_time(s),
        (TypeRef::Date, Value::String(s)) => s.len() == 10 && s.as_bytes()[4] == b'-',
        (TypeRef::Integer(32), Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (TypeRef::Integer(_), Value::Number(n)) => n.is_i64(),
        (TypeRef::Number(_), Value::Number(_)) => true,
        (TypeRef::Boolean, Value::Bool(_)) => true,
        (TypeRef::Array(inner), Value::Array(items)) => items.iter().all(|i| fits(inner, i, false, &[])),
        (TypeRef::Map(_) | TypeRef::Object, Value::Object(_)) => true,
        (TypeRef::Any, _) => true,
        (TypeRef::Named(_), v) => enums.is_empty() || enums.contains(v) || v.is_object(),
        _ => false,
    }
}

fn looks_like_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20 && b[4] == b'-' && b[7] == b'-' && (b[10] == b'T' || b[10] == b't') && b[13] == b':'
}

/// A label for a union variant without a title.
fn type_label(t: &TypeRef) -> String {
    match t {
        TypeRef::String | TypeRef::Secret => "String".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Number(_) => "Number".into(),
        TypeRef::Boolean => "Boolean".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Any => "Any".into(),
        TypeRef::Object => "Object".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Array(inner) => format!("{}Array", type_label(inner)),
        TypeRef::Map(inner) => format!("{}Map", type_label(inner)),
    }
}

/// Lower is tried first. Structs with fields before free-form objects, integers before numbers,
/// date-times before strings, and anything-goes last.
fn specificity(t: &TypeRef, types: &BTreeMap<String, TypeDef>) -> u8 {
    match t {
        TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) if fields.iter().any(|f| f.required) => 0,
            Some(TypeKind::Struct { .. }) => 1,
            Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. }) => 2,
            Some(TypeKind::Alias(inner)) => specificity(&inner.clone(), types),
            _ => 3,
        },
        TypeRef::Boolean => 2,
        TypeRef::Integer(_) => 2,
        TypeRef::Number(_) => 3,
        TypeRef::DateTime | TypeRef::Date => 2,
        TypeRef::String | TypeRef::Secret | TypeRef::Bytes => 4,
        TypeRef::Array(_) => 4,
        TypeRef::Map(_) => 5,
        TypeRef::Object => 6,
        TypeRef::Any => 7,
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
}
