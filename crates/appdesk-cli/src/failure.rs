//! Why a command failed, as the user and a script see it.
//!
//! Every failure, whether the core's [`appdesk_core::Error`], a usage error from
//! clap, or a file the CLI could not read, becomes one [`ErrorBody`]
//! (`{code, message, field, problems}`), so that `--json` callers get one shape to
//! branch on and people get one line that names the field or input at fault.

use appdesk_core::{Error, ErrorBody, ErrorCode};

use crate::output::shown;

/// A failed command: the core's error body, or one the CLI made in the same shape.
#[derive(Debug)]
pub struct Failure(ErrorBody);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(e.body())
    }
}

impl From<appdesk_sync::Error> for Failure {
    fn from(e: appdesk_sync::Error) -> Self {
        Failure(e.body())
    }
}

impl Failure {
    pub fn new(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Failure(ErrorBody::new(code, Some(field), message))
    }

    /// What kind of failure it is.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// Names `field` as the input at fault when the core named none (the core
    /// cannot know that a path came from `--db` or `--catalog`).
    pub fn blaming(mut self, field: &str) -> Self {
        self.0.field.get_or_insert_with(|| field.to_owned());
        self
    }

    /// The secret store fails only over the key file (`--key-file`, or its default
    /// beside the database), so that is the input to name; a missing or read-only
    /// database is about `--db`.
    pub fn with_default_field(self) -> Self {
        match self.0.code {
            ErrorCode::Secrets => self.blaming("key-file"),
            ErrorCode::NoDatabase | ErrorCode::ReadOnly => self.blaming("db"),
            _ => self,
        }
    }

    /// A clap usage error, for `--json` callers (exit code 2, as clap's own).
    pub fn usage(e: &clap::Error) -> Self {
        use clap::error::{ContextKind, ContextValue};
        let field = match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => arg_name(arg),
            Some(ContextValue::Strings(args)) if !args.is_empty() => arg_name(&args[0]),
            _ if e.get(ContextKind::InvalidSubcommand).is_some() => "command".to_owned(),
            _ => "arguments".to_owned(),
        };
        // The message is the text up to the usage line, on one line.
        let text = e.to_string();
        let message: Vec<&str> = text
            .lines()
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect();
        let message = message.join(" ");
        Failure::new(
            ErrorCode::Usage,
            &field,
            message.trim_start_matches("error: "),
        )
    }

    /// One line naming the field, then (for several problems) one indented line
    /// per problem. Each message is one line; it may quote hostile input, so
    /// every part is escaped ([`shown`]) and cannot start a line of its own.
    pub fn human(&self) -> String {
        let body = &self.0;
        let message = shown(&body.message);
        if !body.file_problems.is_empty() {
            // Each names its own place: file:line:column: $.path: message.
            let mut out = format!("error: {message}");
            if body.file_problems.len() > 1 {
                for p in &body.file_problems {
                    out.push_str(&format!("\n  {}", shown(&p.to_string())));
                }
            }
            return out;
        }
        let mut out = match &body.field {
            Some(field) if !body.message.starts_with(&format!("{field}:")) => {
                format!("error: {}: {message}", shown(field))
            }
            _ => format!("error: {message}"),
        };
        if body.problems.len() > 1 {
            for p in &body.problems {
                out.push_str(&format!("\n  {}: {}", shown(&p.field), shown(&p.message)));
            }
        }
        out
    }

    /// The error body as one line of JSON.
    pub fn json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| {
            format!(
                r#"{{"code":"{}","message":"unprintable error"}}"#,
                self.0.code
            )
        })
    }
}

/// `--audience <A>` → `audience`; `<APP>` → `app`.
fn arg_name(arg: &str) -> String {
    let name = arg.split([' ', '=']).next().unwrap_or(arg);
    name.trim_start_matches(['<', '-'])
        .trim_end_matches(['>', '.'])
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usage_argument_is_named_as_a_field() {
        assert_eq!(arg_name("--audience <A>"), "audience");
        assert_eq!(arg_name("<APP>"), "app");
        assert_eq!(arg_name("--tenant <ID>"), "tenant");
        assert_eq!(arg_name("<--name <N>|--org <O>>"), "name");
    }

    #[test]
    fn the_human_line_names_the_field_once() {
        let missing = Failure::from(Error::AppNotFound("x".into()));
        assert!(missing.human().starts_with("error: app: no app matches"));
        let invalid = Failure::from(Error::invalid("name", "Name is required"));
        assert_eq!(invalid.human(), "error: name: Name is required");
    }
}
