//! Which rules can match a text at all, found in one pass before any rule's
//! regex runs or is even compiled.
//!
//! Every match of a rule begins with one of a finite set of literals that
//! `regex-syntax` derives from the pattern (`ignore`, `disregard`, ... for an
//! override rule). One Aho-Corasick automaton over all of them tells which
//! rules are candidates; the others cannot match and are skipped. Rules
//! whose matches can begin anywhere (an unbounded prefix set) are always
//! candidates. Sound by construction: the literal sets are the regex
//! engine's own prefix analysis, not hand-written keywords.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use rustc_hash::FxHashMap;

/// Literals are cut to this many bytes (two CJK characters).
const LITERAL_BYTES: usize = 6;
/// Prefix sets larger than this are treated as unbounded (always candidates).
const MAX_LITERALS_PER_RULE: usize = 1024;

pub(super) struct Prefilter {
    automaton: AhoCorasick,
    /// Literal id → the rules it starts.
    rules_of_literal: Vec<Vec<u16>>,
    /// Rules with no finite prefix set.
    always: Vec<u16>,
    rule_count: usize,
}

impl Prefilter {
    pub(super) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut rules_of_literal: Vec<Vec<u16>> = Vec::new();
        let mut always = Vec::new();
        let mut rule_count = 0;
        for (rule, pattern) in patterns.into_iter().enumerate() {
            rule_count += 1;
            let rule = u16::try_from(rule).expect("fewer than 65536 injection rules");
            let Some(required) = required_literals(pattern) else {
                always.push(rule);
                continue;
            };
            for literal in required {
                let id = *index.entry(literal.clone()).or_insert_with(|| {
                    literals.push(literal);
                    rules_of_literal.push(Vec::new());
                    literals.len() - 1
                });
                if rules_of_literal[id].last() != Some(&rule) {
                    rules_of_literal[id].push(rule);
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .expect("the injection prefilter automaton builds");
        Self {
            automaton,
            rules_of_literal,
            always,
            rule_count,
        }
    }

    /// One flag per rule: may it match `text`?
    pub(super) fn candidates(&self, text: &str) -> Vec<bool> {
        let mut candidate = vec![false; self.rule_count];
        for &rule in &self.always {
            candidate[rule as usize] = true;
        }
        for found in self.automaton.find_overlapping_iter(text) {
            for &rule in &self.rules_of_literal[found.pattern().as_usize()] {
                candidate[rule as usize] = true;
            }
        }
        candidate
    }

    #[cfg(test)]
    pub(super) fn always_count(&self) -> usize {
        self.always.len()
    }
}

/// Literals one of which every match of `pattern` begins with (or ends
/// with: whichever set is more selective, i.e. has the longer shortest
/// literal), or `None` when a match may begin and end with anything.
fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let prefixes = literal_set(&hir, ExtractKind::Prefix);
    let suffixes = literal_set(&hir, ExtractKind::Suffix);
    let shortest = |set: &Option<Vec<Vec<u8>>>| {
        set.as_ref()
            .map_or(0, |l| l.iter().map(Vec::len).min().unwrap_or(0))
    };
    if shortest(&suffixes) > shortest(&prefixes) {
        suffixes
    } else {
        prefixes
    }
}

fn literal_set(hir: &regex_syntax::hir::Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let mut extractor = Extractor::new();
    extractor
        .kind(kind)
        .limit_total(MAX_LITERALS_PER_RULE)
        .limit_class(64);
    let mut seq = extractor.extract(hir);
    // A prefix of a prefix is still a prefix (likewise suffixes): short
    // literals collapse the cross products of alternations.
    if prefix {
        seq.keep_first_bytes(LITERAL_BYTES);
    } else {
        seq.keep_last_bytes(LITERAL_BYTES);
    }
    seq.dedup();
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}
