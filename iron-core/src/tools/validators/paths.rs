//! Path arguments: lexical normalisation that undoes the usual disguises
//! (percent-encoding, double encoding, backslashes, fullwidth dots, Windows
//! trailing dots) and then refuses traversal above the base directory and
//! anything inside a restricted directory. Lexical only: symlinks are not
//! followed (the guard never touches the file system).

use std::borrow::Cow;

use super::{Violation, preview};
use crate::error::{Error, Result};

const PATH_TRAVERSAL: &str = "path_traversal";
const RESTRICTED_PATH: &str = "restricted_path";

/// Longest string treated as a path when the key does not say so.
const MAX_PATH_LIKE: usize = 4096;

/// Percent-decodes until stable (at most 4 rounds, enough for double and
/// triple encoding). `lossy` is set when the bytes were not UTF-8, e.g. the
/// overlong `%c0%ae` form of `.`.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub lossy: bool,
}

pub(crate) fn percent_decode(s: &str) -> Decoded<'_> {
    let mut out = Decoded {
        text: Cow::Borrowed(s),
        lossy: false,
    };
    for _ in 0..4 {
        let Some(bytes) = decode_once(out.text.as_bytes()) else {
            break;
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                out.lossy = true;
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        out.text = Cow::Owned(text);
    }
    out
}

/// One round of decoding, or `None` when there is no `%XX` to decode.
fn decode_once(s: &[u8]) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%'
            && let (Some(h), Some(l)) = (
                s.get(i + 1).copied().and_then(hex),
                s.get(i + 2).copied().and_then(hex),
            )
        {
            out.get_or_insert_with(|| s[..i].to_vec()).push(h << 4 | l);
            i += 3;
            continue;
        }
        if let Some(o) = out.as_mut() {
            o.push(s[i]);
        }
        i += 1;
    }
    out
}

/// Whether a string (under a key that says nothing) is worth treating as a path.
pub(crate) fn looks_like_path(s: &str) -> bool {
    if s.len() > MAX_PATH_LIKE || s.contains('\n') {
        return false;
    }
    let decoded = percent_decode(s);
    let t = decoded.text.as_ref();
    t.starts_with(['/', '\\', '~'])
        || t.starts_with("./")
        || t.starts_with(".\\")
        || t.starts_with("..")
        || t.starts_with("$HOME")
        || t.starts_with("${HOME}")
        || drive_prefix(t)
        || (!t.contains(char::is_whitespace) && t.contains(['/', '\\']))
}

fn drive_prefix(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && matches!(b.get(2), None | Some(b'/' | b'\\'))
}

/// A normalised path: segments borrowed from the (decoded) text, the first
/// being the anchor (`/`, `c:` or `~`) when the path is absolute. Compare
/// segments with [`same_segment`].
#[derive(Debug, PartialEq)]
struct Normalized<'a> {
    absolute: bool,
    segments: Vec<&'a str>,
    had_parent: bool,
}

/// Decodes and un-disguises `raw`; borrows when there was nothing to undo.
fn prepare(raw: &str) -> std::result::Result<Cow<'_, str>, Violation> {
    let decoded = percent_decode(raw);
    let deny = |reason: &str| Violation::new(PATH_TRAVERSAL, format!("{reason}: {}", preview(raw)));
    if decoded.lossy {
        return Err(deny("invalid percent-encoding in path"));
    }
    if decoded.text.contains('\0') {
        return Err(deny("NUL byte in path"));
    }
    if matches!(decoded.text, Cow::Owned(_)) && decoded.text.contains("..") {
        return Err(deny("percent-encoded traversal"));
    }
    // Backslashes separate on Windows; fullwidth dot/slashes become ASCII
    // on stacks that apply NFKC.
    const DISGUISED: [char; 4] = ['\\', '\u{FF0F}', '\u{FF3C}', '\u{FF0E}'];
    if !decoded.text.contains(DISGUISED) {
        return Ok(decoded.text);
    }
    let mapped = decoded
        .text
        .chars()
        .map(|c| match c {
            '\\' | '\u{FF0F}' | '\u{FF3C}' => '/',
            '\u{FF0E}' => '.',
            c => c,
        })
        .collect();
    Ok(Cow::Owned(mapped))
}

