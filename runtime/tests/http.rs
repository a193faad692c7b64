//! The runtime over real HTTP on 127.0.0.1, without any generated code (requests are built as generated
//! operations build them): OAuth2 client credentials with token caching, expiry, single-flight refresh and
//! refresh-on-401; retries (429 with `Retry-After`, 5xx for idempotent methods, lost connections);
//! the `User-Agent`; and logs that never show a secret. How a generated crate maps the statuses these
//! return onto its typed errors is tested in `generated/tests/`.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

mod common;

use common::Logs;
use reqwest::Method;
use sdk_runtime::client::{RawResponse, Request};
use sdk_runtime::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "pat-client-id-42";
const CLIENT_SECRET: &str = "pat-client-secret-DO-NOT-LEAK-7f3a";
const LIST: &str = "/v3/personal-access-tokens";
const AGENT: &str = "runtime-test/1.0";

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in}))
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

fn oauth_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn plain_client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder().base_url(url).retry_policy(policy).build().unwrap()
}

/// Sends one request through the runtime, as a generated operation does.
async fn send(client: &Client, m: Method, p: &str) -> Result<RawResponse, Error<Infallible>> {
    client.execute(Request::new(AGENT, m, p.to_string(), "application/json")).await
}

async fn status_of(client: &Client, m: Method, p: &str) -> u16 {
    send(client, m, p).await.unwrap().status.as_u16()
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

async fn list_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(server)
        .await;
}

#[tokio::test]
async fn client_credentials_are_exchanged_once_and_the_token_is_cached() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}").as_str()))
        .and(body_string_contains(format!("client_secret={CLIENT_SECRET}").as_str()))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(3)
        .mount(&server)
        .await;
    let client = oauth_client(&server);
    for _ in 0..3 {
        assert_eq!(status_of(&client, Method::GET, LIST).await, 200);
    }
}

#[tokio::test]
async fn an_expired_token_is_replaced() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("tok-1", 1))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("tok-2", 3600)).mount(&server).await;
    list_ok(&server).await;
    let client = oauth_client(&server);
    send(&client, Method::GET, LIST).await.unwrap();
    send(&client, Method::GET, LIST).await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1, "still valid: no new token");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    send(&client, Method::GET, LIST).await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2, "expired: one new token");
    let calls = requests_to(&server, LIST).await;
    assert_eq!(calls[2].headers["authorization"], "Bearer tok-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("tok-1", 3600).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    list_ok(&server).await;
    let client = oauth_client(&server);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        set.spawn(async move { status_of(&client, Method::GET, LIST).await });
    }
    while let Some(status) = set.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(requests_to(&server, LIST).await.len(), 50);
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_retries_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("tok-1", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("tok-2", 3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "JWT is expired"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    assert_eq!(status_of(&oauth_client(&server), Method::GET, LIST).await, 200);
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, LIST).await.len(), 2);
}

#[tokio::test]
async fn a_persistent_401_is_returned_after_one_refresh_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("tok", 3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "no rights"})))
        .mount(&server)
        .await;
    assert_eq!(status_of(&oauth_client(&server), Method::GET, LIST).await, 401);
    assert_eq!(requests_to(&server, LIST).await.len(), 2);
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn a_static_token_is_not_refreshed_on_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer static-tok"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).access_token("static-tok").build().unwrap();
    assert_eq!(status_of(&client, Method::GET, LIST).await, 401);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn token_endpoint_failures_are_typed_and_never_show_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": format!("Bad credentials for secret {CLIENT_SECRET}")}),
        ))
        .mount(&server)
        .await;
    let err = send(&oauth_client(&server), Method::GET, LIST).await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err:?}") };
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(401));
    assert!(auth.message().starts_with("invalid_client: Bad credentials"), "{auth}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert!(requests_to(&server, LIST).await.is_empty());
}

