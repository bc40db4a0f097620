//! A throwaway PostgreSQL cluster for the tests: Debian's `initdb` and `pg_ctl` in a
//! temp dir, on a free loopback port, run as the `postgres` user when the tests run
//! as root (PostgreSQL refuses root).
//!
//! It must never outlive the tests. A [`Cluster`] stops itself on drop, and a
//! watchdog process stops it too when the test process is gone: a cluster kept in a
//! `static` (one per test binary, see [`shared`]) is never dropped, and a test
//! binary that is killed runs no destructor.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

/// The role every test connects as (trust authentication, loopback only).
pub const ROLE: &str = "appdesk";

/// A running PostgreSQL cluster in a temp dir.
#[derive(Debug)]
pub struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
    /// The `-o` options it was started with, for [`Cluster::start_again`].
    options: String,
    watchdog: Option<Child>,
}

/// One cluster for the whole test binary: each test takes a database of its own in
/// it ([`Cluster::create_database`]), which is much faster than a cluster each.
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(|| Cluster::start(FAST_UNSAFE))
}

/// Settings that make a test cluster faster and a crash of the machine fatal to
/// its data, which a throwaway cluster never outlives. Not for measurements.
pub const FAST_UNSAFE: &[&str] = &["fsync=off", "full_page_writes=off"];

/// The directory of Debian's PostgreSQL programs: where `initdb` on PATH really
/// lives, else the newest `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("initdb"))
            .find(|p| p.is_file())
    });
    if let Some(initdb) = on_path {
        let real = std::fs::canonicalize(&initdb).unwrap_or(initdb);
        return real.parent().expect("initdb has a parent dir").to_owned();
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("initdb").is_file());
    // Newest major version last: compare as numbers, "9.6" < "15".
    dirs.sort_by_key(|d| {
        let version = d
            .parent()
            .and_then(Path::file_name)
            .map(|v| v.to_string_lossy().into_owned());
        version.and_then(|v| v.split('.').next().and_then(|m| m.parse::<u32>().ok()))
    });
    dirs.pop().expect(
        "PostgreSQL is not installed: no initdb on PATH nor under /usr/lib/postgresql/*/bin \
         (apt-get install postgresql, or scripts/system-packages --test)",
    )
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// A PostgreSQL program, as the `postgres` user when we are root.
fn pg_command(bin: &Path, program: &str) -> Command {
    if running_as_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(program));
        cmd
    } else {
        Command::new(bin.join(program))
    }
}

fn run(cmd: &mut Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A loopback port that was free a moment ago (the caller retries if it is taken).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("a local address").port()
}

