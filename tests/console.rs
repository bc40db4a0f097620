//! The portal's web console (issue 19 §2) in Debian's Chromium over WebDriver,
//! against the real `appdesk-portal` on a throwaway PostgreSQL: sign-in and its
//! cookie, each admin's list, the app page, Connect with the secret shown once,
//! an upgrade with the notes `appdesk notes` prints, every other action, a
//! developer's read-only view, sign-out, and a write from another origin
//! refused. The oracle for what happened is the portal's own HTTP answers (and
//! the `appdesk` CLI for the notes). Run by `scripts/e2e-console`.

use appdesk_e2e::console::{
    CUSTOMERS_VIEW, JOBS_MODIFY, TENANT_A, TENANT_B, World, id_of, other_origin, tid, tid_at, world,
};
use appdesk_e2e::{Browser, ENTER};
use serde_json::{Value, json};

async fn start() -> (World, Browser) {
    let world = tokio::task::spawn_blocking(world)
        .await
        .expect("the world is made");
    (world, Browser::start().await)
}

/// The connections of `tenant` in `env` on app `id`, as the admin's API answers.
async fn connection(admin: &appdesk_testkit::Api, id: &str, tenant: &str, env: &str) -> Value {
    let all = admin.get(&format!("/v1/apps/{id}/connections")).await.ok();
    all.as_array()
        .expect("a list of connections")
        .iter()
        .find(|c| c["tenantId"] == tenant && c["environment"] == env)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Connects `tenant` in production on app `id` over the API, as its admin.
async fn connect_over_api(admin: &appdesk_testkit::Api, app: &Value, tenant: &str) -> Value {
    let id = id_of(app);
    let current = admin.get(&format!("/v1/apps/{id}")).await.ok();
    let revision = current["revision"].as_i64().expect("a revision");
    admin
        .write(
            "POST",
            &format!("/v1/apps/{id}/connections"),
            Some(&json!({"tenantId": tenant, "environment": "production"})),
            Some(revision),
        )
        .await
        .ok()
}

/// A developer's scope change: adds Jobs (Modify), a new version.
async fn add_jobs_modify(w: &World) {
    let id = id_of(&w.shared);
    let current = w.dev.get(&format!("/v1/apps/{id}")).await.ok();
    let revision = current["revision"].as_i64().expect("a revision");
    w.dev
        .patch(&id, revision, &json!({"scopes": {"add": [JOBS_MODIFY]}}))
        .await
        .ok();
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn sign_in_sets_a_strict_http_only_cookie_and_the_page_keeps_no_token() {
    let (w, b) = start().await;
    let base = w.portal.base_url();
    b.sign_in(&base, &w.admin_a_token).await;

    let cookies = b.cookies().await;
    let session = cookies
        .iter()
        .find(|c| c.name() == "appdesk_session")
        .unwrap_or_else(|| panic!("a session cookie; the browser holds {cookies:?}"));
    assert_eq!(session.http_only(), Some(true), "HttpOnly");
    assert_eq!(
        format!("{:?}", session.same_site()),
        "Some(Strict)",
        "SameSite=Strict"
    );
    assert_ne!(
        session.value(),
        w.admin_a_token,
        "the cookie is not the token"
    );
    let visible = b.script_visible_storage().await;
    assert!(
        !visible.contains(&w.admin_a_token) && !visible.contains(session.value()),
        "neither the token nor the session is readable by the page's script: {visible:?}"
    );
    // The server keeps only a hash of the session.
    let dump = w.portal.dump();
    assert!(
        !dump.contains(session.value()),
        "the session is stored hashed"
    );
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn each_admin_lists_only_the_apps_of_their_own_tenants() {
    let (w, b) = start().await;
    let base = w.portal.base_url();
    for (token, sees, never, own, other) in [
        (
            &w.admin_a_token,
            [&w.shared, &w.only_a],
            &w.only_b,
            TENANT_A,
            TENANT_B,
        ),
        (
            &w.admin_b_token,
            [&w.shared, &w.only_b],
            &w.only_a,
            TENANT_B,
            TENANT_A,
        ),
    ] {
        b.sign_in(&base, token).await;
        b.find(&tid("apps-table")).await;
        for app in sees {
            b.find(&format!(
                "{}[data-app-id=\"{}\"]",
                tid("app-row"),
                id_of(app)
            ))
            .await;
        }
        assert_eq!(b.count(&tid("app-row")).await, 2, "two apps each");
        let page = b.text("body").await;
        assert!(
            !page.contains(never["name"].as_str().unwrap()),
            "{own}'s admin never sees {}",
            never["name"]
        );
        assert!(
            !page.contains(other) && !page.contains("private note"),
            "{own}'s admin never sees the other tenant or its note: {page}"
        );
        // Search narrows the list.
        b.type_into(&tid("search"), "Dispatch").await;
        b.wait_js(&format!(
            "document.querySelectorAll('{}').length === 1",
            tid("app-row").replace('"', "\\\"")
        ))
        .await;
        b.click(&tid("signout")).await;
        b.find(&tid("signin-token")).await;
    }
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn the_app_page_shows_scopes_in_plain_words_with_modify_called_out_and_the_versions() {
    let (w, b) = start().await;
    add_jobs_modify(&w).await;
    b.sign_in(&w.portal.base_url(), &w.admin_a_token).await;
    b.click(&format!(
        "{}[data-app-id=\"{}\"] a",
        tid("app-row"),
        id_of(&w.shared)
    ))
    .await;
    b.wait_text(&tid("app-title"), "Dispatch Board").await;
    let scopes = b.wait_text(&tid("scopes"), "Customers").await;
    for words in ["CRM", "Customers", "Job Planning and Management", "Jobs"] {
        assert!(
            scopes.contains(words),
            "the scopes name {words:?}: {scopes}"
        );
    }
    assert!(
        !scopes.contains(CUSTOMERS_VIEW) || scopes.contains("Customers"),
        "plain words, not only scope strings"
    );
    let lower = scopes.to_lowercase();
    assert!(
        lower.contains("modify") || lower.contains("change"),
        "Modify is called out: {scopes}"
    );
    let versions = b.wait_text(&tid("versions"), "2").await;
    assert!(
        versions.contains('1') && versions.contains("dev"),
        "{versions}"
    );
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn connect_shows_the_secret_once_and_a_reload_forgets_it() {
    let (w, b) = start().await;
    let id = id_of(&w.shared);
    b.sign_in(&w.portal.base_url(), &w.admin_a_token).await;
    b.open(&format!("{}/apps/{id}", w.portal.base_url())).await;
    b.wait_text(&tid("state"), "Not connected").await;
    b.click(&tid_at("action-connect", TENANT_A, "production"))
        .await;
    b.dialog_saying(&["Customers"]).await;
    b.confirm_dialog().await;

    let masked = b.text(&tid("secret")).await;
    assert!(
        !masked.contains("cs1."),
        "masked until revealed: {masked:?}"
    );
    b.click(&tid("secret-reveal")).await;
    let secret = b.wait_text(&tid("secret"), "cs1.").await;
    let client_id = b.text(&tid("client-id")).await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(conn["clientId"].as_str(), Some(client_id.trim()), "{conn}");
    assert_eq!(conn["status"], "active");

    b.client.refresh().await.expect("reload");
    b.wait_text(
        &tid_at("state", TENANT_A, "production"),
        "Connected on version 1",
    )
    .await;
    assert_eq!(b.count(&tid("secret")).await, 0, "the secret is gone");
    let page = b.text("body").await;
    assert!(!page.contains(secret.trim()), "never shown again");
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn an_upgrade_after_a_developer_scope_change_shows_the_notes_appdesk_prints_then_applies() {
    let (w, b) = start().await;
    let id = id_of(&w.shared);
    connect_over_api(&w.admin_a, &w.shared, TENANT_A).await;
    add_jobs_modify(&w).await;

    // The independent oracle: the developer's own Appdesk, linked, prints the notes.
    let url = w.portal.base_url();
    let dev_token = w.dev_token.clone();
    let expected = tokio::task::spawn_blocking(move || {
        let desk = appdesk_testkit::Client::new("dev");
        desk.link(&url, &dev_token);
        desk.sync().expect("the developer's Appdesk syncs");
        let out = desk
            .cmd()
            .args(["notes", "Dispatch Board", "--from", "1", "--to", "2"])
            .output()
            .expect("run appdesk notes");
        assert!(out.status.success(), "appdesk notes: {out:?}");
        String::from_utf8(out.stdout).expect("UTF-8")
    })
    .await
    .expect("the CLI ran");

    b.sign_in(&w.portal.base_url(), &w.admin_a_token).await;
    b.find(&format!("{}[data-app-id=\"{id}\"]", tid("app-row")))
        .await;
    b.wait_text(&tid_at("state", TENANT_A, "production"), "Behind by 1")
        .await;
    b.open(&format!("{}/apps/{id}", w.portal.base_url())).await;
    b.click(&tid_at("action-upgrade", TENANT_A, "production"))
        .await;
    let notes = b.wait_text(&tid("notes"), "Jobs").await;
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            squash(&notes).contains(&squash(line)),
            "the console's notes carry {line:?} as `appdesk notes` prints it; they are {notes:?}"
        );
    }
    b.confirm_dialog().await;
    b.wait_text(
        &tid_at("state", TENANT_A, "production"),
        "Connected on version 2",
    )
    .await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(conn["version"], 2, "{conn}");
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn disable_enable_regenerate_rotate_and_retire_previous_each_after_a_confirmation() {
    let (w, b) = start().await;
    let id = id_of(&w.shared);
    let first = connect_over_api(&w.admin_a, &w.shared, TENANT_A).await;
    b.sign_in(&w.portal.base_url(), &w.admin_a_token).await;
    b.open(&format!("{}/apps/{id}", w.portal.base_url())).await;
    let state = tid_at("state", TENANT_A, "production");
    b.wait_text(&state, "Connected on version 1").await;

    b.click(&tid_at("action-disable", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.click(&tid("dialog-cancel")).await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(conn["status"], "active", "Cancel changes nothing");

    b.click(&tid_at("action-disable", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.confirm_dialog().await;
    b.wait_text(&state, "Disabled").await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(conn["status"], "disabled");

    b.click(&tid_at("action-enable", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.confirm_dialog().await;
    b.wait_text(&state, "Connected on version 1").await;
    assert_eq!(
        connection(&w.admin_a, &id, TENANT_A, "production").await["status"],
        "active"
    );

    b.click(&tid_at("action-regenerate", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.confirm_dialog().await;
    b.click(&tid("secret-reveal")).await;
    let regenerated = b.wait_text(&tid("secret"), "cs1.").await;
    assert_ne!(
        Some(regenerated.trim()),
        first["clientSecret"].as_str(),
        "a new secret"
    );
    b.client.refresh().await.expect("reload");

    b.click(&tid_at("action-rotate", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.confirm_dialog().await;
    b.click(&tid("secret-reveal")).await;
    let rotated = b.wait_text(&tid("secret"), "cs1.").await;
    assert_ne!(
        rotated.trim(),
        regenerated.trim(),
        "rotation makes a new secret"
    );
    b.client.refresh().await.expect("reload");

    b.click(&tid_at("action-retire-previous", TENANT_A, "production"))
        .await;
    b.dialog_saying(&[TENANT_A]).await;
    b.confirm_dialog().await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(conn["status"], "active", "{conn}");
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn sign_out_ends_the_session_on_the_server_too() {
    let (w, b) = start().await;
    let base = w.portal.base_url();
    b.sign_in(&base, &w.admin_a_token).await;
    let cookie = b
        .cookies()
        .await
        .into_iter()
        .find(|c| c.name() == "appdesk_session")
        .expect("a session cookie");
    let anonymous = w.portal.api(None);
    let with_cookie = |value: String| {
        let anonymous = anonymous.clone();
        async move {
            let cookie = format!("appdesk_session={value}");
            anonymous
                .request("GET", "/v1/me", None, &[("cookie", cookie)])
                .await
                .status
        }
    };
    assert_eq!(with_cookie(cookie.value().to_owned()).await, 200);
    b.click(&tid("signout")).await;
    b.find(&tid("signin-token")).await;
    assert_eq!(
        with_cookie(cookie.value().to_owned()).await,
        401,
        "the old session is over, even replayed"
    );
    b.client.refresh().await.expect("reload");
    b.find(&tid("signin-token")).await;
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn writes_from_another_origin_with_the_session_cookie_are_refused() {
    let (w, b) = start().await;
    let base = w.portal.base_url();
    let id = id_of(&w.shared);
    connect_over_api(&w.admin_a, &w.shared, TENANT_A).await;
    b.sign_in(&base, &w.admin_a_token).await;

    // Another site's page posts to the portal with the browser's cookie: a
    // forged action, and a forged sign-in as someone else (login CSRF).
    b.open(&other_origin()).await;
    let forge = format!(
        "const [done] = arguments; const base = {base:?}; \
         const post = (path, body) => fetch(base + path, {{method: 'POST', mode: 'no-cors', \
           credentials: 'include', headers: {{'Content-Type': 'text/plain'}}, body}}).catch(() => null); \
         Promise.all([post('/v1/apps/{id}/connections/{TENANT_A}/production/disable', ''), \
                      post('/auth/session', JSON.stringify({{token: {token:?}}}))]) \
           .then(() => done(true));",
        token = w.admin_b_token
    );
    b.client
        .execute_async(&forge, vec![])
        .await
        .expect("the forged requests ran");

    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(
        conn["status"], "active",
        "the forged disable changed nothing"
    );
    b.open(&format!("{base}/")).await;
    let me = b
        .client
        .execute_async(
            "const [done] = arguments; fetch('/v1/me').then((r) => r.json()).then(done, (e) => done(String(e)));",
            vec![],
        )
        .await
        .expect("/v1/me from the console");
    assert_eq!(
        me["user"], "ann",
        "still signed in as ann, not as the forger's bob: {me}"
    );
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn a_developer_sees_the_workspace_read_only() {
    let (w, b) = start().await;
    connect_over_api(&w.admin_a, &w.shared, TENANT_A).await;
    b.sign_in(&w.portal.base_url(), &w.dev_token).await;
    b.find(&format!(
        "{}[data-app-id=\"{}\"]",
        tid("app-row"),
        id_of(&w.shared)
    ))
    .await;
    b.find(&format!(
        "{}[data-app-id=\"{}\"]",
        tid("app-row"),
        id_of(&w.only_b)
    ))
    .await;
    assert_eq!(
        b.count(&tid("app-row")).await,
        2,
        "team's two apps, not other's"
    );
    b.open(&format!(
        "{}/apps/{}",
        w.portal.base_url(),
        id_of(&w.shared)
    ))
    .await;
    b.wait_text(&tid("app-title"), "Dispatch Board").await;
    b.wait_text(&tid("connections"), TENANT_A).await;
    b.wait_text("body", "Edits are made in Appdesk").await;
    assert_eq!(
        b.count("[data-testid^=\"action-\"]").await,
        0,
        "no action for a developer"
    );
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn an_upgrade_request_from_appdesk_reaches_the_admin_and_goes_stale() {
    let (w, b) = start().await;
    connect_over_api(&w.admin_a, &w.shared, TENANT_A).await;
    add_jobs_modify(&w).await;
    let url = w.portal.base_url();
    let dev_token = w.dev_token.clone();
    let desk = tokio::task::spawn_blocking(move || {
        let desk = appdesk_testkit::Client::new("dev");
        desk.link(&url, &dev_token);
        desk.sync().expect("a first sync");
        desk.json(&["upgrade-request", "Dispatch Board", "--tenant", TENANT_A]);
        desk.sync().expect("the request is sent");
        desk
    })
    .await
    .expect("the CLI ran");

    b.sign_in(&w.portal.base_url(), &w.admin_a_token).await;
    let waiting = b
        .wait_text(&tid("requests-waiting"), "Dispatch Board")
        .await;
    assert!(waiting.contains('2'), "the version asked for: {waiting}");

    // B's admin sees no request of A's.
    let b2 = Browser::start().await;
    b2.sign_in(&w.portal.base_url(), &w.admin_b_token).await;
    b2.find(&tid("apps-table")).await;
    assert_eq!(b2.count(&tid("request-row")).await, 0, "not B's request");
    b2.close().await;

    // A newer version: the request for version 2 goes stale.
    let id = id_of(&w.shared);
    let current = w.dev.get(&format!("/v1/apps/{id}")).await.ok();
    w.dev
        .patch(
            &id,
            current["revision"].as_i64().unwrap(),
            &json!({"scopes": {"add": ["tn.jpm.jobtypes:r"]}}),
        )
        .await
        .ok();
    b.client.refresh().await.expect("reload");
    b.find(&tid("apps-table")).await;
    b.wait_js(&format!(
        "document.querySelectorAll('{}').length === 0",
        tid("request-row").replace('"', "\\\"")
    ))
    .await;
    drop(desk);
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn every_screen_passes_axe_in_light_and_dark() {
    let (w, b) = start().await;
    connect_over_api(&w.admin_a, &w.only_a, TENANT_A).await;
    add_jobs_modify(&w).await;
    let base = w.portal.base_url();
    let id = id_of(&w.shared);
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        b.open(&format!("{base}/")).await;
        b.find(&tid("signin-token")).await;
        b.choose_theme(theme).await;
        b.check_screen(
            &format!("console-{theme}-signin"),
            &format!("{theme} sign-in"),
            &mut problems,
        )
        .await;
        b.type_into(&tid("signin-token"), &w.admin_a_token).await;
        b.press(ENTER).await;
        b.find(&tid("apps-table")).await;
        b.check_screen(
            &format!("console-{theme}-apps"),
            &format!("{theme} apps"),
            &mut problems,
        )
        .await;
        b.open(&format!("{base}/apps/{id}")).await;
        b.wait_text(&tid("app-title"), "Dispatch Board").await;
        b.check_screen(
            &format!("console-{theme}-app"),
            &format!("{theme} app page"),
            &mut problems,
        )
        .await;
        // Each pass connects another environment: the first one's is done.
        let env = if theme == "light" {
            "integration"
        } else {
            "production"
        };
        b.click(&tid_at("action-connect", TENANT_A, env)).await;
        b.find(&tid("dialog")).await;
        b.check_screen(
            &format!("console-{theme}-connect-dialog"),
            &format!("{theme} connect dialog"),
            &mut problems,
        )
        .await;
        b.confirm_dialog().await;
        b.find(&tid("secret")).await;
        b.check_screen(
            &format!("console-{theme}-secret"),
            &format!("{theme} secret shown once"),
            &mut problems,
        )
        .await;
        b.client.refresh().await.expect("reload");
        b.click(&tid("signout")).await;
        b.find(&tid("signin-token")).await;

        // A developer's read-only list and app page.
        b.type_into(&tid("signin-token"), &w.dev_token).await;
        b.press(ENTER).await;
        b.find(&tid("apps-table")).await;
        b.check_screen(
            &format!("console-{theme}-developer-apps"),
            &format!("{theme} developer's apps"),
            &mut problems,
        )
        .await;
        b.open(&format!("{base}/apps/{id}")).await;
        b.wait_text(&tid("connections"), TENANT_A).await;
        b.check_screen(
            &format!("console-{theme}-developer-app"),
            &format!("{theme} developer's app page"),
            &mut problems,
        )
        .await;
        b.click(&tid("signout")).await;
        b.find(&tid("signin-token")).await;
    }
    assert!(problems.is_empty(), "axe found:\n{}", problems.join("\n"));
    b.close().await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromium-driver, the built portal and PostgreSQL: run scripts/e2e-console"]
async fn an_admin_signs_in_connects_and_signs_out_from_the_keyboard_alone() {
    let (w, b) = start().await;
    let base = w.portal.base_url();
    let id = id_of(&w.shared);
    b.open(&format!("{base}/")).await;
    b.tab_to(&tid("signin-token")).await;
    b.press(&w.admin_a_token).await;
    b.press(ENTER).await;
    b.find(&tid("apps-table")).await;
    b.tab_to(&tid("search")).await;
    b.press("Dispatch").await;
    b.tab_to(&format!("{}[data-app-id=\"{id}\"] a", tid("app-row")))
        .await;
    b.press(ENTER).await;
    b.wait_text(&tid("app-title"), "Dispatch Board").await;
    b.tab_to(&tid_at("action-connect", TENANT_A, "production"))
        .await;
    b.press(ENTER).await;
    b.find(&tid("dialog")).await;
    b.tab_to(&tid("dialog-confirm")).await;
    b.press(ENTER).await;
    b.tab_to(&tid("secret-reveal")).await;
    b.press(ENTER).await;
    b.wait_text(&tid("secret"), "cs1.").await;
    let conn = connection(&w.admin_a, &id, TENANT_A, "production").await;
    assert_eq!(
        conn["status"], "active",
        "connected from the keyboard: {conn}"
    );
    b.tab_to(&tid("signout")).await;
    b.press(ENTER).await;
    b.find(&tid("signin-token")).await;
    b.close().await;
}