#[tokio::test]
async fn a_429_waits_for_retry_after_in_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    list_ok(&server).await;
    let started = Instant::now();
    assert_eq!(status_of(&plain_client(&server.uri(), fast_retries()), Method::GET, LIST).await, 200);
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(requests_to(&server, LIST).await.len(), 2);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_as_an_http_date_even_for_post() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let started = Instant::now();
    let status = status_of(&plain_client(&server.uri(), fast_retries()), Method::POST, LIST).await;
    // HTTP dates have one-second resolution: the wait is between 1 and 2 seconds.
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(status, 500, "the 500 after the retry is not retried");
    assert_eq!(requests_to(&server, LIST).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_maximum_wait_is_returned_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120").set_body_string("later"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = send(&plain_client(&server.uri(), fast_retries()), Method::GET, LIST).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(response.status.as_u16(), 429);
    assert_eq!(response.headers["retry-after"], "120");
    assert_eq!(response.body.bytes(), b"later", "the body is kept");
    assert_eq!(requests_to(&server, LIST).await.len(), 1);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    assert_eq!(status_of(&plain_client(&server.uri(), fast_retries()), Method::GET, LIST).await, 429);
    assert_eq!(requests_to(&server, LIST).await.len(), 3);
    let never = plain_client(&server.uri(), RetryPolicy::never());
    assert_eq!(status_of(&never, Method::GET, LIST).await, 429);
    assert_eq!(requests_to(&server, LIST).await.len(), 4, "RetryPolicy::never() sends once");
}

#[tokio::test]
async fn server_errors_are_retried_for_get_and_delete_but_not_post_unless_opted_in() {
    let server = MockServer::start().await;
    let item = "/v3/personal-access-tokens/x";
    for (m, p) in [("GET", LIST), ("DELETE", item), ("POST", LIST)] {
        Mock::given(method(m))
            .and(path(p))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = plain_client(&server.uri(), fast_retries());
    assert_eq!(status_of(&client, Method::GET, LIST).await, 200);
    assert_eq!(status_of(&client, Method::DELETE, item).await, 204);
    assert_eq!(status_of(&client, Method::POST, LIST).await, 503, "POST is not retried");
    assert_eq!(requests_to(&server, item).await.len(), 2);
    let posts =
        || async { server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "POST").count() };
    assert_eq!(posts().await, 1);

    let opted_in = plain_client(&server.uri(), RetryPolicy { retry_non_idempotent: true, ..fast_retries() });
    assert_eq!(status_of(&opted_in, Method::POST, LIST).await, 502);
    assert_eq!(posts().await, 4, "three attempts when opted in");
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400)).mount(&server).await;
    assert_eq!(status_of(&plain_client(&server.uri(), fast_retries()), Method::GET, LIST).await, 400);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_and_logged_without_secrets() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let logs = Logs::default();
    let _guard = logs.capture();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token(CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = send(&client, Method::GET, LIST).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let err = send(&client, Method::POST, LIST).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    let lines = logs.0.lock().unwrap().clone();
    let retries: Vec<&String> = lines.iter().filter(|l| l.contains("connection failed; retrying")).collect();
    assert_eq!(retries.len(), 2, "GET retried twice (3 attempts), POST not at all: {lines:#?}");
    assert!(retries.iter().all(|l| l.starts_with("DEBUG:") && l.contains("method=GET")), "{retries:#?}");
    assert!(lines.iter().all(|l| !l.contains(CLIENT_SECRET)), "{lines:#?}");
}

#[tokio::test]
async fn retries_and_token_requests_are_logged_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token("tok-secret-value", 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    list_ok(&server).await;
    let logs = Logs::default();
    let _guard = logs.capture();
    assert_eq!(status_of(&oauth_client(&server), Method::GET, LIST).await, 200);
    let lines = logs.0.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with("DEBUG:") && l.contains("retrying") && l.contains("status=503")),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.contains("requesting an access token")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains(CLIENT_SECRET) && !l.contains("tok-secret-value")), "{lines:#?}");
}

