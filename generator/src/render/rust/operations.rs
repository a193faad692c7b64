//! A tag's operations file: each operation's request builder, its body, its responses and its error enum,
//! from the IR's operations.

use std::collections::BTreeSet;

use askama::Template;

use super::*;

#[derive(Template)]
#[template(path = "rust/api.rs", escape = "none")]
pub(super) struct ApiTemplate {
    pub(super) uses_models: bool,
    pub(super) tag_name: String,
    pub(super) version_title: String,
    pub(super) description_inner: String,
    pub(super) type_docs: String,
    pub(super) type_name: String,
    pub(super) ops: Vec<OpView>,
}

pub(super) struct OpView {
    pub(super) docs: String,
    pub(super) deprecated: bool,
    pub(super) fn_name: String,
    pub(super) builder: String,
    pub(super) error_enum: String,
    pub(super) args: Vec<ArgView>,
    pub(super) inits: Vec<String>,
    pub(super) fields: Vec<ArgView>,
    pub(super) setters: Vec<SetterView>,
    pub(super) ok_ty: String,
    pub(super) success_enum: Option<String>,
    pub(super) success_variants: Vec<ErrorVariantView>,
    pub(super) method: String,
    pub(super) path_expr: String,
    pub(super) accept_lit: String,
    /// The error bodies' media types `Accept` adds after the success's, weighted (`q=0.9`).
    pub(super) accept_errors_lit: Option<String>,
    /// Bound checks of parameters, run before anything is built or sent.
    pub(super) checks: Vec<FieldChecks>,
    /// The operation id, as a Rust string literal (for the decode's warnings).
    pub(super) id_lit: String,
    /// Its security alternatives (`&[&[&crate::schemes::X], ...]`), when the spec declares them.
    pub(super) security: Option<String>,
    /// The operation needs the client's opt-in to experimental operations.
    pub(super) experimental: bool,
    /// Offset pagination: `.paginate()` and `.pages()`.
    pub(super) paging: Option<PagingView>,
    /// Search-after paging: `.paginate_search()` and `.search_pages()`.
    pub(super) search: Option<SearchView>,
    /// One binary or text success: `send_stream()` too.
    pub(super) streamable: bool,
    /// A download offered in several media types whose choice a parameter makes (`fileFormat=pdf`):
    /// (its field, whether required, the media type literals).
    pub(super) accept_param: Option<(String, bool, String)>,
    /// Otherwise, the enum the caller picks the media type with.
    pub(super) format: Option<FormatView>,
    /// Query, header and cookie parameters, in spec order.
    pub(super) params: Vec<ParamView>,
    pub(super) body: Option<BodyView>,
    pub(super) arms: Vec<ArmView>,
    pub(super) error_variants: Vec<ErrorVariantView>,
}

/// A query, header or cookie parameter as the request sends it.
pub(super) struct ParamView {
    pub(super) ident: String,
    /// The `Request` method that sends it: `query`, `query_joined`, `query_deep`, `header` or `cookie`.
    pub(super) method: &'static str,
    pub(super) wire_lit: String,
    /// The encoding's last argument, if it has one: `true`/`false` (`explode`: arrays repeated or
    /// comma-joined, objects' members as parameters of their own or joined), or the delimiter of
    /// `query_joined` (`' '`).
    pub(super) explode: Option<String>,
    pub(super) required: bool,
}

/// The request body as the operation sends it.
pub(super) struct BodyView {
    pub(super) ident: String,
    pub(super) required: bool,
    /// `json`, `patch`, `text`, `form`, `multipart` (a struct's fields as parts), `entries` (a map's
    /// entries as parts), `empty-form`, or `bytes`.
    pub(super) encoding: &'static str,
    pub(super) ct_lit: String,
    /// Bound checks run on the body (`v`) before it is encoded.
    pub(super) checks: Vec<Check>,
    /// For `multipart`: the struct's fields, each a part.
    pub(super) parts: Vec<PartView>,
}

/// A multipart part: a field of the body's struct.
pub(super) struct PartView {
    pub(super) name_lit: String,
    pub(super) ident: String,
    /// Binary fields are files; the rest are text.
    pub(super) file: bool,
    pub(super) optional: bool,
    /// Required but nullable: without a value the part is still sent, empty (the server requires it).
    pub(super) always: bool,
}

