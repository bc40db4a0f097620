//! The OpenAPI document (issue §3): the portal serves at `/openapi.json` exactly
//! the document committed in `schema/portal.openapi.json`, so the committed file
//! cannot drift from the code.

use serde_json::Value;

use crate::common::Portal;

const COMMITTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schema/portal.openapi.json"
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_served_openapi_equals_the_committed_file() {
    let portal = Portal::start();
    let reply = portal.api(None).get("/openapi.json").await;
    let served = reply.expect(200).json();
    let text = std::fs::read_to_string(COMMITTED).expect("schema/portal.openapi.json is committed");
    let committed: Value = serde_json::from_str(&text).expect("the committed file is JSON");
    assert!(
        served == committed,
        "schema/portal.openapi.json differs from what the portal serves; \
         regenerate it from the code (see crates/appdesk-portal)"
    );
    for path in ["/v1/apps", "/v1/apps/{id}", "/v1/changes"] {
        assert!(
            committed["paths"].get(path).is_some(),
            "the document has {path}"
        );
    }
}