#[tokio::test]
async fn the_client_and_its_builder_redact_their_secrets() {
    let client = Client::builder()
        .base_url("https://tenant.example")
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .token_url("https://tenant.example/oauth/token")
        .build()
        .unwrap();
    let builder = Client::builder().client_credentials(CLIENT_ID, CLIENT_SECRET).basic_auth("u", CLIENT_SECRET);
    let missing = Client::builder().client_credentials(CLIENT_ID, CLIENT_SECRET).build().unwrap_err();
    for text in [format!("{client:?}"), format!("{builder:?}"), format!("{missing}"), format!("{missing:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert!(format!("{client:?}").contains("redacted"));
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_the_consumer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("user-agent", format!("{AGENT} pat-rotator/2.1").as_str()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).consumer("pat-rotator", "2.1").build().unwrap();
    assert_eq!(status_of(&client, Method::GET, LIST).await, 200);
}

/// A server on 127.0.0.1 that drops the first `drops` connections (after reading the request when
/// `read_first`, at once otherwise) and answers the rest with `200 []`; it records the request lines it
/// read.
async fn dropping_server(drops: usize, read_first: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            n += 1;
            let drop_it = n <= drops;
            if drop_it && !read_first {
                drop(socket);
                continue;
            }
            let mut buf = vec![0u8; 16384];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => got.extend_from_slice(&buf[..k]),
                }
            }
            let head = String::from_utf8_lossy(&got).lines().next().unwrap_or_default().to_string();
            log.lock().unwrap().push(head);
            if drop_it {
                // The request was read; the connection goes away before any response.
                drop(socket);
                continue;
            }
            let body = "[]";
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_connection_lost_after_the_request_was_sent_is_retried_for_get_but_not_for_post() {
    // Dropped after the server read the request: GET is retried and succeeds.
    let (url, seen) = dropping_server(2, true).await;
    let response = send(&plain_client(&url, fast_retries()), Method::GET, LIST).await.unwrap();
    assert_eq!(response.body.bytes(), b"[]");
    assert_eq!(seen.lock().unwrap().len(), 3, "two lost, the third answered: {:?}", seen.lock().unwrap());

    // Dropped before the server read anything: GET is retried too.
    let (url, _) = dropping_server(1, false).await;
    assert_eq!(status_of(&plain_client(&url, fast_retries()), Method::GET, LIST).await, 200);

    // POST: the server may have acted on it, so the lost connection is reported, never repeated.
    let (url, seen) = dropping_server(1, true).await;
    let err = send(&plain_client(&url, fast_retries()), Method::POST, LIST).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 1, "the POST must not be sent twice: {:?}", seen.lock().unwrap());
    assert!(seen.lock().unwrap()[0].starts_with("POST "), "{:?}", seen.lock().unwrap());

    // Unless the caller opts in to retrying non-idempotent requests.
    let (url, seen) = dropping_server(1, true).await;
    let opted_in = plain_client(&url, RetryPolicy { retry_non_idempotent: true, ..fast_retries() });
    assert_eq!(status_of(&opted_in, Method::POST, LIST).await, 200);
    assert_eq!(seen.lock().unwrap().len(), 2);
}

/// A server template like Wazuh's: the base URL comes from its variables, with defaults for the rest.
static LOCAL: &[sdk_runtime::Server] = &[sdk_runtime::Server {
    url: "{protocol}://{host}:{port}",
    variables: &[
        sdk_runtime::ServerVariable { name: "protocol", default: Some("https"), values: &["http", "https"] },
        sdk_runtime::ServerVariable { name: "host", default: Some("localhost"), values: &[] },
        sdk_runtime::ServerVariable { name: "port", default: Some("55000"), values: &[] },
    ],
}];

#[tokio::test]
async fn the_base_url_comes_from_the_servers_variables() {
    let server = MockServer::start().await;
    list_ok(&server).await;
    let port = server.address().port().to_string();
    let client = Client::builder()
        .servers(LOCAL)
        .server_variable("protocol", "http")
        .server_variable("host", "127.0.0.1")
        .server_variable("port", port.as_str())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(status_of(&client, Method::GET, LIST).await, 200);
    // Unasked, a server with variables is not used: its defaults are examples.
    let err = Client::builder().servers(LOCAL).build().unwrap_err();
    assert!(err.to_string().contains("`host`"), "{err}");
    // An enum variable is checked; an explicit base URL wins over the server.
    let err = Client::builder().servers(LOCAL).server_variable("protocol", "ftp").build().unwrap_err();
    assert!(err.to_string().contains("one of: http, https"), "{err}");
    let explicit =
        Client::builder().servers(LOCAL).server_variable("host", "x").base_url(server.uri()).build().unwrap();
    assert_eq!(explicit.base_url(), server.uri());
}

