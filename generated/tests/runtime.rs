//! Hand-written (never touched by the generator): the client runtime over real HTTP on 127.0.0.1 —
//! OAuth2 client credentials with token caching, expiry, single-flight refresh and refresh-on-401,
//! retries (429 with `Retry-After`, 5xx for idempotent methods, connection failures), configuration
//! from the environment and the sail CLI's file, and secrets that appear in no Debug, error or log line.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

mod common;

use common::Logs;
use sailpoint_pat::{Client, ClientBuilder, Error, Filter, JsonPatch, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "pat-client-id-42";
const CLIENT_SECRET: &str = "pat-client-secret-DO-NOT-LEAK-7f3a";

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

fn pat_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

async fn list_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
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
        .and(path("/v3/personal-access-tokens"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(3)
        .mount(&server)
        .await;
    let api = pat_client(&server).v3().personal_access_tokens();
    for _ in 0..3 {
        api.list_personal_access_tokens().await.unwrap();
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
    let api = pat_client(&server).v3().personal_access_tokens();
    api.list_personal_access_tokens().await.unwrap();
    api.list_personal_access_tokens().await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1, "still valid: no new token");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    api.list_personal_access_tokens().await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2, "expired: one new token");
    let calls = requests_to(&server, "/v3/personal-access-tokens").await;
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
    let api = pat_client(&server).v3().personal_access_tokens();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let call = api.list_personal_access_tokens();
        set.spawn(async move { call.await });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 50);
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
        .and(path("/v3/personal-access-tokens"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "JWT is expired"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    pat_client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 2);
}

#[tokio::test]
async fn a_persistent_401_is_returned_after_one_refresh_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("tok", 3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "no rights"})))
        .mount(&server)
        .await;
    let err = pat_client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    use sailpoint_pat::v3::personal_access_tokens::ListPersonalAccessTokensError as E;
    assert!(matches!(err.api_error(), Some(E::Unauthorized(_))), "{err:?}");
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 2);
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
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
    let err = pat_client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err:?}") };
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(401));
    assert!(auth.message().starts_with("invalid_client: Bad credentials"), "{auth}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert!(requests_to(&server, "/v3/personal-access-tokens").await.is_empty());
}

#[tokio::test]
async fn a_429_waits_for_retry_after_in_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(json!({"message": "slow down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    list_ok(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 2);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_as_an_http_date_even_for_post() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("POST"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"detailCode": "500.0 Internal Fault"})))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = client.v3().personal_access_tokens().create_personal_access_token(request).await.unwrap_err();
    // HTTP dates have one-second resolution: the wait is between 1 and 2 seconds.
    assert!(started.elapsed() >= Duration::from_millis(900), "{:?}", started.elapsed());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "the 500 after the retry is not retried: {err:?}");
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_maximum_wait_is_returned_with_its_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", "120").set_body_json(json!({"message": "later"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
    use sailpoint_pat::v3::personal_access_tokens::ListPersonalAccessTokensError as E;
    assert!(matches!(&api.body, E::TooManyRequests(b) if b.message == Some(json!("later"))));
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 1);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 3);
}

#[tokio::test]
async fn server_errors_are_retried_for_get_and_delete_but_not_post_unless_opted_in() {
    let server = MockServer::start().await;
    for (m, p) in [
        ("GET", "/v3/personal-access-tokens"),
        ("DELETE", "/v3/personal-access-tokens/x"),
        ("POST", "/v3/personal-access-tokens"),
    ] {
        Mock::given(method(m))
            .and(path(p))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&server).await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let api = client.v3().personal_access_tokens();
    api.list_personal_access_tokens().await.unwrap();
    api.delete_personal_access_token("x").await.unwrap();
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = api.create_personal_access_token(request.clone()).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus(ref r) if r.status.as_u16() == 503), "{err:?}");
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens/x").await.len(), 2);
    assert_eq!(server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "POST").count(), 1);

    let opted_in = Client::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy { retry_non_idempotent: true, ..fast_retries() })
        .build()
        .unwrap();
    let err = opted_in.v3().personal_access_tokens().create_personal_access_token(request).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "POST").count(), 4);
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"detailCode": "400.1 Bad Request Content"})))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_and_logged_without_secrets() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let logs = Logs::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token(CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = client.v3().personal_access_tokens().create_personal_access_token(request).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
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
    let _guard = tracing::subscriber::set_default(logs.clone());
    pat_client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    let lines = logs.0.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with("DEBUG:") && l.contains("retrying") && l.contains("status=503")),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.contains("requesting an access token")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains(CLIENT_SECRET) && !l.contains("tok-secret-value")), "{lines:#?}");
}

