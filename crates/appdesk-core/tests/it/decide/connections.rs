//! The connection decisions (R8) against an oracle of (tenant, environment)
//! pairs.

use appdesk_core::decide::{self, ConnectionWrite};
use appdesk_core::{ConnectionStatus, Environment};
use proptest::prelude::*;

use super::{
    app_state, apply, check_invariants, check_refused, check_shape, is_token, stamp, tenant,
};

fn environment() -> impl Strategy<Value = Environment> {
    prop_oneof![
        Just(Environment::Integration),
        Just(Environment::Production)
    ]
}

/// A tenant id, listed or not (lists start at 1000; 1005 and 1006 are
/// listed only in the long ones), sometimes with blanks around it.
fn who() -> impl Strategy<Value = String> {
    ((0usize..7), any::<bool>()).prop_map(|(i, pad)| {
        if pad {
            format!(" {} ", tenant(i))
        } else {
            tenant(i)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn only_a_listed_unconnected_tenant_connects_at_the_latest_version_with_new_credentials(
        app in app_state(), who in who(), env in environment(),
    ) {
        let before = app.clone();
        let out = decide::connect(&app, &who, env, &stamp());
        let id = who.trim();
        let listed = before.tenants.iter().any(|t| t.id == id);
        let connected = before.connections.iter().any(|c| c.tenant_id == id && c.environment == env);
        if !listed || connected {
            let e = check_refused(&before, &app, out);
            prop_assert_eq!(e.code(), if listed { "conflict" } else { "not_allowed" });
            return Ok(());
        }
        let change = out.unwrap();
        check_shape(&before, &change);
        let [ConnectionWrite::Insert(c)] = change.connections.as_slice() else {
            panic!("one new connection: {:?}", change.connections);
        };
        prop_assert_eq!(&c.tenant_id, id);
        prop_assert_eq!(c.environment, env);
        prop_assert_eq!(c.version, before.version, "at the latest version");
        prop_assert_eq!(c.status, ConnectionStatus::Active);
        prop_assert!(is_token(&c.client_id, "cid.", 25), "{}", c.client_id);
        prop_assert!(is_token(c.secret.expose(), "cs1.", 50));
        prop_assert!(!format!("{change:?}").contains(c.secret.expose()), "a logged change hides the secret");
        prop_assert_eq!(change.shown_secret(), Some(&c.secret));
        prop_assert!(change.activity[0].summary.contains(&c.client_id));
        check_invariants(&apply(&before, &change));
    }

    #[test]
    fn connection_actions_change_exactly_what_the_oracle_says(
        app in app_state(), who in who(), env in environment(), action in 0u8..4,
    ) {
        let before = app.clone();
        let decision = [decide::upgrade, decide::disable, decide::enable, decide::regenerate][usize::from(action)];
        let out = decision(&app, &who, env, &stamp());
        let id = who.trim();
        let Some(c) = before.connections.iter().find(|c| c.tenant_id == id && c.environment == env) else {
            let e = check_refused(&before, &app, out);
            prop_assert_eq!(e.code(), "not_allowed");
            prop_assert_eq!(e.field(), Some("tenant"));
            return Ok(());
        };
        let change = out.unwrap();
        check_shape(&before, &change);
        let expected = match action {
            0 => (c.version != before.version)
                .then(|| ConnectionWrite::SetVersion { id: c.id.clone(), version: before.version }),
            1 => (c.status == ConnectionStatus::Active)
                .then(|| ConnectionWrite::SetStatus { id: c.id.clone(), status: ConnectionStatus::Disabled }),
            2 => (c.status == ConnectionStatus::Disabled)
                .then(|| ConnectionWrite::SetStatus { id: c.id.clone(), status: ConnectionStatus::Active }),
            _ => None,
        };
        if action == 3 {
            let [ConnectionWrite::SetSecret { id: cid, secret }] = change.connections.as_slice() else {
                panic!("one new secret: {:?}", change.connections);
            };
            prop_assert_eq!(cid, &c.id);
            prop_assert!(is_token(secret.expose(), "cs1.", 50));
            prop_assert_eq!(change.shown_secret(), Some(secret));
        } else {
            prop_assert_eq!(change.connections.clone(), expected.into_iter().collect::<Vec<_>>());
            prop_assert_eq!(change.shown_secret(), None);
        }
        let after = apply(&before, &change);
        let kept = after.connections.iter().find(|x| x.id == c.id).unwrap();
        prop_assert_eq!(&kept.client_id, &c.client_id, "the client ID never changes");
        check_invariants(&after);
    }
}

proptest! {
    #[test]
    fn an_upgrade_is_offered_exactly_behind_the_latest_and_brings_its_scopes(
        app in app_state(),
        old in proptest::sample::subsequence(super::scope_pool(), 1..=4),
        version in 1i64..20,
    ) {
        let in_play = appdesk_core::ScopeSet::from_stored(&old);
        let notice = decide::upgrade_notice(version, &in_play, app.version, &app.scopes);
        prop_assert_eq!(notice.is_some(), version < app.version);
        if let Some(diff) = notice {
            let mut after = super::strings(&in_play);
            after.extend(super::strings(&diff.added));
            after.retain(|s| !super::strings(&diff.removed).contains(s));
            prop_assert_eq!(after, super::strings(&app.scopes));
        }
    }
}