impl Cluster {
    /// initdb and start a cluster; `settings` are extra `-c name=value` options.
    pub fn start(settings: &[&str]) -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("appdesk-pg-")
            .tempdir()
            .expect("a temp dir");
        if running_as_root() {
            run(
                Command::new("chown").arg("postgres:").arg(dir.path()),
                "chown the cluster dir to postgres",
            );
        }
        let data = dir.path().join("data");
        run(
            pg_command(&bin, "initdb")
                .arg("-D")
                .arg(&data)
                .args(["-A", "trust", "-U", ROLE, "-E", "UTF8", "--locale=C"])
                .args(["--no-sync", "--no-instructions"]),
            "initdb",
        );
        let mut options = format!(
            "-k {} -c listen_addresses=127.0.0.1 -c max_connections=400",
            dir.path().display()
        );
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        // Another process may take the port between our check and the start: retry.
        for _ in 0..5 {
            let port = free_port();
            let started = pg_command(&bin, "pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.path().join("log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!("-p {port} {options}"))
                .arg("start")
                .output()
                .expect("run pg_ctl start");
            if started.status.success() {
                let mut cluster = Cluster {
                    dir,
                    bin,
                    port,
                    options,
                    watchdog: None,
                };
                cluster.watchdog = Some(cluster.spawn_watchdog());
                return cluster;
            }
        }
        let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
        panic!("PostgreSQL did not start on a free port; its log:\n{log}");
    }

    /// The directory of the cluster (data, log, socket).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The process id of the postmaster (the first line of `postmaster.pid`).
    pub fn postmaster_pid(&self) -> u32 {
        let text = std::fs::read_to_string(self.dir.path().join("data/postmaster.pid"))
            .expect("postmaster.pid of a running cluster");
        text.lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .expect("a pid")
    }

    /// The libpq URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{db}", self.port)
    }

    /// A new empty database with a name no other test in this process uses.
    pub fn create_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        name
    }

    /// `psql` on database `db`: runs `sql` and returns its unaligned, tuples-only
    /// output (`|` between columns). Fails the test on any SQL error.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = run(self.psql_command(db).arg("-c").arg(sql), "psql");
        String::from_utf8(out.stdout).expect("psql prints UTF-8")
    }

    /// `psql` on database `db`, ready for `-c` or stdin.
    pub fn psql_command(&self, db: &str) -> Command {
        let mut cmd = Command::new(self.program("psql"));
        cmd.args([
            "-X",
            "-q",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-U",
            ROLE,
        ])
        .arg("-p")
        .arg(self.port.to_string())
        .args(["-d", db]);
        cmd
    }

    /// Everything in database `db`, as `pg_dump --data-only` prints it.
    pub fn dump(&self, db: &str) -> String {
        let out = run(
            Command::new(self.program("pg_dump"))
                .args(["--data-only", "-h", "127.0.0.1", "-U", ROLE])
                .arg("-p")
                .arg(self.port.to_string())
                .arg(db),
            "pg_dump",
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Database `db` as SQL (schema and data), as `pg_dump` prints it for a backup.
    pub fn dump_sql(&self, db: &str) -> String {
        let out = run(
            Command::new(self.program("pg_dump"))
                .args(["--no-owner", "-h", "127.0.0.1", "-U", ROLE])
                .arg("-p")
                .arg(self.port.to_string())
                .arg(db),
            "pg_dump",
        );
        String::from_utf8(out.stdout).expect("pg_dump prints UTF-8")
    }

    /// Runs an SQL script (e.g. a dump) on database `db` through `psql`'s stdin.
    pub fn psql_script(&self, db: &str, script: &str) {
        let mut psql = self
            .psql_command(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn psql");
        let mut stdin = psql.stdin.take().expect("psql stdin");
        std::io::Write::write_all(&mut stdin, script.as_bytes()).expect("write to psql");
        drop(stdin);
        assert!(
            psql.wait().expect("psql ends").success(),
            "psql failed on the script"
        );
    }

    /// A client program of the same PostgreSQL, or the one on PATH.
    fn program(&self, name: &str) -> PathBuf {
        let beside = self.bin.join(name);
        if beside.is_file() {
            beside
        } else {
            PathBuf::from(name)
        }
    }

    /// Stops the cluster at once (no checkpoint: its data is thrown away).
    pub fn stop(&self) {
        let _ = pg_command(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["stop", "-m", "immediate"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Starts a cluster stopped by [`Cluster::stop`] again, on the same port and
    /// data (an immediate stop is recovered from the WAL, as after a crash).
    pub fn start_again(&self) {
        run(
            pg_command(&self.bin, "pg_ctl")
                .arg("-D")
                .arg(self.dir.path().join("data"))
                .arg("-l")
                .arg(self.dir.path().join("log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!("-p {} {}", self.port, self.options))
                .arg("start"),
            "pg_ctl start (again)",
        );
    }

    /// A shell that waits for this test process to end, then stops the cluster and
    /// removes its dir. In a process group of its own, so that a Ctrl-C meant for
    /// the tests does not end it first.
    fn spawn_watchdog(&self) -> Child {
        let mut stop = pg_command(&self.bin, "pg_ctl");
        stop.arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["stop", "-m", "immediate"]);
        let stop_line: Vec<String> = std::iter::once(stop.get_program())
            .chain(stop.get_args())
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = std::process::id(),
            stop = stop_line.join(" "),
            dir = shell_quote(&self.dir.path().to_string_lossy()),
        );
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("spawn the cluster's watchdog")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
    }
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
