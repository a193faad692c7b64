//! Authentication: a static bearer token, or OAuth2 client credentials (a personal access token's client
//! id and secret) exchanged at `{base}/oauth/token` for an access token that is cached until shortly
//! before it expires, shared by every request and refreshed once by all of them together.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::error::AuthError;

/// How requests are authenticated.
pub(crate) enum Auth {
    /// No `Authorization` header (for servers that need none, such as local mocks).
    None,
    /// A fixed bearer access token.
    Static(StaticToken),
    /// OAuth2 client credentials with a cached access token.
    ClientCredentials(TokenSource),
}

impl Auth {
    /// A short description for `Debug` output, without any secret.
    pub(crate) fn describe(&self) -> String {
        match self {
            Auth::None => "none".to_string(),
            Auth::Static(_) => "static bearer token (redacted)".to_string(),
            Auth::ClientCredentials(s) => {
                format!("client credentials (client id {}, secret redacted, token URL {})", s.client_id, s.token_url)
            }
        }
    }
}

/// A fixed access token, with its `Authorization` header value prepared once (marked sensitive, so
/// `Debug` and HTTP/2 header compression never reveal it).
pub(crate) struct StaticToken {
    pub(crate) header: reqwest::header::HeaderValue,
}

impl StaticToken {
    pub(crate) fn new(token: SecretString) -> Result<Self, crate::error::ConfigError> {
        let mut header = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .map_err(|_| crate::error::ConfigError::new("access token", "contains characters not allowed in a header"))?;
        header.set_sensitive(true);
        Ok(StaticToken { header })
    }
}

/// The access token in use and which refresh produced it.
pub(crate) struct Token {
    pub(crate) value: SecretString,
    pub(crate) generation: u64,
}

struct Cached {
    value: SecretString,
    valid_until: Instant,
    generation: u64,
}

/// Fetches and caches access tokens for one set of client credentials.
pub(crate) struct TokenSource {
    pub(crate) token_url: String,
    pub(crate) client_id: String,
    client_secret: SecretString,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

impl TokenSource {
    pub(crate) fn new(token_url: String, client_id: String, client_secret: SecretString) -> Self {
        TokenSource { token_url, client_id, client_secret, cache: tokio::sync::Mutex::new(None) }
    }

    /// A valid access token: the cached one, or a new one. Callers that arrive while a token is being
    /// fetched wait for that fetch instead of starting their own.
    pub(crate) async fn token(&self, http: &reqwest::Client) -> Result<Token, AuthError> {
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache.as_ref().filter(|c| Instant::now() < c.valid_until) {
            return Ok(Token { value: c.value.clone(), generation: c.generation });
        }
        let generation = cache.as_ref().map_or(1, |c| c.generation + 1);
        let fresh = self.fetch(http, generation).await?;
        let token = Token { value: fresh.value.clone(), generation };
        *cache = Some(fresh);
        Ok(token)
    }

    /// Forgets the token a request was rejected with (unless another request already replaced it).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if let Some(c) = cache.as_mut().filter(|c| c.generation == generation) {
            c.valid_until = Instant::now();
        }
    }

    async fn fetch(&self, http: &reqwest::Client, generation: u64) -> Result<Cached, AuthError> {
        tracing::debug!(token_url = %self.token_url, client_id = %self.client_id, "requesting an access token");
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret())
            .finish();
        let started = Instant::now();
        let response = http
            .post(&self.token_url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| self.error(None, format!("the token request failed: {}", e.without_url())))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.error(Some(status), format!("the token response could not be read: {}", e.without_url())))?;
        if !status.is_success() {
            return Err(self.error(Some(status), server_message(&body)));
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: SecretString,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| self.error(Some(status), format!("the token response is not a token: {e}")))?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(300));
        // Refresh shortly before expiry: a tenth of the lifetime, at most a minute.
        let margin = (lifetime / 10).min(Duration::from_secs(60));
        Ok(Cached { value: parsed.access_token, valid_until: started + lifetime - margin, generation })
    }

    /// A token-endpoint error; the client secret is removed from anything the server echoed.
    fn error(&self, status: Option<reqwest::StatusCode>, message: String) -> AuthError {
        let secret = self.client_secret.expose_secret();
        let message = if secret.is_empty() { message } else { message.replace(secret, "[redacted]") };
        AuthError::new(status, message)
    }
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
