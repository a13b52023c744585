//! Destructive SQL in the arguments of SQL tools: DROP, TRUNCATE,
//! DELETE/UPDATE without a (non-trivial) WHERE, GRANT/REVOKE, in any
//! statement of a stacked query. A small lexer rather than a parser: where
//! dialects disagree (backslash escapes, `--x`, `#`, nested comments,
//! MySQL's executable `/*! */` comments) it reads the text as code, and it
//! lexes strings both with and without backslash escapes, so hiding a
//! statement needs a form that *no* reading exposes.

use super::Violation;

const DESTRUCTIVE_SQL: &str = "destructive_sql";

/// Tokens borrow from the SQL text; words keep their case (compare with
/// `eq_ignore_ascii_case`). Quoted identifiers never match a keyword.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Word(&'a str),
    Ident,
    Lit(&'a str),
    Sym(u8),
}

/// A token and its parenthesis depth.
type Statement<'a> = Vec<(Tok<'a>, u32)>;

pub(crate) fn check(sql: &str) -> Result<(), Violation> {
    // The backslash reading only differs when there is a backslash.
    let readings: &[bool] = if sql.contains('\\') {
        &[false, true]
    } else {
        &[false]
    };
    for &backslash_escapes in readings {
        for stmt in lex(sql, backslash_escapes) {
            if let Some(what) = destructive(&stmt) {
                return Err(Violation::new(
                    DESTRUCTIVE_SQL,
                    format!("destructive SQL: {what}"),
                ));
            }
        }
    }
    Ok(())
}

/// Bytes rather than chars: SQL syntax is ASCII, and non-ASCII bytes only
/// ever continue a word, so slices stay on character boundaries.
fn lex<'a>(sql: &'a str, backslash_escapes: bool) -> Vec<Statement<'a>> {
    let b = sql.as_bytes();
    let mut stmts = vec![Statement::new()];
    let mut depth = 0u32;
    let mut i = 0;
    let push = |stmts: &mut Vec<Statement<'a>>, t: Tok<'a>, d: u32| {
        if let Some(s) = stmts.last_mut() {
            s.push((t, d));
        }
    };
    let is_word =
        |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.' || c >= 0x80;
    while i < b.len() {
        let ch = b[i];
        let next = b.get(i + 1).copied();
        match ch {
            _ if ch.is_ascii_whitespace() => i += 1,
            // "-- " is a comment everywhere; "--x" is not in MySQL, so scan it.
            b'-' if next == Some(b'-') && b.get(i + 2).is_none_or(u8::is_ascii_whitespace) => {
                i = find(b, i, b"\n").unwrap_or(b.len());
            }
            // "/*! ... */" runs in MySQL: drop only the markers. Ending at the
            // first "*/" also exposes what Postgres would nest.
            b'/' if next == Some(b'*') => {
                i = if b.get(i + 2) == Some(&b'!') {
                    i + 3
                } else {
                    find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2)
                };
            }
            b'*' if next == Some(b'/') => i += 2,
            b'\'' => {
                let end = quoted_end(b, i, b'\'', backslash_escapes);
                push(&mut stmts, Tok::Lit(&sql[i..end]), depth);
                i = end;
            }
            b'"' | b'`' => {
                i = quoted_end(b, i, ch, false);
                push(&mut stmts, Tok::Ident, depth);
            }
            b';' => {
                stmts.push(Statement::new());
                depth = 0;
                i += 1;
            }
            _ if is_word(ch) && ch != b'$' && ch != b'.' => {
                let end = (i..b.len()).find(|&j| !is_word(b[j])).unwrap_or(b.len());
                let text = &sql[i..end];
                let tok = if ch.is_ascii_digit() {
                    Tok::Lit(text)
                } else {
                    Tok::Word(text)
                };
                push(&mut stmts, tok, depth);
                i = end;
            }
            _ => {
                if ch == b')' {
                    depth = depth.saturating_sub(1);
                }
                push(&mut stmts, Tok::Sym(ch), depth);
                if ch == b'(' {
                    depth += 1;
                }
                i += 1;
            }
        }
    }
    stmts.retain(|s| !s.is_empty());
    stmts
}

fn find(b: &[u8], from: usize, seq: &[u8]) -> Option<usize> {
    (from..b.len()).find(|&j| b[j..].starts_with(seq))
}

