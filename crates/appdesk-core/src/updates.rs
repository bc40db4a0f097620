//! What the desktop app's update check needs from the core: the rule for an
//! update endpoint (HTTPS, or plain HTTP on a loopback address only). The
//! "check at start-up" setting is the store's (`Store::check_updates_at_start`).
//!
//! The check itself (HTTP, signatures, installing a package) belongs to the
//! desktop shell and the updater plugin; nothing here talks to a network.

use std::net::IpAddr;

use url::{Host, Url};

use crate::{Error, Result};

/// The environment variable that replaces the configured update endpoint, for
/// tests and private mirrors.
pub const UPDATE_URL_VAR: &str = "APPDESK_UPDATE_URL";

/// Checks an update endpoint: an absolute `https` URL, or `http` to a loopback
/// address (`127.0.0.0/8`, `::1`, `localhost`), with no user name or password.
/// `field` names where it came from (`APPDESK_UPDATE_URL`, the config).
/// The `{{target}}`, `{{arch}}`, `{{current_version}}` and `{{bundle_type}}`
/// placeholders of the updater are allowed.
pub fn update_endpoint(raw: &str, field: &str) -> Result<Url> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "the update URL is empty"));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(
            field,
            format!(
                "the update URL holds a control character (U+{:04X})",
                c as u32
            ),
        ));
    }
    let url = Url::parse(trimmed)
        .map_err(|e| Error::invalid(field, format!("not a URL ({e}): {trimmed}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            field,
            "the update URL must not hold a user name or password",
        ));
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if url.host().is_some_and(|h| is_loopback(&h)) => Ok(url),
        "http" => Err(Error::invalid(
            field,
            format!(
                "plain http is accepted only for a loopback address (127.0.0.1, ::1, \
                 localhost); use https for {}",
                url.host_str().unwrap_or("this host")
            ),
        )),
        other => Err(Error::invalid(
            field,
            format!("the update URL must use https, not {other}:"),
        )),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://updates.example.com/appdesk/{{target}}/{{arch}}/{{current_version}}",
            "http://127.0.0.1:8080/latest.json",
            "http://127.3.4.5/latest.json",
            "http://[::1]:9/latest.json",
            "http://LOCALHOST:9/latest.json",
        ] {
            assert!(update_endpoint(ok, "f").is_ok(), "{ok} should pass");
        }
        for (bad, says) in [
            ("http://updates.example.com/latest.json", "loopback"),
            ("http://10.0.0.1/latest.json", "loopback"),
            ("http://127.0.0.1.example.com/x", "loopback"),
            ("ftp://127.0.0.1/latest.json", "must use https"),
            ("file:///etc/passwd", "must use https"),
            ("https://user:pw@example.com/x", "user name"),
            ("https://example.com/\u{7}x", "control character"),
            ("  ", "empty"),
            ("latest.json", "not a URL"),
        ] {
            let err = update_endpoint(bad, "APPDESK_UPDATE_URL").expect_err(bad);
            let body = err.body();
            assert_eq!(body.field.as_deref(), Some("APPDESK_UPDATE_URL"), "{bad}");
            assert!(body.message.contains(says), "{bad}: {}", body.message);
        }
    }
}
