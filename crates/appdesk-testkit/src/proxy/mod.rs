//! A fault-injecting HTTP/1.1 proxy on loopback, between a sync client and the
//! portal: it forwards each request, or breaks it in one of the ways a network
//! and a load balancer break requests, so that tests can check that a sync fails
//! clearly, loses nothing, and finishes on the next run without applying anything
//! twice.
//!
//! The faults are chosen per request by [`Rule`]s (method, path, which match,
//! how many times), so a test can say "drop the answer to the second write". The
//! two drops differ in what matters: [`Fault::DropBeforeForward`] means the portal
//! never saw the request, [`Fault::DropAfterCommit`] means it did and committed,
//! and only the client does not know.
//!
//! Each request goes upstream on a fresh connection, so a keep-alive race with
//! the server can never make the proxy send a request twice. It runs on the
//! testkit's runtime ([`crate::runtime`]), so it keeps serving while the test
//! thread blocks on a child process.

mod made;
mod recorder;
mod wire;

#[cfg(test)]
mod tests;

pub use recorder::{Recorded, Recorder};

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use wire::Message;

/// What the proxy does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward it and relay the answer.
    Forward,
    /// Read the request and close the connection: the portal never sees it.
    DropBeforeForward,
    /// Forward it, read the portal's answer, and close the connection without
    /// relaying it: the portal committed, the client does not know.
    DropAfterCommit,
    /// Answer this status itself (a plain-text body, as a load balancer sends);
    /// the portal never sees the request.
    Status(u16),
    /// Answer `503 Service Unavailable` with `Retry-After: SECONDS` itself.
    Unavailable { retry_after: u64 },
    /// Read the request, say nothing for this long (or until the client gives
    /// up), then close: the portal never sees it.
    Stall(Duration),
    /// Hold the request until the test calls [`Proxy::release`], then forward
    /// it (even if the client is gone by then): a point to act mid-sync at.
    Hold,
    /// Forward it, and relay the portal's answer with only the first
    /// `body_bytes` bytes of its body, then close: an answer cut short.
    Truncate { body_bytes: usize },
    /// Answer `status` (429, 503) with `Retry-After: value` itself, `value`
    /// as given (seconds, an HTTP-date, or garbage); the portal never sees it.
    RetryAfter { status: u16, value: String },
    /// Answer `status` (a 3xx) with `Location: location` itself; the portal
    /// never sees the request.
    Redirect { status: u16, location: String },
    /// Answer `200` with a JSON body that goes on for `bytes` bytes (chunked,
    /// no length given), made as it is sent, never held: a huge or endless
    /// answer. The portal never sees the request.
    Flood { bytes: u64 },
    /// Answer `status` with this JSON body itself (hostile JSON of the
    /// test's choosing); the portal never sees the request.
    Body { status: u16, body: String },
    /// Answer a feed request (`/v1/changes?since=E.X.S&limit=N`) with a full
    /// page of `N` deletions of apps never seen, and `next` = `E.X.(S+N)`:
    /// a feed that never ends, each cursor new. The portal never sees it.
    EndlessFeed,
}

/// Which requests get a fault: by method and path, after skipping some, for a
/// number of times (once unless told otherwise).
#[derive(Debug, Clone)]
pub struct Rule {
    methods: Vec<String>,
    path: Option<String>,
    skip: usize,
    times: Option<usize>,
    fault: Fault,
}

impl Rule {
    /// Any request gets `fault`.
    pub fn any(fault: Fault) -> Rule {
        Rule {
            methods: Vec::new(),
            path: None,
            skip: 0,
            times: Some(1),
            fault,
        }
    }

    /// Writes (POST, PUT, PATCH, DELETE) get `fault`.
    pub fn writes(fault: Fault) -> Rule {
        Rule::methods(&["POST", "PUT", "PATCH", "DELETE"], fault)
    }

    /// Requests with one of these methods get `fault`.
    pub fn methods(methods: &[&str], fault: Fault) -> Rule {
        Rule {
            methods: methods.iter().map(|m| m.to_ascii_uppercase()).collect(),
            ..Rule::any(fault)
        }
    }

    /// Only requests whose path (with query) contains `part`.
    pub fn path(mut self, part: &str) -> Rule {
        self.path = Some(part.to_owned());
        self
    }

    /// Let the first `n` matching requests through first.
    pub fn skip(mut self, n: usize) -> Rule {
        self.skip = n;
        self
    }

    /// Apply to `n` matching requests (default 1).
    pub fn times(mut self, n: usize) -> Rule {
        self.times = Some(n);
        self
    }

