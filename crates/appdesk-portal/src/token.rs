//! Bearer tokens: `adp_<prefix>_<secret>`, printed once, kept as a SHA-256.
//!
//! The prefix is not secret (it names the token for `token revoke` and finds its
//! row); the secret part is checked by comparing hashes in constant time, so the
//! time an answer takes says nothing about how much of a guess was right.

use appdesk_core::secrets::random_token;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::AppError;

const PREFIX_LEN: usize = 8;
const SECRET_LEN: usize = 40;

/// A token as a client presents it, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented<'a> {
    /// `adp_1a2b3c4d`: what `tokens.prefix` holds.
    pub prefix: &'a str,
    pub full: &'a str,
}

/// A new token's text and what is stored of it.
pub fn generate() -> Result<(String, String, Vec<u8>), AppError> {
    let prefix = format!("adp_{}", random_token(PREFIX_LEN)?);
    let token = format!("{prefix}_{}", random_token(SECRET_LEN)?);
    let hash = hash(&token);
    Ok((token, prefix, hash))
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Splits `adp_<prefix>_<secret>`; `None` for anything else.
pub fn parse(text: &str) -> Option<Presented<'_>> {
    let rest = text.strip_prefix("adp_")?;
    let (prefix, secret) = rest.split_once('_')?;
    let ok = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    (ok(prefix, PREFIX_LEN) && ok(secret, SECRET_LEN)).then(|| Presented {
        prefix: &text[..4 + PREFIX_LEN],
        full: text,
    })
}

/// The prefix a `token revoke` argument names: a prefix or a whole token.
pub fn prefix_of(text: &str) -> Option<&str> {
    if let Some(p) = parse(text) {
        return Some(p.prefix);
    }
    let rest = text.strip_prefix("adp_")?;
    (rest.len() == PREFIX_LEN
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    .then_some(text)
}

/// Whether `presented` hashes to `stored`, compared in constant time.
pub fn matches(presented: &str, stored: &[u8]) -> bool {
    hash(presented).ct_eq(stored).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_token_parses_and_matches_only_its_hash() {
        let (token, prefix, stored) = generate().unwrap();
        let parsed = parse(&token).unwrap();
        assert_eq!(parsed.prefix, prefix);
        assert!(matches(&token, &stored));
        let mut other = token.clone();
        other.pop();
        other.push(if token.ends_with('a') { 'b' } else { 'a' });
        assert!(!matches(&other, &stored));
        assert!(
            !stored
                .windows(8)
                .any(|w| token.as_bytes().windows(8).any(|t| t == w))
        );
    }

    #[test]
    fn malformed_tokens_and_prefixes_are_refused() {
        assert_eq!(parse("adp_short_x"), None);
        assert_eq!(parse("Bearer adp_"), None);
        assert_eq!(prefix_of("adp_1a2b3c4d"), Some("adp_1a2b3c4d"));
        assert_eq!(prefix_of("adp_1A2B3C4D"), None);
        assert_eq!(prefix_of("adp_1a2b3c4d_"), None);
        let (token, prefix, _) = generate().unwrap();
        assert_eq!(prefix_of(&token), Some(prefix.as_str()));
    }
}
