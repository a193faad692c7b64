//! Hand-written (never touched by the generator): the client against a hostile or broken server and a
//! careless caller, over real sockets on 127.0.0.1. Each test is one class of the hardening issue: the
//! secret never follows a redirect, nothing hangs without a bound, no body is read without a limit,
//! nothing a server sends panics the client, a path parameter cannot change the target, correction never
//! hides a broken answer, token failures do not multiply, and no credential hides in a URL.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sailpoint_pat::client::BodyLimits;
use sailpoint_pat::secret::ExposeSecret;
use sailpoint_pat::{Client, Error, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "pat-client-id-42";
const CLIENT_SECRET: &str = "pat-client-secret-DO-NOT-LEAK-7f3a";

/// What a raw server does with one request it has read.
enum Reply {
    /// Write these bytes and close.
    Raw(Vec<u8>),
    /// Keep the connection open and never answer (until the test ends).
    Hang,
    /// Answer `200` with a chunked body of `total` bytes of `x`, stopping when the client goes away;
    /// the bytes written are added to the counter.
    Flood { total: usize, status: u16, written: Arc<AtomicUsize> },
}

/// A server on 127.0.0.1 that reads each request whole (head and `Content-Length` body), records it as
/// text, and answers as `reply` says. It stops when the test's runtime does.
async fn raw_server(reply: impl Fn(&str) -> Reply + Send + Sync + 'static) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let reply = Arc::new(reply);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let log = log.clone();
            let reply = reply.clone();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut socket).await else { return };
                log.lock().unwrap().push(request.clone());
                match reply(&request) {
                    Reply::Raw(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    Reply::Flood { total, status, written } => {
                        let head = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                        );
                        if socket.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = vec![b'x'; 64 * 1024];
                        let mut sent = 0;
                        while sent < total {
                            let frame =
                                [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()]
                                    .concat();
                            if socket.write_all(&frame).await.is_err() {
                                return;
                            }
                            sent += chunk.len();
                            written.fetch_add(chunk.len(), Ordering::SeqCst);
                        }
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                    }
                }
            });
        }
    });
    (url, seen)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = vec![0u8; 16384];
    let head_end = loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(k) => got.extend_from_slice(&buf[..k]),
        }
    };
    let head = String::from_utf8_lossy(&got[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    while got.len() < head_end + length {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(k) => got.extend_from_slice(&buf[..k]),
        }
    }
    Some(String::from_utf8_lossy(&got).to_string())
}

fn http(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn pat_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn token_body(access: &str) -> String {
    json!({"access_token": access, "token_type": "bearer", "expires_in": 3600}).to_string()
}

/// Fails (instead of hanging the suite) when a call takes longer than a bound the client must keep.
async fn within<T>(secs: u64, f: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(secs), f.into_future())
        .await
        .expect("the call must end within its bound, not hang")
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

// ---- 1. Redirects -------------------------------------------------------------------------------------

/// A token endpoint that answers `307` to another origin over plain HTTP: reqwest's default policy
/// would re-post the form, client secret included, to that host. The client follows no redirect from the
/// token endpoint: the call is an `Error::Auth` naming the status, and the other host hears nothing.
#[tokio::test]
async fn the_token_request_never_follows_a_redirect() {
    let (elsewhere, stolen) = raw_server(|_| Reply::Raw(http("200 OK", &[], &token_body("stolen")))).await;
    let target = format!("{elsewhere}/collect");
    let (base, seen) = raw_server(move |req| {
        if req.starts_with("POST /oauth/token") {
            Reply::Raw(http("307 Temporary Redirect", &[("location", &target)], ""))
        } else {
            Reply::Raw(http("200 OK", &[("content-type", "application/json")], "[]"))
        }
    })
    .await;
    let err =
        within(10, pat_client(&base).v3().personal_access_tokens().list_personal_access_tokens()).await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err:?}") };
    assert_eq!(auth.status().map(|s| s.as_u16()), Some(307), "{auth}");
    assert!(auth.message().contains("redirect"), "{auth}");
    assert!(stolen.lock().unwrap().is_empty(), "the other host received: {:?}", stolen.lock().unwrap());
    assert_eq!(seen.lock().unwrap().len(), 1, "only the token request, no API call: {:?}", seen.lock().unwrap());
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
}

