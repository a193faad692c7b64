//! The HTTP client every API version shares: configuration, authentication and sending requests.
//!
//! One [`Client`] serves every version module; each version adds its own path prefix
//! (`{base}/v3`, `{base}/v2025`, or the per-resource `/…/v1` paths) to the one base URL.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{ConfigError, Error, InvalidValue, ResponseBody};
use crate::retry::{RetryPolicy, retry_after};
use crate::security::{Applied, Credential, Credentials, Defaults, Scheme, Server};

/// The default time allowed to open a connection ([`ClientBuilder::connect_timeout`]).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time allowed for one attempt of a request, the whole response body included
/// ([`ClientBuilder::timeout`]); the token request has the same bound.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `User-Agent` of requests whose crate names none: this crate's own product token.
pub const USER_AGENT: &str = concat!("sdk-runtime/", env!("CARGO_PKG_VERSION"));

/// A client for an API. Cheap to clone: clones share one connection pool and
/// one access-token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    /// The caller opted in to experimental operations.
    experimental: bool,
    retry: RetryPolicy,
    /// Per attempt, the body included; `None` only when disabled with [`ClientBuilder::no_timeouts`].
    timeout: Option<Duration>,
    limits: BodyLimits,
    /// `name/version` of the application, after the crate's product token in the `User-Agent`.
    consumer: Option<String>,
    /// At most so many requests in any window, shared by every clone.
    rate_limit: Option<RateLimit>,
}

/// A client-side rate limit: at most `max` requests sent in any window of `per` (each attempt counts,
/// retries included). Requests over it wait for the window to move on.
pub(crate) struct RateLimit {
    max: usize,
    per: Duration,
    sent: tokio::sync::Mutex<std::collections::VecDeque<tokio::time::Instant>>,
}

impl RateLimit {
    /// Waits until a request may be sent, and counts it.
    async fn acquire(&self) {
        let mut sent = self.sent.lock().await;
        let now = tokio::time::Instant::now();
        while sent.front().is_some_and(|t| now.duration_since(*t) >= self.per) {
            sent.pop_front();
        }
        if sent.len() >= self.max
            && let Some(oldest) = sent.pop_front()
        {
            // Holding the lock while waiting keeps requests in the order they came.
            tokio::time::sleep_until(oldest + self.per).await;
        }
        sent.push_back(tokio::time::Instant::now());
    }
}

/// The largest response bodies the client reads into memory, in bytes. A body past its limit is not
/// read further: the call returns [`Error::BodyTooLarge`] with the status and headers, and the memory a
/// call holds stays bounded whatever the server sends. Set with [`ClientBuilder::body_limits`];
/// `usize::MAX` lifts a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    /// A successful response's body (JSON, text or binary): 64 MiB by default.
    pub response: usize,
    /// An error response's body: 1 MiB by default.
    pub error: usize,
    /// The token endpoint's answer: 64 KiB by default.
    pub token: usize,
}

impl Default for BodyLimits {
    fn default() -> Self {
        BodyLimits { response: 64 << 20, error: 1 << 20, token: 64 << 10 }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials.describe())
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("body_limits", &self.inner.limits)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::default()
    }

    /// A client for `base_url` (e.g. `https://api.example.com`) that sends `access_token` as a
    /// bearer token.
    pub fn new(base_url: impl Into<String>, access_token: impl Into<String>) -> Result<Client, ConfigError> {
        Client::builder().base_url(base_url).access_token(access_token).build()
    }

    /// The base URL, without a trailing slash and without a version suffix.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response, retrying as the [`RetryPolicy`] allows and, with
    /// client credentials, refreshing the access token once after a `401`. Statuses are not interpreted
    /// beyond that; redirects are not followed (a `3xx` is returned as it is). Not generic over the
    /// operation's error type, so the retry loop is compiled once, not once per operation; callers widen
    /// its errors with [`Error::widen`].
    #[doc(hidden)]
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error<Infallible>> {
        if let Some(operation) = request.experimental
            && !self.inner.experimental
        {
            return Err(Error::Config(ConfigError::new(
                format!("experimental operation `{operation}`"),
                "needs the client to opt in to experimental operations: `ClientBuilder::experimental(true)`",
            )));
        }
        let policy = &self.inner.retry;
        let mut url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| Error::Config(ConfigError::new("request URL", e.to_string())))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
            // A space as `%20`, as RFC 3986 and OpenAPI's `spaceDelimited` write it (form encoding's `+`
            // is read as a plus by some servers, Prism among them); a `+` in a value is `%2B` already.
            if let Some(q) = url.query().filter(|q| q.contains('+')).map(|q| q.replace('+', "%20")) {
                url.set_query(Some(&q));
            }
        }
        // Header values are checked before anything is sent; the error names the header, never its value.
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &request.headers {
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::Invalid(InvalidValue::new(name, "contains characters not allowed in a header".into()))
            })?;
            headers.append(header_name(name)?, value);
        }
        // Credentials go where the operation's security scheme says; query keys and cookies are fixed
        // for every attempt, headers and tokens are set per attempt.
        let chosen = self
            .inner
            .credentials
            .choose(request.security, &|| format!("{} {}", request.method, request.path))
            .map_err(Error::Config)?;
        let secret_query = place_keys(&chosen, &mut url, &mut headers)?;
        let may_retry = policy.may_retry(&request.method);
        let mut attempt: u32 = 1;
        let mut refreshed = false;
        loop {
            let mut builder = self.inner.http.request(request.method.clone(), url.clone()).headers(headers.clone());
            // The token sources this attempt used, with the generation of the token each gave.
            let mut tokens = Vec::new();
            for applied in &chosen {
                match applied {
                    Applied::Header(name, value) => builder = builder.header(name.clone(), value.clone()),
                    Applied::Basic(user, password) => {
                        builder = builder.basic_auth(user, Some(password.expose_secret()))
                    }
                    Applied::OAuth(source) => {
                        let t = source
                            .token(&self.inner.http, self.inner.timeout, self.inner.limits.token)
                            .await
                            .map_err(Error::Auth)?;
                        builder = builder.header(reqwest::header::AUTHORIZATION, t.header);
                        tokens.push((std::sync::Arc::clone(source), t.generation));
                    }
                    Applied::Query(..) | Applied::Cookie(..) => {}
                }
            }
            if let Body::Bytes { content_type, bytes } = &request.body {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_ref()).body(bytes.clone());
            }
            builder = match request.accept_errors {
                "" => builder.header(reqwest::header::ACCEPT, request.accept),
                errors => builder.header(reqwest::header::ACCEPT, format!("{}, {errors}", request.accept)),
            };
            let agent = match &self.inner.consumer {
                Some(c) => format!("{} {c}", request.user_agent),
                None => request.user_agent.to_string(),
            };
            builder = builder.header(reqwest::header::USER_AGENT, agent);
            if let Some(t) = self.inner.timeout {
                builder = builder.timeout(t);
            }
            if let Some(limit) = &self.inner.rate_limit {
                limit.acquire().await;
            }
            let wait = match send(builder, &self.inner.limits, request.stream).await {
                Ok(response) => {
                    let status = response.status.as_u16();
                    if status == 401 && !refreshed && invalidate(&tokens).await {
                        tracing::debug!(method = %request.method, path = %request.path, "401: refreshing the access token and retrying once");
                        refreshed = true;
                        continue;
                    }
                    let retryable = status == 429 || (matches!(status, 502..=504) && may_retry);
                    if !retryable || attempt >= policy.max_attempts {
                        return Ok(response);
                    }
                    let wait = retry_after(&response.headers).unwrap_or_else(|| policy.backoff(attempt));
                    if wait > policy.max_retry_after {
                        return Ok(response);
                    }
                    tracing::debug!(method = %request.method, path = %request.path, status, attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    wait
                }
                Err(Sent::TooLarge(e)) => return Err(Error::BodyTooLarge(e)),
                Err(Sent::Transport(e)) if connection_lost(&e) && may_retry && attempt < policy.max_attempts => {
                    let wait = policy.backoff(attempt);
                    tracing::debug!(method = %request.method, path = %request.path, attempt, wait_ms = wait.as_millis() as u64, error = %e.without_url(), "connection failed; retrying");
                    wait
                }
                Err(Sent::Transport(e)) => return Err(Error::from_transport(redact_query(e, &secret_query))),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// Puts the chosen query-parameter and cookie API keys on the URL and headers, which every attempt
/// shares; returns the names of the query parameters to redact from errors.
fn place_keys<'a>(
    chosen: &[&'a Applied],
    url: &mut reqwest::Url,
    headers: &mut reqwest::header::HeaderMap,
) -> Result<Vec<&'a str>, Error<Infallible>> {
    let mut secret_query: Vec<&str> = Vec::new();
    for applied in chosen {
        match applied {
            Applied::Query(name, key) => {
                url.query_pairs_mut().append_pair(name, key.expose_secret());
                secret_query.push(name);
            }
            Applied::Cookie(name, key) => {
                let pair = format!("{name}={}", key.expose_secret());
                let value = match headers.get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(existing) => format!("{existing}; {pair}"),
                    None => pair,
                };
                let mut value = reqwest::header::HeaderValue::from_str(&value).map_err(|_| {
                    Error::Config(ConfigError::new("API key", "contains characters not allowed in a cookie"))
                })?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::COOKIE, value);
            }
            _ => {}
        }
    }
    Ok(secret_query)
}

