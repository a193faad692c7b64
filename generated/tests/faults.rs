//! Hand-written (never touched by the generator): fault injection over real HTTP on 127.0.0.1. A server
//! that strays from its spec the way real ones do, and what the caller sees each time: nothing the
//! server sent is lost, and "it failed" never hides "it happened".

#[path = "../../runtime/tests/common/mod.rs"]
mod common;

use common::Logs;
use sailpoint_pat::secret::ExposeSecret;
use sailpoint_pat::{Client, Error, JsonPatch, RetryPolicy};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "pat-secret-shown-once-9c1e";

fn client(server: &MockServer) -> Client {
    let retry = RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    Client::builder().base_url(server.uri()).access_token("t").retry_policy(retry).build().unwrap()
}

async fn answer(server: &MockServer, m: &str, p: &str, status: u16, body: Value) {
    Mock::given(method(m))
        .and(path(p))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// Corrections are listed in the order the decoder met them; tests compare them sorted.
fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn token(created: Value) -> Value {
    json!({"id": "t1", "name": "CI", "scope": null, "owner": {"type": "IDENTITY", "id": "o", "name": "ada"}, "created": created})
}

/// The scenario the issue names: a v2025 create answered with `"expirationDate": null`, which v2025
/// declares required and not nullable. The token exists; its secret must reach the caller as `Ok`.
#[tokio::test]
async fn a_create_with_a_null_required_field_hands_over_the_secret_and_shows_the_correction() {
    let server = MockServer::start().await;
    let body = json!({"id": "t1", "secret": SECRET, "scope": null, "name": "CI", "owner": {"type": "IDENTITY", "id": "o", "name": "ada"},
        "created": "2026-01-01T00:00:00Z", "accessTokenValiditySeconds": 43200, "expirationDate": null});
    answer(&server, "POST", "/v2025/personal-access-tokens", 200, body).await;
    let logs = Logs::default();
    let _guard = logs.capture();
    let request = sailpoint_pat::v2025::models::CreatePersonalAccessTokenRequest::new("CI");
    let created = client(&server)
        .v2025()
        .personal_access_tokens()
        .create_personal_access_token(request)
        .send_with_response()
        .await
        .expect("a missing or null required value is corrected, not an error");
    assert_eq!(created.body.secret.expose_secret(), SECRET);
    assert_eq!(created.corrections, ["expirationDate"]);
    assert_eq!(created.body.expiration_date.timestamp(), 0, "the zero value of a date-time: the epoch");
    let lines = logs.0.lock().unwrap().clone();
    let warned: Vec<&String> = lines.iter().filter(|l| l.starts_with("WARN:")).collect();
    assert_eq!(warned.len(), 1, "{lines:#?}");
    assert!(warned[0].contains("createPersonalAccessToken") && warned[0].contains("expirationDate"), "{warned:?}");
    assert!(lines.iter().all(|l| !l.contains(SECRET)), "{lines:#?}");
}

/// Required values missing or `null` in each PAT response: every one becomes its zero value, and the
/// response lists each corrected path.
#[tokio::test]
async fn missing_and_null_required_values_in_every_pat_response_are_corrected_and_listed() {
    let server = MockServer::start().await;
    // list: the second token has no `name` and a null `owner`.
    let mut second = token(json!("2026-01-02T00:00:00Z"));
    second.as_object_mut().unwrap().remove("name");
    second["owner"] = Value::Null;
    answer(&server, "GET", "/v3/personal-access-tokens", 200, json!([token(json!("2026-01-01T00:00:00Z")), second]))
        .await;
    // patch: `created` null and `name` missing.
    let mut patched = token(Value::Null);
    patched.as_object_mut().unwrap().remove("name");
    answer(&server, "PATCH", "/v3/personal-access-tokens/t1", 200, patched).await;
    // create: almost everything missing, but the secret is there.
    answer(&server, "POST", "/v3/personal-access-tokens", 200, json!({"id": "t2", "secret": SECRET})).await;

    let api = client(&server).v3().personal_access_tokens();
    let list = api.list_personal_access_tokens().send_with_response().await.unwrap();
    assert_eq!(sorted(&list.corrections), ["[1].name", "[1].owner"]);
    assert_eq!((list.body[1].name.as_str(), list.body[1].owner.name.as_deref()), ("", None));

    let patch = api
        .patch_personal_access_token("t1", JsonPatch::new().replace("/name", "x"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(sorted(&patch.corrections), ["created", "name"]);
    assert_eq!((patch.body.id.as_str(), patch.body.name.as_str()), ("t1", ""));

    let created = api
        .create_personal_access_token(sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n"))
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(created.body.secret.expose_secret(), SECRET);
    assert_eq!(
        sorted(&created.corrections),
        ["accessTokenValiditySeconds", "created", "expirationDate", "name", "owner"]
    );
}

/// What is not a missing or null value is an error that names the path and keeps everything: a wrong
/// scalar type in a 2xx answer says the request took effect, and the body is there as bytes and JSON.
#[tokio::test]
async fn a_wrong_scalar_type_is_a_decode_error_naming_the_path_and_keeping_the_body() {
    let server = MockServer::start().await;
    let mut bad = token(json!("2026-01-01T00:00:00Z"));
    bad["owner"]["name"] = json!(42);
    answer(&server, "GET", "/v3/personal-access-tokens", 200, json!([bad])).await;
    let err = client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    let Error::Decode { response, path, source } = &err else { panic!("{err:?}") };
    assert_eq!(path, "[0].owner.name");
    assert!(source.to_string().contains("expected a string"), "{source}");
    assert!(err.accepted());
    assert_eq!(response.json().unwrap()[0]["owner"]["name"], 42);
    assert!(!response.body.bytes().is_empty());
}

/// Enum values the spec does not list, in a different case or inside arrays, are kept as sent.
#[tokio::test]
async fn enum_values_in_another_case_or_unknown_inside_arrays_are_kept() {
    let server = MockServer::start().await;
    let mut a = token(json!("2026-01-01T00:00:00Z"));
    a["owner"]["type"] = json!("identity");
    let mut b = token(json!("2026-01-01T00:00:00Z"));
    b["owner"]["type"] = json!("MACHINE");
    answer(&server, "GET", "/v3/personal-access-tokens", 200, json!([a, b])).await;
    let list =
        client(&server).v3().personal_access_tokens().list_personal_access_tokens().send_with_response().await.unwrap();
    assert!(list.corrections.is_empty());
    let kinds: Vec<String> = list.body.iter().map(|t| t.owner.type_.as_ref().unwrap().as_str().to_string()).collect();
    assert_eq!(kinds, ["identity", "MACHINE"]);
}

/// A body cut short: JSON that ends mid-value is a decode error at the body itself (`.`), with what
/// arrived kept; a body shorter than its `Content-Length` is a lost connection, retried for a GET.
#[tokio::test]
async fn truncated_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(&b"[{\"id\": \"t1\", \"na"[..], "application/json"))
        .mount(&server)
        .await;
    let err = client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    let Error::Decode { response, path, .. } = &err else { panic!("{err:?}") };
    assert_eq!(path, ".");
    assert!(response.json().is_err());
    assert_eq!(response.body.bytes(), b"[{\"id\": \"t1\", \"na");
}

/// `429` again and again: the client waits as asked, within its attempts, then hands the caller the
/// `429` with its `Retry-After`.
#[tokio::test]
async fn a_429_storm_ends_with_the_429_and_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("Retry-After", "0").set_body_json(json!({"message": "slow down"})),
        )
        .mount(&server)
        .await;
    let err = client(&server).v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "RetryPolicy::default() makes 3 attempts");
}

/// A body shorter than its `Content-Length` (the connection closed mid-body) is a lost connection: a GET
/// is retried and gets the whole answer.
#[tokio::test]
async fn a_body_cut_short_by_a_closed_connection_is_retried_for_a_get() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = answered.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut buf = vec![0u8; 8192];
            let _ = socket.read(&mut buf).await;
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let whole = "[]";
            let response = if n == 0 {
                // Promises 100 bytes, sends 2, and closes.
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{whole}")
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{whole}"
                )
            };
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    let retry = RetryPolicy { initial_backoff: Duration::from_millis(10), ..RetryPolicy::default() };
    let client = Client::builder().base_url(url).access_token("t").retry_policy(retry).build().unwrap();
    let tokens = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    assert!(tokens.is_empty());
    assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 2);
}
