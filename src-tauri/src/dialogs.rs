//! Native file dialogs (rfd, GTK backend on Linux) for export and import.
//!
//! A dialog only answers with paths; it never reads or writes a file. The
//! export and import commands take paths, so that everything after the dialog
//! can be driven over WebDriver, which cannot reach a native GTK dialog.
//!
//! rfd's *async* dialogs are used on purpose: GTK may only be touched from the
//! thread that runs its main loop, and rfd's async GTK dialog is built and shown
//! from that loop (it queues the work with `g_idle_add`) while the command only
//! awaits the answer. The blocking `FileDialog` would wait for that same loop
//! from inside it when called on the main thread, and freeze the window.
//!
//! rfd is built with `default-features = false, features = ["gtk3"]`: its
//! default xdg-portal backend needs D-Bus, which Xvfb and CI do not have.

use std::path::PathBuf;

use rfd::AsyncFileDialog;

/// Which dialog to open.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// Save one file, proposing `name`.
    SaveFile { name: String },
    /// Save a report of the ledger (CSV or Markdown), proposing `name`.
    SaveReport {
        name: String,
        format: appdesk_core::report::ReportFormat,
    },
    /// Save the activity log as CSV, proposing `name`.
    SaveCsv { name: String },
    /// Choose (or create) a folder to export into.
    ExportFolder,
    /// Choose one or more `.json` files to import.
    ImportFiles,
    /// Choose a folder to import (every `.json` file in it).
    ImportFolder,
}

/// The paths the user chose; empty when the dialog was cancelled.
pub async fn ask(dialog: Dialog) -> Vec<PathBuf> {
    #[cfg(feature = "e2e-dialogs")]
    if let Some(answer) = e2e::answer() {
        return answer;
    }
    let json = ["json"];
    // Start in the home folder rather than GTK's "Recent", which lists no folders.
    let new = || match dirs::home_dir() {
        Some(home) => AsyncFileDialog::new().set_directory(home),
        None => AsyncFileDialog::new(),
    };
    let picked = match dialog {
        Dialog::SaveFile { name } => new()
            .set_title("Export app")
            .add_filter("App definition", &json)
            .set_file_name(name)
            .save_file()
            .await
            .map(|f| vec![f]),
        Dialog::SaveReport { name, format } => new()
            .set_title("Export the connections behind")
            .add_filter(
                match format {
                    appdesk_core::report::ReportFormat::Csv => "CSV",
                    appdesk_core::report::ReportFormat::Markdown => "Markdown",
                },
                &[format.extension()],
            )
            .set_file_name(name)
            .save_file()
            .await
            .map(|f| vec![f]),
        Dialog::SaveCsv { name } => new()
            .set_title("Export activity")
            .add_filter("CSV", &["csv"])
            .set_file_name(name)
            .save_file()
            .await
            .map(|f| vec![f]),
        Dialog::ExportFolder => new()
            .set_title("Export all apps to a folder")
            .pick_folder()
            .await
            .map(|f| vec![f]),
        Dialog::ImportFiles => {
            new()
                .set_title("Import app files")
                .add_filter("App definitions", &json)
                .pick_files()
                .await
        }
        Dialog::ImportFolder => new()
            .set_title("Import a folder of app files")
            .pick_folder()
            .await
            .map(|f| vec![f]),
    };
    picked
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.path().to_owned())
        .collect()
}

/// TEST ONLY: answers every dialog without opening a window, for the WebDriver
/// tests. Compiled only with the `e2e-dialogs` cargo feature, which only
/// `scripts/e2e` enables; a normal build (`cargo build`, `tauri build`) has no
/// trace of it and always opens the native dialog.
///
/// `APPDESK_E2E_DIALOG` names a file that the test writes before each click:
/// one path per line is the answer; an empty file is a cancelled dialog. With
/// the variable unset the native dialog opens as usual.
#[cfg(feature = "e2e-dialogs")]
mod e2e {
    use std::path::PathBuf;

    pub fn answer() -> Option<Vec<PathBuf>> {
        let file = std::env::var_os("APPDESK_E2E_DIALOG")?;
        let text = std::fs::read_to_string(file).unwrap_or_default();
        Some(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .collect(),
        )
    }
}
