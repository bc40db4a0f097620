//! Just enough HTTP/1.1 framing for the proxy to know where a request and its
//! answer end (RFC 9112 §6: `Content-Length`, `chunked`, or the end of the
//! connection), relaying the bytes as they came.

use std::io::{Error, ErrorKind, Result};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// A head larger than this is refused (the proxy is for tests, not for abuse).
const MAX_HEAD: usize = 1 << 20;

/// One request or answer: its bytes as received, and what framing needs.
#[derive(Debug, Clone)]
pub struct Message {
    pub raw: Vec<u8>,
    /// The request's method (empty in an answer).
    pub method: String,
    /// The request's target, path and query (empty in an answer).
    pub target: String,
    /// The answer's status (0 in a request).
    pub status: u16,
    /// `Connection: close`, or an answer that ends with the connection.
    pub close: bool,
}

fn invalid(what: &str) -> Error {
    Error::new(ErrorKind::InvalidData, what.to_owned())
}

/// Reads the next request; `None` when the client closed between requests.
pub async fn read_request<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
) -> Result<Option<Message>> {
    let Some((mut raw, start, headers)) = read_head(read).await? else {
        return Ok(None);
    };
    let mut words = start.split_whitespace();
    let method = words.next().ok_or_else(|| invalid("no method"))?.to_owned();
    let target = words.next().ok_or_else(|| invalid("no target"))?.to_owned();
    let close = has_token(&headers, "connection", "close");
    if has_token(&headers, "transfer-encoding", "chunked") {
        read_chunked(read, &mut raw).await?;
    } else if let Some(length) = content_length(&headers)? {
        read_exact_into(read, &mut raw, length).await?;
    }
    Ok(Some(Message {
        raw,
        method,
        target,
        status: 0,
        close,
    }))
}

/// Reads the whole answer to a request made with `method` (interim 1xx answers
/// are kept in front of it).
pub async fn read_response<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
    method: &str,
) -> Result<Message> {
    let mut all = Vec::new();
    loop {
        let (mut raw, start, headers) = read_head(read)
            .await?
            .ok_or_else(|| invalid("the server closed before answering"))?;
        let status: u16 = start
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid("no status"))?;
        let mut close = has_token(&headers, "connection", "close");
        if (100..200).contains(&status) && status != 101 {
            all.append(&mut raw);
            continue;
        }
        let bodiless = method == "HEAD" || status == 204 || status == 304;
        if bodiless {
        } else if has_token(&headers, "transfer-encoding", "chunked") {
            read_chunked(read, &mut raw).await?;
        } else if let Some(length) = content_length(&headers)? {
            read_exact_into(read, &mut raw, length).await?;
        } else {
            read.read_to_end(&mut raw).await?;
            close = true;
        }
        all.append(&mut raw);
        return Ok(Message {
            raw: all,
            method: String::new(),
            target: String::new(),
            status,
            close,
        });
    }
}

/// A head: its bytes, its start line, and its header fields (names lowercased).
type Head = (Vec<u8>, String, Vec<(String, String)>);

async fn read_head<R: AsyncRead + Unpin>(read: &mut BufReader<R>) -> Result<Option<Head>> {
    let mut raw = Vec::new();
    let mut start = None;
    let mut headers = Vec::new();
    loop {
        let before = raw.len();
        let n = read.read_until(b'\n', &mut raw).await?;
        if n == 0 {
            return if raw.is_empty() {
                Ok(None)
            } else {
                Err(invalid("the connection ended inside a head"))
            };
        }
        if raw.len() > MAX_HEAD {
            return Err(invalid("head too large"));
        }
        let line = String::from_utf8_lossy(&raw[before..]);
        let line = line.trim_end_matches(['\r', '\n']);
        if start.is_none() {
            start = Some(line.to_owned());
        } else if line.is_empty() {
            return Ok(Some((raw, start.unwrap_or_default(), headers)));
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        } else {
            return Err(invalid("a header line without a colon"));
        }
    }
}

fn has_token(headers: &[(String, String)], name: &str, token: &str) -> bool {
    headers
        .iter()
        .filter(|(n, _)| n == name)
        .flat_map(|(_, v)| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

fn content_length(headers: &[(String, String)]) -> Result<Option<usize>> {
    let mut lengths = headers.iter().filter(|(n, _)| n == "content-length");
    let Some((_, first)) = lengths.next() else {
        return Ok(None);
    };
    if lengths.any(|(_, v)| v != first) {
        return Err(invalid("two different Content-Length fields"));
    }
    first
        .parse()
        .map(Some)
        .map_err(|_| invalid("a Content-Length that is not a number"))
}

async fn read_exact_into<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
    raw: &mut Vec<u8>,
    length: usize,
) -> Result<()> {
    let start = raw.len();
    raw.resize(start + length, 0);
    read.read_exact(&mut raw[start..]).await?;
    Ok(())
}

/// Copies a chunked body (sizes, data, trailers) as it is.
async fn read_chunked<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
    raw: &mut Vec<u8>,
) -> Result<()> {
    loop {
        let before = raw.len();
        if read.read_until(b'\n', raw).await? == 0 {
            return Err(invalid("the connection ended inside a chunked body"));
        }
        let line = String::from_utf8_lossy(&raw[before..]).into_owned();
        let size = line.trim().split(';').next().unwrap_or_default();
        let size =
            usize::from_str_radix(size.trim(), 16).map_err(|_| invalid("a bad chunk size"))?;
        if size == 0 {
            // Trailer fields, then the empty line.
            loop {
                let before = raw.len();
                if read.read_until(b'\n', raw).await? == 0 {
                    return Err(invalid("the connection ended inside the trailers"));
                }
                if raw[before..].iter().all(|b| *b == b'\r' || *b == b'\n') {
                    return Ok(());
                }
            }
        }
        read_exact_into(read, raw, size + 2).await?;
    }
}

/// An answer the proxy makes itself, as a load balancer would: plain text.
pub fn plain_answer(status: u16, retry_after: Option<u64>) -> Vec<u8> {
    let seconds = retry_after.map(|s| s.to_string());
    let headers: Vec<(&str, &str)> = seconds
        .iter()
        .map(|s| ("retry-after", s.as_str()))
        .collect();
    plain_answer_with(status, &headers)
}

/// [`plain_answer`] with these header fields added.
pub fn plain_answer_with(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let reason = match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        429 => "Too Many Requests",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        _ => "Injected",
    };
    let body = format!("{status} {reason} (injected by the test proxy)\n");
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(&body);
    head.into_bytes()
}
