//! OAuth2 client credentials (a client id and secret) exchanged at a scheme's token URL for an access
//! token that is cached until shortly
//! before it expires, shared by every request and refreshed once by all of them together. A failed
//! fetch is shared by the callers that waited on it, repeated failures back off, and the token request
//! never follows a redirect, so the secret goes nowhere but the token URL.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::error::AuthError;

/// The access token in use, as its prepared `Authorization` value, and which fetch produced it.
pub(crate) struct Token {
    pub(crate) header: reqwest::header::HeaderValue,
    pub(crate) generation: u64,
}

/// The longest lifetime a token is cached for, whatever `expires_in` says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// The lifetime assumed when the token endpoint gives none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// The longest pause between token fetches after repeated failures.
const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(30);

struct Cached {
    header: reqwest::header::HeaderValue,
    valid_until: Instant,
    generation: u64,
    /// Fetched because the server rejected the token before it: a `401` with this one is returned to
    /// the caller, not answered with another fetch (at most one refresh per token lifetime).
    after_rejection: bool,
}

/// The last fetch failed: its error, when it ended, and how many fetches in a row have failed.
struct Failure {
    error: AuthError,
    at: Instant,
    count: u32,
}

impl Failure {
    /// How long after this failure callers get its error instead of a new fetch: nothing after the
    /// first failure, then 0.5 s, 1 s, 2 s, ... up to [`MAX_FAILURE_BACKOFF`].
    fn backoff(&self) -> Duration {
        match self.count {
            0 | 1 => Duration::ZERO,
            n => Duration::from_millis(500).saturating_mul(1 << (n - 2).min(16)).min(MAX_FAILURE_BACKOFF),
        }
    }
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    generation: u64,
    failure: Option<Failure>,
    /// The next fetch answers a rejection (see [`Cached::after_rejection`]).
    rejected: bool,
}

/// Fetches and caches access tokens for one set of client credentials.
pub(crate) struct TokenSource {
    pub(crate) token_url: String,
    /// The token URL as reqwest reports the URL of a response it did not redirect.
    token_url_parsed: Option<reqwest::Url>,
    pub(crate) client_id: String,
    client_secret: SecretString,
    /// The scopes asked for (`scope`, space-separated); none when empty.
    pub(crate) scopes: Vec<String>,
    state: tokio::sync::Mutex<State>,
}

impl TokenSource {
    pub(crate) fn new(token_url: String, client_id: String, client_secret: SecretString, scopes: Vec<String>) -> Self {
        let token_url_parsed = reqwest::Url::parse(&token_url).ok();
        TokenSource {
            token_url,
            token_url_parsed,
            client_id,
            client_secret,
            scopes,
            state: tokio::sync::Mutex::new(State::default()),
        }
    }

    /// Whether this source holds `secret` (two sources are shared only when every part is the same).
    pub(crate) fn same_secret(&self, secret: &SecretString) -> bool {
        self.client_secret.expose_secret() == secret.expose_secret()
    }

    /// A valid access token: the cached one, or a new one. Callers that arrive while a token is being
    /// fetched wait for that fetch instead of starting their own, and share its outcome: its token, or
    /// its error. After repeated failures, callers get the last error without a fetch until the backoff
    /// has passed. The fetch is bounded by `timeout`, and its answer by `limit` bytes.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        timeout: Option<Duration>,
        limit: usize,
    ) -> Result<Token, AuthError> {
        let arrived = Instant::now();
        let mut state = self.state.lock().await;
        if let Some(c) = state.cached.as_ref().filter(|c| Instant::now() < c.valid_until) {
            return Ok(Token { header: c.header.clone(), generation: c.generation });
        }
        if let Some(f) = &state.failure {
            // A fetch that failed while this caller waited for it is this caller's answer too.
            if f.at >= arrived {
                return Err(f.error.clone());
            }
            let backoff = f.backoff();
            if f.at.elapsed() < backoff {
                let mut e = f.error.clone();
                e.message = format!(
                    "{} (after {} failed token requests in a row, the next is sent {} ms after the last)",
                    e.message,
                    f.count,
                    backoff.as_millis()
                );
                return Err(e);
            }
        }
        match self.fetch(http, timeout, limit).await {
            Ok((header, lifetime, started)) => {
                state.generation += 1;
                let generation = state.generation;
                // Refresh shortly before expiry: a tenth of the lifetime, at most a minute.
                let margin = (lifetime / 10).min(Duration::from_secs(60));
                let valid_until = started.checked_add(lifetime - margin).unwrap_or(started);
                let after_rejection = std::mem::take(&mut state.rejected);
                state.cached = Some(Cached { header: header.clone(), valid_until, generation, after_rejection });
                state.failure = None;
                Ok(Token { header, generation })
            }
            Err(error) => {
                let count = state.failure.as_ref().map_or(1, |f| f.count.saturating_add(1));
                state.failure = Some(Failure { error: error.clone(), at: Instant::now(), count });
                Err(error)
            }
        }
    }

    /// The server rejected the token of `generation` with a `401`: forgets it so that the next call
    /// fetches a new one, and says whether the request should be tried again. It should not when the
    /// rejected token was itself fetched after a rejection: a server that rejects every token then costs
    /// one fetch per token lifetime, not one per call.
    pub(crate) async fn invalidate(&self, generation: u64) -> bool {
        let mut state = self.state.lock().await;
        let Some(c) = state.cached.as_mut() else { return true };
        if c.generation != generation {
            // Another request already replaced it: try again with the new one.
            return true;
        }
        if c.after_rejection {
            return false;
        }
        c.valid_until = Instant::now();
        state.rejected = true;
        true
    }

    /// One token request: the `Authorization` value, the lifetime, and when the request was sent.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        timeout: Option<Duration>,
        limit: usize,
    ) -> Result<(reqwest::header::HeaderValue, Duration, Instant), AuthError> {
        tracing::debug!(token_url = %self.token_url, client_id = %self.client_id, "requesting an access token");
        let form = {
            // Not held across an await: the serializer is not `Send`.
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials")
                .append_pair("client_id", &self.client_id)
                .append_pair("client_secret", self.client_secret.expose_secret());
            if !self.scopes.is_empty() {
                form.append_pair("scope", &self.scopes.join(" "));
            }
            form.finish()
        };
        let started = Instant::now();
        let mut request = http
            .post(&self.token_url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form);
        if let Some(t) = timeout {
            request = request.timeout(t);
        }
        let mut response = request.send().await.map_err(|e| {
            let what = if e.is_timeout() { "timed out" } else { "failed" };
            self.error(None, format!("the token request {what}: {}", e.without_url()))
        })?;
        let status = response.status();
        if self.token_url_parsed.as_ref() != Some(response.url()) {
            // Only a custom HTTP client that follows redirects gets here.
            return Err(self.error(Some(status), "the HTTP client followed a redirect away from the token URL; build it from `http_client_builder()`, which does not".into()));
        }
        if status.is_redirection() {
            return Err(self.error(Some(status), "the token endpoint redirected; redirects are not followed, so the client secret goes only to the token URL".into()));
        }
        let body = crate::client::read_limited(&mut response, limit).await.map_err(|e| match e {
            Some(e) => self.error(Some(status), format!("the token response could not be read: {}", e.without_url())),
            None => self.error(
                Some(status),
                format!("the token response is larger than its limit of {limit} bytes (`BodyLimits::token`)"),
            ),
        })?;
        if !status.is_success() {
            return Err(self.error(Some(status), server_message(&body)));
        }
        let (token, lifetime) = parse_token(&body).map_err(|problem| self.error(Some(status), problem))?;
        Ok((token, lifetime, started))
    }

    /// A token-endpoint error; the client secret is removed from anything the server echoed.
    fn error(&self, status: Option<reqwest::StatusCode>, message: String) -> AuthError {
        let secret = self.client_secret.expose_secret();
        let message = if secret.is_empty() { message } else { message.replace(secret, "[redacted]") };
        AuthError::new(status, message)
    }
}

