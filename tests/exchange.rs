//! End-to-end tests of export and import in the window: the real debug binary,
//! built by `scripts/e2e` with the test-only `e2e-dialogs` feature, so that the
//! native file dialogs (which WebDriver cannot reach) are answered from the file
//! that `APPDESK_E2E_DIALOG` names. Everything after the dialog is the real path:
//! the commands, the core, the plan shown, the confirmation.
//! Screenshots go to `test-output/`.

use std::path::{Path, PathBuf};

use appdesk_core::Environment;
use appdesk_core::exchange::ExportFormat;
use appdesk_e2e::{Desktop, open_store, sample_app};

/// Export all to a folder (valid JSON, no secret); edit one file and import it
/// (the plan shows the field change and the new version; the file changed again
/// before the confirmation, the import is refused and the new plan shown;
/// confirmed again, the app page shows it); then broken files (every problem
/// with file:line:column, and nothing changes).
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the app built with e2e-dialogs: run scripts/e2e"]
async fn export_all_edit_import_and_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = open_store(dir.path());
        let a = store
            .create_app(&sample_app("Dispatch Board", "HQ"))
            .unwrap();
        store.create_app(&sample_app("Crew Tracker", "HQ")).unwrap();
        // A connection, so that the database holds a client secret.
        store
            .connect(&a.id, "1234", Environment::Integration)
            .unwrap();
        a.id
    };
    let answer = dir.path().join("dialog-answer");
    let out = dir.path().join("out");
    let d = Desktop::launch_with(
        dir.path(),
        &[("APPDESK_E2E_DIALOG", answer.display().to_string())],
    )
    .await;
    d.wait_text("#apps-count", "2 apps").await;

    // Export all to a folder.
    answer_dialog(&answer, &[&out]);
    d.click("#export-all-open").await;
    d.click("#export-all-choose").await;
    d.wait_text("#export-all-written", "Wrote 2 files").await;
    d.screenshot("30-export-all").await;
    let files = json_files(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(doc["format"], "appdesk.app/v1");
        assert!(!text.contains("cs1."), "a secret in {}", file.display());
    }
    d.click("#export-all-dialog button.close").await;

    // Edit one file on disk: a new homepage and one more scope.
    let board = files
        .iter()
        .find(|f| {
            f.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("dispatch-board-")
        })
        .expect("the Dispatch Board file")
        .clone();
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&board).unwrap()).unwrap();
    doc["homepageUrl"] = "https://board.example/new".into();
    doc["scopes"] = serde_json::json!(["tn.crm.customers:r", "tn.crm.leads:r"]);
    std::fs::write(&board, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    // Import it: the plan first, nothing written yet.
    let before = snapshot(dir.path());
    answer_dialog(&answer, &[&board]);
    d.click("#import-open").await;
    d.click("#import-choose-files").await;
    d.wait_text("#import-summary", "1 to update").await;
    let entry = d
        .wait_text(
            r#"#import-plan li[data-app="Dispatch Board"]"#,
            "homepageUrl",
        )
        .await;
    for needed in [
        "Update",
        "homepageUrl: https://acme.example/ → https://board.example/new",
        "Scopes (makes version 2): +tn.crm.leads:r",
    ] {
        assert!(entry.contains(needed), "{needed:?} in {entry:?}");
    }
    d.screenshot("31-import-plan").await;
    assert_eq!(
        snapshot(dir.path()),
        before,
        "showing the plan writes nothing"
    );

    // The file changes after the plan was shown: confirming it is refused,
    // nothing is written, and the plan as it is now is shown instead.
    doc["homepageUrl"] = "https://board.example/newer".into();
    std::fs::write(&board, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    d.click("#import-confirm").await;
    d.wait_text("#import-error", "nothing was imported").await;
    d.wait_text(
        r#"#import-plan li[data-app="Dispatch Board"]"#,
        "https://board.example/newer",
    )
    .await;
    d.screenshot("31b-import-plan-changed").await;
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a refused import writes nothing"
    );

    // Confirm: applied, with progress reported; the app page shows version 2.
    d.click("#import-confirm").await;
    d.wait_text("#import-done", "updated 1").await;
    let progress = d
        .wait_js("document.querySelector('#import-done').dataset.progress")
        .await;
    assert!(
        progress.as_str().is_some_and(|p| p.ends_with(" 1/1")),
        "{progress}"
    );
    d.click("#import-dialog button.close").await;
    d.click(r#"button[data-app-name="Dispatch Board"]"#).await;
    d.wait_text("#app-page .chip", "Version 2").await;
    d.tab("history").await;
    d.wait_text(r#"#history li[data-version="2"]"#, "Version 2")
        .await;
    let homepage = d
        .wait_js("document.querySelector('#app-homepage').value")
        .await;
    assert_eq!(homepage, "https://board.example/newer");
    let store = open_store(dir.path());
    assert_eq!(store.app(&id).unwrap().version, Some(2));

    // Broken files: every problem, located; nothing changes.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"format\": \"appdesk.app/v1\",\n  \"name\": oops\n}\n",
    )
    .unwrap();
    let mut bad_scope = doc.clone();
    bad_scope["scopes"] = serde_json::json!(["tn.crm.customers:r", "tn.nope.nothing:r"]);
    let bad_scope_file = dir.path().join("bad-scope.json");
    std::fs::write(
        &bad_scope_file,
        serde_json::to_string_pretty(&bad_scope).unwrap(),
    )
    .unwrap();
    let before = snapshot(dir.path());
    answer_dialog(&answer, &[&broken, &bad_scope_file]);
    d.click("#import-open").await;
    d.click("#import-choose-files").await;
    let problems = d.wait_text("#import-problems", "broken.json:3:").await;
    assert!(problems.contains("not valid JSON"), "{problems:?}");
    assert!(
        problems.contains("bad-scope.json:") && problems.contains("$.scopes[1]"),
        "{problems:?}"
    );
    d.wait_text("#import-problems-title", "nothing was imported")
        .await;
    d.screenshot("32-import-problems").await;
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a broken import changes nothing"
    );

    // A cancelled dialog does nothing either.
    answer_dialog(&answer, &[]);
    d.click("#import-choose-folder").await;
    d.find("#import-problems").await;
    d.close().await;
}

