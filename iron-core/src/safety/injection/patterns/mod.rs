//! Rule tables, one module per language plus the language-neutral ones.
//!
//! Patterns run on [`normalize`](super::normalize)d text: lowercase, accents
//! stripped, whitespace collapsed. Shared vocabularies are written once as
//! `{NAME}` placeholders and expanded when the detector is built.

use super::InjectionCategory;

mod context;
mod de;
mod delimiters;
mod en;
mod es;
mod fr;
mod more;
mod ru;
mod zh;

/// What a rule contributes to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Evidence of an attack of this category.
    Attack(InjectionCategory),
    /// Raises the score only when some attack rule also fired
    /// (imperatives aimed at the model, hidden-text styling, ...).
    Support,
    /// Discussion, quotation or fiction: lowers the score.
    Context,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub name: &'static str,
    pub kind: Kind,
    pub weight: f32,
    pub pattern: &'static str,
}

pub(crate) const fn attack(
    name: &'static str,
    category: InjectionCategory,
    weight: f32,
    pattern: &'static str,
) -> Rule {
    Rule {
        name,
        kind: Kind::Attack(category),
        weight,
        pattern,
    }
}

pub(crate) const fn support(name: &'static str, weight: f32, pattern: &'static str) -> Rule {
    Rule {
        name,
        kind: Kind::Support,
        weight,
        pattern,
    }
}

pub(crate) const fn context(name: &'static str, pattern: &'static str) -> Rule {
    Rule {
        name,
        kind: Kind::Context,
        weight: 0.0,
        pattern,
    }
}

/// A bounded gap of up to four words inside one sentence: paraphrase
/// tolerance ("ignore all of the previous instructions") without letting a
/// verb pair with an object paragraphs away. The word "my" may not appear in
/// it: "ignore my previous instructions" is a user correcting themselves.
const GAP: &str = r"(?:\s+{W}){0,4}?\s+";
/// Same, up to two words.
const GAP2: &str = r"(?:\s+{W}){0,2}?\s+";
/// Same, up to six words ("what are the first 50 words of your prompt").
const GAP6: &str = r"(?:\s+{W}){0,6}?\s+";
/// One word of a gap: no sentence punctuation, and not exactly "my".
const WORD: &str = r"(?:[^\s.!?;:m][^\s.!?;:]*|m(?:[^\s.!?;:y][^\s.!?;:]*)?|my[^\s.!?;:]+)";

const PLACEHOLDERS: &[(&str, &str)] = &[
    ("{G}", GAP),
    ("{G2}", GAP2),
    ("{G6}", GAP6),
    ("{W}", WORD),
    ("{OV}", "(?:{OVS}|{OVW})"),
    // Verbs that almost only mean "stop obeying" when their object is rules.
    (
        "{OVS}",
        r"(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overrule|overwrite|bypass|set aside|put aside|throw out|pay no (?:attention|heed) to|do not (?:follow|obey|adhere to)|don'?t (?:follow|obey|adhere to)|stop (?:following|obeying)|no longer (?:follow|obey)|never mind|nevermind)",
    ),
    // Verbs that manuals use for steps and settings too.
    (
        "{OVW}",
        r"(?:skip|abandon|discard|drop|ditch|neglect|nullify|void|cancel|erase|delete|clear|reset|scrap|forgo)",
    ),
    (
        "{PRIOR}",
        r"(?:previous|previously|prev|prior|preceding|above|earlier|former|foregoing|original|initial|old|all|any|every|your|existing|system|developer|safety|given|those|these)",
    ),
    (
        "{OBJ}",
        r"(?:instructions?|instrs?|ru[il]es|content ru[il]es|guide[il]ines?|guidance|directives?|programming|guardrails|safeguards|restrictions|constraints|policies|system prompt|system message|training|conditioning|orders)",
    ),
    (
        "{WOBJ}",
        r"(?:prompts?|directions|context|conversation|messages?|requests?|tasks?|everything|text)",
    ),
    (
        "{AI}",
        r"(?:ai|a\.i\.|llm|language model|assistant|chatbot|agent|gpt|chatgpt|claude|gemini|copilot|bot|model)s?",
    ),
];

/// Every rule of every language, patterns with placeholders expanded.
pub(crate) fn all_rules() -> Vec<(Rule, String)> {
    [
        en::RULES,
        fr::RULES,
        de::RULES,
        es::RULES,
        zh::RULES,
        ru::RULES,
        more::RULES,
        delimiters::RULES,
        context::RULES,
    ]
    .into_iter()
    .flatten()
    .map(|rule| (*rule, expand(rule.pattern)))
    .collect()
}

fn expand(pattern: &str) -> String {
    let mut out = pattern.to_owned();
    for (name, value) in PLACEHOLDERS {
        out = out.replace(name, value);
    }
    // ASCII word boundaries keep the regex engine on its fast DFA path for
    // any haystack; non-Latin patterns do not use `\b`.
    out.replace(r"\b", r"(?-u:\b)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_patterns_compile() {
        let rules = all_rules();
        let mut names: Vec<_> = rules.iter().map(|(r, _)| r.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate rule name");
        for (rule, pattern) in &rules {
            for (name, _) in PLACEHOLDERS {
                assert!(!pattern.contains(name), "{}: unexpanded {name}", rule.name);
            }
            regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{}: {e}", rule.name));
        }
    }
}
