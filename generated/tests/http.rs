//! Hand-written (never touched by the generator): the generated client against a real HTTP server on
//! 127.0.0.1 (wiremock), through every PAT operation of every version, and through the documented errors.

use std::time::Duration;

use sailpoint_pat::Client;
use sailpoint_pat::Error;
use sailpoint_pat::secret::ExposeSecret;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-access-token-0123456789";
const SECRET: &str = "1d1bef2b9f426383447f64f69349fc7cac176042578d205c256ba3f37c59adb9";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).access_token(TOKEN).build().expect("loopback http is allowed")
}

fn token_json(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "name": "NodeJS Integration",
        "scope": ["demo:personal-access-token-scope:first"],
        "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "created": "2017-07-11T18:45:37.098Z",
        "lastUsed": null,
        "managed": false,
        "accessTokenValiditySeconds": 36900,
        "expirationDate": "2018-01-11T18:45:37.098Z"
    })
}

fn error_json(code: &str) -> serde_json::Value {
    json!({
        "detailCode": code,
        "trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
        "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": "details"}]
    })
}

#[tokio::test]
async fn list_sends_query_and_auth_and_decodes_every_field() {
    let server = MockServer::start().await;
    let mut unusual = token_json("b");
    unusual["owner"]["type"] = json!("ROBOT"); // unknown enum value
    unusual["newField"] = json!({"nested": true}); // field the spec does not know
    unusual["scope"] = json!(null); // required but nullable
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(query_param("owner-id", "me"))
        .and(query_param("filters", "lastUsed le 2023-02-05T10:59:27.214Z"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([token_json("a"), unusual])))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = client(&server)
        .v3()
        .personal_access_tokens()
        .list_personal_access_tokens()
        .owner_id("me")
        .filters("lastUsed le 2023-02-05T10:59:27.214Z")
        .await
        .expect("list succeeds");
    assert_eq!(tokens.len(), 2);
    let a = &tokens[0];
    assert_eq!(a.id, "a");
    assert_eq!(a.created.to_rfc3339_opts(chrono::SecondsFormat::Millis, true), "2017-07-11T18:45:37.098Z");
    assert_eq!(a.last_used, None);
    assert_eq!(a.managed, Some(false));
    assert_eq!(a.access_token_validity_seconds, Some(36900));
    assert_eq!(a.scope.as_deref(), Some(&["demo:personal-access-token-scope:first".to_string()][..]));
    use sailpoint_pat::v3::models::PatOwnerType;
    assert_eq!(a.owner.type_, Some(PatOwnerType::Identity));
    assert_eq!(tokens[1].owner.type_, Some(PatOwnerType::Unknown("ROBOT".into())));
    assert_eq!(tokens[1].scope, None);
    // Unknown values go back out unchanged; required-and-nullable is sent as null, not dropped.
    let back = serde_json::to_value(&tokens[1]).unwrap();
    assert_eq!(back["owner"]["type"], "ROBOT");
    assert!(back.as_object().unwrap().contains_key("scope") && back["scope"].is_null());
}

#[tokio::test]
async fn optional_query_parameters_are_left_out_when_unset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2025/personal-access-tokens"))
        .and(query_param_is_missing("owner-id"))
        .and(query_param_is_missing("filters"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = client(&server).v2025().personal_access_tokens().list_personal_access_tokens().send().await.unwrap();
    assert!(tokens.is_empty());
}

#[tokio::test]
async fn create_posts_json_and_keeps_the_secret_out_of_debug() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2024/personal-access-tokens"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"name": "NodeJS Integration", "scope": ["sp:scopes:all"], "accessTokenValiditySeconds": 900}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "86f1dc6fe8f54414950454cbb11278fa",
            "secret": SECRET,
            "scope": ["sp:scopes:all"],
            "name": "NodeJS Integration",
            "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
            "created": "2017-07-11T18:45:37.098Z",
            "accessTokenValiditySeconds": 900,
            "expirationDate": "2018-01-11T18:45:37.098Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = sailpoint_pat::v2024::models::CreatePersonalAccessTokenRequest::new("NodeJS Integration");
    request.scope = Some(vec!["sp:scopes:all".into()]);
    request.access_token_validity_seconds = Some(900);
    let created = client(&server).v2024().personal_access_tokens().create_personal_access_token(request).await.unwrap();
    assert_eq!(created.secret.expose_secret(), SECRET);
    let debug = format!("{created:?}");
    assert!(!debug.contains(SECRET), "Debug shows the secret: {debug}");
    assert!(debug.contains("86f1dc6fe8f54414950454cbb11278fa"));
    // The request's Debug and the client's Debug do not show the access token either.
    let c = client(&server);
    assert!(!format!("{c:?}").contains(TOKEN));
    assert!(!format!("{:?}", Client::builder().access_token(TOKEN)).contains(TOKEN));
}

