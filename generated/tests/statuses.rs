//! Hand-written (never touched by the generator): how the generated operations turn what the runtime
//! returns into their typed results, over real HTTP on 127.0.0.1: a documented status into its typed
//! error (with `Retry-After` kept), an undocumented one into `UnexpectedStatus`, every `Error` variant
//! without a secret in its `Display` or `Debug`, and the filter and patch helpers on the wire. The
//! runtime's own behaviour (token caching and refresh, retries, lost connections, logs) is tested
//! without generated code in `runtime/tests/http.rs`.

use std::time::{Duration, Instant};

use sailpoint_pat::{Client, ClientBuilder, Error, Filter, JsonPatch, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{header, method, path};
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

#[tokio::test]
async fn a_persistent_401_is_the_operations_typed_unauthorized_error() {
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
async fn a_429_past_the_maximum_wait_is_the_typed_error_with_its_delay() {
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
async fn retried_operations_end_in_their_typed_result_and_an_undocumented_status_is_unexpected() {
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
