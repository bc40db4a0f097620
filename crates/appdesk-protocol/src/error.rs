//! The error body every failure answers with: `{code, message, field}`, plus
//! every problem of a validation error and, on a 412, the app's revision now.

use appdesk_core::ErrorCode;
use serde::de::IntoDeserializer;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The portal's error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Error))]
pub struct ErrorBody {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: Code,
    pub message: String,
    /// The input field at fault, where there is one (`null` otherwise).
    #[serde(default)]
    pub field: Option<String>,
    /// Every problem of a validation error (`code = "invalid"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Problem>>, nullable = false))]
    pub problems: Vec<Problem>,
    /// On 412: the app's revision now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub current_revision: Option<i64>,
}

impl ErrorBody {
    /// The core's body as the portal sends it. Its `fileProblems` (problems
    /// of files being imported) have no place here: the portal imports no
    /// files, so the core never reports any to it.
    pub fn from_core(body: appdesk_core::ErrorBody) -> ErrorBody {
        ErrorBody {
            code: Code::Known(body.code),
            message: body.message,
            field: body.field,
            problems: body.problems.into_iter().map(Problem::from).collect(),
            current_revision: None,
        }
    }
}

/// An error code as it crosses the wire: one of the core's [`ErrorCode`]s,
/// or, read from a portal newer than this build, a code it does not know.
/// That one stays readable (the text is kept for messages) instead of making
/// the whole answer unreadable; a caller branches on [`Code::known`] and
/// chooses its own fallback for `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Known(ErrorCode),
    Unknown(String),
}

impl Code {
    /// The core's code, if this build knows it.
    pub fn known(&self) -> Option<ErrorCode> {
        match self {
            Code::Known(code) => Some(*code),
            Code::Unknown(_) => None,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Code::Known(code) => code.as_str(),
            Code::Unknown(text) => text,
        }
    }
}

impl From<ErrorCode> for Code {
    fn from(code: ErrorCode) -> Self {
        Code::Known(code)
    }
}

impl PartialEq<ErrorCode> for Code {
    fn eq(&self, other: &ErrorCode) -> bool {
        self.known() == Some(*other)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    /// The core's own `Deserialize` decides what is known: no list of the
    /// strings is kept here.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let known: Result<ErrorCode, serde::de::value::Error> =
            ErrorCode::deserialize(text.as_str().into_deserializer());
        Ok(known.map(Code::Known).unwrap_or(Code::Unknown(text)))
    }
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl From<appdesk_core::Problem> for Problem {
    fn from(p: appdesk_core::Problem) -> Self {
        Problem {
            field: p.field,
            message: p.message,
        }
    }
}