/// One arm of the match on the response status.
pub(super) struct ArmView {
    /// The status pattern (`200`, `400..=499`, `_`).
    pub(super) pattern: String,
    /// `success`, or for an error status how its body is kept: `json`, `text`, `binary`, `none`;
    /// `unexpected` for the catch-all.
    pub(super) kind: &'static str,
    /// For a success: how the body is read (`json`, `empty`, `text`, `binary`).
    pub(super) decode: &'static str,
    /// For a success into the success enum, the variant's path; for an error, the variant's name.
    pub(super) variant: Option<String>,
    /// For a success variant without a payload.
    pub(super) unit: bool,
}

pub(super) struct SetterView {
    pub(super) docs: String,
    pub(super) ident: String,
    pub(super) ty: String,
    /// The field's new value, made from `value`.
    pub(super) expr: String,
}

/// The media types a download can be asked for in, as an enum (`GetReportFormat::Pdf`).
pub(super) struct FormatView {
    pub(super) name: String,
    /// (variant, media type literal, media type).
    pub(super) variants: Vec<(String, String, String)>,
}

/// A bound of a page-size parameter, as the paginators' `Option<u64>` literal (`Some(250)`, `None`).
fn bound_literal(n: &Option<serde_json::Number>) -> String {
    match n.as_ref().and_then(|n| n.as_u64()) {
        Some(m) => format!("Some({m})"),
        None => "None".into(),
    }
}

/// `application/vnd.ms-excel` -> `VndMsExcel`.
fn media_variant(media: &str) -> String {
    let sub = media.rsplit('/').next().unwrap_or(media);
    let mut out = String::new();
    for word in sub.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut c = word.chars();
        if let Some(f) = c.next() {
            out.push(f.to_ascii_uppercase());
            out.push_str(c.as_str());
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("Media{out}") } else { out }
}

/// What `.paginate_search()` and `.search_pages()` are generated from.
pub(super) struct SearchView {
    pub(super) item: String,
    pub(super) limit: String,
    pub(super) limit_ty: String,
    pub(super) maximum: String,
    /// The builder's body field, and its struct's `sort` and `searchAfter` fields.
    pub(super) body: String,
    pub(super) sort: String,
    pub(super) after: String,
}

/// What `.paginate()` and `.pages()` are generated from.
pub(super) struct PagingView {
    /// `Pages`' type arguments: the item, the error, and the page body unless it is the list.
    pub(super) generics: String,
    /// How it pages, for the method docs.
    pub(super) how: String,
    /// The first page's `Position`, from the caller's own parameters.
    pub(super) start: String,
    /// The `Limits` of the page size.
    pub(super) limits: String,
    /// Closures that borrow and take the list out of a page's body.
    pub(super) list: String,
    pub(super) into_list: String,
    /// Statements that set a page's request from `at` (its `Position`) and `limit`.
    pub(super) set: Vec<String>,
    /// The `Pages` method that picks the advance (`.by_page()`), or nothing for offsets.
    pub(super) advance: String,
    /// The fetch closure's size argument: `limit`, or `_` when the request has no size.
    pub(super) limit_arg: &'static str,
}

