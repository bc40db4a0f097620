//! The commands other tools script (issue §2): `workspace create` prints the id,
//! `token create` prints the token once, `token revoke` takes its prefix; every
//! command migrates a fresh database first, even several at once; each reads its
//! settings from the environment too.

use std::process::Stdio;

use crate::common::cluster;
use crate::common::server::portal_command;
use crate::common::{Api, Server, run_command, token};

#[test]
fn workspace_create_prints_its_id_and_names_are_unique() {
    let cluster = cluster::shared();
    let database = cluster.url(&cluster.create_database());
    let id = run_command(&database, &["workspace", "create", "acme"]);
    assert!(
        !id.is_empty() && !id.contains(char::is_whitespace),
        "an id: {id:?}"
    );

    let again = portal_command()
        .args(["workspace", "create", "acme", "--database", &database])
        .output()
        .expect("run appdesk-portal");
    assert!(
        !again.status.success(),
        "a second workspace named acme was created"
    );
    assert!(
        !String::from_utf8_lossy(&again.stderr).is_empty(),
        "it says why"
    );
    let other = run_command(&database, &["workspace", "create", "other"]);
    assert_ne!(other, id);
}

#[test]
fn token_create_prints_a_new_token_each_time_and_refuses_an_unknown_workspace() {
    let cluster = cluster::shared();
    let database = cluster.url(&cluster.create_database());
    run_command(&database, &["workspace", "create", "acme"]);
    let first = token(&database, "acme", "alice", &[]);
    let second = token(&database, "acme", "alice", &["1234567"]);
    for t in [&first, &second] {
        let parts: Vec<&str> = t.splitn(3, '_').collect();
        assert_eq!(parts.len(), 3, "adp_<prefix8>_<secret>: {t}");
        assert_eq!(
            (parts[0], parts[1].len()),
            ("adp", 8),
            "adp_<prefix8>_<secret>: {t}"
        );
    }
    assert_ne!(first, second);

    let out = portal_command()
        .args([
            "token",
            "create",
            "--workspace",
            "nope",
            "--user",
            "x",
            "--database",
            &database,
        ])
        .output()
        .expect("run appdesk-portal");
    assert!(
        !out.status.success(),
        "a token for a workspace that does not exist"
    );
    assert!(
        out.stdout.is_empty(),
        "no token printed: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn several_first_commands_at_once_migrate_a_fresh_database_once() {
    let cluster = cluster::shared();
    let database = cluster.url(&cluster.create_database());
    let children: Vec<_> = (0..4)
        .map(|i| {
            portal_command()
                .args([
                    "workspace",
                    "create",
                    &format!("w{i}"),
                    "--database",
                    &database,
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn appdesk-portal")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("run appdesk-portal");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_commands_read_the_database_listen_address_and_key_file_from_the_environment() {
    let cluster = cluster::shared();
    let database = cluster.url(&cluster.create_database());
    let keys = tempfile::tempdir().expect("a temp dir");
    let key_file = keys.path().join("portal.key");
    let with_env = |args: &[&str]| {
        let mut cmd = portal_command();
        cmd.args(args)
            .env("APPDESK_PORTAL_DATABASE", &database)
            .env("APPDESK_PORTAL_LISTEN", "127.0.0.1:0")
            .env("APPDESK_PORTAL_KEY_FILE", &key_file);
        cmd
    };
    let succeed = |args: &[&str]| {
        let out = with_env(args).output().expect("run appdesk-portal");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8")
            .trim()
            .to_owned()
    };
    succeed(&["key", "init"]);
    succeed(&["workspace", "create", "envy"]);
    let token = succeed(&["token", "create", "--workspace", "envy", "--user", "e"]);

    let server = Server::spawn(with_env(&["serve"]));
    assert!(
        server.addr.ip().is_loopback() && server.addr.port() != 0,
        "{}",
        server.addr
    );
    Api::new(&server.base_url(), Some(&token))
        .get("/v1/apps")
        .await
        .expect(200);
    assert!(
        key_file.is_file(),
        "the key file is where APPDESK_PORTAL_KEY_FILE says"
    );
}
