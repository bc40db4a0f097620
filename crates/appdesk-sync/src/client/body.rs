//! Reading an answer's JSON within bounds (issue 18 §6: "a 500 MB answer was
//! buffered whole"). The body is parsed as it is read, never held whole, and
//! refused as soon as it passes either bound, so this client stays under
//! 100 MB whatever the portal sends:
//!
//! - bytes: at most [`MAX_ANSWER_BYTES`]; a `Content-Length` over it is
//!   refused before a byte is read;
//! - what parsing it would cost ([`MAX_PARSE_WEIGHT`]): every JSON value
//!   (each `[`, `{`, `,` and `:` outside a string starts one) costs
//!   [`VALUE_WEIGHT`] bytes, the most a parsed value takes; every byte costs
//!   two (a string's text is read into a scratch buffer, then copied). So
//!   32 MiB of `[0,0,0,…]`, which would parse into 16 million values (over
//!   500 MB), is refused after its first 1.4 million.
//!
//! A feed page of 1000 apps weighs about 3 MB. The full listing after a `410`
//! (not paged yet) weighs about 3.3 KB an app, so at most about 20k apps
//! list at once.

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// The most bytes one answer may have.
pub const MAX_ANSWER_BYTES: u64 = 32 * 1024 * 1024;
/// The most one answer may weigh (see the module docs).
pub const MAX_PARSE_WEIGHT: u64 = 64 * 1024 * 1024;
/// What one JSON value may take once parsed: a `serde_json::Value` (32
/// bytes) and its place in a growing array or map.
pub const VALUE_WEIGHT: u64 = 48;
/// Error bodies are short; a longer one is cut (its start is enough to show).
pub const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Why an answer was not read.
#[derive(Debug)]
pub enum BodyError {
    /// Over a bound: what it was, and how much it allows.
    TooLarge(String),
    /// The connection failed or ended early while reading.
    Io(std::io::Error),
    /// Not the JSON expected.
    Json(serde_json::Error),
}

/// Parses `answer` (`declared`: its `Content-Length`) as it is read,
/// within [`MAX_ANSWER_BYTES`] and [`MAX_PARSE_WEIGHT`].
pub fn read_json<T: serde::de::DeserializeOwned>(
    answer: impl Read,
    declared: Option<u64>,
) -> Result<T, BodyError> {
    read_json_within(answer, declared, MAX_ANSWER_BYTES, MAX_PARSE_WEIGHT)
}

fn read_json_within<T: serde::de::DeserializeOwned>(
    answer: impl Read,
    declared: Option<u64>,
    max_bytes: u64,
    max_weight: u64,
) -> Result<T, BodyError> {
    if let Some(d) = declared.filter(|d| *d > max_bytes) {
        return Err(BodyError::TooLarge(format!(
            "declared {d} bytes, more than the {} MiB this client reads",
            max_bytes >> 20
        )));
    }
    let refused = Rc::new(Cell::new(None));
    let guard = Guard {
        inner: answer,
        refused: Rc::clone(&refused),
        max_bytes,
        max_weight,
        bytes: 0,
        weight: 0,
        in_string: false,
        escaped: false,
    };
    let parsed = serde_json::from_reader(std::io::BufReader::with_capacity(64 * 1024, guard));
    match (parsed, refused.take()) {
        (_, Some(why)) => Err(BodyError::TooLarge(why)),
        (Ok(value), None) => Ok(value),
        (Err(e), None) if e.is_io() => Err(BodyError::Io(e.into())),
        (Err(e), None) => Err(BodyError::Json(e)),
    }
}

