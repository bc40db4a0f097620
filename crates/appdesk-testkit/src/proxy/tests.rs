//! The proxy itself, against a small loopback HTTP server that records what
//! reached it, and a raw TCP client (no HTTP library between the test and the
//! bytes).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::{Fault, Proxy, Rule, wire};

/// What reached the upstream: method, target and body, in order.
type Reached = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

/// A loopback server that answers `200` with `METHOD TARGET #N` (chunked when
/// the target contains `chunked`), keeping connections alive.
fn upstream() -> (SocketAddr, Reached) {
    let reached: Reached = Arc::default();
    let listener = crate::block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::clone(&reached);
    crate::runtime().spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut read = BufReader::new(read);
                while let Ok(Some(request)) = wire::read_request(&mut read).await {
                    let head_end = request.raw.windows(4).position(|w| w == b"\r\n\r\n");
                    let body = request.raw[head_end.unwrap() + 4..].to_vec();
                    let n = {
                        let mut log = log.lock().unwrap();
                        log.push((request.method.clone(), request.target.clone(), body));
                        log.len()
                    };
                    let text = format!("{} {} #{n}", request.method, request.target);
                    let answer = if request.target.contains("chunked") {
                        let (a, b) = text.split_at(text.len() / 2);
                        format!(
                            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
                            a.len(),
                            b.len()
                        )
                    } else {
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{text}",
                            text.len()
                        )
                    };
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, reached)
}

fn connect(proxy: &Proxy) -> TcpStream {
    let stream = TcpStream::connect(proxy.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

fn send(stream: &mut TcpStream, method: &str, target: &str, body: &str) {
    let request = format!(
        "{method} {target} HTTP/1.1\r\nhost: portal\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
}

/// Reads one answer with a Content-Length (or a chunked one, returned raw), or
/// `None` when the connection ends first.
fn answer(stream: &mut TcpStream) -> Option<String> {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match stream.read(&mut byte) {
            Ok(0) | Err(_) => return None,
            Ok(_) => raw.push(byte[0]),
        }
        if raw.ends_with(b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8(raw.clone()).unwrap();
    let lower = head.to_ascii_lowercase();
    if lower.contains("transfer-encoding: chunked") {
        while !raw.ends_with(b"0\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(0) | Err(_) => return None,
                Ok(_) => raw.push(byte[0]),
            }
        }
        return Some(String::from_utf8(raw).unwrap());
    }
    let length: usize = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(head + &String::from_utf8(body).unwrap())
}

/// Whether the proxy closed the connection (EOF or reset) without a byte.
fn closed_without_answer(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(stream.read(&mut buf), Ok(0) | Err(_))
}

#[test]
fn forwarding_relays_each_request_and_answer_on_one_kept_alive_connection() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/apps", "");
    let first = answer(&mut stream).expect("an answer");
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
    assert!(first.ends_with("GET /v1/apps #1"), "{first}");
    send(&mut stream, "POST", "/v1/apps", "{\"name\":\"x\"}");
    let second = answer(&mut stream).expect("a second answer on the same connection");
    assert!(second.ends_with("POST /v1/apps #2"), "{second}");
    let reached = reached.lock().unwrap();
    assert_eq!(reached.len(), 2);
    assert_eq!(reached[1].2, b"{\"name\":\"x\"}");
    assert!(proxy.faulted().is_empty());
}

#[test]
fn a_drop_before_forwarding_closes_the_connection_and_the_upstream_never_sees_it() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::writes(Fault::DropBeforeForward));
    let mut stream = connect(&proxy);
    send(&mut stream, "POST", "/v1/apps", "{}");
    assert!(closed_without_answer(&mut stream));
    assert!(reached.lock().unwrap().is_empty());
    assert_eq!(proxy.faulted().len(), 1);
    assert_eq!(proxy.rules_left(), 0, "a rule applies once by default");
}

#[test]
fn a_drop_after_commit_reaches_the_upstream_but_the_client_gets_no_answer() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::writes(Fault::DropAfterCommit));
    let mut stream = connect(&proxy);
    send(&mut stream, "PATCH", "/v1/apps/a", "{\"add\":[]}");
    assert!(closed_without_answer(&mut stream));
    let reached = reached.lock().unwrap();
    assert_eq!(reached.len(), 1, "the upstream got the request");
    assert_eq!(reached[0].0, "PATCH");
    assert_eq!(proxy.seen()[0].upstream, Some(200), "and answered it");
}

