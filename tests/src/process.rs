//! The tauri-driver process of one launch, and how it is stopped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// tauri-driver, started for one test; stopped with SIGTERM when dropped.
#[derive(Debug)]
pub struct DriverProcess {
    child: Option<Child>,
    /// The app's database: identifies the app processes this launch started.
    db: PathBuf,
}

impl DriverProcess {
    /// Starts `tauri-driver --port PORT --native-port NATIVE` with `env` set (the
    /// app it starts inherits it). `TAURI_DRIVER` names another executable.
    pub fn start(port: u16, native: u16, env: &[(&str, String)], db: &Path) -> DriverProcess {
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut cmd = Command::new(&program);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {program} (cargo install tauri-driver --locked): {e}")
        });
        DriverProcess {
            child: Some(child),
            db: db.to_owned(),
        }
    }

    /// Stops tauri-driver with SIGTERM (it then stops WebKitWebDriver), waits
    /// for it, and ends any app process of this launch that is left.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal("TERM", child.id());
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(5) {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
        for pid in app_processes(&self.db) {
            signal("TERM", pid);
        }
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn signal(name: &str, pid: u32) {
    let _ = Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status();
}

/// Processes whose environment has `APPDESK_DB=<db>`: the app this launch
/// started (and nothing else, since the database is in a fresh temp dir).
pub fn app_processes(db: &Path) -> Vec<u32> {
    launched(db, "appdesk-desktop")
        .into_iter()
        .map(|(pid, _)| pid)
        .collect()
}

/// The environment WebKit's web process of this launch's app started with
/// (it inherits the app's, `APPDESK_DB` included), if it runs.
pub fn web_process_environment(db: &Path) -> Option<Vec<String>> {
    launched(db, "WebKitWebProcess")
        .into_iter()
        .next()
        .map(|(_, environ)| environ)
}

/// Processes whose executable's name starts with `exe` and whose environment
/// has `APPDESK_DB=<db>`, each with that environment.
fn launched(db: &Path, exe: &str) -> Vec<(u32, Vec<String>)> {
    let wanted = format!("APPDESK_DB={}", db.display());
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        let path = std::fs::read_link(entry.path().join("exe")).unwrap_or_default();
        let named = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(exe));
        let environ: Vec<String> = environ
            .split(|b| *b == 0)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect();
        if named && environ.contains(&wanted) {
            found.push((pid, environ));
        }
    }
    found
}
