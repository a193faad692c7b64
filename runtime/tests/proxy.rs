//! Proxies, in a test binary of their own because it sets the process's proxy environment. The environment's proxies apply to remote hosts and never to
//! loopback ones (a local server's traffic, the client secret included, must not go through a proxy);
//! `.proxy(..)` and `.no_proxy()` on the builder override the environment.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sdk_runtime::Client;
use sdk_runtime::client::Request;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server on 127.0.0.1 that records the first line of each request and answers `200 []` (to a
/// `CONNECT`, `403`, so a tunnelled call ends there).
async fn recorder() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let mut got = Vec::new();
            let mut buf = vec![0u8; 16384];
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => got.extend_from_slice(&buf[..k]),
                }
            }
            let text = String::from_utf8_lossy(&got).to_string();
            let first = text.lines().next().unwrap_or_default().to_string();
            let (status, body) = if first.starts_with("CONNECT") {
                ("403 Forbidden", "")
            } else if first.starts_with("POST") {
                ("200 OK", r#"{"access_token":"t","expires_in":3600}"#)
            } else {
                ("200 OK", "[]")
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            log.lock().unwrap().push(first);
            let _ = socket.write_all(reply.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, seen)
}

/// One GET through the runtime, as a generated operation sends it.
async fn list(client: &Client) -> Result<(), sdk_runtime::Error<std::convert::Infallible>> {
    let request =
        Request::new("proxy-test/1", reqwest::Method::GET, "/v3/personal-access-tokens".into(), "application/json");
    client.execute(request).await.map(|_| ())
}

#[tokio::test]
async fn environment_proxies_apply_to_remote_hosts_never_to_loopback() {
    let (proxy, through_proxy) = recorder().await;
    // SAFETY: this test binary has this one test; nothing else reads the environment concurrently.
    unsafe {
        for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
            std::env::set_var(name, &proxy);
        }
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }

    // A loopback base: the token request (client secret included) and the call go directly.
    let (api, direct) = recorder().await;
    for base in [api.clone(), api.replace("127.0.0.1", "localhost")] {
        let client = Client::builder()
            .base_url(&base)
            .client_credentials("id", "secret-7f3a")
            .token_url(format!("{base}/oauth/token"))
            .build()
            .unwrap();
        list(&client).await.unwrap();
    }
    assert!(through_proxy.lock().unwrap().is_empty(), "the proxy saw: {:?}", through_proxy.lock().unwrap());
    assert_eq!(direct.lock().unwrap().len(), 4, "{:?}", direct.lock().unwrap());

    // A remote HTTPS host goes through the environment's proxy (a CONNECT, refused by this one, so
    // nothing leaves the machine).
    let client = Client::builder()
        .base_url("https://tenant.api.identitynow.com")
        .access_token("t")
        .timeout(Duration::from_secs(5))
        .retry_policy(sdk_runtime::RetryPolicy::never())
        .build()
        .unwrap();
    list(&client).await.unwrap_err();
    let seen = through_proxy.lock().unwrap().clone();
    assert_eq!(seen, ["CONNECT tenant.api.identitynow.com:443 HTTP/1.1"], "{seen:?}");

    // An explicit proxy is used as given, even for loopback; `.no_proxy()` sends directly.
    let (explicit, via_explicit) = recorder().await;
    let client = Client::builder().base_url(&api).proxy(reqwest::Proxy::http(&explicit).unwrap()).build().unwrap();
    list(&client).await.unwrap();
    let seen = via_explicit.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with(&format!("GET {api}/v3/personal-access-tokens")), "{seen:?}");
    let before = direct.lock().unwrap().len();
    let client = Client::builder().base_url(&api).no_proxy().build().unwrap();
    list(&client).await.unwrap();
    assert_eq!(direct.lock().unwrap().len(), before + 1);
    assert_eq!(through_proxy.lock().unwrap().len(), 1);
}
