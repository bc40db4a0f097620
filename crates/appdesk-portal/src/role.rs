//! A member token's role (issue 22 §2): what it may do in its workspace.
//!
//! - a viewer reads only: any write is refused (403) before it is looked at;
//! - an editor writes apps, which is everything members did before roles
//!   (and what every token made before them is);
//! - an owner also manages the members and reads the audit log.
//!
//! This module only names roles and refuses; it does not look anything up.
//! Tenant admins have no role: what they may do is [`crate::tenant_admin`]'s.

use std::fmt;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Editor,
    Viewer,
}

/// What `--role` and a member's body accept.
pub const ROLES: &str = "owner, editor or viewer";

impl Role {
    /// `owner`, `editor` or `viewer`; anything else is refused, naming it
    /// and the `field` it came in.
    pub fn parse(text: &str, field: &str) -> Result<Role, AppError> {
        match text.trim() {
            "owner" => Ok(Role::Owner),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            other => Err(AppError::invalid(
                field,
                format!("{other:?} is not a role: a role is {ROLES}"),
            )),
        }
    }

    /// A role read back from the database (its check keeps it one of three).
    pub fn stored(text: &str) -> Result<Role, AppError> {
        Role::parse(text, "role")
            .map_err(|_| AppError::Internal(format!("a stored role {text:?} is none of {ROLES}")))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// 403 unless this role may write (a viewer may not).
    pub fn require_writer(self) -> Result<(), AppError> {
        if self == Role::Viewer {
            return Err(AppError::forbidden(
                "role",
                "this token's role is viewer: a viewer reads only; an owner of the workspace \
                 can make you an editor's token",
            ));
        }
        Ok(())
    }

    /// 403 unless this role is an owner's: `what` is what only owners do.
    pub fn require_owner(self, what: &str) -> Result<(), AppError> {
        if self != Role::Owner {
            return Err(AppError::forbidden(
                "role",
                format!("this token's role is {self}: only an owner of the workspace {what}"),
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_by_name_and_refuse_anything_else_by_name() {
        for role in [Role::Owner, Role::Editor, Role::Viewer] {
            assert_eq!(Role::parse(role.as_str(), "role").unwrap(), role);
        }
        let e = Role::parse("Owner ", "role").unwrap_err();
        assert!(e.to_string().contains("Owner"), "{e}");
        assert!(Role::Viewer.require_writer().is_err());
        assert!(Role::Editor.require_writer().is_ok());
        assert!(Role::Editor.require_owner("reads the audit log").is_err());
        assert!(Role::Owner.require_owner("reads the audit log").is_ok());
    }
}
