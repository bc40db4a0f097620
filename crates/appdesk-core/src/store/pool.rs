//! A bounded pool of SQLite connections.
//!
//! A caller takes a connection, does its work and gives it back. At most
//! [`POOL_MAX`] connections are open at once: a caller that finds all of them
//! lent waits, up to [`ACQUIRE_TIMEOUT`], for one to come back, then gets an
//! error that says how many are in use. Without the bound a leak (a connection
//! never returned) would go unnoticed until the process ran out of file handles.
//!
//! The pool's lock is held only to take or return a connection, never while SQL
//! runs or while a new connection is being opened, so a slow caller cannot
//! freeze another.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Connections open at once, lent or idle.
pub(super) const POOL_MAX: usize = 8;
/// How long a caller waits for a lent connection to come back.
pub(super) const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(super) struct Pool {
    state: Mutex<State>,
    returned: Condvar,
    max: usize,
    timeout: Duration,
}

#[derive(Debug, Default)]
struct State {
    idle: Vec<Connection>,
    /// Connections that exist: idle, lent, or being opened.
    open: usize,
}

/// How many connections exist and how many of them are idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    pub open: usize,
    pub idle: usize,
}

impl Pool {
    pub(super) fn new(first: Connection, max: usize, timeout: Duration) -> Pool {
        Pool {
            state: Mutex::new(State {
                idle: vec![first],
                open: 1,
            }),
            returned: Condvar::new(),
            max: max.max(1),
            timeout,
        }
    }

    /// An idle connection, else a new one from `open` while under the bound,
    /// else the first one returned within the timeout.
    pub(super) fn acquire(&self, open: impl FnOnce() -> Result<Connection>) -> Result<Pooled<'_>> {
        let deadline = Instant::now() + self.timeout;
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(self.lend(conn));
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return open()
                    .map(|conn| self.lend(conn))
                    .inspect_err(|_| self.forget());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::Busy(format!(
                    "all {} database connections stayed in use for {} s",
                    self.max,
                    self.timeout.as_secs_f32()
                )));
            }
            state = self
                .returned
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn lend(&self, conn: Connection) -> Pooled<'_> {
        Pooled {
            conn: Some(conn),
            pool: self,
        }
    }

    /// Takes back a lent connection. One left inside a transaction is closed
    /// instead, so that nobody inherits half of someone else's work.
    fn release(&self, conn: Connection) {
        if conn.is_autocommit() {
            self.lock().idle.push(conn);
            self.returned.notify_one();
        } else {
            drop(conn);
            self.forget();
        }
    }

    /// A connection that will not come back (closed, or never opened).
    fn forget(&self) {
        let mut state = self.lock();
        state.open = state.open.saturating_sub(1);
        drop(state);
        self.returned.notify_one();
    }

    pub(super) fn state(&self) -> PoolState {
        let state = self.lock();
        PoolState {
            open: state.open,
            idle: state.idle.len(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A connection on loan from the pool; it goes back when dropped.
pub(super) struct Pooled<'a> {
    conn: Option<Connection>,
    pool: &'a Pool,
}

impl std::fmt::Debug for Pooled<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pooled").finish_non_exhaustive()
    }
}

impl Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.release(conn);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Result<Connection> {
        Ok(Connection::open_in_memory()?)
    }

    #[test]
    fn a_full_pool_waits_then_says_it_is_busy() {
        let pool = Pool::new(memory().unwrap(), 2, Duration::from_millis(50));
        let a = pool.acquire(memory).unwrap();
        let b = pool.acquire(memory).unwrap();
        assert_eq!(pool.state(), PoolState { open: 2, idle: 0 });
        let err = pool.acquire(memory).unwrap_err();
        assert_eq!(err.code(), "busy");
        assert!(
            err.to_string().contains("all 2 database connections"),
            "{err}"
        );
        drop(a);
        pool.acquire(memory)
            .expect("a returned connection is lent again");
        drop(b);
    }

    #[test]
    fn a_waiting_caller_gets_the_connection_another_returns() {
        let pool = std::sync::Arc::new(Pool::new(memory().unwrap(), 1, Duration::from_secs(10)));
        let held = pool.acquire(memory).unwrap();
        let waiter = {
            let pool = pool.clone();
            std::thread::spawn(move || pool.acquire(memory).map(|_| ()))
        };
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        waiter.join().unwrap().expect("woken by the release");
    }

    #[test]
    fn a_connection_left_in_a_transaction_is_closed_not_pooled() {
        let pool = Pool::new(memory().unwrap(), 2, Duration::from_millis(50));
        let conn = pool.acquire(memory).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        drop(conn);
        assert_eq!(pool.state(), PoolState { open: 0, idle: 0 });
    }

    #[test]
    fn a_failed_open_frees_its_place() {
        let pool = Pool::new(memory().unwrap(), 2, Duration::from_millis(50));
        let _first = pool.acquire(memory).unwrap();
        assert!(pool.acquire(|| Err(Error::Busy("no".into()))).is_err());
        assert_eq!(pool.state(), PoolState { open: 1, idle: 0 });
        pool.acquire(memory).expect("the failed open left room");
    }
}