/// A reader that counts what passes through it and fails past a bound.
struct Guard<R> {
    inner: R,
    refused: Rc<Cell<Option<String>>>,
    max_bytes: u64,
    max_weight: u64,
    bytes: u64,
    weight: u64,
    in_string: bool,
    escaped: bool,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        let mut values = 0u64;
        for &b in &buf[..n] {
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => self.in_string = true,
                    b'[' | b'{' | b',' | b':' => values += 1,
                    _ => {}
                }
            }
        }
        self.weight += 2 * n as u64 + values * VALUE_WEIGHT;
        let why = if self.bytes > self.max_bytes {
            Some(format!(
                "more than {} MiB, more than this client reads",
                self.max_bytes >> 20
            ))
        } else if self.weight > self.max_weight {
            Some(format!(
                "JSON that would take more than {} MiB to read (too many values for its {} bytes \
                 so far)",
                self.max_weight >> 20,
                self.bytes
            ))
        } else {
            None
        };
        match why {
            Some(why) => {
                self.refused.set(Some(why.clone()));
                Err(std::io::Error::other(why))
            }
            None => Ok(n),
        }
    }
}

/// At most `cap` bytes of the body, for an error message (the rest unread).
pub fn read_start(answer: &mut impl Read, cap: usize) -> Vec<u8> {
    let mut start = Vec::new();
    let _ = answer.take(cap as u64).read_to_end(&mut start);
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that makes `prefix` then `fill` repeated, `len` bytes in all,
    /// as it is read (never holds them); and how much was read.
    struct Made {
        prefix: &'static [u8],
        fill: &'static [u8],
        at: u64,
        len: u64,
    }

    impl Read for Made {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (buf.len() as u64).min(self.len - self.at) as usize;
            for (i, b) in buf[..n].iter_mut().enumerate() {
                let at = self.at as usize + i;
                *b = match self.prefix.get(at) {
                    Some(p) => *p,
                    None => self.fill[(at - self.prefix.len()) % self.fill.len()],
                };
            }
            self.at += n as u64;
            Ok(n)
        }
    }

    fn made(prefix: &'static [u8], fill: &'static [u8], len: u64) -> Made {
        Made {
            prefix,
            fill,
            at: 0,
            len,
        }
    }

    #[test]
    fn an_answer_within_the_bounds_is_parsed() {
        let v: serde_json::Value =
            read_json(&br#"{"changes":[{"a":"x,[:{"}],"next":"1"}"#[..], None).unwrap();
        assert_eq!(v["next"], "1");
    }

    #[test]
    fn a_huge_string_is_refused_having_read_little_past_the_byte_cap() {
        let mut huge = made(br#"{"changes":[""#, b"x", 500 << 20);
        let e =
            read_json_within::<serde_json::Value>(&mut huge, None, 1 << 20, u64::MAX).unwrap_err();
        assert!(
            matches!(&e, BodyError::TooLarge(w) if w.contains("1 MiB")),
            "{e:?}"
        );
        assert!(huge.at < (1 << 20) + (256 << 10), "read {} bytes", huge.at);
    }

    #[test]
    fn many_tiny_values_are_refused_by_what_parsing_them_would_cost() {
        let mut tiny = made(br#"{"changes":[["#, b"0,", 32 << 20);
        let e = read_json::<serde_json::Value>(&mut tiny, None).unwrap_err();
        assert!(
            matches!(&e, BodyError::TooLarge(w) if w.contains("too many values")),
            "{e:?}"
        );
        assert!(tiny.at < 4 << 20, "read {} bytes", tiny.at);
    }

    #[test]
    fn a_declared_length_past_the_cap_is_refused_before_reading() {
        let mut body = made(b"{}", b" ", 100);
        let e =
            read_json_within::<serde_json::Value>(&mut body, Some(101), 100, u64::MAX).unwrap_err();
        assert!(
            matches!(&e, BodyError::TooLarge(w) if w.contains("101")),
            "{e:?}"
        );
        assert_eq!(body.at, 0, "nothing read");
    }

    #[test]
    fn broken_json_and_a_broken_connection_are_told_apart() {
        let e = read_json::<serde_json::Value>(&b"{\"a\":"[..], None).unwrap_err();
        assert!(matches!(e, BodyError::Json(_)), "{e:?}");
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
            }
        }
        let e = read_json::<serde_json::Value>(Broken, None).unwrap_err();
        assert!(matches!(e, BodyError::Io(_)), "{e:?}");
    }
}
