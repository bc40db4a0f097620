//! The desktop app's "check for updates at start-up" setting, one row of the
//! database's `settings` table, so that it follows the database like the user
//! stamp does. The check itself is the desktop shell's.

use rusqlite::OptionalExtension;

use super::Store;
use crate::{Error, Result};

/// The `settings` key of the start-up check; absent means on.
const CHECK_AT_START_KEY: &str = "updates.check_at_start";

/// Reads the stored start-up setting: `None` (never set) is on.
fn parse_check_at_start(stored: Option<&str>) -> Result<bool> {
    match stored {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(Error::Corrupt {
            table: "settings".to_owned(),
            row: CHECK_AT_START_KEY.to_owned(),
            column: "value".to_owned(),
            reason: format!("expected true or false, found {other:?}"),
        }),
    }
}

impl Store {
    /// Whether the desktop app checks for updates when it starts (on by default).
    pub fn check_updates_at_start(&self) -> Result<bool> {
        let stored: Option<String> = self.read_setting(CHECK_AT_START_KEY)?;
        parse_check_at_start(stored.as_deref())
    }

    /// Turns the start-up check on or off, for every later start.
    pub fn set_check_updates_at_start(&self, on: bool) -> Result<bool> {
        let value = if on { "true" } else { "false" };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [CHECK_AT_START_KEY, value],
            )?;
            Ok(())
        })?;
        Ok(on)
    }
}

impl Store {
    fn read_setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|conn| {
            Ok(conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_up_check_is_on_unless_stored_off_and_garbage_is_corrupt() {
        assert!(parse_check_at_start(None).unwrap());
        assert!(parse_check_at_start(Some("true")).unwrap());
        assert!(!parse_check_at_start(Some("false")).unwrap());
        assert!(matches!(
            parse_check_at_start(Some("yes")),
            Err(Error::Corrupt { .. })
        ));
    }
}