/// After a `401`: forgets the tokens an attempt used, and says whether to try once more (see
/// `TokenSource::invalidate`).
async fn invalidate(tokens: &[(std::sync::Arc<crate::auth::TokenSource>, u64)]) -> bool {
    let mut again = false;
    for (source, generation) in tokens {
        again |= source.invalidate(*generation).await;
    }
    again
}

/// The media type of `media` whose subtype is the text of `value` (`pdf` -> `application/pdf`): how a
/// format parameter's value picks the `Accept` of a download.
#[doc(hidden)]
pub fn accept_for<T: serde::Serialize>(value: &T, media: &[&'static str]) -> Option<&'static str> {
    let value = serde_json::to_value(value).ok()?;
    let value = value.as_str()?;
    media.iter().copied().find(|m| m.rsplit('/').next().is_some_and(|s| s.eq_ignore_ascii_case(value)))
}

/// A header name from the spec, checked rather than trusted (`HeaderMap` panics on an invalid one).
fn header_name(name: &str) -> Result<reqwest::header::HeaderName, Error<Infallible>> {
    reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(ConfigError::new(format!("header `{name}`"), "is not a valid header name")))
}

/// A transport error's URL with the values of secret query parameters (API keys) replaced, so that its
/// `Display` and `Debug` never show them.
fn redact_query(mut e: reqwest::Error, secret: &[&str]) -> reqwest::Error {
    if secret.is_empty() {
        return e;
    }
    if let Some(url) = e.url_mut() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret.contains(&k.as_ref()) { "[redacted]".to_string() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    e
}

/// Sends an operation's request and decodes the answer with its `interpret`: the one async body every
/// operation's `send_with_response` shares. Generic, so it is compiled (and type-checked as a coroutine)
/// where it is awaited, not once per operation in the generated crate. A request that failed its checks
/// is that error, and nothing is sent.
#[doc(hidden)]
pub async fn send_operation<T, E>(
    request: Result<(Client, Request), Error<E>>,
    interpret: fn(RawResponse) -> Result<ApiResponse<T>, Error<E>>,
) -> Result<ApiResponse<T>, Error<E>> {
    let (client, request) = request?;
    interpret(client.execute(request).await.map_err(Error::widen)?)
}

/// Like [`send_operation`], for a download whose body is streamed: a streamed success comes back as a
/// [`ByteStream`] unread; an error status (read whole, as always) is decoded by `interpret`.
#[doc(hidden)]
pub async fn send_operation_stream<T: Into<ByteStream>, E>(
    request: Result<(Client, Request), Error<E>>,
    interpret: fn(RawResponse) -> Result<ApiResponse<T>, Error<E>>,
) -> Result<ApiResponse<ByteStream>, Error<E>> {
    let (client, request) = request?;
    let response = client.execute(request).await.map_err(Error::widen)?;
    if response.stream.is_some() {
        return Ok(response.byte_stream());
    }
    interpret(response).map(|r| r.map(Into::into))
}

/// An operation's `send`: its `send_with_response`, then [`ApiResponse::into_checked_body`].
#[doc(hidden)]
pub async fn checked_body<T, E>(
    sent: impl std::future::Future<Output = Result<ApiResponse<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    sent.await.and_then(ApiResponse::into_checked_body)
}

/// Runs a request's future to completion for synchronous code (the `blocking` feature's `send_blocking`
/// methods). One runtime serves every client in the process: a single worker thread drives sockets and
/// timers while the calling thread waits, so many threads may block at once. It is created on first use
/// and never dropped. Inside an async runtime (including `spawn_blocking`) this refuses with
/// [`Error::Config`] rather than stall or panic: `.await` the request there.
#[cfg(feature = "blocking")]
#[doc(hidden)]
pub fn block_on<T, E>(future: impl std::future::Future<Output = Result<T, Error<E>>>) -> Result<T, Error<E>> {
    static RUNTIME: std::sync::OnceLock<Result<tokio::runtime::Runtime, String>> = std::sync::OnceLock::new();
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(ConfigError::new(
            "blocking call",
            "was made inside an async runtime, where it would stall the runtime's thread: `.await` the request instead",
        )));
    }
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("sdk-runtime-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    match runtime {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => Err(Error::Config(ConfigError::new("blocking runtime", format!("could not start: {e}")))),
    }
}

