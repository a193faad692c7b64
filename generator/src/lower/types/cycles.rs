//! Graph passes after lowering: union members that are the union itself, recursive fields boxed.

use super::*;
use crate::ir::Member;

impl<'a> TypeLowerer<'a> {
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

/// Whether the named type `from` holds `target` without indirection: through aliases and union members,
/// and through struct fields too when `through_structs`.
pub(super) fn reaches(types: &BTreeMap<String, TypeDef>, from: &str, target: &str, through_structs: bool) -> bool {
    let held = |name: &str| -> Vec<String> {
        let Some(def) = types.get(name) else { return Vec::new() };
        def.kind
            .members()
            .into_iter()
            .filter(|(how, _)| match how {
                Member::Field => through_structs,
                Member::Extra => false,
                Member::Variant | Member::Alias => true,
            })
            .filter_map(|(_, t)| named(t))
            .collect()
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
