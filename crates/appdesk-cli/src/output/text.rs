//! Layout helpers shared by the renderers: labelled fields and tables, and the
//! one escaping every printed value goes through ([`shown`]).
//!
//! A value may come from a database that another tool wrote, so it is escaped
//! when it is printed even though the core refuses control characters on input:
//! a newline in a name must not forge a row, an ESC must not reach the terminal.

use std::borrow::Cow;
use std::fmt::{Display, Write};

/// Width of a field label, so that values line up.
const LABEL: usize = 16;

/// `value` as it may be printed on one line: control characters, separators
/// and bidi overrides escaped (`\n`, `\u{1b}`), by the core's rule.
pub fn shown(value: &str) -> Cow<'_, str> {
    appdesk_core::validate::escaped(value, false)
}

/// A whole rendered text (or error message): as [`shown`], but its line breaks
/// are kept. The last guard before stdout and stderr.
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    appdesk_core::validate::escaped(text, true)
}

/// `  label           value`
pub fn field(out: &mut String, label: &str, value: impl Display) {
    let value = value.to_string();
    let _ = writeln!(out, "  {label:<LABEL$}{}", shown(&value));
}

/// The first item beside the label, the others under it; `empty` if none.
pub fn items(out: &mut String, label: &str, items: &[String], empty: &str) {
    match items.split_first() {
        None => field(out, label, empty),
        Some((first, rest)) => {
            field(out, label, first);
            for item in rest {
                field(out, "", item);
            }
        }
    }
}

/// `text`, or `-` when it is empty (a draft's missing field).
pub fn or_dash(text: &str) -> &str {
    if text.trim().is_empty() { "-" } else { text }
}

/// Columns padded to their widest cell; the last one is not padded.
#[derive(Debug)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|h| (*h).to_owned()).collect()],
        }
    }

    /// Adds a row; each cell is escaped with [`shown`], so that no cell can
    /// break its line.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.iter().map(|c| shown(c).into_owned()).collect());
    }

    pub fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in &self.rows {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(&widths) {
                let _ = write!(line, "{cell:<width$}  ");
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_line_up() {
        let mut t = Table::new(&["A", "LONG HEADER"]);
        t.row(vec!["wide cell".into(), "x".into()]);
        assert_eq!(t.render(), "A          LONG HEADER\nwide cell  x\n");
    }

    #[test]
    fn items_go_under_their_label() {
        let mut out = String::new();
        items(&mut out, "scopes", &["a".into(), "b".into()], "none");
        assert_eq!(
            out,
            format!("  scopes{}a\n  {}b\n", " ".repeat(10), " ".repeat(16))
        );
    }
}
