//! Compositions: `allOf` merging, unions (`oneOf`, `anyOf`) and their variant order, discriminators and discriminated parents.

use super::*;

impl<'a> TypeLowerer<'a> {
    /// `allOf`: the members' properties merged into one struct (a lone `$ref` member is that type).
    pub(super) fn all_of(
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
        if let Some(t) = self.all_of_values(s, v, &structural, naming, origin, pointer)? {
            return Ok((t, nullable));
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut extra = None;
        let mut unmergeable = None;
        let mut required: Vec<String> = v.required.clone();
        // Every property a member (or the schema beside them) names, and the closed ones' own.
        let mut named: BTreeSet<String> = v.properties.iter().map(|(n, _)| (*n).clone()).collect();
        named.extend(v.required.iter().cloned());
        let mut closed: Vec<(String, BTreeSet<String>)> = Vec::new();
        if matches!(v.additional, Some(AdditionalProperties::Any(false))) {
            closed.push((pointer.to_string(), v.properties.iter().map(|(n, _)| (*n).clone()).collect()));
        }
        for (i, member) in v.all_of.iter().enumerate() {
            if annotation(member) {
                continue;
            }
            let mpointer = format!("{pointer}/allOf/{i}");
            let (member_schema, rpointer) = self.resolve(member, &mpointer)?;
            let mv = view(&member_schema);
            let own: BTreeSet<String> = mv.properties.iter().map(|(n, _)| (*n).clone()).collect();
            named.extend(own.iter().cloned());
            named.extend(mv.required.iter().cloned());
            if matches!(mv.additional, Some(AdditionalProperties::Any(false))) {
                closed.push((mpointer.clone(), own));
            }
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
                        // A member that declares what another only requires gives the type.
                        if super::schema::is_undeclared(existing) && !super::schema::is_undeclared(&field) {
                            let (required, read_only) = (existing.required, existing.read_only);
                            *existing = field;
                            existing.required |= required;
                            existing.read_only |= read_only;
                        } else {
                            // A member that only marks it read-only (Linode's `PUT` volume: `linode_id:
                            // {readOnly: true}`) still says so.
                            existing.required |= field.required;
                            existing.read_only |= field.read_only;
                        }
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
        for (at, own) in &closed {
            let others: Vec<String> = named.difference(own).map(|n| format!("`{n}`")).collect();
            if !others.is_empty() {
                self.warn(
                    WarningKind::AllOfClosedMember,
                    at,
                    format!(
                        "this allOf member forbids properties it does not declare (additionalProperties: false), but other members declare {}: no value with them satisfies the allOf; the merged type keeps every member's properties",
                        others.join(", ")
                    ),
                );
            }
        }
        let (own, own_extra) = self.object_fields(v, &name, pointer)?;
        for field in own {
            if let Some(existing) = fields.iter_mut().find(|x| x.wire_name == field.wire_name) {
                if super::schema::is_undeclared(&field) && !super::schema::is_undeclared(existing) {
                    existing.required = true;
                    continue;
                }
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

    /// `allOf` of scalar members of one type, one or more of them an `enum`: the values every member
    /// allows (NetBird's `ResourceType`, `NetworkResourceType`'s values and `{enum: [peer]}`). The same
    /// values as a member that is a `$ref` are that type; others are an enum of their own. No common
    /// value is a spec defect: warned, and the value is any JSON, since no variant could be right.
    /// `None` when the members are not all such scalars (the struct merge handles the rest).
    fn all_of_values(
        &mut self,
        s: &Schema,
        v: &View<'_>,
        structural: &[usize],
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<Option<TypeRef>, SpecError> {
        if structural.len() < 2 || !v.properties.is_empty() || v.additional.is_some() {
            return Ok(None);
        }
        let mut members = Vec::new();
        for &i in structural {
            let mpointer = format!("{pointer}/allOf/{i}");
            let (schema, _) = self.resolve(&v.all_of[i], &mpointer)?;
            let mv = view(&schema);
            let scalar = matches!(mv.typ.as_deref(), Some("string" | "integer" | "number" | "boolean") | None)
                && mv.properties.is_empty()
                && mv.items.is_none()
                && mv.additional.is_none()
                && mv.all_of.is_empty()
                && mv.one_of.is_empty()
                && mv.any_of.is_empty()
                && !mv.not
                && (mv.typ.is_some() || !mv.enumeration.is_empty());
            if !scalar {
                return Ok(None);
            }
            members.push((i, mv.typ.clone(), mv.enumeration.clone(), schema));
        }
        let types: BTreeSet<&str> = members.iter().filter_map(|(_, t, _, _)| t.as_deref()).collect();
        if types.len() > 1 || members.iter().all(|(_, _, e, _)| e.is_empty()) {
            return Ok(None);
        }
        let listed: Vec<&Vec<Value>> = members.iter().map(|(_, _, e, _)| e).filter(|e| !e.is_empty()).collect();
        let common: Vec<Value> =
            listed[0].iter().filter(|x| listed[1..].iter().all(|l| l.contains(x))).cloned().collect();
        if common.iter().all(Value::is_null) {
            let show = |l: &Vec<Value>| l.iter().map(Value::to_string).collect::<Vec<_>>().join(", ");
            let lists: Vec<String> = listed.iter().map(|l| format!("[{}]", show(l))).collect();
            self.warn(
                WarningKind::AllOfNoValue,
                pointer,
                format!(
                    "no value satisfies every member of this allOf: the members allow {}, which share none; the value is kept as any JSON",
                    lists.join(" and ")
                ),
            );
            return Ok(Some(TypeRef::Any));
        }
        // A `$ref` member that allows exactly the common values is the type.
        for (i, _, e, _) in &members {
            if let r @ ReferenceOr::Reference { .. } = &v.all_of[*i]
                && e.len() == common.len()
                && e.iter().all(|x| common.contains(x))
            {
                let (t, _) = self.lower(r, &naming.hint(), &format!("{pointer}/allOf/{i}"))?;
                return Ok(Some(t));
            }
        }
        let Some((_, _, _, first)) = members.iter().find(|(_, _, e, _)| !e.is_empty()) else { return Ok(None) };
        let Some(mut narrowed) = with_values(first, &common) else { return Ok(None) };
        narrowed.schema_data.description = s.schema_data.description.clone().or(narrowed.schema_data.description);
        let (t, _) = self.schema_named(&narrowed, naming, origin, pointer)?;
        Ok(Some(t))
    }

    /// `allOf` whose member `split` is an inline `oneOf`/`anyOf`: one struct per alternative, each the other
    /// members merged with that alternative, and a union of them named as the `allOf` is.
    pub(super) fn all_of_alternatives(
        &mut self,
        s: &Schema,
        v: &View<'_>,
        split: usize,
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<TypeRef, SpecError> {
        let ReferenceOr::Item(member) = &v.all_of[split] else { return Ok(TypeRef::Any) };
        let mv = view(member);
        let (keyword, choices) = if !mv.one_of.is_empty() { ("oneOf", mv.one_of) } else { ("anyOf", mv.any_of) };
        // The same schema with the alternative in place of the `oneOf` member.
        let merge = |choice: &ReferenceOr<Schema>| {
            let mut merged = s.clone();
            let mut members: Vec<ReferenceOr<Schema>> = v.all_of.to_vec();
            members[split] = choice.clone();
            merged.schema_kind = match &s.schema_kind {
                SchemaKind::Any(a) => SchemaKind::Any(openapiv3::AnySchema { all_of: members, ..a.clone() }),
                _ => SchemaKind::AllOf { all_of: members },
            };
            merged.schema_data.description = None;
            merged
        };
        let at = format!("{pointer}/allOf/{split}/{keyword}");
        self.union_of_merged(s, choices, merge, &at, "the other allOf members", naming, origin)
    }

    /// An object's own `properties` beside a `oneOf`/`anyOf` (`keyword`) whose members add properties of
    /// their own (Intercom's `create_data_attribute_request`: `name`, `model` and, per alternative, its
    /// `data_type` and `options`): the value has both, so each alternative is the object merged with it,
    /// and the type is a union of those merged structs, as for `allOf: [object, {oneOf: [...]}]`. A
    /// union of the bare members would drop every property declared beside them.
    pub(super) fn properties_with_alternatives(
        &mut self,
        s: &Schema,
        keyword: &str,
        choices: &[ReferenceOr<Schema>],
        naming: &Naming,
        origin: &str,
        pointer: &str,
    ) -> Result<TypeRef, SpecError> {
        let SchemaKind::Any(a) = &s.schema_kind else { return Ok(TypeRef::Any) };
        let merge = |choice: &ReferenceOr<Schema>| Schema {
            schema_data: Default::default(),
            schema_kind: SchemaKind::Any(openapiv3::AnySchema {
                one_of: Vec::new(),
                any_of: Vec::new(),
                all_of: vec![choice.clone()],
                ..a.clone()
            }),
        };
        let at = format!("{pointer}/{keyword}");
        self.union_of_merged(s, choices, merge, &at, "the properties beside it", naming, origin)
    }

    /// A union named by `naming` of one struct per alternative in `choices` (at `at`), each `merge(choice)`
    /// lowered; an alternative that is not an object makes the value any JSON, with a warning that it
    /// cannot be merged with `beside`.
    #[allow(clippy::too_many_arguments)]
    fn union_of_merged(
        &mut self,
        s: &Schema,
        choices: &[ReferenceOr<Schema>],
        merge: impl Fn(&ReferenceOr<Schema>) -> Schema,
        at: &str,
        beside: &str,
        naming: &Naming,
        origin: &str,
    ) -> Result<TypeRef, SpecError> {
        let name = naming.hint();
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (k, choice) in choices.iter().enumerate() {
            let label = alternative_label(choice, k);
            let mpointer = format!("{at}/{k}");
            let hint = Naming::Hint(format!("{name} {label}"));
            let (t, _) = self.schema_named(&merge(choice), &hint, &mpointer, &mpointer)?;
            if !matches!(self.resolved(&t), TypeRef::Named(ref n) if matches!(self.types.get(n).map(|d| &d.kind), Some(TypeKind::Struct { .. })))
            {
                self.warn(
                    WarningKind::AllOfNotMergeable,
                    &mpointer,
                    format!("this alternative is not an object, so it cannot be merged with {beside}; the value is kept as any JSON"),
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

    /// A parent that children extend with `allOf` and tell apart by its `discriminator`: its own fields
    /// go into `{Name}Base`, and `{Name}` becomes a tagged union of the children (and the base itself).
    pub(super) fn discriminated_parent(
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
    pub(super) fn tagged_variants(
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
    pub(super) fn union_variants(
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
}

/// Parents with a `discriminator` (and no `oneOf`/`anyOf`) that other components extend with `allOf`,
/// with those children (and any the mapping names), sorted.
pub(super) fn discriminated_children(schemas: &IndexMap<String, ReferenceOr<Schema>>) -> BTreeMap<String, Vec<String>> {
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

/// A schema that adds no structure, only words, flags or a bare `type` that repeats what the other
/// members say (`{description: ...}`, `{nullable: true}`, `{type: string, description: ...}`).
pub(super) fn is_annotation(s: &Schema) -> bool {
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
pub(super) fn is_open_object(s: &Schema) -> bool {
    let v = view(s);
    matches!(v.typ.as_deref(), None | Some("object"))
        && v.properties.is_empty()
        && !matches!(v.additional, Some(AdditionalProperties::Any(false)))
}

pub(super) fn is_nullable(s: &Schema) -> bool {
    s.schema_data.nullable || view(s).enumeration.iter().any(Value::is_null)
}

/// Lower is tried first. Structs with fields before free-form objects, integers before numbers,
/// date-times before strings, and anything-goes last.
pub(super) fn specificity(t: &TypeRef, types: &BTreeMap<String, TypeDef>) -> u8 {
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
        TypeRef::Nullable(inner) => specificity(inner, types),
        TypeRef::Object => 6,
        TypeRef::Any => 7,
    }
}

/// `schema` with its `enum` replaced by `values` (`null` kept where the schema's kind has room for it);
/// `None` for a kind that has no `enum`.
fn with_values(schema: &Schema, values: &[Value]) -> Option<Schema> {
    let mut out = schema.clone();
    match &mut out.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            t.enumeration = values.iter().map(|v| v.as_str().map(String::from)).collect();
        }
        SchemaKind::Type(Type::Integer(t)) => t.enumeration = values.iter().map(Value::as_i64).collect(),
        SchemaKind::Type(Type::Number(t)) => t.enumeration = values.iter().map(Value::as_f64).collect(),
        SchemaKind::Type(Type::Boolean(t)) => t.enumeration = values.iter().map(Value::as_bool).collect(),
        SchemaKind::Any(a) => a.enumeration = values.to_vec(),
        _ => return None,
    }
    Some(out)
}

/// The name part of a union alternative: its reference's key, its `title` if it reads as a name, else
/// `Variant {k}`.
fn alternative_label(choice: &ReferenceOr<Schema>, k: usize) -> String {
    match choice {
        ReferenceOr::Reference { reference } => {
            reference.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~")
        }
        ReferenceOr::Item(c) => {
            c.schema_data.title.clone().filter(|t| names::is_name_like(t)).unwrap_or_else(|| format!("Variant {k}"))
        }
    }
}
