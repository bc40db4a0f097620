//! Decoding a file's text into a JSON value, refusing duplicate keys.
//!
//! `serde_json::Value` keeps the last of two equal keys in an object, silently.
//! A reviewer reading the file sees the first, Appdesk would import the other: a
//! file that lies. So this decoder builds the value itself and stops at the
//! second occurrence of a key, at any depth, naming its JSON path. Keys are
//! compared after unescaping (`"a"` and `"\u0061"` are the same key). Nothing
//! else differs from `serde_json::from_str` (its recursion limit included).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a text is not a JSON document Appdesk reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The JSON path of the duplicate key; `$` for a syntax error.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text` as one JSON value in which no object has a key twice. A
/// leading UTF-8 byte order mark (Windows editors write one) is ignored, as
/// RFC 8259 allows; positions are then counted after it.
pub fn decode(text: &str) -> Result<Value, DecodeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Node {
        at: At::Root,
        duplicate: &duplicate,
    };
    let value = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| match duplicate.take() {
        Some((path, key)) => DecodeError {
            path,
            line: e.line(),
            column: key_column(text, e.line(), e.column()),
            message: format!(
                "the key {key:?} appears twice in one object; each key may appear once \
                 (otherwise the last one would silently win)"
            ),
        },
        None => DecodeError {
            path: "$".into(),
            line: e.line(),
            column: e.column(),
            message: format!("not valid JSON: {e}"),
        },
    })
}

/// The column (in characters, as [`super::locate`] counts) of the opening quote
/// of the key that ends at serde_json's (`line`, `column`): serde_json reports
/// a duplicate just past the key, in bytes.
fn key_column(text: &str, line: usize, column: usize) -> usize {
    let Some(row) = text.split('\n').nth(line.saturating_sub(1)) else {
        return column;
    };
    let Some(before) = row.get(..column.saturating_sub(1)) else {
        return column;
    };
    // Back from the closing quote to the opening one; a quote inside the key is
    // escaped by an odd number of backslashes.
    let bytes = before.as_bytes();
    let mut at = bytes.len();
    while let Some(quote) = bytes[..at].iter().rposition(|&b| b == b'"') {
        let slashes = bytes[..quote]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if slashes % 2 == 0 {
            return before[..quote].chars().count() + 1;
        }
        at = quote;
    }
    column
}

/// Where a value is, as a chain back to the root: built only when a duplicate is
/// found, so decoding a large file allocates no path strings.
#[derive(Clone, Copy)]
enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => f.write_str("$"),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
            At::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The first duplicate found: its path and key.
type Found = RefCell<Option<(String, String)>>;

struct Node<'p> {
    at: At<'p>,
    duplicate: &'p Found,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // serde_json never hands over a non-finite number.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let at = At::Index(&self.at, items.len());
            let node = Node {
                at,
                duplicate: self.duplicate,
            };
            match seq.next_element_seed(node)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let path = At::Key(&self.at, &key).to_string();
                let message = format!("duplicate key {key:?} at {path}");
                *self.duplicate.borrow_mut() = Some((path, key));
                return Err(de::Error::custom(message));
            }
            let node = Node {
                at: At::Key(&self.at, &key),
                duplicate: self.duplicate,
            };
            let value = map.next_value_seed(node)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_without_duplicates_decodes_as_serde_json_does() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {"d": "\u00e9"}}}"#;
        assert_eq!(
            decode(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn a_duplicate_key_is_refused_at_every_depth_with_its_path_and_line() {
        let top = decode("{\"name\": \"A\",\n \"name\": \"B\"}").unwrap_err();
        assert_eq!(top.path, "$.name");
        assert_eq!((top.line, top.column), (2, 2));
        let deep = decode("[{}, {\"t\": [{\"id\": \"1\", \"id\": \"2\"}]}]").unwrap_err();
        assert_eq!(deep.path, "$[1].t[0].id");
        assert!(deep.message.contains("\"id\" appears twice"), "{deep:?}");
    }

    #[test]
    fn keys_are_compared_unescaped() {
        let e = decode(r#"{"a": 1, "\u0061": 2}"#).unwrap_err();
        assert_eq!(e.path, "$.a");
    }

    #[test]
    fn the_column_is_the_second_keys_opening_quote_in_characters() {
        let e = decode("{\"é\": 1, \"q\\\"\": 2,\n  \"é\": 3}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        let e = decode("{\"ü\": 1, \"a\\\"b\": 2, \"a\\\"b\": 3}").unwrap_err();
        assert_eq!(e.path, "$.a\"b");
        assert_eq!((e.line, e.column), (1, 21));
    }

    #[test]
    fn the_same_key_in_two_objects_is_fine() {
        assert!(decode(r#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}]"#).is_ok());
    }

    #[test]
    fn a_syntax_error_keeps_serde_jsons_position() {
        let text = "{\n  \"a\": [1,\n 2 3]\n}";
        let e = decode(text).unwrap_err();
        let theirs = serde_json::from_str::<Value>(text).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.line, e.column),
            ("$", theirs.line(), theirs.column())
        );
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("not valid JSON"));
        assert!(decode("{} x").is_err());
    }
}
