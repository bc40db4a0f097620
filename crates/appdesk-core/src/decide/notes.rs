//! Upgrade notes for tenant admins (issue 12, part 2): what an upgrade from
//! one version of an app to another means for a tenant's data, in plain words
//! taken from the catalog (each resource's name and description).
//!
//! Write access and removals come first: those are what an admin must weigh.
//! Pure: the caller loads the two scope sets; the words are the catalog's.
//! A resource the catalog no longer lists keeps its scope name as its label.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::AppState;
use crate::catalog::Catalog;
use crate::error::{Error, Problem, Result};
use crate::scope::{Access, ScopeSet};

/// What an upgrade does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Verb {
    NoLongerSeeOrChange,
    NoLongerSee,
    NoLongerChange,
    SeeAndChange,
    Change,
    See,
}

impl Verb {
    /// Removals, and any new write access.
    pub fn weighty(self) -> bool {
        self != Verb::See
    }

    fn removal(self) -> bool {
        matches!(
            self,
            Verb::NoLongerSeeOrChange | Verb::NoLongerSee | Verb::NoLongerChange
        )
    }

    /// The verb after "will" ("will no longer see").
    fn phrase(self) -> &'static str {
        match self {
            Verb::NoLongerSeeOrChange => "no longer see or change",
            Verb::NoLongerSee => "no longer see",
            Verb::NoLongerChange => "no longer change",
            Verb::SeeAndChange => "see and change",
            Verb::Change => "change",
            Verb::See => "see",
        }
    }

    /// The verb in the summary, after "will be able to" or "will no longer".
    fn short(self) -> &'static str {
        match self {
            Verb::NoLongerSeeOrChange => "see or change",
            Verb::NoLongerSee | Verb::See => "see",
            Verb::NoLongerChange | Verb::Change => "change",
            Verb::SeeAndChange => "see and change",
        }
    }
}

/// One resource's change, in the catalog's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteLine {
    pub module: String,
    pub resource: String,
    pub name: String,
    pub description: String,
    pub verb: Verb,
}

/// The notes for the change from one version of an app to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpgradeNotes {
    pub app_name: String,
    pub from: i64,
    pub to: i64,
    /// Weighty lines first, then by module and name.
    pub lines: Vec<NoteLine>,
}

