//! An app's identity is immutable on pull (issue 18, item 8): its id and its
//! app key (R4: a key never changes once anyone has seen it). The portal is
//! input like any other; an answer that would give a local app another id or
//! key, or a key that is not one, is refused naming the app, and nothing is
//! stored. The one exception is the portal's answer to this client's own
//! create: the portal decides keys and may keep another id than the one
//! proposed (the proposed one was retired there), before anyone else has seen
//! the app.
//!
//! Pure: the store hands in what it knows and what the portal sent.

use super::merge::Snapshot;
use crate::error::{Error, Result};
use crate::secrets::is_app_key;

/// What a pull or an acknowledgement may change of an app's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A pulled state, or the answer to an edit: nothing.
    Kept,
    /// The answer to this client's own create (or its applied create, folded
    /// from a lost answer): the id and key the portal chose.
    Created,
}

/// Checks `theirs`, which the portal sent for the app this database knows as
/// `id` (with the key `mine_key`, if it has the app).
pub fn check(id: &str, mine_key: Option<&str>, theirs: &Snapshot, answer: Answer) -> Result<()> {
    let field = |name: &str| format!("apps[{id}].{name}");
    if !is_app_key(&theirs.app_key) {
        let shown: String = theirs.app_key.chars().take(40).collect();
        return Err(Error::invalid(
            field("appKey"),
            format!(
                "the portal sent app {id} with {shown:?}, which is not an app key (ak1. and 25 \
                 of a-z, 0-9); nothing of it was stored"
            ),
        ));
    }
    if answer == Answer::Created {
        return Ok(());
    }
    if theirs.id != id {
        return Err(Error::invalid(
            field("id"),
            format!(
                "the portal sent app {id} under another id ({}); an app's id never changes, so \
                 nothing of it was stored",
                theirs.id
            ),
        ));
    }
    if let Some(mine) = mine_key
        && mine != theirs.app_key
    {
        return Err(Error::invalid(
            field("appKey"),
            format!(
                "the portal sent app {id} with another app key ({}) than the one it has here \
                 ({mine}); an app key never changes, so nothing of it was stored",
                theirs.app_key
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Audience, Credentials};

    const KEY: &str = "ak1.abcdefghijklmnopqrstuvwxy";

    fn app(id: &str, key: &str) -> Snapshot {
        Snapshot {
            id: id.into(),
            app_key: key.into(),
            name: "Board".into(),
            organization: "Acme".into(),
            homepage_url: "https://acme.example".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            scopes: Default::default(),
            tenants: Default::default(),
        }
    }

    #[test]
    fn a_pulled_app_keeps_its_id_and_key() {
        assert!(check("a", Some(KEY), &app("a", KEY), Answer::Kept).is_ok());
        assert!(check("a", None, &app("a", KEY), Answer::Kept).is_ok());
        let other_key = "ak1.zzzzzzzzzzzzzzzzzzzzzzzzz";
        for (theirs, field) in [
            (app("b", KEY), "apps[a].id"),
            (app("a", other_key), "apps[a].appKey"),
            (app("a", ""), "apps[a].appKey"),
            (app("a", "ak1.short"), "apps[a].appKey"),
            (app("a", "ak1.ABCDEFGHIJKLMNOPQRSTUVWXY"), "apps[a].appKey"),
        ] {
            let err = check("a", Some(KEY), &theirs, Answer::Kept).unwrap_err();
            assert_eq!(err.code(), "invalid");
            assert_eq!(err.body().field.as_deref(), Some(field), "{err}");
        }
    }

    #[test]
    fn the_answer_to_a_create_may_choose_the_id_and_key_but_not_a_bad_key() {
        let other_key = "ak1.zzzzzzzzzzzzzzzzzzzzzzzzz";
        assert!(check("a", Some(KEY), &app("b", other_key), Answer::Created).is_ok());
        assert!(check("a", Some(KEY), &app("a", ""), Answer::Created).is_err());
    }
}
