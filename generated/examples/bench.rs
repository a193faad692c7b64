//! Client benchmarks (hand-written), run by `cargo xtask bench`: request overhead of the generated
//! client against a raw `reqwest` call, and decode throughput of a 10,000-token list against plain
//! `serde_json`, both over a minimal HTTP/1.1 server on 127.0.0.1 in the same process.
//!
//! Usage: `bench [--quick]`. Prints one `key=value` line per result.

use std::time::{Duration, Instant};

use sailpoint_pat::v3::models::GetPersonalAccessTokenResponse;
use sailpoint_pat::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn token(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("{i:032x}"),
        "name": format!("Token {i}"),
        "scope": ["sp:scopes:all", "demo:personal-access-token-scope:first"],
        "owner": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "created": "2017-07-11T18:45:37.098Z",
        "lastUsed": if i.is_multiple_of(3) { serde_json::Value::Null } else { "2023-02-05T10:59:27.214Z".into() },
        "managed": i.is_multiple_of(2),
        "accessTokenValiditySeconds": 43200,
        "expirationDate": "2018-01-11T18:45:37.098Z"
    })
}

fn http_response(body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
        .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A keep-alive HTTP/1.1 server that answers GETs with one of two canned responses: the 10,000-token
/// list when the query asks for `filters=big`, a one-token list otherwise.
async fn serve(small: Vec<u8>, big: Vec<u8>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let small = std::sync::Arc::new(small);
    let big = std::sync::Arc::new(big);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (small, big) = (small.clone(), big.clone());
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // Read one request head (GETs carry no body).
                    let end = loop {
                        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break p + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end);
                    let response = if head.contains("filters=big") { &big } else { &small };
                    if socket.write_all(response).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, requests, decodes) = if quick { (3, 200, 3) } else { (15, 4000, 21) };
    let small = serde_json::to_vec(&vec![token(0)]).expect("json");
    let big_body = serde_json::to_vec(&(0..10_000).map(token).collect::<Vec<_>>()).expect("json");
    let addr = serve(http_response(&small), http_response(&big_body)).await;
    let base = format!("http://{addr}");

    let client = Client::builder()
        .base_url(&base)
        .access_token("bench-token")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client");
    let api = client.v3().personal_access_tokens();
    let raw = sailpoint_pat::client::http_client_builder().build().expect("reqwest");
    let url = format!("{base}/v3/personal-access-tokens");
    let raw_list = |filters: &'static str| {
        let req = raw
            .get(format!("{url}?filters={filters}"))
            .bearer_auth("bench-token")
            .header(reqwest::header::ACCEPT, "application/json");
        async move {
            let bytes = req.send().await.expect("raw request").bytes().await.expect("raw body");
            serde_json::from_slice::<Vec<GetPersonalAccessTokenResponse>>(&bytes).expect("raw decode")
        }
    };

    // Warm up both paths (connections, allocator).
    for _ in 0..50 {
        api.list_personal_access_tokens().filters("small").await.expect("client request");
        raw_list("small").await;
    }
    // Request overhead: alternate rounds so both see the same machine state.
    let (mut client_rps, mut raw_rps) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..requests {
            let r = api.list_personal_access_tokens().filters("small").await.expect("client request");
            std::hint::black_box(r);
        }
        client_rps.push(requests as f64 / t.elapsed().as_secs_f64());
        let t = Instant::now();
        for _ in 0..requests {
            std::hint::black_box(raw_list("small").await);
        }
        raw_rps.push(requests as f64 / t.elapsed().as_secs_f64());
    }
    let (c, r) = (median(client_rps), median(raw_rps));
    println!("client_rps={c:.0}");
    println!("raw_rps={r:.0}");
    println!("overhead_ratio={:.3}", r / c);

    // Decode throughput: 10,000 tokens through the client, through raw reqwest + serde_json, and
    // serde_json alone on bytes already in memory.
    let (mut via_client, mut via_raw, mut in_memory) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..decodes as u32 {
        // Alternate which path goes first, so neither always runs on a freshly churned heap.
        for path in if i.is_multiple_of(2) { [0, 1] } else { [1, 0] } {
            let t = Instant::now();
            let tokens = if path == 0 {
                api.list_personal_access_tokens().filters("big").await.expect("client big")
            } else {
                raw_list("big").await
            };
            let elapsed = t.elapsed().as_secs_f64();
            assert_eq!(tokens.len(), 10_000);
            drop(tokens);
            if path == 0 { via_client.push(elapsed) } else { via_raw.push(elapsed) }
        }
        let t = Instant::now();
        let tokens: Vec<GetPersonalAccessTokenResponse> = serde_json::from_slice(&big_body).expect("decode");
        in_memory.push(t.elapsed().as_secs_f64());
        assert_eq!(tokens.len(), 10_000);
    }
    let (c, r, m) = (median(via_client), median(via_raw), median(in_memory));
    println!("decode_10k_client_ms={:.2}", c * 1e3);
    println!("decode_10k_raw_ms={:.2}", r * 1e3);
    println!("decode_10k_serde_ms={:.2}", m * 1e3);
    println!("decode_ratio={:.3}", c / r);
    println!("decode_body_bytes={}", big_body.len());
    let _ = Duration::ZERO;
}
