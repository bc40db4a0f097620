//! A portal is input (issue 18 §6, §9): a feed that never ends, a cursor that
//! does not advance, a huge answer, an answer cut short, `429`/`503` with
//! `Retry-After`, and redirects, each from the testkit's fault proxy in front
//! of the real portal. Each fails the sync clearly (naming the remote, keeping
//! the queue) or, where the portal only asked to wait, finishes it; the client
//! stays under 100 MB; nothing is sent to another origin.

use appdesk_testkit::proxy::Recorder;
use appdesk_testkit::{Failure, Fault, Rule};

use crate::sync_faults::{
    Bed, assert_clear, assert_finished, bed, fails_then_finishes, offline_edits,
};

/// The most a client's process may hold, whatever the portal sends.
const MAX_RSS_KIB: u64 = 100 * 1024;

/// Requests the proxy saw for the feed.
fn feed_requests(bed: &crate::sync_faults::Bed) -> usize {
    let seen = bed.proxy.seen();
    seen.iter()
        .filter(|s| s.path.starts_with("/v1/changes"))
        .count()
}

#[test]
fn an_endless_feed_stops_at_the_page_limit_and_keeps_the_queue() {
    let bed = bed();
    offline_edits(&bed.client);
    bed.proxy.add(
        Rule::methods(&["GET"], Fault::EndlessFeed)
            .path("/v1/changes")
            .always(),
    );
    let failure = bed
        .client
        .sync()
        .expect_err("an endless feed fails the sync");
    assert_clear(&failure);
    assert!(failure.message.contains("pages"), "{}", failure.message);
    assert!(
        feed_requests(&bed) <= 201,
        "{} feed requests",
        feed_requests(&bed)
    );
    assert_eq!(bed.client.pending(), 4, "nothing was pushed or dropped");
}

#[test]
fn an_endless_feed_planned_stops_at_the_page_limit_under_100_mb() {
    let bed = bed();
    offline_edits(&bed.client);
    bed.proxy.add(
        Rule::methods(&["GET"], Fault::EndlessFeed)
            .path("/v1/changes")
            .always(),
    );
    let before = bed.client.db_bytes();
    refused_under_100_mb(&bed, &["sync", "--plan"], "pages");
    assert_eq!(bed.client.db_bytes(), before, "a plan writes nothing");
}

#[test]
fn a_full_page_whose_cursor_does_not_advance_is_refused_and_keeps_the_queue() {
    let bed = bed();
    offline_edits(&bed.client);
    // A full page (1000 changes) whose `next` is the same every time.
    let changes: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"type":"deleted","appId":"0190a4b2-0000-7000-8000-{i:012}"}}"#))
        .collect();
    let body = format!(r#"{{"changes":[{}],"next":"0.1.5"}}"#, changes.join(","));
    bed.proxy.add(
        Rule::methods(&["GET"], Fault::Body { status: 200, body })
            .path("/v1/changes")
            .always(),
    );
    let failure = bed
        .client
        .sync()
        .expect_err("a cursor that does not advance fails");
    assert_clear(&failure);
    assert!(
        failure.message.contains("does not advance"),
        "{}",
        failure.message
    );
    assert_eq!(
        feed_requests(&bed),
        2,
        "the second page is refused, not followed"
    );
    assert_eq!(bed.client.pending(), 4);
}

#[test]
fn a_huge_answer_is_refused_and_the_client_stays_under_100_mb() {
    for args in [&["sync"][..], &["sync", "--plan"][..]] {
        let bed = bed();
        offline_edits(&bed.client);
        let huge = Fault::Flood { bytes: 500 << 20 };
        bed.proxy
            .add(Rule::methods(&["GET"], huge).path("/v1/changes"));
        refused_under_100_mb(&bed, args, "MiB");
        assert_eq!(bed.client.pending(), 4);
    }
}

#[test]
fn many_tiny_json_values_are_refused_and_the_client_stays_under_100_mb() {
    let bed = bed();
    offline_edits(&bed.client);
    // 31 MB of well-typed tiny entries: a million of them, about 150 MB
    // once parsed into the feed's types.
    let entry = r#"{"type":"deleted","appId":"a"},"#;
    let body = format!(
        r#"{{"next":"0.0.1","changes":[{}{{"type":"deleted","appId":"a"}}]}}"#,
        entry.repeat(1_000_000)
    );
    bed.proxy.add(
        Rule::methods(&["GET"], Fault::Body { status: 200, body })
            .path("/v1/changes")
            .always(),
    );
    refused_under_100_mb(&bed, &["sync"], "too many values");
    assert_eq!(bed.client.pending(), 4);
}

