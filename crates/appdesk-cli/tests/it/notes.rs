//! `appdesk notes` (issue 12, part 2): upgrade notes for tenant admins, in the
//! catalog's words, write access and removals first; exact text in both
//! formats for a known diff, and the notes an upgrade request carries.

use crate::common::Desk;

/// "Dispatch Board" v1 {invoices:r, jobs:r, customers:r}, tenant 1111
/// connected on v1; v2 adds leads:r, jobs:w, capacity:w and drops invoices:r.
fn seeded() -> Desk {
    let desk = Desk::new();
    desk.new_app(
        "Dispatch Board",
        &["1111"],
        &["tn.acc.invoices:r", "tn.jpm.jobs:r", "tn.crm.customers:r"],
    );
    desk.ok(&["conn", "connect", "Dispatch Board", "--tenant", "1111"]);
    desk.ok(&[
        "app",
        "scopes",
        "Dispatch Board",
        "--add",
        "tn.crm.leads:r",
        "--add",
        "tn.jpm.jobs:w",
        "--add",
        "tn.dis.capacity:w",
        "--remove",
        "tn.acc.invoices:r",
    ]);
    desk
}

const TEXT: &str = "\
Dispatch Board: version 1 to version 2

Dispatch Board will be able to see your Leads and change your Capacity and Jobs. \
It will no longer see your Invoices.

Weigh these first (write access and removals):
  Accounting
    - will no longer see your Invoices: Invoices sent to customers for work done
  Dispatch
    - will change your Capacity: How much open capacity your teams have for new work
  Job Planning and Management
    - will change your Jobs: The work you do for customers, with its status and details

Other changes:
  CRM
    - will see your Leads: People or businesses who asked about your services but have not booked yet
";

const MARKDOWN: &str = "\
## Dispatch Board: version 1 to version 2

Dispatch Board will be able to see your Leads and change your Capacity and Jobs. \
It will no longer see your Invoices.

### Weigh these first (write access and removals)

#### Accounting

- will **no longer see** your Invoices: Invoices sent to customers for work done

#### Dispatch

- will **change** your Capacity: How much open capacity your teams have for new work

#### Job Planning and Management

- will **change** your Jobs: The work you do for customers, with its status and details

### Other changes

#### CRM

- will **see** your Leads: People or businesses who asked about your services but have not booked yet
";

#[test]
fn notes_for_a_known_diff_are_exact_in_text_and_markdown() {
    let desk = seeded();
    assert_eq!(desk.ok(&["notes", "Dispatch Board"]), TEXT);
    assert_eq!(
        desk.ok(&["notes", "Dispatch Board", "--from", "1", "--to", "2"]),
        TEXT
    );
    assert_eq!(
        desk.ok(&["notes", "Dispatch Board", "--format", "markdown"]),
        MARKDOWN
    );
}

#[test]
fn notes_json_lists_weighty_lines_first() {
    let desk = seeded();
    let notes = desk.json(&["notes", "Dispatch Board"]);
    assert_eq!(notes["from"], 1);
    assert_eq!(notes["to"], 2);
    let verbs: Vec<(&str, &str)> = notes["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["resource"].as_str().unwrap(), l["verb"].as_str().unwrap()))
        .collect();
    assert_eq!(
        verbs,
        [
            ("tn.acc.invoices", "noLongerSee"),
            ("tn.dis.capacity", "change"),
            ("tn.jpm.jobs", "change"),
            ("tn.crm.leads", "see"),
        ]
    );
}

#[test]
fn notes_default_from_the_oldest_version_a_connection_is_on() {
    let desk = seeded();
    desk.ok(&[
        "app",
        "scopes",
        "Dispatch Board",
        "--add",
        "tn.crm.contacts:r",
    ]);
    let notes = desk.json(&["notes", "Dispatch Board"]);
    assert_eq!(
        (notes["from"].as_i64(), notes["to"].as_i64()),
        (Some(1), Some(3))
    );
    desk.ok(&["conn", "upgrade", "Dispatch Board", "--tenant", "1111"]);
    desk.ok(&["app", "scopes", "Dispatch Board", "--add", "tn.crm.tags:w"]);
    let notes = desk.json(&["notes", "Dispatch Board"]);
    assert_eq!(
        (notes["from"].as_i64(), notes["to"].as_i64()),
        (Some(3), Some(4))
    );
    let same = desk.ok(&["notes", "Dispatch Board", "--from", "2", "--to", "2"]);
    assert!(same.ends_with("Dispatch Board will see and change the same data as before.\n"));
}

#[test]
fn notes_for_versions_the_app_does_not_have_are_refused() {
    let desk = seeded();
    desk.rejects(
        &["notes", "Dispatch Board", "--from", "2", "--to", "1"],
        "invalid",
        "from",
    );
    desk.rejects(&["notes", "Dispatch Board", "--to", "9"], "invalid", "to");
    desk.rejects(
        &["notes", "Dispatch Board", "--from", "-1"],
        "invalid",
        "from",
    );
}

#[test]
fn an_upgrade_request_carries_its_notes() {
    let desk = seeded();
    let made = desk.json(&["upgrade-request", "Dispatch Board", "--tenant", "1111"]);
    assert_eq!(made[0]["notes"], TEXT);
    let stored: String = rusqlite::Connection::open(&desk.db)
        .unwrap()
        .query_row("SELECT notes FROM upgrade_requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, TEXT);
    let text = desk.ok(&["upgrade-request", "Dispatch Board", "--tenant", "1111"]);
    assert!(
        text.ends_with(&format!("With these notes:\n\n{TEXT}")),
        "{text}"
    );
}