/// Whether a transport error lost the connection itself: it could not be opened, or it was reset or
/// closed before the whole response arrived (a load balancer dropping a keep-alive connection, a server
/// restart). The request may have reached the server, so only idempotent methods are retried on it
/// (see [`RetryPolicy`]). Timeouts are not a lost connection: they are never retried.
fn connection_lost(e: &reqwest::Error) -> bool {
    if e.is_connect() {
        return true;
    }
    if e.is_timeout() {
        return false;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(io.kind(), ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof | NotConnected) {
                return true;
            }
        }
        // hyper's words for a connection that closed mid-message.
        let text = s.to_string();
        if text.contains("connection closed before message completed")
            || text.contains("end of file before message length reached")
            || text.contains("connection reset")
        {
            return true;
        }
        source = s.source();
    }
    false
}

/// Why one attempt produced no response: the transport failed, or the body passed its limit.
enum Sent {
    Transport(reqwest::Error),
    TooLarge(Box<crate::error::BodyTooLarge>),
}

/// Sends one request and reads the whole response, within the body limit for its status.
async fn send(builder: reqwest::RequestBuilder, limits: &BodyLimits, stream: bool) -> Result<RawResponse, Sent> {
    let mut response = builder.send().await.map_err(Sent::Transport)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    if stream && status.is_success() {
        // The caller reads the body as it arrives: no limit applies, and nothing is held here.
        let body = ResponseBody::new(bytes::Bytes::new(), status);
        return Ok(RawResponse { status, headers, body, stream: Some(response) });
    }
    let limit = if status.is_success() { limits.response } else { limits.error };
    match read_limited(&mut response, limit).await {
        Ok(bytes) => Ok(RawResponse { status, headers, body: ResponseBody::new(bytes, status), stream: None }),
        Err(Some(e)) => Err(Sent::Transport(e)),
        Err(None) => Err(Sent::TooLarge(Box::new(crate::error::BodyTooLarge { status, headers, limit }))),
    }
}

