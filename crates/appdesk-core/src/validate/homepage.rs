//! The homepage URL of R1. The URL checked must be the URL stored: the parser
//! drops tabs and newlines and accepts odd spellings (`https:host`,
//! backslashes), so what is kept is the parser's own serialization, and the
//! characters it would drop silently are refused instead.

use url::Url;

use super::{URL_MAX, single_line_text};
use crate::error::Problem;

/// An absolute http or https URL of at most 250 characters, with a host and no
/// user name or password. What is stored is the URL as the parser serialized it
/// (host lower-cased, `/` path added, odd forms such as `https:host` made
/// regular), so that the URL checked is the URL stored; characters the parser
/// would silently drop (tabs, newlines, controls) are refused instead.
pub fn homepage_url(value: &str) -> Result<String, Problem> {
    const FIELD: &str = "homepageUrl";
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Problem::new(FIELD, "Homepage URL is required"));
    }
    single_line_text(trimmed, FIELD, "Homepage URL")?;
    let too_long = |len: usize, what: &str| {
        Problem::new(
            FIELD,
            format!("Homepage URL is {len} characters{what}; at most {URL_MAX} are allowed"),
        )
    };
    let len = trimmed.chars().count();
    if len > URL_MAX {
        return Err(too_long(len, ""));
    }
    let url = match Url::parse(trimmed) {
        Ok(url) => url,
        Err(e) => return Err(Problem::new(FIELD, unparsable(e))),
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Problem::new(
            FIELD,
            format!(
                "Homepage URL must start with http:// or https://, not {}:",
                url.scheme()
            ),
        ));
    }
    if url.host().is_none() {
        return Err(Problem::new(FIELD, "Homepage URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Problem::new(
            FIELD,
            "Homepage URL must not carry a user name or password",
        ));
    }
    let stored = String::from(url);
    let len = stored.chars().count();
    if len > URL_MAX {
        return Err(too_long(len, " once written out in full"));
    }
    Ok(stored)
}

/// Why a URL does not parse, in plain words: the parser's own text ("relative
/// URL without a base") means nothing to a person filling in a form.
fn unparsable(e: url::ParseError) -> &'static str {
    use url::ParseError as P;
    match e {
        P::RelativeUrlWithoutBase | P::RelativeUrlWithCannotBeABaseBase => {
            "Homepage URL must start with https:// (or http://)"
        }
        P::EmptyHost => "Homepage URL has no host",
        P::InvalidPort => "Homepage URL has a port that is not valid",
        P::InvalidIpv4Address | P::InvalidIpv6Address => {
            "Homepage URL has an IP address that is not valid"
        }
        _ => "Homepage URL has a host name that is not valid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_rules() {
        assert!(homepage_url("http://localhost:8080/x").is_ok());
        assert!(
            homepage_url("acme.example")
                .unwrap_err()
                .message
                .contains("must start with https://")
        );
        assert!(
            homepage_url("mailto:a@b.c")
                .unwrap_err()
                .message
                .contains("http")
        );
        // Plain words, never the URL parser's own text.
        for (bad, plain) in [
            (
                "acme.example",
                "Homepage URL must start with https:// (or http://)",
            ),
            (
                "https://acme.example:99999/",
                "Homepage URL has a port that is not valid",
            ),
            (
                "https://[::1/",
                "Homepage URL has an IP address that is not valid",
            ),
            (
                "https://ac me.example/",
                "Homepage URL has a host name that is not valid",
            ),
        ] {
            assert_eq!(homepage_url(bad).unwrap_err().message, plain, "{bad}");
        }
        let long = format!("https://a.example/{}", "p".repeat(240));
        assert!(
            homepage_url(&long)
                .unwrap_err()
                .message
                .contains("at most 250")
        );
    }
}
