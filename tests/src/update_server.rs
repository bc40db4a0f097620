//! A tiny HTTP/1.1 server on 127.0.0.1 for the update tests: it serves
//! `latest.json` and packages from memory, and can answer with an error status
//! or stall (accept the request and never answer). Each test changes what a path
//! answers with [`UpdateServer::set`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What a path answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Body(Vec<u8>, &'static str),
    Status(u16),
    /// Reads the request and never answers (until the test ends).
    Stall,
}

/// The server; it stops when dropped.
#[derive(Debug)]
pub struct UpdateServer {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    task: tokio::task::JoinHandle<()>,
}

impl UpdateServer {
    pub async fn start() -> UpdateServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("address").port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let shared = routes.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let routes = shared.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let reply = routes.lock().unwrap().get(&path).cloned();
                    let (status, body, kind) = match reply {
                        None => (404, b"not found".to_vec(), "text/plain"),
                        Some(Reply::Status(s)) => (s, b"error".to_vec(), "text/plain"),
                        Some(Reply::Body(b, kind)) => (200, b, kind),
                        Some(Reply::Stall) => {
                            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                            return;
                        }
                    };
                    let header = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                         Connection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(header.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        UpdateServer { port, routes, task }
    }

    /// `http://127.0.0.1:PORT/NAME`
    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_owned(), reply);
    }
}

impl Drop for UpdateServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
