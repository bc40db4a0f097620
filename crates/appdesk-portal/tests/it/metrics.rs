//! `/metrics` (issue 21 §6), against the real portal: off unless asked for
//! (404), behind `--metrics-token-file` (401 without that bearer token) or on
//! its own `--metrics-listen` address; Prometheus text whose request counter
//! goes up by exactly the requests made, labelled with the route template,
//! never a raw path holding an id; and the pool's use. The oracle is the
//! requests this test made and the statuses the portal answered them with.

use std::net::TcpListener;

use appdesk_testkit::binaries;
use appdesk_testkit::server::{Server, ServerSetup};

use crate::common::{Api, Portal, sample_app};

const TOKEN: &str = "metrics-scraper-token-0123456789";

/// A second server on `portal`'s database, with `extra` arguments.
fn serve_with(portal: &Portal, extra: &[&str]) -> Server {
    let setup = ServerSetup {
        bin: binaries::portal(),
        database: portal.database.clone(),
        key_file: portal.key_file(),
    };
    let mut cmd = setup.command("127.0.0.1:0");
    cmd.args(extra);
    Server::spawn(cmd)
}

/// The value of the sample `name{labels}` (labels in the order written), or
/// 0 when the portal has not written it yet.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| {
            l.strip_prefix(series)?
                .strip_prefix(' ')?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0.0)
}

async fn scrape(api: &Api) -> String {
    let reply = api.get("/metrics").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let kind = reply.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/plain"), "{kind}");
    reply.text
}

#[tokio::test]
async fn metrics_are_off_unless_asked_for() {
    let portal = Portal::start();
    let reply = portal.dev.get("/metrics").await;
    assert_eq!(reply.status, 404, "{}", reply.text);
    let anonymous = portal.api(None).get("/metrics").await;
    assert_eq!(anonymous.status, 404, "{}", anonymous.text);
}

#[tokio::test]
async fn the_token_file_guards_metrics_and_counts_rise_by_the_requests_made() {
    let portal = Portal::start();
    let dir = tempfile::tempdir().expect("a temp dir");
    let token_file = dir.path().join("metrics.token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).expect("the token file");
    let server = serve_with(
        &portal,
        &["--metrics-token-file", token_file.to_str().expect("a path")],
    );
    let base = server.base_url();
    for token in [None, Some("wrong"), Some(portal.dev_token.as_str())] {
        let reply = Api::new(&base, token).get("/metrics").await;
        assert_eq!(reply.status, 401, "{token:?}: {}", reply.text);
    }
    let scraper = Api::new(&base, Some(TOKEN));
    let dev = Api::new(&base, Some(&portal.dev_token));
    let app = dev.create_ok(&sample_app("Metered")).await;
    let id = app["id"].as_str().expect("an id").to_owned();

    let ok =
        r#"appdesk_portal_http_requests_total{method="GET",route="/v1/apps/{id}",status="200"}"#;
    let missing =
        r#"appdesk_portal_http_requests_total{method="GET",route="/v1/apps/{id}",status="404"}"#;
    let timed = r#"appdesk_portal_http_request_duration_seconds_count{method="GET",route="/v1/apps/{id}",status="200"}"#;
    let before = scrape(&scraper).await;
    for _ in 0..3 {
        dev.get(&format!("/v1/apps/{id}")).await.expect(200);
    }
    dev.get("/v1/apps/no-such-app").await.expect(404);
    let after = scrape(&scraper).await;

    assert_eq!(sample(&after, ok) - sample(&before, ok), 3.0, "{after}");
    assert_eq!(sample(&after, missing) - sample(&before, missing), 1.0);
    assert_eq!(sample(&after, timed) - sample(&before, timed), 3.0);
    let inf = r#"appdesk_portal_http_request_duration_seconds_bucket{method="GET",route="/v1/apps/{id}",status="200",le="+Inf"}"#;
    assert_eq!(
        sample(&after, inf),
        sample(&after, timed),
        "+Inf holds every one"
    );
    assert!(!after.contains(&id), "a raw path with an id is a label");
    assert!(!after.contains("no-such-app"));
    for gauge in [
        "appdesk_portal_db_pool_size",
        "appdesk_portal_db_pool_available",
        "appdesk_portal_db_pool_waiting",
        "appdesk_portal_db_pool_max_size",
    ] {
        assert!(
            after.lines().any(|l| l.starts_with(&format!("{gauge} "))),
            "{gauge} missing: {after}"
        );
    }
    assert!(sample(&after, "appdesk_portal_db_pool_max_size") >= 1.0);
}

#[tokio::test]
async fn metrics_listen_serves_them_on_their_own_address_without_a_token() {
    let portal = Portal::start();
    let free = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = free.local_addr().expect("its address");
    drop(free);
    let server = serve_with(&portal, &["--metrics-listen", &addr.to_string()]);
    let main = Api::new(&server.base_url(), Some(&portal.dev_token));
    main.get("/v1/apps").await.expect(200);
    let text = scrape(&Api::new(&format!("http://{addr}"), None)).await;
    let listed =
        r#"appdesk_portal_http_requests_total{method="GET",route="/v1/apps",status="200"}"#;
    assert!(sample(&text, listed) >= 1.0, "{text}");
    let on_main = main.get("/metrics").await;
    assert_eq!(
        on_main.status, 404,
        "not on the API's address: {}",
        on_main.text
    );
}
