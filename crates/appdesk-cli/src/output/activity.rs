//! The activity log as a table, newest first.

use appdesk_core::ActivityEntry;

use super::text::Table;

pub fn log(entries: &[ActivityEntry]) -> String {
    if entries.is_empty() {
        return "No activity.\n".to_owned();
    }
    let mut table = Table::new(&["AT", "USER", "ACTION", "APP", "SUMMARY"]);
    for e in entries {
        table.row(vec![
            e.at.clone(),
            e.user.clone(),
            e.action.clone(),
            e.app_name.clone().unwrap_or_else(|| "-".to_owned()),
            e.summary.clone(),
        ]);
    }
    table.render()
}
