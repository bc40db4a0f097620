//! The same-origin rule: a write made with the session cookie must carry the
//! console's own `Origin` (403 `cross_origin` otherwise, and nothing
//! changes); bearer writes need none. And neither the token nor the cookie
//! ever reaches the request log or stderr.

use serde_json::json;

use super::{Browser, session_of, session_rows, sign_in, sign_in_from};
use crate::common::{Api, Portal, Server, sample_app};
use appdesk_testkit::server::ServerSetup;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cookie_write_from_another_origin_or_none_is_refused_and_changes_nothing() {
    let portal = Portal::start();
    let cookie = session_of(&portal, &portal.dev_token).await;
    let app = portal.dev.create_ok(&sample_app("Ours")).await;
    let id = app["id"].as_str().unwrap();
    let revision = app["revision"].as_i64().unwrap();
    let before = data(&portal);

    let https_twin = portal.base_url().replacen("http://", "https://", 1);
    for origin in [
        None,
        Some("https://evil.example"),
        Some("null"),
        Some(https_twin.as_str()),
    ] {
        let foreign = Browser::from_origin(&portal, &cookie, origin);
        let created = foreign
            .write("POST", "/v1/apps", Some(&sample_app("Forged")), None)
            .await;
        created.expect(403);
        assert_eq!(created.json()["code"], "cross_origin", "{}", created.text);
        let path = format!("/v1/apps/{id}");
        let renamed = foreign
            .write(
                "PATCH",
                &path,
                Some(&json!({"name": "Forged"})),
                Some(revision),
            )
            .await;
        renamed.expect(403);
        foreign
            .write("DELETE", &path, None, Some(revision))
            .await
            .expect(403);
        // Nor may another site end the session (nor start one: see below).
        foreign.sign_out().await.expect(403);
    }
    assert_eq!(data(&portal), before, "nothing changed in the database");

    // From the console's own origin, the same write works.
    let console = Browser::new(&portal, &cookie);
    let reply = console
        .write(
            "POST",
            "/v1/apps",
            Some(&sample_app("From the console")),
            None,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn signing_in_from_another_origin_or_none_is_refused() {
    let portal = Portal::start();
    for headers in [vec![], vec![("origin", "https://evil.example".to_owned())]] {
        let reply = sign_in_from(&portal, &portal.dev_token, &headers).await;
        reply.expect(403);
        assert_eq!(reply.json()["code"], "cross_origin", "{}", reply.text);
        assert!(reply.header("set-cookie").is_none());
    }
    assert_eq!(session_rows(&portal), 0);
    sign_in(&portal, &portal.dev_token).await.expect(204);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bearer_write_needs_no_origin() {
    let portal = Portal::start();
    // The CLI and the desktop's sync send no Origin, and a stray one is
    // not theirs to prove: the bearer token is.
    portal.dev.create_ok(&sample_app("From the CLI")).await;
    let reply = portal
        .dev
        .request(
            "POST",
            "/v1/apps",
            Some(serde_json::to_vec(&sample_app("Odd origin")).unwrap()),
            &[
                ("idempotency-key", crate::common::new_key()),
                ("origin", "https://elsewhere.example".to_owned()),
            ],
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn neither_the_token_nor_the_cookie_reaches_the_log() {
    let portal = Portal::start();
    let cookie = session_of(&portal, &portal.dev_token).await;
    let console = Browser::new(&portal, &cookie);
    console.get("/v1/apps").await.expect(200);
    console
        .write("POST", "/v1/apps", Some(&sample_app("Logged")), None)
        .await
        .expect(201);
    sign_in(&portal, "adp_00000000_nothing").await.expect(401);
    console.sign_out().await.expect(204);

    let log = portal.server.stdout_lines();
    let stderr = portal.server.stderr_text();
    let signed_in = log
        .iter()
        .find(|line| line.contains("\"/auth/session\"") && line.contains("\"status\":204"))
        .unwrap_or_else(|| panic!("the sign-in is in the request log: {log:#?}"));
    assert!(signed_in.contains("\"user\":\"dev\""), "{signed_in}");
    for secret in [portal.dev_token.as_str(), cookie.as_str()] {
        assert!(
            !log.iter().any(|line| line.contains(secret)),
            "a secret in the request log"
        );
        assert!(!stderr.contains(secret), "a secret on stderr");
    }
}

/// Every row of the database (pg_dump's random `\restrict` keys left out).
fn data(portal: &Portal) -> String {
    portal
        .dump()
        .lines()
        .filter(|line| !line.starts_with("\\restrict") && !line.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Behind a TLS proxy that `--public-url` names, that origin is the only one
/// the console is signed in from and writes from, and the cookie is Secure
/// (with no `X-Forwarded-Proto` needed); a URL that cannot be an origin
/// stops the server at start, naming the flag.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_public_url_is_the_consoles_origin_and_makes_the_cookie_secure() {
    let portal = Portal::start();
    let setup = ServerSetup {
        bin: appdesk_testkit::binaries::portal(),
        database: portal.database.clone(),
        key_file: portal.key_file(),
        args: Vec::new(),
    };
    let mut command = setup.command("127.0.0.1:0");
    command.args(["--public-url", "https://Portal.Example/console/"]);
    let proxied = Server::spawn(command);
    let api = Api::new(&proxied.base_url(), None);
    let body = serde_json::to_vec(&json!({ "token": portal.dev_token })).unwrap();
    let sign_in = |origin: String| {
        let (api, body) = (api.clone(), body.clone());
        async move {
            api.request("POST", "/auth/session", Some(body), &[("origin", origin)])
                .await
        }
    };

    // The server's own host is not the console's origin any more.
    let direct = sign_in(proxied.base_url()).await;
    direct.expect(403);
    assert_eq!(direct.json()["code"], "cross_origin", "{}", direct.text);
    let public = sign_in("https://portal.example".to_owned()).await;
    let set = public.expect(204).header("set-cookie").unwrap();
    assert!(set.split(';').any(|a| a.trim() == "Secure"), "{set}");

    let mut bad = setup.command("127.0.0.1:0");
    bad.args(["--public-url", "portal.example"]);
    let refused = Server::try_spawn(bad).expect_err("a bad --public-url stops the server");
    assert!(refused.contains("--public-url"), "{refused}");
}