#[tokio::test]
async fn patch_sends_json_patch_media_type_and_typed_values() {
    use sailpoint_pat::v1::models::{JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue};
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/personal-access-tokens/v1/ef38f94347e94562b5bb8424a56397d8"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(json!([
            {"op": "replace", "path": "/name", "value": "New name"},
            {"op": "replace", "path": "/userAwareTokenNeverExpires", "value": true},
            {"op": "replace", "path": "/accessTokenValiditySeconds", "value": 300},
            {"op": "remove", "path": "/expirationDate"}
        ])))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("ef38f94347e94562b5bb8424a56397d8")))
        .expect(1)
        .mount(&server)
        .await;
    let op = |op, path: &str, value: Option<JsonPatchOperationValue>| {
        let mut o = JsonPatchOperation::new(op, path);
        o.value = value;
        o
    };
    let ops = vec![
        op(JsonPatchOperationOp::Replace, "/name", Some("New name".into())),
        op(JsonPatchOperationOp::Replace, "/userAwareTokenNeverExpires", Some(true.into())),
        op(JsonPatchOperationOp::Replace, "/accessTokenValiditySeconds", Some(300i64.into())),
        op(JsonPatchOperationOp::Remove, "/expirationDate", None),
    ];
    let updated = client(&server)
        .v1()
        .personal_access_tokens()
        .patch_personal_access_token_v1("ef38f94347e94562b5bb8424a56397d8", ops)
        .await
        .unwrap();
    assert_eq!(updated.id, "ef38f94347e94562b5bb8424a56397d8");
}

#[tokio::test]
async fn delete_returns_unit_on_204_and_encodes_the_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v3/personal-access-tokens/a%2Fb%20c"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .v3()
        .personal_access_tokens()
        .delete_personal_access_token("a/b c")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 204);
    let () = response.body;
}

