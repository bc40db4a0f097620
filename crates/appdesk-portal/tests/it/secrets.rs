//! Secrets (issue §2, §4): connection secrets are sealed at rest, tokens are kept
//! only as hashes, and neither ever shows in the database or in the request log.

use serde_json::{Value, json};

use crate::common::{Portal, TENANT, sample_app};

/// The secret part of a token `adp_<prefix8>_<secret>`.
fn token_secret(token: &str) -> &str {
    let rest = token
        .strip_prefix("adp_")
        .unwrap_or_else(|| panic!("not an adp_ token: {token}"));
    let (prefix, secret) = rest
        .split_once('_')
        .unwrap_or_else(|| panic!("no secret part: {token}"));
    assert_eq!(prefix.len(), 8, "an 8-character prefix: {token}");
    assert!(secret.len() >= 16, "a secret of some length: {token}");
    secret
}

/// Connects the sample app's tenant and regenerates its secret: both secrets.
async fn two_secrets(portal: &Portal) -> Vec<String> {
    let app = portal.dev.create_ok(&sample_app("Secretive")).await;
    let id = app["id"].as_str().unwrap();
    let connect = json!({"tenantId": TENANT, "environment": "integration"});
    let first = portal.admin.connection_write(id, "", Some(&connect)).await;
    let tail = format!("/{TENANT}/integration/regenerate");
    let second = portal.admin.connection_write(id, &tail, None).await;
    [first.expect(201).json(), second.ok()]
        .iter()
        .map(|b: &Value| {
            let secret = b["clientSecret"]
                .as_str()
                .unwrap_or_else(|| panic!("a clientSecret: {b}"));
            assert!(secret.starts_with("cs1."), "R8: {secret}");
            secret.to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn secrets_and_tokens_are_never_in_plaintext_in_the_database() {
    let portal = Portal::start();
    let secrets = two_secrets(&portal).await;
    assert_ne!(secrets[0], secrets[1], "regenerate makes a new secret");

    let dump = portal.dump();
    assert!(
        dump.contains("Secretive"),
        "the dump has the data: {} bytes",
        dump.len()
    );
    for secret in &secrets {
        assert!(
            !dump.contains(secret.as_str()),
            "a client secret in plaintext in the database"
        );
        assert!(
            !dump.contains(&secret["cs1.".len()..]),
            "a client secret's body in the database"
        );
    }
    for token in [&portal.dev_token, &portal.admin_token] {
        assert!(
            !dump.contains(token_secret(token)),
            "a token in plaintext in the database"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_request_log_never_holds_a_token_or_a_secret() {
    let portal = Portal::start();
    let secrets = two_secrets(&portal).await;
    // A token in the query string, as a careless client might send it.
    let leaky = format!("/v1/apps?access_token={}", portal.dev_token);
    portal.api(None).get(&leaky).await;
    portal.dev.get("/v1/changes?limit=5").await.ok();

    let lines = portal.server.stdout_lines();
    let requests: Vec<Value> = lines
        .iter()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {l}"))
        })
        .filter(|v: &Value| v["msg"] == "request")
        .collect();
    assert!(requests.len() >= 5, "one line per request: {lines:#?}");
    for line in &requests {
        for field in ["method", "path", "status", "ms"] {
            assert!(
                line.get(field).is_some(),
                "a request line has {field}: {line}"
            );
        }
    }
    assert!(
        requests.iter().any(|l| l["user"] == "admin"),
        "the user is logged: {lines:#?}"
    );
    let everything = format!("{}\n{}", lines.join("\n"), portal.server.stderr_text());
    for secret in &secrets {
        assert!(
            !everything.contains(&secret["cs1.".len()..]),
            "a client secret in the log"
        );
    }
    for token in [&portal.dev_token, &portal.admin_token] {
        assert!(
            !everything.contains(token_secret(token)),
            "a token in the log"
        );
    }
}
