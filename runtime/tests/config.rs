//! The client's configuration, without any generated code: the environment and the sail CLI's file,
//! timeouts on by default, and credentials that never hide in a URL (over HTTP on 127.0.0.1 where a
//! request is sent).

use std::time::Duration;

use sdk_runtime::Client;
use sdk_runtime::client::Request;

/// The builder of the runtime's own client (generated crates name theirs the same way).
type ClientBuilder = sdk_runtime::ClientBuilder<Client>;

/// An OAuth2 scheme with its token URL relative to the server, as SailPoint's crates declare theirs.
static USER_AUTH: sdk_runtime::Scheme =
    sdk_runtime::Scheme { name: "userAuth", kind: sdk_runtime::SchemeKind::OAuth2 { token_url: Some("/oauth/token") } };
static SCHEMES: &[&sdk_runtime::Scheme] = &[&USER_AUTH];
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "pat-client-id-42";
const CLIENT_SECRET: &str = "pat-client-secret-DO-NOT-LEAK-7f3a";

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in}))
}

/// One GET through the runtime, as a generated operation sends it.
async fn list(client: &Client) -> Result<(), sdk_runtime::Error<std::convert::Infallible>> {
    let request =
        Request::new("config-test/1", reqwest::Method::GET, "/v3/personal-access-tokens".into(), "application/json");
    client.execute(request).await.map(|_| ())
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: std::collections::HashMap<String, String> =
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| map.get(name).cloned()
}