/// Reads a body of at most `limit` bytes: `Err(None)` as soon as it is known to be longer (from its
/// `Content-Length`, or once more has arrived), without reading the rest.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, Option<reqwest::Error>> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(None);
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Some)? {
        if chunk.len() > limit - body.len() {
            return Err(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Configures a [`Client`], or a generated crate's client `C` that wraps one (`build` returns a `C`
/// made `From` the runtime's client; generated crates name `ClientBuilder<TheirClient>` their
/// `ClientBuilder`).
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    defaults: Defaults,
    /// Credentials for particular schemes, in the order set (the last for a scheme wins).
    credentials: Vec<(String, Credential)>,
    /// The security schemes of the API (set by generated crates).
    schemes: &'static [&'static Scheme],
    /// The servers of the API (set by generated crates), the one picked, and the variables set.
    servers: &'static [Server],
    server: Option<usize>,
    server_variables: Vec<(String, String)>,
    experimental: bool,
    token_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    no_timeouts: bool,
    limits: Option<BodyLimits>,
    retry: Option<RetryPolicy>,
    consumer: Option<String>,
    rate_limit: Option<(u32, Duration)>,
    proxies: Vec<reqwest::Proxy>,
    no_proxy: bool,
    http: Option<reqwest::Client>,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            defaults: Defaults::default(),
            credentials: Vec::new(),
            schemes: &[],
            servers: &[],
            server: None,
            server_variables: Vec::new(),
            experimental: false,
            token_url: None,
            timeout: None,
            connect_timeout: None,
            no_timeouts: false,
            limits: None,
            retry: None,
            consumer: None,
            rate_limit: None,
            proxies: Vec::new(),
            no_proxy: false,
            http: None,
            client: std::marker::PhantomData,
        }
    }
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("access_token", &self.defaults.access_token.as_ref().map(|_| "(redacted)"))
            .field("api_key", &self.defaults.api_key.as_ref().map(|_| "(redacted)"))
            .field("basic_user", &self.defaults.basic.as_ref().map(|(user, _)| user))
            .field("client_id", &self.defaults.client_credentials.as_ref().map(|(id, _)| id))
            .field("client_secret", &self.defaults.client_credentials.as_ref().map(|_| "(redacted)"))
            .field("credentials", &self.credentials)
            .field("server", &self.server)
            .field("server_variables", &self.server_variables)
            .field("experimental", &self.experimental)
            .field("token_url", &self.token_url.as_deref().map(redact_userinfo))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("no_timeouts", &self.no_timeouts)
            .field("body_limits", &self.limits)
            .field("retry", &self.retry)
            .field("consumer", &self.consumer)
            .field("rate_limit", &self.rate_limit)
            // A proxy's URL may carry its credentials: only the count is shown.
            .field("proxies", &self.proxies.len())
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// The API's base URL, e.g. `https://api.example.com` (without the path every operation's path
    /// starts with). It must be HTTPS unless the
    /// host is a loopback address.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The security schemes of the API (generated crates set them).
    #[doc(hidden)]
    pub fn schemes(mut self, schemes: &'static [&'static Scheme]) -> Self {
        self.schemes = schemes;
        self
    }

    /// The servers of the API (generated crates set them).
    #[doc(hidden)]
    pub fn servers(mut self, servers: &'static [Server]) -> Self {
        self.servers = servers;
        self
    }

    /// Uses the spec's server number `index` (from 0, in the spec's order) for the base URL, with its
    /// variables' defaults where none is set. Without [`ClientBuilder::base_url`], a server without
    /// variables is used by default; one with variables only once it is picked or a variable is set
    /// (its defaults are usually examples).
    pub fn server(mut self, index: usize) -> Self {
        self.server = Some(index);
        self
    }

    /// Sets the server URL variable `name` (generated crates have a typed setter per variable, such as
    /// `.tenant("acme")`); checked against the values the spec allows at [`ClientBuilder::build`].
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.server_variables.push((name.into(), value.into()));
        self
    }

    /// Opts in to experimental operations (off by default): they send the header that marks the
    /// request as experimental; without the opt-in they return [`Error::Config`] before anything is
    /// sent. Experimental APIs may change without notice.
    pub fn experimental(mut self, on: bool) -> Self {
        self.experimental = on;
        self
    }

    /// The credential for the security scheme the spec names `scheme` (generated crates have a typed
    /// setter per scheme that calls this). A credential of the wrong kind for the scheme, or for a scheme
    /// the API does not declare, is a [`ConfigError`] at [`ClientBuilder::build`].
    pub fn credential(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        self.credentials.push((scheme.into(), credential));
        self
    }

    /// A bearer access token for every `oauth2`, `openIdConnect` and `http` (non-basic) scheme that has
    /// no credential of its own, and for operations that declare no security (instead of client
    /// credentials).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.defaults.access_token = Some(SecretString::from(token.into()));
        self.defaults.client_credentials = None;
        self
    }

    /// A client id and secret (a personal access token's, for example), exchanged for access
    /// tokens with the OAuth2 client-credentials grant at the token URL of each `oauth2` scheme that has
    /// no credential of its own (instead of a static access token).
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.defaults.client_credentials = Some((client_id.into(), SecretString::from(client_secret.into())));
        self.defaults.access_token = None;
        self
    }

    /// An API key for every `apiKey` scheme that has no credential of its own: sent as the header, query
    /// parameter or cookie the scheme names, and only to operations whose security takes it.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.defaults.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// HTTP basic credentials for every `http` `basic` scheme that has no credential of its own, sent only
    /// to operations whose security takes it.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.defaults.basic = Some((user.into(), SecretString::from(password.into())));
        self
    }

    /// The OAuth2 token endpoint for client credentials, instead of the one the spec declares (a URL the
    /// spec gives relative to the server is resolved against the base URL).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Total time allowed for one attempt of a request, the response body included;
    /// [`DEFAULT_TIMEOUT`] (60 s) if not set. The token request has the same bound. Applied per request,
    /// so it holds with a client from [`ClientBuilder::http_client`] too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self.no_timeouts = false;
        self
    }

    /// Time allowed to open a connection; [`DEFAULT_CONNECT_TIMEOUT`] (10 s) if not set.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self.no_timeouts = false;
        self
    }

    /// Turns both timeouts off: a server that accepts a connection and never answers then holds a call
    /// (and, while it fetches a token, every call) for as long as it likes. Only for callers that bound
    /// calls themselves, e.g. with `tokio::time::timeout`.
    pub fn no_timeouts(mut self) -> Self {
        self.timeout = None;
        self.connect_timeout = None;
        self.no_timeouts = true;
        self
    }

    /// The largest bodies read into memory; [`BodyLimits::default`] if not set.
    pub fn body_limits(mut self, limits: BodyLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// When failed requests are tried again; [`RetryPolicy::default`] if not set.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Names the application in the `User-Agent` header, after the generated crate's product token.
    pub fn consumer(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.consumer = Some(format!("{}/{}", name.into(), version.into()));
        self
    }

    /// Spaces requests so that at most `requests` are sent in any window of `per` (an API may allow, say, 100
    /// per access token per 10 seconds), shared by every clone of the client; off by default. Every
    /// attempt counts, retries and pages included; a request over the limit waits.
    pub fn rate_limit(mut self, requests: u32, per: Duration) -> Self {
        self.rate_limit = Some((requests, per));
        self
    }

    /// Sends requests through `proxy` (`reqwest::Proxy::all("http://proxy:3128")`, with
    /// `.basic_auth(..)` or `.no_proxy(..)` as needed), instead of the proxies of the environment. May be
    /// called more than once; the first proxy that matches a URL is used.
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        self.proxies.push(proxy);
        self.no_proxy = false;
        self
    }

    /// Sends every request directly: no proxy, not even those of the environment.
    pub fn no_proxy(mut self) -> Self {
        self.proxies.clear();
        self.no_proxy = true;
        self
    }

    /// Uses a preconfigured `reqwest::Client` (TLS roots, DNS, ...). Start it from
    /// [`http_client_builder`], which turns off redirects and the `Referer` header: a client that follows
    /// redirects would re-send the client secret, and request bodies, wherever a server points it. The
    /// connect timeout, proxies and `User-Agent` set on this builder are then not applied (configure them
    /// on that client); the per-attempt [`ClientBuilder::timeout`] and the body limits still are.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<C, ConfigError> {
        self.build_runtime().map(C::from)
    }

    fn build_runtime(self) -> Result<Client, ConfigError> {
        let base = match self.base_url {
            Some(base) => base,
            None => crate::security::server_url(self.servers, self.server, &self.server_variables)?,
        };
        let base_url = check_base_url(&base, "base URL")?;
        let token_url = match &self.token_url {
            Some(u) => Some(check_base_url(u, "token URL")?),
            None => None,
        };
        let timeout = if self.no_timeouts { None } else { Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)) };
        let http = match self.http {
            Some(h) => h,
            None => {
                // Without a TLS feature, reqwest would fail every HTTPS request with a transport error;
                // say so here, where the fix is known.
                #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls")))]
                for (setting, url) in [("base URL", Some(base_url.as_str())), ("token URL", token_url.as_deref())] {
                    if url.is_some_and(|u| u.starts_with("https:")) {
                        return Err(ConfigError::new(
                            setting,
                            "is HTTPS, but this build of the client has no TLS: enable the `rustls-ring` (or \
                             `rustls-aws-lc`, or `native-tls`) feature, or pass a `reqwest::Client` with TLS to \
                             `http_client`",
                        ));
                    }
                }
                let mut b = http_client_builder().user_agent(USER_AGENT);
                if !self.no_timeouts {
                    b = b.connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
                }
                // reqwest would otherwise read the environment's proxies for every host, loopback included.
                b = b.no_proxy();
                if !self.no_proxy {
                    let proxies = if self.proxies.is_empty() {
                        env_proxies(&|name| std::env::var(name).ok())
                    } else {
                        self.proxies
                    };
                    for p in proxies {
                        b = b.proxy(p);
                    }
                }
                b.build().map_err(|e| ConfigError::new("HTTP client", e.to_string()))?
            }
        };
        let credentials = Credentials::prepare(crate::security::Settings {
            schemes: self.schemes,
            credentials: self.credentials,
            defaults: self.defaults,
            token_url,
            base_url: &base_url,
            check_url: &check_base_url,
        })?;
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(ConfigError::new("retry policy", "max_attempts must be at least 1"));
        }
        let limits = self.limits.unwrap_or_default();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                experimental: self.experimental,
                retry,
                timeout,
                limits,
                consumer: self.consumer,
                rate_limit: match self.rate_limit {
                    None => None,
                    Some((0, _)) => return Err(ConfigError::new("rate limit", "must allow at least 1 request")),
                    Some((max, per)) => {
                        Some(RateLimit { max: max as usize, per, sent: tokio::sync::Mutex::new(Default::default()) })
                    }
                },
            }),
        })
    }
}

