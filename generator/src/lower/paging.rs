//! Paging: which list operations get `.paginate()` and `.pages()`, and how they move from page to
//! page. It runs on the lowered IR (parameters, responses, types), after every type is known.
//!
//! The rules, applied to each operation with an optional query parameter that pages:
//! - **What moves it.** An integer `offset` (items before the page), else an integer `page` (a page
//!   number, from 0 when its `minimum` is 0, else from 1), else a string cursor (`cursor`, `after`,
//!   `starting_after`, `next_token`, `page_token`, ...). A page-size parameter (`limit`, `page_size`,
//!   `per_page`, `pageSize`, `size`) is used when there is one; offset paging needs one.
//! - **Where the items are.** The one success with a body (others without one, like a `204` for no
//!   items, are empty pages) is a JSON array, or an object holding one list nearest its top on a path
//!   of object fields (`data`, `items`, `albums.items`, `data.affected_items`). When several lists are
//!   equally near, the settings' `pagination.items` name the one to take (or `pagination.ignore` the
//!   others); an object answered by a path that ends in a parameter (`/volumes/{id}`) is one resource,
//!   not a page, unless the settings name its list.
//! - **Where a cursor comes from.** The body's one string field named like the parameter or `next_`
//!   and the parameter (`next_token`, `pages.next.starting_after`, `cursors.after`, `next_cursor`);
//!   else, with a boolean `has_more`, the last item's `id`.
//!
//! Anything else gets no paginator, and [`Operation::unpaged`] says why (the README's table lists them).

use crate::ir::{Advance, Api, Operation, Paging, ParamLocation, ResponseEncoding, Step, TypeKind, TypeRef, dotted};

/// What the generator settings say about paging (`pagination:` in the settings file).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingSettings {
    /// Where the list is when a body holds several (dotted wire names, `data.affected_items`): the
    /// first of these paths that the body has.
    #[serde(default)]
    pub items: Vec<String>,
    /// Paths that are never the list (Xero's `Warnings`, Wazuh's `data.failed_items`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Operation ids that get no paginator.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// Names of a page-size parameter.
const SIZES: &[&str] = &["limit", "page_size", "pageSize", "per_page", "perPage", "size", "pagesize"];
/// Names of a page-number parameter.
const PAGES: &[&str] = &["page", "page_number", "pageNumber"];
/// Names of a cursor parameter.
const CURSORS: &[&str] = &[
    "cursor",
    "after",
    "starting_after",
    "startingAfter",
    "next_token",
    "nextToken",
    "page_token",
    "pageToken",
    "next_page_token",
    "continuation_token",
    "continuationToken",
];
/// How deep a list or a cursor may sit in a body.
const DEPTH: usize = 3;

/// Decides every operation's paging.
pub fn assign(api: &mut Api, settings: &PagingSettings) {
    let decisions: Vec<Option<Result<Paging, String>>> =
        api.operations.iter().map(|op| decide(op, api, settings)).collect();
    for (op, decision) in api.operations.iter_mut().zip(decisions) {
        match decision {
            Some(Ok(p)) => op.paging = Some(p),
            Some(Err(why)) => op.unpaged = Some(why),
            None => {}
        }
    }
}

/// `None`: the operation takes no paging parameter; else its paging, or why it has none.
fn decide(op: &Operation, api: &Api, settings: &PagingSettings) -> Option<Result<Paging, String>> {
    let query = |names: &[&str], integer: bool| {
        op.params.iter().position(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && names.contains(&p.wire_name.as_str())
                && if integer { matches!(p.ty, TypeRef::Integer(_)) } else { p.ty == TypeRef::String }
        })
    };
    let (offset, page, cursor) = (query(&["offset"], true), query(PAGES, true), query(CURSORS, false));
    if offset.is_none() && page.is_none() && cursor.is_none() {
        return None;
    }
    if settings.skip.contains(&op.id) {
        return Some(Err("the generator settings skip it".into()));
    }
    Some(paging(op, api, settings, (offset, page, cursor), query(SIZES, true)))
}

