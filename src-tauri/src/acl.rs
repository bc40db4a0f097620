//! The window may call exactly Appdesk's commands: the list in `build.rs`
//! (which makes Tauri generate one permission per command), the handlers
//! registered in `main.rs`, and the permissions granted in
//! `capabilities/default.json` must name the same commands. A command added in
//! one place and forgotten in another fails here rather than at run time.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

/// The quoted names in `build.rs`'s `COMMANDS` list.
fn declared() -> BTreeSet<String> {
    let build = read("build.rs");
    let start = build.find("const COMMANDS").unwrap();
    let list = &build[start..start + build[start..].find("];").unwrap()];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn declared_registered_and_granted_commands_are_the_same() {
    let declared = declared();
    assert!(declared.len() >= 20, "{declared:?}");

    let main = read("src/main.rs");
    let handler = &main[main.find("generate_handler![").unwrap()..];
    let handler = &handler[..handler.find(']').unwrap()];
    let registered: BTreeSet<String> = handler
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        registered, declared,
        "generate_handler! vs build.rs COMMANDS"
    );

    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let expected: BTreeSet<String> = declared
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(
        granted, expected,
        "capabilities/default.json grants only Appdesk's commands"
    );
}

#[test]
fn the_csp_allows_only_the_app_itself_and_ipc() {
    let config: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    let all = csp.to_string();
    // The only address is the IPC one: no remote scripts, styles or fetches.
    assert_eq!(all.matches("http").count(), 1, "{all}");
    let test: serde_json::Value = serde_json::from_str(&read("tauri.conf.test.json")).unwrap();
    assert!(
        test["plugins"]["updater"].is_null(),
        "the test overlay turns the updater off"
    );
    assert_ne!(test["identifier"], config["identifier"]);
    assert!(
        config["plugins"]["updater"]["pubkey"]
            .as_str()
            .unwrap()
            .len()
            > 40
    );
    assert!(
        config["build"].get("devUrl").is_none(),
        "devUrl only in tauri.conf.dev.json"
    );
}