impl PagingView {
    fn new(op: &Operation, p: &crate::ir::Paging, error_enum: &str) -> Self {
        use crate::ir::Advance;
        let param = |i: usize| (&op.params[i].ident, ty(&op.params[i].ty, Ctx::Api));
        let int = |i: usize, from: &str| {
            let (ident, t) = param(i);
            format!("page.{ident} = Some({t}::try_from({from}).unwrap_or({t}::MAX));")
        };
        let callers =
            |i: usize, or: u64| format!("self.{}.map_or({or}, |v| u64::try_from(v).unwrap_or({or}))", param(i).0);
        // A paged response among bodiless successes: `b` is the success enum, and only its bodied
        // variant has items (or a cursor).
        let on = |expr: String, otherwise: &str| match &p.variant {
            Some(v) => format!("match b {{ {}Response::{v}(b) => {expr}, _ => {otherwise} }}", op.type_prefix),
            None => expr,
        };
        let mut set = Vec::new();
        let (start, advance) = match &p.advance {
            Advance::Offset(o) => {
                set.push(int(*o, "at.offset"));
                (format!("offset: {}, ..Default::default()", callers(*o, 0)), String::new())
            }
            Advance::Page { param: i, first } => {
                set.push(int(*i, "at.page"));
                (format!("page: {}, ..Default::default()", callers(*i, *first)), ".by_page()".into())
            }
            Advance::Cursor { param: i, next } => {
                set.push(format!("page.{} = at.after.clone();", param(*i).0));
                (
                    format!("after: self.{}.clone(), ..Default::default()", param(*i).0),
                    format!(".by_cursor(|b| {})", on(path_expr(next, Want::Str), "None")),
                )
            }
            Advance::AfterLast { param: i, id, more } => {
                set.push(format!("page.{} = at.after.clone();", param(*i).0));
                let id = if id.optional {
                    format!("item.{}.clone()", id.ident)
                } else {
                    format!("Some(item.{}.clone())", id.ident)
                };
                let advance = format!(".after_last(|item| {id}, |b| {})", on(path_expr(more, Want::Bool), "false"));
                (format!("after: self.{}.clone(), ..Default::default()", param(*i).0), advance)
            }
        };
        let limits = match p.size {
            Some(i) => {
                set.push(int(i, "limit"));
                let b = &op.params[i].bounds;
                format!(
                    "crate::pagination::Limits {{ asked: self.{}.and_then(|l| u64::try_from(l).ok()), minimum: {}, maximum: {}, sized: true }}",
                    param(i).0,
                    bound_literal(&b.minimum),
                    bound_literal(&b.maximum)
                )
            }
            None => "crate::pagination::Limits::default()".into(),
        };
        // The body is the list itself (`Vec<T>`, `Pages`' default body type), or holds it.
        let bare = p.items.is_empty() && p.variant.is_none();
        let (list, into_list) = if bare {
            ("Vec::as_slice".to_string(), "std::convert::identity".to_string())
        } else {
            let borrowed =
                if p.items.is_empty() { "b.as_slice()".to_string() } else { path_expr(&p.items, Want::List) };
            (
                format!("|b| {}", on(borrowed, "&[]")),
                format!("|b| {}", on(path_expr(&p.items, Want::Owned), "Vec::new()")),
            )
        };
        let item = ty(&p.item, Ctx::Api);
        let generics = match (&p.variant, bare) {
            (_, true) => format!("{item}, {error_enum}"),
            (Some(_), false) => format!("{item}, {error_enum}, {}Response", op.type_prefix),
            (None, false) => format!("{item}, {error_enum}, {}", ty(&p.body, Ctx::Api)),
        };
        PagingView {
            generics,
            how: p.how(&op.params),
            start: format!("crate::pagination::Position {{ {start} }}"),
            limits,
            list,
            into_list,
            set,
            advance,
            limit_arg: if p.size.is_some() { "limit" } else { "_" },
        }
    }
}

/// What a path through a page's body reads.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    /// The list, borrowed (`&[T]`, empty when absent).
    List,
    /// The list, taken out (`Vec<T>`).
    Owned,
    /// A string, borrowed (`Option<&str>`).
    Str,
    /// A boolean, `false` when absent.
    Bool,
}

/// An expression on `b` (a page's body) that reads what `want` says along `path`, through the
/// `Option`s on the way: `b.data.as_ref().and_then(|x| x.items.as_deref()).unwrap_or(&[])`.
fn path_expr(path: &[crate::ir::Step], want: Want) -> String {
    let Some((last, prefix)) = path.split_last() else { return "b".into() };
    let owned = want == Want::Owned;
    let (mut expr, mut opt) = ("b".to_string(), false);
    for s in prefix {
        let f = &s.ident;
        expr = match (opt, s.optional, owned) {
            (false, false, _) => format!("{expr}.{f}"),
            (false, true, true) => format!("{expr}.{f}"),
            (false, true, false) => format!("{expr}.{f}.as_ref()"),
            (true, true, true) => format!("{expr}.and_then(|x| x.{f})"),
            (true, true, false) => format!("{expr}.and_then(|x| x.{f}.as_ref())"),
            (true, false, true) => format!("{expr}.map(|x| x.{f})"),
            (true, false, false) => format!("{expr}.map(|x| &x.{f})"),
        };
        opt |= s.optional;
    }
    let f = &last.ident;
    match (want, opt, last.optional) {
        (Want::List, false, true) => format!("{expr}.{f}.as_deref().unwrap_or(&[])"),
        (Want::List, false, false) => format!("{expr}.{f}.as_slice()"),
        (Want::List, true, true) => format!("{expr}.and_then(|x| x.{f}.as_deref()).unwrap_or(&[])"),
        (Want::List, true, false) => format!("{expr}.map(|x| x.{f}.as_slice()).unwrap_or(&[])"),
        (Want::Owned, false, true) => format!("{expr}.{f}.unwrap_or_default()"),
        (Want::Owned, false, false) => format!("{expr}.{f}"),
        (Want::Owned, true, true) => format!("{expr}.and_then(|x| x.{f}).unwrap_or_default()"),
        (Want::Owned, true, false) => format!("{expr}.map(|x| x.{f}).unwrap_or_default()"),
        (Want::Str, false, true) => format!("{expr}.{f}.as_deref()"),
        (Want::Str, false, false) => format!("Some({expr}.{f}.as_str())"),
        (Want::Str, true, true) => format!("{expr}.and_then(|x| x.{f}.as_deref())"),
        (Want::Str, true, false) => format!("{expr}.map(|x| x.{f}.as_str())"),
        (Want::Bool, false, true) => format!("{expr}.{f} == Some(true)"),
        (Want::Bool, false, false) => format!("{expr}.{f}"),
        (Want::Bool, true, true) => format!("{expr}.and_then(|x| x.{f}) == Some(true)"),
        (Want::Bool, true, false) => format!("{expr}.is_some_and(|x| x.{f})"),
    }
}

