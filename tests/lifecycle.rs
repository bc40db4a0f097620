//! End-to-end tests of the connection lifecycle in the window (issues 11 and
//! 12): the dense connections table (badges, scopes in play, behind chip,
//! filters, row menu by keyboard, "Upgrade all behind" with its list), the
//! upgrade notes, rotation with overlap, and the Behind view with its upgrade
//! requests and exports. What the window did is checked with the real
//! `appdesk` CLI on the same database, an oracle outside the window.

use appdesk_core::Environment;
use appdesk_e2e::{ARROW_DOWN, ARROW_UP, Desktop, ESCAPE, open_store, sample_app};

const ROW_A: &str = r#"tr[data-connection="1234:integration"]"#;
const ROW_B: &str = r#"tr[data-connection="5678:production"]"#;
const ROW_C: &str = r#"tr[data-connection="1234:production"]"#;

/// How many connection lines the table shows.
async fn lines(d: &Desktop) -> i64 {
    d.wait_js("document.querySelectorAll('tr[data-connection]').length")
        .await
        .as_i64()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn connections_table_filters_menu_notes_and_upgrade_all_behind() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = open_store(dir.path());
        let mut input = sample_app("Dispatch Board", "");
        input
            .tenants
            .push(appdesk_core::TenantEntry::new("5678", ""));
        let app = store.create_app(&input).unwrap();
        for (t, e) in [
            ("1234", Environment::Integration),
            ("5678", Environment::Production),
            ("1234", Environment::Production),
        ] {
            store.connect(&app.id, t, e).unwrap();
        }
        store
            .set_scopes(
                &app.id,
                &["tn.crm.customers:r".into(), "tn.jpm.jobs:w".into()],
            )
            .unwrap();
        store
            .upgrade(&app.id, "1234", Environment::Production)
            .unwrap();
        app.id
    };
    let d = Desktop::launch_in(dir).await;
    d.click(r#"button[data-app-name="Dispatch Board"]"#).await;
    d.tab("connections").await;
    d.wait_text("#connections-title", "Connections (3)").await;
    d.wait_text(
        "#connections-note",
        "what a tenant's admin does on the portal",
    )
    .await;

    // One line each: badges, behind chip, scope count, client ID, secret age.
    assert_eq!(lines(&d).await, 3);
    d.find(&format!("{ROW_B} .env-production")).await;
    d.find(&format!("{ROW_A} .env-integration")).await;
    d.wait_text(ROW_A, "behind by 1").await;
    d.wait_text(ROW_C, "Up to date").await;
    d.wait_text(&format!("{ROW_A} [data-secret=\"current\"]"), "today")
        .await;
    d.show("#connections").await;
    d.click(&format!("{ROW_A} .scopes-count")).await;
    d.wait_text(
        &format!("{ROW_A} + tr.detail .in-play"),
        "CRM › Customers (View) tn.crm.customers:r",
    )
    .await;
    // (The ID is cut to fit, so read the whole of it as its title holds it.)
    let cid = d
        .find(&format!("{ROW_A} .cid"))
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(cid.starts_with("cid."), "{cid:?}");

    d.show("#connections").await;
    d.screenshot("lifecycle-connections").await;

    // The notes beside the upgrade are the core's, word for word (the CLI's).
    let notes = format!("{ROW_A} + tr.detail [data-notes=\"1-2\"] pre");
    d.wait_text(&notes, "version 1 to version 2").await;
    let shown = d
        .wait_js(&format!("document.querySelector({:?}).textContent", notes))
        .await;
    let shown = shown.as_str().unwrap();
    let cli = d.cli(&["notes", &id, "--from", "1", "--to", "2"]);
    assert_eq!(shown.trim(), cli.trim());
    d.screenshot("lifecycle-notes").await;

    // Filters: environment, status, behind.
    let pick = |css: &'static str, value: &'static str| {
        let d = &d;
        async move { d.find(css).await.select_by_value(value).await.unwrap() }
    };
    pick("#conn-filter-env", "production").await;
    d.wait_text("#conn-shown", "2 shown").await;
    pick("#conn-filter-behind", "behind").await;
    d.wait_text("#conn-shown", "1 shown").await;
    assert_eq!(lines(&d).await, 1);
    d.find(ROW_B).await;
    pick("#conn-filter-env", "all").await;
    pick("#conn-filter-status", "disabled").await;
    d.wait_text("#conn-shown", "0 shown").await;
    pick("#conn-filter-status", "all").await;
    pick("#conn-filter-behind", "all").await;
    d.wait_text("#conn-shown", "3 shown").await;

    // The row menu by keyboard: ArrowDown opens on the first item, ArrowUp on
    // the last; Esc closes it and gives focus back to its button.
    d.type_into(&format!("{ROW_A} .menu-button"), ARROW_DOWN)
        .await;
    d.wait_js("document.activeElement?.dataset.action === 'upgrade'")
        .await;
    d.type_into("[role=menu] [data-action=upgrade]", ARROW_DOWN)
        .await;
    d.wait_js("document.activeElement?.dataset.action === 'disable'")
        .await;
    d.type_into("[role=menu] [data-action=disable]", ESCAPE)
        .await;
    d.wait_js(
        "!document.querySelector('[role=menu]') && \
         document.activeElement?.classList.contains('menu-button')",
    )
    .await;
    d.type_into(&format!("{ROW_A} .menu-button"), ARROW_UP)
        .await;
    d.wait_js("document.activeElement?.dataset.action === 'regenerate'")
        .await;
    d.type_into("[role=menu] [data-action=regenerate]", ESCAPE)
        .await;

    // "Upgrade all behind" lists the two lines behind; Cancel changes nothing.
    let versions = || {
        d.store()
            .connections(&id)
            .unwrap()
            .iter()
            .map(|c| (c.tenant_id.clone(), c.environment, c.version))
            .collect::<Vec<_>>()
    };
    let before = versions();
    d.click("#upgrade-all").await;
    d.confirmation("to the latest version").await;
    let listed = d.text("#confirm-items").await;
    assert!(
        listed.contains("tenant 1234 in Integration: version 1 to 2"),
        "{listed}"
    );
    assert!(
        listed.contains("tenant 5678 in Production: version 1 to 2"),
        "{listed}"
    );
    assert!(!listed.contains("1234 in Production"), "{listed}");
    d.screenshot("lifecycle-upgrade-all").await;
    d.answer_confirmation(false).await;
    assert_eq!(versions(), before, "Cancel changed nothing");
    d.click("#upgrade-all").await;
    d.confirmation("to the latest version").await;
    d.answer_confirmation(true).await;
    d.wait_text(ROW_A, "Up to date").await;
    d.wait_text(ROW_B, "Up to date").await;
    assert!(
        versions().iter().all(|(_, _, v)| *v == 2),
        "{:?}",
        versions()
    );
    d.close().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn rotate_shows_the_new_secret_once_and_retire_previous_ends_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (id, first) = {
        let store = open_store(dir.path());
        let app = store.create_app(&sample_app("Crew Tracker", "")).unwrap();
        let c = store
            .connect(&app.id, "1234", Environment::Integration)
            .unwrap();
        (app.id, c.client_secret.unwrap())
    };
    let d = Desktop::launch_in(dir).await;
    d.click(r#"button[data-app-name="Crew Tracker"]"#).await;
    d.tab("connections").await;
    d.find(ROW_A).await;
    let show = |reveal: bool| {
        let mut args = vec!["--json", "conn", "show", &id, "--tenant", "1234"];
        if reveal {
            args.push("--reveal");
        }
        serde_json::from_str::<serde_json::Value>(&d.cli(&args)).unwrap()
    };
    assert_eq!(show(false)["secrets"].as_array().unwrap().len(), 1);

    d.row_action(ROW_A, "rotate").await;
    let second = d.reveal_secret().await;
    d.wait_text("#secret-dialog", "previous secret keeps working")
        .await;
    d.screenshot("lifecycle-rotated-secret").await;
    d.close_secret_uncopied().await;
    assert_ne!(second.trim(), first);
    let both = show(true);
    assert_eq!(both["clientSecret"].as_str(), Some(second.trim()));
    let secrets = both["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2, "{both}");
    assert!(
        secrets.iter().any(|s| s["value"].as_str() == Some(&first)),
        "{both}"
    );
    d.wait_text(
        &format!("{ROW_A} [data-secret=\"previous\"]"),
        "previous: today",
    )
    .await;

    // Retire previous asks first; Cancel keeps both; confirmed, the old one ends.
    d.row_action(ROW_A, "retire-previous").await;
    d.confirmation("previous client secret of tenant 1234 in Integration stops working")
        .await;
    d.answer_confirmation(false).await;
    assert_eq!(show(false)["secrets"].as_array().unwrap().len(), 2);
    d.row_action(ROW_A, "retire-previous").await;
    d.confirmation("stops working").await;
    d.answer_confirmation(true).await;
    d.wait_js(
        "!document.querySelector('tr[data-connection=\"1234:integration\"] [data-secret=previous]')",
    )
    .await;
    let after = show(true);
    let secrets = after["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1, "{after}");
    assert_eq!(secrets[0]["current"], true);
    assert_eq!(after["clientSecret"].as_str(), Some(second.trim()));
    d.close().await;
}

#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn behind_view_filters_requests_upgrades_and_exports_csv_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("dialog-answer");
    let out = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        let board = store.create_app(&sample_app("Board", "")).unwrap();
        // A name a spreadsheet would run as a formula, with a comma and quotes.
        let mut crew = sample_app(r#"=Crew, "Ops""#, "");
        crew.tenants = vec![appdesk_core::TenantEntry::new("5678", "")];
        let crew = store.create_app(&crew).unwrap();
        store
            .connect(&board.id, "1234", Environment::Integration)
            .unwrap();
        store
            .connect(&crew.id, "5678", Environment::Production)
            .unwrap();
        for app in [&board.id, &crew.id] {
            store
                .set_scopes(app, &["tn.crm.customers:r".into(), "tn.crm.leads:w".into()])
                .unwrap();
        }
    }
    let d = Desktop::launch_with(
        dir.path(),
        &[("APPDESK_E2E_DIALOG", answer.display().to_string())],
    )
    .await;
    d.click("#nav-behind").await;
    d.wait_text("#behind-count", "2 connections behind").await;
    let board_row = r#"tr[data-behind="Board:1234:integration"]"#;
    d.wait_text(board_row, "1 → 2").await;
    d.screenshot("lifecycle-behind").await;

    // Filters: app, tenant, days behind (both became behind today).
    let board_id = d.store().behind(Some("Board"), None).unwrap()[0]
        .app_id
        .clone();
    d.find("#behind-app")
        .await
        .select_by_value(&board_id)
        .await
        .unwrap();
    d.wait_text("#behind-count", "1 connection behind").await;
    d.find("#behind-app")
        .await
        .select_by_value("")
        .await
        .unwrap();
    d.type_into("#behind-tenant", "5678").await;
    d.wait_text("#behind-count", "1 connection behind").await;
    d.find(r#"tr[data-behind="=Crew, \"Ops\":5678:production"]"#)
        .await;
    d.retype("#behind-tenant", "").await;
    d.type_into("#behind-days", "1").await;
    d.wait_text(
        "#behind-empty",
        "No connection is behind with these filters",
    )
    .await;
    d.retype("#behind-days", "").await;
    d.wait_text("#behind-count", "2 connections behind").await;

    // Request upgrade for Board's line only: the CLI's ledger shows it asked.
    d.find("#behind-app")
        .await
        .select_by_value(&board_id)
        .await
        .unwrap();
    d.wait_text("#behind-count", "1 connection behind").await;
    d.click("#behind-request").await;
    d.wait_text("#behind-done", "Asked 1 connection to upgrade")
        .await;
    d.wait_text(board_row, "requested 0 days ago").await;
    let ledger = d.cli(&["behind"]);
    let line = |name: &str| {
        ledger
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {ledger}"))
            .to_owned()
    };
    assert!(line("Board").ends_with("requested 0 days ago"), "{ledger}");
    assert!(line("=Crew").trim_end().ends_with('-'), "{ledger}");
    let json: serde_json::Value = serde_json::from_str(&d.cli(&["--json", "behind"])).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        2,
        "asking upgrades nothing: {json}"
    );

    // Export both lines as CSV and as Markdown through the save dialog.
    d.find("#behind-app")
        .await
        .select_by_value("")
        .await
        .unwrap();
    d.wait_text("#behind-count", "2 connections behind").await;
    let csv = out.path().join("behind.csv");
    std::fs::write(&answer, format!("{}\n", csv.display())).unwrap();
    d.click("#behind-export-csv").await;
    d.wait_text("#behind-done", "behind.csv").await;
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.split("\r\n").collect();
    assert!(rows[0].starts_with("App,Tenant,Environment,"), "{text}");
    assert_eq!(
        rows.len(),
        4,
        "a header, two lines, the final CRLF: {text:?}"
    );
    assert!(rows.contains(&""), "{text:?}");
    let crew = rows.iter().find(|r| r.contains("5678")).unwrap();
    assert!(
        crew.starts_with(r#""'=Crew, ""Ops""",5678,production,1,2,1,"#),
        "formula-guarded and quoted: {crew}"
    );
    let md = out.path().join("behind.md");
    std::fs::write(&answer, format!("{}\n", md.display())).unwrap();
    d.click("#behind-export-md").await;
    d.wait_text("#behind-done", "behind.md").await;
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Connections behind\n"), "{text}");
    assert!(
        text.contains("| Board | 1234 | integration | 1 | 2 | 1 |"),
        "{text}"
    );
    assert!(text.contains("requested 0 days ago"), "{text}");

    // A cancelled dialog writes nothing.
    std::fs::write(&answer, "").unwrap();
    std::fs::remove_file(&md).unwrap();
    d.click("#behind-export-md").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!md.exists());
    d.close().await;
}
