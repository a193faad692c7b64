{% import "rust/checks.rs" as checks -%}
//! {{ tag_name }}: the operations of the {{ version_title }} grouped under this tag.
//!
{{ description_inner }}

#![allow(clippy::large_enum_variant)]
// The senders return `impl Future<Output = Result<ApiResponse<T>, Error<E>>>` with the spec's own types.
#![allow(clippy::type_complexity)]
// Deprecated operations and models warn their users, not this module's own code.
#![allow(deprecated)]

{%- if uses_models %}
use super::models;
{%- endif %}
use crate::Client;
use crate::client::{ApiResponse, Request};
use crate::error::Error;

{{ type_docs }}
#[derive(Debug, Clone)]
pub struct {{ type_name }} {
    client: Client,
}

impl {{ type_name }} {
    /// A handle that sends its requests through `client`.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
{% for op in ops %}
{{ op.docs }}
    {%- if op.deprecated %}
    #[deprecated]
    {%- endif %}
    pub fn {{ op.fn_name }}(&self, {% for a in op.args %}{{ a.ident }}: {{ a.ty }}, {% endfor %}) -> {{ op.builder }} {
        {{ op.builder }} {
            client: self.client.clone(),
        {%- for i in op.inits %}
            {{ i }},
        {%- endfor %}
        }
    }
{% endfor %}
}
{% for op in ops %}
// @generator:chunk
/// A request to [`{{ type_name }}::{{ op.fn_name }}`]: set optional parameters, then `.await` it (or call
/// [`{{ op.builder }}::send`], or [`{{ op.builder }}::send_with_response`] for the status and headers too;
/// with the `blocking` feature, `send_blocking` from synchronous code).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct {{ op.builder }} {
    client: Client,
{%- for f in op.fields %}
    {{ f.ident }}: {{ f.ty }},
{%- endfor %}
}

impl {{ op.builder }} {
{%- for s in op.setters %}
{{ s.docs }}
    pub fn {{ s.ident }}(mut self, value: {{ s.ty }}) -> Self {
        self.{{ s.ident }} = {{ s.expr }};
        self
    }
{%- endfor %}

{%- if let Some(pg) = op.paging %}