#[test]
fn the_proxy_answers_500_and_503_with_retry_after_itself() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::any(Fault::Status(500)));
    proxy.add(Rule::any(Fault::Unavailable { retry_after: 7 }));
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/changes", "");
    let first = answer(&mut stream).expect("a 500");
    assert!(first.starts_with("HTTP/1.1 500 "), "{first}");
    send(&mut stream, "GET", "/v1/changes", "");
    let second = answer(&mut stream).expect("a 503");
    assert!(second.starts_with("HTTP/1.1 503 "), "{second}");
    assert!(
        second
            .to_ascii_lowercase()
            .contains("\r\nretry-after: 7\r\n"),
        "{second}"
    );
    send(&mut stream, "GET", "/v1/changes", "");
    let third = answer(&mut stream).expect("forwarded once the rules are spent");
    assert!(third.ends_with("GET /v1/changes #1"), "{third}");
    assert_eq!(reached.lock().unwrap().len(), 1);
}

#[test]
fn a_stall_says_nothing_until_the_client_gives_up() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::any(Fault::Stall(Duration::from_secs(60))));
    let mut stream = connect(&proxy);
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    send(&mut stream, "GET", "/v1/apps", "");
    let started = Instant::now();
    let mut buf = [0u8; 16];
    let err = stream.read(&mut buf).expect_err("no answer while stalled");
    assert!(
        matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{err:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(reached.lock().unwrap().is_empty());
}

#[test]
fn rules_match_by_method_and_path_skip_and_repeat() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(
        Rule::writes(Fault::DropBeforeForward)
            .path("/v1/apps")
            .skip(1)
            .times(2),
    );
    let outcomes: Vec<bool> = [
        ("GET", "/v1/apps"),
        ("POST", "/v1/apps"),
        ("POST", "/v1/changes"),
        ("POST", "/v1/apps"),
        ("DELETE", "/v1/apps/x"),
        ("POST", "/v1/apps"),
    ]
    .iter()
    .map(|(method, target)| {
        let mut stream = connect(&proxy);
        send(&mut stream, method, target, "");
        answer(&mut stream).is_some()
    })
    .collect();
    assert_eq!(outcomes, [true, true, true, false, false, true]);
    assert_eq!(reached.lock().unwrap().len(), 4);
}

#[test]
fn a_chunked_answer_is_relayed_whole() {
    let (up, _reached) = upstream();
    let proxy = Proxy::start(up);
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/chunked", "");
    let raw = answer(&mut stream).expect("a chunked answer");
    assert!(raw.contains("GET /ch"), "{raw}");
    assert!(raw.contains("unked #1"), "{raw}");
    send(&mut stream, "GET", "/after", "");
    let next = answer(&mut stream).expect("the connection is still usable");
    assert!(next.ends_with("GET /after #2"), "{next}");
}

#[test]
fn a_proxy_set_down_closes_new_connections_until_it_is_up_again() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.set_down(true);
    let mut stream = connect(&proxy);
    // The proxy may have closed already: a failed write is the same outcome.
    let _ = stream.write_all(b"GET /v1/apps HTTP/1.1\r\nhost: portal\r\n\r\n");
    assert!(closed_without_answer(&mut stream));
    proxy.set_down(false);
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/apps", "");
    assert!(answer(&mut stream).is_some());
    assert_eq!(reached.lock().unwrap().len(), 1);
}

