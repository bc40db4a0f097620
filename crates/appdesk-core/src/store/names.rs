//! Search by fragments of one or two characters, which the trigram index cannot
//! answer: every app's folded name is kept in memory and scanned, which takes a
//! millisecond or two at 100k apps where counting in SQL took over ten.
//!
//! The list is loaded on first use and reloaded whenever the database changed
//! (by this process or another: [`Store::change_token`]). The token is read
//! before the names, so the names are never older than the token they are kept
//! under; at worst a list is reloaded once more than needed.

use rusqlite::{Connection, params};

use super::Store;
use super::rows::{APP_COLUMNS, AppRow};
use crate::error::Result;

/// Folded names with their row keys, in list order (`name_folded, id`).
#[derive(Debug)]
pub(super) struct NameList {
    token: i64,
    names: Vec<(Box<str>, i64)>,
}

impl Store {
    /// Loads what a search by one or two characters scans, unless it is loaded
    /// and the database has not changed since. The desktop app calls it in the
    /// background after start-up, so that the first such keystroke does not
    /// wait for it (about 25 ms at 100k apps).
    pub fn warm_up(&self) -> Result<()> {
        let conn = self.conn()?;
        let mut slot = super::lock(&self.inner.names);
        self.fresh_names(&conn, &mut slot)
    }

    /// Reloads `slot` if it is empty or older than the database.
    fn fresh_names(&self, conn: &Connection, slot: &mut Option<NameList>) -> Result<()> {
        let token = self.change_token()?;
        if slot.as_ref().is_none_or(|list| list.token != token) {
            let mut stmt =
                conn.prepare("SELECT name_folded, seq FROM apps ORDER BY name_folded, id")?;
            let names = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?.into_boxed_str(), r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            *slot = Some(NameList { token, names });
        }
        Ok(())
    }

    /// The page and the total of apps whose folded name contains `fragment`,
    /// in list order: the same answer the SQL paths give.
    pub(super) fn short_search(
        &self,
        conn: &Connection,
        fragment: &str,
        offset: i64,
        limit: Option<i64>,
    ) -> Result<(Vec<AppRow>, i64)> {
        let mut slot = super::lock(&self.inner.names);
        self.fresh_names(conn, &mut slot)?;
        let list = slot.as_ref().map_or(&[][..], |l| &l.names[..]);
        let wanted = usize::try_from(limit.unwrap_or(i64::MAX)).unwrap_or(usize::MAX);
        let skip = usize::try_from(offset).unwrap_or(0);
        let mut total = 0usize;
        let mut page = Vec::new();
        for (name, seq) in list {
            if name.contains(fragment) {
                if total >= skip && page.len() < wanted {
                    page.push(*seq);
                }
                total += 1;
            }
        }
        drop(slot);
        let mut by_seq =
            conn.prepare_cached(&format!("SELECT {APP_COLUMNS} FROM apps WHERE seq = ?1"))?;
        let rows = page
            .iter()
            .map(|seq| by_seq.query_row(params![seq], AppRow::from_row))
            .collect::<rusqlite::Result<_>>()?;
        Ok((rows, total as i64))
    }
}

#[cfg(test)]
mod tests {
    use crate::{AppInput, ListQuery, Store, StoreOptions};

    /// A draft is enough: drafts are listed and searched like apps.
    fn draft(name: &str) -> AppInput {
        AppInput {
            name: name.into(),
            ..AppInput::default()
        }
    }

    fn loaded(store: &Store) -> Option<usize> {
        super::super::lock(&store.inner.names)
            .as_ref()
            .map(|l| l.names.len())
    }

    #[test]
    fn warm_up_loads_the_names_and_a_change_makes_them_stale() {
        let dir = tempfile::tempdir().unwrap();
        let options = StoreOptions {
            key_file: Some(dir.path().join("a.key")),
            user: Some("t".into()),
            catalog: None,
        };
        let store = Store::open(&dir.path().join("a.db"), options.clone()).unwrap();
        store.save_draft(&draft("Board")).unwrap();
        assert_eq!(
            loaded(&store),
            None,
            "nothing is loaded before it is needed"
        );
        store.warm_up().unwrap();
        assert_eq!(loaded(&store), Some(1));

        // Another process adds an app: the next short search sees it.
        Store::open(&dir.path().join("a.db"), options)
            .unwrap()
            .save_draft(&draft("Dashboard"))
            .unwrap();
        let query = ListQuery {
            filter: "d".into(),
            ..ListQuery::default()
        };
        let page = store.list_summaries(&query).unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(loaded(&store), Some(2));
    }
}