/// The index just after the quoted token starting at `start`.
fn quoted_end(b: &[u8], start: usize, q: u8, backslash_escapes: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if backslash_escapes => i += 2,
            c if c == q && b.get(i + 1) == Some(&q) => i += 2,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

const KEYWORDS: &[&str] = &[
    "DROP", "TRUNCATE", "DELETE", "UPDATE", "GRANT", "REVOKE", "ON", "FOR", "KEY", "DO", "SET",
];

/// The keyword a token is (upper case), if it is one this module cares about.
fn keyword(t: Option<&(Tok<'_>, u32)>) -> Option<&'static str> {
    match t {
        Some((Tok::Word(w), _)) => KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(w)).copied(),
        _ => None,
    }
}

fn is_word(t: &Tok<'_>, kw: &str) -> bool {
    matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

fn destructive(stmt: &Statement<'_>) -> Option<String> {
    if let Some(w @ ("GRANT" | "REVOKE")) = keyword(stmt.first()) {
        return Some(format!("{w} (privilege change)"));
    }
    for (i, (tok, depth)) in stmt.iter().enumerate() {
        let Some(w) = keyword(Some(&(*tok, *depth))) else {
            continue;
        };
        let prev = i.checked_sub(1).and_then(|p| keyword(stmt.get(p)));
        let next = match stmt.get(i + 1) {
            Some((Tok::Word(n), _)) => Some(n.to_ascii_uppercase()),
            _ => None,
        };
        let found = match w {
            "DROP" => next.map(|n| format!("DROP {n}")),
            // TRUNCATE(x, d) is a MySQL function; the statement names a table.
            "TRUNCATE" => next.map(|_| "TRUNCATE".to_string()),
            // ON DELETE CASCADE is a foreign-key clause, not a statement.
            "DELETE" if prev != Some("ON") => {
                unbounded(stmt, i, *depth).then(|| "DELETE without WHERE".to_string())
            }
            // FOR UPDATE, ON DUPLICATE KEY UPDATE, DO UPDATE touch chosen rows only.
            "UPDATE"
                if !matches!(prev, Some("FOR" | "KEY" | "DO" | "ON"))
                    && has_word(stmt, i, *depth, "SET") =>
            {
                unbounded(stmt, i, *depth).then(|| "UPDATE without WHERE".to_string())
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Tokens after `from` that are still inside the clause at `depth`.
fn clause<'s, 'a>(
    stmt: &'s Statement<'a>,
    from: usize,
    depth: u32,
) -> impl Iterator<Item = (usize, &'s Tok<'a>)> {
    stmt.iter()
        .enumerate()
        .skip(from + 1)
        .take_while(move |(_, (_, d))| *d >= depth)
        .filter(move |(_, (_, d))| *d == depth)
        .map(|(i, (t, _))| (i, t))
}

fn has_word(stmt: &Statement<'_>, from: usize, depth: u32, w: &str) -> bool {
    clause(stmt, from, depth).any(|(_, t)| is_word(t, w))
}

/// True when the statement at `from` has no WHERE, or one that every row
/// satisfies (`WHERE 1=1`, `WHERE TRUE`, `... OR 'a'='a'`).
fn unbounded(stmt: &Statement<'_>, from: usize, depth: u32) -> bool {
    let Some((where_at, _)) = clause(stmt, from, depth).find(|(_, t)| is_word(t, "WHERE")) else {
        return true;
    };
    let ends_condition = |k: usize| match stmt.get(k) {
        None => true,
        Some((t, d)) => {
            *d < depth
                || ["OR", "ORDER", "LIMIT", "RETURNING", "GROUP"]
                    .iter()
                    .any(|kw| is_word(t, kw))
        }
    };
    let tautology_then_end =
        |k: usize| tautology_len(stmt, k).is_some_and(|n| ends_condition(k + n));
    tautology_then_end(where_at + 1)
        || clause(stmt, where_at, depth).any(|(k, t)| is_word(t, "OR") && tautology_then_end(k + 1))
}

fn tautology_len(stmt: &Statement<'_>, k: usize) -> Option<usize> {
    let tok = |j: usize| stmt.get(j).map(|(t, _)| t);
    match (tok(k), tok(k + 1), tok(k + 2)) {
        (Some(Tok::Lit(a)), Some(Tok::Sym(b'=')), Some(Tok::Lit(b))) if a == b => Some(3),
        (Some(t), ..) if is_word(t, "TRUE") => Some(1),
        (Some(Tok::Lit(n)), next, _) if *n != "0" && !matches!(next, Some(Tok::Sym(_))) => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destructive_statements_are_denied() {
        for sql in [
            "DROP TABLE users",
            "drop table if exists users",
            "DeLeTe  from t",
            "DELETE FROM t;",
            "/**/DROP/**/TABLE/**/users",
            "DR/**/OP TABLE x; DROP/*x*/TABLE y",
            "SELECT 1; DROP TABLE x",
            "SELECT 1;DROP TABLE x --",
            "UPDATE t SET a=1",
            "update t set a = 1 -- WHERE id = 1",
            "TRUNCATE TABLE logs",
            "truncate logs",
            "ALTER TABLE t DROP COLUMN c",
            "GRANT ALL ON db.* TO 'x'@'%'",
            "REVOKE SELECT ON t FROM bob",
            "DELETE FROM t WHERE 1=1",
            "DELETE FROM t WHERE id = 5 OR 'a'='a'",
            "UPDATE t SET a=1 WHERE TRUE",
            "/*!50000 DROP TABLE t */",
            "SELECT 'a\\'; DROP TABLE t; -- '",
            "SELECT 'x\\''; DROP TABLE t; --'",
            "SELECT 1 /* /* nested */ DROP TABLE t */",
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
            "DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id",
        ] {
            assert!(check(sql).is_err(), "{sql}");
        }
        // "DR/**/OP" is two words and harmless on its own; the test above relies on the DROP after it.
        assert!(check("DR/**/OP TABLE x").is_ok());
    }

    #[test]
    fn benign_statements_pass() {
        for sql in [
            "SELECT * FROM users WHERE id = 1",
            "DELETE FROM t WHERE id = 1",
            "delete from t where id in (select id from old)",
            "UPDATE t SET a = 1 WHERE id = 7",
            "UPDATE t SET a=1 WHERE 1=1 AND id=2",
            "INSERT INTO t VALUES (1, 'drop table x')",
            "SELECT * FROM t FOR UPDATE",
            "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2",
            "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2",
            "CREATE TABLE c (p INT REFERENCES p(id) ON DELETE CASCADE)",
            "SELECT TRUNCATE(1.234, 1)",
            "SELECT \"drop\" FROM t -- drop table",
            "",
        ] {
            assert!(
                check(sql).is_ok(),
                "{sql}: {:?}",
                check(sql).err().map(|v| v.reason)
            );
        }
    }
}
