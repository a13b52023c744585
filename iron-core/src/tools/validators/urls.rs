//! URL arguments: SSRF protection and the host allowlist. Hosts are parsed
//! with the WHATWG rules HTTP clients use, so `0x7f000001`, `2130706433`,
//! `0177.0.0.1` and `good.com@127.0.0.1` are seen as the loopback address
//! they reach. Names are refused statically when obviously internal and, in
//! the async check, when DNS resolves them to a private address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use url::{Host, Url};

use super::paths::RestrictedPaths;
use super::{Violation, host, preview};
use crate::glob::GlobSet;

const SSRF: &str = "ssrf";
const URL_NOT_ALLOWED: &str = "url_not_allowed";

/// How long the async check waits for one DNS answer.
const DNS_TIMEOUT: Duration = Duration::from_secs(2);

/// Schemes that only serve to smuggle requests to internal services.
const FORBIDDEN_SCHEMES: &[&str] = &["gopher", "dict", "ldap", "ldaps", "tftp", "jar", "netdoc"];
const NETWORK_SCHEMES: &[&str] = &["http", "https", "ftp", "ftps", "ws", "wss"];

/// The scheme of a string that starts like a URL (`scheme:`), as written.
/// Single letters are drive letters (`C:`), not schemes.
pub(crate) fn scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.trim_start().split_once(':')?;
    let ok = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c));
    ok.then_some(scheme)
}

/// `mailto:x`, `data:...`: a scheme this guard does not check. `host:8080`
/// is not one, it is a host and port.
pub(crate) fn has_foreign_scheme(s: &str) -> bool {
    scheme(s).is_some_and(|sc| {
        let after = &s.trim_start()[sc.len() + 1..];
        !after.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The lower-case scheme of `s` when this guard has an opinion on it.
pub(crate) fn checked_scheme(s: &str) -> Option<&'static str> {
    let sc = scheme(s)?;
    std::iter::once(&"file")
        .chain(NETWORK_SCHEMES)
        .chain(FORBIDDEN_SCHEMES)
        .find(|k| k.eq_ignore_ascii_case(sc))
        .copied()
}

/// A host name the async check should resolve.
pub(crate) type PendingHost = (String, u16);

/// Checks one URL. Names that pass the static checks are pushed onto
/// `pending` for DNS resolution by the async check.
/// `scheme` is `checked_scheme(raw)`, which the caller has computed.
pub(crate) fn check(
    raw: &str,
    scheme: &'static str,
    allowlist: Option<&GlobSet>,
    restricted: &RestrictedPaths,
    pending: &mut Vec<PendingHost>,
) -> Result<(), Violation> {
    let deny = |rule, why: &str| Err(Violation::new(rule, format!("{why}: {}", preview(raw))));
    let raw = raw.trim();
    if FORBIDDEN_SCHEMES.contains(&scheme) {
        return deny(SSRF, "URL scheme is never allowed");
    }
    // Parsers disagree on backslashes, whitespace and repeated '@' in the
    // authority; refuse rather than guess which host the tool will reach.
    let authority = host::authority(raw, scheme);
    if let Some(a) = authority
        && (a.bytes().any(|b| b == b'\\' || b <= b' ' || b == 0x7f)
            || a.bytes().filter(|&b| b == b'@').count() > 1)
    {
        return deny(SSRF, "ambiguous URL authority");
    }
    let parsed = match authority.and_then(|a| host::fast_host(a, scheme)) {
        Some(found) => found,
        None => {
            let Ok(url) = Url::parse(raw) else {
                return deny(SSRF, "unparseable URL");
            };
            if scheme == "file" {
                return check_file(&url, restricted);
            }
            let Some(host) = url.host() else {
                return deny(SSRF, "URL has no host");
            };
            (host.to_owned(), url.port_or_known_default().unwrap_or(80))
        }
    };
    let (host, port) = parsed;
    let (host, is_name) = match host {
        Host::Ipv4(ip) => {
            refuse_private(IpAddr::V4(ip), raw)?;
            (ip.to_string(), false)
        }
        Host::Ipv6(ip) => {
            refuse_private(IpAddr::V6(ip), raw)?;
            (ip.to_string(), false)
        }
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if is_internal_name(&d) {
                return deny(SSRF, "URL targets an internal host name");
            }
            (d, true)
        }
    };
    if let Some(globs) = allowlist
        && !globs.matches(&host)
    {
        return deny(URL_NOT_ALLOWED, "host is not in the URL allowlist");
    }
    if is_name && !pending.iter().any(|(h, p)| *h == host && *p == port) {
        pending.push((host, port));
    }
    Ok(())
}

fn check_file(url: &Url, restricted: &RestrictedPaths) -> Result<(), Violation> {
    let path = url.path();
    // file:///C:/Windows has the path "/C:/Windows".
    let path = match path.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => &path[1..],
        _ => path,
    };
    restricted.check(path)
}

