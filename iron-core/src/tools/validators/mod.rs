//! Argument validators. The arguments are walked recursively; each string is
//! routed by its key and its shape: URLs to [`urls`], path-like strings to
//! [`paths`], every string of a SQL tool to [`sql`], every string of a shell
//! tool to [`shell`] (and its words to the path and URL checks too).

mod host;
pub(crate) mod paths;
pub(crate) mod shell;
pub(crate) mod size;
pub(crate) mod sql;
pub(crate) mod urls;

use serde_json::Value;

use super::policy::CompiledPolicy;
pub(crate) use urls::PendingHost;

/// Why a validator refused: the stable rule name and a human reason.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    pub rule: &'static str,
    pub reason: String,
}

impl Violation {
    pub(crate) fn new(rule: &'static str, reason: impl Into<String>) -> Self {
        Self {
            rule,
            reason: reason.into(),
        }
    }
}

/// An argument quoted for a reason: debug-escaped and cut at 80 characters,
/// since arguments may hold secrets and reasons end up in logs.
pub(crate) fn preview(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{:?}...", &s[..i]),
        None => format!("{s:?}"),
    }
}

/// Which content checks apply to one tool's arguments.
pub(crate) struct ArgChecks<'a> {
    pub policy: &'a CompiledPolicy,
    pub sql: bool,
    pub shell: bool,
}

impl ArgChecks<'_> {
    /// Validates every string in `args`; host names that need DNS are pushed
    /// onto `pending`. The caller has bounded the depth (see [`size`]).
    pub(crate) fn check(
        &self,
        args: &Value,
        pending: &mut Vec<PendingHost>,
    ) -> Result<(), Violation> {
        self.walk(args, None, pending)
    }

    fn walk(
        &self,
        v: &Value,
        key: Option<&str>,
        pending: &mut Vec<PendingHost>,
    ) -> Result<(), Violation> {
        match v {
            Value::String(s) => self.string(key, s, pending),
            // Items of a list inherit the list's key: {"paths": ["/etc"]}.
            Value::Array(items) => items.iter().try_for_each(|i| self.walk(i, key, pending)),
            Value::Object(map) => map
                .iter()
                .try_for_each(|(k, i)| self.walk(i, Some(k), pending)),
            Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
        }
    }

    fn string(
        &self,
        key: Option<&str>,
        s: &str,
        pending: &mut Vec<PendingHost>,
    ) -> Result<(), Violation> {
        let kind = key.map(KeyKind::of).unwrap_or(KeyKind::Other);
        self.location(kind, s, pending)?;
        if self.sql {
            sql::check(s)?;
        }
        if self.shell {
            shell::check(s)?;
            // A command line names its files and hosts as words.
            for word in s.split(|c: char| c.is_whitespace() || "'\"=".contains(c)) {
                if !word.is_empty() {
                    self.location(KeyKind::Other, word, pending)?;
                }
            }
        }
        Ok(())
    }

    /// The URL or path check, whichever `s` is.
    fn location(
        &self,
        kind: KeyKind,
        s: &str,
        pending: &mut Vec<PendingHost>,
    ) -> Result<(), Violation> {
        let p = self.policy;
        let check_url = |u: &str, scheme, pending: &mut Vec<PendingHost>| {
            urls::check(u, scheme, p.url_allowlist.as_ref(), &p.restricted, pending)
        };
        if let Some(scheme) = urls::checked_scheme(s) {
            return check_url(s, scheme, pending);
        }
        match kind {
            // A scheme-less value under a URL key is still fetched by someone.
            KeyKind::Url
                if !urls::has_foreign_scheme(s) && !s.trim().is_empty() && !s.starts_with('/') =>
            {
                check_url(&format!("http://{}", s.trim_start()), "http", pending)
            }
            KeyKind::Path | KeyKind::Url => p.restricted.check(s),
            KeyKind::Other if paths::looks_like_path(s) => p.restricted.check(s),
            KeyKind::Other => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyKind {
    Path,
    Url,
    Other,
}

impl KeyKind {
    fn of(key: &str) -> Self {
        const PATH_KEYS: &[&str] = &[
            "path",
            "file",
            "filename",
            "dir",
            "directory",
            "folder",
            "src",
            "dst",
            "source",
            "destination",
            "target",
            "cwd",
        ];
        const URL_KEYS: &[&str] = &["url", "uri", "endpoint", "href", "link"];
        if URL_KEYS.iter().any(|w| names(key, w)) {
            KeyKind::Url
        } else if PATH_KEYS.iter().any(|w| names(key, w)) || ends_with_ci(key, "path") {
            KeyKind::Path
        } else {
            KeyKind::Other
        }
    }
}

/// `key` is `word` or ends with `_word` / `-word`, ignoring ASCII case.
fn names(key: &str, word: &str) -> bool {
    ends_with_ci(key, word)
        && (key.len() == word.len()
            || matches!(key.as_bytes()[key.len() - word.len() - 1], b'_' | b'-'))
}

fn ends_with_ci(key: &str, suffix: &str) -> bool {
    key.len() >= suffix.len()
        && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_classified() {
        assert_eq!(KeyKind::of("file_path"), KeyKind::Path);
        assert_eq!(KeyKind::of("Target"), KeyKind::Path);
        assert_eq!(KeyKind::of("base_url"), KeyKind::Url);
        assert_eq!(KeyKind::of("endpoint"), KeyKind::Url);
        assert_eq!(KeyKind::of("outputPath"), KeyKind::Path);
        assert_eq!(KeyKind::of("content"), KeyKind::Other);
        assert_eq!(KeyKind::of("profile"), KeyKind::Other);
    }
}