/// The proxies of the environment, as curl reads them (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, in
/// either case, and `NO_PROXY`), except that loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) are
/// always reached directly, so that a local server never sees its traffic go through a proxy.
/// `HTTP_PROXY` is ignored in a CGI program (`REQUEST_METHOD` set), where a client could set it.
pub(crate) fn env_proxies(env: &dyn Fn(&str) -> Option<String>) -> Vec<reqwest::Proxy> {
    let get = |name: &str| env(name).or_else(|| env(&name.to_ascii_lowercase())).filter(|v| !v.trim().is_empty());
    let mut exempt = String::from("localhost,127.0.0.0/8,::1");
    if let Some(list) = get("NO_PROXY") {
        exempt.push(',');
        exempt.push_str(&list);
    }
    let cgi = env("REQUEST_METHOD").is_some();
    let mut out = Vec::new();
    let mut add = |p: reqwest::Result<reqwest::Proxy>| {
        if let Ok(p) = p {
            out.push(p.no_proxy(reqwest::NoProxy::from_string(&exempt)));
        }
    };
    if let Some(v) = get("HTTPS_PROXY") {
        add(reqwest::Proxy::https(v.trim()));
    }
    if let Some(v) = get("HTTP_PROXY").filter(|_| !cgi) {
        add(reqwest::Proxy::http(v.trim()));
    }
    if let Some(v) = get("ALL_PROXY") {
        add(reqwest::Proxy::all(v.trim()));
    }
    out
}

/// A `reqwest::ClientBuilder` as this crate sets up its own: redirects are not followed and no
/// `Referer` is sent. With the default `native-tls` feature there is no crypto provider to choose, and
/// with `rustls-aws-lc` reqwest brings its own; with `rustls-ring` this first makes ring the process's rustls crypto provider, unless the program
/// installed another one. Start custom HTTP clients for [`ClientBuilder::http_client`] from here.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    #[cfg(feature = "rustls-ring")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).referer(false)
}

/// A URL for messages: any user name and password between `scheme://` and the host replaced by `***`.
fn redact_userinfo(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let authority_end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}***@{}", &url[..start], &url[start + at + 1..]),
        None => url.to_string(),
    }
}

/// Checks a base URL: absolute, HTTP(S), HTTPS unless loopback, no user name or password; returns it
/// without a trailing slash. Messages never repeat a password the URL carried.
fn check_base_url(base: &str, setting: &str) -> Result<String, ConfigError> {
    let shown = redact_userinfo(base);
    let url = reqwest::Url::parse(base)
        .map_err(|e| ConfigError::new(setting, format!("`{shown}` is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            setting,
            format!(
                "`{shown}` carries a user name or password: credentials go to the builder's own setters, never into a URL"
            ),
        ));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(ConfigError::new(
                setting,
                format!("`{shown}` must use https (plain http is allowed only for loopback addresses)"),
            ));
        }
        other => return Err(ConfigError::new(setting, format!("`{shown}` has unsupported scheme `{other}`"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(setting, format!("`{shown}` must not have a query or fragment")));
    }
    Ok(base.trim_end_matches('/').to_string())
}

/// A request ready to send: everything generated operation code decided.
#[doc(hidden)]
pub struct Request {
    pub method: reqwest::Method,
    pub path: String,
    pub query: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
    pub accept: &'static str,
    /// The media types of the operation's documented error bodies that `accept` does not name, with
    /// a lower weight (`application/json;q=0.9`): sent after it, so a server that negotiates the
    /// response's type can still send the error in the type the spec documents.
    pub accept_errors: &'static str,
    /// Stream a successful response's body to the caller instead of reading it whole.
    pub stream: bool,
    /// The operation's id when it is experimental: sent only by a client that opted in with
    /// [`ClientBuilder::experimental`].
    pub experimental: Option<&'static str>,
    /// The operation's security: alternatives, any one of which suffices, each a list of schemes sent
    /// together (an empty one: no credentials). `None` when the spec declares none for it.
    pub security: Option<&'static [&'static [&'static Scheme]]>,
    /// The generated crate's product token (`name/version`), sent as the `User-Agent` before the
    /// consumer's.
    pub user_agent: &'static str,
}

impl Request {
    #[doc(hidden)]
    pub fn new(user_agent: &'static str, method: reqwest::Method, path: String, accept: &'static str) -> Self {
        Request {
            user_agent,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            accept,
            accept_errors: "",
            security: None,
            experimental: None,
            stream: false,
        }
    }

    /// Serializes `body` as JSON with the given content type.
    #[doc(hidden)]
    pub fn json<T: serde::Serialize, E>(mut self, content_type: &'static str, body: &T) -> Result<Self, Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(Error::Encode)?;
        self.body = Body::Bytes { content_type: content_type.into(), bytes: bytes.into() };
        Ok(self)
    }
    /// Adds a query parameter in OpenAPI's `form` style: arrays are repeated (`explode`) or
    /// comma-joined; an object's members are parameters of their own (`explode`: `role=admin&age=3`) or
    /// joined as `name=role,admin,age,3`.
    #[doc(hidden)]
    pub fn query<T: serde::Serialize>(&mut self, name: &'static str, value: &T, explode: bool) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) if explode => {
                for item in items {
                    self.query.push((name.into(), param_text(&item)));
                }
            }
            Ok(serde_json::Value::Object(members)) if explode => {
                for (member, v) in members.into_iter().filter(|(_, v)| !v.is_null()) {
                    self.query.push((member.into(), param_text(&v)));
                }
            }
            Ok(v) => self.query.push((name.into(), joined(&v, ",", false))),
            Err(_) => {}
        }
    }
    /// Adds a query parameter whose array is joined by `delimiter` (`' '` for `style: spaceDelimited`,
    /// `'|'` for `pipeDelimited`), as is an object's members and their values.
    #[doc(hidden)]
    pub fn query_joined<T: serde::Serialize>(&mut self, name: &'static str, value: &T, delimiter: char) {
        if let Ok(v) = serde_json::to_value(value) {
            self.query.push((name.into(), joined(&v, &delimiter.to_string(), false)));
        }
    }
    /// Adds a query parameter in OpenAPI's `deepObject` style: each member of an object as
    /// `name[member]=value` (a nested object as `name[member][inner]=value`, an array's items repeated);
    /// a value that is not an object as [`Request::query`] sends it.
    #[doc(hidden)]
    pub fn query_deep<T: serde::Serialize>(&mut self, name: &'static str, value: &T) {
        fn members(out: &mut Vec<(std::borrow::Cow<'static, str>, String)>, at: &str, v: &serde_json::Value) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                        members(out, &format!("{at}[{k}]"), v);
                    }
                }
                serde_json::Value::Array(items) => {
                    for item in items {
                        members(out, at, item);
                    }
                }
                other => out.push((at.to_string().into(), param_text(other))),
            }
        }
        match serde_json::to_value(value) {
            Ok(v @ serde_json::Value::Object(_)) => members(&mut self.query, name, &v),
            Ok(_) => self.query(name, value, true),
            Err(_) => {}
        }
    }
    /// Adds a request header in OpenAPI's `simple` style: array items comma-joined, an object's members
    /// as `role,admin,age,3` (or, `explode`, `role=admin,age=3`).
    #[doc(hidden)]
    pub fn header<T: serde::Serialize>(&mut self, name: &'static str, value: &T, explode: bool) {
        if let Ok(v) = serde_json::to_value(value) {
            self.headers.push((name, joined(&v, ",", explode)));
        }
    }
}