#[tokio::test]
async fn every_error_variant_keeps_secrets_out_of_debug_and_display() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token(CLIENT_SECRET, 3600)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"detailCode": "403 Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"secret": CLIENT_SECRET, "created": false})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let api = client.v3().personal_access_tokens();
    let mut seen = Vec::new();
    let e = api.list_personal_access_tokens().await.unwrap_err();
    assert!(matches!(e, Error::Api(_)));
    seen.push((format!("{e}"), format!("{e:?}")));
    let e = api.delete_personal_access_token("x").await.unwrap_err();
    assert!(matches!(e, Error::UnexpectedStatus(_)));
    seen.push((format!("{e}"), format!("{e:?}")));
    let e = api
        .create_personal_access_token(sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }));
    seen.push((format!("{e}"), format!("{e:?}")));
    let e = api.patch_personal_access_token("x", JsonPatch::new().remove("/name")).await.unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    seen.push((format!("{e}"), format!("{e:?}")));
    let unencodable: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
    let e = api.patch_personal_access_token("x", JsonPatch::new().replace("/name", unencodable)).await.unwrap_err();
    assert!(matches!(e, Error::Encode(_)), "{e:?}");
    seen.push((format!("{e}"), format!("{e:?}")));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let offline = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token(CLIENT_SECRET)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let e = offline.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)));
    seen.push((format!("{e}"), format!("{e:?}")));
    let offline_oauth = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let e = offline_oauth.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert!(matches!(e, Error::Auth(_)), "{e:?}");
    seen.push((format!("{e}"), format!("{e:?}")));
    let e = Client::builder().client_credentials(CLIENT_ID, CLIENT_SECRET).build().unwrap_err();
    seen.push((format!("{e}"), format!("{e:?}")));
    for (display, debug) in &seen {
        assert!(!display.contains(CLIENT_SECRET) && !debug.contains(CLIENT_SECRET), "{display}\n{debug}");
    }
    for text in [
        format!("{client:?}"),
        format!("{offline:?}"),
        format!("{:?}", ClientBuilder::default().client_credentials(CLIENT_ID, CLIENT_SECRET)),
    ] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_the_consumer() {
    let server = MockServer::start().await;
    let agent = format!("sailpoint-pat-rust/{} pat-rotator/2.1", env!("CARGO_PKG_VERSION"));
    Mock::given(method("GET"))
        .and(header("user-agent", agent.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).consumer("pat-rotator", "2.1").build().unwrap();
    client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
}

#[tokio::test]
async fn filters_and_patches_built_with_the_helpers_go_out_as_written() {
    let server = MockServer::start().await;
    let cutoff = chrono::DateTime::parse_from_rfc3339("2023-02-05T10:59:27.214Z").unwrap().to_utc();
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("filters", "lastUsed le 2023-02-05T10:59:27.214Z or lastUsed isnull"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(header("content-type", "application/json-patch+json"))
        .and(wiremock::matchers::body_json(json!([
            {"op": "replace", "path": "/name", "value": "New name"},
            {"op": "replace", "path": "/expirationDate", "value": "2027-12-31T23:59:59.999Z"},
            {"op": "replace", "path": "/userAwareTokenNeverExpires", "value": false},
        ])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "x", "name": "New name", "scope": null, "created": "2017-07-11T18:45:37.098Z",
            "owner": {"type": "IDENTITY", "id": "i", "name": "n"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().v2025().personal_access_tokens();
    api.list_personal_access_tokens()
        .filters(Filter::le("lastUsed", cutoff).or(Filter::isnull("lastUsed")))
        .await
        .unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339("2027-12-31T23:59:59.999Z").unwrap().to_utc();
    let patch = JsonPatch::new()
        .replace("/name", "New name")
        .replace("/expirationDate", expires)
        .replace("/userAwareTokenNeverExpires", false);
    let updated = api.patch_personal_access_token("x", patch).await.unwrap();
    assert_eq!(updated.name, "New name");
}

/// A server on 127.0.0.1 that drops the first `drops` connections (after reading the request when
/// `read_first`, at once otherwise) and answers the rest with `200 []`; it counts the requests it read.
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
            // Read the request head (and a small body, if any).
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
    let client = Client::builder().base_url(&url).retry_policy(fast_retries()).build().unwrap();
    let tokens = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    assert!(tokens.is_empty());
    assert_eq!(seen.lock().unwrap().len(), 3, "two lost, the third answered: {:?}", seen.lock().unwrap());

    // Dropped before the server read anything: GET is retried too.
    let (url, _) = dropping_server(1, false).await;
    let client = Client::builder().base_url(&url).retry_policy(fast_retries()).build().unwrap();
    client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();

    // POST: the server may have acted on it, so the lost connection is reported, never repeated.
    let (url, seen) = dropping_server(1, true).await;
    let client = Client::builder().base_url(&url).retry_policy(fast_retries()).build().unwrap();
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = client.v3().personal_access_tokens().create_personal_access_token(request.clone()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 1, "the POST must not be sent twice: {:?}", seen.lock().unwrap());
    assert!(seen.lock().unwrap()[0].starts_with("POST "), "{:?}", seen.lock().unwrap());

    // Unless the caller opts in to retrying non-idempotent requests.
    let (url, seen) = dropping_server(1, true).await;
    let client = Client::builder()
        .base_url(&url)
        .retry_policy(RetryPolicy { retry_non_idempotent: true, ..fast_retries() })
        .build()
        .unwrap();
    let err = client.v3().personal_access_tokens().create_personal_access_token(request).await.unwrap_err();
    // The answer `[]` is not a created token: the retry happened, and its body did not decode.
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(seen.lock().unwrap().len(), 2);
}