fn paging(
    op: &Operation,
    api: &Api,
    settings: &PagingSettings,
    (offset, page, cursor): (Option<usize>, Option<usize>, Option<usize>),
    size: Option<usize>,
) -> Result<Paging, String> {
    // One success with a body; others without one (a `204` for no items) are empty pages.
    let successes = op.successes();
    let bodied: Vec<_> = successes.iter().filter(|r| r.encoding != ResponseEncoding::Empty).collect();
    let [success] = bodied[..] else {
        return Err(format!("it has {} success responses with a body, not one", bodied.len()));
    };
    let variant = (successes.len() > 1).then(|| success.variant.clone());
    let body = match (&success.encoding, &success.ty) {
        (ResponseEncoding::Json, Some(ty)) => ty.clone(),
        _ => return Err("its success is not a JSON body".into()),
    };
    let (items, item) = list_in(op, api, settings, &body)?;
    let advance = if let Some(o) = offset {
        if size.is_none() {
            return Err("it has `offset` but no page-size parameter, so the next offset is unknown".into());
        }
        Advance::Offset(o)
    } else if let Some(p) = page {
        let zero = op.params[p].bounds.minimum.as_ref().and_then(|m| m.as_u64()) == Some(0);
        Advance::Page { param: p, first: u64::from(!zero) }
    } else {
        let param = cursor.unwrap_or_default();
        let name = &op.params[param].wire_name;
        let wanted = [name.clone(), format!("next_{name}")];
        let found = paths(api, &body, DEPTH, &|f, t| *t == TypeRef::String && wanted.contains(&f.wire_name));
        match &found[..] {
            [next] => Advance::Cursor { param, next: next.clone() },
            [] => after_last(api, &body, &item, param)
                .ok_or_else(|| format!("the body says nowhere where the page after it starts (no `{name}` field, nor `has_more` with items that have an `id`)"))?,
            many => return Err(format!("the body has {} fields that could be the next `{name}`: {}", many.len(), shown(many))),
        }
    };
    Ok(Paging { advance, size, items, item, body, variant })
}

/// The path to the body's list and its item type.
fn list_in(
    op: &Operation,
    api: &Api,
    settings: &PagingSettings,
    body: &TypeRef,
) -> Result<(Vec<Step>, TypeRef), String> {
    if let TypeRef::Array(item) = resolved(api, body) {
        return Ok((Vec::new(), (**item).clone()));
    }
    let mut lists = paths(api, body, DEPTH, &|_, t| matches!(t, TypeRef::Array(_)));
    lists.retain(|p| !settings.ignore.contains(&dotted(p)));
    // The lists nearest the top: a wrapper's own list, not the lists inside the resources beside it.
    let nearest = lists.iter().map(Vec::len).min().unwrap_or_default();
    let named = settings.items.iter().find_map(|want| lists.iter().find(|p| dotted(p) == *want)).cloned();
    lists.retain(|p| p.len() == nearest);
    if lists.is_empty() {
        return Err("its body holds no list".into());
    }
    let path = match (named, &lists[..]) {
        (Some(p), _) => p,
        (None, [one]) if !op.path.ends_with('}') => one.clone(),
        (None, [_]) => {
            return Err("its path ends in a parameter and its body is an object: one resource, not a page".into());
        }
        (None, many) => {
            return Err(format!(
                "its body holds {} lists ({}): name one in the settings' `pagination.items`, or the others in `pagination.ignore`",
                many.len(),
                shown(many)
            ));
        }
    };
    let item = field_ty(api, body, &path).and_then(|t| match resolved(api, &t).clone() {
        TypeRef::Array(item) => Some((*item).clone()),
        _ => None,
    });
    item.map(|i| (path, i)).ok_or_else(|| "its list could not be found again".into())
}

/// With a boolean `has_more` in the body and an `id` string on each item: the cursor is the last item's `id`.
fn after_last(api: &Api, body: &TypeRef, item: &TypeRef, param: usize) -> Option<Advance> {
    let more = paths(api, body, DEPTH, &|f, t| *t == TypeRef::Boolean && f.wire_name == "has_more");
    let [more] = &more[..] else { return None };
    let TypeRef::Named(n) = resolved(api, item) else { return None };
    let TypeKind::Struct { fields, .. } = &api.type_named(n)?.kind else { return None };
    let id = fields.iter().find(|f| f.wire_name == "id" && f.ty == TypeRef::String)?;
    let id = Step { wire_name: id.wire_name.clone(), ident: id.ident.clone(), optional: id.optional() };
    Some(Advance::AfterLast { param, id, more: more.clone() })
}

/// Every path of struct fields from `ty`, at most `depth` fields long, to a field `wanted` accepts with
/// its type, aliases seen through (not through lists, maps or unions).
fn paths(
    api: &Api,
    ty: &TypeRef,
    depth: usize,
    wanted: &dyn Fn(&crate::ir::Field, &TypeRef) -> bool,
) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let TypeRef::Named(n) = resolved(api, ty) else { return out };
    let Some(TypeKind::Struct { fields, .. }) = api.type_named(n).map(|t| &t.kind) else { return out };
    for f in fields {
        let step = Step { wire_name: f.wire_name.clone(), ident: f.ident.clone(), optional: f.optional() };
        if wanted(f, resolved(api, &f.ty)) {
            out.push(vec![step.clone()]);
        } else if depth > 1 {
            for mut rest in paths(api, &f.ty, depth - 1, wanted) {
                rest.insert(0, step.clone());
                out.push(rest);
            }
        }
    }
    out
}