impl Request {
    /// Sends `body` as `application/x-www-form-urlencoded`: each member of the serialized object is a
    /// field (arrays repeat it, objects are JSON text, nulls are left out).
    #[doc(hidden)]
    pub fn form<T: serde::Serialize, E>(mut self, content_type: &'static str, body: &T) -> Result<Self, Error<E>> {
        let value = serde_json::to_value(body).map_err(Error::Encode)?;
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, v) in fields(&value) {
            form.append_pair(name, &v);
        }
        self.body = Body::Bytes { content_type: content_type.into(), bytes: form.finish().into() };
        Ok(self)
    }
    /// Adds a cookie to the `Cookie` header.
    #[doc(hidden)]
    pub fn cookie<T: serde::Serialize>(&mut self, name: &'static str, value: &T) {
        if let Ok(v) = serde_json::to_value(value) {
            let pair = format!("{name}={}", joined(&v, ",", false));
            match self.headers.iter_mut().find(|(n, _)| *n == "cookie") {
                Some((_, existing)) => {
                    existing.push_str("; ");
                    existing.push_str(&pair);
                }
                None => self.headers.push(("cookie", pair)),
            }
        }
    }
}

/// The (name, text) fields of a serialized object, for form bodies.
fn fields(value: &serde_json::Value) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (name, v) in map {
            match v {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => out.extend(items.iter().map(|i| (name.as_str(), param_text(i)))),
                other => out.push((name.as_str(), param_text(other))),
            }
        }
    }
    out
}

/// A `multipart/form-data` body, encoded in memory so a request can be retried.
#[doc(hidden)]
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    #[doc(hidden)]
    pub fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let h = std::collections::hash_map::RandomState::new().build_hasher();
        Multipart { boundary: format!("sdk-runtime-boundary-{:016x}", h.finish()), body: Vec::new() }
    }

    fn head(&mut self, name: &str, file_name: Option<&str>, content_type: &str) {
        let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        self.body.extend_from_slice(
            format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape(name)).as_bytes(),
        );
        if let Some(f) = file_name {
            self.body.extend_from_slice(format!("; filename=\"{}\"", escape(f)).as_bytes());
        }
        self.body.extend_from_slice(format!("\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    }
    /// Every top-level entry of a value's JSON object as a text field (for bodies that are maps).
    #[doc(hidden)]
    pub fn entries<T: serde::Serialize>(&mut self, value: &T) {
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(value) {
            for (name, v) in &map {
                self.text(name, v);
            }
        }
    }
    /// A text field: strings as they are, other values as JSON (arrays repeat the field).
    #[doc(hidden)]
    pub fn text<T: serde::Serialize>(&mut self, name: &str, value: &T) {
        let Ok(v) = serde_json::to_value(value) else { return };
        let values: Vec<serde_json::Value> = match v {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for v in values {
            let (text, ct) = match &v {
                serde_json::Value::Object(_) => (v.to_string(), "application/json"),
                other => (param_text(other), "text/plain; charset=utf-8"),
            };
            self.head(name, None, ct);
            self.body.extend_from_slice(text.as_bytes());
            self.body.extend_from_slice(b"\r\n");
        }
    }
    /// A file field.
    #[doc(hidden)]
    pub fn file(&mut self, name: &str, bytes: &[u8]) {
        self.head(name, Some(name), "application/octet-stream");
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
    }

    #[doc(hidden)]
    pub fn finish(mut self) -> Body {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        Body::Bytes {
            content_type: format!("multipart/form-data; boundary={}", self.boundary).into(),
            bytes: self.body.into(),
        }
    }
}

/// A value as it appears in a URL or header: strings unquoted, everything else as JSON.
fn param_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parameter value as OpenAPI's `simple` and non-exploded `form` styles write it: an array's items
/// joined by `delimiter`; an object's members (`null` ones left out) as `key,value,key,value` or, with
/// `explode`, `key=value,key=value`; a scalar as [`param_text`].
fn joined(v: &serde_json::Value, delimiter: &str, explode: bool) -> String {
    simple(v, delimiter, explode, &|s| s.to_string())
}

/// [`joined`], with every key and value passed through `encode` (the delimiters are not).
fn simple(v: &serde_json::Value, delimiter: &str, explode: bool, encode: &dyn Fn(&str) -> String) -> String {
    match v {
        serde_json::Value::Array(items) => {
            items.iter().map(|i| encode(&param_text(i))).collect::<Vec<_>>().join(delimiter)
        }
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let between = if explode { "=" } else { delimiter };
                format!("{}{between}{}", encode(k), encode(&param_text(v)))
            })
            .collect::<Vec<_>>()
            .join(delimiter),
        other => encode(&param_text(other)),
    }
}

