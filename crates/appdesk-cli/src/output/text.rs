//! Layout helpers shared by the renderers: labelled fields and tables.

use std::fmt::{Display, Write};

/// Width of a field label, so that values line up.
const LABEL: usize = 16;

/// `  label           value`
pub fn field(out: &mut String, label: &str, value: impl Display) {
    let _ = writeln!(out, "  {label:<LABEL$}{value}");
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

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
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
