use appdesk_core::ErrorCode;

use super::round_trip;
use crate::{Code, ErrorBody, Problem};

#[test]
fn a_validation_error_reads_its_code_as_the_cores_and_every_problem() {
    let body: ErrorBody = round_trip(
        r#"{"code": "invalid", "message": "name: is required (and 1 more problems)",
            "field": "name", "problems": [
              {"field": "name", "message": "is required"},
              {"field": "scopes[0]", "message": "no such scope"}]}"#,
    );
    assert_eq!(body.code, Code::Known(ErrorCode::Invalid));
    assert_eq!(body.code, ErrorCode::Invalid);
    assert_eq!(body.field.as_deref(), Some("name"));
    assert_eq!(
        body.problems[1],
        Problem {
            field: "scopes[0]".into(),
            message: "no such scope".into()
        }
    );
    assert_eq!(body.current_revision, None);
}

#[test]
fn a_stale_write_carries_the_current_revision_and_a_null_field_stays_null() {
    let body: ErrorBody = round_trip(
        r#"{"code": "precondition_failed", "field": "If-Match",
            "message": "the app is at revision 7; read it again and retry",
            "currentRevision": 7}"#,
    );
    assert_eq!(body.code.known(), Some(ErrorCode::PreconditionFailed));
    assert_eq!(body.current_revision, Some(7));
    let body: ErrorBody =
        round_trip(r#"{"code": "in_progress", "message": "still running", "field": null}"#);
    assert_eq!(body.code, ErrorCode::InProgress);
    assert_eq!(body.field, None);
}

/// A newer portal's code is kept, text and all, rather than failing the
/// whole answer; it is never mistaken for a known one.
#[test]
fn an_unknown_code_stays_readable_and_is_no_known_code() {
    let body: ErrorBody =
        round_trip(r#"{"code": "quota_exceeded", "message": "too many apps", "field": null}"#);
    assert_eq!(body.code, Code::Unknown("quota_exceeded".into()));
    assert_eq!(body.code.known(), None);
    assert_eq!(body.code.to_string(), "quota_exceeded");
    assert!(ErrorCode::ALL.iter().all(|c| body.code != *c));
}

#[test]
fn a_body_that_is_not_the_error_shape_is_refused() {
    for text in [
        r#"{"message": "no code"}"#,
        r#"{"code": 7, "message": "m"}"#,
        r#"{"code": "invalid"}"#,
        "[]",
    ] {
        assert!(serde_json::from_str::<ErrorBody>(text).is_err(), "{text}");
    }
}

/// The portal's bodies come from the core's: same code, message, field and
/// problems.
#[test]
fn the_cores_error_becomes_the_same_body() {
    let core = appdesk_core::Error::Invalid(vec![
        appdesk_core::Problem::new("name", "is required"),
        appdesk_core::Problem::new("homepageUrl", "is not a URL"),
    ]);
    let body = ErrorBody::from_core(core.body());
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"code": "invalid", "message": "name: is required (and 1 more problems)",
            "field": "name", "problems": [{"field": "name", "message": "is required"},
            {"field": "homepageUrl", "message": "is not a URL"}]}"#,
    )
    .unwrap();
    assert_eq!(serde_json::to_value(body).unwrap(), expected);
}