/// An API request answered with a redirect, to another origin or the same one: nothing is re-sent
/// anywhere (not the bearer token, not the body); the caller gets the 3xx with its `Location`.
#[tokio::test]
async fn api_redirects_are_returned_not_followed() {
    let (elsewhere, stolen) = raw_server(|_| Reply::Raw(http("200 OK", &[], "[]"))).await;
    let cross = format!("{elsewhere}/v3/personal-access-tokens");
    let location = cross.clone();
    let (base, seen) = raw_server(move |req| {
        if req.starts_with("POST /oauth/token") {
            Reply::Raw(http("200 OK", &[("content-type", "application/json")], &token_body("tok")))
        } else if req.starts_with("GET ") {
            Reply::Raw(http("302 Found", &[("location", &location)], ""))
        } else {
            Reply::Raw(http("308 Permanent Redirect", &[("location", "/v3/elsewhere")], ""))
        }
    })
    .await;
    let api = pat_client(&base).v3().personal_access_tokens();
    let err = api.list_personal_access_tokens().await.unwrap_err();
    let Error::UnexpectedStatus(raw) = &err else { panic!("{err:?}") };
    assert_eq!(raw.status.as_u16(), 302);
    assert_eq!(raw.headers["location"], cross.as_str());
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = api.create_personal_access_token(request).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(308), "{err:?}");
    assert!(stolen.lock().unwrap().is_empty(), "{:?}", stolen.lock().unwrap());
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "token, GET, POST; nothing followed: {seen:?}");
    assert!(seen.iter().all(|r| !r.to_ascii_lowercase().contains("\r\nreferer:")), "{seen:?}");
}

// ---- 2. Timeouts --------------------------------------------------------------------------------------

/// A token endpoint that accepts the connection and never answers: every caller that waits on the
/// fetch gets the timeout, and only one token request was made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_endpoint_that_never_answers_times_out_for_every_waiter() {
    let (base, seen) = raw_server(|_| Reply::Hang).await;
    let client = Client::builder()
        .base_url(&base)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let api = client.v3().personal_access_tokens();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let call = api.list_personal_access_tokens();
        set.spawn(async move { call.await });
    }
    let results = within(10, set.join_all()).await;
    for r in &results {
        let Err(Error::Auth(auth)) = r else { panic!("{r:?}") };
        assert!(auth.message().contains("timed out"), "{auth}");
    }
    assert_eq!(seen.lock().unwrap().len(), 1, "the waiters share the one failed fetch");
}