    /// Every item of the list, in order, {{ pg.how }}.
    ///
    /// A [`Stream`](futures_core::Stream): `futures::TryStreamExt::try_collect` gathers the items.
    /// The position set here is the start;
    /// `.page_size(n)` changes the size and `.max_items(n)` stops early; every other parameter goes
    /// with each page. A `400` after the first page ends the list.
    {#- Inline, as `into_future` is: the boxed page future, and every decoder it reaches, is compiled in the program that pages, not in this crate (a whole API's crate otherwise compiles each paged operation's whole send path). #}
    #[inline]
    pub fn paginate(self) -> crate::pagination::Paginate<{{ pg.generics }}> {
        crate::pagination::Paginate::new(self.pages())
    }

    /// Every page of the list, each with its status, headers and whole body (see [`Self::paginate`]).
    #[inline]
    pub fn pages(self) -> crate::pagination::Pages<{{ pg.generics }}> {
        let start = {{ pg.start }};
        let limits = {{ pg.limits }};
        crate::pagination::Pages::<{{ pg.generics }}>::new(start, limits, {{ pg.list }}, {{ pg.into_list }}, move |at, {{ pg.limit_arg }}| {
            let mut page = self.clone();
        {%- for s in pg.set %}
            {{ s }}
        {%- endfor %}
            Box::pin(crate::pagination::checked_page(page.send_with_response()))
        }){{ pg.advance }}
    }
{%- endif %}
{%- if let Some(sp) = op.search %}

    /// Every result of the search, in order, paged with `searchAfter` on the search's one sort field
    /// (each page starts after the previous page's last sort value), so past the 10,000 results offset
    /// paging reaches. The search must sort on exactly one field (`sort: ["id"]`), or the stream yields
    /// `Error::Invalid` and sends nothing. Pages of the `limit` set here, else 250 or the spec's maximum.
    #[inline]
    pub fn paginate_search(self) -> crate::pagination::Paginate<{{ sp.item }}, {{ op.error_enum }}> {
        crate::pagination::Paginate::new(self.search_pages())
    }

    /// Every page of the search, each with its status and headers (see [`Self::paginate_search`]).
    #[inline]
    pub fn search_pages(self) -> crate::pagination::Pages<{{ sp.item }}, {{ op.error_enum }}> {
        let size = self.{{ sp.limit }}.and_then(|l| u64::try_from(l).ok());
        let sort = self.{{ sp.body }}.{{ sp.sort }}.clone().unwrap_or_default();
        let after = self.{{ sp.body }}.{{ sp.after }}.as_ref().and_then(|a| a.first().cloned());
        let limits = crate::pagination::Limits { asked: size, maximum: {{ sp.maximum }}, sized: true, ..Default::default() };
        let pages = crate::pagination::Pages::new(Default::default(), limits, Vec::as_slice, std::convert::identity, move |at, limit| {
            let mut page = self.clone();
            page.{{ sp.body }}.{{ sp.after }} = at.after.clone().map(|a| vec![a]);
            page.{{ sp.limit }} = Some({{ sp.limit_ty }}::try_from(limit).unwrap_or({{ sp.limit_ty }}::MAX));
            Box::pin(crate::pagination::checked_page(page.send_with_response()))
        });
        match sort.as_slice() {
            [field] => {
                let field = field.clone();
                pages.search_after(after, move |item| crate::pagination::sort_value(item, &field))
            }
            _ => pages.refuse(Error::Invalid(crate::InvalidValue::new(
                "sort",
                format!("must name exactly one field for search-after paging; it names {}", sort.len()),
            ))),
        }
    }
{%- endif %}

    /// Sends the request and returns the decoded body; a body that needed correction is an
    /// [`Error::Decode`] (see [`ApiResponse::into_checked_body`]).
    #[inline]
    pub fn send(self) -> impl std::future::Future<Output = Result<{{ op.ok_ty }}, Error<{{ op.error_enum }}>>> + Send {
        crate::client::checked_body(self.send_with_response())
    }

    /// Sends the request from synchronous code and returns the decoded body (feature `blocking`). Inside
    /// an async runtime this returns [`Error::Config`]: `.await` the request there.
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    #[inline]
    pub fn send_blocking(self) -> Result<{{ op.ok_ty }}, Error<{{ op.error_enum }}>> {
        crate::client::block_on(self.send())
    }

    /// Like [`Self::send_blocking`], with the status and headers too (feature `blocking`).
    #[cfg(feature = "blocking")]
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    #[inline]
    pub fn send_with_response_blocking(self) -> Result<ApiResponse<{{ op.ok_ty }}>, Error<{{ op.error_enum }}>> {
        crate::client::block_on(self.send_with_response())
    }

    /// Sends the request and returns the decoded body with the status and headers.
    {#- Not `async fn`: the one async body is the runtime's generic `send_operation`, so this crate type-checks no
        coroutine per operation; the request is built, and checked, when this is called. It and the two
        functions below are `inline`, as `into_future` is: compiled, with the decoders and encoders they
        reach, in the program that calls them, not in this crate. #}
    #[inline]
    pub fn send_with_response(self) -> impl std::future::Future<Output = Result<ApiResponse<{{ op.ok_ty }}>, Error<{{ op.error_enum }}>>> + Send {
        crate::client::send_operation(self.request({% if op.streamable %}false{% endif %}), Self::interpret)
    }
    {%- if op.streamable %}

    /// Like [`Self::send_with_response`], with the body as a stream of chunks read as it is polled
    /// ([`crate::client::ByteStream`]), so a large download never sits in memory whole and is not bound
    /// by `BodyLimits::response`. Error statuses are decoded as usual.
    #[inline]
    pub fn send_stream(self) -> impl std::future::Future<Output = Result<ApiResponse<crate::client::ByteStream>, Error<{{ op.error_enum }}>>> + Send {
        crate::client::send_operation_stream(self.request(true), Self::interpret)
    }
    {%- endif %}

    /// The request this builder describes, checked, with the client that sends it.
    #[inline]
    fn request(self{% if op.streamable %}, stream: bool{% endif %}) -> Result<(crate::runtime_client::Client, Request), Error<{{ op.error_enum }}>> {
    {%- for f in op.checks %}{% call checks::on_field(f) %}{% endcall %}{% endfor %}
        #[allow(unused_mut)]
        let mut request = Request::new(crate::USER_AGENT, reqwest::Method::{{ op.method }}, {{ op.path_expr }}, {{ op.accept_lit }});
    {%- if op.experimental %}
        request.experimental = Some({{ op.id_lit }});
    {%- endif %}
    {%- if let Some(errors) = op.accept_errors_lit %}
        request.accept_errors = {{ errors }};
    {%- endif %}
    {%- if let Some((ident, required, media)) = op.accept_param %}
    {%- if required %}
        if let Some(media) = crate::client::accept_for(&self.{{ ident }}, {{ media }}) {
            request.accept = media;
        }
    {%- else %}
        if let Some(media) = self.{{ ident }}.as_ref().and_then(|v| crate::client::accept_for(v, {{ media }})) {
            request.accept = media;
        }
    {%- endif %}
    {%- endif %}
    {%- if op.format.is_some() %}
        if let Some(format) = self.response_format {
            request.accept = format.media_type();
        }
    {%- endif %}
    {%- if let Some(security) = op.security %}
        const SECURITY: &[&[&crate::security::Scheme]] = {{ security }};
        request.security = Some(SECURITY);
    {%- endif %}
    {%- for p in op.params %}
    {%- if p.required %}
        {
            let v = &self.{{ p.ident }};
            request.{{ p.method }}({{ p.wire_lit }}, v{% if let Some(e) = p.explode %}, {{ e }}{% endif %});
        }
    {%- else %}
        if let Some(v) = &self.{{ p.ident }} {
            request.{{ p.method }}({{ p.wire_lit }}, v{% if let Some(e) = p.explode %}, {{ e }}{% endif %});
        }
    {%- endif %}
    {%- endfor %}
    {%- if let Some(b) = op.body %}
    {%- if b.required %}
        let body = Some(&self.{{ b.ident }});
    {%- else %}
        let body = self.{{ b.ident }}.as_ref();
    {%- endif %}
    {%- if !b.checks.is_empty() %}
        if let Some(v) = body {
        {%- for c in b.checks %}{% call checks::check(c) %}{% endcall %}{% endfor %}
        }
    {%- endif %}
    {%- if b.encoding == "json" %}
        if let Some(body) = body {
            request = request.json({{ b.ct_lit }}, body)?;
        }
    {%- else if b.encoding == "patch" %}
        if let Some(body) = body {
            body.check().map_err(Error::Encode)?;
            request = request.json({{ b.ct_lit }}, body)?;
        }
    {%- else if b.encoding == "text" %}
        if let Some(body) = body {
            request.body = crate::client::Body::Bytes { content_type: {{ b.ct_lit }}.into(), bytes: bytes::Bytes::from(body.to_string()) };
        }
    {%- else if b.encoding == "form" %}
        if let Some(body) = body {
            request = request.form({{ b.ct_lit }}, body)?;
        }
    {%- else if b.encoding == "entries" %}
        if let Some(body) = body {
            let mut form = crate::client::Multipart::new();
            form.entries(body);
            request.body = form.finish();
        }
    {%- else if b.encoding == "empty-form" %}
        if body.is_some() {
            request.body = crate::client::Multipart::new().finish();
        }
    {%- else if b.encoding == "multipart" %}
        if let Some(body) = body {
            let mut form = crate::client::Multipart::new();
        {%- for f in b.parts %}
        {%- if f.optional %}
            if let Some(v) = &body.{{ f.ident }} {
                {% if f.file %}form.file({{ f.name_lit }}, &v[..]);{% else %}form.text({{ f.name_lit }}, v);{% endif %}
            }{% if f.always %} else {
                form.text({{ f.name_lit }}, &"");
            }{% endif %}
        {%- else %}
            {% if f.file %}form.file({{ f.name_lit }}, &body.{{ f.ident }}[..]);{% else %}form.text({{ f.name_lit }}, &body.{{ f.ident }});{% endif %}
        {%- endif %}
        {%- endfor %}
            request.body = form.finish();
        }
    {%- else %}
        if let Some(body) = body {
            request.body = crate::client::Body::Bytes { content_type: {{ b.ct_lit }}.into(), bytes: body.clone() };
        }
    {%- endif %}
    {%- endif %}
    {%- if op.streamable %}
        request.stream = stream;
    {%- endif %}
        Ok((self.client.inner, request))
    }

    /// The response decoded as the operation documents its statuses.
    {%- if op.arms.len() == 1 %}
    // One documented answer (`default`): every status decodes the same way.
    #[allow(clippy::match_single_binding)]
    {%- endif %}
    #[inline]
    fn interpret(response: crate::client::RawResponse) -> Result<ApiResponse<{{ op.ok_ty }}>, Error<{{ op.error_enum }}>> {
        match response.status.as_u16() {
        {%- for a in op.arms %}
        {%- if a.kind == "success" %}
            {{ a.pattern }} => {% if a.decode == "json" %}response.json({{ op.id_lit }}){% else %}response.{{ a.decode }}(){% endif %}{% if let Some(v) = a.variant %}.map(|r| r.map({% if a.unit %}|()| {% endif %}{{ v }})){% endif %},
        {%- else if a.kind == "unexpected" %}
            {{ a.pattern }} => Err(response.unexpected()),
        {%- else %}
        {%- if let Some(v) = a.variant %}
        {%- if a.kind == "json" %}
            {{ a.pattern }} => Err(response.error_json({{ op.error_enum }}::{{ v }})),
        {%- else if a.kind == "text" %}
            {{ a.pattern }} => Err({
                let text = String::from_utf8_lossy(response.body.bytes()).into_owned();
                response.error_with({{ op.error_enum }}::{{ v }}(text))
            }),
        {%- else if a.kind == "binary" %}
            {{ a.pattern }} => Err({
                let bytes = bytes::Bytes::copy_from_slice(response.body.bytes());
                response.error_with({{ op.error_enum }}::{{ v }}(bytes))
            }),
        {%- else %}
            {{ a.pattern }} => Err(response.error_with({{ op.error_enum }}::{{ v }})),
        {%- endif %}
        {%- endif %}
        {%- endif %}
        {%- endfor %}
        }
    }
}

impl std::future::IntoFuture for {{ op.builder }} {
    type Output = Result<{{ op.ok_ty }}, Error<{{ op.error_enum }}>>;
    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

    // `inline`: the operation's code (the boxed future's body, its decoders) is compiled in the program
    // that awaits it, not in this crate, so a program compiles only the operations it calls.
    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

{%- if let Some(f) = op.format %}
/// The media types [`{{ type_name }}::{{ op.fn_name }}`] can answer with; pick one with
/// [`{{ op.builder }}::response_format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum {{ f.name }} {
{%- for (ident, _, media) in f.variants %}
    /// `{{ media }}`.
    {{ ident }},
{%- endfor %}
}

impl {{ f.name }} {
    /// The media type, as sent in `Accept`.
    pub fn media_type(self) -> &'static str {
        match self {
{%- for (ident, lit, _) in f.variants %}
            {{ f.name }}::{{ ident }} => {{ lit }},
{%- endfor %}
        }
    }
}
{%- endif %}

{%- if let Some(name) = op.success_enum %}
/// The successful responses [`{{ type_name }}::{{ op.fn_name }}`] documents, which differ in their bodies.
/// It serializes as the body it holds (`null` for a response without one).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum {{ name }} {
{%- for v in op.success_variants %}
{{ v.docs }}
    {{ v.ident }}{{ v.payload }},
{%- endfor %}
}
{%- endif %}

/// The error responses [`{{ type_name }}::{{ op.fn_name }}`] documents, decoded into their documented types.
#[derive(Debug, Clone)]
pub enum {{ op.error_enum }} {
{%- for v in op.error_variants %}
{{ v.docs }}
    {{ v.ident }}{{ v.payload }},
{%- endfor %}
}

impl std::fmt::Display for {{ op.error_enum }} {
    {%- if op.error_variants.is_empty() %}
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {}
    }
    {%- else %}
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
        {%- for v in op.error_variants %}
            Self::{{ v.ident }}{{ v.pattern }} => {{ v.display_lit }},
        {%- endfor %}
        })
    }
    {%- endif %}
}
{% endfor %}