#[tokio::test]
async fn a_rate_limit_spaces_requests_across_clones() {
    let server = MockServer::start().await;
    list_ok(&server).await;
    let client = Client::builder().base_url(server.uri()).rate_limit(3, Duration::from_millis(400)).build().unwrap();
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..7 {
        let clone = client.clone();
        set.spawn(async move { status_of(&clone, Method::GET, LIST).await });
    }
    while let Some(status) = set.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    // 3 at once, 3 after 400 ms, the 7th after 800 ms.
    assert!(started.elapsed() >= Duration::from_millis(790), "{:?}", started.elapsed());
    assert_eq!(requests_to(&server, LIST).await.len(), 7);
    // Without a limit the same calls take no such time.
    let free = plain_client(&server.uri(), fast_retries());
    let started = Instant::now();
    for _ in 0..7 {
        status_of(&free, Method::GET, LIST).await;
    }
    assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
    assert!(Client::builder().base_url(server.uri()).rate_limit(0, Duration::from_secs(1)).build().is_err());
}

/// An API-key scheme in the query, as generated code declares one.
static QUERY_KEY: sdk_runtime::Scheme = sdk_runtime::Scheme {
    name: "queryKey",
    kind: sdk_runtime::SchemeKind::ApiKey { location: sdk_runtime::KeyLocation::Query, name: "api_key" },
};
static QUERY_SCHEMES: &[&sdk_runtime::Scheme] = &[&QUERY_KEY];
static QUERY_SECURITY: &[&[&sdk_runtime::Scheme]] = &[&[&QUERY_KEY]];

/// A streamed download cut short: the error ends the stream, and neither it nor its `Debug` shows the
/// query API key that was in the URL.
#[tokio::test]
async fn a_streamed_body_cut_short_ends_in_an_error_without_the_query_key() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    const KEY: &str = "qk-SECRET-stream-77";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 16384];
        let _ = socket.read(&mut buf).await;
        // Promises 1000 bytes, sends 3, and hangs up.
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\nabc").await;
        let _ = socket.shutdown().await;
    });
    let client = Client::builder()
        .base_url(&url)
        .schemes(QUERY_SCHEMES)
        .api_key(KEY)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let mut request = Request::new(AGENT, Method::GET, "/export".into(), "application/octet-stream");
    request.security = Some(QUERY_SECURITY);
    request.stream = true;
    let mut body = client.execute(request).await.unwrap().byte_stream().body;
    let mut seen = Vec::new();
    let mut error = None;
    while let Some(chunk) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut body), cx)).await
    {
        match chunk {
            Ok(bytes) => seen.extend_from_slice(&bytes),
            Err(e) => error = Some(e),
        }
    }
    assert_eq!(seen, b"abc");
    let error = error.expect("the cut is an error, not a short body");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[tokio::test]
async fn a_decoded_body_keeps_what_the_server_sent_so_nothing_it_carried_is_lost() {
    #[derive(serde::Deserialize)]
    struct Slim {
        id: String,
    }
    let server = MockServer::start().await;
    let sent = json!({"id": "a1", "name": "kept", "extra": [1, 2]});
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sent))
        .mount(&server)
        .await;
    let client = plain_client(&server.uri(), RetryPolicy::never());
    let response = send(&client, Method::GET, LIST).await.unwrap().json::<Slim, Infallible>("list").unwrap();
    assert_eq!(response.body.id, "a1");
    // The members the type has no field for are still there, as received.
    let received: serde_json::Value = serde_json::from_slice(response.received().unwrap().bytes()).unwrap();
    assert_eq!(received, sent);
    // A body that is not JSON has nothing else to keep.
    Mock::given(method("GET"))
        .and(path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hi"))
        .mount(&server)
        .await;
    let text = send(&client, Method::GET, "/text").await.unwrap().text::<Infallible>().unwrap();
    assert!(text.received().is_none());
}
