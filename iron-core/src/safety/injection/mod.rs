//! Prompt-injection heuristics: weighted multilingual patterns over
//! normalised text, decoded payloads rescanned, discussion context damping.
//!
//! Everything is linear in the input: the `regex` crate never backtracks,
//! normalisation is one pass, and decoding is capped (see [`decode`]).

mod decode;
mod normalize;
mod patterns;
mod prefilter;
mod score;

use std::sync::{Arc, LazyLock, OnceLock};

use regex::{Regex, RegexBuilder};

pub use decode::{
    DecodeReport, DecodedPayload, Encoding, MAX_DECODE_ATTEMPTS, MAX_PAYLOAD_BYTES, decode_payloads,
};
pub use normalize::normalize;

use normalize::normalize_with_stats;
use patterns::{Kind, Rule};
use prefilter::Prefilter;
use score::{DISGUISE_WEIGHT, Tally};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InjectionCategory {
    InstructionOverride,
    SystemPromptExtraction,
    RolePlayJailbreak,
    DelimiterInjection,
    Obfuscation,
    IndirectInjection,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InjectionVerdict {
    /// 0..=1.
    pub score: f32,
    pub category: Option<InjectionCategory>,
    /// `score >= threshold`.
    pub flagged: bool,
    /// Names of the rules that fired, for events.
    pub signals: Vec<&'static str>,
}

/// Default threshold: one strong cue (weight >= 0.55) flags on its own; a
/// weak cue alone, or a strong one inside a discussion, does not.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Decoded payloads from whole-text transforms (rot13, reversal) match
/// random cues more easily; they count only with this much evidence.
const TRANSFORM_MIN_SCORE: f32 = 0.6;
/// Instructions addressed to the model inside data weigh this much more.
const UNTRUSTED_BOOST: f32 = 1.25;

/// A rule and its regex, compiled on the first text that the prefilter says
/// it may match: most rules never see a candidate in a given process, and
/// compiling all of them up front cost ~150 ms and ~20 MB.
struct LazyRule {
    rule: Rule,
    pattern: String,
    regex: OnceLock<Regex>,
}

impl LazyRule {
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            RegexBuilder::new(&self.pattern)
                .size_limit(32 << 20)
                .dfa_size_limit(8 << 20)
                .build()
                .unwrap_or_else(|e| panic!("injection rule {}: {e}", self.rule.name))
        })
    }
}

#[derive(Clone)]
pub struct InjectionDetector {
    rules: Arc<[LazyRule]>,
    prefilter: Arc<Prefilter>,
    threshold: f32,
}

impl std::fmt::Debug for InjectionDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InjectionDetector")
            .field("rules", &self.rules.len())
            .field("threshold", &self.threshold)
            .finish()
    }
}

impl Default for InjectionDetector {
    fn default() -> Self {
        Self::new()
    }
}

static SHARED: LazyLock<InjectionDetector> = LazyLock::new(InjectionDetector::new);

impl InjectionDetector {
    /// Builds the prefilter (rules compile on first use); prefer
    /// [`InjectionDetector::shared`] so that compiled rules are shared.
    pub fn new() -> Self {
        let rules: Arc<[LazyRule]> = patterns::all_rules()
            .into_iter()
            .map(|(rule, pattern)| LazyRule {
                rule,
                pattern,
                regex: OnceLock::new(),
            })
            .collect();
        let prefilter = Prefilter::new(rules.iter().map(|r| r.pattern.as_str()));
        Self {
            rules,
            prefilter: Arc::new(prefilter),
            threshold: DEFAULT_THRESHOLD,
        }
    }