/// The versions notes are for: `from` defaults to the oldest version any
/// connection is on (version 1 with no connection), `to` to the latest. Each
/// must be a version of the app, `from` not after `to`.
pub fn notes_range(app: &AppState, from: Option<i64>, to: Option<i64>) -> Result<(i64, i64)> {
    let oldest = app.connections.iter().map(|c| c.version).min().unwrap_or(1);
    let (from, to) = (from.unwrap_or(oldest), to.unwrap_or(app.version));
    let mut problems = Vec::new();
    for (field, v) in [("from", from), ("to", to)] {
        if !(1..=app.version).contains(&v) {
            problems.push(Problem::new(
                field,
                format!(
                    "{:?} has versions 1 to {}; there is no version {v}",
                    app.fields.name, app.version
                ),
            ));
        }
    }
    if problems.is_empty() && from > to {
        problems.push(Problem::new(
            "from",
            format!("version {from} is after version {to}"),
        ));
    }
    if problems.is_empty() {
        Ok((from, to))
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The notes for moving from `before` (version `from`) to `after` (`to`).
pub fn upgrade_notes(
    app_name: &str,
    (from, before): (i64, &ScopeSet),
    (to, after): (i64, &ScopeSet),
    catalog: &Catalog,
) -> UpgradeNotes {
    let mut accesses: BTreeMap<&str, [(bool, bool); 2]> = BTreeMap::new();
    for (side, set) in [before, after].into_iter().enumerate() {
        for s in set.iter() {
            let entry = accesses.entry(s.resource.as_str()).or_default();
            match s.access {
                Access::View => entry[side].0 = true,
                Access::Modify => entry[side].1 = true,
            }
        }
    }
    let mut lines = Vec::new();
    for (resource, [(r0, w0), (r1, w1)]) in accesses {
        let lost = match (r0 && !r1, w0 && !w1) {
            (true, true) => Some(Verb::NoLongerSeeOrChange),
            (true, false) => Some(Verb::NoLongerSee),
            (false, true) => Some(Verb::NoLongerChange),
            (false, false) => None,
        };
        let gained = match (r1 && !r0, w1 && !w0) {
            (true, true) => Some(Verb::SeeAndChange),
            (false, true) => Some(Verb::Change),
            (true, false) => Some(Verb::See),
            (false, false) => None,
        };
        let (module, name, description) = match catalog.resource(resource) {
            Some((m, r)) => (
                m.display_name.clone(),
                r.display_name.clone(),
                r.description.clone(),
            ),
            None => ("Other".to_owned(), resource.to_owned(), String::new()),
        };
        for verb in [lost, gained].into_iter().flatten() {
            lines.push(NoteLine {
                module: module.clone(),
                resource: resource.to_owned(),
                name: name.clone(),
                description: description.clone(),
                verb,
            });
        }
    }
    lines.sort_by(|a, b| {
        (!a.verb.weighty(), &a.module, &a.name, a.verb).cmp(&(
            !b.verb.weighty(),
            &b.module,
            &b.name,
            b.verb,
        ))
    });
    UpgradeNotes {
        app_name: app_name.to_owned(),
        from,
        to,
        lines,
    }
}

impl UpgradeNotes {
    /// One or two sentences: "Board will be able to see your Leads and change
    /// your Jobs. It will no longer see your Invoices."
    pub fn summary(&self) -> String {
        let part = |removal: bool| -> Vec<String> {
            let mut groups: BTreeMap<Verb, Vec<&str>> = BTreeMap::new();
            for l in self.lines.iter().filter(|l| l.verb.removal() == removal) {
                groups.entry(l.verb).or_default().push(&l.name);
            }
            let order = [
                Verb::See,
                Verb::SeeAndChange,
                Verb::Change,
                Verb::NoLongerSeeOrChange,
                Verb::NoLongerSee,
                Verb::NoLongerChange,
            ];
            let mut verbs: Vec<Verb> = groups.keys().copied().collect();
            verbs.sort_by_key(|v| order.iter().position(|o| o == v).unwrap_or(order.len()));
            verbs
                .iter()
                .map(|v| format!("{} your {}", v.short(), listed(&groups[v], "and")))
                .collect()
        };
        let (gains, losses) = (part(false), part(true));
        let app = &self.app_name;
        match (gains.is_empty(), losses.is_empty()) {
            (true, true) => format!("{app} will see and change the same data as before."),
            (false, true) => format!("{app} will be able to {}.", listed(&gains, "and")),
            (true, false) => format!("{app} will no longer {}.", listed(&losses, "or")),
            (false, false) => format!(
                "{app} will be able to {}. It will no longer {}.",
                listed(&gains, "and"),
                listed(&losses, "or")
            ),
        }
    }

    /// Plain text, for a terminal or an email.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: version {} to version {}\n\n",
            self.app_name, self.from, self.to
        );
        let _ = writeln!(out, "{}", self.summary());
        for (title, weighty) in self.sections() {
            let _ = write!(out, "\n{title}:\n");
            let mut module = "";
            for l in self.lines.iter().filter(|l| l.verb.weighty() == weighty) {
                if l.module != module {
                    module = &l.module;
                    let _ = writeln!(out, "  {module}");
                }
                let _ = writeln!(
                    out,
                    "    - will {} your {}{}",
                    l.verb.phrase(),
                    l.name,
                    about(l)
                );
            }
        }
        out
    }

    /// Markdown, for a ticket or a message.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "## {}: version {} to version {}\n\n{}\n",
            md(&self.app_name),
            self.from,
            self.to,
            md(&self.summary())
        );
        for (title, weighty) in self.sections() {
            let _ = write!(out, "\n### {title}\n");
            let mut module = "";
            for l in self.lines.iter().filter(|l| l.verb.weighty() == weighty) {
                if l.module != module {
                    module = &l.module;
                    let _ = write!(out, "\n#### {}\n\n", md(module));
                }
                let _ = writeln!(
                    out,
                    "- will **{}** your {}{}",
                    l.verb.phrase(),
                    md(&l.name),
                    md(&about(l))
                );
            }
        }
        out
    }

    fn sections(&self) -> Vec<(&'static str, bool)> {
        [
            ("Weigh these first (write access and removals)", true),
            ("Other changes", false),
        ]
        .into_iter()
        .filter(|(_, weighty)| self.lines.iter().any(|l| l.verb.weighty() == *weighty))
        .collect()
    }
}

fn about(l: &NoteLine) -> String {
    if l.description.is_empty() {
        String::new()
    } else {
        format!(": {}", l.description)
    }
}

/// "A", "A and B", "A, B and C".
fn listed<S: AsRef<str>>(items: &[S], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", init.join(", "), last.as_ref())
        }
    }
}

/// Text with Markdown's special characters escaped, so a name cannot format.
pub(crate) fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(before: &[&str], after: &[&str]) -> UpgradeNotes {
        let (b, a) = (ScopeSet::from_stored(before), ScopeSet::from_stored(after));
        upgrade_notes("Board", (1, &b), (2, &a), &Catalog::embedded())
    }

    #[test]
    fn view_swapped_for_modify_is_a_gain_and_a_loss_both_weighed_first() {
        let n = notes(
            &["tn.crm.leads:r"],
            &["tn.crm.leads:w", "tn.crm.customers:r"],
        );
        let verbs: Vec<Verb> = n.lines.iter().map(|l| l.verb).collect();
        assert_eq!(verbs, [Verb::NoLongerSee, Verb::Change, Verb::See]);
        assert_eq!(
            n.summary(),
            "Board will be able to see your Customers and change your Leads. \
             It will no longer see your Leads."
        );
    }

    #[test]
    fn only_removals_and_a_retired_resource_keep_a_readable_summary() {
        let n = notes(&["tn.crm.leads:r", "tn.crm.leads:w", "tn.old.thing:r"], &[]);
        assert_eq!(
            n.summary(),
            "Board will no longer see or change your Leads or see your tn.old.thing."
        );
        assert_eq!(n.lines[1].module, "Other");
    }

    #[test]
    fn markdown_escapes_an_app_name_that_would_format() {
        let b = ScopeSet::from_stored(&["tn.crm.leads:r"]);
        let n = upgrade_notes("*Bold* [x]", (1, &b), (1, &b), &Catalog::embedded());
        assert!(
            n.markdown()
                .starts_with("## \\*Bold\\* \\[x\\]: version 1 to version 1\n")
        );
    }
}