    /// Apply to every matching request until the rules are cleared.
    pub fn always(mut self) -> Rule {
        self.times = None;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        (self.methods.is_empty() || self.methods.iter().any(|m| m == method))
            && self.path.as_ref().is_none_or(|p| path.contains(p.as_str()))
    }
}

/// One request the proxy saw, and what it did with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub fault: Fault,
    /// The status the upstream answered, when the request reached it and an
    /// answer came back (relayed or, after [`Fault::DropAfterCommit`], not).
    pub upstream: Option<u16>,
}

#[derive(Debug)]
struct Shared {
    upstream: Mutex<SocketAddr>,
    rules: Mutex<Vec<Rule>>,
    seen: Mutex<Vec<Seen>>,
    down: Mutex<bool>,
    /// Open once [`Proxy::release`] is called; held requests wait on it.
    gate: tokio::sync::watch::Sender<bool>,
    /// Requests held right now.
    held: AtomicUsize,
    /// Requests sent upstream whose answer is not read yet.
    in_flight: AtomicUsize,
}

impl Shared {
    /// The fault for this request: the first rule that matches and has no more
    /// to skip (a rule still skipping lets the request on to the next rule).
    /// Also the request's place in the log.
    fn decide(&self, method: &str, path: &str) -> (Fault, usize) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let mut fault = Fault::Forward;
        let mut spent = None;
        for (i, rule) in rules.iter_mut().enumerate() {
            if !rule.matches(method, path) {
                continue;
            }
            if rule.skip > 0 {
                rule.skip -= 1;
                continue;
            }
            fault = rule.fault.clone();
            if let Some(times) = rule.times.as_mut() {
                *times -= 1;
                if *times == 0 {
                    spent = Some(i);
                }
            }
            break;
        }
        if let Some(i) = spent {
            rules.remove(i);
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.push(Seen {
            method: method.to_owned(),
            path: path.to_owned(),
            fault: fault.clone(),
            upstream: None,
        });
        (fault, seen.len() - 1)
    }

    /// Records the upstream's answer to the request at `place` in the log.
    fn answered(&self, place: usize, answer: &std::io::Result<Message>) {
        if let Ok(answer) = answer {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            seen[place].upstream = Some(answer.status);
        }
    }
}

/// A running proxy on `127.0.0.1:<random port>`; stops when dropped.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream` (the portal's address).
    pub fn start(upstream: SocketAddr) -> Proxy {
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            rules: Mutex::new(Vec::new()),
            seen: Mutex::new(Vec::new()),
            down: Mutex::new(false),
            gate: tokio::sync::watch::Sender::new(false),
            held: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
        });
        let listener = crate::block_on(TcpListener::bind("127.0.0.1:0")).expect("bind the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let accept = crate::runtime().spawn(accept_loop(listener, Arc::clone(&shared)));
        Proxy {
            addr,
            shared,
            accept,
        }
    }

    /// The proxy's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the URL to give the client instead of the portal's.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a rule after those already there (a [`Fault::Hold`] closes the gate
    /// that [`Proxy::release`] opens).
    pub fn add(&self, rule: Rule) {
        if rule.fault == Fault::Hold {
            self.shared.gate.send_replace(false);
        }
        self.shared
            .rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rule);
    }

    /// Removes every rule: requests are forwarded again.
    pub fn clear(&self) {
        self.shared
            .rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Rules not yet used up.
    pub fn rules_left(&self) -> usize {
        self.shared
            .rules
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// Waits (up to 60 s) until `count` requests are held by [`Fault::Hold`].
    pub fn wait_held(&self, count: usize) {
        crate::wait_until("a request to be held", Duration::from_secs(60), || {
            self.shared.held.load(Ordering::SeqCst) >= count
        });
    }

    /// Requests held by [`Fault::Hold`] right now.
    pub fn held(&self) -> usize {
        self.shared.held.load(Ordering::SeqCst)
    }

    /// Waits (up to 60 s) until no request is held or on its way to the
    /// upstream and back: after a client is killed, what it sent has landed.
    pub fn wait_idle(&self) {
        crate::wait_until("the proxy to be idle", Duration::from_secs(60), || {
            self.held() == 0 && self.shared.in_flight.load(Ordering::SeqCst) == 0
        });
    }

    /// Forwards every held request, and lets later held ones through at once
    /// until a new [`Fault::Hold`] rule is added.
    pub fn release(&self) {
        self.shared.gate.send_replace(true);
    }

    /// Whether the network is down: every new connection is closed at once.
    pub fn set_down(&self, down: bool) {
        *self.shared.down.lock().unwrap_or_else(|e| e.into_inner()) = down;
    }

    /// Sends requests to another upstream from now on.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self
            .shared
            .upstream
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = upstream;
    }

    /// Every request seen so far, in order, with what was done to it.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The requests seen so far that got a fault (anything but forwarding).
    pub fn faulted(&self) -> Vec<Seen> {
        let mut seen = self.seen();
        seen.retain(|s| s.fault != Fault::Forward);
        seen
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // Ends the accept loop, whose JoinSet then aborts every connection task.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        if *shared.down.lock().unwrap_or_else(|e| e.into_inner()) {
            drop(client);
            continue;
        }
        connections.spawn(serve(client, Arc::clone(&shared)));
        // Reap finished connections so the set does not grow for ever.
        while connections.try_join_next().is_some() {}
    }
}

