//! One schema by what it is: an enum, an object and its fields, an array, a primitive or anything, and
//! the bounds that fit its type.

use super::*;

impl<'a> TypeLowerer<'a> {
    /// Lowers an inline or component schema whose named type, if it needs one, is `name`.
    pub(super) fn schema_named(
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
        // Values of another type than the schema's (Linode's `replication_commit_type`, a string enum
        // that lists `true` and `false`, YAML 1.1's reading of `on` and `off`): no value can be them.
        if let (Some(typ), Some(serde_norway::Value::Sequence(raw))) =
            (v.typ.as_deref(), crate::yaml::get(&self.doc.raw, &format!("{pointer}/enum")))
        {
            let fits = |e: &serde_norway::Value| match e {
                serde_norway::Value::Null => true,
                serde_norway::Value::String(_) => typ == "string",
                serde_norway::Value::Bool(_) => typ == "boolean",
                serde_norway::Value::Number(n) => typ == "number" || (typ == "integer" && (n.is_i64() || n.is_u64())),
                _ => false,
            };
            let other: Vec<String> = raw
                .iter()
                .filter(|e| !fits(e))
                .map(|e| serde_json::to_string(e).unwrap_or_else(|_| "?".into()))
                .collect();
            if !other.is_empty() {
                let kept = if typ == "string" { "kept as their text" } else { "left out" };
                self.warn(
                    WarningKind::EnumValueOfAnotherType,
                    &format!("{pointer}/enum"),
                    format!(
                        "the enum lists {} of another type than the schema's `{typ}`, which no value can be; {kept}",
                        other.join(", ")
                    ),
                );
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

        // `type: array` with a composition and no `items` (`type: array, allOf: [$ref: Role]`): the
        // author put the items' schema beside `type`. Lowering the composition as the value would make a
        // struct that rejects every list the server sends; the items are that composition.
        if is_array
            && v.items.is_none()
            && (!v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty())
            && let SchemaKind::Any(a) = &s.schema_kind
        {
            self.warn(
                WarningKind::ArrayWithoutItems,
                pointer,
                "array without `items`, its items' schema written beside `type`; lowered as a list of that schema",
            );
            let mut item = s.clone();
            item.schema_data = Default::default();
            if let SchemaKind::Any(i) = &mut item.schema_kind {
                *i = openapiv3::AnySchema {
                    typ: None,
                    min_items: None,
                    max_items: None,
                    unique_items: None,
                    ..a.clone()
                };
            }
            let (t, m) = self.schema_named(&item, &Naming::Hint(format!("{name} Item")), pointer, pointer)?;
            return Ok((TypeRef::Array(Box::new(or_null(t, &m))), meta));
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
        // `oneOf: [{required: [image]}, {required: [git]}]` beside `properties`: the members only say
        // which of the declared properties must be present ("exactly one of"). The value is the object;
        // a union of the bare members would drop every property.
        let members = if !v.properties.is_empty() && members.iter().all(only_requires) { &[][..] } else { members };
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
            // Properties beside the members: each alternative is the object merged with it.
            if !v.properties.is_empty() && data.discriminator.is_none() {
                let t = self.properties_with_alternatives(s, keyword, members, naming, origin, pointer)?;
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
                    let (t, m) = self.lower_boxed(items, &format!("{name} Item"), &format!("{pointer}/items"))?;
                    TypeRef::Array(Box::new(or_null(t, &m)))
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
                    let (t, m) =
                        self.lower(inner, &format!("{name} Value"), &format!("{pointer}/additionalProperties"))?;
                    TypeRef::Map(Box::new(or_null(t, &m)))
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
                        let (t, m) =
                            self.lower(inner, &format!("{name} Value"), &format!("{pointer}/additionalProperties"))?;
                        TypeRef::Map(Box::new(or_null(t, &m)))
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

    /// The fields of an object schema, and the type of its additional properties if it keeps them. A
    /// required property the schema does not declare is a field of any JSON type ([`is_undeclared`]).
    pub(super) fn object_fields(
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
                    format!(
                        "required property `{r}` is not declared in `properties`; kept as a member of any JSON type, always sent"
                    ),
                );
                // Kept, not dropped: a server that requires it gets it (`null` unless set), and a body
                // that has it keeps it. Nullable, so a body without it still decodes.
                fields.push(Field {
                    wire_name: r.clone(),
                    ident: scope.claim(&names::snake_ident(r)),
                    ty: TypeRef::Any,
                    required: true,
                    nullable: true,
                    description: Some(undeclared_doc(r)),
                    default: None,
                    example: None,
                    enum_values: Vec::new(),
                    bounds: Default::default(),
                    read_only: false,
                    write_only: false,
                    deprecated: false,
                    boxed: false,
                });
            }
        }
        let extra = match v.additional {
            Some(AdditionalProperties::Schema(inner)) => {
                let (t, m) =
                    self.lower(inner, &format!("{parent} Value"), &format!("{pointer}/additionalProperties"))?;
                Some(or_null(t, &m))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            _ => None,
        };
        Ok((fields, extra))
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
}

/// A list's item or a map's value that may be `null` (`nullable`, or a `$ref` to a nullable schema):
/// `Option<T>`, so a `null` the spec allows decodes. Any JSON holds `null` already.
pub(crate) fn or_null(t: TypeRef, meta: &super::Meta) -> TypeRef {
    if meta.nullable && !matches!(t, TypeRef::Any | TypeRef::Nullable(_)) { TypeRef::Nullable(Box::new(t)) } else { t }
}

/// The doc of a field kept for a required property that its schema does not declare.
fn undeclared_doc(name: &str) -> String {
    format!("`{name}`: required by the spec, which does not declare its type.")
}

/// Whether `f` stands for a required property its schema did not declare: when schemas merge
/// (`allOf`), a member that declares it gives its type.
pub(super) fn is_undeclared(f: &Field) -> bool {
    f.ty == TypeRef::Any && f.description.as_deref() == Some(undeclared_doc(&f.wire_name).as_str())
}

/// A composition member that only lists required properties (`{required: [image]}`), declaring none.
fn only_requires(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(m) = member else { return false };
    let v = super::view::view(m);
    !v.required.is_empty() && super::compose::is_annotation(&Schema { schema_kind: strip_required(m), ..m.clone() })
}

/// The member's kind without its `required` list, to ask whether anything else is in it.
fn strip_required(m: &Schema) -> SchemaKind {
    match &m.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(o)) => {
            SchemaKind::Type(openapiv3::Type::Object(openapiv3::ObjectType { required: Vec::new(), ..o.clone() }))
        }
        SchemaKind::Any(a) => SchemaKind::Any(openapiv3::AnySchema { required: Vec::new(), ..a.clone() }),
        other => other.clone(),
    }
}
