//! Paths and operations -> [`Operation`]s: parameters by location, the request body, responses by status.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::names::{self, Scope};
use super::types::TypeLowerer;
use crate::diagnostics::WarningKind;
use crate::error::{SpecError, escape_pointer};
use crate::ir::{
    BodyEncoding, Method, Operation, Param, ParamLocation, PathPart, RequestBody, Response, ResponseEncoding, Status,
    TypeRef,
};
use crate::parse::Document;

/// Lowers every operation of the document, in path order, then method order. An operation with an error
/// is left out and its error added to `errors`, so one run reports them all.
pub fn lower_operations(doc: &Document, types: &mut TypeLowerer<'_>, errors: &mut Vec<SpecError>) -> Vec<Operation> {
    let api = &doc.openapi;
    let mut ops = Vec::new();
    let mut fn_scope = Scope::default();
    let mut ids = BTreeSet::new();
    for (path, item) in api.paths.paths.iter() {
        let ppointer = format!("/paths/{}", escape_pointer(path));
        let item =
            match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    errors.push(doc.error(
                        &ppointer,
                        format!("path item $ref `{reference}` is not supported; inline the path item"),
                    ));
                    continue;
                }
            };
        let methods = [
            (Method::Get, "get", &item.get),
            (Method::Put, "put", &item.put),
            (Method::Post, "post", &item.post),
            (Method::Delete, "delete", &item.delete),
            (Method::Options, "options", &item.options),
            (Method::Head, "head", &item.head),
            (Method::Patch, "patch", &item.patch),
            (Method::Trace, "trace", &item.trace),
        ];
        for (method, mname, op) in methods {
            let Some(op) = op else { continue };
            match lower_operation(doc, types, &mut fn_scope, &mut ids, (path, item, &ppointer), (method, mname, op)) {
                Ok(op) => ops.push(op),
                Err(e) => errors.push(e),
            }
        }
    }
    ops
}

/// Lowers one operation; `fn_scope` and `ids` hold the names the operations before it took.
fn lower_operation(
    doc: &Document,
    types: &mut TypeLowerer<'_>,
    fn_scope: &mut Scope,
    ids: &mut BTreeSet<String>,
    (path, item, ppointer): (&str, &openapiv3::PathItem, &str),
    (method, mname, op): (Method, &str, &openapiv3::Operation),
) -> Result<Operation, SpecError> {
    let api = &doc.openapi;
    let opointer = format!("{ppointer}/{mname}");
    let id = op.operation_id.clone().unwrap_or_else(|| format!("{mname} {path}"));
    if !ids.insert(id.clone()) {
        return Err(doc.error(&format!("{opointer}/operationId"), format!("duplicate operationId `{id}`")));
    }
    let fn_name = names::snake_ident(&id);
    if fn_scope.contains(&fn_name) {
        return Err(doc.error(
            &format!("{opointer}/operationId"),
            format!("operationId `{id}` becomes the Rust name `{fn_name}`, which another operation already has"),
        ));
    }
    fn_scope.claim(&fn_name);
    let type_prefix = names::type_name(&id);
    let mut op_ir = Operation {
        id: id.clone(),
        fn_name,
        type_prefix: type_prefix.clone(),
        method,
        path: path.to_string(),
        path_parts: Vec::new(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        tag: op.tags.first().cloned().unwrap_or_else(|| "default".to_string()),
        params: Vec::new(),
        body: None,
        responses: Vec::new(),
        security: Vec::new(),
        paging: None,
        unpaged: None,
    };
    // Parameters: the path item's, overridden by the operation's with the same name and location.
    let mut raw: Vec<(Parameter, String)> = Vec::new();
    for (i, p) in item.parameters.iter().enumerate() {
        raw.push(resolve_param(doc, p, &format!("{ppointer}/parameters/{i}"))?);
    }
    for (i, p) in op.parameters.iter().enumerate() {
        let (p, ptr) = resolve_param(doc, p, &format!("{opointer}/parameters/{i}"))?;
        let key = (p.parameter_data_ref().name.clone(), location(&p));
        raw.retain(|(q, _)| (q.parameter_data_ref().name.clone(), location(q)) != key);
        raw.push((p, ptr));
    }
    let mut pscope = Scope::with(BUILDER_METHODS);
    let mut params = Vec::new();
    for (p, ptr) in &raw {
        params.push(lower_param(doc, types, p, ptr, &type_prefix, &mut pscope)?);
    }
    let parts = split_template(doc, path, &opointer)?;
    let pointers: Vec<&str> = raw.iter().map(|(_, ptr)| ptr.as_str()).collect();
    reconcile_path_params(types, path, &template_vars(&parts), &opointer, &pointers, &mut params, &mut pscope);
    // Path parameters first, in the order the template names them.
    let order = param_order(doc, path, &parts, &params, &opointer)?;
    let mut ordered: Vec<Param> = order.iter().map(|&i| params[i].clone()).collect();
    ordered.extend(params.iter().enumerate().filter(|(i, _)| !order.contains(i)).map(|(_, p)| p.clone()));
    for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !order.iter().any(|&i| params[i].wire_name == p.wire_name) {
            types.warn(
                WarningKind::PathParameterNotInTemplate,
                &opointer,
                format!(
                    "path parameter `{}` does not appear in the path template `{path}`; it is ignored",
                    p.wire_name
                ),
            );
        }
    }
    ordered.retain(|p| p.location != ParamLocation::Path || order.iter().any(|&i| params[i].wire_name == p.wire_name));
    op_ir.path_parts = parts
        .into_iter()
        .map(|part| match part {
            RawPart::Lit(s) => PathPart::Literal(s),
            RawPart::Param(name) => PathPart::Param(
                ordered.iter().position(|p| p.wire_name == name && p.location == ParamLocation::Path).unwrap_or(0),
            ),
        })
        .collect();
    op_ir.params = ordered;

    if let Some(body) = &op.request_body {
        op_ir.body = Some(lower_body(doc, types, body, &format!("{opointer}/requestBody"), &type_prefix)?);
    }
    op_ir.responses = lower_responses(doc, types, &op.responses, &opointer, &type_prefix)?;
    let security = op.security.as_ref().or(api.security.as_ref());
    if let Some(reqs) = security {
        if reqs.is_empty() {
            // `security: []`: explicitly no credentials.
            op_ir.security.push(crate::ir::SecurityAlternative { schemes: Vec::new() });
        }
        for req in reqs {
            let mut schemes = Vec::new();
            for (scheme, scopes) in req {
                check_scopes(doc, types, scheme, scopes, &format!("{opointer}/security"));
                schemes.push((scheme.clone(), scopes.clone()));
            }
            op_ir.security.push(crate::ir::SecurityAlternative { schemes });
        }
    }
    Ok(op_ir)
}

