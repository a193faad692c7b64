//! References: component names, `$ref`s into components and their cycles, what an alias resolves to.

use super::*;

impl<'a> TypeLowerer<'a> {
    /// The component key a local `$ref` names.
    pub(super) fn ref_key(&self, reference: &str, pointer: &str) -> Result<String, SpecError> {
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
    pub(super) fn deep_ref(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Option<Result<(ReferenceOr<Schema>, String), SpecError>> {
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
    pub(super) fn resolve(&self, r: &'a ReferenceOr<Schema>, pointer: &str) -> Result<(Schema, String), SpecError> {
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
    pub(super) fn component(&mut self, key: &str, pointer: &str) -> Result<TypeRef, SpecError> {
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

    /// A type with its aliases followed.
    pub(super) fn resolved(&self, t: &TypeRef) -> TypeRef {
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
}

/// The named type a field holds directly (not through a Vec or map, which already add indirection).
pub(super) fn named(t: &TypeRef) -> Option<String> {
    match t {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    }
}

/// A type-name hint for a schema a deep reference points at: the component's name and what follows it
/// (`/components/schemas/Tag/allOf/0` -> `Tag AllOf 0`, a response's schema -> `Conflict Response`).
pub(super) fn deep_hint(pointer: &str) -> String {
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
