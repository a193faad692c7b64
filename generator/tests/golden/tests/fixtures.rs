//! Hand-written (never touched by the generator): what the fixtures' generated code does at run time —
//! unions pick the right variant, maps keep extra fields, odd names round-trip, enums keep unknown
//! values, recursion is boxed — and the parameter and body encodings over real HTTP on 127.0.0.1.

use fixtures_golden::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_bytes, body_string, header, headers, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn untagged_unions_pick_the_most_specific_variant() {
    use fixtures_golden::compositions::models::{Anything, Measure};
    assert_eq!(serde_json::from_value::<Measure>(json!(3)).unwrap(), Measure::Integer(3));
    assert_eq!(serde_json::from_value::<Measure>(json!(3.5)).unwrap(), Measure::Number(3.5));
    assert!(
        matches!(serde_json::from_value::<Anything>(json!({"id": "x"})).unwrap(), Anything::Base(b) if b.id == "x")
    );
    assert!(matches!(serde_json::from_value::<Anything>(json!({"other": 1})).unwrap(), Anything::Object(_)));
    assert_eq!(serde_json::from_value::<Anything>(json!(true)).unwrap(), Anything::Boolean(true));
    assert_eq!(serde_json::from_value::<Anything>(json!("s")).unwrap(), Anything::String("s".into()));
}

#[test]
fn all_of_merges_members_and_aliases_keep_their_names() {
    use fixtures_golden::compositions::models::{OnlyBase, Pet, Tag};
    let pet: Pet = serde_json::from_value(json!({"id": "p", "name": "Rex", "tag": "friendly", "weight": 4})).unwrap();
    assert_eq!((pet.id.as_str(), pet.name.as_str()), ("p", "Rex"));
    let tag: Tag = "friendly".to_string();
    assert_eq!(pet.tag, Some(tag));
    let only: OnlyBase = serde_json::from_value(json!({"id": "b"})).unwrap();
    assert_eq!(only.id, "b");
    // A required member field stays required after the merge.
    assert!(serde_json::from_value::<Pet>(json!({"name": "Rex"})).is_err());
}

#[test]
fn maps_and_extra_fields_are_kept() {
    use fixtures_golden::maps::models::{Extras, Settings};
    let input = json!({"name": "main", "limits": {"daily": 10}, "labels": {"a": {"text": "hi"}}, "anything": {"k": [1]}, "untyped": 5, "surprise": {"x": 1}});
    let s: Settings = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(s.limits.as_ref().unwrap()["daily"], 10);
    assert_eq!(s.additional_properties["surprise"], json!({"x": 1}));
    assert_eq!(serde_json::to_value(&s).unwrap(), input);
    let e: Extras = serde_json::from_value(json!({"id": "x", "colour": "red"})).unwrap();
    assert_eq!(e.additional_properties["colour"], "red");
}

#[test]
fn odd_names_round_trip_under_their_wire_names() {
    use fixtures_golden::names::models::{FooBar, FooBar2, Type, Type3dModel};
    let input = json!({"type": "a", "fn": "b", "$ref": "c", "a.b": "d", "with space": "e", "2fa": true, "fooBar": "f", "foo_bar": "g", "Self": "h"});
    let t: Type = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        (t.type_.as_deref(), t.foo_bar.as_deref(), t.foo_bar2.as_deref(), t.n_2fa),
        (Some("a"), Some("f"), Some("g"), Some(true))
    );
    assert_eq!(serde_json::to_value(&t).unwrap(), input);
    // `Foo-Bar` and `FooBar` collide after case conversion: the second gets a suffix.
    let _: (FooBar, FooBar2, Type3dModel) = (FooBar::default(), FooBar2::default(), Type3dModel::default());
}

#[test]
fn enums_keep_unknown_values_and_nullability() {
    use fixtures_golden::enums::models::{Priority, State, Thing};
    assert_eq!(serde_json::from_value::<State>(json!("in-progress")).unwrap(), State::InProgress);
    assert_eq!(serde_json::from_value::<State>(json!("PAUSED")).unwrap(), State::Unknown("PAUSED".into()));
    assert_eq!(serde_json::from_value::<Priority>(json!(-1)).unwrap(), Priority::VMinus1);
    assert_eq!(serde_json::from_value::<Priority>(json!(7)).unwrap(), Priority::Unknown(7));
    let t: Thing =
        serde_json::from_value(json!({"state": null, "requiredNullable": null, "requiredPlain": "x"})).unwrap();
    assert_eq!((&t.state, &t.required_nullable), (&None, &None));
    // Required-and-nullable goes out as null; optional fields that are empty are left out.
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"state": null, "requiredNullable": null, "requiredPlain": "x"})
    );
}

#[test]
fn recursive_schemas_are_boxed() {
    use fixtures_golden::inline::models::{Forest, Node, Tree};
    let n: Node =
        serde_json::from_value(json!({"label": "a", "parent": {"label": "b"}, "children": [{"label": "c"}]})).unwrap();
    assert_eq!(n.parent.as_ref().unwrap().label.as_deref(), Some("b"));
    let f = Forest::new(Tree { forest: Some(Box::new(Forest::new(Tree::default()))) });
    assert!(serde_json::to_value(&f).unwrap()["first"]["forest"]["first"].is_object());
}

#[tokio::test]
async fn parameters_go_out_in_their_locations_and_styles() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/items/42/parts/a%20b"))
        .and(query_param("fields", "x,y"))
        .and(query_param("limit", "5"))
        .and(query_param("when", "2024-01-01T00:00:00Z"))
        .and(header("x-sailpoint-experimental", "true"))
        .and(header("cookie", "session=s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p"})))
        .expect(1)
        .mount(&server)
        .await;
    // Without the opt-in, the experimental operation is refused before anything is sent.
    let refused = Client::builder().base_url(server.uri()).build().unwrap();
    let err = refused.params().default().get_part(42, "a b").await.unwrap_err();
    let Error::Config(config) = &err else { panic!("{err:?}") };
    assert!(config.to_string().contains("getPart") && config.to_string().contains("experimental(true)"), "{config}");
    assert!(server.received_requests().await.unwrap().is_empty());
    let client = Client::builder().base_url(server.uri()).experimental(true).build().unwrap();
    let when = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().to_utc();
    let part = client
        .params()
        .default()
        .get_part(42, "a b") // X-SailPoint-Experimental: its one value, sent without being passed
        .ids(vec!["i1".into(), "i2".into()])
        .fields(vec!["x".into(), "y".into()])
        .scope(vec!["email".into(), "profile".into()])
        .tags(vec!["a".into(), "b".into()])
        .limit(5)
        .session("s1")
        .when(when)
        .await
        .unwrap();
    assert_eq!(part.id.as_deref(), Some("p"));
    let requests = server.received_requests().await.unwrap();
    let query = requests[0].url.query().unwrap();
    assert!(query.contains("ids=i1&ids=i2"), "exploded array: {query}");
    assert!(query.contains("scope=email%20profile"), "space-delimited, the space as %20: {query}");
    assert!(query.contains("tags=a%7Cb"), "pipe-delimited: {query}");
}