/// Serves one client connection: request after request (keep-alive), each with
/// the fault its rules give it. Any I/O error ends the connection.
async fn serve(client: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = client.into_split();
    let mut read = BufReader::new(read);
    loop {
        let request = match wire::read_request(&mut read).await {
            Ok(Some(request)) => request,
            Ok(None) | Err(_) => return,
        };
        let (fault, place) = shared.decide(&request.method, &request.target);
        let keep_open = match fault {
            Fault::Forward => match forward(&shared, &request, place).await {
                Ok(answer) => {
                    if write.write_all(&answer.raw).await.is_err() {
                        return;
                    }
                    !request.close && !answer.close
                }
                Err(_) => false,
            },
            Fault::DropBeforeForward => false,
            Fault::DropAfterCommit => {
                let _ = forward(&shared, &request, place).await;
                false
            }
            Fault::Status(status) => {
                let answer = wire::plain_answer(status, None);
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::Unavailable { retry_after } => {
                let answer = wire::plain_answer(503, Some(retry_after));
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::Hold => {
                shared.held.fetch_add(1, Ordering::SeqCst);
                let mut gate = shared.gate.subscribe();
                let _ = gate.wait_for(|open| *open).await;
                // Counted in flight before it stops counting as held, so that
                // `wait_idle` never sees it as neither.
                shared.in_flight.fetch_add(1, Ordering::SeqCst);
                shared.held.fetch_sub(1, Ordering::SeqCst);
                let answer = forward(&shared, &request, place).await;
                shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                match answer {
                    Ok(answer) => {
                        write.write_all(&answer.raw).await.is_ok()
                            && !request.close
                            && !answer.close
                    }
                    Err(_) => false,
                }
            }
            Fault::Truncate { body_bytes } => {
                if let Ok(answer) = forward(&shared, &request, place).await {
                    let head = answer.raw.windows(4).position(|w| w == b"\r\n\r\n");
                    let body_start = head.map_or(answer.raw.len(), |h| h + 4);
                    let keep = (body_start + body_bytes).min(answer.raw.len());
                    let _ = write.write_all(&answer.raw[..keep]).await;
                }
                false
            }
            Fault::RetryAfter { status, value } => {
                let answer = wire::plain_answer_with(status, &[("retry-after", &value)]);
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::Redirect { status, location } => {
                let answer = wire::plain_answer_with(status, &[("location", &location)]);
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::Body { status, body } => {
                let answer = made::json_answer(status, &body);
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::EndlessFeed => {
                let answer = made::endless_feed_page(&request.target);
                write.write_all(&answer).await.is_ok() && !request.close
            }
            Fault::Flood { bytes } => {
                let _ = made::flood(&mut write, bytes).await;
                false
            }
            Fault::Stall(duration) => {
                // Until the time is up or the client hangs up, whichever is first.
                let mut byte = [0u8; 1];
                tokio::select! {
                    _ = tokio::time::sleep(duration) => {}
                    _ = read.read(&mut byte) => {}
                }
                false
            }
        };
        if !keep_open {
            let _ = write.shutdown().await;
            return;
        }
    }
}

/// Sends the request upstream on a fresh connection and reads the whole answer,
/// noting its status in the log at `place`.
async fn forward(shared: &Shared, request: &Message, place: usize) -> std::io::Result<Message> {
    let upstream = *shared.upstream.lock().unwrap_or_else(|e| e.into_inner());
    shared.in_flight.fetch_add(1, Ordering::SeqCst);
    let answer = async {
        let stream = TcpStream::connect(upstream).await?;
        let (read, mut write) = stream.into_split();
        write.write_all(&request.raw).await?;
        let mut read = BufReader::new(read);
        wire::read_response(&mut read, &request.method).await
    }
    .await;
    shared.answered(place, &answer);
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    answer
}
