//! The ledger of connections behind (issue 12, part 1) as a file to hand to
//! people: CSV for a spreadsheet, Markdown for a ticket. The window's export
//! writes it; the columns and their words are here once, so every caller
//! writes the same file.
//!
//! A CSV file is opened by spreadsheets, which run a cell that starts with
//! `=`, `+`, `-` or `@` as a formula. App names and notes are anyone's text,
//! so such a cell is written with a leading `'` (OWASP's advice) and read as
//! text. Quoting follows RFC 4180: a cell with a comma, a quote, a line break
//! or spaces at its ends is quoted, its quotes doubled; lines end in CRLF.

use serde::{Deserialize, Serialize};

use crate::decide::{BehindEntry, md};

/// Which kind of report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ReportFormat {
    Csv,
    Markdown,
}

impl ReportFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Markdown => "md",
        }
    }
}

const HEADERS: [&str; 11] = [
    "App",
    "Tenant",
    "Environment",
    "Version",
    "Latest version",
    "Versions behind",
    "Behind since",
    "Days behind",
    "Gains",
    "Loses",
    "Upgrade request",
];

fn cells(e: &BehindEntry) -> [String; 11] {
    [
        e.app_name.clone(),
        e.tenant_id.clone(),
        e.environment.to_string(),
        e.version.to_string(),
        e.latest_version.to_string(),
        e.versions_behind.to_string(),
        e.behind_since.clone(),
        e.days_behind.to_string(),
        e.gains.join(" "),
        e.loses.join(" "),
        e.request.as_ref().map(|r| r.describe()).unwrap_or_default(),
    ]
}

/// Only the entries behind for at least `days` days (all with `None`).
pub fn behind_at_least(entries: Vec<BehindEntry>, days: Option<i64>) -> Vec<BehindEntry> {
    match days {
        Some(days) => entries
            .into_iter()
            .filter(|e| e.days_behind >= days)
            .collect(),
        None => entries,
    }
}

/// The ledger as a CSV or Markdown file, one line per connection behind.
pub fn behind_report(entries: &[BehindEntry], format: ReportFormat) -> String {
    match format {
        ReportFormat::Csv => {
            let mut out = csv_line(HEADERS.iter().copied());
            for e in entries {
                out.push_str(&csv_line(cells(e).iter().map(String::as_str)));
            }
            out
        }
        ReportFormat::Markdown => {
            let mut out = String::from("# Connections behind\n\n");
            if entries.is_empty() {
                out.push_str("No connection is behind.\n");
                return out;
            }
            out.push_str(&md_line(HEADERS.iter().copied()));
            out.push_str(&format!("|{}\n", "---|".repeat(HEADERS.len())));
            for e in entries {
                out.push_str(&md_line(cells(e).iter().map(String::as_str)));
            }
            out
        }
    }
}

/// One CSV line (RFC 4180, CRLF), each cell by [`csv_cell`].
pub(crate) fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut line = cells.map(csv_cell).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// One CSV cell: formula-guarded, then quoted when it must be.
pub fn csv_cell(text: &str) -> String {
    let guarded =
        if text.trim_start().starts_with(['=', '+', '-', '@']) || text.starts_with(['\t', '\r']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
    let must_quote = guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(char::is_whitespace)
        || guarded.ends_with(char::is_whitespace);
    if must_quote {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn md_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let cells: Vec<String> = cells
        .map(|c| {
            let flat: String = c
                .chars()
                .map(|ch| if ch.is_control() { ' ' } else { ch })
                .collect();
            md(&flat)
        })
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::RequestMark;
    use crate::model::Environment;

    fn entry(app: &str) -> BehindEntry {
        BehindEntry {
            app_id: "a1".into(),
            app_name: app.into(),
            tenant_id: "1234".into(),
            environment: Environment::Production,
            version: 1,
            latest_version: 3,
            versions_behind: 2,
            behind_since: "2026-01-02T03:04:05Z".into(),
            gains: vec!["tn.jpm.jobs:r".into(), "tn.crm.leads:w".into()],
            loses: vec![],
            days_behind: 40,
            request: Some(RequestMark {
                requested_at: "2026-02-08T03:04:05Z".into(),
                to_version: 3,
                days_ago: 2,
                stale: false,
            }),
        }
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks_and_ends_lines_in_crlf() {
        let out = behind_report(&[entry("Board, \"Pro\"\nEdition")], ReportFormat::Csv);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "App,Tenant,Environment,Version,Latest version,Versions behind,Behind since,\
             Days behind,Gains,Loses,Upgrade request"
        );
        assert_eq!(
            lines[1],
            "\"Board, \"\"Pro\"\"\nEdition\",1234,production,1,3,2,2026-01-02T03:04:05Z,40,\
             tn.jpm.jobs:r tn.crm.leads:w,,requested 2 days ago"
        );
        assert_eq!(lines.len(), 3, "two lines and the final CRLF: {out:?}");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        for (given, written) in [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("  =1", "'  =1"),
            ("\t=1", "'\t=1"),
            ("Plain Board", "Plain Board"),
            ("a-b", "a-b"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "'+1"),
            ("\tx", "'\tx"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_cell(given), written, "{given:?}");
        }
    }

    #[test]
    fn a_cell_with_a_comma_quote_or_line_break_is_quoted_with_quotes_doubled() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn markdown_escapes_table_pipes_and_flattens_line_breaks() {
        let out = behind_report(&[entry("Board | Pro\nX")], ReportFormat::Markdown);
        let row = out.lines().nth(4).unwrap();
        assert_eq!(
            row,
            "| Board \\| Pro X | 1234 | production | 1 | 3 | 2 | 2026-01-02T03:04:05Z | 40 | \
             tn.jpm.jobs:r tn.crm.leads:w |  | requested 2 days ago |"
        );
        assert_eq!(out.lines().count(), 5, "{out}");
    }

    #[test]
    fn an_empty_ledger_says_so_in_markdown_and_has_only_headers_in_csv() {
        assert!(behind_report(&[], ReportFormat::Markdown).contains("No connection is behind."));
        assert_eq!(behind_report(&[], ReportFormat::Csv).lines().count(), 1);
    }

    #[test]
    fn the_days_filter_keeps_entries_behind_at_least_that_long() {
        let mut young = entry("Young");
        young.days_behind = 5;
        let kept = behind_at_least(vec![entry("Old"), young], Some(10));
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].app_name, "Old");
        assert_eq!(behind_at_least(vec![entry("Old")], None).len(), 1);
    }
}