/// Percent-encodes one path parameter as one path segment, in OpenAPI's `simple` style: an array's
/// items comma-joined, an object's members as `key,value,key,value` (`explode`: `key=value,...`), each
/// key and value encoded and the `,` and `=` between them not. An empty value, `.` or `..` is refused
/// before anything is sent: the URL parser would drop or collapse such a segment (`DELETE
/// /tokens/..` would become `DELETE /`), sending the request to another resource than the one named.
#[doc(hidden)]
pub fn path_segment<T: serde::Serialize>(name: &str, value: &T, explode: bool) -> Result<String, InvalidValue> {
    let value = serde_json::to_value(value).unwrap_or_default();
    let text = joined(&value, ",", explode);
    if matches!(text.as_str(), "" | "." | "..") {
        let what = if text.is_empty() { "is empty" } else { "is a dot segment (`.` or `..`)" };
        return Err(InvalidValue::new(name, format!("{what}: a path parameter must name one resource")));
    }
    Ok(simple(&value, ",", explode, &segment_encoded))
}

/// A path parameter in OpenAPI's `label` style: `.` then the value as [`path_segment`] writes it
/// (exploded, an array's items and an object's `key=value` members are each after a `.`). A value that
/// makes the segment `.` or `..` (an empty or a `.` value) is refused, as in [`path_segment`].
#[doc(hidden)]
pub fn path_label<T: serde::Serialize>(name: &str, value: &T, explode: bool) -> Result<String, InvalidValue> {
    let value = serde_json::to_value(value).unwrap_or_default();
    let delimiter = if explode { "." } else { "," };
    let segment = format!(".{}", simple(&value, delimiter, explode, &segment_encoded));
    if matches!(segment.as_str(), "." | "..") {
        return Err(InvalidValue::new(
            name,
            "makes a dot segment (`.` or `..`): a path parameter must name one resource".into(),
        ));
    }
    Ok(segment)
}

/// A path parameter in OpenAPI's `matrix` style: `;name=value` (an array's items and an object's
/// members comma-joined, as in [`path_segment`]); exploded, `;name=item` per item of an array and
/// `;key=value` per member of an object. An empty value is `;name`.
#[doc(hidden)]
pub fn path_matrix<T: serde::Serialize>(name: &str, value: &T, explode: bool) -> Result<String, InvalidValue> {
    let value = serde_json::to_value(value).unwrap_or_default();
    let n = segment_encoded(name);
    Ok(match &value {
        serde_json::Value::Array(items) if explode => {
            items.iter().map(|i| format!(";{n}={}", segment_encoded(&param_text(i)))).collect()
        }
        serde_json::Value::Object(_) if explode => format!(";{}", simple(&value, ";", true, &segment_encoded)),
        _ => match simple(&value, ",", false, &segment_encoded) {
            text if text.is_empty() => format!(";{n}"),
            text => format!(";{n}={text}"),
        },
    })
}

fn segment_encoded(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// Everything but RFC 3986 unreserved characters is encoded in a path segment.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request body on the wire.
#[doc(hidden)]
pub enum Body {
    None,
    Bytes { content_type: std::borrow::Cow<'static, str>, bytes: bytes::Bytes },
}

/// A download's body as it arrives: a [`Stream`](futures_core::Stream) of chunks, from a request's
/// `send_stream()`. It is not bound by [`BodyLimits::response`], since nothing is held but the chunk in
/// hand; the per-attempt timeout still covers the whole body. A transport failure midway ends it with
/// [`Error::Transport`].
#[must_use = "a stream does nothing until it is polled"]
pub struct ByteStream {
    state: StreamState,
    /// Bytes already read (a body that was not streamed), yielded first.
    first: Option<bytes::Bytes>,
}

type ChunkFuture = Pin<Box<dyn Future<Output = (reqwest::Response, reqwest::Result<Option<bytes::Bytes>>)> + Send>>;

enum StreamState {
    Ready(Option<reqwest::Response>),
    Reading(ChunkFuture),
}

impl Unpin for ByteStream {}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl From<bytes::Bytes> for ByteStream {
    fn from(bytes: bytes::Bytes) -> Self {
        ByteStream { state: StreamState::Ready(None), first: Some(bytes) }
    }
}

/// A text body already read (an error status decoded, or a body that was not streamed), as one chunk.
impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from(bytes::Bytes::from(text))
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error<Infallible>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if let Some(first) = this.first.take().filter(|b| !b.is_empty()) {
            return Poll::Ready(Some(Ok(first)));
        }
        loop {
            match &mut this.state {
                StreamState::Ready(response) => match response.take() {
                    None => return Poll::Ready(None),
                    Some(mut response) => {
                        this.state = StreamState::Reading(Box::pin(async move {
                            let chunk = response.chunk().await;
                            (response, chunk)
                        }));
                    }
                },
                StreamState::Reading(future) => {
                    let (response, chunk) = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(r) => r,
                    };
                    match chunk {
                        Ok(Some(bytes)) => {
                            this.state = StreamState::Ready(Some(response));
                            return Poll::Ready(Some(Ok(bytes)));
                        }
                        Ok(None) => {
                            this.state = StreamState::Ready(None);
                            return Poll::Ready(None);
                        }
                        Err(e) => {
                            this.state = StreamState::Ready(None);
                            return Poll::Ready(Some(Err(Error::from_transport(e))));
                        }
                    }
                }
            }
        }
    }
}

/// A whole response, before its status is interpreted.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: ResponseBody,
    /// A successful response to a request that asked to stream its body: the body, unread.
    pub stream: Option<reqwest::Response>,
}