/// The type of the field at `path` from `ty`.
fn field_ty(api: &Api, ty: &TypeRef, path: &[Step]) -> Option<TypeRef> {
    let (first, rest) = path.split_first()?;
    let TypeRef::Named(n) = resolved(api, ty) else { return None };
    let TypeKind::Struct { fields, .. } = &api.type_named(n)?.kind else { return None };
    let f = fields.iter().find(|f| f.wire_name == first.wire_name)?;
    if rest.is_empty() { Some(f.ty.clone()) } else { field_ty(api, &f.ty, rest) }
}

/// `ty` with aliases seen through (a named `Vec<T>` is a list).
fn resolved<'a>(api: &'a Api, mut ty: &'a TypeRef) -> &'a TypeRef {
    for _ in 0..16 {
        match ty {
            TypeRef::Named(n) => match api.type_named(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

fn shown(paths: &[Vec<Step>]) -> String {
    paths.iter().map(|p| format!("`{}`", dotted(p))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(settings: &PagingSettings) -> Api {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/paging.yaml");
        let bytes = std::fs::read(path).expect("the paging fixture");
        let doc = crate::parse::parse_in("paging.yaml", &bytes, None).expect("parses");
        let mut api = crate::lower::lower(&doc, "paging").expect("lowers");
        assign(&mut api, settings);
        api
    }

    fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
        api.operations.iter().find(|o| o.id == id).expect("the operation")
    }

    #[test]
    fn each_way_of_paging_is_found_from_the_spec() {
        let api = lowered(&PagingSettings::default());
        let kind = |id: &str| op(&api, id).paging.as_ref().map(|p| (p.advance.clone(), dotted(&p.items)));
        let param = |id: &str, name: &str| op(&api, id).params.iter().position(|p| p.wire_name == name).unwrap();
        assert_eq!(
            kind("listBoxes"),
            Some((Advance::Page { param: param("listBoxes", "page"), first: 1 }, "data".into()))
        );
        let Some((Advance::Cursor { next, .. }, items)) = kind("listCrates") else {
            panic!("{:?}", kind("listCrates"))
        };
        assert_eq!((dotted(&next), items.as_str()), ("next_token".into(), "crates"));
        let Some((Advance::Cursor { next, .. }, _)) = kind("listBins") else { panic!("{:?}", kind("listBins")) };
        assert_eq!(dotted(&next), "pages.next.starting_after");
        let Some((Advance::AfterLast { id, more, .. }, _)) = kind("listJars") else { panic!("{:?}", kind("listJars")) };
        assert_eq!((id.wire_name.as_str(), dotted(&more)), ("id", "has_more".into()));
        assert_eq!(op(&api, "listTins").paging.as_ref().map(|p| p.size), Some(None), "a page number alone");
        // Two lists, and one resource with paging parameters: no paginator, and the reason.
        let why = |id: &str| op(&api, id).unpaged.clone().unwrap_or_default();
        assert!(
            why("listCans").contains("2 lists (`data.affected_items`, `data.failed_items`)"),
            "{}",
            why("listCans")
        );
        assert!(why("getTin").contains("one resource"), "{}", why("getTin"));
        assert!(op(&api, "getTin").paging.is_none() && op(&api, "listCans").paging.is_none());
    }

    #[test]
    fn the_settings_name_the_list_and_skip_operations() {
        let settings = PagingSettings {
            items: vec!["data.affected_items".into()],
            skip: vec!["listBoxes".into()],
            ..Default::default()
        };
        let api = lowered(&settings);
        let cans = op(&api, "listCans").paging.as_ref().expect("paged with the settings' list");
        assert_eq!(dotted(&cans.items), "data.affected_items");
        assert!(matches!(cans.advance, Advance::Offset(_)));
        assert!(op(&api, "listBoxes").paging.is_none());
        assert_eq!(op(&api, "listBoxes").unpaged.as_deref(), Some("the generator settings skip it"));
        let ignored = lowered(&PagingSettings { ignore: vec!["data.failed_items".into()], ..Default::default() });
        let cans = op(&ignored, "listCans").paging.as_ref().expect("the one list left");
        assert_eq!(dotted(&cans.items), "data.affected_items");
    }
}