#[tokio::test]
async fn object_and_array_parameters_go_out_in_their_styles() {
    use fixtures_golden::params::models::{Country, FindPlacesFilter, FindPlacesFilterRange};
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let country = |code: &str, name: &str| {
        let mut c = Country::new(code);
        c.name = Some(name.into());
        c
    };
    let filter =
        FindPlacesFilter { name: Some("x y".into()), range: Some(FindPlacesFilterRange { min: Some(1), max: None }) };
    client
        .params()
        .default()
        .find_places(country("DE", "Germany & more"), vec!["a,b".into(), "c".into()])
        .filter(filter)
        .near(country("IT", "Italy"))
        .within(country("FR", "France"))
        .x_where(country("DE", "Germany & more"))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/v2/places/code,DE,name,Germany%20%26%20more/a%2Cb,c", "simple style");
    assert_eq!(requests[0].headers["x-where"], "code=DE,name=Germany & more", "an exploded object in a header");
    let query = requests[0].url.query().unwrap();
    assert_eq!(
        query,
        "filter%5Bname%5D=x%20y&filter%5Brange%5D%5Bmin%5D=1&code=IT&name=Italy&within=code%2CFR%2Cname%2CFrance",
        "deepObject, exploded object, non-exploded object"
    );
}

#[tokio::test]
async fn label_and_matrix_path_parameters_go_out_in_their_styles() {
    use fixtures_golden::params::models::Country;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let mut country = Country::new("DE");
    country.name = Some("Germany".into());
    let call = |a: &str| {
        client.params().default().styled_path(
            a,
            vec!["x".into(), "y z".into()],
            country.clone(),
            5,
            vec![3, 4],
            country.clone(),
        )
    };
    call("x.1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        "/v2/styles/.x.1/.x.y%20z/.code,DE,name,Germany/;d=5/;e=3;e=4/;code=DE;name=Germany",
        "label, exploded label array, label object; matrix, exploded matrix array and object"
    );
    // A label segment that would be `.` or `..` is refused before anything is sent.
    for dot in ["", "."] {
        let e = call(dot).await.unwrap_err();
        assert!(matches!(e, fixtures_golden::Error::Invalid(_)), "{dot:?}: {e}");
    }
}

#[tokio::test]
async fn text_binary_and_non_json_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "text/plain"))
        // The text it wants, and the JSON its errors are documented in, weighted lower: a server that
        // negotiates can still answer an error as the spec says (Prism answered 200 to `Prefer: code=400`
        // for SailPoint's XML and CSV downloads without it).
        .and(headers("accept", vec!["text/plain", "application/json;q=0.9"]))
        .and(body_string("hello"))
        .respond_with(ResponseTemplate::new(201).set_body_string("note 1"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/files"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(vec![0u8, 159, 146, 150]))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports/r1"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["a", "b"])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports/r2"))
        .respond_with(ResponseTemplate::new(418).set_body_json(json!({"title": "teapot"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/reports/r1/pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"%PDF-1.7".to_vec()))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.bodies().default();
    assert_eq!(api.create_note("hello").await.unwrap(), "note 1");
    api.upload_file().body(bytes::Bytes::from_static(&[0, 159, 146, 150])).await.unwrap();
    // Of the report's two media types the client asks for JSON, and decodes it.
    assert_eq!(api.get_report("r1").await.unwrap(), vec!["a".to_string(), "b".to_string()]);
    let err = api.get_report("r2").await.unwrap_err();
    use fixtures_golden::bodies::default::GetReportError;
    assert!(
        matches!(err.api_error(), Some(GetReportError::ClientError(p)) if p.title.as_deref() == Some("teapot")),
        "{err:?}"
    );
    assert_eq!(&api.get_report_pdf("r1").await.unwrap()[..], b"%PDF-1.7");
}

#[tokio::test]
async fn a_default_response_decodes_any_other_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"title": "down"})))
        .mount(&server)
        .await;
    let client =
        Client::builder().base_url(server.uri()).retry_policy(fixtures_golden::RetryPolicy::never()).build().unwrap();
    let err = client.bodies().default().create_note("x").await.unwrap_err();
    use fixtures_golden::bodies::default::CreateNoteError;
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status.as_u16(), 503);
    assert!(matches!(&api.body, CreateNoteError::Default(p) if p.title.as_deref() == Some("down")));
}

#[test]
fn discriminated_unions_pick_by_tag_and_keep_unknown_tags() {
    use fixtures_golden::discriminator::models::{Cat, Dog, Pet, Vehicle};
    let dog: Pet = serde_json::from_value(json!({"petType": "doggo", "bark": true})).unwrap();
    assert!(matches!(&dog, Pet::Dog(d) if d.bark && d.pet_type == "doggo"));
    let cat: Pet = serde_json::from_value(json!({"petType": "cat", "lives": 7})).unwrap();
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == Some(7)));
    // A tag the spec does not know is kept, and goes back out unchanged.
    let bird = json!({"petType": "bird", "wings": 2});
    let unknown: Pet = serde_json::from_value(bird.clone()).unwrap();
    assert_eq!(unknown, Pet::Unknown(bird.clone()));
    assert_eq!(serde_json::to_value(&unknown).unwrap(), bird);
    // A known tag with a payload that does not fit is an error, not a silent Unknown.
    assert!(serde_json::from_value::<Pet>(json!({"petType": "dog"})).is_err());
    // Serializing writes the payload's own tag, or the first mapped one when the payload has none.
    assert_eq!(serde_json::to_value(Pet::Dog(Dog::new("dog", true))).unwrap(), json!({"petType": "dog", "bark": true}));
    assert_eq!(serde_json::to_value(Pet::Cat(Cat::new("cat"))).unwrap(), json!({"petType": "cat"}));
    // Without a mapping, the component names are the tags.
    assert!(matches!(serde_json::from_value::<Vehicle>(json!({"kind": "Bike"})).unwrap(), Vehicle::Bike(_)));
}

#[tokio::test]
async fn several_success_statuses_decode_into_their_own_variants() {
    use fixtures_golden::discriminator::default::AddPetResponse;
    use fixtures_golden::discriminator::models::{Cat, Pet};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_json(json!({"petType": "cat"})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "job-7"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"petType": "dog", "bark": false})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.discriminator().default();
    let first = api.add_pet(Pet::Cat(Cat::new("cat"))).await.unwrap();
    assert!(matches!(first, AddPetResponse::Accepted(ref j) if j.id.as_deref() == Some("job-7")), "{first:?}");
    let second = api.add_pet(Pet::Cat(Cat::new("cat"))).await.unwrap();
    assert!(matches!(second, AddPetResponse::Ok(Pet::Dog(_))), "{second:?}");
    let third = api.add_pet(Pet::Cat(Cat::new("cat"))).await.unwrap();
    assert!(matches!(third, AddPetResponse::NoContent), "{third:?}");
}

