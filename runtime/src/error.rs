//! Errors: what went wrong with a call, by kind, never hiding the HTTP status and never showing a secret.

use std::fmt;

/// A problem with the client's configuration: names the setting and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    setting: String,
    problem: String,
}

impl ConfigError {
    #[doc(hidden)]
    pub fn new(setting: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError { setting: setting.into(), problem: problem.into() }
    }

    /// The setting (environment variable, config key or builder option) that is wrong.
    pub fn setting(&self) -> &str {
        &self.setting
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {} {}", self.setting, self.problem)
    }
}

impl std::error::Error for ConfigError {}

/// A request value that breaks a bound the spec sets (`minimum`, `maxLength`, `minItems`, ...), found
/// before anything was sent. It names the value by its path in the body and never shows a string's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    path: String,
    problem: String,
}

impl InvalidValue {
    #[doc(hidden)]
    pub fn new(path: &str, problem: String) -> Self {
        InvalidValue { path: path.to_string(), problem }
    }
    /// The same problem, one level deeper: `within("owner")` turns `name` into `owner.name`.
    #[doc(hidden)]
    pub fn within(mut self, outer: &str) -> Self {
        self.path =
            if self.path.starts_with('[') { format!("{outer}{}", self.path) } else { format!("{outer}.{}", self.path) };
        self
    }

    /// Where the value is in the request body, e.g. `accessTokenValiditySeconds` or `items[2].name`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request value: `{}` {}", self.path, self.problem)
    }
}

impl std::error::Error for InvalidValue {}

/// A response body kept as raw bytes. A successful response's body may carry a secret (the `secret`
/// returned on create), so it is never shown by `Debug`; an error response's body is shown, shortened.
#[derive(Clone)]
pub struct ResponseBody {
    bytes: bytes::Bytes,
    sensitive: bool,
}

impl ResponseBody {
    pub(crate) fn new(bytes: bytes::Bytes, status: reqwest::StatusCode) -> Self {
        ResponseBody { bytes, sensitive: status.is_success() }
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub(crate) fn into_bytes(self) -> bytes::Bytes {
        self.bytes
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sensitive {
            write!(f, "<{} bytes, not shown: a successful response may carry secrets>", self.bytes.len())
        } else {
            write!(f, "{:?}", shorten(&self.text()))
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 512;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// An error status the operation documents, with its decoded body.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// How long the server asked to wait before trying again (`Retry-After`, as seconds or a date), as
    /// sent with `429 Too Many Requests` and `503 Service Unavailable`.
    pub retry_after: Option<std::time::Duration>,
    /// The decoded body, as the operation's error enum.
    pub body: E,
}

impl<E> ApiError<E> {
    pub(crate) fn new(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap, body: E) -> Self {
        let retry_after = crate::retry::retry_after(&headers);
        ApiError { status, headers, retry_after, body }
    }
}

/// The token endpoint refused or failed: its status (if it answered) and its message, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    status: Option<reqwest::StatusCode>,
    pub(crate) message: String,
}

impl AuthError {
    pub(crate) fn new(status: Option<reqwest::StatusCode>, message: String) -> Self {
        AuthError { status, message }
    }

    /// The token endpoint's HTTP status, if it answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.status
    }

    /// What went wrong, in the server's words where it gave any.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(s) => write!(f, "the token endpoint answered {s}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for AuthError {}

/// A response whose body passed its limit ([`crate::client::BodyLimits`]): the status and headers,
/// without the body, which was not read further.
#[derive(Debug, Clone)]
pub struct BodyTooLarge {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The limit the body passed, in bytes.
    pub limit: usize,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let which = if self.status.is_success() { "response" } else { "error" };
        write!(
            f,
            "the API answered {} with a body larger than the limit of {} bytes (`BodyLimits::{which}`); it was not read",
            self.status, self.limit
        )
    }
}

impl std::error::Error for BodyTooLarge {}

/// A response kept whole: status, headers and the raw body.
#[derive(Debug, Clone)]
pub struct RawParts {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The raw body.
    pub body: ResponseBody,
}

impl RawParts {
    /// The body as JSON, when it is JSON: what the server sent, whatever the spec says.
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(self.body.bytes())
    }
}

