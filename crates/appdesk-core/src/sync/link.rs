//! What `appdesk remote add` accepts: a remote's name, its URL and its bearer
//! token, checked before anything is stored, each error naming the field.
//!
//! The URL must be https, or plain http to a loopback host only: a bearer
//! token sent in clear over a network is a token given away. A URL carrying
//! credentials (`user:pass@`) is refused, since the URL is stored in plaintext
//! and only the token is sealed.

use std::net::IpAddr;

use crate::error::{Error, Problem, Result};

const NAME_MAX: usize = 40;
const URL_MAX: usize = 2000;
/// Longer than any bearer token a portal issues; bounds what is sealed.
pub const TOKEN_MAX: usize = 4096;

/// A remote as `remote add` takes it: its name, URL and token, each checked
/// (see [`name`], [`url`], [`token`]). A caller that must create the database
/// first checks here before, so that refused input creates nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct NewRemote {
    pub name: String,
    pub url: String,
    pub token: String,
}

impl std::fmt::Debug for NewRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRemote")
            .field("name", &self.name)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Checks a remote to add, naming the field at fault.
pub fn new_remote(name_text: &str, url_text: &str, token_text: &str) -> Result<NewRemote> {
    Ok(NewRemote {
        name: name(name_text)?,
        url: url(url_text)?,
        token: token(token_text)?,
    })
}

/// A remote's name: 1–40 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit.
pub fn name(text: &str) -> Result<String> {
    let ok = !text.is_empty()
        && text.len() <= NAME_MAX
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(text.to_owned())
    } else {
        Err(Error::invalid(
            "name",
            format!(
                "{text:?} is not a remote name: use 1 to {NAME_MAX} letters, digits, '.', '_' or \
                 '-', starting with a letter or digit"
            ),
        ))
    }
}

/// The portal's base URL, normalised (no trailing slash).
pub fn url(text: &str) -> Result<String> {
    let bad = |why: String| Error::invalid("url", format!("{text:?}: {why}"));
    if text.len() > URL_MAX {
        return Err(bad(format!("longer than {URL_MAX} characters")));
    }
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("contains spaces or control characters".to_owned()));
    }
    let parsed = url::Url::parse(text).map_err(|e| bad(format!("not a URL ({e})")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "must not carry a user name or password; give the token with --token-file".to_owned(),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("must not have a query or fragment".to_owned()));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(bad(
                "plain http is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use \
                 https, so the token is never sent in clear"
                    .to_owned(),
            ));
        }
        other => {
            return Err(bad(format!(
                "the scheme must be https (or http on loopback), not {other}"
            )));
        }
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// A bearer token as given (`--token`, or a token file's text): surrounding
/// whitespace (a file's final newline) is dropped; what is left must be
/// printable ASCII with no spaces, as an HTTP header value allows.
pub fn token(text: &str) -> Result<String> {
    let t = text.trim();
    let problem = if t.is_empty() {
        Some("is empty".to_owned())
    } else if t.len() > TOKEN_MAX {
        Some(format!("is longer than {TOKEN_MAX} characters"))
    } else if !t.bytes().all(|b| b.is_ascii_graphic()) {
        Some("must be printable ASCII without spaces or control characters".to_owned())
    } else {
        None
    };
    match problem {
        // The message never quotes the token.
        Some(p) => Err(Error::Invalid(vec![Problem::new(
            "token",
            format!("the token {p}"),
        )])),
        None => Ok(t.to_owned()),
    }
}

/// A feed cursor a portal answered, checked before it is kept: the portal's
/// form `EPOCH.XID.SEQ` (or `XID.SEQ`, epoch 0), each a whole number of at
/// most 20 digits, and not from an older epoch than `previous` (a portal
/// never goes back to one). A cursor that fails is never stored, so one bad
/// answer cannot break every later sync.
pub fn cursor(next: &str, previous: Option<&str>) -> Result<()> {
    let epoch = |text: &str| -> Option<u64> {
        let parts: Vec<&str> = text.split('.').collect();
        let digits =
            |p: &&str| !p.is_empty() && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit());
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(digits) {
            return None;
        }
        let parsed: Option<Vec<u64>> = parts.iter().map(|p| p.parse().ok()).collect();
        let parsed = parsed?;
        Some(if parsed.len() == 3 { parsed[0] } else { 0 })
    };
    let shown: String = next.chars().take(40).collect();
    let Some(new) = epoch(next) else {
        return Err(Error::invalid(
            "cursor",
            format!(
                "the portal answered a feed cursor that is not one ({shown:?}); it was not kept"
            ),
        ));
    };
    if let Some(old) = previous.and_then(epoch)
        && new < old
    {
        return Err(Error::invalid(
            "cursor",
            format!(
                "the portal answered a feed cursor ({shown:?}) from an older epoch than the one \
                 kept ({}); it was not kept",
                previous.unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// The text of a token file (`remote add --token-file`): a regular file, read
/// without blocking and bounded as every file a user names is
/// (`user_file::read_regular`), UTF-8. Trailing white space (a final newline)
/// is left to [`token`], which trims and checks the token itself.
pub fn read_token_file(path: &std::path::Path) -> Result<String> {
    let fail = |why: String| {
        Error::invalid(
            "token-file",
            format!("token file {}: {why}", path.display()),
        )
    };
    let bytes = crate::user_file::read_regular(path, TOKEN_MAX as u64 + 2)
        .map_err(|e| fail(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| fail("is not UTF-8 text".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_https_or_http_on_loopback_only() {
        assert_eq!(
            url("https://portal.example/").unwrap(),
            "https://portal.example"
        );
        assert!(url("http://127.0.0.1:8477").is_ok());
        assert!(url("http://localhost:8477/base").is_ok());
        assert!(url("http://[::1]:8477").is_ok());
        let err = url("http://portal.example").unwrap_err().to_string();
        assert!(err.contains("loopback"), "{err}");
        for bad in [
            "ftp://x.example",
            "https://u:p@x.example",
            "https://x.example/?t=1",
            "x",
            "https://x.example/\u{0}",
        ] {
            assert_eq!(url(bad).unwrap_err().code(), "invalid", "{bad}");
        }
    }

    #[test]
    fn names_and_tokens_are_checked_and_a_token_is_never_quoted() {
        assert!(name("origin").is_ok() && name("team-1.portal").is_ok());
        for bad in ["", "-x", "a b", "a/b", &"x".repeat(41), "é"] {
            assert!(name(bad).is_err(), "{bad:?}");
        }
        assert_eq!(token("adp_1234_secret\n").unwrap(), "adp_1234_secret");
        let err = token("adp_1234 secret\u{7}").unwrap_err().to_string();
        assert!(!err.contains("adp_1234"), "{err}");
        assert!(token(" \n").is_err());
    }
}