/// Reads a token response: the access token as a sensitive `Authorization` value, and its lifetime
/// (`expires_in` seconds, clamped to at most a day; five minutes when absent). A token that is empty or
/// cannot be a header value is refused, never cached. Messages never quote the token.
pub(crate) fn parse_token(body: &[u8]) -> Result<(reqwest::header::HeaderValue, Duration), String> {
    #[derive(serde::Deserialize)]
    struct TokenResponse {
        access_token: SecretString,
        #[serde(default)]
        expires_in: Option<serde_json::Value>,
    }
    let parsed: TokenResponse = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the token response is not JSON with a string `access_token` (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let token = parsed.access_token.expose_secret();
    if token.trim().is_empty() {
        return Err("the token endpoint returned an empty access token".into());
    }
    let mut header = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        "the token endpoint returned an access token that cannot be sent in a header (control characters)".to_string()
    })?;
    header.set_sensitive(true);
    let seconds = match parsed.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    let lifetime = match seconds {
        Some(s) if s.is_finite() => Duration::from_secs_f64(s.clamp(0.0, MAX_LIFETIME.as_secs_f64())),
        Some(s) if s == f64::INFINITY => MAX_LIFETIME,
        Some(_) => Duration::ZERO,
        None => DEFAULT_LIFETIME,
    };
    Ok((header, lifetime))
}

/// The message an OAuth error response carries: `error_description`, else `error`, else the body.
fn server_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: Option<String>,
        error_description: Option<String>,
        message: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => match (e.error, e.error_description.or(e.message)) {
            (Some(code), Some(text)) => format!("{code}: {text}"),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => String::from_utf8_lossy(body).chars().take(300).collect(),
        },
        Err(_) => String::from_utf8_lossy(body).chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_LIFETIME, parse_token};
    use proptest::prelude::*;

    proptest! {
        /// Whatever the token endpoint sends, reading it never panics.
        #[test]
        fn any_token_response_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
            let _ = parse_token(&bytes);
        }

        /// Any `expires_in` (any number, a numeric string, anything else) gives a lifetime of at most a
        /// day, which `Instant` arithmetic can always add; any access token is accepted only when it can be
        /// sent as a header, and an error never quotes it.
        #[test]
        fn any_lifetime_and_token_are_checked(
            token in "[ -~\r\n\t\u{80}-\u{10ffff}]{0,12}",
            seconds in prop_oneof![
                any::<f64>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<u64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(|f| serde_json::Value::from(f.to_string())),
                Just(serde_json::Value::Null),
                Just(serde_json::json!({"a": 1})),
            ],
        ) {
            let body = serde_json::json!({"access_token": token, "expires_in": seconds});
            match parse_token(body.to_string().as_bytes()) {
                Ok((header, lifetime)) => {
                    prop_assert!(lifetime <= MAX_LIFETIME);
                    prop_assert!(std::time::Instant::now().checked_add(lifetime).is_some());
                    prop_assert!(header.is_sensitive());
                    prop_assert!(!token.trim().is_empty());
                }
                Err(message) => prop_assert!(token.trim().is_empty() || !message.contains(&token)),
            }
        }
    }
}