    /// The process-wide detector with the default threshold.
    pub fn shared() -> &'static InjectionDetector {
        &SHARED
    }

    pub fn with_threshold(mut self, threshold: f32) -> Self {
        self.threshold = threshold.clamp(0.0, 1.0);
        self
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Text from the user or the application (a prompt).
    pub fn check(&self, text: &str) -> InjectionVerdict {
        self.verdict(text, false)
    }

    /// Text from a tool result / fetched document: indirect injection context
    /// (instructions addressed to the AI inside data weigh more).
    pub fn check_untrusted(&self, text: &str) -> InjectionVerdict {
        self.verdict(text, true)
    }

    fn verdict(&self, text: &str, untrusted: bool) -> InjectionVerdict {
        let (normalized, stats) = normalize_with_stats(text);
        let mut tally = Tally::new();
        self.scan(&normalized, untrusted, &mut tally);
        let disguised = stats.disguised() && tally.has_attack();
        if disguised {
            tally.attack(
                InjectionCategory::Obfuscation,
                DISGUISE_WEIGHT,
                "obfuscation.disguised_text",
                false,
            );
        }
        let decoded = self.scan_decoded(text, &normalized, untrusted, &mut tally);
        let (score, category) = tally.finish();
        let category = match category {
            _ if disguised || decoded => category.map(|_| InjectionCategory::Obfuscation),
            Some(InjectionCategory::DelimiterInjection) => category,
            Some(_) if untrusted => Some(InjectionCategory::IndirectInjection),
            other => other,
        };
        InjectionVerdict {
            score,
            category,
            flagged: score >= self.threshold,
            signals: tally.signals,
        }
    }

    fn scan(&self, normalized: &str, untrusted: bool, tally: &mut Tally) {
        let candidates = self.prefilter.candidates(normalized);
        for (lazy, _) in self.rules.iter().zip(candidates).filter(|(_, c)| *c) {
            let Some(m) = lazy.regex().find(normalized) else {
                continue;
            };
            let rule = &lazy.rule;
            match rule.kind {
                Kind::Attack(category) => {
                    // Role-play framing is common in fiction and reviews; everything
                    // else addressed to the model is more suspect inside data.
                    let weight = if untrusted && category != InjectionCategory::RolePlayJailbreak {
                        (rule.weight * UNTRUSTED_BOOST).min(0.97)
                    } else {
                        rule.weight
                    };
                    tally.attack(
                        category,
                        weight,
                        rule.name,
                        is_quoted(normalized, m.start()),
                    );
                }
                Kind::Support => tally.support(rule.weight, rule.name),
                Kind::Context => tally.context(rule.name),
            }
        }
    }

    /// Rescans decoded payloads; an attack found inside one is an
    /// obfuscation attack. Returns whether any was found.
    fn scan_decoded(
        &self,
        raw: &str,
        normalized: &str,
        untrusted: bool,
        tally: &mut Tally,
    ) -> bool {
        let mut found = false;
        for payload in decode_payloads(raw, normalized).payloads {
            let mut inner = Tally::new();
            // Already normalised for the whole-text transforms.
            match payload.encoding {
                Encoding::Base64 | Encoding::Hex => {
                    self.scan(&normalize(&payload.text), untrusted, &mut inner)
                }
                Encoding::Rot13 | Encoding::Reversed => {
                    self.scan(&payload.text, untrusted, &mut inner)
                }
            }
            let whole_text = matches!(payload.encoding, Encoding::Rot13 | Encoding::Reversed);
            let evidence = inner.attack_score();
            if !inner.has_attack() || (whole_text && evidence < TRANSFORM_MIN_SCORE) {
                continue;
            }
            found = true;
            tally.attack(
                InjectionCategory::Obfuscation,
                evidence,
                payload.encoding.signal(),
                false,
            );
            inner.signals.into_iter().for_each(|s| tally.signal(s));
        }
        found
    }
}

/// Whether position `at` sits inside a quoted or backticked span of its
/// line, or on a "> " quote line. Looks back a bounded distance so that the
/// whole scan stays linear.
fn is_quoted(text: &str, at: usize) -> bool {
    const LOOKBACK: usize = 160;
    let mut start = at.saturating_sub(LOOKBACK);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let before = &text[start..at];
    let line = before.rsplit('\n').next().unwrap_or(before);
    if line.trim_start().starts_with('>') {
        return true;
    }
    let (mut double, mut single) = (false, false);
    let mut prev = ' ';
    for c in line.chars() {
        match c {
            '"' | '`' => double = !double,
            // An apostrophe opens a quote only after a non-letter ("'ignore"),
            // so that "don't" does not count.
            '\'' if !prev.is_alphanumeric() => single = true,
            '\'' if single => single = false,
            _ => {}
        }
        prev = c;
    }
    double || single
}

#[cfg(test)]
mod tests;
