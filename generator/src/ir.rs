//! The intermediate representation: the contract between lowering and rendering.
//!
//! Everything here is plain data with final names: a renderer never converts case, never resolves a
//! `$ref`, never looks at an `openapiv3` type. One [`Api`] is one spec file (one API version).

use std::collections::BTreeMap;

/// One lowered spec file: an API version with its operations and types.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Where the spec came from and its digest.
    pub source: Source,
    /// Rust module name of this version (`v3`, `v2024`, `v1`).
    pub module: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The servers, in spec order.
    pub servers: Vec<Server>,
    /// The path every server URL of this version ends with (`/v3`, or empty for the per-resource layout).
    pub base_path: String,
    /// Tags with their operations, in spec order of the tags list, then first use.
    pub tags: Vec<Tag>,
    /// Operations in path order, then method order.
    pub operations: Vec<Operation>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Security schemes declared by the spec, sorted by name.
    pub security_schemes: Vec<SecurityScheme>,
    /// Things the lowering tolerated but that a maintainer should know about.
    pub warnings: Vec<Warning>,
    /// The events the API sends to its callers' servers (OpenAPI 3.1 `webhooks`), in spec order.
    pub webhooks: Vec<Webhook>,
}

/// An event the API sends (an OpenAPI 3.1 webhook): the caller's server receives the payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The webhook's key (`petAdopted`).
    pub name: String,
    /// The HTTP method it arrives with (`POST`).
    pub method: String,
    /// Summary line.
    pub summary: Option<String>,
    /// Long description.
    pub description: Option<String>,
    /// The payload's type, when it has a JSON body.
    pub payload: Option<TypeRef>,
}

impl Api {
    /// The named type called `name` ([`Api::types`] is sorted by name).
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }
}

/// The spec file an [`Api`] was lowered from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The path as given to the generator, with `/` separators (e.g. `spec/v3.yaml`).
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A tolerated oddity, with the JSON pointer where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// What kind of oddity, for summaries and the tolerated-defects table.
    pub kind: crate::diagnostics::WarningKind,
    /// The file (for a split spec, the one a maintainer edits), pointer and line, as errors have it.
    pub place: crate::source::Place,
    /// What was tolerated and how.
    pub message: String,
}

/// A server URL template.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, e.g. `https://{tenant}.api.identitynow.com/v3`.
    pub url: String,
    /// The URL with every variable replaced by its default.
    pub default_url: String,
    /// Description of the server.
    pub description: Option<String>,
    /// Its variables, in spec order.
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL up to its path (`https://{tenant}.api.identitynow.com` of `.../v3`); empty for a relative
    /// URL.
    pub fn origin(&self) -> &str {
        let Some(start) = self.url.find("://").map(|i| i + 3) else { return "" };
        self.url[start..].find('/').map_or(self.url.as_str(), |i| &self.url[..start + i])
    }
}

/// A server URL variable.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Name inside `{}`.
    pub name: String,
    /// Default value.
    pub default: String,
    /// Allowed values, if restricted.
    pub values: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// The client builder's setter for it (`tenant`), when it is in the URL's scheme, host or port (a
    /// variable of the path keeps its default: the path is part of every operation's path).
    pub setter: Option<String>,
}

/// A security scheme: the runtime sends what it takes where it says (see `sdk_runtime::security`).
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Component key.
    pub name: String,
    /// The client builder's setter for its credential (`user_auth` for `userAuth`; OAuth2 schemes also
    /// get `{setter}_client_credentials`).
    pub setter: String,
    /// What kind of credentials it takes.
    pub kind: SchemeKind,
    /// Description.
    pub description: Option<String>,
}