/// Tolerated: a security requirement naming a scheme or OAuth scopes the spec does not declare.
fn check_scopes(doc: &Document, types: &mut TypeLowerer<'_>, scheme: &str, scopes: &[String], pointer: &str) {
    let declared = doc.openapi.components.as_ref().and_then(|c| c.security_schemes.get(scheme));
    let Some(ReferenceOr::Item(declared)) = declared else {
        types.warn(
            WarningKind::UndeclaredSecurityScheme,
            pointer,
            format!("security scheme `{scheme}` is not declared in components; ignored"),
        );
        return;
    };
    let value = serde_json::to_value(declared).unwrap_or_default();
    let Some(flows) = value.get("flows").and_then(|f| f.as_object()) else { return };
    for scope in scopes {
        if !flows.values().any(|f| f.get("scopes").and_then(|s| s.get(scope)).is_some()) {
            types.warn(
                WarningKind::UndeclaredScope,
                pointer,
                format!("scope `{scope}` is not declared by security scheme `{scheme}`; kept as documentation"),
            );
        }
    }
}

/// The names an operation's builder already uses (its fields and methods, and `Clone`'s and `Debug`'s):
/// a parameter with one of them gets another setter name, so no setter shadows them.
const BUILDER_METHODS: &[&str] = &[
    "body",
    "client",
    "clone",
    "fmt",
    "interpret",
    "into_future",
    "pages",
    "paginate",
    "paginate_search",
    "request",
    "response_format",
    "search_pages",
    "send",
    "send_blocking",
    "send_stream",
    "send_with_response",
    "send_with_response_blocking",
];

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn resolve_param(doc: &Document, p: &ReferenceOr<Parameter>, pointer: &str) -> Result<(Parameter, String), SpecError> {
    match p {
        ReferenceOr::Item(p) => Ok((p.clone(), pointer.to_string())),
        ReferenceOr::Reference { reference } => {
            let key = reference.strip_prefix("#/components/parameters/").ok_or_else(|| {
                doc.error(
                    pointer,
                    format!("unsupported $ref `{reference}`: parameters must refer to #/components/parameters/"),
                )
            })?;
            let key = key.replace("~1", "/").replace("~0", "~");
            let target = doc.openapi.components.as_ref().and_then(|c| c.parameters.get(&key));
            match target {
                Some(ReferenceOr::Item(p)) => {
                    Ok((p.clone(), format!("/components/parameters/{}", escape_pointer(&key))))
                }
                Some(ReferenceOr::Reference { .. }) => Err(doc.error(
                    pointer,
                    format!(
                        "$ref `{reference}` points at another $ref; chains of parameter references are not supported"
                    ),
                )),
                None => {
                    Err(doc.error(pointer, format!("dangling $ref `{reference}`: no parameter `{key}` in components")))
                }
            }
        }
    }
}

