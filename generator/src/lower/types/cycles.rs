//! Graph passes after lowering: union members that are the union itself, the order of untagged union
//! members, recursive fields boxed.

use super::*;
use crate::ir::Member;

impl<'a> TypeLowerer<'a> {
    /// Orders each untagged union so that no member loses what another would keep: serde takes the
    /// first member that decodes, and a struct ignores members it does not declare, so a struct whose
    /// properties include all of another's (`Campaign`, `allOf` of `SlimCampaign` and more) goes before
    /// it, or every `Campaign` would decode as a `SlimCampaign` and drop the rest. Run once every
    /// member's fields are known; the order is otherwise kept.
    pub fn order_union_members(&mut self) {
        let fields_of = |types: &BTreeMap<String, TypeDef>, t: &TypeRef| -> Option<BTreeSet<String>> {
            let mut t = t.clone();
            for _ in 0..16 {
                match &t {
                    TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
                        Some(TypeKind::Struct { fields, .. }) => {
                            return Some(fields.iter().map(|f| f.wire_name.clone()).collect());
                        }
                        Some(TypeKind::Alias(inner)) => t = inner.clone(),
                        _ => return None,
                    },
                    _ => return None,
                }
            }
            None
        };
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in names {
            let Some(TypeKind::Union { variants }) = self.types.get(&name).map(|d| &d.kind) else { continue };
            let sets: Vec<Option<BTreeSet<String>>> = variants.iter().map(|v| fields_of(&self.types, &v.ty)).collect();
            let mut order: Vec<usize> = (0..variants.len()).collect();
            // Move a strict superset before the first member it contains; n is small, so repeat until settled.
            let mut changed = true;
            let mut rounds = 0;
            while changed && rounds < 64 {
                changed = false;
                rounds += 1;
                'scan: for i in 0..order.len() {
                    for j in i + 1..order.len() {
                        let (a, b) = (&sets[order[i]], &sets[order[j]]);
                        if let (Some(a), Some(b)) = (a, b)
                            && b.len() > a.len()
                            && a.is_subset(b)
                        {
                            let moved = order.remove(j);
                            order.insert(i, moved);
                            changed = true;
                            break 'scan;
                        }
                    }
                }
            }
            if order.iter().enumerate().any(|(k, &i)| k != i)
                && let Some(TypeKind::Union { variants }) = self.types.get_mut(&name).map(|d| &mut d.kind)
            {
                let old = std::mem::take(variants);
                let mut slots: Vec<Option<UnionVariant>> = old.into_iter().map(Some).collect();
                *variants = order.iter().filter_map(|&i| slots[i].take()).collect();
            }
        }
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
