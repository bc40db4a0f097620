//! The sync itself: pull, merge, push, pull again.

use appdesk_core::Store;

use crate::error::Result;
use crate::report::{Mode, Progress, Report};

/// Syncs `store` with its remote (`remote`: its name; optional when there is
/// one), or with [`Mode::Plan`] computes what a sync would do and writes
/// nothing. Blocking.
pub fn sync(
    store: &Store,
    remote: Option<&str>,
    mode: Mode,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report> {
    let _ = (store, remote, mode, progress);
    Err(crate::Error::Remote {
        code: appdesk_core::ErrorCode::Internal,
        message: "sync is not built yet".to_owned(),
    })
}