/// The kinds of security scheme OpenAPI 3.0 has.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// OAuth2 bearer tokens (the runtime obtains them with client credentials, or takes a static one).
    OAuth2 {
        /// The client-credentials flow's token URL: absolute, or an absolute path on the API's server
        /// when the spec's URL is on a host its server template matches (the spec's example tenant).
        /// `None` when the spec declares no client-credentials flow.
        token_url: Option<String>,
    },
    /// OpenID Connect bearer tokens.
    OpenIdConnect,
    /// `http` with a scheme (`bearer`, `basic`).
    Http(String),
    /// A key sent as the named header, query parameter or cookie.
    ApiKey {
        /// Header, query parameter or cookie name.
        name: String,
        /// Where it goes.
        location: ParamLocation,
    },
}

/// One way to satisfy an operation's security: every listed scheme together (an empty list means no
/// credentials are needed).
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityAlternative {
    /// (scheme name, scopes) pairs.
    pub schemes: Vec<(String, Vec<String>)>,
}

/// A tag groups operations into one API handle and one docs page.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag as written in the spec.
    pub name: String,
    /// Rust module and accessor name (`personal_access_tokens`).
    pub module: String,
    /// Rust type name of the handle (`PersonalAccessTokensApi`).
    pub type_name: String,
    /// Tag description.
    pub description: Option<String>,
    /// Indices into [`Api::operations`].
    pub operations: Vec<usize>,
}

/// HTTP methods OpenAPI 3.0 knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
    /// Whether repeating the request is safe by HTTP semantics.
    pub fn idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written.
    pub id: String,
    /// Rust method name (`list_personal_access_tokens`).
    pub fn_name: String,
    /// Pascal-case prefix for the operation's own types (`ListPersonalAccessTokens`).
    pub type_prefix: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as written (`/personal-access-tokens/{id}`).
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// Summary line.
    pub summary: Option<String>,
    /// Long description.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The tag the operation is grouped under (its first tag, or `default`).
    pub tag: String,
    /// Parameters: path parameters first in path order, then the rest in spec order.
    pub params: Vec<Param>,
    /// Request body, if any.
    pub body: Option<RequestBody>,
    /// Responses in status order, `default` last.
    pub responses: Vec<Response>,
    /// The alternative ways to authorize the operation (any one suffices); empty when the spec says
    /// nothing.
    pub security: Vec<SecurityAlternative>,
    /// How the operation pages, when it is a list that does (`.paginate()` and `.pages()`).
    pub paging: Option<Paging>,
    /// Why an operation with a paging parameter (`offset`, `page`, a cursor) got no paginator.
    pub unpaged: Option<String>,
}

/// How a list operation pages: what moves the request from page to page, how big a page is, and where
/// the items are in the body. The rules that find it are in `lower/paging.rs` (docs/lowering.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// What moves the request to the next page.
    pub advance: Advance,
    /// The page-size parameter (index into [`Operation::params`]), when there is one.
    pub size: Option<usize>,
    /// The fields from the success body to its list; empty when the body is the list.
    pub items: Vec<Step>,
    /// The list's item type.
    pub item: TypeRef,
    /// The success body's type (what `.pages()` yields, unless [`Paging::variant`] says otherwise).
    pub body: TypeRef,
    /// When the operation has other successes without a body (SailPoint's `204` for no items): the
    /// variant of the paged response in the operation's success enum, which `.pages()` then yields;
    /// a bodiless page has no items.
    pub variant: Option<String>,
}

impl Paging {
    /// How it pages, in words for docs: "fetching pages with `offset` and `limit`".
    pub fn how(&self, params: &[Param]) -> String {
        let name = |i: usize| params.get(i).map_or("?", |p| p.wire_name.as_str()).to_string();
        let size = match self.size {
            Some(i) => format!("; pages of `{}` items: 250, or the spec's maximum if lower", name(i)),
            None => "; pages of the server's own size, so only an empty page ends the list".into(),
        };
        match &self.advance {
            Advance::Offset(o) => format!("fetching pages with `{}`{size}", name(*o)),
            Advance::Page { param, first } => {
                format!("fetching pages by number with `{}` (from {first}){size}", name(*param))
            }
            Advance::Cursor { param, next } => format!(
                "fetching each page after the first with `{}` set to the previous page's `{}`{size}",
                name(*param),
                dotted(next)
            ),
            Advance::AfterLast { param, id, more } => format!(
                "fetching each page after the first with `{}` set to the previous page's last `{}`, while `{}` is true{size}",
                name(*param),
                id.wire_name,
                dotted(more)
            ),
        }
    }
}