#[tokio::test]
async fn configuration_from_environment_variables() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("client_id=env-id"))
        .respond_with(token("env-token", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer env-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let env = env_of(&[("SAIL_BASE_URL", &uri), ("SAIL_CLIENT_ID", "env-id"), ("SAIL_CLIENT_SECRET", CLIENT_SECRET)]);
    let builder = ClientBuilder::from_sources(&env, None).unwrap().schemes(SCHEMES);
    assert!(!format!("{builder:?}").contains(CLIENT_SECRET));
    list(&builder.build().unwrap()).await.unwrap();

    let missing = env_of(&[("SAIL_BASE_URL", "https://t.api.identitynow.com"), ("SAIL_CLIENT_ID", "id")]);
    let err = ClientBuilder::from_sources(&missing, None).unwrap_err();
    assert_eq!(err.setting(), "environment variable SAIL_CLIENT_SECRET");
    assert!(err.to_string().contains("SAIL_CLIENT_SECRET is not set"), "{err}");
    let empty = env_of(&[("SAIL_BASE_URL", ""), ("SAIL_CLIENT_ID", "id"), ("SAIL_CLIENT_SECRET", "s")]);
    assert!(ClientBuilder::from_sources(&empty, None).unwrap_err().to_string().contains("SAIL_BASE_URL is empty"));
    let insecure = env_of(&[
        ("SAIL_BASE_URL", "http://t.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "id"),
        ("SAIL_CLIENT_SECRET", "s"),
    ]);
    let err = ClientBuilder::from_sources(&insecure, None).unwrap().build().unwrap_err();
    assert!(err.to_string().contains("must use https"), "{err}");
    let nothing = env_of(&[]);
    let err =
        ClientBuilder::from_sources(&nothing, Some(std::path::Path::new("/nonexistent/config.yaml"))).unwrap_err();
    assert!(
        err.to_string().contains("SAIL_BASE_URL is not set") && err.to_string().contains("/nonexistent/config.yaml"),
        "{err}"
    );
}

#[tokio::test]
async fn configuration_from_the_sail_cli_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("client_id=file-id"))
        .respond_with(token("file-token", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer file-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.yaml");
    std::fs::write(
        &file,
        format!(
            "activeenvironment: dev\nauthtype: pat\nenvironments:\n  prod:\n    baseurl: https://prod.api.identitynow.com\n    pat:\n      clientid: prod-id\n      clientsecret: prod-secret\n  dev:\n    baseurl: {}\n    tenanturl: https://dev.identitynow.com\n    pat:\n      clientid: file-id\n      clientsecret: {CLIENT_SECRET}\n",
            server.uri()
        ),
    )
    .unwrap();
    let builder = ClientBuilder::from_sources(&env_of(&[]), Some(&file)).unwrap().schemes(SCHEMES);
    list(&builder.build().unwrap()).await.unwrap();

    // Environment variables win over the file.
    let env = env_of(&[
        ("SAIL_BASE_URL", "https://env.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "i"),
        ("SAIL_CLIENT_SECRET", "s"),
    ]);
    let client = ClientBuilder::from_sources(&env, Some(&file)).unwrap().schemes(SCHEMES).build().unwrap();
    assert_eq!(client.base_url(), "https://env.api.identitynow.com");

    std::fs::write(&file, "activeenvironment: dev\nenvironments:\n  dev:\n    baseurl: https://dev.api.identitynow.com\n    pat:\n      clientid: x\n").unwrap();
    let err = ClientBuilder::from_sources(&env_of(&[]), Some(&file)).unwrap_err();
    assert!(err.to_string().contains("key `environments.dev.pat.clientsecret`"), "{err}");
    std::fs::write(&file, format!("activeenvironment: [\n  clientsecret: {CLIENT_SECRET}\n")).unwrap();
    let err = ClientBuilder::from_sources(&env_of(&[]), Some(&file)).unwrap_err();
    assert!(err.to_string().contains("is not valid YAML") && !err.to_string().contains(CLIENT_SECRET), "{err}");
}

/// The defaults are on without being asked for, and off only when asked.
#[test]
fn timeouts_are_on_by_default() {
    let client = Client::builder().base_url("https://tenant.api.identitynow.com").build().unwrap();
    assert!(format!("{client:?}").contains("timeout: Some(60s)"), "{client:?}");
    assert_eq!(sdk_runtime::client::DEFAULT_TIMEOUT, Duration::from_secs(60));
    assert_eq!(sdk_runtime::client::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
    let client = Client::builder().base_url("https://tenant.api.identitynow.com").no_timeouts().build().unwrap();
    assert!(format!("{client:?}").contains("timeout: None"), "{client:?}");
}

/// A user name or password in the base or token URL is a `ConfigError` that does not repeat the
/// password (reqwest would otherwise add a `Basic` header beside the bearer token).
#[test]
fn userinfo_in_a_url_is_refused_without_repeating_the_password() {
    for (base, token_url) in [
        ("https://user:hunter2-pass@tenant.api.identitynow.com", None),
        ("https://hunter2-pass@tenant.api.identitynow.com", None),
        ("https://tenant.api.identitynow.com", Some("https://id:hunter2-pass@tenant.api.identitynow.com/oauth/token")),
        ("https://user:hunter2 pass@tenant api", None),
    ] {
        let mut b = Client::builder().base_url(base).client_credentials(CLIENT_ID, CLIENT_SECRET);
        if let Some(t) = token_url {
            b = b.token_url(t);
        }
        let debug = format!("{b:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        let err = b.build().unwrap_err();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("hunter2"), "{text}");
        }
        assert!(err.setting() == "base URL" || err.setting() == "token URL", "{err}");
    }
    // Empty credentials are refused at build, not sent.
    let base = "https://tenant.api.identitynow.com";
    assert_eq!(
        Client::builder().base_url(base).client_credentials("id", "").build().unwrap_err().setting(),
        "client secret"
    );
    assert_eq!(Client::builder().base_url(base).access_token(" ").build().unwrap_err().setting(), "access token");
}

#[tokio::test]
async fn sail_experimental_opts_in_to_experimental_operations() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token("t", 3600)).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    // SAIL_EXPERIMENTAL=true opts in: an experimental request is sent; without it, refused unsent.
    let experimental = |env: &dyn Fn(&str) -> Option<String>| {
        let client = ClientBuilder::from_sources(env, None).unwrap().schemes(SCHEMES).build().unwrap();
        let mut request = Request::new(
            "config-test/1",
            reqwest::Method::GET,
            "/v3/personal-access-tokens".into(),
            "application/json",
        );
        request.experimental = Some("listThings");
        async move { client.execute(request).await.map(|_| ()) }
    };
    let opted = env_of(&[
        ("SAIL_BASE_URL", &uri),
        ("SAIL_CLIENT_ID", "i"),
        ("SAIL_CLIENT_SECRET", "s"),
        ("SAIL_EXPERIMENTAL", "true"),
    ]);
    experimental(&opted).await.unwrap();
    let not = env_of(&[("SAIL_BASE_URL", &uri), ("SAIL_CLIENT_ID", "i"), ("SAIL_CLIENT_SECRET", "s")]);
    let err = experimental(&not).await.unwrap_err();
    assert!(err.to_string().contains("listThings") && err.to_string().contains("experimental(true)"), "{err}");
    let bad = env_of(&[("SAIL_BASE_URL", &uri), ("SAIL_EXPERIMENTAL", "yes")]);
    assert!(ClientBuilder::from_sources(&bad, None).unwrap_err().to_string().contains("SAIL_EXPERIMENTAL"));
}
