//! Reading an answer's body within a cap (issue 18 §6: "a 500 MB answer was
//! buffered whole"). A body is read in pieces and refused as soon as it
//! passes the cap, so this client never holds more than the cap of one
//! answer, whatever the portal sends: a `Content-Length` over the cap is
//! refused before a byte is read, and a body with none (chunked, or until
//! the connection ends) is cut off at the cap.

use std::io::Read;

/// The most bytes one answer may have. A feed page of 1000 apps is about
/// 0.5 MB (1 MB with long tenant notes); the full listing after a `410` is
/// about 450 bytes an app, so this admits about 70k apps (the listing is not
/// paged yet). With what JSON parsing adds on top, the client stays under
/// 100 MB.
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// Error bodies are short; a longer one is cut (its start is enough to show).
pub const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum BodyError {
    /// It has more than the cap (from its `Content-Length`, or as read).
    TooLarge { cap: usize, declared: Option<u64> },
    /// The connection failed or ended early while reading.
    Io(std::io::Error),
}

/// The whole body of `answer` (`declared`: its `Content-Length`), or
/// [`BodyError::TooLarge`] as soon as it passes `cap`.
pub fn read_capped(
    answer: &mut impl Read,
    declared: Option<u64>,
    cap: usize,
) -> Result<Vec<u8>, BodyError> {
    if declared.is_some_and(|d| d > cap as u64) {
        return Err(BodyError::TooLarge { cap, declared });
    }
    let mut body = Vec::with_capacity(declared.map_or(0, |d| d as usize));
    let mut piece = [0u8; 64 * 1024];
    loop {
        let n = match answer.read(&mut piece) {
            Ok(0) => return Ok(body),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(BodyError::Io(e)),
        };
        if body.len() + n > cap {
            return Err(BodyError::TooLarge {
                cap,
                declared: None,
            });
        }
        body.extend_from_slice(&piece[..n]);
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

    /// A reader of `len` bytes that makes them as it is read (never holds them).
    struct Endless {
        left: u64,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.left as usize);
            buf[..n].fill(b'x');
            self.left -= n as u64;
            Ok(n)
        }
    }

    #[test]
    fn a_body_within_the_cap_is_read_whole() {
        let body = read_capped(&mut &b"{\"a\":1}"[..], None, 7).unwrap();
        assert_eq!(body, b"{\"a\":1}");
    }

    #[test]
    fn a_body_past_the_cap_is_refused_having_read_no_more_than_the_cap() {
        let mut huge = Endless { left: 500 << 20 };
        let e = read_capped(&mut huge, None, 1 << 20).unwrap_err();
        assert!(
            matches!(e, BodyError::TooLarge { cap: 1048576, .. }),
            "{e:?}"
        );
        assert!(
            huge.left >= (500 << 20) - (1 << 20) - 64 * 1024,
            "read on past the cap"
        );
    }

    #[test]
    fn a_declared_length_past_the_cap_is_refused_before_reading() {
        let mut huge = Endless { left: 10 };
        let e = read_capped(&mut huge, Some(11), 10).unwrap_err();
        assert!(
            matches!(
                e,
                BodyError::TooLarge {
                    declared: Some(11),
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(huge.left, 10, "nothing read");
    }
}