/// What moves a paged request to its next page; each parameter is an index into [`Operation::params`].
#[derive(Debug, Clone, PartialEq)]
pub enum Advance {
    /// An integer `offset`: the number of items before the page.
    Offset(usize),
    /// An integer `page`: the page's number, the first being `first` (0 or 1).
    Page {
        /// The parameter.
        param: usize,
        /// The first page's number.
        first: u64,
    },
    /// A string cursor, set from the string the body returns at `next` (Kinde's `next_token`,
    /// Intercom's `pages.next.starting_after`).
    Cursor {
        /// The parameter.
        param: usize,
        /// The fields from the body to the next cursor.
        next: Vec<Step>,
    },
    /// A string cursor set to the last item's `id`, while the body's boolean at `more` says more follow
    /// (`starting_after` with `has_more`).
    AfterLast {
        /// The parameter.
        param: usize,
        /// The item's field that the next page starts after.
        id: Step,
        /// The fields from the body to the boolean.
        more: Vec<Step>,
    },
}

/// A path through a body as its wire names, dotted (`data.affected_items`).
pub fn dotted(path: &[Step]) -> String {
    path.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join(".")
}

/// One field on a path through a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub ident: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

impl Operation {
    /// The responses a successful call returns: every 2xx (and 2XX) response, else `default`.
    pub fn successes(&self) -> Vec<&Response> {
        let ok: Vec<&Response> = self.responses.iter().filter(|r| r.status.is_success()).collect();
        if ok.is_empty() { self.responses.iter().filter(|r| r.status == Status::Default).collect() } else { ok }
    }
    /// The first success response (its media type is what the client asks for).
    pub fn success(&self) -> Option<&Response> {
        self.successes().first().copied()
    }
    /// Whether the operation is experimental: it requires the `X-SailPoint-Experimental` header (how
    /// SailPoint's specs mark them). The client sends it only after opting in.
    pub fn experimental(&self) -> bool {
        self.params.iter().any(|p| {
            p.location == ParamLocation::Header
                && p.required
                && p.wire_name.eq_ignore_ascii_case("x-sailpoint-experimental")
        })
    }
    /// Search-after paging (SailPoint's `POST /search`): a required JSON body whose struct has `sort`
    /// and `searchAfter` string lists, an optional integer `limit` query parameter, and one JSON array
    /// success. `types` looks the body's struct up. (limit, body's `sort` field, `searchAfter` field, item.)
    pub fn search_after_paging<'a>(
        &'a self,
        types: &dyn Fn(&str) -> Option<&'a TypeDef>,
    ) -> Option<(&'a Param, &'a Field, &'a Field, &'a TypeRef)> {
        let limit = self.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == "limit"
                && !p.required
                && matches!(p.ty, TypeRef::Integer(_))
        })?;
        let body = self.body.as_ref().filter(|b| b.required && b.encoding == BodyEncoding::Json)?;
        let TypeRef::Named(n) = &body.ty else { return None };
        let TypeKind::Struct { fields, .. } = &types(n)?.kind else { return None };
        let strings = |wire: &str| {
            fields
                .iter()
                .find(|f| f.wire_name == wire && f.optional() && f.ty == TypeRef::Array(Box::new(TypeRef::String)))
        };
        let (sort, after) = (strings("sort")?, strings("searchAfter")?);
        let [success] = self.successes()[..] else { return None };
        match (&success.encoding, &success.ty) {
            (ResponseEncoding::Json, Some(TypeRef::Array(item))) => Some((limit, sort, after, item)),
            _ => None,
        }
    }
    /// The named types the operation's parameters, body and responses use directly.
    pub fn named_types(&self) -> impl Iterator<Item = &str> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self.body.iter().map(|b| &b.ty);
        let responses = self.responses.iter().filter_map(|r| r.ty.as_ref());
        params.chain(body).chain(responses).filter_map(TypeRef::name_within)
    }
}

/// Piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

/// How a path parameter is written into its segment (OpenAPI's `style` for `in: path`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathStyle {
    /// `simple` (the default): `5`, `3,4,5`, `R,100,G,200` (exploded `R=100,G=200`).
    #[default]
    Simple,
    /// `label`: `.5`, `.3,4,5` (exploded `.3.4.5`), `.R,100,G,200` (exploded `.R=100.G=200`).
    Label,
    /// `matrix`: `;id=5`, `;id=3,4,5` (exploded `;id=3;id=4;id=5`), `;id=R,100,G,200` (exploded
    /// `;R=100;G=200`).
    Matrix,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// As a request header.
    Header,
    /// As a cookie.
    Cookie,
}

impl ParamLocation {
    /// Name as in the spec's `in`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire (`owner-id`).
    pub wire_name: String,
    /// Rust identifier (`owner_id`), never a keyword.
    pub ident: String,
    /// Location.
    pub location: ParamLocation,
    /// Required parameters are positional arguments; the rest are builder setters.
    pub required: bool,
    /// Value type.
    pub ty: TypeRef,
    /// Description.
    pub description: Option<String>,
    /// An example value from the spec.
    pub example: Option<serde_json::Value>,
    /// For arrays in the query: `explode` (repeat the key) or joined by [`Param::delimiter`].
    pub explode: bool,
    /// What a query array that is not exploded is joined with: `,` (`style: form`), ` `
    /// (`spaceDelimited`) or `|` (`pipeDelimited`).
    pub delimiter: char,
    /// `style: deepObject` (a query parameter): an object's members are sent as `name[member]=value`.
    pub deep_object: bool,
    /// A path parameter's style.
    pub path_style: PathStyle,
    /// Bounds on the value: documented, and checked before the request is sent.
    pub bounds: Bounds,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// For a required header, query or cookie parameter of a scalar type whose schema allows one value
    /// (a one-value `enum`, or a `default`): that value. It is sent without the caller passing it (it is
    /// not a positional argument) and a setter can change it.
    pub constant: Option<serde_json::Value>,
}

impl Param {
    /// Whether the caller passes it as an argument: required, and not a [`Param::constant`].
    pub fn positional(&self) -> bool {
        self.required && self.constant.is_none()
    }
}

/// How a body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// Serialized with serde_json.
    Json,
    /// `application/json-patch+json`: taken as any `Into<JsonPatch>`, serialized with serde_json.
    JsonPatch,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`, sent as a string.
    Text,
    /// Anything else, sent as bytes.
    Binary,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Media type sent as `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Rust argument name (`body`, or derived from the type name).
    pub ident: String,
    /// The body type.
    pub ty: TypeRef,
    /// Whether the body is required.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Example of the body from the media type, if any.
    pub example: Option<serde_json::Value>,
}

/// A response status key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A single code.
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

impl Status {
    /// 2xx or 2XX.
    pub fn is_success(&self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(c),
            Status::Range(r) => *r == 2,
            Status::Default => false,
        }
    }
    /// As written in a spec (`200`, `4XX`, `default`).
    pub fn label(&self) -> String {
        match self {
            Status::Code(c) => c.to_string(),
            Status::Range(r) => format!("{r}XX"),
            Status::Default => "default".to_string(),
        }
    }
}