#[test]
fn an_answer_cut_short_fails_the_sync_and_the_next_one_finishes() {
    fails_then_finishes(
        Rule::methods(&["GET"], Fault::Truncate { body_bytes: 10 })
            .path("/v1/changes")
            .always(),
    );
}

#[test]
fn a_429_and_a_503_with_retry_after_are_waited_and_the_sync_finishes() {
    let bed = bed();
    let id = offline_edits(&bed.client);
    let soon = chrono::Utc::now() + chrono::Duration::seconds(2);
    bed.proxy.add(
        Rule::methods(
            &["GET"],
            Fault::RetryAfter {
                status: 429,
                value: "1".into(),
            },
        )
        .path("/v1/changes"),
    );
    bed.proxy.add(Rule::writes(Fault::RetryAfter {
        status: 503,
        value: soon.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    }));
    let report = bed
        .client
        .sync()
        .unwrap_or_else(|f| panic!("the sync did not wait: {}", f.stderr));
    assert_eq!(bed.proxy.faulted().len(), 2, "{:?}", bed.proxy.seen());
    assert_eq!(report["pushed"], 4, "{report}");
    assert_finished(&bed, &id);
}

#[test]
fn a_retry_after_past_the_bound_fails_at_once_naming_the_wait() {
    let bed = bed();
    offline_edits(&bed.client);
    bed.proxy.add(Rule::writes(Fault::RetryAfter {
        status: 503,
        value: "3600".into(),
    }));
    let started = std::time::Instant::now();
    let failure = bed.client.sync().expect_err("an hour is not waited");
    assert_clear(&failure);
    assert!(failure.message.contains("3600"), "{}", failure.message);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert_eq!(bed.client.pending(), 4);
}

#[test]
fn a_redirect_to_another_origin_is_refused_and_nothing_is_sent_there() {
    let elsewhere = Recorder::start();
    let bed = bed();
    offline_edits(&bed.client);
    for (rule, what) in [
        (
            Rule::writes(Fault::Redirect {
                status: 307,
                location: format!("{}/v1/apps", elsewhere.url()),
            }),
            "a write",
        ),
        (
            Rule::methods(
                &["GET"],
                Fault::Redirect {
                    status: 302,
                    location: format!("{}/v1/changes", elsewhere.url()),
                },
            )
            .path("/v1/changes"),
            "the feed",
        ),
    ] {
        bed.proxy.add(rule.always());
        let failure = bed
            .client
            .sync()
            .expect_err("a redirect elsewhere fails the sync");
        assert_clear(&failure);
        assert!(
            failure.message.contains(&elsewhere.url())
                && failure.message.contains(&bed.proxy.url()),
            "{what}: the message names both origins: {}",
            failure.message
        );
        assert_eq!(
            elsewhere.received(),
            [],
            "{what}: a request reached the other origin"
        );
        bed.proxy.clear();
    }
    assert_eq!(bed.client.pending(), 4, "nothing was pushed");
}

#[test]
fn a_same_origin_307_is_followed_with_its_body_and_key() {
    let bed = bed();
    let id = offline_edits(&bed.client);
    let location = format!("{}/v1/apps", bed.proxy.url());
    bed.proxy.add(Rule::methods(
        &["POST"],
        Fault::Redirect {
            status: 307,
            location,
        },
    ));
    let report = bed
        .client
        .sync()
        .unwrap_or_else(|f| panic!("a same-origin 307 was not followed: {}", f.stderr));
    assert_eq!(report["pushed"], 4, "{report}");
    assert_finished(&bed, &id);
}

/// Runs `appdesk ARGS`, which must fail clearly with a message that says
/// `says`, its peak memory under 100 MB (GNU time's maximum RSS).
#[track_caller]
fn refused_under_100_mb(bed: &Bed, args: &[&str], says: &str) {
    let (out, peak) = bed.client.run_with_peak_rss(args);
    assert!(!out.status.success(), "{args:?}: such an answer is refused");
    let failure = Failure::of(&out);
    assert_clear(&failure);
    assert!(
        failure.message.contains(says),
        "{args:?}: {}",
        failure.message
    );
    eprintln!("{args:?}: peak {peak} KiB");
    assert!(peak < MAX_RSS_KIB, "{args:?} peaked at {peak} KiB");
}