/// Exports one app to a file from its page, in the portal format.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the app built with e2e-dialogs: run scripts/e2e"]
async fn export_one_app_in_the_portal_format() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        store.create_app(&sample_app("Crew Tracker", "HQ")).unwrap();
    }
    let answer = dir.path().join("dialog-answer");
    let file = dir.path().join("crew.json");
    let d = Desktop::launch_with(
        dir.path(),
        &[("APPDESK_E2E_DIALOG", answer.display().to_string())],
    )
    .await;
    d.click(r#"button[data-app-name="Crew Tracker"]"#).await;
    d.click("#export-app").await;
    d.click("#export-app-portal").await;
    answer_dialog(&answer, &[&file]);
    d.click("#export-app-choose").await;
    d.wait_text("#export-app-written", "crew.json").await;
    let text = std::fs::read_to_string(&file).unwrap();
    let payload: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(payload["organizationName"], "Acme");
    assert_eq!(payload["authScopes"][0], "tn.crm.customers:r");
    assert_eq!(payload["appAvailabilityList"][0]["resourceOwner"], "1234");
    let store = open_store(dir.path());
    let docs = store.export_documents(Some("Crew Tracker"), false).unwrap();
    assert_eq!(
        text,
        appdesk_core::exchange::render(&docs[0], ExportFormat::Portal),
        "the same bytes as the CLI writes"
    );
    d.close().await;
}

/// Writes the paths the next file dialog answers with (none: cancelled).
fn answer_dialog(answer: &Path, paths: &[&Path]) {
    let text: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    std::fs::write(answer, text).unwrap();
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every app as the exporter renders it, with history: equal before and after
/// means the import wrote nothing.
fn snapshot(dir: &Path) -> String {
    let store = open_store(dir);
    let docs = store.export_documents(None, true).unwrap();
    appdesk_core::exchange::render_all(&docs, ExportFormat::Appdesk)
}