/// A successful response with its status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
    /// Where the server left out a required value or sent `null` for one that is not nullable, and the
    /// client filled in the type's zero value (`""`, `0`, `false`, an empty list) instead of failing:
    /// each entry is a JSON path such as `expirationDate` or `[2].owner.name`. Empty when the body kept
    /// to the spec. Each correction is also logged as a `tracing` warning. Only `send_with_response`
    /// hands over a corrected body: `.await` and `send` return [`Error::Decode`] instead (see
    /// [`ApiResponse::into_checked_body`]).
    pub corrections: Vec<String>,
    /// A JSON body as received: the bytes read, shared with nothing copied.
    raw: Option<ResponseBody>,
}

impl<T> ApiResponse<T> {
    /// A JSON body as the server sent it, before decoding: to see what a decoded type left out, or to
    /// decode it again some other way. It shares the bytes read (no copy is made); `None` for bodies
    /// that are not JSON (text, bytes, streams, none), whose decoded value is what was received.
    pub fn received(&self) -> Option<&ResponseBody> {
        self.raw.as_ref()
    }

    /// The decoded body alone, corrected or not.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The decoded body, if nothing had to be corrected; otherwise [`Error::Decode`] naming the first
    /// corrected path, with the status, headers and body as received (with a 2xx,
    /// [`Error::accepted`] is true: the request took effect). This is what `.await` and `send` return,
    /// so a caller who just awaits a call never gets made-up values without knowing.
    pub fn into_checked_body<E>(self) -> Result<T, Error<E>> {
        let Some(first) = self.corrections.first() else { return Ok(self.body) };
        let shown: Vec<&str> = self.corrections.iter().take(5).map(String::as_str).collect();
        let more = if self.corrections.len() > 5 {
            format!(" and {} more", self.corrections.len() - 5)
        } else {
            String::new()
        };
        let source = serde::de::Error::custom(format_args!(
            "required values are missing or null: {}{more} (`send_with_response` returns the body with its zero values filled in and lists them)",
            shown.join(", ")
        ));
        let body = self.raw.unwrap_or_else(|| ResponseBody::new(bytes::Bytes::new(), self.status));
        Err(Error::Decode {
            path: first.clone(),
            response: Box::new(crate::error::RawParts { status: self.status, headers: self.headers, body }),
            source,
        })
    }

    /// The same response, if nothing had to be corrected; otherwise the [`Error::Decode`] that
    /// [`ApiResponse::into_checked_body`] returns (paginators use it, so a page is never made up).
    #[doc(hidden)]
    pub fn checked<E>(self) -> Result<Self, Error<E>> {
        if self.corrections.is_empty() {
            return Ok(self);
        }
        Err(self
            .into_checked_body::<E>()
            .err()
            .unwrap_or_else(|| Error::Config(ConfigError::new("response", "was corrected"))))
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            corrections: self.corrections,
            raw: self.raw,
        }
    }
}

impl RawResponse {
    /// Decodes a JSON body into `T`, correcting missing and `null` required values (see `correct`).
    #[doc(hidden)]
    pub fn json<T: serde::de::DeserializeOwned, E>(self, operation: &'static str) -> Result<ApiResponse<T>, Error<E>> {
        match crate::correct::decode(self.body.bytes()) {
            Ok((body, corrections)) => {
                for path in &corrections {
                    tracing::warn!(operation, path = %path, status = self.status.as_u16(), "the response left out a required value or sent null for it; filled in its zero value");
                }
                Ok(ApiResponse { status: self.status, headers: self.headers, body, corrections, raw: Some(self.body) })
            }
            Err(f) => Err(Error::Decode { response: Box::new(self.into_parts()), path: f.path, source: f.source }),
        }
    }

    /// A response whose body is ignored.
    #[doc(hidden)]
    pub fn empty<E>(self) -> Result<ApiResponse<()>, Error<E>> {
        Ok(ApiResponse { status: self.status, headers: self.headers, body: (), corrections: Vec::new(), raw: None })
    }

    /// A text body.
    #[doc(hidden)]
    pub fn text<E>(self) -> Result<ApiResponse<String>, Error<E>> {
        let body = String::from_utf8_lossy(self.body.bytes()).into_owned();
        Ok(ApiResponse { status: self.status, headers: self.headers, body, corrections: Vec::new(), raw: None })
    }

    /// The body as a stream of chunks: the unread response of a streamed request, else the bytes read.
    #[doc(hidden)]
    pub fn byte_stream(self) -> ApiResponse<ByteStream> {
        let body = match self.stream {
            Some(response) => ByteStream { state: StreamState::Ready(Some(response)), first: None },
            None => ByteStream::from(self.body.into_bytes()),
        };
        ApiResponse { status: self.status, headers: self.headers, body, corrections: Vec::new(), raw: None }
    }

    /// A binary body.
    #[doc(hidden)]
    pub fn binary<E>(self) -> Result<ApiResponse<bytes::Bytes>, Error<E>> {
        Ok(ApiResponse {
            status: self.status,
            headers: self.headers,
            body: self.body.into_bytes(),
            corrections: Vec::new(),
            raw: None,
        })
    }

    /// A documented error status with a JSON body; a body that does not decode keeps the status.
    #[doc(hidden)]
    pub fn error_json<B: serde::de::DeserializeOwned, E>(self, wrap: fn(B) -> E) -> Error<E> {
        match crate::correct::decode(self.body.bytes()) {
            Ok((b, corrections)) => {
                for path in &corrections {
                    tracing::warn!(path = %path, status = self.status.as_u16(), "the error response left out a required value or sent null for it; filled in its zero value");
                }
                Error::Api(Box::new(crate::error::ApiError::new(self.status, self.headers, wrap(b))))
            }
            Err(f) => Error::Decode { response: Box::new(self.into_parts()), path: f.path, source: f.source },
        }
    }

    /// A documented error status whose body is not decoded.
    #[doc(hidden)]
    pub fn error_with<E>(self, value: E) -> Error<E> {
        Error::Api(Box::new(crate::error::ApiError::new(self.status, self.headers, value)))
    }

    /// A status the operation does not document.
    #[doc(hidden)]
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self.into_parts()))
    }

    fn into_parts(self) -> crate::error::RawParts {
        crate::error::RawParts { status: self.status, headers: self.headers, body: self.body }
    }
}