/// Why a call failed. `E` is the operation's own enum of documented error responses.
///
/// Response details are boxed so that `Result<T, Error<E>>` stays small on the happy path.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the operation documents; the body is decoded.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the operation does not document.
    UnexpectedStatus(Box<RawParts>),
    /// The body of a documented response could not be decoded into its documented type. Nothing is
    /// lost: the status, headers and raw body are kept (also as JSON: [`RawParts::json`]). When the
    /// status is 2xx the server **accepted the request** and it took effect ([`Error::accepted`]): do
    /// not simply send a POST again; read what you need from the body instead (a created token's
    /// `secret`: `response.json()?["secret"]`).
    Decode {
        /// The response, undecoded.
        response: Box<RawParts>,
        /// The JSON path of the value that did not fit (`owner.name`, `[2].id`; `.` for the body itself).
        path: String,
        /// What did not decode, and what the spec expected there.
        source: serde_json::Error,
    },
    /// The request body could not be encoded.
    Encode(serde_json::Error),
    /// The request did not complete in time.
    Timeout(reqwest::Error),
    /// The connection failed, or the response could not be read.
    Transport(reqwest::Error),
    /// The client is misconfigured.
    Config(ConfigError),
    /// A value in the request breaks a bound the spec sets; nothing was sent.
    Invalid(InvalidValue),
    /// No access token could be obtained with the client credentials.
    Auth(AuthError),
    /// The response body passed its limit ([`crate::client::BodyLimits`]) and was not read. With a 2xx
    /// status the request was accepted and took effect ([`Error::accepted`]).
    BodyTooLarge(Box<BodyTooLarge>),
}

impl Error<std::convert::Infallible> {
    /// The same error as any operation's error type (it cannot be `Api`: that needs an `E`).
    #[doc(hidden)]
    pub fn widen<E>(self) -> Error<E> {
        match self {
            Error::Api(e) => match e.body {},
            Error::UnexpectedStatus(r) => Error::UnexpectedStatus(r),
            Error::Decode { response, path, source } => Error::Decode { response, path, source },
            Error::Encode(e) => Error::Encode(e),
            Error::Timeout(e) => Error::Timeout(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Config(e) => Error::Config(e),
            Error::Invalid(e) => Error::Invalid(e),
            Error::Auth(e) => Error::Auth(e),
            Error::BodyTooLarge(e) => Error::BodyTooLarge(e),
        }
    }
}

impl<E> Error<E> {
    pub(crate) fn from_transport(e: reqwest::Error) -> Self {
        if e.is_timeout() { Error::Timeout(e) } else { Error::Transport(e) }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => Some(r.status),
            Error::BodyTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// How long the server asked to wait (`Retry-After`), for an answered request that carried one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            Error::UnexpectedStatus(r) | Error::Decode { response: r, .. } => crate::retry::retry_after(&r.headers),
            Error::BodyTooLarge(e) => crate::retry::retry_after(&e.headers),
            _ => None,
        }
    }

    /// Whether the server accepted the request (it answered 2xx) even though the call failed: its body did
    /// not decode, or passed its size limit. The operation took effect; sending it again would repeat it.
    pub fn accepted(&self) -> bool {
        match self {
            Error::Decode { response, .. } => response.status.is_success(),
            Error::BodyTooLarge(e) => e.status.is_success(),
            _ => false,
        }
    }

    /// The documented error body, if the server sent one that decoded.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the API answered {}: {}", e.status, e.body),
            Error::UnexpectedStatus(r) => {
                write!(f, "the API answered with an undocumented status {}", r.status)?;
                if !r.body.sensitive && !r.body.bytes.is_empty() {
                    write!(f, ": {}", shorten(&r.body.text()))?;
                }
                Ok(())
            }
            Error::Decode { response, path, source } => {
                write!(f, "the API answered {}, but its body did not decode at `{path}`: {source}", response.status)?;
                if response.status.is_success() {
                    write!(f, " (the request was accepted and took effect: do not simply send it again)")?;
                }
                Ok(())
            }
            Error::Encode(e) => write!(f, "the request body could not be encoded: {e}"),
            Error::Timeout(e) => write!(f, "the request timed out: {e}"),
            Error::Transport(e) => write!(f, "the request failed: {e}"),
            Error::Config(e) => write!(f, "{e}"),
            Error::Invalid(e) => write!(f, "{e}"),
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::BodyTooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } | Error::Encode(source) => Some(source),
            Error::Timeout(e) | Error::Transport(e) => Some(e),
            Error::Config(e) => Some(e),
            Error::Invalid(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::BodyTooLarge(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl<E> From<InvalidValue> for Error<E> {
    fn from(e: InvalidValue) -> Self {
        Error::Invalid(e)
    }
}

impl<E> From<ConfigError> for Error<E> {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}