/// An API endpoint that never answers: the attempt times out, and a GET's retries are bounded too.
#[tokio::test]
async fn an_api_endpoint_that_never_answers_is_a_timeout() {
    let (base, _) = raw_server(|_| Reply::Hang).await;
    let client = Client::builder().base_url(&base).timeout(Duration::from_millis(200)).build().unwrap();
    let err = within(10, client.v3().personal_access_tokens().list_personal_access_tokens()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

// ---- 3. Body limits -----------------------------------------------------------------------------------

/// A response larger than its limit is not read into memory: the call ends with `BodyTooLarge` (status
/// and headers kept; a 2xx says the request took effect) long before the server has sent it all.
#[tokio::test]
async fn bodies_past_their_limit_are_not_read() {
    let written = Arc::new(AtomicUsize::new(0));
    let w = written.clone();
    let (base, _) = raw_server(move |_| Reply::Flood { total: 256 << 20, status: 200, written: w.clone() }).await;
    let limits = BodyLimits { response: 1 << 20, ..BodyLimits::default() };
    let client = Client::builder().base_url(&base).body_limits(limits).build().unwrap();
    let err = within(20, client.v3().personal_access_tokens().list_personal_access_tokens()).await.unwrap_err();
    let Error::BodyTooLarge(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.status.as_u16(), e.limit), (200, 1 << 20));
    assert!(err.accepted(), "a 2xx took effect");
    assert!(err.to_string().contains("BodyLimits::response"), "{err}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    assert!(sent < 64 << 20, "the client stopped reading: the server got {sent} of 256 MiB out");

    // A declared Content-Length past the limit fails before any of the body is read; error bodies have
    // their own (smaller) limit by default.
    let (base, _) =
        raw_server(|_| Reply::Raw(format!("HTTP/1.1 500 Oops\r\ncontent-length: {}\r\n\r\n", 2 << 20).into_bytes()))
            .await;
    let client = Client::builder().base_url(&base).retry_policy(RetryPolicy::never()).build().unwrap();
    let err = within(10, client.v3().personal_access_tokens().list_personal_access_tokens()).await.unwrap_err();
    let Error::BodyTooLarge(e) = &err else { panic!("{err:?}") };
    assert_eq!((e.status.as_u16(), e.limit), (500, BodyLimits::default().error));
    assert!(!err.accepted());
}

/// A token response past its limit (64 KiB by default) is an `Error::Auth`, and never cached.
#[tokio::test]
async fn a_huge_token_response_is_refused() {
    let padding = "p".repeat(200 * 1024);
    let body = json!({"access_token": "tok", "expires_in": 3600, "padding": padding}).to_string();
    let (base, seen) = raw_server(move |_| Reply::Raw(http("200 OK", &[], &body))).await;
    let err =
        within(10, pat_client(&base).v3().personal_access_tokens().list_personal_access_tokens()).await.unwrap_err();
    let Error::Auth(auth) = &err else { panic!("{err:?}") };
    assert!(auth.message().contains("BodyLimits::token"), "{auth}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

// ---- 4. Nothing a server sends panics the client -------------------------------------------------------

/// Token lifetimes that overflow `Instant + Duration`, or that are negative, fractional, strings or
/// absurd: every call works, and a lifetime too long is clamped (to a day), so the token is reused.
#[tokio::test]
async fn token_lifetimes_of_any_size_or_shape_never_panic() {
    for expires_in in
        [json!(u64::MAX), json!(1e308), json!(-5), json!(0.5), json!("3600"), json!("soon"), json!(null), json!([1])]
    {
        let server = MockServer::start().await;
        let body = json!({"access_token": "tok", "expires_in": expires_in});
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
        let api = pat_client(&server.uri()).v3().personal_access_tokens();
        for _ in 0..3 {
            api.list_personal_access_tokens().await.unwrap_or_else(|e| panic!("expires_in {expires_in}: {e:?}"));
        }
        if expires_in == json!(u64::MAX) || expires_in == json!(1e308) {
            assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1, "clamped, still cached");
        }
    }
}

/// JSON nested a hundred thousand levels deep, a body of invalid UTF-8, or one cut short: a `Decode`
/// error with the bytes kept, never a stack overflow.
#[tokio::test]
async fn pathological_bodies_are_decode_errors_not_crashes() {
    let deep = "[".repeat(100_000);
    for body in [deep.into_bytes(), vec![0xff, 0xfe, b'[', 0x80], b"[{\"id\": \"t1\", \"name\": \"x".to_vec()] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let err =
            client.v3().personal_access_tokens().list_personal_access_tokens().send_with_response().await.unwrap_err();
        let Error::Decode { response, .. } = &err else { panic!("{err:?}") };
        assert_eq!(response.body.bytes(), &body[..]);
    }
}

/// A `Retry-After` too large for 64 bits is longer than any wait: the 429 is returned at once.
#[tokio::test]
async fn a_retry_after_beyond_64_bits_returns_the_429_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "184467440737095516160000")
                .set_body_json(json!({"message": "slow down"})),
        )
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries()).build().unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::MAX));
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 1, "not retried");
}

// ---- 5. Path parameters name one resource -------------------------------------------------------------