fn normalize<'a>(
    text: &'a str,
    home: Option<&'a [String]>,
    raw: &str,
) -> std::result::Result<Normalized<'a>, Violation> {
    let deny = |reason: &str| Violation::new(PATH_TRAVERSAL, format!("{reason}: {}", preview(raw)));
    let text = text
        .strip_prefix("//?/")
        .or_else(|| text.strip_prefix("//./"))
        .unwrap_or(text);
    let (anchor, rest) = if let Some(r) = text.strip_prefix('/') {
        (Some("/"), r)
    } else if drive_prefix(text) {
        (Some(&text[..2]), &text[2..])
    } else if let Some(r) = ["~", "$HOME", "${HOME}", "%USERPROFILE%"]
        .iter()
        .find_map(|p| {
            text.strip_prefix(p)
                .filter(|r| r.is_empty() || r.starts_with('/'))
        })
    {
        (Some("~"), r)
    } else {
        (None, text)
    };

    let mut segments: Vec<&str> = match (anchor, home) {
        (Some("~"), Some(h)) => h.iter().map(String::as_str).collect(),
        (Some(a), _) => vec![a],
        (None, _) => Vec::new(),
    };
    let floor = usize::from(anchor.is_some()).min(segments.len());
    let mut had_parent = false;
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                had_parent = true;
                if segments.len() > floor {
                    segments.pop();
                } else if anchor.is_none() {
                    return Err(deny("path escapes its base directory"));
                }
            }
            s if s.contains("..") && s.chars().all(|c| c == '.' || c == ' ') => {
                // "...", "....", ".. ": traversal after a naive filter or Windows trimming.
                return Err(deny("dot-segment obfuscation"));
            }
            s => segments.push(s),
        }
    }
    Ok(Normalized {
        absolute: anchor.is_some(),
        segments,
        had_parent,
    })
}

/// Case-insensitive, and Windows ignores trailing dots and spaces ("etc.").
/// `root` is already in canonical form (see [`canonical`]).
fn same_segment(seg: &str, root: &str) -> bool {
    let seg = seg.trim_end_matches(['.', ' ']);
    seg.eq_ignore_ascii_case(root) || (!seg.is_ascii() && seg.to_lowercase() == root)
}

fn canonical(seg: &str) -> String {
    seg.trim_end_matches(['.', ' ']).to_lowercase()
}

/// The restricted directories of a policy, normalised once.
#[derive(Debug, Default)]
pub(crate) struct RestrictedPaths {
    roots: Vec<Vec<String>>,
    home: Option<Vec<String>>,
}

impl RestrictedPaths {
    pub(crate) fn new<S: AsRef<str>>(paths: &[S], home: Option<&str>) -> Result<Self> {
        let absolute = |p: &str, home: Option<&[String]>| {
            let text = prepare(p).ok()?;
            let n = normalize(&text, home, p).ok().filter(|n| n.absolute)?;
            Some(n.segments.iter().map(|s| canonical(s)).collect::<Vec<_>>())
        };
        let home = home.and_then(|h| absolute(h, None));
        let mut roots = Vec::with_capacity(paths.len());
        for p in paths {
            let p = p.as_ref();
            let root = absolute(p, home.as_deref()).ok_or_else(|| {
                Error::invalid_config(format!(
                    "restricted path {p:?} must be absolute (/..., ~/..., or C:\\...)"
                ))
            })?;
            roots.push(root);
        }
        Ok(Self { roots, home })
    }

