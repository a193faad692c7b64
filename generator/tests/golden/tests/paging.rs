//! Hand-written (never touched by the generator): the paginators of `paging.yaml`, other vendors' ways
//! to page, over real HTTP on 127.0.0.1 — page numbers, a cursor in the body (top-level and nested),
//! the last item's `id` with `has_more`, offsets into a list nested in the body, and page numbers with
//! no size. Each server holds a list of items `n0`, `n1`, ... and answers the way its vendor does.

use fixtures_golden::paging::DefaultApi;
use fixtures_golden::{Client, Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn api(server: &MockServer) -> DefaultApi {
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::never()).build().unwrap();
    client.paging().default()
}

fn query(r: &Request, key: &str) -> Option<String> {
    r.url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

fn items(from: u64, to: u64) -> Vec<Value> {
    (from..to).map(|i| json!({"id": format!("n{i}"), "name": "x"})).collect()
}

/// Serves `GET {route}` with `answer(request)`.
async fn serve(route: &str, answer: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(route))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// One query parameter of every request the server got.
async fn sent(server: &MockServer, key: &str) -> Vec<Option<String>> {
    server.received_requests().await.unwrap().iter().map(|r| query(r, key)).collect()
}

/// Every item of a stream (what `futures::StreamExt::collect` does).
async fn drain<S: futures_core::Stream + Unpin>(mut s: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut s).poll_next(cx)).await {
        out.push(item);
    }
    out
}