/// How a response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseEncoding {
    /// No body.
    Empty,
    /// JSON into the type.
    Json,
    /// Text.
    Text,
    /// Raw bytes.
    Binary,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Status key.
    pub status: Status,
    /// Variant name in the operation's error enum (`BadRequest`, `Status418`, `Default`).
    pub variant: String,
    /// Description.
    pub description: String,
    /// Media type of the body (`application/json`), if any.
    pub media_type: Option<String>,
    /// How it is decoded.
    pub encoding: ResponseEncoding,
    /// Body type, if any.
    pub ty: Option<TypeRef>,
    /// Response headers documented by the spec, with descriptions.
    pub headers: Vec<(String, Option<String>)>,
    /// Every media type the response offers, in spec order, when it offers several and none is JSON
    /// (a report as CSV or PDF): the caller picks one and `Accept` follows. Empty otherwise.
    pub alternatives: Vec<String>,
}

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A string that is a secret (redacted in Debug).
    Secret,
    /// Integer of the given bit width (32 or 64).
    Integer(u8),
    /// Floating point number of the given bit width (32 or 64).
    Number(u8),
    /// `bool`.
    Boolean,
    /// RFC 3339 date-time.
    DateTime,
    /// RFC 3339 full date.
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Any JSON value.
    Any,
    /// A JSON object with arbitrary members.
    Object,
    /// A named type from [`Api::types`].
    Named(String),
    /// An array.
    Array(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// A value that may be `null` where only a type stands, with no field to hold the `Option`: a list's
    /// items, a map's values, a response body (`Option<T>`).
    Nullable(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust type name.
    pub name: String,
    /// Where it comes from: the component key or the JSON pointer of an inline schema.
    pub origin: String,
    /// Description.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
    /// An example value, from the schema or built from its properties' examples.
    pub example: Option<serde_json::Value>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// Type of additional properties kept in a map, if any.
        extra: Option<TypeRef>,
    },
    /// A string enum; unknown values are kept at runtime.
    Enum {
        /// Variants in spec order (a `null` member is not a variant).
        variants: Vec<EnumVariant>,
    },
    /// An integer enum; unknown values are kept at runtime.
    IntEnum {
        /// Allowed values with their variant names.
        variants: Vec<(String, i64)>,
    },
    /// `oneOf` / `anyOf`: untagged, tried in order.
    Union {
        /// Variants, ordered so that none is unreachable.
        variants: Vec<UnionVariant>,
    },
    /// `oneOf` / `anyOf` with a `discriminator`: the property's value picks the variant; unknown values
    /// are kept.
    TaggedUnion {
        /// The discriminating property (`petType`).
        property: String,
        /// Variants in spec order.
        variants: Vec<TaggedVariant>,
    },
    /// A component that is only another type.
    Alias(TypeRef),
}

/// How a type definition holds one of its member types (see [`TypeKind::members`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// A struct field.
    Field,
    /// A struct's additional properties (the values of its map).
    Extra,
    /// A union's variant, tagged or not.
    Variant,
    /// The type an alias stands for.
    Alias,
}

impl TypeKind {
    /// Every type a definition holds directly, with how it holds it: the one walk over the type graph
    /// that tag features, derives, recursion boxing and self-member removal are built on.
    pub fn members(&self) -> Vec<(Member, &TypeRef)> {
        match self {
            TypeKind::Struct { fields, extra } => {
                fields.iter().map(|f| (Member::Field, &f.ty)).chain(extra.iter().map(|e| (Member::Extra, e))).collect()
            }
            TypeKind::Union { variants } => variants.iter().map(|v| (Member::Variant, &v.ty)).collect(),
            TypeKind::TaggedUnion { variants, .. } => variants.iter().map(|v| (Member::Variant, &v.ty)).collect(),
            TypeKind::Alias(t) => vec![(Member::Alias, t)],
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
        }
    }
}

impl TypeRef {
    /// The named type this one is, or holds inside arrays and maps.
    pub fn name_within(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.name_within(),
            _ => None,
        }
    }
}

/// A member of a discriminated union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// Rust variant name.
    pub ident: String,
    /// The discriminator values that select it (the first is written when the payload lacks one).
    pub tags: Vec<String>,
    /// Payload type (a named object).
    pub ty: TypeRef,
}

/// A string enum member.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// Rust variant name.
    pub ident: String,
    /// Value on the wire.
    pub wire: String,
}

/// A union member.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub ident: String,
    /// Payload type.
    pub ty: TypeRef,
    /// Description.
    pub description: Option<String>,
}