    /// Refuses traversal out of the base directory and paths inside a
    /// restricted directory.
    pub(crate) fn check(&self, path: &str) -> std::result::Result<(), Violation> {
        let text = prepare(path)?;
        let n = normalize(&text, self.home.as_deref(), path)?;
        if !n.absolute {
            return Ok(());
        }
        let inside = |root: &&Vec<String>| {
            n.segments.len() >= root.len()
                && n.segments
                    .iter()
                    .zip(root.iter())
                    .all(|(s, r)| same_segment(s, r))
        };
        let Some(root) = self.roots.iter().find(inside) else {
            return Ok(());
        };
        let (rule, how) = if n.had_parent {
            (PATH_TRAVERSAL, "traverses into")
        } else {
            (RESTRICTED_PATH, "is inside")
        };
        Err(Violation::new(
            rule,
            format!(
                "path {} {how} restricted directory {}",
                preview(path),
                display(root)
            ),
        ))
    }
}

fn display(segments: &[String]) -> String {
    match segments.split_first() {
        Some((a, rest)) if a == "/" => format!("/{}", rest.join("/")),
        Some((a, rest)) => format!("{a}/{}", rest.join("/")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restricted() -> RestrictedPaths {
        RestrictedPaths::new(
            &["/etc", "/root", "~/.ssh", "C:\\Windows"],
            Some("/home/dev"),
        )
        .unwrap()
    }

    fn rule(path: &str) -> Option<&'static str> {
        restricted().check(path).err().map(|v| v.rule)
    }

    #[test]
    fn benign_paths_pass() {
        for p in [
            "src/main.rs",
            "./notes/today.md",
            "/home/dev/project/src/../README.md",
            "/tmp/out.txt",
            "/etcetera/file",
            "a/b/../c",
            "C:\\Users\\dev\\file.txt",
        ] {
            assert_eq!(rule(p), None, "{p}");
        }
    }

    #[test]
    fn restricted_directories_are_denied() {
        for p in [
            "/etc/passwd",
            "/ETC/shadow",
            "/root",
            "~/.ssh/id_rsa",
            "/home/dev/.ssh/config",
            "$HOME/.ssh/id_ed25519",
            "C:\\Windows\\System32",
            "c:/windows./system.ini",
            "//etc/hosts",
            "\\\\?\\C:\\Windows\\win.ini",
        ] {
            assert!(rule(p).is_some(), "{p}");
        }
        assert_eq!(rule("/etc/passwd"), Some(RESTRICTED_PATH));
    }

    #[test]
    fn traversal_bypasses_are_denied() {
        for p in [
            "../../etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "..%252f..%252fetc/passwd",
            "%2e%2e/secret",
            "/etc/../etc/passwd",
            "/tmp/../etc/shadow",
            "....//....//etc/passwd",
            "..\\..\\windows\\win.ini",
            "..\\/..//etc",
            "%c0%ae%c0%ae/etc/passwd",
            "\u{FF0E}\u{FF0E}/\u{FF0E}\u{FF0E}/etc/passwd",
            ".. /secret",
            "/tmp/x\0.png",
            "..",
        ] {
            assert_eq!(rule(p), Some(PATH_TRAVERSAL), "{p:?}");
        }
    }

    #[test]
    fn path_likeness() {
        for p in [
            "/x", "~/x", "./x", "../x", "a/b", "a\\b", "C:\\x", "..%2fx", "$HOME/x",
        ] {
            assert!(looks_like_path(p), "{p}");
        }
        for p in ["hello world", "and / or", "plain", "line1\n/etc/passwd"] {
            assert!(!looks_like_path(p), "{p}");
        }
    }

    #[test]
    fn decoding_handles_double_encoding_and_leaves_plain_text() {
        assert_eq!(percent_decode("a%252fb").text, "a/b");
        assert!(matches!(percent_decode("100% sure").text, Cow::Borrowed(_)));
        assert!(percent_decode("%c0%ae").lossy);
    }

    #[test]
    fn relative_restricted_path_is_a_config_error() {
        assert!(RestrictedPaths::new(&["etc"], None).is_err());
    }
}
