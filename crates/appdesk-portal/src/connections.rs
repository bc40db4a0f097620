//! The accept loop under the router: a cap on open connections, the header
//! and keep-alive idle timeouts, and a drain with a bound on shutdown.
//!
//! Why not `axum::serve`: it has none of these, and without them one client
//! holds a socket forever with half a request, idle sockets use up the file
//! descriptors, and SIGTERM waits for the slowest client. Body and whole-request
//! timeouts are per request and live in [`crate::server`]'s layers.
//!
//! Each connection's socket is watched ([`Watched`]): bytes read while no
//! request runs start the header clock; no request and no byte for the idle
//! timeout ends it. hyper answers a request head it cannot parse (414, 431,
//! 400) itself, with an empty body, before any layer runs: [`Watched`] gives
//! those answers the JSON error body every other error has. Must not hold
//! request logic: that is the router's.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// The connection-level limits of `serve`.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header: Duration,
    pub idle: Duration,
    pub drain: Duration,
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `stop` resolves, then lets requests in
/// flight finish for at most `limits.drain`, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) {
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(1 << 20));
    let slots = Arc::new(Semaphore::new(max));
    let (stopping, stop_seen) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, most likely: wait, don't spin.
                    eprintln!("appdesk-portal: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        // Over the cap: closed at once, so the clients within it are served.
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            app.clone(),
            limits,
            stop_seen.clone(),
            slot,
        ));
    }
    let _ = stopping.send(true);
    // Every connection gives its slot back when it ends.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(limits.drain, slots.acquire_many(all)).await;
}

async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    // The peer's address, as axum's ConnectInfo (the audit log reads it).
    let peer = stream.peer_addr().ok();
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
    let router = TowerToHyperService::new(app);
    let service = {
        let activity = Arc::clone(&activity);
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            if let Some(peer) = peer {
                request.extensions_mut().insert(ConnectInfo(peer));
            }
            let running = activity.begin();
            let answer = hyper::service::Service::call(&router, request);
            async move {
                let answer = answer.await;
                drop(running);
                answer
            }
        })
    };
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        // hyper's own clock runs from the end of a response: a backstop
        // behind the watch below, which is the one that closes.
        .header_read_timeout(limits.header + limits.idle)
        .serve_connection(io, service);
    tokio::pin!(conn);
    // A quarter second is fine enough for timeouts counted in seconds.
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            changed = stop.changed(), if !stopping => {
                stopping = true;
                let _ = changed;
                conn.as_mut().graceful_shutdown();
            }
            _ = tick.tick() => {
                if activity.expired(limits) {
                    return;
                }
            }
        }
    }
}

/// What a connection is doing, for its timeouts: milliseconds since it opened.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    running: AtomicUsize,
    /// When the last request ended (or the connection opened).
    idle_since: AtomicU64,
    /// 1 + when the first byte of a request head came; 0 while none did.
    head_since: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            running: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_since: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn begin(self: &Arc<Self>) -> Running {
        self.running.fetch_add(1, Ordering::SeqCst);
        self.head_since.store(0, Ordering::SeqCst);
        Running(Arc::clone(self))
    }

    fn bytes_read(&self) {
        if self.running.load(Ordering::SeqCst) == 0 {
            let now = self.now() + 1;
            let _ = self
                .head_since
                .compare_exchange(0, now, Ordering::SeqCst, Ordering::SeqCst);
        }
    }

    /// Whether the connection has waited too long for a request or its head.
    fn expired(&self, limits: Limits) -> bool {
        if self.running.load(Ordering::SeqCst) > 0 {
            return false;
        }
        let now = self.now();
        let (since, limit) = match self.head_since.load(Ordering::SeqCst) {
            0 => (self.idle_since.load(Ordering::SeqCst), limits.idle),
            head => (head - 1, limits.header),
        };
        now.saturating_sub(since) > u64::try_from(limit.as_millis()).unwrap_or(u64::MAX)
    }
}

/// A request being answered; its end starts the idle clock.
struct Running(Arc<Activity>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.idle_since.store(self.0.now(), Ordering::SeqCst);
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The socket, watched for bytes read, and with hyper's own bodiless error
/// answers given the JSON error body.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
    /// A rewritten answer not yet written, and how much of it was.
    pending: Vec<u8>,
    written: usize,
}

impl Watched {
    fn new(inner: TcpStream, activity: Arc<Activity>) -> Watched {
        Watched {
            inner,
            activity,
            pending: Vec::new(),
            written: 0,
        }
    }

    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// hyper's answer to a head it could not parse, with the JSON error body: the
/// only 4xx this server sends with `content-length: 0` (every other passes
/// [`crate::error::json_errors`]).
fn with_json_body(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let status_line = text.strip_prefix("HTTP/1.1 4")?;
    if !text.contains("\r\ncontent-length: 0\r\n") || !text.ends_with("\r\n\r\n") {
        return None;
    }
    let status: u16 = format!("4{}", status_line.get(..2)?).parse().ok()?;
    let (code, message) = match status {
        414 => ("malformed", "the request's URL is too long"),
        431 => ("malformed", "the request's headers are too large"),
        _ => ("malformed", "the request's head cannot be read as HTTP/1.1"),
    };
    let body = serde_json::json!({"code": code, "message": message, "field": null}).to_string();
    let head = text
        .trim_end_matches("\r\n")
        .replace("\r\ncontent-length: 0", "");
    Some(
        format!(
            "{head}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(answer) = with_json_body(buf) {
            self.pending = answer;
            self.written = 0;
            // Written now or by the flush that follows.
            if let Poll::Ready(Err(e)) = self.poll_pending(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