/// The ids of every item, each page having come.
async fn ids<S, T, E>(stream: S) -> Vec<String>
where
    S: futures_core::Stream<Item = Result<T, Error<E>>> + Unpin,
    T: serde::Serialize,
    E: std::fmt::Debug,
{
    let all = drain(stream).await;
    all.into_iter()
        .map(|t| serde_json::to_value(t.expect("every page")).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

fn names(from: u64, to: u64) -> Vec<String> {
    (from..to).map(|i| format!("n{i}")).collect()
}

/// Linode's pages: `page` from 1 and `page_size`, the list under `data`.
#[tokio::test]
async fn page_numbers_fetch_every_page_and_keep_the_filters() {
    let server = serve("/boxes", |r| {
        let page: u64 = query(r, "page").unwrap().parse().unwrap();
        let size: u64 = query(r, "page_size").unwrap().parse().unwrap();
        let from = (page - 1) * size;
        ResponseTemplate::new(200).set_body_json(json!({"data": items(from, 613.min(from + size)), "page": page}))
    })
    .await;
    let got = ids(api(&server).list_boxes().color("red").paginate()).await;
    assert_eq!(got, names(0, 613));
    assert_eq!(sent(&server, "page").await, [Some("1".into()), Some("2".into()), Some("3".into())]);
    assert!(sent(&server, "page_size").await.iter().all(|s| s.as_deref() == Some("250")));
    assert!(sent(&server, "color").await.iter().all(|s| s.as_deref() == Some("red")), "filters on every page");
    // `max_items` yields exactly that many; a numbered page never asks a smaller size (the numbering
    // would shift), so the second page asks 250 again.
    let server2 = serve("/boxes", |r| {
        let page: u64 = query(r, "page").unwrap().parse().unwrap();
        let size: u64 = query(r, "page_size").unwrap().parse().unwrap();
        let from = (page - 1) * size;
        ResponseTemplate::new(200).set_body_json(json!({"data": items(from, 613.min(from + size))}))
    })
    .await;
    let got = ids(api(&server2).list_boxes().page(2).paginate().max_items(300)).await;
    assert_eq!(got, names(250, 550), "from the caller's page, 300 items");
    assert_eq!(sent(&server2, "page").await, [Some("2".into()), Some("3".into())]);
    assert!(sent(&server2, "page_size").await.iter().all(|s| s.as_deref() == Some("250")));
    // Below the spec's `minimum` for the size: refused before anything is sent.
    let refused: Vec<_> = drain(api(&server2).list_boxes().paginate().page_size(10)).await;
    assert!(matches!(&refused[..], [Err(Error::Invalid(_))]), "{refused:?}");
}

/// Kinde's cursor: `next_token` from the body. With no declared maximum for `page_size`, a page shorter
/// than asked (this server caps pages at 100) does not end the list; the missing cursor does.
#[tokio::test]
async fn a_cursor_from_the_body_is_followed_until_the_body_has_none() {
    let server = serve("/crates", |r| {
        let from: u64 = query(r, "next_token").map_or(0, |t| t.trim_start_matches('t').parse().unwrap());
        let to = 250.min(from + 100);
        let next = if to < 250 { json!(format!("t{to}")) } else { Value::Null };
        ResponseTemplate::new(200).set_body_json(json!({"code": "OK", "crates": items(from, to), "next_token": next}))
    })
    .await;
    let got = ids(api(&server).list_crates().paginate()).await;
    assert_eq!(got, names(0, 250));
    assert_eq!(sent(&server, "next_token").await, [None, Some("t100".into()), Some("t200".into())]);
    // A server that answers the same cursor again: the list ends, no loop.
    let stuck = serve("/crates", |_| {
        ResponseTemplate::new(200).set_body_json(json!({"crates": items(0, 2), "next_token": "again"}))
    })
    .await;
    let got = ids(api(&stuck).list_crates().paginate()).await;
    assert_eq!(got.len(), 4, "two pages: the first, then the one that returned the same cursor");
    assert_eq!(stuck.received_requests().await.unwrap().len(), 2);
}

/// Intercom's cursor, nested in the body at `pages.next.starting_after`.
#[tokio::test]
async fn a_nested_cursor_is_followed() {
    let server = serve("/bins", |r| {
        let from: u64 = query(r, "starting_after").map_or(0, |t| t.parse().unwrap());
        let size: u64 = query(r, "per_page").unwrap().parse().unwrap();
        let to = 320.min(from + size);
        let pages = if to < 320 { json!({"next": {"starting_after": to.to_string()}}) } else { json!({}) };
        ResponseTemplate::new(200).set_body_json(json!({"data": items(from, to), "pages": pages}))
    })
    .await;
    let got = ids(api(&server).list_bins().paginate()).await;
    assert_eq!(got, names(0, 320));
    assert_eq!(sent(&server, "per_page").await, [Some("150".into()), Some("150".into()), Some("150".into())]);
    assert_eq!(sent(&server, "starting_after").await, [None, Some("150".into()), Some("300".into())]);
}

/// Stripe-style `starting_after` the last item's `id`, while `has_more`.
#[tokio::test]
async fn the_last_items_id_starts_the_next_page_while_has_more() {
    let server = serve("/jars", |r| {
        let from: u64 = query(r, "starting_after").map_or(0, |t| t.trim_start_matches('n').parse::<u64>().unwrap() + 1);
        let size: u64 = query(r, "limit").unwrap().parse().unwrap();
        let to = 230.min(from + size);
        ResponseTemplate::new(200).set_body_json(json!({"jars": items(from, to), "has_more": to < 230}))
    })
    .await;
    let got = ids(api(&server).list_jars().paginate()).await;
    assert_eq!(got, names(0, 230));
    assert_eq!(sent(&server, "starting_after").await, [None, Some("n99".into()), Some("n199".into())]);
    // `max_items` asks only what is left.
    let got = ids(api(&server).list_jars().paginate().max_items(120)).await;
    assert_eq!(got, names(0, 120));
    assert_eq!(sent(&server, "limit").await[3..], [Some("100".into()), Some("20".into())]);
}

/// Wazuh's offsets, the list at `data.affected_items` (named in the settings, beside `failed_items`);
/// `.pages()` yields each whole body, its other members kept.
#[tokio::test]
async fn offsets_into_a_nested_list_and_pages_keep_the_whole_body() {
    let server = serve("/cans", |r| {
        let from: u64 = query(r, "offset").unwrap().parse().unwrap();
        let size: u64 = query(r, "limit").unwrap().parse().unwrap();
        let data = json!({"affected_items": items(from, 260.min(from + size)), "failed_items": ["f"]});
        ResponseTemplate::new(200).set_body_json(json!({"message": "ok", "data": data}))
    })
    .await;
    let got = ids(api(&server).list_cans().offset(5).paginate()).await;
    assert_eq!(got, names(5, 260));
    assert_eq!(sent(&server, "offset").await, [Some("5".into()), Some("255".into())], "the short page is the last");
    let pages = drain(api(&server).list_cans().pages()).await;
    let first = pages[0].as_ref().unwrap();
    assert_eq!(first.body.message.as_deref(), Some("ok"));
    assert_eq!(first.body.data.as_ref().and_then(|d| d.failed_items.clone()), Some(vec!["f".to_string()]));
    assert_eq!(pages.len(), 2);
}

/// Xero's `page` with no size: pages of the server's own size, so only an empty page ends the list;
/// an error on a later page is yielded and ends the stream.
#[tokio::test]
async fn page_numbers_without_a_size_end_at_an_empty_page_and_errors_end_the_stream() {
    let server = serve("/tins", |r| {
        let page: u64 = query(r, "page").unwrap().parse().unwrap();
        let from = (page - 1) * 3;
        ResponseTemplate::new(200).set_body_json(json!({"Tins": items(from, 7.min(from + 3))}))
    })
    .await;
    let got = ids(api(&server).list_tins().paginate()).await;
    assert_eq!(got, names(0, 7));
    assert_eq!(sent(&server, "page").await.len(), 4, "three pages and the empty fourth");
    let failing = serve("/tins", |r| match query(r, "page").as_deref() {
        Some("1") => ResponseTemplate::new(200).set_body_json(json!({"Tins": items(0, 3)})),
        _ => ResponseTemplate::new(503),
    })
    .await;
    let all: Vec<_> = drain(api(&failing).list_tins().paginate()).await;
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].as_ref().unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(failing.received_requests().await.unwrap().len(), 2, "nothing after the error");
}

/// SailPoint's pending tasks: a page, or `204` with no body once none are left; the `204` is an empty
/// last page, and `.pages()` yields the success enum.
#[tokio::test]
async fn a_bodiless_success_is_an_empty_page() {
    use fixtures_golden::paging::default::ListTasksResponse;
    let server = serve("/tasks", |r| {
        let from: u64 = query(r, "offset").unwrap().parse().unwrap();
        if from >= 500 {
            return ResponseTemplate::new(204);
        }
        ResponseTemplate::new(200).set_body_json(items(from, 500.min(from + 250)))
    })
    .await;
    let got = ids(api(&server).list_tasks().paginate()).await;
    assert_eq!(got, names(0, 500));
    assert_eq!(sent(&server, "offset").await, [Some("0".into()), Some("250".into()), Some("500".into())]);
    let pages = drain(api(&server).list_tasks().pages()).await;
    assert!(matches!(&pages[0].as_ref().unwrap().body, ListTasksResponse::Ok(v) if v.len() == 250), "{:?}", pages[0]);
    assert_eq!(pages.len(), 2, "the empty 204 after the first page is not yielded");
}
