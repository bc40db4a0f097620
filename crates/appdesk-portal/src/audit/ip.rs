//! The client's address for the audit log: the peer's, or the first
//! `X-Forwarded-For` hop when the peer is a `--trusted-proxy`. It never
//! believes the header from anyone else.

use std::net::IpAddr;

use axum::http::HeaderMap;

use crate::error::AppError;

/// A network in CIDR form (`10.0.0.0/8`, `::1/128`, or one address): a
/// `--trusted-proxy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Refuses anything but an address with an optional `/bits` in range,
    /// naming the text.
    pub fn parse(text: &str) -> Result<Cidr, AppError> {
        let bad = || {
            AppError::setup(format!(
                "--trusted-proxy {text:?} is not an address or network (e.g. 10.0.0.0/8, \
                 192.0.2.7, ::1/128)"
            ))
        };
        let (addr, bits) = match text.trim().split_once('/') {
            Some((addr, bits)) => (addr, Some(bits)),
            None => (text.trim(), None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(bits) => bits
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { net, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.net, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_matches(
                u128::from(u32::from(net)) << 96,
                u128::from(u32::from(ip)) << 96,
                self.bits,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(u128::from(net), u128::from(ip), self.bits)
            }
            _ => false,
        }
    }
}

fn prefix_matches(net: u128, ip: u128, bits: u8) -> bool {
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(bits))
    };
    net & mask == ip & mask
}

/// The client's address: the peer's, or the first `X-Forwarded-For` hop
/// when the peer is within a trusted proxy (and the hop is an address).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if trusted.iter().any(|net| net.contains(peer)) {
        let first = headers
            .get_all("x-forwarded-for")
            .iter()
            .next()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|hop| hop.trim().parse::<IpAddr>().ok());
        if let Some(hop) = first {
            return hop.to_string();
        }
    }
    match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4).to_string(),
        v4 => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cidr_contains_its_addresses_and_refuses_bad_text() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.200.3.4".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(
            Cidr::parse("::1/128")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for bad in ["10.0.0.0/33", "10.0.0/8", "x", "::1/129", "1.2.3.4/"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn x_forwarded_for_is_taken_only_from_a_trusted_peer() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let trusted = [Cidr::parse("127.0.0.0/8").unwrap()];
        let local = Some("127.0.0.1".parse().unwrap());
        let far = Some("192.0.2.1".parse().unwrap());
        assert_eq!(client_ip(local, &headers, &trusted), "203.0.113.9");
        assert_eq!(client_ip(far, &headers, &trusted), "192.0.2.1");
        headers.insert("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(client_ip(local, &headers, &trusted), "127.0.0.1");
    }
}
