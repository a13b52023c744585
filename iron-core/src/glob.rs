//! Globs on tool names, hosts and model names: `*` (any run) and `?` (one
//! character), matched ASCII-case-insensitively so `Delete_File` cannot slip
//! past a deny rule written as `delete_*`.

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glob {
    pattern: Box<str>,
    kind: Kind,
}

/// The common shapes get a direct comparison; tool checks run many globs
/// per call, so the general backtracking match is the exception.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Any,
    Exact(Box<[u8]>),
    Prefix(Box<[u8]>),
    Suffix(Box<[u8]>),
    Contains(Box<[u8]>),
    Wild,
}

impl Glob {
    pub(crate) fn new(pattern: &str) -> Result<Self> {
        let trimmed = pattern.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid_config("empty glob pattern"));
        }
        // Character classes and alternations look like globs but would be
        // matched literally here; refuse them rather than silently never match.
        if let Some(c) = trimmed.chars().find(|c| "[]{}".contains(*c)) {
            return Err(Error::invalid_config(format!(
                "unsupported character {c:?} in glob {pattern:?} (only * and ? are supported)"
            )));
        }
        let pattern: Box<str> = trimmed.to_ascii_lowercase().into();
        let lit = |s: &str| -> Box<[u8]> { s.as_bytes().into() };
        let inner = pattern.trim_matches('*');
        let kind = if pattern.contains('?') || inner.contains('*') {
            Kind::Wild
        } else if inner.is_empty() {
            Kind::Any
        } else {
            match (pattern.starts_with('*'), pattern.ends_with('*')) {
                (false, false) => Kind::Exact(lit(inner)),
                (false, true) => Kind::Prefix(lit(inner)),
                (true, false) => Kind::Suffix(lit(inner)),
                (true, true) => Kind::Contains(lit(inner)),
            }
        };
        Ok(Self { pattern, kind })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.pattern
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        let t = text.as_bytes();
        match &self.kind {
            Kind::Any => true,
            Kind::Exact(l) => t.eq_ignore_ascii_case(l),
            Kind::Prefix(l) => t.len() >= l.len() && t[..l.len()].eq_ignore_ascii_case(l),
            Kind::Suffix(l) => t.len() >= l.len() && t[t.len() - l.len()..].eq_ignore_ascii_case(l),
            Kind::Contains(l) => contains_ci(t, l),
            Kind::Wild => self.wild_match(t),
        }
    }

    /// Iterative wildcard match with single-star backtracking: linear in
    /// practice, never recursive.
    fn wild_match(&self, t: &[u8]) -> bool {
        let p = self.pattern.as_bytes();
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti].to_ascii_lowercase()) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == b'*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&c| c == b'*')
    }

    /// Higher is more specific: literal characters count, wildcards do not.
    pub(crate) fn specificity(&self) -> usize {
        self.pattern
            .bytes()
            .filter(|&c| c != b'*' && c != b'?')
            .count()
    }
}

/// Case-insensitive substring search; `needle` is lower case and non-empty.
/// Filtering on the first byte keeps it cheap for the short names involved.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    (0..=last_start).any(|i| {
        hay[i].to_ascii_lowercase() == needle[0]
            && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(&needle[1..])
    })
}

/// A list of globs; matches when any member does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GlobSet(Vec<Glob>);

impl GlobSet {
    pub(crate) fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Self> {
        patterns
            .iter()
            .map(|p| Glob::new(p.as_ref()))
            .collect::<Result<Vec<_>>>()
            .map(Self)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        self.0.iter().any(|g| g.matches(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Glob::new(p).unwrap().matches(t)
    }

    #[test]
    fn wildcards() {
        assert!(m("*", "anything"));
        assert!(m("*sql*", "run_SQL_query"));
        assert!(m("delete_*", "Delete_File"));
        assert!(m("f?le", "file"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(!m("read_*", "write_file"));
        assert!(!m("exact", "exactly"));
        assert!(m("*.example.com", "api.example.com"));
        assert!(!m("*.example.com", "example.com.evil.net"));
        assert!(m("**", ""));
        assert!(m("*ab*", "xAB"));
        assert!(!m("*abc*", "ab"));
        assert!(m("db_*_write", "DB_users_write"));
        assert!(!m("db_*_write", "db_users_read"));
        assert!(m("a?c*", "abcde"));
    }

    #[test]
    fn bad_globs_are_config_errors() {
        assert!(Glob::new("  ").is_err());
        assert!(Glob::new("tool[0-9]").is_err());
        assert!(Glob::new("{a,b}").is_err());
    }

    #[test]
    fn specificity_counts_literals() {
        assert!(
            Glob::new("db_write").unwrap().specificity() > Glob::new("db_*").unwrap().specificity()
        );
    }
}
