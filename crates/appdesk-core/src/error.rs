//! The one error type of the core.
//!
//! Every failure a user can cause is a variant with a stable `code` and, where it
//! is about one input, the `field` it names, so that the CLI can print a line that
//! says what is wrong and the desktop UI can put the message next to the field.
//! [`ErrorBody`] is that `{code, message, field}` shape, serialized at every
//! boundary.

use serde::{Deserialize, Serialize};

/// Every kind of failure, the core's and the layers' above it, as the stable
/// strings that `--json` callers and the UI branch on (`"not_found"`, `"io"` …).
/// The UI gets this enum through ts-rs, so its `switch` on a code is checked for
/// exhaustiveness: a new code is added here, and the UI's type check then
/// points at every place that must handle it.
///
/// Deserialize reads exactly these strings and refuses any other: a code a
/// newer portal sends that this build does not know is kept readable by the
/// wire's `appdesk_protocol::Code`, not by a catch-all variant here (which
/// every `switch` in the UI would then have to handle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    /// Validation problems, each naming its field.
    Invalid,
    /// Files to import have problems.
    InvalidFile,
    NotFound,
    Ambiguous,
    Conflict,
    NotAllowed,
    SchemaTooNew,
    OpenFailed,
    /// A read-only command named a database file that does not exist.
    NoDatabase,
    /// A write to a database this process can only read.
    ReadOnly,
    /// Every pooled database connection stayed in use past the acquire timeout.
    Busy,
    /// A stored value that does not read back as what Appdesk wrote.
    Corrupt,
    /// An import was confirmed against a plan that no longer holds.
    PlanChanged,
    Secrets,
    Catalog,
    Database,
    /// A file the CLI or the window could not read or write.
    Io,
    /// A failure of the program itself (a task that died), not of the input.
    Internal,
    /// The command line could not be parsed (CLI exit code 2).
    Usage,
    /// The result could not be written (e.g. as JSON).
    Output,
    /// No bearer token, or one that is unknown or revoked (the portal, 401).
    Unauthorized,
    /// A request the portal cannot read: not JSON, a bad header (400).
    Malformed,
    /// `If-Match` names another revision than the app's current one (412).
    PreconditionFailed,
    /// A write to an existing app without `If-Match` (428).
    PreconditionRequired,
    /// No such method on that path (405).
    MethodNotAllowed,
    /// A request body over the portal's limit (413).
    TooLarge,
    /// A change-feed cursor older than what the portal keeps (410).
    Gone,
    /// An `Idempotency-Key` sent again with another request (422).
    IdempotencyKeyReused,
    /// The first request with that `Idempotency-Key` is still running (409).
    InProgress,
    /// A sync could not reach the portal (refused, reset, no route, TLS).
    Unreachable,
    /// The portal did not answer in time.
    Timeout,
    /// The portal answered with a server error or something it should not
    /// have (a 5xx, a body that is not its API's).
    RemoteFailed,
    /// A write with the portal console's session cookie that did not come
    /// from the console's own origin (403): a cross-site request forgery.
    CrossOrigin,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 33] = [
        ErrorCode::Invalid,
        ErrorCode::InvalidFile,
        ErrorCode::NotFound,
        ErrorCode::Ambiguous,
        ErrorCode::Conflict,
        ErrorCode::NotAllowed,
        ErrorCode::SchemaTooNew,
        ErrorCode::OpenFailed,
        ErrorCode::NoDatabase,
        ErrorCode::ReadOnly,
        ErrorCode::Busy,
        ErrorCode::Corrupt,
        ErrorCode::PlanChanged,
        ErrorCode::Secrets,
        ErrorCode::Catalog,
        ErrorCode::Database,
        ErrorCode::Io,
        ErrorCode::Internal,
        ErrorCode::Usage,
        ErrorCode::Output,
        ErrorCode::Unauthorized,
        ErrorCode::Malformed,
        ErrorCode::PreconditionFailed,
        ErrorCode::PreconditionRequired,
        ErrorCode::MethodNotAllowed,
        ErrorCode::TooLarge,
        ErrorCode::Gone,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::InProgress,
        ErrorCode::Unreachable,
        ErrorCode::Timeout,
        ErrorCode::RemoteFailed,
        ErrorCode::CrossOrigin,
    ];

    /// The serialized string, e.g. `"schema_too_new"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::InvalidFile => "invalid_file",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Ambiguous => "ambiguous",
            ErrorCode::Conflict => "conflict",
            ErrorCode::NotAllowed => "not_allowed",
            ErrorCode::SchemaTooNew => "schema_too_new",
            ErrorCode::OpenFailed => "open_failed",
            ErrorCode::NoDatabase => "no_database",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::Busy => "busy",
            ErrorCode::Corrupt => "corrupt",
            ErrorCode::PlanChanged => "plan_changed",
            ErrorCode::Secrets => "secrets",
            ErrorCode::Catalog => "catalog",
            ErrorCode::Database => "database",
            ErrorCode::Io => "io",
            ErrorCode::Internal => "internal",
            ErrorCode::Usage => "usage",
            ErrorCode::Output => "output",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Malformed => "malformed",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::PreconditionRequired => "precondition_required",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Gone => "gone",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::InProgress => "in_progress",
            ErrorCode::Unreachable => "unreachable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::RemoteFailed => "remote_failed",
            ErrorCode::CrossOrigin => "cross_origin",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers compare with the documented string: `code == "conflict"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

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

    #[error(
        "{query:?} matches {count} apps: {}; give the app id of the one you mean",
        .matches.join(", ")
    )]
    AmbiguousApp {
        query: String,
        count: usize,
        /// Each match: its name, its id and what matched the query.
        matches: Vec<String>,
    },

    /// The action clashes with the state (already connected, already created);
    /// `field` names the input that clashes (`tenant`, `app`).
    #[error("{message}")]
    Conflict { field: String, message: String },

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

    #[error(
        "there is no database at {path}; nothing was created (check the path; \
         commands that add data, such as `app new` or `import`, create it)"
    )]
    NoDatabase { path: String },

    #[error(
        "the database {path} is read-only here (no write permission on the file or \
         its folder); {action}"
    )]
    ReadOnly { path: String, action: String },

    /// The store could not get a database connection in time.
    #[error("database busy: {0}")]
    Busy(String),

    /// A stored value that does not read back as what Appdesk wrote: the
    /// database was damaged or edited by hand. Never read as "empty".
    #[error("the database is damaged: table {table}, row {row}, column {column}: {reason}")]
    Corrupt {
        table: String,
        row: String,
        column: String,
        reason: String,
    },

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

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn not_allowed(field: Option<&str>, message: impl Into<String>) -> Self {
        Error::NotAllowed {
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    /// A stable, machine-readable code for the kind of failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::Import(_) => ErrorCode::InvalidFile,
            Error::AppNotFound(_) => ErrorCode::NotFound,
            Error::AmbiguousApp { .. } => ErrorCode::Ambiguous,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::NotAllowed { .. } => ErrorCode::NotAllowed,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::Open { .. } => ErrorCode::OpenFailed,
            Error::NoDatabase { .. } => ErrorCode::NoDatabase,
            Error::ReadOnly { .. } => ErrorCode::ReadOnly,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Corrupt { .. } => ErrorCode::Corrupt,
            Error::Write { .. } => ErrorCode::Io,
            Error::PlanChanged { .. } => ErrorCode::PlanChanged,
            Error::Secrets(_) => ErrorCode::Secrets,
            Error::Catalog(_) => ErrorCode::Catalog,
            Error::Database(_) => ErrorCode::Database,
        }
    }

    /// The input field the error is about, where there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid(problems) => problems.first().map(|p| p.field.as_str()),
            Error::Import(problems) => problems.first().map(|p| p.path.as_str()),
            Error::AppNotFound(_) | Error::AmbiguousApp { .. } => Some("app"),
            Error::Conflict { field, .. } => Some(field),
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
    pub fn new(code: ErrorCode, field: Option<&str>, message: impl Into<String>) -> ErrorBody {
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
    pub code: ErrorCode,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The strings are a contract (CLI `--json`, the UI): each code serializes to
    /// its documented string, and `as_str` agrees with serde.
    #[test]
    fn every_code_serializes_to_its_documented_string() {
        let documented = [
            "invalid",
            "invalid_file",
            "not_found",
            "ambiguous",
            "conflict",
            "not_allowed",
            "schema_too_new",
            "open_failed",
            "no_database",
            "read_only",
            "busy",
            "corrupt",
            "plan_changed",
            "secrets",
            "catalog",
            "database",
            "io",
            "internal",
            "usage",
            "output",
            "unauthorized",
            "malformed",
            "precondition_failed",
            "precondition_required",
            "method_not_allowed",
            "too_large",
            "gone",
            "idempotency_key_reused",
            "in_progress",
            "unreachable",
            "timeout",
            "remote_failed",
            "cross_origin",
        ];
        for (code, text) in ErrorCode::ALL.iter().zip(documented) {
            assert_eq!(serde_json::to_value(code).unwrap(), text);
            assert_eq!(code.as_str(), text);
        }
        assert_eq!(ErrorCode::ALL.len(), documented.len());
    }

    /// A client reads the portal's codes back: each documented string, and
    /// nothing else (an unknown one is the wire's concern, not a variant).
    #[test]
    fn every_documented_code_reads_back_and_an_unknown_one_is_refused() {
        for code in ErrorCode::ALL {
            let text = format!("\"{}\"", code.as_str());
            assert_eq!(serde_json::from_str::<ErrorCode>(&text).unwrap(), code);
        }
        for unknown in ["\"teapot\"", "\"Invalid\"", "\"\"", "7"] {
            assert!(
                serde_json::from_str::<ErrorCode>(unknown).is_err(),
                "{unknown}"
            );
        }
    }

    #[test]
    fn a_conflict_names_its_field() {
        let err = Error::conflict("tenant", "tenant 1 is already connected");
        let body = err.body();
        assert_eq!(body.code, ErrorCode::Conflict);
        assert_eq!(body.field.as_deref(), Some("tenant"));
        assert_eq!(body.message, "tenant 1 is already connected");
    }
}