#[test]
fn a_held_request_reaches_the_upstream_only_once_released_even_if_the_client_is_gone() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::writes(Fault::Hold).times(2));
    let mut first = connect(&proxy);
    send(&mut first, "POST", "/v1/apps", "{}");
    let mut second = connect(&proxy);
    send(&mut second, "PATCH", "/v1/apps/a", "{}");
    proxy.wait_held(2);
    assert!(reached.lock().unwrap().is_empty(), "nothing forwarded yet");
    drop(second);
    proxy.release();
    let answer = answer(&mut first).expect("the held request is answered");
    assert!(answer.contains("POST /v1/apps #"), "{answer}");
    let started = Instant::now();
    while reached.lock().unwrap().len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the request of the gone client was not forwarded"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_truncated_answer_relays_only_its_first_bytes_then_closes() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::any(Fault::Truncate { body_bytes: 5 }));
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/apps", "");
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 200 OK\r\n"), "{got}");
    assert!(
        got.ends_with("\r\n\r\nGET /"),
        "the head and 5 bytes of the body: {got}"
    );
    assert_eq!(reached.lock().unwrap().len(), 1, "the upstream answered");
}

#[test]
fn made_answers_carry_retry_after_location_and_the_test_s_body_without_the_upstream() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    proxy.add(Rule::any(Fault::RetryAfter {
        status: 429,
        value: date.to_owned(),
    }));
    proxy.add(Rule::any(Fault::Redirect {
        status: 307,
        location: "http://127.0.0.1:9/elsewhere".to_owned(),
    }));
    proxy.add(Rule::any(Fault::Body {
        status: 200,
        body: r#"{"changes":[],"next":"x"}"#.to_owned(),
    }));
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/changes", "");
    let first = answer(&mut stream).expect("a 429");
    assert!(first.starts_with("HTTP/1.1 429 "), "{first}");
    assert!(
        first.contains(&format!("\r\nretry-after: {date}\r\n")),
        "{first}"
    );
    send(&mut stream, "POST", "/v1/apps", "{}");
    let second = answer(&mut stream).expect("a 307");
    assert!(second.starts_with("HTTP/1.1 307 "), "{second}");
    assert!(
        second.contains("\r\nlocation: http://127.0.0.1:9/elsewhere\r\n"),
        "{second}"
    );
    send(&mut stream, "GET", "/v1/changes", "");
    let third = answer(&mut stream).expect("the made body");
    assert!(
        third.ends_with("\r\n\r\n{\"changes\":[],\"next\":\"x\"}"),
        "{third}"
    );
    assert!(reached.lock().unwrap().is_empty());
}

#[test]
fn an_endless_feed_answers_full_pages_whose_cursor_always_moves_on() {
    let (up, reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::any(Fault::EndlessFeed).always());
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/changes?limit=3&since=5.77.10", "");
    let page = answer(&mut stream).expect("a page");
    let body = &page[page.find("\r\n\r\n").unwrap() + 4..];
    let page: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(page["next"], "5.77.13");
    let changes = page["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[0]["type"], "deleted");
    assert_ne!(changes[0]["appId"], changes[1]["appId"]);
    assert!(reached.lock().unwrap().is_empty());
}

#[test]
fn a_flood_streams_as_many_bytes_as_asked_in_chunks() {
    let (up, _reached) = upstream();
    let proxy = Proxy::start(up);
    proxy.add(Rule::any(Fault::Flood { bytes: 200_000 }));
    let mut stream = connect(&proxy);
    send(&mut stream, "GET", "/v1/changes", "");
    let raw = answer(&mut stream).expect("a chunked answer to its end");
    let body_start = raw.find("\r\n\r\n").unwrap() + 4;
    let mut body = String::new();
    let mut rest = &raw[body_start..];
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size, 16).unwrap();
        if size == 0 {
            break;
        }
        body.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    assert_eq!(body.len(), 200_000);
    assert!(body.starts_with(r#"{"changes":["xxx"#), "{}", &body[..20]);
}

#[test]
fn the_recorder_answers_and_records_header_names() {
    let recorder = super::Recorder::start();
    let addr: SocketAddr = recorder.url()["http://".len()..].parse().unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"PATCH /v1/apps/a HTTP/1.1\r\nhost: x\r\nAuthorization: Bearer t\r\ncontent-length: 2\r\n\r\n{}")
        .unwrap();
    assert!(answer(&mut stream).unwrap().starts_with("HTTP/1.1 200 "));
    let got = recorder.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "PATCH");
    assert!(
        got[0].headers.contains(&"authorization".to_owned()),
        "{got:?}"
    );
    assert_eq!(got[0].body_len, 2);
}
