//! The engine's error: the core's, or a failure to talk to the portal, each
//! with a code of the core's [`ErrorCode`] so the CLI and the window branch on
//! one enum. Every remote failure names the remote and says what was kept.

use appdesk_core::{ErrorBody, ErrorCode};

#[derive(Debug)]
pub enum Error {
    Core(appdesk_core::Error),
    /// The portal could not be reached, answered too late, refused the
    /// token, or answered what its API does not.
    Remote {
        code: ErrorCode,
        message: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<appdesk_core::Error> for Error {
    fn from(e: appdesk_core::Error) -> Self {
        Error::Core(e)
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Core(e) => e.code(),
            Error::Remote { code, .. } => *code,
        }
    }

    /// The `{code, message, field}` shape every boundary prints.
    pub fn body(&self) -> ErrorBody {
        match self {
            Error::Core(e) => e.body(),
            Error::Remote { code, message } => ErrorBody::new(*code, Some("remote"), message),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Remote { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// What every remote failure adds: nothing local was dropped.
pub(crate) const NOTHING_LOST: &str =
    "nothing was lost: local changes stay queued and the next sync sends them";