/// The JSON Schema bounds a value must keep (OpenAPI 3.0: `exclusiveMinimum`/`exclusiveMaximum` are flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<serde_json::Number>,
    /// `exclusiveMinimum: true`: the value must be greater than `minimum`.
    pub exclusive_minimum: bool,
    /// `maximum`.
    pub maximum: Option<serde_json::Number>,
    /// `exclusiveMaximum: true`: the value must be less than `maximum`.
    pub exclusive_maximum: bool,
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

impl Bounds {
    /// Whether any bound is set.
    pub fn any(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
    }

    /// The bounds in words, e.g. "between 15 and 43200", "at least 1 character", for docs and errors.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (gt, lt) = (
            if self.exclusive_minimum { "greater than" } else { "at least" },
            if self.exclusive_maximum { "less than" } else { "at most" },
        );
        match (&self.minimum, &self.maximum) {
            (Some(a), Some(b)) if !self.exclusive_minimum && !self.exclusive_maximum => {
                out.push(format!("between {a} and {b}"))
            }
            (a, b) => {
                if let Some(a) = a {
                    out.push(format!("{gt} {a}"));
                }
                if let Some(b) = b {
                    out.push(format!("{lt} {b}"));
                }
            }
        }
        let plural = |n: usize, what: &str| if n == 1 { format!("{n} {what}") } else { format!("{n} {what}s") };
        if let Some(n) = self.min_length {
            out.push(format!("at least {} long", plural(n, "character")));
        }
        if let Some(n) = self.max_length {
            out.push(format!("at most {} long", plural(n, "character")));
        }
        if let Some(n) = self.min_items {
            out.push(format!("at least {}", plural(n, "item")));
        }
        if let Some(n) = self.max_items {
            out.push(format!("at most {}", plural(n, "item")));
        }
        out
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub ident: String,
    /// Value type (without the `Option` that presence adds).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true` (or a `$ref` to a nullable schema).
    pub nullable: bool,
    /// Description.
    pub description: Option<String>,
    /// A documented default that fits the type (a contradicting one is dropped with a warning).
    pub default: Option<serde_json::Value>,
    /// Example value.
    pub example: Option<serde_json::Value>,
    /// Allowed values, for the docs.
    pub enum_values: Vec<serde_json::Value>,
    /// Bounds on the value: documented, and checked before a request body is sent.
    pub bounds: Bounds,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Whether the type must be boxed (recursion).
    pub boxed: bool,
}

impl Field {
    /// Whether the Rust type is an `Option`: not required, or nullable.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// All lowered APIs, keyed by module name, plus what the crate needs to know about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Crate {
    /// Crate name (`sailpoint-pat`).
    pub name: String,
    /// Crate version.
    pub version: String,
    /// One-line description for the manifest.
    pub description: String,
    /// What the client is for, as its docs name it (`SailPoint Identity Security Cloud's ... API`).
    pub title: String,
    /// One entry per spec file, sorted by module name.
    pub apis: BTreeMap<String, Api>,
    /// Where the crate's runtime comes from.
    pub runtime: Runtime,
    /// Vendor-specific behaviour: SailPoint's configuration and helpers, or none.
    pub profile: Profile,
    /// The prefix of the environment variables `from_env` reads (`SAIL`, `KINDE_MANAGEMENT_API`).
    pub env_prefix: String,
}

/// Vendor-specific behaviour a crate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Nothing vendor-specific: configuration named after the crate.
    #[default]
    Generic,
    /// SailPoint's: `SAIL_*` variables and the sail CLI's file for `from_env`, and the `Filter` helper for
    /// its `filters` syntax.
    SailPoint,
}

impl Crate {
    /// The servers the client's base URL comes from: the first API's (module order).
    pub fn servers(&self) -> &[Server] {
        self.apis.values().next().map(|a| a.servers.as_slice()).unwrap_or_default()
    }