/// A constant parameter value as its docs show it.
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) struct ErrorVariantView {
    pub(super) docs: String,
    pub(super) ident: String,
    pub(super) payload: String,
    pub(super) pattern: String,
    pub(super) display_lit: String,
}

/// The operation's method documentation.
pub(super) fn op_doc(op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(s) = &op.summary {
        doc.push_str(s.trim());
        doc.push_str("\n\n");
    }
    if let Some(p) = &op.paging {
        let how = p.how(&op.params);
        doc.push_str(&format!(
            "**Paginated:** `.paginate()` on the request streams every item, {how}; `.pages()` streams the pages.\n\n"
        ));
    }
    if op.experimental() {
        doc.push_str("**Experimental:** the client must opt in with `ClientBuilder::experimental(true)`; without it this returns `Error::Config` before anything is sent.\n\n");
    }
    if let Some(d) = &op.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}` (operation `{}`).", op.method.as_str(), op.path, op.id));
    let args: Vec<String> =
        op.params
            .iter()
            .filter(|p| p.positional())
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

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a parameter or body type is taken as `impl Into<String>`.
pub(super) fn into_string(t: &TypeRef) -> bool {
    matches!(t, TypeRef::String)
}

pub(super) fn op_view(api: &Api, op: &Operation, set: &BTreeSet<String>) -> OpView {
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
            checks.push(FieldChecks { ident: p.ident.clone(), optional: !p.required, checks: check });
        }
        if let Some(value) = p.constant.as_ref().filter(|_| p.required) {
            // Sent without being asked for; a setter can change it.
            let init = match value {
                serde_json::Value::String(s) => format!("{}.to_string()", rust_str(s)),
                other => other.to_string(),
            };
            inits.push(format!("{}: {init}", p.ident));
            fields.push(ArgView { ident: p.ident.clone(), ty: t.clone() });
            let (setter_ty, expr) = if into_string(&p.ty) {
                ("impl Into<String>".to_string(), "value.into()".to_string())
            } else {
                (t, "value".to_string())
            };
            let mut d = p
                .description
                .clone()
                .unwrap_or_else(|| format!("The `{}` {} parameter.", p.wire_name, p.location.as_str()));
            d.push_str(&format!(
                "\n\nSent as the `{}` {} parameter, `{}` unless set here.",
                p.wire_name,
                p.location.as_str(),
                value_text(value)
            ));
            setters.push(SetterView { docs: doc_comment(&d, 4), ident: p.ident.clone(), ty: setter_ty, expr });
        } else if p.required {
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
            setters.push(SetterView {
                docs: doc_comment(&d, 4),
                ident: p.ident.clone(),
                ty: setter_ty,
                expr: format!("Some({expr})"),
            });
        }
    }
    let mut body_stmt = None;
    if let Some(b) = &op.body {
        let t = ty(&b.ty, Ctx::Api);
        let ct = rust_str(&b.media_type);
        let patch = b.encoding == BodyEncoding::JsonPatch;
        let t = if patch { "crate::patch::JsonPatch".to_string() } else { t };
        if b.required {
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
        } else {
            inits.push(format!("{}: None", b.ident));
            fields.push(ArgView { ident: b.ident.clone(), ty: format!("Option<{t}>") });
            setters.push(SetterView {
                docs: doc_comment(b.description.as_deref().unwrap_or("The request body."), 4),
                ident: b.ident.clone(),
                ty: t.clone(),
                expr: "Some(value)".into(),
            });
        }
        let mut parts = Vec::new();
        let encoding = match b.encoding {
            BodyEncoding::Json => "json",
            BodyEncoding::JsonPatch => "patch",
            BodyEncoding::Text => "text",
            BodyEncoding::Form => "form",
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
                    None => "entries",
                    // A struct without fields: an empty form.
                    Some(fields) if fields.is_empty() => "empty-form",
                    Some(fields) => {
                        parts = fields
                            .iter()
                            .map(|f| PartView {
                                name_lit: rust_str(&f.wire_name),
                                ident: f.ident.clone(),
                                file: f.ty == TypeRef::Bytes,
                                optional: f.optional(),
                                always: f.required && f.nullable,
                            })
                            .collect();
                        "multipart"
                    }
                }
            }
            _ => "bytes",
        };
        // A body with bounds is checked before anything is encoded or sent.
        let checks = value_checks(&b.ty, &crate::ir::Bounds::default(), None, set);
        body_stmt =
            Some(BodyView { ident: b.ident.clone(), required: b.required, encoding, ct_lit: ct, checks, parts });
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
                let function = match param.path_style {
                    crate::ir::PathStyle::Simple => "path_segment",
                    crate::ir::PathStyle::Label => "path_label",
                    crate::ir::PathStyle::Matrix => "path_matrix",
                };
                fmt_args.push(format!(
                    "crate::client::{function}({}, &self.{}, {})?",
                    rust_str(&param.wire_name),
                    param.ident,
                    param.explode
                ));
            }
        }
    }
    let path_expr = if fmt_args.is_empty() {
        format!("{}.to_string()", rust_str(&fmt))
    } else {
        format!("format!({}, {})", rust_str(&fmt), fmt_args.join(", "))
    };
    // The security alternatives, as a Rust constant expression over the crate's `schemes`; those
    // naming a scheme the spec does not declare (a warning when lowered) cannot be met and are left out.
    let declared = |name: &str| api.security_schemes.iter().find(|s| s.name == name);
    let alternatives: Vec<String> = op
        .security
        .iter()
        .filter(|alt| alt.schemes.iter().all(|(name, _)| declared(name).is_some()))
        .map(|alt| {
            let schemes: Vec<String> = alt
                .schemes
                .iter()
                .filter_map(|(name, _)| declared(name))
                .map(|s| format!("&crate::schemes::{}", scheme_const(s)))
                .collect();
            format!("&[{}]", schemes.join(", "))
        })
        .collect();
    let security = (!alternatives.is_empty()).then(|| format!("&[{}]", alternatives.join(", ")));
    let params: Vec<ParamView> = op
        .params
        .iter()
        .filter_map(|p| {
            let (method, explode) = match p.location {
                ParamLocation::Query if p.deep_object => ("query_deep", None),
                ParamLocation::Query if !p.explode && p.delimiter != ',' => {
                    ("query_joined", Some(format!("{:?}", p.delimiter)))
                }
                ParamLocation::Query => ("query", Some(p.explode.to_string())),
                ParamLocation::Header => ("header", Some(p.explode.to_string())),
                ParamLocation::Cookie => ("cookie", None),
                ParamLocation::Path => return None,
            };
            Some(ParamView {
                ident: p.ident.clone(),
                method,
                wire_lit: rust_str(&p.wire_name),
                explode,
                required: p.required,
            })
        })
        .collect();
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
        ResponseEncoding::Empty => "empty",
        ResponseEncoding::Json => "json",
        ResponseEncoding::Text => "text",
        ResponseEncoding::Binary => "binary",
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
    // Error bodies in a media type the success does not have (a CSV download whose errors are JSON):
    // `Accept` names them too, weighted lower, so a negotiating server may send them.
    let mut error_media: Vec<String> = Vec::new();
    for r in op.responses.iter().filter(|r| !r.status.is_success()) {
        if let Some(m) = &r.media_type
            && *m != accept
            && !op.success().is_some_and(|s| s.alternatives.contains(m))
            && !error_media.contains(m)
        {
            error_media.push(m.clone());
        }
    }
    let accept_errors_lit = (!error_media.is_empty())
        .then(|| rust_str(&error_media.iter().map(|m| format!("{m};q=0.9")).collect::<Vec<_>>().join(", ")));
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
            arms.push(ArmView {
                pattern: pat,
                kind: "success",
                decode: decode(r),
                variant: success_enum.as_ref().map(|name| format!("{name}::{}", r.variant)),
                unit: payload(r) == "()",
            });
            continue;
        }
        let label = format!("{} {}", r.status.label(), one_line(&r.description));
        let (payload, pattern, kind) = match (r.encoding, &r.ty) {
            (ResponseEncoding::Json, Some(t)) => (format!("({})", ty(t, Ctx::Api)), "(_)".to_string(), "json"),
            (ResponseEncoding::Text, _) => ("(String)".to_string(), "(_)".to_string(), "text"),
            (ResponseEncoding::Binary, _) => ("(bytes::Bytes)".to_string(), "(_)".to_string(), "binary"),
            _ => (String::new(), String::new(), "none"),
        };
        arms.push(ArmView { pattern: pat, kind, decode: "", variant: Some(r.variant.clone()), unit: false });
        error_variants.push(ErrorVariantView {
            docs: doc_comment(&format!("`{}`: {}", r.status.label(), r.description.trim()), 4),
            ident: r.variant.clone(),
            payload,
            pattern,
            display_lit: rust_str(&label),
        });
    }
    if !has_default {
        arms.push(ArmView { pattern: "_".into(), kind: "unexpected", decode: "", variant: None, unit: false });
    }
    // A download in several media types: a parameter whose values name them picks `Accept`
    // (`fileFormat=pdf`); without one, the caller picks with `.response_format(..)`.
    let alternatives = op.success().map(|r| r.alternatives.clone()).unwrap_or_default();
    let subtype = |m: &str| m.rsplit('/').next().unwrap_or(m).to_ascii_lowercase();
    let media_lits = alternatives.iter().map(|m| rust_str(m)).collect::<Vec<_>>().join(", ");
    let driver = (!alternatives.is_empty())
        .then(|| {
            op.params.iter().find(|p| {
                let values: Vec<String> = match &p.ty {
                    TypeRef::Named(n) => match api.type_named(n).map(|d| &d.kind) {
                        Some(TypeKind::Enum { variants }) => {
                            variants.iter().map(|v| v.wire.to_ascii_lowercase()).collect()
                        }
                        _ => vec![],
                    },
                    _ => vec![],
                };
                !values.is_empty() && values.iter().all(|v| alternatives.iter().any(|m| subtype(m) == *v))
            })
        })
        .flatten();
    let accept_param = driver.map(|p| (p.ident.clone(), p.required, format!("&[{media_lits}]")));
    let format = (driver.is_none() && !alternatives.is_empty()).then(|| {
        let name = format!("{}Format", op.type_prefix);
        let mut variants: Vec<(String, String, String)> = Vec::new();
        for m in &alternatives {
            let mut ident = media_variant(m);
            if variants.iter().any(|(v, _, _)| *v == ident) {
                ident = format!("{ident}{}", variants.len() + 1);
            }
            variants.push((ident, rust_str(m), m.clone()));
        }
        fields.push(ArgView { ident: "response_format".into(), ty: format!("Option<{name}>") });
        inits.push("response_format: None".into());
        let listed: Vec<String> = alternatives.iter().map(|m| format!("`{m}`")).collect();
        setters.push(SetterView {
            docs: doc_comment(
                &format!(
                    "The media type to ask for ({}); `{}` if not set. `Accept` follows it.",
                    listed.join(", "),
                    accept
                ),
                4,
            ),
            ident: "response_format".into(),
            ty: name.clone(),
            expr: "Some(value)".into(),
        });
        FormatView { name, variants }
    });
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
        accept_errors_lit,
        success_enum,
        success_variants,
        id_lit: rust_str(&op.id),
        security,
        experimental: op.experimental(),
        accept_param,
        format,
        streamable: payloads.len() <= 1
            && matches!(&op.successes()[..], [r] if matches!(r.encoding, crate::ir::ResponseEncoding::Binary | crate::ir::ResponseEncoding::Text)),
        search: op.search_after_paging(&|n| api.type_named(n)).map(|(limit, sort, after, item)| SearchView {
            item: ty(item, Ctx::Api),
            limit: limit.ident.clone(),
            limit_ty: ty(&limit.ty, Ctx::Api),
            maximum: bound_literal(&limit.bounds.maximum),
            body: op.body.as_ref().map(|b| b.ident.clone()).unwrap_or_default(),
            sort: sort.ident.clone(),
            after: after.ident.clone(),
        }),
        paging: op.paging.as_ref().map(|p| PagingView::new(op, p, &format!("{}Error", op.type_prefix))),
        params,
        body: body_stmt,
        arms,
        error_variants,
    }
}