fn lower_param(
    doc: &Document,
    types: &mut TypeLowerer<'_>,
    p: &Parameter,
    pointer: &str,
    prefix: &str,
    scope: &mut Scope,
) -> Result<Param, SpecError> {
    let data = p.parameter_data_ref();
    let loc = location(p);
    let hint = format!("{prefix} {}", data.name);
    let (ty, meta) = match &data.format {
        ParameterSchemaOrContent::Schema(s) => types.lower(s, &hint, &format!("{pointer}/schema"))?,
        ParameterSchemaOrContent::Content(c) => match c.iter().next() {
            Some((mt, m)) => match &m.schema {
                Some(s) => types.lower(s, &hint, &format!("{pointer}/content/{}/schema", escape_pointer(mt)))?,
                None => (TypeRef::String, Default::default()),
            },
            None => return Err(doc.error(&format!("{pointer}/content"), "parameter `content` has no media type")),
        },
    };
    if loc == ParamLocation::Path && !data.required {
        types.warn(
            WarningKind::PathParameterNotRequired,
            &format!("{pointer}/required"),
            format!("path parameter `{}` is not marked required; treated as required", data.name),
        );
    }
    let bounds = types.fitting_bounds(meta.bounds, &ty, pointer);
    let explode = match p {
        Parameter::Query { style: openapiv3::QueryStyle::Form, .. } | Parameter::Cookie { .. } => {
            data.explode.unwrap_or(true)
        }
        _ => data.explode.unwrap_or(false),
    };
    let delimiter = match p {
        Parameter::Query { style: openapiv3::QueryStyle::SpaceDelimited, .. } => ' ',
        Parameter::Query { style: openapiv3::QueryStyle::PipeDelimited, .. } => '|',
        _ => ',',
    };
    let deep_object = matches!(p, Parameter::Query { style: openapiv3::QueryStyle::DeepObject, .. });
    let path_style = match p {
        Parameter::Path { style: openapiv3::PathStyle::Label, .. } => crate::ir::PathStyle::Label,
        Parameter::Path { style: openapiv3::PathStyle::Matrix, .. } => crate::ir::PathStyle::Matrix,
        _ => crate::ir::PathStyle::Simple,
    };
    let constant = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) if data.required && loc != ParamLocation::Path => {
            constant_of(s, &ty)
        }
        _ => None,
    };
    Ok(Param {
        wire_name: data.name.clone(),
        ident: scope.claim(&names::snake_ident(&data.name)),
        location: loc,
        required: data.required || loc == ParamLocation::Path,
        constant,
        ty,
        description: data.description.clone(),
        example: data.example.clone().or(meta.example),
        explode,
        delimiter,
        deep_object,
        path_style,
        bounds,
        deprecated: data.deprecated.unwrap_or(false),
    })
}

/// The one value a scalar parameter schema allows: a one-value `enum`, else its `default` (in the
/// parameter's type: `default: true` on a string is `"true"`).
fn constant_of(schema: &openapiv3::Schema, ty: &TypeRef) -> Option<serde_json::Value> {
    use openapiv3::{SchemaKind, Type};
    use serde_json::Value;
    let single = match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) if t.enumeration.len() == 1 => t.enumeration[0].clone().map(Value::String),
        SchemaKind::Type(Type::Integer(t)) if t.enumeration.len() == 1 => t.enumeration[0].map(Value::from),
        SchemaKind::Type(Type::Boolean(t)) if t.enumeration.len() == 1 => t.enumeration[0].map(Value::Bool),
        _ => None,
    };
    let value = single.or_else(|| schema.schema_data.default.clone())?;
    match (ty, value) {
        (TypeRef::String, Value::String(s)) => Some(Value::String(s)),
        (TypeRef::String, v @ (Value::Bool(_) | Value::Number(_))) => Some(Value::String(v.to_string())),
        (TypeRef::Integer(_), Value::Number(n)) if n.is_i64() => Some(Value::Number(n)),
        (TypeRef::Boolean, Value::Bool(b)) => Some(Value::Bool(b)),
        _ => None,
    }
}

