//! Hand-written (never touched by the generator): the `blocking` feature's `send_blocking` from plain
//! synchronous code against a real HTTP server on 127.0.0.1 (wiremock, on a runtime of the test's own).
//! `cargo xtask test` runs this file with `--features blocking`; without the feature it has no tests.
#![cfg(feature = "blocking")]

use std::time::Duration;

use sailpoint_pat::secret::ExposeSecret;
use sailpoint_pat::v3::personal_access_tokens::DeletePersonalAccessTokenError;
use sailpoint_pat::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "blocking-secret-never-shown-5b1c";

/// A wiremock server on its own runtime; the runtime lives as long as the returned value.
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(MockServer::start());
    (rt, server)
}

fn token_json(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "name": "blocking",
        "scope": ["sp:scopes:all"],
        "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "created": "2017-07-11T18:45:37.098Z",
        "managed": false,
        "accessTokenValiditySeconds": 36900,
        "expirationDate": "2018-01-11T18:45:37.098Z"
    })
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

#[test]
fn synchronous_code_lists_creates_and_gets_typed_errors_with_client_credentials() {
    let (rt, server) = server();
    rt.block_on(async {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(body_string_contains("grant_type=client_credentials"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"access_token": "blocking-access-token", "token_type": "bearer", "expires_in": 600}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([token_json("a"), token_json("b")])))
            .mount(&server)
            .await;
        let mut created = token_json("c");
        created["secret"] = json!(SECRET);
        Mock::given(method("POST"))
            .and(path("/v2025/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_json(created))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/v3/personal-access-tokens/gone"))
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detailCode": "404 Not found"})))
            .mount(&server)
            .await;
    });
    let client = Client::builder().base_url(server.uri()).client_credentials("id", "client-secret").build().unwrap();

    let tokens = client.v3().personal_access_tokens().list_personal_access_tokens().send_blocking().unwrap();
    assert_eq!(tokens.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);

    let request = sailpoint_pat::v2025::models::CreatePersonalAccessTokenRequest::new("blocking");
    let created = client
        .v2025()
        .personal_access_tokens()
        .create_personal_access_token(request)
        .send_with_response_blocking()
        .unwrap();
    assert_eq!(created.status.as_u16(), 200);
    assert_eq!(created.body.secret.expose_secret(), SECRET);

    let err = client.v3().personal_access_tokens().delete_personal_access_token("gone").send_blocking().unwrap_err();
    let Error::Api(api) = &err else { panic!("expected the documented 404, got {err:?}") };
    assert!(
        matches!(&api.body, DeletePersonalAccessTokenError::NotFound(b) if b.detail_code.as_deref() == Some("404 Not found"))
    );
    // One token request served all three calls (wiremock checks `expect(1)` here).
    rt.block_on(server.verify());
}

#[test]
fn many_threads_block_at_once_and_retries_sleep_on_the_shared_runtime() {
    let (rt, server) = server();
    rt.block_on(async {
        // The first request of all gets a 503, which a GET retries after a backoff (a runtime timer).
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v3/personal-access-tokens"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([token_json("a")])))
            .expect(40)
            .mount(&server)
            .await;
    });
    let client =
        Client::builder().base_url(server.uri()).access_token("t").retry_policy(fast_retries()).build().unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let tokens =
                        client.v3().personal_access_tokens().list_personal_access_tokens().send_blocking().unwrap();
                    assert_eq!(tokens.len(), 1);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no thread panicked");
    }
    let received = rt.block_on(server.received_requests()).unwrap();
    assert_eq!(received.len(), 41, "40 successes and the one 503 that was retried");
    rt.block_on(server.verify());
}

#[tokio::test]
async fn inside_an_async_runtime_it_refuses_instead_of_panicking() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).access_token("t").build().unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().send_blocking().unwrap_err();
    let Error::Config(config) = &err else { panic!("expected a configuration error, got {err:?}") };
    assert_eq!(config.setting(), "blocking call");
    assert!(err.to_string().contains("`.await` the request"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}
