//! A transaction held open from the test's own `psql` session, to make a portal
//! request wait for real (on a PostgreSQL row lock) rather than by a sleep or a
//! hook in the server.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::cluster::Cluster;

/// An open transaction that has run `sql` (e.g. `SELECT … FOR UPDATE`); its locks
/// are held until [`HeldLock::release`] or drop.
#[derive(Debug)]
pub struct HeldLock {
    psql: Child,
}

impl HeldLock {
    /// Opens a transaction on `db`, runs `sql` in it and returns once it has run.
    pub fn hold(cluster: &Cluster, db: &str, sql: &str) -> HeldLock {
        let mut psql = cluster
            .psql_command(db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn psql");
        let stdin = psql.stdin.as_mut().expect("psql stdin");
        writeln!(stdin, "BEGIN;\n{sql};\nSELECT 'held';").expect("write to psql");
        stdin.flush().expect("flush psql stdin");
        let stdout = psql.stdout.take().expect("psql stdout");
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line.trim() == "held" => break,
                Some(Ok(_)) => continue,
                other => panic!("psql ended before holding the lock ({other:?}): {sql}"),
            }
        }
        HeldLock { psql }
    }

    /// Ends the transaction (a rollback) and the session.
    pub fn release(mut self) {
        self.end();
    }

    fn end(&mut self) {
        if let Some(mut stdin) = self.psql.stdin.take() {
            let _ = writeln!(stdin, "ROLLBACK;");
        }
        let _ = self.psql.wait();
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        let _ = self.psql.kill();
        let _ = self.psql.wait();
    }
}

/// Waits until at least `count` sessions of database `db` wait on a lock.
pub fn wait_for_lock_waiters(cluster: &Cluster, db: &str, count: usize) {
    let sql = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{db}' AND wait_event_type = 'Lock'"
    );
    crate::wait_until(
        "a request to wait on the held lock",
        Duration::from_secs(30),
        || {
            let waiting: usize = cluster.psql(db, &sql).trim().parse().expect("a count");
            waiting >= count
        },
    );
}