/// Repairs, with a warning each, the path-parameter defects real specs carry, as their authors meant:
/// - template variables without a parameter, and as many path parameters the template does not name:
///   paired in order (`/filters/{id}` declaring `filterId`), the declared type kept;
/// - a template variable declared as a query (header, cookie) parameter: sent in the path;
/// - a template variable nothing declares: a required string path parameter.
fn reconcile_path_params(
    types: &mut TypeLowerer<'_>,
    path: &str,
    vars: &[String],
    opointer: &str,
    pointers: &[&str],
    params: &mut Vec<Param>,
    scope: &mut Scope,
) {
    let is_path = |p: &Param| p.location == ParamLocation::Path;
    let missing: Vec<String> =
        vars.iter().filter(|v| !params.iter().any(|p| is_path(p) && &p.wire_name == *v)).cloned().collect();
    if missing.is_empty() {
        return;
    }
    let spare: Vec<usize> =
        (0..params.len()).filter(|&i| is_path(&params[i]) && !vars.contains(&params[i].wire_name)).collect();
    if spare.len() == missing.len() {
        for (var, i) in missing.iter().zip(spare) {
            types.warn(
                WarningKind::PathParameterRenamed,
                pointers.get(i).copied().unwrap_or(opointer),
                format!(
                    "path parameter `{}` is not in the path `{path}`, whose `{{{var}}}` no parameter declares; taken to be `{{{var}}}` (its type kept)",
                    params[i].wire_name
                ),
            );
            params[i].wire_name = var.clone();
        }
        return;
    }
    for var in missing {
        if let Some(i) = params.iter().position(|p| !is_path(p) && p.wire_name == var) {
            types.warn(
                WarningKind::PathVariableDeclaredElsewhere,
                pointers.get(i).copied().unwrap_or(opointer),
                format!(
                    "parameter `{var}` is declared `in: {}`, but the path `{path}` uses `{{{var}}}`; sent in the path",
                    params[i].location.as_str()
                ),
            );
            params[i].location = ParamLocation::Path;
            params[i].required = true;
            params[i].explode = false;
        } else {
            types.warn(
                WarningKind::UndeclaredPathVariable,
                opointer,
                format!(
                    "path `{path}` uses `{{{var}}}`, but the operation declares no path parameter `{var}`; added as a required string"
                ),
            );
            params.push(Param {
                ident: scope.claim(&names::snake_ident(&var)),
                wire_name: var,
                location: ParamLocation::Path,
                required: true,
                ty: TypeRef::String,
                description: None,
                example: None,
                explode: false,
                delimiter: ',',
                deep_object: false,
                path_style: Default::default(),
                bounds: Default::default(),
                deprecated: false,
                constant: None,
            });
        }
    }
}

enum RawPart {
    Lit(String),
    Param(String),
}

/// Splits a path template into its literal text and its `{variables}`.
fn split_template(doc: &Document, path: &str, pointer: &str) -> Result<Vec<RawPart>, SpecError> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(RawPart::Lit(rest[..open].to_string()));
        }
        let close = rest[open..]
            .find('}')
            .map(|c| c + open)
            .ok_or_else(|| doc.error(pointer, format!("unclosed `{{` in path `{path}`")))?;
        parts.push(RawPart::Param(rest[open + 1..close].to_string()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(RawPart::Lit(rest.to_string()));
    }
    Ok(parts)
}

/// The variables of a split template, in order, without repeats.
fn template_vars(parts: &[RawPart]) -> Vec<String> {
    let mut vars: Vec<String> = Vec::new();
    for part in parts {
        if let RawPart::Param(name) = part
            && !vars.contains(name)
        {
            vars.push(name.clone());
        }
    }
    vars
}

