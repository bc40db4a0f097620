//! Sessions: the cookie's flags, what it opens, what the database keeps of
//! it, and the four ways it ends (sign-out, 12 hours idle, its token
//! revoked, never made from a bad token).

use serde_json::json;

use super::{Browser, COOKIE, cookie_of, session_of, session_rows, sign_in, sign_in_from};
use crate::common::{Portal, sample_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cookie_is_httponly_strict_on_every_path_and_secure_only_behind_https() {
    let portal = Portal::start();
    let plain = sign_in(&portal, &portal.dev_token).await;
    let set = plain.expect(204).header("set-cookie").unwrap();
    let attributes: Vec<&str> = set.split(';').map(str::trim).collect();
    for wanted in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&wanted), "{wanted} in {set}");
    }
    assert!(
        !attributes.contains(&"Secure"),
        "not Secure over http: {set}"
    );
    let value = cookie_of(&plain);
    assert_eq!(value.len(), 43, "32 bytes in base64url: {value}");
    assert!(
        value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );

    // Behind a TLS proxy, the browser's origin is https.
    let https_origin = portal.base_url().replacen("http://", "https://", 1);
    let proxied = sign_in_from(
        &portal,
        &portal.dev_token,
        &[
            ("x-forwarded-proto", "https".to_owned()),
            ("origin", https_origin),
        ],
    )
    .await;
    let set = proxied.expect(204).header("set-cookie").unwrap();
    assert!(set.split(';').any(|a| a.trim() == "Secure"), "{set}");
    assert_ne!(cookie_of(&proxied), value, "each sign-in is a new session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cookie_authenticates_reads_as_its_token_would() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap();

    let dev = Browser::new(&portal, &session_of(&portal, &portal.dev_token).await);
    for path in ["/v1/apps".to_owned(), format!("/v1/apps/{id}")] {
        let by_cookie = dev.get(&path).await;
        let by_bearer = portal.dev.get(&path).await;
        assert_eq!(by_cookie.status, 200, "{path}: {}", by_cookie.text);
        // A listing's feed cursor is the cluster's transaction horizon, which
        // other transactions move between the two reads: the apps must match.
        let (mut by_cookie, mut by_bearer) = (by_cookie.json(), by_bearer.json());
        for body in [&mut by_cookie, &mut by_bearer] {
            if let Some(listing) = body.as_object_mut() {
                listing.remove("cursor");
            }
        }
        assert_eq!(by_cookie, by_bearer, "{path}");
    }
    let admin = Browser::new(&portal, &session_of(&portal, &portal.admin_token).await);
    let path = format!("/v1/apps/{id}/connections");
    assert_eq!(
        admin.get(&path).await.ok(),
        portal.admin.get(&path).await.ok()
    );
    // No cookie and no token: still 401.
    portal.api(None).get("/v1/apps").await.expect(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_database_keeps_only_the_cookies_hash() {
    let portal = Portal::start();
    let cookie = session_of(&portal, &portal.dev_token).await;
    assert_eq!(session_rows(&portal), 1);
    // The row is found by the SHA-256 of the value (PostgreSQL's own), and
    // neither the value nor the token is anywhere in the database.
    let found = portal.psql(&format!(
        "SELECT count(*) FROM sessions WHERE hash = sha256('{cookie}'::bytea)"
    ));
    assert_eq!(found.trim(), "1");
    let rows = portal.psql("SELECT * FROM sessions");
    assert!(!rows.contains(&cookie), "{rows}");
    let dump = portal.dump();
    assert!(!dump.contains(&cookie), "the cookie value is in the dump");
    assert!(
        !dump.contains(&portal.dev_token),
        "the token is in the dump"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let portal = Portal::start();
    let browser = Browser::new(&portal, &session_of(&portal, &portal.dev_token).await);
    browser.get("/v1/apps").await.expect(200);

    let out = browser.sign_out().await;
    let set = out.expect(204).header("set-cookie").unwrap();
    assert!(set.starts_with(&format!("{COOKIE}=;")), "{set}");
    assert!(set.contains("Max-Age=0"), "{set}");
    assert_eq!(session_rows(&portal), 0, "the row is deleted");
    // The same cookie, kept by a browser that ignored the clearing, is refused.
    browser.get("/v1/apps").await.expect(401);
    browser.get("/v1/me").await.expect(401);
    // The token itself still works: signing out ends the session, not the token.
    portal.dev.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_unused_for_12_hours_ends_and_use_keeps_it_alive() {
    let portal = Portal::start();
    let idle = Browser::new(&portal, &session_of(&portal, &portal.dev_token).await);
    let busy_cookie = session_of(&portal, &portal.admin_token).await;
    let busy = Browser::new(&portal, &busy_cookie);

    let age = |cookie: &str| -> String {
        portal
            .psql(&format!(
                "SELECT now() - last_used_at < interval '1 minute' FROM sessions \
                 WHERE hash = sha256('{cookie}'::bytea)"
            ))
            .trim()
            .to_owned()
    };
    // Last used 11h59m ago: still open, and this use counts as the last.
    portal.psql(&format!(
        "UPDATE sessions SET last_used_at = now() - interval '11 hours 59 minutes' \
         WHERE hash = sha256('{busy_cookie}'::bytea)"
    ));
    assert_eq!(age(&busy_cookie), "f");
    busy.get("/v1/apps").await.expect(200);
    assert_eq!(age(&busy_cookie), "t", "the use refreshed last_used_at");

    // Last used 12 hours and a minute ago: over, and its row is gone.
    portal.psql(&format!(
        "UPDATE sessions SET last_used_at = now() - interval '12 hours 1 minute' \
         WHERE hash <> sha256('{busy_cookie}'::bytea)"
    ));
    idle.get("/v1/apps").await.expect(401);
    assert_eq!(session_rows(&portal), 1, "only the busy session is left");
    busy.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn revoking_a_token_ends_its_sessions() {
    let portal = Portal::start();
    let token = portal.token("team", "carol", &[]);
    let first = Browser::new(&portal, &session_of(&portal, &token).await);
    let second = Browser::new(&portal, &session_of(&portal, &token).await);
    let other = Browser::new(&portal, &session_of(&portal, &portal.dev_token).await);
    first.get("/v1/apps").await.expect(200);

    portal.revoke(&token);
    first.get("/v1/apps").await.expect(401);
    second.get("/v1/me").await.expect(401);
    assert_eq!(
        session_rows(&portal),
        1,
        "only the other token's session is left"
    );
    other.get("/v1/apps").await.expect(200);
    // And a revoked token makes no new session.
    sign_in(&portal, &token).await.expect(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bad_token_at_sign_in_gets_401_and_makes_no_session() {
    let portal = Portal::start();
    let prefix: String = portal.dev_token.chars().take("adp_".len() + 8).collect();
    let wrong_secret = format!("{prefix}_{}", "0".repeat(40));
    for token in [
        "",
        "adp_00000000_nothing",
        "Bearer x",
        wrong_secret.as_str(),
    ] {
        let reply = sign_in(&portal, token).await;
        reply.expect(401);
        assert_eq!(reply.json()["code"], "unauthorized", "{}", reply.text);
        assert!(reply.header("set-cookie").is_none(), "{token:?}");
    }
    // The API's own 401, word for word.
    assert_eq!(
        sign_in(&portal, "adp_00000000_nothing").await.json(),
        portal
            .api(Some("adp_00000000_nothing"))
            .get("/v1/apps")
            .await
            .json()
    );
    // Not JSON, or not the body's shape.
    let origin = [("origin", portal.base_url())];
    let api = portal.api(None);
    let not_json = api
        .request("POST", "/auth/session", Some(b"token=x".to_vec()), &origin)
        .await;
    not_json.expect(400);
    let typo = serde_json::to_vec(&json!({"tokn": portal.dev_token})).unwrap();
    let reply = api
        .request("POST", "/auth/session", Some(typo), &origin)
        .await;
    reply.expect(422);
    assert!(!reply.text.contains(&portal.dev_token), "{}", reply.text);
    assert_eq!(session_rows(&portal), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bearer_wins_over_the_cookie() {
    let portal = Portal::start();
    let admin_cookie = session_of(&portal, &portal.admin_token).await;
    let both = portal
        .dev
        .request(
            "GET",
            "/v1/me",
            None,
            &[("cookie", format!("{COOKIE}={admin_cookie}"))],
        )
        .await;
    assert_eq!(
        both.ok(),
        json!({"kind": "member", "user": "dev", "workspace": "team", "role": "editor"})
    );
}

/// A session unused for 12 hours that is never presented again does not
/// stay in the table: the portal's upkeep (hourly, and at start) deletes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_sessions_nobody_presents_again_are_deleted_by_the_upkeep() {
    let mut portal = Portal::start();
    let kept = session_of(&portal, &portal.dev_token).await;
    session_of(&portal, &portal.admin_token).await;
    portal.psql(&format!(
        "UPDATE sessions SET last_used_at = now() - interval '13 hours' \
         WHERE hash <> sha256('{kept}'::bytea)"
    ));
    assert_eq!(session_rows(&portal), 2);
    portal.restart();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while session_rows(&portal) != 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the idle session is still there"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Browser::new(&portal, &kept)
        .get("/v1/apps")
        .await
        .expect(200);
}