#[tokio::test]
async fn form_and_multipart_bodies_are_encoded_on_the_wire() {
    use fixtures_golden::forms::models::{LoginRequest, UploadRequest, UploadRequestMeta};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "u1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.forms().default();
    let mut login = LoginRequest::new("ada l");
    login.remember = Some(true);
    login.scopes = Some(vec!["a".into(), "b".into()]);
    api.login(login).await.unwrap();
    // Field order follows serde_json's map order, which depends on its features; compare as pairs.
    let form = &server.received_requests().await.unwrap()[0].body;
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(form).into_owned().collect();
    pairs.sort();
    let expected = [("remember", "true"), ("scopes", "a"), ("scopes", "b"), ("user", "ada l")];
    assert_eq!(pairs, expected.map(|(k, v)| (k.to_string(), v.to_string())));

    let mut upload = UploadRequest::new(bytes::Bytes::from_static(b"\x00\x01binary\xff"));
    upload.description = Some("a report".into());
    upload.tags = Some(vec!["x".into(), "y".into()]);
    upload.meta = Some(UploadRequestMeta { pages: Some(3) });
    let stored = api.upload(upload).await.unwrap();
    assert_eq!(stored.id.as_deref(), Some("u1"));

    let request = &server.received_requests().await.unwrap()[1];
    let content_type = request.headers["content-type"].to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart content type");
    let body = &request.body;
    let expect =
        |part: &[u8]| assert!(body.windows(part.len()).any(|w| w == part), "{}", String::from_utf8_lossy(body));
    expect(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    expect(b"\r\n\r\n\x00\x01binary\xff\r\n");
    expect(b"name=\"description\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\na report\r\n");
    expect(b"name=\"tags\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ny\r\n");
    expect(b"name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"pages\":3}\r\n");
    // Required and nullable, left unset: still sent, empty (a server requires the part).
    expect(b"name=\"productName\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\r\n");
    assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()));
}

#[tokio::test]
async fn api_keys_go_where_each_operations_scheme_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/reports"))
        .and(header("x-api-key", "k-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["r"])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports"))
        .and(query_param("api_key", "k-123"))
        // ada:pw in base64: the export's security takes a query key and HTTP basic together.
        .and(header("authorization", "Basic YWRhOnB3"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).api_key("k-123").basic_auth("ada", "pw").build().unwrap();
    assert!(!format!("{client:?}").contains("k-123") && !format!("{client:?}").contains("pw\""));
    let api = client.security_api().default();
    assert_eq!(api.list_reports().await.unwrap(), vec!["r".to_string()]);
    api.list_exports().await.unwrap();
    api.health().await.unwrap();
    // An operation without an API-key scheme never sends the key.
    let requests = server.received_requests().await.unwrap();
    let health = requests.iter().find(|r| r.url.path() == "/health").unwrap();
    assert!(!health.headers.contains_key("x-api-key") && health.url.query().is_none());
    assert!(!health.headers.contains_key("authorization"), "no bearer or basic where none is configured or needed");
}

async fn answer_204(server: &MockServer, p: &str) {
    Mock::given(method("GET")).and(path(p)).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

async fn heard(server: &MockServer, p: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

/// Each kind of scheme, set with its typed setter, reaches the server as its spec says, and only the
/// operations that take it.
#[tokio::test]
async fn every_scheme_kind_is_sent_as_its_spec_declares() {
    let server = MockServer::start().await;
    for p in ["/tokens", "/session", "/oidc", "/optional", "/health"] {
        answer_204(&server, p).await;
    }
    let client = Client::builder()
        .base_url(server.uri())
        .token_auth("tok-SECRET-1")
        .cookie_key("cookie-SECRET-2")
        .bearer_auth("bearer-SECRET-3")
        .oidc("oidc-SECRET-4")
        .header_key("key-SECRET-5")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("SECRET"), "{client:?}");
    let api = client.security_api().default();
    api.list_tokens().await.unwrap();
    api.get_session().await.unwrap();
    api.oidc_only().await.unwrap();
    api.optional_auth().await.unwrap();
    api.health().await.unwrap();
    let one = |p: &'static str| {
        let server = &server;
        async move { heard(server, p).await.remove(0) }
    };
    let r = one("/tokens").await;
    assert_eq!(r.headers["authorization"], "Token tok-SECRET-1");
    assert!(!r.headers.contains_key("cookie") && !r.headers.contains_key("x-api-key"));
    let r = one("/session").await;
    assert_eq!(r.headers["cookie"], "session=cookie-SECRET-2");
    assert_eq!(r.headers["authorization"], "Bearer bearer-SECRET-3");
    assert_eq!(one("/oidc").await.headers["authorization"], "Bearer oidc-SECRET-4");
    // Optional security: the alternative the client can meet is sent.
    assert_eq!(one("/optional").await.headers["x-api-key"], "key-SECRET-5");
    // `security: []`: nothing, whatever the client holds.
    let r = one("/health").await;
    assert!(
        r.headers.keys().all(|h| !["authorization", "cookie", "x-api-key"].contains(&h.as_str())),
        "{:?}",
        r.headers
    );
}

#[tokio::test]
async fn client_credentials_go_to_the_specs_relative_token_url_with_the_scopes_asked_for() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::body_string_contains("scope=write"))
        .and(wiremock::matchers::body_string_contains("client_id=job-runner"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "cc-tok", "expires_in": 600})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs"))
        .and(header("authorization", "Bearer cc-tok"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let credential =
        fixtures_golden::security::Credential::client_credentials("job-runner", "cc-SECRET").with_scopes(["write"]);
    let client = Client::builder().base_url(server.uri()).credential("ccAuth", credential).build().unwrap();
    let api = client.security_api().default();
    api.list_jobs().await.unwrap();
    api.list_jobs().await.unwrap();
    // The typed setter asks for no scope.
    let plain =
        Client::builder().base_url(server.uri()).cc_auth_client_credentials("job-runner", "cc-SECRET").build().unwrap();
    assert!(!format!("{plain:?}").contains("cc-SECRET"));
}

#[tokio::test]
async fn a_call_the_clients_credentials_cannot_authorize_is_refused_before_sending() {
    let server = MockServer::start().await;
    for p in ["/tokens", "/optional"] {
        answer_204(&server, p).await;
    }
    let client = Client::builder().base_url(server.uri()).header_key("key-SECRET").build().unwrap();
    let api = client.security_api().default();
    let err = api.list_tokens().await.unwrap_err();
    let Error::Config(config) = &err else { panic!("{err:?}") };
    assert!(config.to_string().contains("`tokenAuth`"), "{config}");
    assert!(!config.to_string().contains("key-SECRET"));
    assert!(heard(&server, "/tokens").await.is_empty(), "nothing is sent");
    // Without any credential at all, requests go out without (a local mock, a public API).
    let anonymous = Client::builder().base_url(server.uri()).build().unwrap();
    anonymous.security_api().default().list_tokens().await.unwrap();
    anonymous.security_api().default().optional_auth().await.unwrap();
    let optional = heard(&server, "/optional").await;
    assert!(!optional[0].headers.contains_key("x-api-key"));
}

#[test]
fn a_credential_of_the_wrong_kind_or_for_no_scheme_is_a_config_error_at_build() {
    use fixtures_golden::security::Credential;
    let base = "https://api.example.com";
    let err =
        Client::builder().base_url(base).credential("headerKey", Credential::basic("u", "p")).build().unwrap_err();
    assert!(err.to_string().contains("`headerKey`") && err.to_string().contains("API key"), "{err}");
    let err = Client::builder().base_url(base).credential("nope", Credential::token("t")).build().unwrap_err();
    assert!(err.to_string().contains("`nope`") && err.to_string().contains("ccAuth"), "{err}");
    let err = Client::builder().base_url(base).token_auth("").build().unwrap_err();
    assert!(err.to_string().contains("tokenAuth") && err.to_string().contains("empty"), "{err}");
}

#[tokio::test]
async fn a_query_api_key_never_shows_in_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .query_key("qk-SECRET")
        .basic_auth_scheme("ada", "pw")
        .retry_policy(fixtures_golden::RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.security_api().default().list_exports().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("qk-SECRET"), "{text}");
    }
}