/// Resolves the pending names and refuses any that points at a private
/// address. Names that do not resolve (or time out) pass: the tool cannot
/// reach them either.
pub(crate) async fn check_resolved(pending: &[PendingHost]) -> Result<(), Violation> {
    for (host, port) in pending {
        let lookup = tokio::net::lookup_host((host.as_str(), *port));
        let Ok(Ok(addrs)) = tokio::time::timeout(DNS_TIMEOUT, lookup).await else {
            continue;
        };
        for addr in addrs {
            if let Some(kind) = private_kind(addr.ip()) {
                return Err(Violation::new(
                    SSRF,
                    format!("host {host:?} resolves to a {kind} address ({})", addr.ip()),
                ));
            }
        }
    }
    Ok(())
}

fn refuse_private(ip: IpAddr, raw: &str) -> Result<(), Violation> {
    match private_kind(ip) {
        Some(kind) => Err(Violation::new(
            SSRF,
            format!("URL targets a {kind} address ({ip}): {}", preview(raw)),
        )),
        None => Ok(()),
    }
}

fn is_internal_name(host: &str) -> bool {
    const NAMES: &[&str] = &["localhost", "metadata", "metadata.goog", "instance-data"];
    const SUFFIXES: &[&str] = &[
        ".localhost",
        ".internal",
        ".local",
        ".localdomain",
        ".home.arpa",
    ];
    NAMES.contains(&host) || SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub(crate) fn private_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (127, ..) => "loopback",
        (169, 254, _) => "link-local/metadata",
        (10, ..) | (192, 168, _) => "private",
        (172, 16..=31, _) => "private",
        // Carrier-grade NAT; also where some clouds put metadata (100.100.100.200).
        (100, 64..=127, _) => "shared/CGNAT",
        (0, ..) => "unspecified",
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "reserved",
        (198, 18..=19, _) => "benchmarking",
        (224..=255, ..) => "multicast/reserved",
        _ => return None,
    })
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if ip.is_loopback() {
        return Some("loopback");
    }
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
    // (64:ff9b::a.b.c.d) all reach the embedded IPv4 address.
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return v4_kind(embedded_v4(s[6], s[7]));
    }
    // 6to4 carries the IPv4 address in bits 16..48.
    if s[0] == 0x2002 {
        return v4_kind(embedded_v4(s[1], s[2]));
    }
    Some(match s[0] {
        x if x & 0xfe00 == 0xfc00 => "unique-local",
        x if x & 0xffc0 == 0xfe80 => "link-local",
        x if x & 0xffc0 == 0xfec0 => "site-local",
        x if x & 0xff00 == 0xff00 => "multicast",
        // Teredo hides the client address; documentation range.
        0x2001 if s[1] == 0 || s[1] == 0xdb8 => "reserved",
        0x64 if s[1] == 0xff9b => "NAT64",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(url: &str, allow: Option<&[&str]>) -> (Result<(), Violation>, Vec<PendingHost>) {
        let restricted = RestrictedPaths::new(&["/etc", "C:\\Windows"], None).unwrap();
        let globs = allow.map(|a| GlobSet::new(a).unwrap());
        let mut pending = Vec::new();
        let scheme = checked_scheme(url).expect("test URLs have a checked scheme");
        let verdict = check(url, scheme, globs.as_ref(), &restricted, &mut pending);
        (verdict, pending)
    }

    fn rule(url: &str) -> Option<&'static str> {
        run(url, None).0.err().map(|v| v.rule)
    }

    #[test]
    fn ssrf_forms_are_denied() {
        for u in [
            "http://127.0.0.1/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:7f00:1::]/",
            "http://[fd00:ec2::254]/",
            "http://169.254.169.254/latest/meta-data",
            "http://100.100.100.200/",
            "http://10.0.0.5:8080/admin",
            "http://192.168.1.1/",
            "http://172.31.0.1/",
            "http://0.0.0.0/",
            "http://good.com@127.0.0.1/",
            "http://good.com:pw@169.254.169.254/",
            "http://a@b@127.0.0.1/",
            "http://127.0.0.1\\@good.com/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://LOCALHOST./",
            "http://app.localhost/",
            "gopher://evil.com:25/_HELO",
            "dict://evil.com:11211/stat",
            "http://[::ffff:127.0.0.1/",
            "ftp://10.1.1.1/file",
        ] {
            assert_eq!(rule(u), Some(SSRF), "{u}");
        }
    }

    #[test]
    fn public_urls_pass_and_names_are_queued_for_dns() {
        let (res, pending) = run("https://api.example.com/v1?q=1", None);
        assert!(res.is_ok());
        assert_eq!(pending, vec![("api.example.com".to_string(), 443)]);
        for u in [
            "http://93.184.216.34/",
            "http://[2606:4700::1111]/",
            "https://good.com@example.org/",
        ] {
            assert_eq!(rule(u), None, "{u}");
        }
    }

    #[test]
    fn allowlist_limits_hosts() {
        let allow: &[&str] = &["*.example.com", "example.com"];
        assert!(run("https://api.example.com/x", Some(allow)).0.is_ok());
        let denied = run("https://example.com.evil.net/", Some(allow))
            .0
            .unwrap_err();
        assert_eq!(denied.rule, URL_NOT_ALLOWED);
        // Allowlisting does not lift SSRF protection.
        let lo: &[&str] = &["*"];
        assert_eq!(run("http://127.0.0.1/", Some(lo)).0.unwrap_err().rule, SSRF);
    }

    #[test]
    fn file_urls_use_path_rules() {
        assert_eq!(rule("file:///etc/passwd"), Some("restricted_path"));
        assert_eq!(rule("file:///C:/Windows/win.ini"), Some("restricted_path"));
        assert_eq!(rule("file:///tmp/../etc/passwd"), Some("restricted_path"));
        assert_eq!(rule("file:///tmp/report.txt"), None);
    }

    #[test]
    fn ip_classification() {
        assert_eq!(private_kind("8.8.8.8".parse().unwrap()), None);
        assert_eq!(private_kind("172.32.0.1".parse().unwrap()), None);
        assert!(private_kind("::ffff:10.0.0.1".parse().unwrap()).is_some());
        assert!(private_kind("fe80::1".parse().unwrap()).is_some());
        assert_eq!(private_kind("2a00:1450::1".parse().unwrap()), None);
    }

    #[tokio::test]
    async fn dns_names_resolving_to_loopback_are_denied() {
        let denied = check_resolved(&[("localhost".into(), 80)])
            .await
            .unwrap_err();
        assert_eq!(denied.rule, SSRF);
        assert!(denied.reason.contains("resolves to"), "{}", denied.reason);
        // Unresolvable names pass: the tool cannot reach them either.
        assert!(
            check_resolved(&[("no-such-host.invalid".into(), 80)])
                .await
                .is_ok()
        );
    }
}
