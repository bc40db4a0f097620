//! Timeouts, the connection cap and shutdown (issue 21 §3), on raw sockets: a
//! half-sent request and an idle keep-alive connection are closed, a client
//! over the cap is turned away while the others are served, and SIGTERM
//! drains for a bounded time, then exits. The timeouts are set to a second by
//! flags so that the tests wait little; the waits below are upper bounds for
//! a test to fail, not measurements.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{Portal, cluster};

/// Reads until the server closes the socket (or `limit` passes): what it sent.
async fn read_until_closed(socket: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, socket.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&seen).into_owned()),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

/// Sends a complete keep-alive request for `/healthz` and reads its answer.
async fn healthz_on(socket: &mut TcpStream) -> String {
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut buf))
        .await
        .expect("an answer")
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let portal = Portal::start_serving_with(cluster::shared(), &["--header-timeout", "1"]);
    let mut socket = TcpStream::connect(portal.server.addr).await.unwrap();
    socket
        .write_all(b"GET /v1/apps HTTP/1.1\r\nHost: portal\r\n")
        .await
        .unwrap();
    let closed = read_until_closed(&mut socket, Duration::from_secs(15)).await;
    assert!(closed.is_some(), "the server closed the half-sent request");
    portal.dev.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let portal = Portal::start_serving_with(cluster::shared(), &["--idle-timeout", "1"]);
    let mut socket = TcpStream::connect(portal.server.addr).await.unwrap();
    let answer = healthz_on(&mut socket).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let closed = read_until_closed(&mut socket, Duration::from_secs(15)).await;
    assert_eq!(
        closed.as_deref(),
        Some(""),
        "closed, with nothing more sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_with_a_half_sent_request_open_exits_within_the_drain_bound() {
    let mut portal = Portal::start_serving_with(
        cluster::shared(),
        &["--header-timeout", "120", "--drain-timeout", "2"],
    );
    let mut socket = TcpStream::connect(portal.server.addr).await.unwrap();
    socket
        .write_all(b"GET /v1/apps HTTP/1.1\r\nHost: portal\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &portal.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    while portal.server.is_running() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM with a 2 s drain"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(socket);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn connections_over_the_cap_are_closed_while_the_others_are_served() {
    let portal = Portal::start_serving_with(
        cluster::shared(),
        &["--max-connections", "3", "--idle-timeout", "120"],
    );
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut socket = TcpStream::connect(portal.server.addr).await.unwrap();
        assert!(healthz_on(&mut socket).await.starts_with("HTTP/1.1 200"));
        held.push(socket);
    }
    // The fourth is closed without an answer to its request.
    let mut over = TcpStream::connect(portal.server.addr).await.unwrap();
    let _ = over
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n")
        .await;
    let answer = read_until_closed(&mut over, Duration::from_secs(15)).await;
    let answer = answer.expect("the connection over the cap is closed");
    assert!(!answer.contains(" 200 "), "not served: {answer}");
    // Those within the cap keep working.
    for socket in &mut held {
        assert!(healthz_on(socket).await.starts_with("HTTP/1.1 200"));
    }
    // And when one leaves, a new client gets its place.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    portal.dev.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_that_stops_arriving_gets_408_after_the_body_timeout_and_creates_nothing() {
    let portal = Portal::start_serving_with(cluster::shared(), &["--body-timeout", "1"]);
    let mut socket = TcpStream::connect(portal.server.addr).await.unwrap();
    let head = format!(
        "POST /v1/apps HTTP/1.1\r\nHost: portal\r\nAuthorization: Bearer {}\r\n\
         Idempotency-Key: slow-body\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"name\": ",
        portal.dev_token
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut socket, Duration::from_secs(15)).await;
    let answer = answer.expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\""), "the JSON error body: {answer}");
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}
