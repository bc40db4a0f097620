//! The one error type of the core.
//!
//! Every failure a user can cause is a variant with a stable `code` and, where it
//! is about one input, the `field` it names, so that the CLI can print a line that
//! says what is wrong and the desktop UI can put the message next to the field.
//! [`ErrorBody`] is that `{code, message, field}` shape, serialized at every
//! boundary.

use serde::Serialize;

/// One problem with one input field, as reported by validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// The field at fault, e.g. `name`, `homepageUrl`, `tenants[2].id`, `scopes`.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Validation found problems; all of them are listed, each naming its field.
    #[error("{}", summarize(.0))]
    Invalid(Vec<Problem>),

    /// Files to import have problems; each names its file, JSON path, line and column.
    #[error("{}", summarize_files(.0))]
    Import(Vec<crate::exchange::FileProblem>),

    #[error("no app matches {0:?} (give an app id, app key or exact name)")]
    AppNotFound(String),

    #[error("{query:?} matches {count} apps by name; give an app id or app key instead")]
    AmbiguousApp { query: String, count: usize },

    #[error("{0}")]
    Conflict(String),

    #[error("{message}")]
    NotAllowed {
        field: Option<String>,
        message: String,
    },

    #[error(
        "the database {path} has schema version {found}, newer than this build knows \
         ({known}); update Appdesk to open it"
    )]
    SchemaTooNew {
        path: String,
        found: i64,
        known: i64,
    },

    #[error("cannot open the database {path}: {reason}")]
    Open { path: String, reason: String },

    /// An export file could not be written (or something is in its way).
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },

    /// An import was confirmed against a plan that no longer holds: the files or
    /// the database changed since it was shown. Nothing was written.
    #[error(
        "the import changed since its plan was shown (fingerprint {expected}, now {found}); \
         nothing was imported: look at the new plan and confirm again"
    )]
    PlanChanged { expected: String, found: String },

    #[error("secret store: {0}")]
    Secrets(String),

    #[error("scope catalog: {0}")]
    Catalog(String),

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
}

fn summarize(problems: &[Problem]) -> String {
    match problems {
        [] => "invalid input".to_owned(),
        [one] => format!("{}: {}", one.field, one.message),
        [first, rest @ ..] => {
            format!(
                "{}: {} (and {} more problems)",
                first.field,
                first.message,
                rest.len()
            )
        }
    }
}

fn summarize_files(problems: &[crate::exchange::FileProblem]) -> String {
    match problems {
        [] => "nothing to import".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![Problem::new(field, message)])
    }

    pub fn not_allowed(field: Option<&str>, message: impl Into<String>) -> Self {
        Error::NotAllowed {
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    /// A stable, machine-readable code for the kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::Import(_) => "invalid_file",
            Error::AppNotFound(_) => "not_found",
            Error::AmbiguousApp { .. } => "ambiguous",
            Error::Conflict(_) => "conflict",
            Error::NotAllowed { .. } => "not_allowed",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Open { .. } => "open_failed",
            Error::Write { .. } => "io",
            Error::PlanChanged { .. } => "plan_changed",
            Error::Secrets(_) => "secrets",
            Error::Catalog(_) => "catalog",
            Error::Database(_) => "database",
        }
    }

    /// The input field the error is about, where there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid(problems) => problems.first().map(|p| p.field.as_str()),
            Error::Import(problems) => problems.first().map(|p| p.path.as_str()),
            Error::AppNotFound(_) | Error::AmbiguousApp { .. } => Some("app"),
            Error::NotAllowed { field, .. } => field.as_deref(),
            Error::Write { .. } => Some("path"),
            _ => None,
        }
    }

    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(problems) => problems,
            _ => &[],
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
            problems: self.problems().to_vec(),
            file_problems: match self {
                Error::Import(problems) => problems.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ErrorBody {
    /// A failure of a layer above the core (a file the shell could not write, a
    /// task that died), in the same shape as the core's own errors.
    pub fn new(code: &'static str, field: Option<&str>, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            code,
            message: message.into(),
            field: field.map(str::to_owned),
            problems: Vec::new(),
            file_problems: Vec::new(),
        }
    }
}

/// The serialized form of an [`Error`]: `{code, message, field, problems}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every problem, for validation errors (`code = "invalid"`); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<Problem>>", optional))]
    pub problems: Vec<Problem>,
    /// Every problem, for import errors (`code = "invalid_file"`); empty otherwise.
    #[serde(rename = "fileProblems", skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "ts",
        ts(as = "Option<Vec<crate::exchange::FileProblem>>", optional)
    )]
    pub file_problems: Vec<crate::exchange::FileProblem>,
}