    /// The security schemes of every API, one per name (the first module's), sorted by name.
    pub fn schemes(&self) -> Vec<&SecurityScheme> {
        let mut by_name: BTreeMap<&str, &SecurityScheme> = BTreeMap::new();
        for api in self.apis.values() {
            for s in &api.security_schemes {
                by_name.entry(s.name.as_str()).or_insert(s);
            }
        }
        by_name.into_values().collect()
    }
}

/// Where a generated crate's runtime (the `sdk-runtime` crate in `runtime/`) comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Runtime {
    /// The runtime's source files copied, unchanged, into the crate's `src/`: the crate stands alone.
    #[default]
    Embedded,
    /// A path dependency on `sdk-runtime`, at this path relative to the generated crate's folder.
    Path(String),
}

/// The operations of a path item, by their keys.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// An example value for a type.
pub fn example_of<'a>(t: &TypeRef, types: &dyn Fn(&str) -> Option<&'a TypeDef>, depth: usize) -> serde_json::Value {
    if depth > 12 {
        // Types that only hold each other through unions and aliases end here.
        return serde_json::Value::Null;
    }
    match t {
        TypeRef::String => serde_json::Value::String("string".into()),
        TypeRef::Secret => serde_json::Value::String("secret".into()),
        TypeRef::Integer(_) => serde_json::Value::from(0),
        TypeRef::Number(_) => serde_json::Value::from(0.5),
        TypeRef::Boolean => serde_json::Value::Bool(true),
        TypeRef::DateTime => serde_json::Value::String("2024-01-01T00:00:00Z".into()),
        TypeRef::Date => serde_json::Value::String("2024-01-01".into()),
        // A `format: binary` member is a string in JSON (`crate::binary`).
        TypeRef::Bytes => serde_json::Value::String(String::new()),
        TypeRef::Any | TypeRef::Object => serde_json::Value::Object(Default::default()),
        TypeRef::Array(inner) => {
            if depth > 4 {
                serde_json::Value::Array(vec![])
            } else {
                serde_json::Value::Array(vec![example_of(inner, types, depth + 1)])
            }
        }
        TypeRef::Map(_) => serde_json::Value::Object(Default::default()),
        TypeRef::Nullable(inner) => example_of(inner, types, depth),
        TypeRef::Named(n) => {
            let Some(def) = types(n) else { return serde_json::Value::Null };
            if let Some(e) = &def.example {
                return e.clone();
            }
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    let mut map = serde_json::Map::new();
                    for f in fields {
                        let value = match &f.example {
                            Some(e) => Some(e.clone()),
                            None if f.required && !f.nullable && depth < 6 => Some(example_of(&f.ty, types, depth + 1)),
                            None if f.required => Some(serde_json::Value::Null),
                            None if depth < 2 => match &f.ty {
                                TypeRef::Named(_) => Some(example_of(&f.ty, types, depth + 1)),
                                _ => None,
                            },
                            None => None,
                        };
                        if let Some(v) = value {
                            map.insert(f.wire_name.clone(), v);
                        }
                    }
                    serde_json::Value::Object(map)
                }
                TypeKind::Enum { variants } => variants
                    .first()
                    .map(|v| serde_json::Value::String(v.wire.clone()))
                    .unwrap_or(serde_json::Value::Null),
                TypeKind::IntEnum { variants } => {
                    variants.first().map(|v| serde_json::Value::from(v.1)).unwrap_or(serde_json::Value::Null)
                }
                TypeKind::Union { variants } => {
                    variants.first().map(|v| example_of(&v.ty, types, depth + 1)).unwrap_or(serde_json::Value::Null)
                }
                TypeKind::TaggedUnion { property, variants } => match variants.first() {
                    Some(v) => {
                        let mut e = example_of(&v.ty, types, depth + 1);
                        if let (serde_json::Value::Object(m), Some(tag)) = (&mut e, v.tags.first()) {
                            m.insert(property.clone(), serde_json::Value::String(tag.clone()));
                        }
                        e
                    }
                    None => serde_json::Value::Null,
                },
                TypeKind::Alias(t) => example_of(t, types, depth + 1),
            }
        }
    }
}