/// The index of the declared path parameter each template variable names, in template order; every
/// variable must have one (after [`reconcile_path_params`]).
fn param_order(
    doc: &Document,
    path: &str,
    parts: &[RawPart],
    params: &[Param],
    pointer: &str,
) -> Result<Vec<usize>, SpecError> {
    let mut order = Vec::new();
    for name in template_vars(parts) {
        let idx =
            params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name).ok_or_else(|| {
                doc.error(
                    pointer,
                    format!("path `{path}` uses `{{{name}}}`, but the operation declares no path parameter `{name}`"),
                )
            })?;
        order.push(idx);
    }
    Ok(order)
}

/// Picks the media type the client sends or prefers to read: JSON first, then the rest in a fixed order.
fn pick_media<T>(content: &indexmap::IndexMap<String, T>) -> Option<(&String, &T)> {
    let rank = |mt: &str| {
        let mt = mt.to_ascii_lowercase();
        if mt == "application/json" {
            0
        } else if mt.ends_with("+json") || mt.contains("json") {
            1
        } else if mt == "application/x-www-form-urlencoded" {
            2
        } else if mt == "multipart/form-data" {
            3
        } else if mt.starts_with("text/") {
            4
        } else {
            5
        }
    };
    content.iter().min_by_key(|(k, _)| rank(k))
}