#[tokio::test]
async fn every_documented_error_status_decodes_into_its_schema() {
    use sailpoint_pat::v3::personal_access_tokens::DeletePersonalAccessTokenError as E;
    let server = MockServer::start().await;
    let cases = [
        ("400", 400, error_json("400.1 Bad Request Content")),
        ("401", 401, json!({"error": "JWT validation failed: JWT is expired"})),
        ("403", 403, error_json("403 Forbidden")),
        ("404", 404, error_json("404 Not found")),
        ("429", 429, json!({"message": " Rate Limit Exceeded "})),
        ("500", 500, error_json("500.0 Internal Fault")),
    ];
    for (id, status, body) in &cases {
        Mock::given(method("DELETE"))
            .and(path(format!("/v3/personal-access-tokens/{id}")))
            .respond_with(ResponseTemplate::new(*status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let api = client(&server).v3().personal_access_tokens();
    for (id, status, _) in &cases {
        let err = api.delete_personal_access_token(*id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(*status));
        let Error::Api(api_err) = &err else { panic!("{status}: expected a documented error, got {err:?}") };
        match (&api_err.body, status) {
            (E::BadRequest(b), 400) => assert_eq!(b.detail_code.as_deref(), Some("400.1 Bad Request Content")),
            (E::Unauthorized(b), 401) => assert_eq!(b.error, Some(json!("JWT validation failed: JWT is expired"))),
            (E::Forbidden(b), 403) => assert_eq!(b.detail_code.as_deref(), Some("403 Forbidden")),
            (E::NotFound(b), 404) => {
                let m = &b.messages.as_ref().unwrap()[0];
                assert_eq!(m.locale_origin, Some(sailpoint_pat::v3::models::LocaleOrigin::Default));
            }
            (E::TooManyRequests(b), 429) => assert_eq!(b.message, Some(json!(" Rate Limit Exceeded "))),
            (E::InternalServerError(b), 500) => {
                assert_eq!(b.tracking_id.as_deref(), Some("b21b1f7ce4da4d639f2c62a57171b427"))
            }
            (other, s) => panic!("{s} decoded as {other:?}"),
        }
        assert!(err.to_string().contains(&status.to_string()), "{err}");
    }
}

#[tokio::test]
async fn surprising_responses_never_panic_and_keep_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(query_param("filters", "malformed"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{not json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(query_param("filters", "teapot"))
        .respond_with(ResponseTemplate::new(418).set_body_string("I'm a teapot"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(query_param("filters", "bad-error-body"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .and(query_param("filters", "wrong-shape"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 5}])))
        .mount(&server)
        .await;
    let api = client(&server).v3().personal_access_tokens();
    let err = api.list_personal_access_tokens().filters("malformed").await.unwrap_err();
    let Error::Decode { response, .. } = &err else { panic!("{err:?}") };
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.body.text(), "{not json");

    let err = api.list_personal_access_tokens().filters("teapot").await.unwrap_err();
    let Error::UnexpectedStatus(response) = &err else { panic!("{err:?}") };
    assert_eq!(response.status.as_u16(), 418);
    assert_eq!(response.body.text(), "I'm a teapot");
    assert!(err.to_string().contains("418"), "{err}");

    let err = api.list_personal_access_tokens().filters("bad-error-body").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    let err = api.list_personal_access_tokens().filters("wrong-shape").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_successful_body_that_fails_to_decode_is_not_shown() {
    let server = MockServer::start().await;
    // A create response that does not decode (`created` is a number) still carries the secret in its
    // raw body: never shown, but recoverable, and the error says the token was created.
    Mock::given(method("POST"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "x", "secret": SECRET, "created": 12})))
        .mount(&server)
        .await;
    let request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
    let err = client(&server).v3().personal_access_tokens().create_personal_access_token(request).await.unwrap_err();
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
    assert!(!err.to_string().contains(SECRET), "{err}");
    assert!(err.accepted(), "a 2xx answer means the token exists");
    let Error::Decode { response, path, .. } = &err else { panic!("{err:?}") };
    assert_eq!(path, "created");
    assert!(err.to_string().contains("at `created`") && err.to_string().contains("took effect"), "{err}");
    assert_eq!(response.json().unwrap()["secret"], SECRET);
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[test]
fn base_urls_must_be_https_unless_loopback() {
    let err = Client::new("http://tenant.api.identitynow.com", TOKEN).unwrap_err();
    assert!(err.to_string().contains("https"), "{err}");
    assert!(Client::new("http://localhost:8080", TOKEN).is_ok());
    assert!(Client::new("http://[::1]:8080", TOKEN).is_ok());
    let err = Client::builder().access_token(TOKEN).build().unwrap_err();
    assert_eq!(err.setting(), "base URL");
    assert!(Client::new("not a url", TOKEN).is_err());
}

/// `cargo xtask test` runs this file twice: with the default features (TLS) and without any TLS feature.
#[test]
fn https_needs_a_tls_feature_or_a_client_with_tls() {
    let https = Client::new("https://tenant.api.identitynow.com/", TOKEN);
    let token_url = Client::builder()
        .base_url("http://127.0.0.1:8080")
        .client_credentials("id", "not-shown-secret")
        .token_url("https://tenant.api.identitynow.com/oauth/token")
        .build();
    let own_client = Client::builder()
        .base_url("https://tenant.api.identitynow.com")
        .access_token(TOKEN)
        .http_client(sailpoint_pat::client::http_client_builder().build().unwrap())
        .build();
    assert!(own_client.is_ok(), "a client brought by the caller is its own TLS story");
    if cfg!(any(feature = "rustls-ring", feature = "rustls-aws-lc", feature = "native-tls")) {
        assert!(https.is_ok() && token_url.is_ok());
    } else {
        let err = https.unwrap_err();
        assert_eq!(err.setting(), "base URL");
        assert!(err.to_string().contains("no TLS") && err.to_string().contains("`rustls-ring`"), "{err}");
        let err = token_url.unwrap_err();
        assert_eq!(err.setting(), "token URL");
        assert!(!err.to_string().contains("not-shown-secret"));
    }
}

#[tokio::test]
async fn token_validity_out_of_the_documented_range_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "86f1dc6fe8f54414950454cbb11278fa", "secret": SECRET, "scope": null, "name": "n",
            "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
            "created": "2017-07-11T18:45:37.098Z", "accessTokenValiditySeconds": 43200,
            "expirationDate": "2018-01-11T18:45:37.098Z"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let api = client(&server).v3().personal_access_tokens();
    for (seconds, ok) in [(14, false), (15, true), (43200, true), (43201, false), (5, false)] {
        let mut request = sailpoint_pat::v3::models::CreatePersonalAccessTokenRequest::new("n");
        request.access_token_validity_seconds = Some(seconds);
        let sent = api.create_personal_access_token(request).await;
        if ok {
            sent.unwrap();
        } else {
            let err = sent.unwrap_err();
            let Error::Invalid(invalid) = &err else { panic!("{seconds}: expected Invalid, got {err:?}") };
            assert_eq!(invalid.path(), "accessTokenValiditySeconds");
            assert!(err.to_string().contains(&format!("is {seconds}; it must be between 15 and 43200")), "{err}");
        }
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "only the two valid requests were sent");
}

/// The crate's client is reachable by every path it had before the runtime became a crate of its own:
/// `sailpoint_pat::Client`, `sailpoint_pat::client::Client` and `client::ClientBuilder::from_sources`,
/// each with the version accessors.
#[tokio::test]
async fn the_client_keeps_its_paths_and_accessors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/personal-access-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(2)
        .mount(&server)
        .await;
    let by_module: sailpoint_pat::client::Client =
        sailpoint_pat::client::Client::builder().base_url(server.uri()).access_token(TOKEN).build().unwrap();
    by_module.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    let uri = server.uri();
    let env = move |name: &str| match name {
        "SAIL_BASE_URL" => Some(uri.clone()),
        "SAIL_CLIENT_ID" | "SAIL_CLIENT_SECRET" => Some("x".to_string()),
        _ => None,
    };
    let from_env: Client =
        sailpoint_pat::client::ClientBuilder::from_sources(&env, None).unwrap().access_token(TOKEN).build().unwrap();
    from_env.v3().personal_access_tokens().list_personal_access_tokens().await.unwrap();
    assert_eq!(by_module.base_url(), server.uri());
}

/// SailPoint's server `https://{tenant}.api.identitynow.com` and its second server `https://{apiUrl}`:
/// the base URL comes from `.tenant(..)` or `.api_url(..)`; with neither, `build()` names them rather
/// than use the spec's example tenant. (HTTPS bases need a TLS feature.)
#[cfg(any(feature = "rustls-aws-lc", feature = "rustls-ring", feature = "native-tls"))]
#[test]
fn the_base_url_comes_from_the_tenant() {
    let client = Client::builder().tenant("acme").access_token("t").build().unwrap();
    assert_eq!(client.base_url(), "https://acme.api.identitynow.com");
    let client = Client::builder().api_url("isc.acme.example").build().unwrap();
    assert_eq!(client.base_url(), "https://isc.acme.example");
    let err = Client::builder().client_credentials("id", "secret").build().unwrap_err();
    assert!(err.to_string().contains("`tenant`") && err.setting() == "base URL", "{err}");
    let err = Client::builder().tenant("acme.example/evil").build().unwrap_err();
    assert!(err.to_string().contains("server variable `tenant`"), "{err}");
}
