//! Answers the proxy makes up itself for a hostile portal: a JSON body of the
//! test's choosing, a feed that never ends, and a body that goes on for as
//! many bytes as asked, written as it is sent so the proxy itself never holds
//! more than one chunk of it.

use tokio::io::{AsyncWrite, AsyncWriteExt};

/// One chunk of a flood: 64 KiB.
const CHUNK: usize = 64 * 1024;

/// `status` with `body` as `application/json`.
pub fn json_answer(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} Made\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A full page of the feed after `target`'s `since` (`E.X.S`, or none): as
/// many deletions of apps never seen as its `limit` asks (1000 if absent),
/// and a `next` of `E.X.(S+limit)`, so each page's cursor is new.
pub fn endless_feed_page(target: &str) -> Vec<u8> {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
            .map(|v| v.replace("%2E", ".").replace("%2e", "."))
    };
    let limit: u64 = param("limit").and_then(|l| l.parse().ok()).unwrap_or(1000);
    let since = param("since").unwrap_or_else(|| "0.0.0".to_owned());
    let mut parts: Vec<u64> = since.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 {
        parts = vec![0, 0, 0];
    }
    let next = format!("{}.{}.{}", parts[0], parts[1], parts[2] + limit);
    let changes: Vec<String> = (0..limit)
        .map(|_| format!(r#"{{"type":"deleted","appId":"{}"}}"#, uuid::Uuid::now_v7()))
        .collect();
    let body = format!(r#"{{"changes":[{}],"next":"{next}"}}"#, changes.join(","));
    json_answer(200, &body)
}

/// Writes a `200` whose JSON body (`{"changes":["xxx…`) runs on for `bytes`
/// bytes, chunked, until done or the client hangs up (an error here).
pub async fn flood<W: AsyncWrite + Unpin>(write: &mut W, bytes: u64) -> std::io::Result<()> {
    write
        .write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .await?;
    let start = br#"{"changes":[""#;
    let mut chunk = vec![b'x'; CHUNK];
    chunk[..start.len()].copy_from_slice(start);
    let mut sent: u64 = 0;
    while sent < bytes {
        let n = CHUNK.min((bytes - sent) as usize);
        write.write_all(format!("{n:x}\r\n").as_bytes()).await?;
        write.write_all(&chunk[..n]).await?;
        write.write_all(b"\r\n").await?;
        if sent == 0 {
            chunk[..start.len()].fill(b'x');
        }
        sent += n as u64;
    }
    write.write_all(b"0\r\n\r\n").await?;
    write.flush().await
}
