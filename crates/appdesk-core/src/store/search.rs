//! The apps list's query: which apps match a search, filtered and sorted, one
//! page at a time (issue 11). Every part of a search is answered by an index
//! (schema 8, `migrations/0008_list_search.sql`), so that a keystroke stays
//! quick at 100k apps; the desktop's list and the CLI's `list` both read here.
//!
//! A search matches the name (a fragment, any length), the organization (a
//! fragment of three characters or more: the trigram index's minimum), and the
//! start of an app key, a client ID or a tenant ID. Connections are those in
//! effect ([`InEffect`]: the portal's in a linked database).

use rusqlite::{Connection, ToSql, params_from_iter};

use super::Store;
use super::in_effect::InEffect;
use super::ledger::CONNECTION_BEHIND;
use super::rows::{self, APP_COLUMNS, AppRow};
use crate::error::Result;
use crate::model::{ListOnly, ListQuery, ListSort};

/// Above this many matches a page is read by walking the sort's index in order
/// (it stops after the page); below it, by looking the matches up and sorting
/// them. Both read the same set.
const WALK_ABOVE: i64 = 2_000;

/// The apps matching a search of three characters or more, by `seq`: `?3` is
/// the fragment as an FTS phrase, `?4` and `?5` bound the identifiers that
/// start with it; `{connections}` is the table in effect.
const HITS: &str = "WITH hits(seq) AS (
    SELECT rowid FROM app_name_search WHERE app_name_search MATCH ?3
    UNION SELECT rowid FROM app_org_search WHERE app_org_search MATCH ?3
    UNION SELECT seq FROM apps WHERE app_key >= ?4 AND app_key < ?5
    UNION SELECT k.seq FROM {connections} c JOIN apps k ON k.id = c.app_id
        WHERE c.client_id >= ?4 AND c.client_id < ?5
    UNION SELECT k.seq FROM app_tenants t JOIN apps k ON k.id = t.app_id
        WHERE t.tenant_id >= ?4 AND t.tenant_id < ?5
    UNION SELECT d.seq FROM apps d INDEXED BY apps_drafts, json_each(d.draft_tenants) j
        WHERE d.status = 'draft'
          AND json_extract(j.value, '$.id') >= ?4 AND json_extract(j.value, '$.id') < ?5
) ";

impl Store {
    /// One page of the apps matching `query`, and how many match in all.
    pub(super) fn page_rows(
        &self,
        conn: &Connection,
        query: &ListQuery,
    ) -> Result<(Vec<AppRow>, i64)> {
        let fragment = rows::fold(&query.filter);
        let short = (1..3).contains(&fragment.chars().count());
        if short && query.sort == ListSort::Name && query.only == ListOnly::All {
            // Too short for the trigram index: scan the names in memory.
            return self.short_search(conn, &fragment, query.offset.max(0), query.limit);
        }
        page_rows(conn, query, &fragment, short)
    }
}

/// A page by SQL.
fn page_rows(
    conn: &Connection,
    query: &ListQuery,
    fragment: &str,
    short: bool,
) -> Result<(Vec<AppRow>, i64)> {
    let connections = InEffect::of(conn)?.table();
    let (with, matches) = match (fragment.is_empty(), short) {
        (true, _) => (String::new(), "1"),
        (false, true) => (String::new(), "instr(a.name_folded, ?3) > 0"),
        (false, false) => (HITS.replace("{connections}", connections), "a.seq IN hits"),
    };
    let only = match query.only {
        ListOnly::All => "1".to_owned(),
        ListOnly::Drafts => "a.status = 'draft'".to_owned(),
        ListOnly::Created => "a.status = 'created'".to_owned(),
        ListOnly::Behind => format!(
            "EXISTS (SELECT 1 FROM {connections} c WHERE c.app_id = a.id AND {CONNECTION_BEHIND})"
        ),
    };
    let phrase = format!("\"{}\"", fragment.replace('"', "\"\""));
    let upto = format!("{fragment}\u{10FFFF}");
    let text: &dyn ToSql = if short { &fragment } else { &phrase };
    let limit = query.limit.unwrap_or(-1);
    let offset = query.offset.max(0);
    let args: Vec<&dyn ToSql> = match (fragment.is_empty(), short) {
        (true, _) => vec![&limit, &offset],
        (false, true) => vec![&limit, &offset, text],
        (false, false) => vec![&limit, &offset, text, &fragment, &upto],
    };

    let total: i64 = if with.is_empty() && matches == "1" && query.only == ListOnly::All {
        conn.prepare_cached("SELECT count(*) FROM apps")?
            .query_row([], |r| r.get(0))?
    } else {
        // The count reads the parameters from ?3 on: number them as the page does.
        conn.prepare_cached(&format!(
            "{with}SELECT count(*) FROM apps a WHERE ?1 = ?1 AND ?2 = ?2 AND {matches} AND {only}"
        ))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?
    };

    let (index, order) = match query.sort {
        ListSort::Name => ("INDEXED BY apps_by_name", "a.name_folded, a.id".to_owned()),
        ListSort::Updated => (
            "INDEXED BY apps_by_updated",
            "a.updated_at DESC, a.id DESC".to_owned(),
        ),
        ListSort::Behind => (
            "",
            format!(
                "(SELECT count(*) FROM {connections} c WHERE c.app_id = a.id AND \
                 {CONNECTION_BEHIND}) DESC, a.name_folded, a.id"
            ),
        ),
    };
    // Many matches: walk the sort's index and stop after the page. Few: look
    // them up and sort them.
    let index = if matches == "1" || total > WALK_ABOVE {
        index
    } else {
        ""
    };
    let mut stmt = conn.prepare_cached(&format!(
        "{with}SELECT {APP_COLUMNS} FROM apps a {index}
         WHERE {matches} AND {only} ORDER BY {order} LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), AppRow::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}