/// `""`, `.` and `..` would be dropped or collapsed by the URL parser (`DELETE /v3/personal-access-tokens/..`
/// is `DELETE /v3/`): they are refused before anything is sent. Anything else stays one segment.
#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_and_everything_else_stays_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    for id in ["", ".", ".."] {
        for api in [client.v3().personal_access_tokens()] {
            let err = api.delete_personal_access_token(id).await.unwrap_err();
            let Error::Invalid(e) = &err else { panic!("{id:?}: {err:?}") };
            assert_eq!(e.path(), "id");
        }
        let err = client.v2025().personal_access_tokens().delete_personal_access_token(id).await.unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
    for (id, wire) in [("a/b", "a%2Fb"), ("%2e%2e", "%252e%252e"), ("...", "..."), ("a?b#c", "a%3Fb%23c")] {
        client.v3().personal_access_tokens().delete_personal_access_token(id).await.unwrap();
        let last = server.received_requests().await.unwrap().pop().unwrap();
        assert_eq!(last.url.path(), format!("/v3/personal-access-tokens/{wire}"), "{id:?}");
    }
}

// ---- 6. Correction never hides a broken answer ----------------------------------------------------------

async fn answering(m: &str, p: &str, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method(m))
        .and(path(p))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    (server, client)
}

/// A create answered `200 {}` (or `null`, or an object without its secret or id) is not a created token:
/// it is an error that says the request took effect, never an `Ok` with an empty id and secret.
#[tokio::test]
async fn an_empty_or_secretless_create_answer_is_an_error_not_zero_values() {
    let request = || sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    for body in [json!({}), Value::Null, json!({"id": "t1", "name": "n"}), json!({"secret": "s3cr3t", "name": "n"})] {
        let (_server, client) = answering("POST", "/v3/personal-access-tokens", body.clone()).await;
        let api = client.v3().personal_access_tokens();
        for err in [
            api.create_personal_access_token(request()).await.unwrap_err(),
            api.create_personal_access_token(request()).send_with_response().await.unwrap_err(),
        ] {
            assert!(matches!(err, Error::Decode { .. }), "{body}: {err:?}");
            assert!(err.accepted(), "{body}");
        }
    }
}

/// List items that are `null` or `{}`, or lack their id, are missing records: an error, not zero-filled.
#[tokio::test]
async fn empty_list_items_and_missing_ids_are_errors() {
    let good = json!({"id": "t1", "name": "CI", "scope": null, "owner": {"type": "IDENTITY", "id": "o", "name": "ada"}, "created": "2026-01-01T00:00:00Z"});
    let mut no_id = good.clone();
    no_id.as_object_mut().unwrap().remove("id");
    for (items, at) in [(json!([good, {}]), "[1]"), (json!([good, null]), "[1]"), (json!([no_id]), "[0].id")] {
        let (_server, client) = answering("GET", "/v3/personal-access-tokens", items.clone()).await;
        let err =
            client.v3().personal_access_tokens().list_personal_access_tokens().send_with_response().await.unwrap_err();
        let Error::Decode { path, .. } = &err else { panic!("{items}: {err:?}") };
        assert!(path.starts_with(at), "{items}: {path}");
    }
}

/// Any number of corrections works in one pass (the old loop stopped at 256), and a caller who just
/// awaits learns of them: `.await` is an `Error::Decode` listing them, with the body kept;
/// `send_with_response` hands over the corrected list with every path.
#[tokio::test]
async fn thousands_of_corrections_work_and_plain_await_reports_them() {
    let items: Vec<Value> = (0..3000)
        .map(|i| json!({"id": format!("t{i}"), "name": null, "scope": null, "owner": {"type": "IDENTITY", "id": "o", "name": "ada"}, "created": "2026-01-01T00:00:00Z"}))
        .collect();
    let (_server, client) = answering("GET", "/v3/personal-access-tokens", Value::Array(items)).await;
    let api = client.v3().personal_access_tokens();
    let listed = api.list_personal_access_tokens().send_with_response().await.unwrap();
    assert_eq!(listed.body.len(), 3000);
    assert_eq!(listed.corrections.len(), 3000);
    assert_eq!(listed.corrections[2999], "[2999].name");
    assert!(listed.body.iter().enumerate().all(|(i, t)| t.id == format!("t{i}") && t.name.is_empty()));
    let err = api.list_personal_access_tokens().await.unwrap_err();
    let Error::Decode { path, source, response } = &err else { panic!("{err:?}") };
    assert_eq!(path, "[0].name");
    assert!(source.to_string().contains("and 2995 more"), "{source}");
    assert_eq!(response.json().unwrap()[1500]["id"], "t1500");
}