/// `from_env` reads variables named after the crate: the base URL and each scheme's credential.
#[tokio::test]
async fn configuration_comes_from_variables_named_after_the_crate() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/session"))
        .and(header("cookie", "session=c-env"))
        .and(header("authorization", "Bearer b-env"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let uri = server.uri();
    let vars = [
        ("FIXTURES_GOLDEN_BASE_URL", uri.as_str()),
        ("FIXTURES_GOLDEN_COOKIE_KEY_KEY", "c-env"),
        ("FIXTURES_GOLDEN_BEARER_AUTH_TOKEN", "b-env"),
    ];
    let env = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    let client = fixtures_golden::ClientBuilder::from_env_with(&env).unwrap().build().unwrap();
    client.security_api().default().get_session().await.unwrap();
    let half = |name: &str| (name == "FIXTURES_GOLDEN_CC_AUTH_CLIENT_ID").then(|| "id".to_string());
    let err = fixtures_golden::ClientBuilder::from_env_with(&half).unwrap_err();
    assert!(err.to_string().contains("FIXTURES_GOLDEN_CC_AUTH_CLIENT_SECRET"), "{err}");
}

#[test]
fn a_discriminated_parent_extended_with_all_of_decodes_into_the_child() {
    use fixtures_golden::discriminator::models::{Animal, Zoo};
    let zoo: Zoo =
        serde_json::from_value(json!({"star": {"animalType": "bird", "name": "Tweety", "wings": 2}})).unwrap();
    assert!(matches!(&zoo.star, Some(Animal::Bird(b)) if b.wings == Some(2) && b.name.as_deref() == Some("Tweety")));
    // Without a mapping entry, the child's component name is its tag; the parent's own name is the base.
    assert!(matches!(
        serde_json::from_value::<Animal>(json!({"animalType": "Fish", "fins": 4})).unwrap(),
        Animal::Fish(_)
    ));
    assert!(matches!(
        serde_json::from_value::<Animal>(json!({"animalType": "Animal"})).unwrap(),
        Animal::AnimalBase(_)
    ));
    let odd = json!({"animalType": "Dragon", "fire": true});
    assert_eq!(serde_json::from_value::<Animal>(odd.clone()).unwrap(), Animal::Unknown(odd));
}

#[tokio::test]
async fn request_bodies_are_checked_against_their_bounds_before_anything_is_sent() {
    use fixtures_golden::bounds::models::{Line, Order, Owner};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "x", "quantity": 0})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/orders/batch"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.bounds().default();

    // Every bound at its edge passes (inclusive edges, just inside exclusive ones; lengths in characters).
    let mut edge = Order::new("ünïcödé!!!"); // 10 characters, more bytes
    edge.quantity = Some(100);
    edge.price = Some(f64::MIN_POSITIVE);
    edge.discount = Some(0.999);
    edge.ratio = Some(0.5);
    edge.weight = Some(5_000_000_000);
    edge.tags = Some(vec!["a".into(), "b".into(), "c".into()]);
    edge.lines = Some(vec![Line::new("abc")]);
    edge.owner = Some(Owner { code: Some("de".into()) });
    assert_eq!(edge.validate(), Ok(()));
    // A response that breaks the bounds (quantity 0) decodes: only requests are checked.
    let created = api.create_order(edge.clone()).await.unwrap();
    assert_eq!(created.quantity, Some(0));

    type Breaks = Box<dyn Fn(&mut Order)>;
    let cases: Vec<(&str, Breaks, &str)> = vec![
        ("name", Box::new(|o| o.name = String::new()), "has 0 characters; it must be at least 1 character long"),
        ("name", Box::new(|o| o.name = "elevenchars".into()), "has 11 characters"),
        ("quantity", Box::new(|o| o.quantity = Some(0)), "is 0; it must be between 1 and 100"),
        ("quantity", Box::new(|o| o.quantity = Some(101)), "is 101"),
        ("price", Box::new(|o| o.price = Some(0.0)), "it must be greater than 0"),
        ("discount", Box::new(|o| o.discount = Some(1.0)), "it must be less than 1"),
        ("ratio", Box::new(|o| o.ratio = Some(0.25)), "it must be at least 0.5"),
        ("weight", Box::new(|o| o.weight = Some(5_000_000_001)), "it must be at most 5000000000"),
        ("tags", Box::new(|o| o.tags = Some(vec![])), "has 0 items; it must be at least 1 item, at most 3 items"),
        ("lines[1].sku", Box::new(|o| o.lines = Some(vec![Line::new("abc"), Line::new("ab")])), "has 2 characters"),
        ("owner.code", Box::new(|o| o.owner = Some(Owner { code: Some("xyz".into()) })), "at most 2 characters long"),
    ];
    for (where_, break_it, words) in &cases {
        let mut order = edge.clone();
        break_it(&mut order);
        let invalid = order.validate().unwrap_err();
        assert_eq!(invalid.path(), *where_);
        assert!(invalid.to_string().contains(words), "{where_}: {invalid}");
        let err = api.create_order(order).await.unwrap_err();
        assert!(matches!(&err, Error::Invalid(e) if e.path() == *where_), "{err:?}");
    }
    // A string's text never appears in the message, only its length.
    let mut secretish = edge.clone();
    secretish.name = "do-not-print-me".into();
    assert!(!secretish.validate().unwrap_err().to_string().contains("do-not-print-me"));

    // An array body names the item.
    let mut bad = edge.clone();
    bad.quantity = Some(0);
    let err = api.create_orders(vec![edge.clone(), bad]).await.unwrap_err();
    assert!(matches!(&err, Error::Invalid(e) if e.path() == "[1].quantity"), "{err:?}");
    api.create_orders(vec![edge.clone(), edge]).await.unwrap();
    // Exactly the two valid requests reached the server (wiremock checks `expect(1)` on each).
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn parameters_are_checked_against_their_bounds_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders/ab"))
        .and(query_param("limit", "250"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "x"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.bounds().default();
    api.get_order("ab").limit(250).ids(vec!["a".into(), "b".into()]).await.unwrap();
    for (err, path) in [
        (api.get_order("a").await.unwrap_err(), "code"),
        (api.get_order("ninechars").await.unwrap_err(), "code"),
        (api.get_order("ab").limit(251).await.unwrap_err(), "limit"),
        (api.get_order("ab").limit(-1).await.unwrap_err(), "limit"),
        (api.get_order("ab").ids(vec!["a".into(), "b".into(), "c".into()]).await.unwrap_err(), "ids"),
    ] {
        assert!(matches!(&err, Error::Invalid(e) if e.path() == path), "{path}: {err:?}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "only the valid request was sent");
}

/// `defects.yaml`: real upstream defects, lowered as their authors meant, on the wire.
#[tokio::test]
async fn tolerated_defects_do_what_the_author_meant() {
    use fixtures_golden::defects::models::{Job, JobOwner, JobUpdate, State};
    let server = MockServer::start().await;
    // `/filters/{id}` declared as `filterId`: the declared integer fills `{id}`.
    Mock::given(method("POST"))
        .and(path("/filters/42"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // `/segments/{segmentId}` with no parameter: a required string.
    Mock::given(method("DELETE"))
        .and(path("/segments/s%201"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // `{job_identifier}` declared `in: query`: sent in the path, not the query.
    let job = json!({"id": "j1", "submittedAt": "2024-05-01T10:00:00Z", "weight": [1, "two"], "state": null, "version": "7.1", "owner": {"name": "ada"}, "mixed": "OPEN"});
    Mock::given(method("GET"))
        .and(path("/jobs/j1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job.clone()))
        .expect(1)
        .mount(&server)
        .await;
    // JSON Patch media type over an object: the object goes out, with that media type.
    Mock::given(method("PATCH"))
        .and(path("/jobs"))
        .and(header("content-type", "application/json-patch+json"))
        .and(wiremock::matchers::body_json(json!({"state": "CLOSED"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "j1", "mixed": {"name": "x"}})))
        .expect(1)
        .mount(&server)
        .await;
    // An empty multipart object: an empty form.
    Mock::given(method("PUT"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.defects().default();
    api.update_filter(42).await.unwrap();
    api.delete_segment("s 1").await.unwrap();
    let got: Job = api.get_job("j1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[2].url.query(), None, "job_identifier must not also go out as a query parameter");
    // `type: date-time` is a date-time; an unknown type is any JSON; `allOf` + `nullable` is the nullable enum.
    assert_eq!(got.submitted_at.unwrap().to_rfc3339(), "2024-05-01T10:00:00+00:00");
    assert_eq!(got.weight, Some(json!([1, "two"])));
    assert_eq!(got.state, None);
    let version: Option<String> = got.version.clone();
    assert_eq!(version.as_deref(), Some("7.1"));
    // An enum and an object cannot merge: any JSON keeps what the server sent, whichever it is.
    assert_eq!(got.mixed, Some(json!("OPEN")));
    let mut sent_back = job.clone();
    sent_back.as_object_mut().unwrap().remove("state"); // optional and null: left out when encoding
    assert_eq!(serde_json::to_value(&got).unwrap(), sent_back);
    // allOf + `required: [name]` narrows the object: `name` is required.
    assert_eq!(got.owner.unwrap().name, "ada");
    assert!(serde_json::from_value::<JobOwner>(json!({"email": "x"})).is_err());
    // The duplicated enum value is one variant.
    assert_eq!(serde_json::from_value::<State>(json!("OPEN")).unwrap(), State::Open);
    let update = JobUpdate { state: Some(State::Closed) };
    let patched = api.patch_job(update).await.unwrap();
    assert_eq!(patched.mixed, Some(json!({"name": "x"})));
    api.upload_nothing().body(serde_json::Map::new()).await.unwrap();
    let put = &server.received_requests().await.unwrap()[4];
    let content_type = put.headers["content-type"].to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart");
    assert_eq!(put.body, format!("--{boundary}--\r\n").into_bytes());
}

/// A discriminator whose mapping names files (`CAT: 'Cat.yaml'`) picks the member those files became.
#[test]
fn a_discriminator_mapping_into_other_files_picks_by_tag() {
    use fixtures_golden::multifile::models::Pet;
    let cat: Pet = serde_json::from_value(json!({"kind": "CAT", "lives": 9})).unwrap();
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == Some(9)), "{cat:?}");
    let dog: Pet = serde_json::from_value(json!({"kind": "DOG", "good": true})).unwrap();
    assert!(matches!(&dog, Pet::Dog(d) if d.good == Some(true)), "{dog:?}");
}

/// `cycles.yaml`: recursion through compositions ends, in the generator and at run time.
#[test]
fn recursive_compositions_decode_without_looping() {
    use fixtures_golden::cycles::models::{Animal, NumberOrAlias, OnlyItself, SelfOrText, Tree};
    // A union with itself as a member is the rest of its members.
    assert_eq!(serde_json::from_value::<SelfOrText>(json!("hi")).unwrap(), SelfOrText::String("hi".into()));
    assert!(matches!(serde_json::from_value::<NumberOrAlias>(json!(5)).unwrap(), NumberOrAlias::Integer(5)));
    // A child that is only `allOf` of its discriminated parent holds the parent's own fields.
    let plain: Animal = serde_json::from_value(json!({"kind": "plain", "name": "Rex"})).unwrap();
    assert!(matches!(&plain, Animal::PlainAnimal(a) if a.name.as_deref() == Some("Rex")), "{plain:?}");
    let bird: Animal = serde_json::from_value(json!({"kind": "bird", "wings": 2})).unwrap();
    assert!(matches!(&bird, Animal::Bird(b) if b.wings == Some(2)), "{bird:?}");
    // A type that refers to itself through allOf is boxed, and nests.
    let tree: Tree =
        serde_json::from_value(json!({"label": "leaf", "parent": {"label": "root"}, "children": [{"label": "x"}]}))
            .unwrap();
    assert_eq!(tree.parent.unwrap().label.as_deref(), Some("root"));
    let anything: OnlyItself = json!({"any": [1]});
    assert_eq!(anything["any"][0], 1);
}

/// Local `$ref`s for a path item and an operation are copied in place; references into the inside of a
/// component are that schema; a sentence-long title does not name a type; a JSON spec keeps its escapes.
#[tokio::test]
async fn references_into_components_and_json_specs() {
    use fixtures_golden::defects::models::{ConflictResponse, Envelope, EnvelopeStatus};
    use fixtures_golden::escapes::models::{Rocket, RocketStage};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"up": true, "since": 5})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"reason": "busy"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.defects().default();
    let status: EnvelopeStatus = api.get_status().await.unwrap();
    assert_eq!((status.up, status.since), (Some(true), Some(5)));
    match api.ping().await {
        Err(Error::Api(e)) => {
            let fixtures_golden::defects::default::PingError::Conflict(ConflictResponse { reason }) = &e.body;
            assert_eq!(reason.as_deref(), Some("busy"));
        }
        other => panic!("expected the documented 409: {other:?}"),
    }
    // `Envelope`'s title is a sentence; its key names it. Its `status` property is the same type the
    // reference into it gives. A bound beyond 64 bits is kept out of the way, not a failure.
    let envelope: Envelope = serde_json::from_value(json!({"status": {"since": i64::MAX}, "code": "x"})).unwrap();
    assert_eq!(envelope.status.unwrap().since, Some(i64::MAX));
    // JSON escapes (a surrogate pair, `\u00e9`, `\/`) read as JSON says.
    let rocket: Rocket = serde_json::from_value(json!({"name": "Saturn \u{1F680}", "stage": "\u{e9}tage-1"})).unwrap();
    assert_eq!(rocket.stage, Some(RocketStage::Etage1));
    assert_eq!(serde_json::to_value(RocketStage::Orbit2).unwrap(), json!("orbit/2"));
}

/// A discriminator over inline members: told apart by the values each member lists; without such values,
/// an untagged union that still decodes every member.
#[test]
fn discriminators_over_inline_members() {
    use fixtures_golden::discriminator::models::{Loose, Stats};
    let cpu: Stats = serde_json::from_value(json!({"kind": "cpu", "load": 0.5})).unwrap();
    assert!(matches!(&cpu, Stats::Cpu(c) if c.load == Some(0.5)), "{cpu:?}");
    let volume: Stats = serde_json::from_value(json!({"kind": "volume", "free": 3})).unwrap();
    assert!(matches!(&volume, Stats::Disk(d) if d.free == Some(3)), "{volume:?}");
    let other: Stats = serde_json::from_value(json!({"kind": "gpu"})).unwrap();
    assert!(matches!(other, Stats::Unknown(_)));
    assert!(matches!(serde_json::from_value::<Loose>(json!({"count": 2})).unwrap(), Loose::LooseVariant0(_)));
    assert!(matches!(serde_json::from_value::<Loose>(json!({"label": "x"})).unwrap(), Loose::LooseVariant1(_)));
}

/// `allOf: [object, oneOf: [A, B]]`: a union of the object merged with each alternative; a value keeps
/// both the shared and the alternative's own fields.
#[test]
fn all_of_with_alternatives_is_a_union_of_merged_structs() {
    use fixtures_golden::compositions::models::BatchInput;
    let metro: BatchInput = serde_json::from_value(json!({"quantity": 2, "metro": "am"})).unwrap();
    assert!(matches!(&metro, BatchInput::InMetro(m) if m.quantity == Some(2) && m.metro == "am"), "{metro:?}");
    let facility: BatchInput = serde_json::from_value(json!({"quantity": 1, "facility": ["am6"]})).unwrap();
    assert!(matches!(&facility, BatchInput::InFacility(f) if f.facility == ["am6"]), "{facility:?}");
    assert_eq!(serde_json::to_value(&facility).unwrap(), json!({"quantity": 1, "facility": ["am6"]}));
}

/// `allOf` where one member requires a property that only another declares: the declared type wins
/// (a list of strings, required), not the any-JSON placeholder of the member that only requires it.
#[test]
fn a_required_property_takes_its_type_from_the_member_that_declares_it() {
    use fixtures_golden::compositions::models::TrackPage;
    let page: TrackPage = serde_json::from_value(json!({"total": 1, "items": ["a"]})).unwrap();
    let items: Vec<String> = page.items;
    assert_eq!(items, ["a"]);
    assert!(serde_json::from_value::<TrackPage>(json!({"total": 1})).is_err(), "required by the base");
}

/// `oneOf: [{required: [image]}, {required: [branch]}]` beside the properties: a struct with both, so
/// neither shape loses its member.
#[test]
fn one_of_required_members_beside_properties_keep_the_object() {
    use fixtures_golden::compositions::models::DeploySource;
    let image: DeploySource = serde_json::from_value(json!({"image": "app:v1"})).unwrap();
    assert_eq!((image.image.as_deref(), image.branch.as_deref()), (Some("app:v1"), None));
    let branch: DeploySource = serde_json::from_value(json!({"branch": "main"})).unwrap();
    assert_eq!(serde_json::to_value(&branch).unwrap(), json!({"branch": "main"}));
}

/// `type: array, allOf: [$ref: Job]` (no `items`): a list of jobs, so the list a server sends decodes.
#[test]
fn an_array_with_its_items_schema_beside_type_is_a_list_of_it() {
    use fixtures_golden::defects::models::{Job, JobList};
    let jobs: JobList = serde_json::from_value(json!([{"id": "a"}, {"id": "b"}])).unwrap();
    let ids: Vec<&str> = jobs.iter().map(|j: &Job| j.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
}

/// OpenAPI 3.1 read as its 3.0 forms: a `type` list with `null`, `const`, a `$ref` with a sibling, a
/// nullable `anyOf`, several types as a union, `patternProperties` kept, `$defs`, a webhook's payload.
#[test]
fn openapi_3_1_schemas_keep_every_value() {
    use fixtures_golden::oas31::models::{Pet, PetAdoptedWebhook, PetKind, PetWeight, Tag};
    let body = json!({"id": "p1", "kind": "pet", "nickname": null, "age": 3, "owner": {"name": "ada"},
        "tag": null, "weight": 4.5, "point": [1.5, 2.0], "labels": {"x-a": "b"}, "extra": [1], "bounds": {"low": 1.0}});
    let pet: Pet = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(pet.kind, PetKind::Pet);
    assert_eq!(pet.nickname, None);
    assert_eq!(pet.owner.as_ref().and_then(|o| o.name.as_deref()), Some("ada"));
    assert_eq!(pet.weight, Some(PetWeight::Number(4.5)));
    assert_eq!(pet.bounds.as_ref().and_then(|b| b.low), Some(1.0));
    assert_eq!(pet.labels.as_ref().and_then(|l| l.get("x-a")), Some(&json!("b")));
    let tagged: Pet = serde_json::from_value(json!({"id": "p", "kind": "pet", "tag": "shy", "weight": 4})).unwrap();
    assert_eq!((tagged.tag, tagged.weight), (Some(Tag::Shy), Some(PetWeight::Integer(4))));
    let event: PetAdoptedWebhook = serde_json::from_value(json!({"type": "pet.adopted", "pet": body})).unwrap();
    assert_eq!(event.pet.id, "p1");
}

/// A `format: binary` member of a JSON body is a string on the wire (as Prism judged Resend's
/// attachments), not serde's list of numbers; bytes that are not text are refused before sending.
#[tokio::test]
async fn binary_members_of_a_json_body_are_strings() {
    use fixtures_golden::bodies::models::AttachRequest;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/attachments"))
        .and(wiremock::matchers::body_json(json!({"content": "aGk=", "filename": "a.txt"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().bodies().default();
    let mut body = AttachRequest::new(bytes::Bytes::from_static(b"aGk="));
    body.filename = Some("a.txt".into());
    api.attach(body).await.unwrap();
    let raw = AttachRequest::new(bytes::Bytes::from_static(&[0xff, 0xfe]));
    let refused = api.attach(raw).await.unwrap_err();
    assert!(refused.to_string().contains("not UTF-8"), "{refused}");
}

/// An operation whose one answer is `default`: any status is that answer.
#[tokio::test]
async fn a_default_only_operation_takes_any_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/beacons")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().bodies().default();
    let answer = api.send_beacon().send_with_response().await.unwrap();
    assert_eq!(answer.status.as_u16(), 202);
}

/// A 3.1 path item from `components.pathItems`, and an operation with no `responses` (any success).
#[tokio::test]
async fn openapi_3_1_operations_work_over_http() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p1", "kind": "pet"})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/ping")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().oas31().default();
    assert_eq!(api.get_pet("p1").await.unwrap().id, "p1");
    api.ping().await.expect("any success");
}

/// A list of `total` things, served by offset and limit (and `400 "offset is invalid"` past its end when
/// `strict`, as SailPoint answers); `fail_at` answers that offset with a 500.
async fn things_server(total: u64, strict: bool, fail_at: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/things$"))
        .respond_with(move |r: &wiremock::Request| {
            let q = |k: &str| r.url.query_pairs().find(|(n, _)| n == k).and_then(|(_, v)| v.parse::<u64>().ok());
            let (offset, limit) = (q("offset").unwrap_or(0), q("limit").unwrap_or(250));
            if fail_at == Some(offset) {
                return ResponseTemplate::new(500);
            }
            if strict && offset >= total && offset > 0 {
                return ResponseTemplate::new(400).set_body_json(json!({"message": "Specified offset is invalid"}));
            }
            let items: Vec<_> = (offset..total.min(offset + limit)).map(|i| json!({"id": i})).collect();
            ResponseTemplate::new(200).set_body_json(items)
        })
        .mount(&server)
        .await;
    server
}

async fn drain<S: futures_core::Stream + Unpin>(mut s: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut s).poll_next(cx)).await {
        out.push(item);
    }
    out
}

async fn offsets(server: &MockServer) -> Vec<(u64, u64)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            let q = |k: &str| r.url.query_pairs().find(|(n, _)| n == k).and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            (q("offset"), q("limit"))
        })
        .collect()
}

fn things(server: &MockServer) -> fixtures_golden::params::DefaultApi {
    let retry = fixtures_golden::RetryPolicy::never();
    Client::builder().base_url(server.uri()).retry_policy(retry).build().unwrap().params().default()
}

#[tokio::test]
async fn paginate_yields_every_item_in_order_in_pages_of_250() {
    let server = things_server(613, true, None).await;
    let items = drain(things(&server).list_things().filters("name sw \"a\"").paginate()).await;
    let ids: Vec<i64> = items.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids, (0..613).collect::<Vec<_>>());
    assert_eq!(offsets(&server).await, [(0, 250), (250, 250), (500, 250)], "the short third page is the last");
    for r in server.received_requests().await.unwrap() {
        assert!(r.url.query().unwrap().contains("filters=name%20sw%20%22a%22"), "filters on every page: {}", r.url);
    }
}

#[tokio::test]
async fn a_list_of_exactly_two_pages_ends_at_the_400_of_the_third() {
    let server = things_server(500, true, None).await;
    let items = drain(things(&server).list_things().paginate()).await;
    assert_eq!(items.len(), 500);
    assert!(items.iter().all(Result::is_ok));
    assert_eq!(offsets(&server).await, [(0, 250), (250, 250), (500, 250)]);
}

#[tokio::test]
async fn max_items_page_size_and_the_callers_offset_bound_the_requests() {
    let server = things_server(613, false, None).await;
    let items = drain(things(&server).list_things().paginate().max_items(300)).await;
    assert_eq!(items.len(), 300);
    assert_eq!(offsets(&server).await, [(0, 250), (250, 50)], "two requests, the second for what is left");
    let server = things_server(613, false, None).await;
    let items = drain(things(&server).list_things().offset(600).paginate().page_size(10)).await;
    assert_eq!(items.iter().map(|r| r.as_ref().unwrap().id).collect::<Vec<_>>(), (600..613).collect::<Vec<_>>());
    assert_eq!(offsets(&server).await, [(600, 10), (610, 10)]);
    // Past the spec's maximum for `limit`: refused before anything is sent.
    let server = things_server(5, false, None).await;
    let items = drain(things(&server).list_things().paginate().page_size(251)).await;
    assert!(matches!(&items[..], [Err(Error::Invalid(_))]), "{items:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_and_ends_the_stream_and_pages_keep_their_headers() {
    let server = things_server(613, true, Some(250)).await;
    let items = drain(things(&server).list_things().paginate()).await;
    assert_eq!(items.len(), 251);
    assert!(items[..250].iter().all(Result::is_ok));
    assert_eq!(items[250].as_ref().unwrap_err().status().map(|s| s.as_u16()), Some(500));
    assert_eq!(offsets(&server).await.len(), 2, "nothing after the error");
    let server = things_server(300, true, None).await;
    let pages = drain(things(&server).list_things().count(true).pages()).await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.as_ref().unwrap().body.len()).collect();
    assert_eq!(sizes, [250, 50]);
    assert_eq!(pages[0].as_ref().unwrap().status.as_u16(), 200);
}

/// A download in several media types: `Accept` follows the format parameter, or the caller's pick.
#[tokio::test]
async fn the_accept_header_follows_the_format_asked_for() {
    use fixtures_golden::params::default::GetExportFileFormat;
    use fixtures_golden::params::models::GetReportFileFileFormat;
    let server = MockServer::start().await;
    for (p, accept, body) in [
        ("/report-files$", "application/pdf", &b"%PDF-1.7 \xff"[..]),
        ("/report-files$", "application/csv", b"a,b\n"),
        ("/export-files$", "application/pdf", b"%PDF \xfe"),
        ("/export-files$", "text/csv", b"x,y\n"),
    ] {
        Mock::given(method("GET"))
            .and(wiremock::matchers::path_regex(p))
            .and(header("accept", accept))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body.to_vec()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let api = Client::builder().base_url(server.uri()).build().unwrap().params().default();
    let pdf = api.get_report_file(GetReportFileFileFormat::Pdf).await.unwrap();
    assert_eq!(&pdf[..], b"%PDF-1.7 \xff", "binary kept byte for byte");
    api.get_report_file(GetReportFileFileFormat::Csv).await.unwrap();
    let pdf = api.get_export_file().response_format(GetExportFileFormat::Pdf).await.unwrap();
    assert_eq!(&pdf[..], b"%PDF \xfe");
    let csv = api.get_export_file().await.unwrap();
    assert_eq!(&csv[..], b"x,y\n", "the first media type when none is picked");
}

/// `anyOf: [SlimCampaign, Campaign]` where `Campaign` is `SlimCampaign` and more: a whole campaign
/// decodes as `Campaign`, and nothing the server sent is lost when it is encoded again.
#[test]
fn a_union_member_that_holds_more_is_tried_first_so_nothing_is_dropped() {
    use fixtures_golden::compositions::models::AnyCampaign;
    let whole = json!({"id": "c1", "name": "Q3 review", "sourceIds": ["s1", "s2"], "deadline": "2026-12-31T00:00:00Z"});
    let decoded: AnyCampaign = serde_json::from_value(whole.clone()).unwrap();
    assert!(matches!(decoded, AnyCampaign::Campaign(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), whole, "every member kept");
    let slim = json!({"id": "c2", "name": "summary only"});
    let decoded: AnyCampaign = serde_json::from_value(slim.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), slim);
}

/// `null` where the spec allows it and no field holds an `Option`: a list's items and a map's values
/// whose schemas are nullable, and a body that is; each decodes (as `None`) over real HTTP.
#[tokio::test]
async fn nullable_items_values_and_bodies_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/compositions/reviewers"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"id": "r1"}, null], "byName": {"a": null, "b": "x"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/compositions/log-configuration"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("null").insert_header("content-type", "application/json"),
        )
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let reviewers = client.compositions().pets().list_reviewers().await.unwrap();
    let items = reviewers.items.unwrap();
    assert_eq!(items[0].as_ref().and_then(|r| r.id.as_deref()), Some("r1"));
    assert!(items[1].is_none());
    assert_eq!(reviewers.by_name.unwrap().get("a"), Some(&None));
    assert!(client.compositions().pets().get_log_configuration().await.unwrap().is_none());
}

/// `oneOf` of structs whose members are all optional (SailPoint's workflow trigger attributes): any
/// object decodes as the first, so a fixed order loses the second's members; the variant that declares
/// most of the body is chosen instead, and a body of the first shape still decodes as the first.
#[test]
fn a_union_chooses_the_variant_that_declares_most_of_the_body() {
    use fixtures_golden::compositions::models::TriggerAttributes;
    let scheduled = json!({"cronString": "0 0 * * *", "timeZone": "UTC"});
    let decoded: TriggerAttributes = serde_json::from_value(scheduled.clone()).unwrap();
    assert!(matches!(decoded, TriggerAttributes::ScheduledAttributes(_)), "{decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), scheduled, "every member kept");
    let event = json!({"id": "idn:identity-created", "filter": "$.changes"});
    let decoded: TriggerAttributes = serde_json::from_value(event.clone()).unwrap();
    assert!(matches!(decoded, TriggerAttributes::EventAttributes(_)), "{decoded:?}");
    // Inside a response body too, where the client decodes through its correcting decoder.
    let decoded: Vec<TriggerAttributes> = serde_json::from_value(json!([event, scheduled])).unwrap();
    assert!(matches!(decoded[1], TriggerAttributes::ScheduledAttributes(_)));
    assert!(serde_json::from_value::<TriggerAttributes>(json!("not an object")).is_err());
    // The same top-level members, different ones inside: the variant that keeps the nested ones wins.
    use fixtures_golden::compositions::models::DaemonStats;
    let remote = json!({"name": "wazuh-remoted", "metrics": {"queues": 2, "bytes": 10}});
    let decoded: DaemonStats = serde_json::from_value(remote.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), remote, "{decoded:?}");
    let analysis = json!({"name": "wazuh-analysisd", "metrics": {"events": 5}});
    let decoded: DaemonStats = serde_json::from_value(analysis.clone()).unwrap();
    assert!(matches!(decoded, DaemonStats::AnalysisStats(_)), "{decoded:?}");
}

/// SailPoint's search, paged by `searchAfter`: 600 results sorted by id in pages of 250, each page
/// after the previous page's last id; a search without exactly one sort field is refused unsent.
#[tokio::test]
async fn search_pages_with_search_after_on_its_one_sort_field() {
    use fixtures_golden::params::models::SearchThingsRequest;
    let server = MockServer::start().await;
    let ids: Vec<String> = (0..600).map(|i| format!("id{i:04}")).collect();
    let all = ids.clone();
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex("/search$"))
        .respond_with(move |r: &wiremock::Request| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            let limit: usize =
                r.url.query_pairs().find(|(k, _)| k == "limit").map(|(_, v)| v.parse().unwrap()).unwrap();
            assert!(r.url.query_pairs().all(|(k, _)| k != "offset"), "no offset with searchAfter");
            let after = body["searchAfter"][0].as_str().map(str::to_string);
            let start = after.map_or(0, |a| all.iter().position(|i| *i == a).unwrap() + 1);
            let page: Vec<_> = all[start..(start + limit).min(all.len())].iter().map(|i| json!({"id": i})).collect();
            ResponseTemplate::new(200).set_body_json(page)
        })
        .mount(&server)
        .await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().params().default();
    let mut search =
        SearchThingsRequest { sort: Some(vec!["id".into()]), query: Some("*".into()), ..Default::default() };
    let got = drain(api.search_things(search.clone()).paginate_search()).await;
    let got: Vec<String> = got.into_iter().map(|r| r.unwrap().id.unwrap()).collect();
    assert_eq!(got, ids);
    let requests = server.received_requests().await.unwrap();
    let afters: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["searchAfter"].clone())
        .collect();
    assert_eq!(afters, [json!(null), json!(["id0249"]), json!(["id0499"])]);
    assert!(requests.iter().all(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["query"] == "*"));

    search.sort = Some(vec!["name".into(), "id".into()]);
    let refused = drain(api.search_things(search).paginate_search()).await;
    assert!(matches!(&refused[..], [Err(Error::Invalid(_))]), "{refused:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "nothing sent");
}

/// A download past the body limit: read whole it is `BodyTooLarge`; streamed, every byte arrives.
#[tokio::test]
async fn a_streamed_download_is_not_bound_by_the_body_limit() {
    use fixtures_golden::params::models::GetReportFileFileFormat;
    let server = MockServer::start().await;
    let big: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/report-files$"))
        .and(query_param("fileFormat", "pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(big.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("/report-files$"))
        .and(query_param("fileFormat", "csv"))
        .respond_with(ResponseTemplate::new(404).set_body_string("gone"))
        .mount(&server)
        .await;
    let limits = fixtures_golden::BodyLimits { response: 1 << 20, ..Default::default() };
    let api = Client::builder().base_url(server.uri()).body_limits(limits).build().unwrap().params().default();
    let whole = api.get_report_file(GetReportFileFileFormat::Pdf).await.unwrap_err();
    assert!(matches!(whole, Error::BodyTooLarge(_)), "{whole:?}");
    let streamed = api.get_report_file(GetReportFileFileFormat::Pdf).send_stream().await.unwrap();
    assert_eq!(streamed.status.as_u16(), 200);
    let chunks = drain(streamed.body).await;
    let got: Vec<u8> = chunks.into_iter().flat_map(|c| c.unwrap().to_vec()).collect();
    assert_eq!(got.len(), big.len());
    assert!(got == big, "every byte, in order");
    let err = api.get_report_file(GetReportFileFileFormat::Csv).send_stream().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "an error status is decoded as usual");
}

/// A text download past the body limit streams too; read whole it is `BodyTooLarge`.
#[tokio::test]
async fn a_streamed_text_download_is_not_bound_by_the_body_limit() {
    let server = MockServer::start().await;
    let big: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
    Mock::given(method("POST"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(big.clone().into_bytes(), "text/plain"))
        .mount(&server)
        .await;
    let limits = fixtures_golden::BodyLimits { response: 1 << 20, ..Default::default() };
    let client = Client::builder().base_url(server.uri()).body_limits(limits).build().unwrap();
    let api = client.bodies().default();
    let whole = api.create_note("n").await.unwrap_err();
    assert!(matches!(whole, Error::BodyTooLarge(_)), "{whole:?}");
    let streamed = api.create_note("n").send_stream().await.unwrap();
    assert_eq!(streamed.status.as_u16(), 201);
    let got: Vec<u8> = drain(streamed.body).await.into_iter().flat_map(|c| c.unwrap().to_vec()).collect();
    assert!(got.len() > 1 << 20 && got == big.as_bytes(), "every byte, in order");
}

/// A body that `$ref`s a response component and an answer that `$ref`s a request-body component: each
/// is used as its author meant, over HTTP.
#[tokio::test]
async fn components_of_the_wrong_kind_are_used_as_meant() {
    use fixtures_golden::defects::models::CreateLabelRequest;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/labels"))
        .and(wiremock::matchers::body_json(json!({"text": "urgent"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"name": "urgent"})))
        .expect(1)
        .mount(&server)
        .await;
    let api = Client::builder().base_url(server.uri()).build().unwrap().defects().default();
    let created = api.create_label(CreateLabelRequest::new("urgent")).await.unwrap();
    assert_eq!(created.name, "urgent");
}

/// A `204` whose spec declares a body: the server sends none (as HTTP says), and the call succeeds
/// instead of failing to decode an empty body (SailPoint v2024's `deleteFormDefinition`, found by
/// `cargo xtask conformance --spec`).
#[tokio::test]
async fn a_no_content_response_that_declares_a_body_is_not_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/forms/f1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client.defects().default().delete_form("f1").await.unwrap();
}

/// `required` naming a member `properties` lacks (SailPoint v2024's role metadata `attribute`): the
/// member is kept as any JSON and always sent, so a server that requires it gets it (Prism rejected the
/// request when it was dropped), and a value set for it goes out as set.
#[tokio::test]
async fn a_required_member_properties_does_not_declare_is_kept_and_sent() {
    use fixtures_golden::defects::models::UpdateMetadataRequest;
    use wiremock::matchers::body_json;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/metadata"))
        .and(body_json(json!({"values": ["a"], "attribute": null})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/metadata"))
        .and(body_json(json!({"values": ["a"], "attribute": "colour"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let api = client.defects().default();
    api.update_metadata(UpdateMetadataRequest::new(vec!["a".into()])).await.unwrap();
    let mut set = UpdateMetadataRequest::new(vec!["a".into()]);
    set.attribute = Some(json!("colour"));
    api.update_metadata(set).await.unwrap();
    // A body without it decodes.
    let decoded: UpdateMetadataRequest = serde_json::from_value(json!({"values": []})).unwrap();
    assert_eq!(decoded.attribute, None);
}
