//! Round trips from JSON texts written here, as the portal sends them today
//! (copied from its code and from `schema/portal.openapi.json`): each text
//! reads into the typed value the test names field by field, and writes back
//! as the same JSON. The oracle is the literal text, not the serializer.

mod answers;
mod bodies;
mod error;
mod feed;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `text` as `T`, and checks that writing it back gives the same JSON
/// (as values: the order of an object's keys does not matter).
pub fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> T {
    let value: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let expected: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), expected);
    value
}