/// A create whose answer drifted (a required date missing) still hands over its secret through
/// `send_with_response`, with the correction listed; `.await` refuses, keeping the secret in the body.
#[tokio::test]
async fn a_drifted_create_keeps_its_secret_either_way() {
    let body = json!({"id": "t1", "secret": "shown-once", "name": "CI", "scope": null, "owner": {"type": "IDENTITY", "id": "o", "name": "ada"}});
    let (_server, client) = answering("POST", "/v3/personal-access-tokens", body).await;
    let api = client.v3().personal_access_tokens();
    let request = || sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("CI");
    let created = api.create_personal_access_token(request()).send_with_response().await.unwrap();
    assert_eq!(created.body.secret.expose_secret(), "shown-once");
    assert_eq!(created.corrections, ["created", "accessTokenValiditySeconds", "expirationDate"]);
    let err = api.create_personal_access_token(request()).await.unwrap_err();
    let Error::Decode { response, .. } = &err else { panic!("{err:?}") };
    assert!(err.accepted());
    assert_eq!(response.json().unwrap()["secret"], "shown-once");
    assert!(!format!("{err} {err:?}").contains("shown-once"), "the secret stays out of messages");
}

// ---- 7. Token failures do not multiply -------------------------------------------------------------------

/// 50 concurrent calls while the token endpoint answers 500 make one token request, and every call gets
/// its error; failures in a row then back off instead of hammering the endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_asked_once_for_concurrent_calls_and_then_backs_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"error": "down"})).set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    let api = pat_client(&server.uri()).v3().personal_access_tokens();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let call = api.list_personal_access_tokens();
        set.spawn(async move { call.await });
    }
    for r in set.join_all().await {
        let Err(Error::Auth(auth)) = r else { panic!("{r:?}") };
        assert_eq!(auth.status().map(|s| s.as_u16()), Some(500));
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    // The next call tries again (one failure is no pattern); after that second failure, calls get
    // the error without a request until the backoff has passed.
    api.list_personal_access_tokens().await.unwrap_err();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    for _ in 0..5 {
        let err = api.list_personal_access_tokens().await.unwrap_err();
        assert!(matches!(err, Error::Auth(_)), "{err:?}");
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2, "backing off");
    tokio::time::sleep(Duration::from_millis(600)).await;
    api.list_personal_access_tokens().await.unwrap_err();
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 3, "tried again after the backoff");
}

/// An access token that cannot be a header value (CR/LF) or is empty is an `Error::Auth`, and is not
/// cached: once the endpoint answers properly, the next call works.
#[tokio::test]
async fn unusable_access_tokens_are_refused_and_never_cached() {
    for bad in ["tok\r\nX-Injected: 1", "", "   "] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": bad, "expires_in": 3600})))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "good", "expires_in": 3600})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&server)
            .await;
        let api = pat_client(&server.uri()).v3().personal_access_tokens();
        let err = api.list_personal_access_tokens().await.unwrap_err();
        let Error::Auth(auth) = &err else { panic!("{bad:?}: {err:?}") };
        assert!(!auth.message().contains("X-Injected"), "{auth}");
        api.list_personal_access_tokens().await.unwrap();
        let sent: Vec<String> = requests_to(&server, "/v3/personal-access-tokens")
            .await
            .iter()
            .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
            .collect();
        assert_eq!(sent, ["Bearer good"]);
    }
}

/// A server that answers every request with 401 costs one refresh per token lifetime, not one per call.
#[tokio::test]
async fn a_server_that_rejects_every_token_costs_one_refresh_not_one_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok", "expires_in": 3600})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "no"})))
        .mount(&server)
        .await;
    let api = pat_client(&server.uri()).v3().personal_access_tokens();
    for _ in 0..10 {
        let err = api.list_personal_access_tokens().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2, "the first token and one refresh");
    assert_eq!(requests_to(&server, "/v3/personal-access-tokens").await.len(), 11, "the first call retried once");
}