fn body_encoding(mt: &str) -> BodyEncoding {
    let mt = mt.to_ascii_lowercase();
    if mt.ends_with("json-patch+json") {
        BodyEncoding::JsonPatch
    } else if mt.contains("json") {
        BodyEncoding::Json
    } else if mt == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if mt == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if mt.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

fn lower_body(
    doc: &Document,
    types: &mut TypeLowerer<'_>,
    body: &ReferenceOr<openapiv3::RequestBody>,
    pointer: &str,
    prefix: &str,
) -> Result<RequestBody, SpecError> {
    let (body, pointer) = match body {
        ReferenceOr::Item(b) => (b.clone(), pointer.to_string()),
        ReferenceOr::Reference { reference } if reference.starts_with("#/components/responses/") => {
            // Tolerated: a response component used as a body; its `content` is what a body has.
            let key = &reference["#/components/responses/".len()..];
            match doc.openapi.components.as_ref().and_then(|c| c.responses.get(key)) {
                Some(ReferenceOr::Item(r)) => {
                    types.warn(
                        WarningKind::WrongComponentKind,
                        pointer,
                        format!("request body `$ref`s the response `{key}`; its content is used as the body"),
                    );
                    let body = openapiv3::RequestBody {
                        description: Some(r.description.clone()).filter(|d| !d.is_empty()),
                        content: r.content.clone(),
                        required: true,
                        extensions: Default::default(),
                    };
                    (body, format!("/components/responses/{}", escape_pointer(key)))
                }
                _ => {
                    return Err(
                        doc.error(pointer, format!("dangling $ref `{reference}`: no response `{key}` in components"))
                    );
                }
            }
        }
        ReferenceOr::Reference { reference } => {
            let key = reference
                .strip_prefix("#/components/requestBodies/")
                .ok_or_else(|| doc.error(pointer, format!("unsupported $ref `{reference}` for a request body")))?;
            match doc.openapi.components.as_ref().and_then(|c| c.request_bodies.get(key)) {
                Some(ReferenceOr::Item(b)) => (b.clone(), format!("/components/requestBodies/{}", escape_pointer(key))),
                _ => {
                    return Err(doc.error(
                        pointer,
                        format!("dangling $ref `{reference}`: no request body `{key}` in components"),
                    ));
                }
            }
        }
    };
    let (mt, media) = pick_media(&body.content)
        .ok_or_else(|| doc.error(&format!("{pointer}/content"), "request body has no media type"))?;
    let encoding = body_encoding(mt);
    let mpointer = format!("{pointer}/content/{}", escape_pointer(mt));
    let ty = match &media.schema {
        Some(s) => types.lower(s, &format!("{prefix} Request"), &format!("{mpointer}/schema"))?.0,
        None => match encoding {
            BodyEncoding::Json | BodyEncoding::JsonPatch => TypeRef::Any,
            BodyEncoding::Text => TypeRef::String,
            _ => TypeRef::Bytes,
        },
    };
    let ty = match (encoding, ty) {
        // A binary string in a JSON-less body is just the bytes.
        (BodyEncoding::Binary, _) => TypeRef::Bytes,
        (BodyEncoding::Text, TypeRef::Bytes) => TypeRef::String,
        (_, t) => t,
    };
    let mut encoding = encoding;
    if encoding == BodyEncoding::JsonPatch && media.schema.is_some() && !types.is_array(&ty) {
        // A JSON Patch media type over an object: the schema's own type is sent, with that media type.
        types.warn(
            WarningKind::JsonPatchNotAnArray,
            &format!("{mpointer}/schema"),
            format!("`{mt}` with a schema that is not an array of patch operations; the schema's own type is sent"),
        );
        encoding = BodyEncoding::Json;
    }
    if encoding == BodyEncoding::Multipart && !types.has_fields(&ty) {
        types.warn(
            WarningKind::EmptyMultipart,
            &format!("{mpointer}/schema"),
            "a `multipart/form-data` body whose schema declares no properties; sent as an empty form",
        );
    }
    let ident = match &ty {
        TypeRef::Named(n) => names::snake_ident(n),
        _ => "body".to_string(),
    };
    Ok(RequestBody {
        media_type: mt.clone(),
        encoding,
        ident,
        ty,
        required: body.required,
        description: body.description.clone(),
        example: media.example.clone(),
    })
}

fn variant_for(status: &Status) -> String {
    match status {
        Status::Code(c) => match c {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            205 => "ResetContent".into(),
            206 => "PartialContent".into(),
            207 => "MultiStatus".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            402 => "PaymentRequired".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            406 => "NotAcceptable".into(),
            408 => "RequestTimeout".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            412 => "PreconditionFailed".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            423 => "Locked".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            c => format!("Status{c}"),
        },
        Status::Range(2) => "Success".into(),
        Status::Range(4) => "ClientError".into(),
        Status::Range(5) => "ServerError".into(),
        Status::Range(r) => format!("Status{r}XX"),
        Status::Default => "Default".into(),
    }
}

fn lower_responses(
    doc: &Document,
    types: &mut TypeLowerer<'_>,
    responses: &openapiv3::Responses,
    opointer: &str,
    prefix: &str,
) -> Result<Vec<Response>, SpecError> {
    let mut out = Vec::new();
    // openapiv3 drops keys that are not status codes; a typo must not make a response vanish.
    if let Some(serde_norway::Value::Mapping(raw)) = crate::yaml::get(&doc.raw, &format!("{opointer}/responses")) {
        for key in raw.keys().map(crate::yaml::scalar_text) {
            let valid = key == "default"
                || key.starts_with("x-")
                || key.parse::<u16>().is_ok_and(|c| (100..600).contains(&c))
                || (key.len() == 3
                    && key[1..].eq_ignore_ascii_case("XX")
                    && matches!(&key[..1], "1" | "2" | "3" | "4" | "5"));
            if !valid {
                return Err(doc.error(
                    &format!("{opointer}/responses/{}", escape_pointer(&key)),
                    format!("response key `{key}` is not a status code, a range like `4XX`, or `default`"),
                ));
            }
        }
    }
    let mut entries: Vec<(Status, &ReferenceOr<openapiv3::Response>, String)> = responses
        .responses
        .iter()
        .map(|(code, r)| {
            let status = match code {
                StatusCode::Code(c) => Status::Code(*c),
                StatusCode::Range(r) => Status::Range(*r),
            };
            let label = code.to_string();
            (status, r, format!("{opointer}/responses/{}", escape_pointer(&label)))
        })
        .collect();
    if let Some(d) = &responses.default {
        entries.push((Status::Default, d, format!("{opointer}/responses/default")));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    if entries.is_empty() {
        return Err(doc.error(&format!("{opointer}/responses"), "operation documents no responses"));
    }
    for (status, r, pointer) in entries {
        let (resp, pointer, hint) = match r {
            ReferenceOr::Item(resp) => (resp.clone(), pointer, format!("{prefix} {} Response", status.label())),
            ReferenceOr::Reference { reference } if reference.starts_with("#/components/requestBodies/") => {
                // Tolerated: a request-body component used as a response; its `content` is what a
                // response has.
                let key = &reference["#/components/requestBodies/".len()..];
                let Some(ReferenceOr::Item(b)) =
                    doc.openapi.components.as_ref().and_then(|c| c.request_bodies.get(key))
                else {
                    return Err(doc.error(
                        &pointer,
                        format!("dangling $ref `{reference}`: no request body `{key}` in components"),
                    ));
                };
                types.warn(
                    WarningKind::WrongComponentKind,
                    &pointer,
                    format!("response `$ref`s the request body `{key}`; its content is used as the response"),
                );
                let resp = openapiv3::Response {
                    description: b.description.clone().unwrap_or_default(),
                    content: b.content.clone(),
                    ..Default::default()
                };
                (resp, format!("/components/requestBodies/{}", escape_pointer(key)), format!("{key} Response"))
            }
            ReferenceOr::Reference { reference } => {
                let key = reference
                    .strip_prefix("#/components/responses/")
                    .ok_or_else(|| doc.error(&pointer, format!("unsupported $ref `{reference}` for a response")))?;
                let target = doc.openapi.components.as_ref().and_then(|c| c.responses.get(key));
                let Some(ReferenceOr::Item(resp)) = target else {
                    return Err(
                        doc.error(&pointer, format!("dangling $ref `{reference}`: no response `{key}` in components"))
                    );
                };
                let hint = if key.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Response {key}")
                } else {
                    format!("{key} Response")
                };
                (resp.clone(), format!("/components/responses/{}", escape_pointer(key)), hint)
            }
        };
        // Several media types, none JSON: the caller picks one; bytes, unless every one is text.
        let offered: Vec<String> = resp.content.keys().cloned().collect();
        let alternatives = if offered.len() > 1 && !offered.iter().any(|m| m.to_ascii_lowercase().contains("json")) {
            offered
        } else {
            vec![]
        };
        let all_text = alternatives.iter().all(|m| m.to_ascii_lowercase().starts_with("text/"));
        let no_content = matches!(status, Status::Code(204 | 205 | 304));
        if no_content && !resp.content.is_empty() {
            types.warn(
                WarningKind::BodyOnNoContent,
                &format!("{pointer}/content"),
                format!("a `{}` response has no body by HTTP, but one is declared; nothing is decoded", status.label()),
            );
        }
        let (media_type, encoding, ty) = match pick_media(&resp.content) {
            _ if no_content => (None, ResponseEncoding::Empty, None),
            None => (None, ResponseEncoding::Empty, None),
            Some((mt, media)) => {
                let lower = mt.to_ascii_lowercase();
                let mpointer = format!("{pointer}/content/{}/schema", escape_pointer(mt));
                if lower.contains("json") {
                    let ty = match &media.schema {
                        // A body the spec allows to be `null` is an `Option`.
                        Some(s) => {
                            let (t, meta) = types.lower(s, &hint, &mpointer)?;
                            crate::lower::types::or_null(t, &meta)
                        }
                        None => TypeRef::Any,
                    };
                    if matches!(media.schema, Some(ReferenceOr::Item(_))) {
                        types.describe_if_missing(&ty, || {
                            format!("The body of a `{}` response: {}", status.label(), resp.description)
                        });
                    }
                    (Some(mt.clone()), ResponseEncoding::Json, Some(ty))
                } else if lower.starts_with("text/") && all_text {
                    (Some(mt.clone()), ResponseEncoding::Text, Some(TypeRef::String))
                } else {
                    (Some(mt.clone()), ResponseEncoding::Binary, Some(TypeRef::Bytes))
                }
            }
        };
        let headers = resp
            .headers
            .iter()
            .map(|(name, h)| {
                let description = match h {
                    ReferenceOr::Item(h) => h.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                (name.clone(), description)
            })
            .collect();
        out.push(Response {
            variant: variant_for(&status),
            status,
            description: resp.description.clone(),
            media_type,
            encoding,
            ty,
            headers,
            alternatives,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_setter_takes_the_name_of_a_builder_method() {
        let mut params = String::new();
        for name in super::BUILDER_METHODS {
            params.push_str(&format!("        - {{name: {name}, in: query, schema: {{type: string}}}}\n"));
        }
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: listA\n      parameters:\n{params}      responses:\n        '200': {{description: ok}}\n"
        );
        let doc = crate::parse::parse_in("setters.yaml", spec.as_bytes(), None).expect("parses");
        let api = crate::lower::lower(&doc, "setters").expect("lowers");
        let op = api.operations.iter().find(|o| o.id == "listA").expect("the operation");
        assert_eq!(op.params.len(), super::BUILDER_METHODS.len());
        for p in &op.params {
            assert!(
                !super::BUILDER_METHODS.contains(&p.ident.as_str()),
                "`{}` became the setter `{}`",
                p.wire_name,
                p.ident
            );
            assert_eq!(op.params.iter().filter(|q| q.ident == p.ident).count(), 1, "`{}` twice", p.ident);
        }
    }
}
