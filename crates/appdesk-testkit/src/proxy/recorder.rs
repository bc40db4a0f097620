//! A tiny HTTP server on loopback that answers every request `200 {}` and
//! records what reached it: method, target and header names. It stands for
//! "another origin" that a redirect points at, so a test can check that no
//! request, body, token or key was ever sent there.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::wire;

/// One request the recorder received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Its header field names, lowercased.
    pub headers: Vec<String>,
    /// Its body's length in bytes.
    pub body_len: usize,
}

/// A running recorder on `127.0.0.1:<random port>`; stops when dropped.
#[derive(Debug)]
pub struct Recorder {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Recorder {
    pub fn start() -> Recorder {
        let listener =
            crate::block_on(TcpListener::bind("127.0.0.1:0")).expect("bind the recorder");
        let addr = listener.local_addr().expect("the recorder's address");
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let shared = Arc::clone(&log);
        let accept = crate::runtime().spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&shared);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut read = BufReader::new(read);
                    while let Ok(Some(request)) = wire::read_request(&mut read).await {
                        log.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(recorded(&request));
                        let answer = super::made::json_answer(200, "{}");
                        if write.write_all(&answer).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Recorder { addr, log, accept }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Recorded> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

fn recorded(request: &wire::Message) -> Recorded {
    let end = request
        .raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(request.raw.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&request.raw[..end]);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.trim().to_ascii_lowercase())
        .collect();
    Recorded {
        method: request.method.clone(),
        target: request.target.clone(),
        headers,
        body_len: request.raw.len() - end,
    }
}
