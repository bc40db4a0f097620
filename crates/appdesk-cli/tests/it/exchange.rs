//! `appdesk export` and `appdesk import` on real files and databases.

use crate::common::{CAPACITY_W, CUSTOMERS_R, Desk, JOBS_R, text};
use serde_json::Value;

fn populated() -> Desk {
    let desk = Desk::new();
    let app = desk.new_app(
        "Dispatch Board",
        &["1234=HQ", "9876543210"],
        &[CUSTOMERS_R, JOBS_R],
    );
    let id = text(&app, "id").to_owned();
    desk.ok(&["app", "scopes", &id, "--add", CAPACITY_W]);
    desk.ok(&["conn", "connect", &id, "--tenant", "1234"]);
    desk.ok(&["app", "new", "--draft", "--name", "Draft idea"]);
    desk
}

/// Every file in `dir` with its bytes, by name.
pub fn files_in(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn export_one_app_to_stdout_or_a_file() {
    let desk = populated();
    let doc: Value = serde_json::from_str(&desk.ok(&["export", "Dispatch Board"])).unwrap();
    assert_eq!(doc["format"], "appdesk.app/v1");
    assert_eq!(doc["version"], 2);
    assert!(doc.get("history").is_none());
    let with_history = desk.ok(&["export", "Dispatch Board", "--history"]);
    let doc: Value = serde_json::from_str(&with_history).unwrap();
    assert_eq!(doc["history"].as_array().unwrap().len(), 2);
    let out = desk.dir.path().join("one.json");
    desk.ok(&[
        "export",
        "Dispatch Board",
        "--history",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        with_history,
        "same bytes either way"
    );
    let portal: Value =
        serde_json::from_str(&desk.ok(&["export", "Dispatch Board", "--format", "portal"]))
            .unwrap();
    assert_eq!(portal["organizationName"], "Acme HVAC");
    assert_eq!(portal["appAvailabilityList"][0]["resourceOwner"], "1234");
}

#[test]
fn export_all_to_stdout_is_one_array_and_to_a_folder_one_file_each() {
    let desk = populated();
    let all: Value = serde_json::from_str(&desk.ok(&["export", "--all"])).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let dir = desk.dir.path().join("out");
    let report = desk.json(&["export", "--all", "--out", dir.to_str().unwrap()]);
    assert_eq!(report["files"].as_array().unwrap().len(), 2);
    let names: Vec<_> = files_in(&dir).into_iter().map(|(n, _)| n).collect();
    assert!(
        names[0].starts_with("dispatch-board-") && names[1].starts_with("draft-idea-"),
        "{names:?}"
    );
}

#[test]
fn round_trip_through_the_cli_is_byte_identical_and_holds_no_secret() {
    let desk = populated();
    let secret = text(
        &desk.json(&[
            "conn",
            "show",
            "Dispatch Board",
            "--tenant",
            "1234",
            "--reveal",
        ]),
        "clientSecret",
    )
    .to_owned();
    let first = desk.dir.path().join("first");
    desk.ok(&[
        "export",
        "--all",
        "--history",
        "--out",
        first.to_str().unwrap(),
    ]);
    for (_, bytes) in files_in(&first) {
        assert!(!String::from_utf8(bytes).unwrap().contains(&secret));
    }
    let other = Desk::new();
    let report = other.json(&["import", first.to_str().unwrap()]);
    assert_eq!(report["create"], 2);
    assert_eq!(report["dryRun"], false);
    let second = other.dir.path().join("second");
    other.ok(&[
        "export",
        "--all",
        "--history",
        "--out",
        second.to_str().unwrap(),
    ]);
    assert_eq!(files_in(&first), files_in(&second));
}

#[test]
fn import_dry_run_prints_the_plan_and_writes_nothing() {
    let desk = populated();
    let file = desk.dir.path().join("edit.json");
    let mut doc: Value = serde_json::from_str(&desk.ok(&["export", "Dispatch Board"])).unwrap();
    doc["homepageUrl"] = "https://new.example".into();
    doc["scopes"] = serde_json::json!([CUSTOMERS_R]);
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let before = desk.snapshot();
    let plan = desk.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(plan.contains("update    Dispatch Board"), "{plan}");
    assert!(
        plan.contains("homepageUrl: \"https://acme.example/\" → \"https://new.example/\""),
        "{plan}"
    );
    assert!(
        plan.contains("- scope tn.dis.capacity:w") && plan.contains("→ version 3"),
        "{plan}"
    );
    assert!(plan.contains("dry run, nothing was written"), "{plan}");
    assert_eq!(desk.snapshot(), before);
    let applied = desk.json(&["import", file.to_str().unwrap()]);
    assert_eq!(applied["update"], 1);
    assert_eq!(desk.json(&["app", "show", "Dispatch Board"])["version"], 3);
}

#[test]
fn a_bad_file_is_refused_with_its_place_and_nothing_changes() {
    let desk = populated();
    let dir = desk.dir.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let good = desk
        .ok(&["export", "Draft idea"])
        .replace("Draft idea", "Another");
    let good = good.replace(
        &text(&desk.json(&["app", "show", "Draft idea"]), "id").to_owned(),
        "0192f0a0-0000-7000-8000-00000000000a",
    );
    std::fs::write(dir.join("a-good.json"), good).unwrap();
    let bad = desk
        .ok(&["export", "Dispatch Board"])
        .replace("https://acme.example", "ftp://acme.example");
    std::fs::write(dir.join("b-bad.json"), bad).unwrap();
    std::fs::write(dir.join("c-empty.json"), "").unwrap();
    // The first line names the file, line, column and JSON path at fault rather
    // than a field, so the rest of `rejects`' contract is checked here by hand.
    let before = desk.snapshot();
    let out = desk
        .cmd()
        .args(["--json", "import", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(body["code"], "invalid_file");
    assert_eq!(body["field"], "$.homepageUrl");
    let problems = body["fileProblems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    assert!(
        problems[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("b-bad.json")
    );
    assert_eq!(problems[0]["line"], 7);
    assert_eq!(problems[0]["column"], 18);
    let out = desk
        .cmd()
        .args(["import", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("error: "), "{stderr}");
    let place = "b-bad.json:7:18: $.homepageUrl: Homepage URL must start with http";
    assert!(stderr.contains(place), "{stderr}");
    assert!(
        stderr.contains("c-empty.json: $: the file is empty"),
        "{stderr}"
    );
    assert_eq!(desk.snapshot(), before);
}

#[test]
#[cfg(unix)]
fn export_all_does_not_write_through_a_symlink_planted_in_the_out_folder() {
    let desk = populated();
    let out = desk.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Where an export of the folder puts the Dispatch Board file.
    let scratch = desk.dir.path().join("scratch");
    desk.ok(&["export", "--all", "--out", scratch.to_str().unwrap()]);
    let name = files_in(&scratch)
        .into_iter()
        .map(|(name, _)| name)
        .find(|n| n.starts_with("dispatch-board-"))
        .unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, out.join(&name)).unwrap();

    let body = desk.rejects(
        &["export", "--all", "--out", out.to_str().unwrap()],
        "io",
        "path",
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(&name) && message.contains("symbolic link"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "nothing but the link is in the folder"
    );
}

#[test]
#[cfg(unix)]
fn export_of_one_app_does_not_write_through_a_symlink_at_out() {
    let desk = populated();
    let victim = desk.dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let link = desk.dir.path().join("board.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    desk.rejects(
        &["export", "Dispatch Board", "--out", link.to_str().unwrap()],
        "io",
        "path",
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

/// A created app's file with no id and no app key.
fn anonymous_app_file(desk: &Desk) -> std::path::PathBuf {
    let mut doc: Value = serde_json::from_str(&desk.ok(&["export", "Dispatch Board"])).unwrap();
    let fields = doc.as_object_mut().unwrap();
    for key in ["id", "appKey", "version"] {
        fields.remove(key);
    }
    fields.insert("name".into(), "Crew Tracker".into());
    let file = desk.dir.path().join("crew.json");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    file
}

#[test]
fn importing_a_file_without_id_or_key_again_warns_of_the_same_name() {
    let desk = populated();
    let file = anonymous_app_file(&desk);
    let first = desk.ok(&["import", file.to_str().unwrap()]);
    assert!(!first.contains("warning"), "{first}");
    let second = desk.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        second.contains("warning: another app named \"Crew Tracker\" exists"),
        "{second}"
    );
    let plan = desk.json(&["import", "--dry-run", file.to_str().unwrap()]);
    let warnings = plan["apps"][0]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{plan}");
}

#[test]
fn import_with_a_stale_fingerprint_is_refused_and_writes_nothing() {
    let desk = populated();
    let file = desk.dir.path().join("edit.json");
    let mut doc: Value = serde_json::from_str(&desk.ok(&["export", "Dispatch Board"])).unwrap();
    doc["homepageUrl"] = "https://shown.example".into();
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let shown = desk.json(&["import", "--dry-run", file.to_str().unwrap()]);
    let fingerprint = shown["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fingerprint.len(), 64, "{shown}");

    doc["homepageUrl"] = "https://swapped.example".into();
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let args = [
        "import",
        "--expect-fingerprint",
        &fingerprint,
        file.to_str().unwrap(),
    ];
    let body = desk.rejects(&args, "plan_changed", "expect-fingerprint");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("nothing was imported"),
        "{body}"
    );

    let now = desk.json(&["import", "--dry-run", file.to_str().unwrap()]);
    let fresh = now["fingerprint"].as_str().unwrap();
    assert_ne!(fresh, fingerprint);
    desk.ok(&[
        "import",
        "--expect-fingerprint",
        fresh,
        file.to_str().unwrap(),
    ]);
    let app = desk.json(&["app", "show", "Dispatch Board"]);
    assert_eq!(app["homepageUrl"], "https://swapped.example/");
}

#[test]
fn import_dry_run_on_a_path_with_no_database_plans_against_an_empty_one_and_creates_nothing() {
    let source = populated();
    let file = source.dir.path().join("board.json");
    std::fs::write(&file, source.ok(&["export", "Dispatch Board"])).unwrap();
    let fresh = Desk::without_database();
    let before = files_in(fresh.dir.path());
    let plan = fresh.json(&["import", "--dry-run", file.to_str().unwrap()]);
    assert_eq!(plan["dryRun"], true, "{plan}");
    assert_eq!(plan["create"], 1, "{plan}");
    assert_eq!(plan["update"], 0, "{plan}");
    let text = fresh.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(text.contains("dry run, nothing was written"), "{text}");
    assert_eq!(
        files_in(fresh.dir.path()),
        before,
        "a dry run created a file"
    );
    assert!(!fresh.db.exists());
}
