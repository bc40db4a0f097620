//! The real `appdesk-portal` binary: its commands (`workspace create`, `token create`,
//! `token revoke`) and its server, started on a loopback port (a random one, or the
//! one it had before a restart) and killed when the test ends, even when it fails.
//!
//! The server's stdout is read to its end on a thread of its own: that gives the
//! port (from the first `listening` line) and the request log that tests search for
//! leaked secrets, and a full pipe can never block the server.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// `appdesk-portal` of this build (see [`crate::binaries`]) with none of its
/// settings inherited from the environment.
pub fn portal_command() -> Command {
    portal_command_at(&crate::binaries::portal())
}

/// The `appdesk-portal` binary at `bin`, with none of its settings inherited.
pub fn portal_command_at(bin: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env_remove("APPDESK_PORTAL_DATABASE")
        .env_remove("APPDESK_PORTAL_LISTEN")
        .env_remove("APPDESK_PORTAL_KEY_FILE")
        .env_remove("APPDESK_PORTAL_PUBLIC_URL")
        .env_remove("APPDESK_PORTAL_TRUSTED_PROXY")
        .env_remove("APPDESK_PORTAL_AUDIT_RETENTION_DAYS")
        .env_remove("APPDESK_PORTAL_HEADER_TIMEOUT")
        .env_remove("APPDESK_PORTAL_IDLE_TIMEOUT")
        .env_remove("APPDESK_PORTAL_BODY_TIMEOUT")
        .env_remove("APPDESK_PORTAL_REQUEST_TIMEOUT")
        .env_remove("APPDESK_PORTAL_DRAIN_TIMEOUT")
        .env_remove("APPDESK_PORTAL_MAX_CONNECTIONS")
        .env_remove("APPDESK_PORTAL_POOL_SIZE")
        .env_remove("APPDESK_PORTAL_POOL_TIMEOUT");
    cmd
}

/// Runs `appdesk-portal ARGS --database URL`, which must succeed, and returns
/// what it prints on stdout.
pub fn run_quiet(database: &str, args: &[&str]) -> String {
    let out = portal_command()
        .args(args)
        .args(["--database", database])
        .output()
        .expect("run appdesk-portal");
    assert!(
        out.status.success(),
        "appdesk-portal {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `appdesk-portal ARGS --database URL`, which must succeed, and returns the
/// one line it prints.
pub fn run_command(database: &str, args: &[&str]) -> String {
    let stdout = run_quiet(database, args);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "appdesk-portal {args:?} printed {stdout:?}, not one line"
    );
    lines[0].trim().to_owned()
}

/// A running `appdesk-portal serve`.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

/// How to start a server again: its binary, database, key file and any other
/// `serve` flags.
#[derive(Debug, Clone)]
pub struct ServerSetup {
    pub bin: PathBuf,
    pub database: String,
    pub key_file: PathBuf,
    /// More `serve` flags (e.g. shorter timeouts for a test).
    pub args: Vec<String>,
}

impl ServerSetup {
    /// The `serve` command on `listen` (`127.0.0.1:0` for a random port).
    pub fn command(&self, listen: &str) -> Command {
        let mut cmd = portal_command_at(&self.bin);
        cmd.args(["serve", "--listen", listen, "--database", &self.database])
            .arg("--key-file")
            .arg(&self.key_file)
            .args(&self.args);
        cmd
    }

    /// `appdesk-portal key init` of this setup's key file, unless it exists:
    /// `serve` never creates one.
    pub fn init_key(&self) {
        if self.key_file.exists() {
            return;
        }
        let out = portal_command_at(&self.bin)
            .args(["key", "init", "--key-file"])
            .arg(&self.key_file)
            .output()
            .expect("run appdesk-portal key init");
        assert!(
            out.status.success(),
            "appdesk-portal key init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Server {
    /// Starts `serve --listen 127.0.0.1:0` on `database`, with the key file that
    /// seals secrets at `key_file` (made by `key init` first if it is missing),
    /// and waits for its `listening` line.
    pub fn start(database: &str, key_file: &Path) -> Server {
        Server::start_with(&ServerSetup {
            bin: crate::binaries::portal(),
            database: database.to_owned(),
            key_file: key_file.to_owned(),
            args: Vec::new(),
        })
    }

    /// Starts `setup` on a random loopback port (its key file made by `key init`
    /// first if it is missing).
    pub fn start_with(setup: &ServerSetup) -> Server {
        setup.init_key();
        Server::spawn(setup.command("127.0.0.1:0"))
    }

    /// Starts `setup` on `addr`, the address a killed server had, so that clients
    /// that stored its URL reach the new one. The port may still be held for a
    /// moment after a kill: retried for up to 30 s.
    pub fn start_on(setup: &ServerSetup, addr: SocketAddr) -> Server {
        let started = std::time::Instant::now();
        loop {
            match Server::try_spawn(setup.command(&addr.to_string())) {
                Ok(server) => return server,
                Err(why) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = why;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(why) => panic!("appdesk-portal did not start again on {addr}: {why}"),
            }
        }
    }

    /// Starts a prepared `serve` command and waits for its `listening` line.
    pub fn spawn(cmd: Command) -> Server {
        Server::try_spawn(cmd).unwrap_or_else(|why| panic!("{why}"))
    }

    /// Like [`Server::spawn`], but a server that ends before it listens is an
    /// `Err` with what it printed.
    pub fn try_spawn(mut cmd: Command) -> Result<Server, String> {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn appdesk-portal serve");
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (port_tx, port_rx) = mpsc::channel();
        {
            let lines = Arc::clone(&stdout);
            let pipe = child.stdout.take().expect("piped stdout");
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if let Some(addr) = listening_addr(&line) {
                        let _ = port_tx.send(addr);
                    }
                    lines.lock().unwrap().push(line);
                }
            });
        }
        {
            let text = Arc::clone(&stderr);
            let mut pipe = child.stderr.take().expect("piped stderr");
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    text.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        // The sender is dropped when stdout ends: a server that exits fails fast.
        let addr = match port_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                return Err(format!(
                    "appdesk-portal serve printed no listening line ({status:?}); stdout: {:?} stderr: {}",
                    stdout.lock().unwrap(),
                    stderr.lock().unwrap()
                ));
            }
        };
        Ok(Server {
            child,
            addr,
            stdout,
            stderr,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every line the server printed on stdout so far (its request log).
    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// What the server printed on stderr so far.
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown code runs, as in a crash or an OOM kill.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The address in a `{"msg":"listening","addr":"…"}` line.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let value: Value = serde_json::from_str(line).ok()?;
    if value.get("msg")?.as_str()? != "listening" {
        return None;
    }
    value.get("addr")?.as_str()?.parse().ok()
}
