//! Typed findings, the [`Detector`] trait and the rule-based implementation.
//!
//! [`RuleDetector`] scans in two linear passes that touch every byte once:
//! an Aho-Corasick pass over exact literal anchors (`sk-`, `AKIA`, `://`,
//! `-----BEGIN`, key-like words, ...; SIMD-prefiltered) and a byte-class
//! pass, eight bytes at a time, that finds digit runs, `:` groups and `@`. Each candidate runs only its own small ASCII regex or
//! hand-written parser over a bounded window, then a validator (checksum,
//! ranges, entropy, context words). Work is therefore O(text length x
//! longest entity), never quadratic.

use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{pii, secrets};

/// What a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntityType {
    Email,
    Phone,
    CreditCard,
    UsSsn,
    Iban,
    IpAddress,
    AwsAccessKey,
    AwsSecretKey,
    GithubToken,
    OpenaiKey,
    AnthropicKey,
    StripeKey,
    SlackToken,
    GoogleApiKey,
    PrivateKey,
    Jwt,
    UrlPassword,
    GenericSecret,
}

impl EntityType {
    pub const ALL: [EntityType; 18] = [
        EntityType::Email,
        EntityType::Phone,
        EntityType::CreditCard,
        EntityType::UsSsn,
        EntityType::Iban,
        EntityType::IpAddress,
        EntityType::AwsAccessKey,
        EntityType::AwsSecretKey,
        EntityType::GithubToken,
        EntityType::OpenaiKey,
        EntityType::AnthropicKey,
        EntityType::StripeKey,
        EntityType::SlackToken,
        EntityType::GoogleApiKey,
        EntityType::PrivateKey,
        EntityType::Jwt,
        EntityType::UrlPassword,
        EntityType::GenericSecret,
    ];

    /// Stable SCREAMING_SNAKE_CASE name, as used in placeholders and policy.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Email => "EMAIL",
            EntityType::Phone => "PHONE",
            EntityType::CreditCard => "CREDIT_CARD",
            EntityType::UsSsn => "US_SSN",
            EntityType::Iban => "IBAN",
            EntityType::IpAddress => "IP_ADDRESS",
            EntityType::AwsAccessKey => "AWS_ACCESS_KEY",
            EntityType::AwsSecretKey => "AWS_SECRET_KEY",
            EntityType::GithubToken => "GITHUB_TOKEN",
            EntityType::OpenaiKey => "OPENAI_KEY",
            EntityType::AnthropicKey => "ANTHROPIC_KEY",
            EntityType::StripeKey => "STRIPE_KEY",
            EntityType::SlackToken => "SLACK_TOKEN",
            EntityType::GoogleApiKey => "GOOGLE_API_KEY",
            EntityType::PrivateKey => "PRIVATE_KEY",
            EntityType::Jwt => "JWT",
            EntityType::UrlPassword => "URL_PASSWORD",
            EntityType::GenericSecret => "GENERIC_SECRET",
        }
    }

    /// Credentials (as opposed to personal data); policy treats them apart.
    pub fn is_secret(self) -> bool {
        !matches!(
            self,
            EntityType::Email
                | EntityType::Phone
                | EntityType::CreditCard
                | EntityType::UsSsn
                | EntityType::Iban
                | EntityType::IpAddress
        )
    }

    /// Inverse of [`EntityType::name`] (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s.trim()))
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl std::fmt::Display for EntityType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One detected entity: `text[start..end]` (byte offsets on char boundaries).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub entity: EntityType,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    /// Name of the rule that fired, for audit and tuning.
    pub rule: &'static str,
}

impl Finding {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Finds entities in text. Rules today; an ML model can implement it later.
pub trait Detector: Send + Sync + std::fmt::Debug {
    /// Findings sorted by start and non-overlapping (the more confident,
    /// then the longer, wins an overlap).
    fn detect(&self, text: &str) -> Vec<Finding>;
}

/// Set of enabled entity types, as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Enabled(u32);

impl Enabled {
    pub(crate) fn has(self, e: EntityType) -> bool {
        self.0 & e.bit() != 0
    }
}

/// Collects raw (possibly overlapping) findings of the enabled types.
pub(crate) struct Sink {
    enabled: Enabled,
    pub(crate) found: Vec<Finding>,
    /// Candidate windows and validator calls; tests assert it stays linear.
    pub(crate) work: usize,
}

impl Sink {
    pub(crate) fn wants(&self, e: EntityType) -> bool {
        self.enabled.has(e)
    }

    pub(crate) fn push(
        &mut self,
        entity: EntityType,
        start: usize,
        end: usize,
        confidence: f32,
        rule: &'static str,
    ) {
        if self.enabled.has(entity) && end > start {
            self.found.push(Finding {
                entity,
                start,
                end,
                confidence,
                rule,
            });
        }
    }
}

/// What an anchor literal found by Aho-Corasick hands the match to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    UrlPassword,
    Token,
    Pem,
    Keyword,
}

#[derive(Debug)]
struct Engine {
    anchors: AhoCorasick,
    kinds: Vec<Anchor>,
    pii: pii::PiiRules,
    secrets: secrets::SecretRules,
}

impl Engine {
    fn new() -> Self {
        let mut literals: Vec<String> = vec!["://".into(), "-----BEGIN".into()];
        let mut kinds = vec![Anchor::UrlPassword, Anchor::Pem];
        for lit in secrets::TOKEN_PREFIXES {
            literals.push(lit.to_string());
            kinds.push(Anchor::Token);
        }
        // Case-sensitive variants (key, Key, KEY) instead of a
        // case-insensitive automaton: all anchors are then >= 3 bytes and
        // exact, which lets the SIMD (Teddy) prefilter skip most text.
        for lit in secrets::KEYWORDS {
            let capitalized = lit[..1].to_ascii_uppercase() + &lit[1..];
            for variant in [lit.to_string(), capitalized, lit.to_ascii_uppercase()] {
                literals.push(variant);
                kinds.push(Anchor::Keyword);
            }
        }
        let anchors = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&literals)
            .expect("static anchor set compiles");
        Self {
            anchors,
            kinds,
            pii: pii::PiiRules::new(),
            secrets: secrets::SecretRules::new(),
        }
    }

    fn scan(&self, text: &str, sink: &mut Sink) {
        if sink.enabled.0 & SECRET_BITS != 0 {
            for m in self.anchors.find_iter(text) {
                sink.work += 1;
                let (s, e) = (m.start(), m.end());
                match self.kinds[m.pattern().as_usize()] {
                    Anchor::UrlPassword => self.secrets.url_password_at(text, s, sink),
                    Anchor::Pem => self.secrets.pem_at(text, s, sink),
                    Anchor::Token => self.secrets.token_at(text, s, e, sink),
                    Anchor::Keyword => self.secrets.keyword_at(text, s, e, sink),
                }
            }
        }
        self.pii.scan_bytes(text, sink);
    }
}

const SECRET_BITS: u32 = {
    let mut bits = 0;
    let mut i = 0;
    while i < EntityType::ALL.len() {
        if i >= EntityType::AwsAccessKey as usize {
            bits |= 1 << i;
        }
        i += 1;
    }
    bits
};

/// The rule-based detector. Compiled once; clones share the compiled rules.
#[derive(Debug, Clone)]
pub struct RuleDetector {
    engine: Arc<Engine>,
    enabled: Enabled,
}

impl Default for RuleDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl RuleDetector {
    /// All entity types. Prefer [`RuleDetector::shared`] to avoid recompiling.
    pub fn new() -> Self {
        Self {
            engine: Arc::new(Engine::new()),
            enabled: Enabled(u32::MAX),
        }
    }

    /// The process-wide default detector (all types), compiled on first use.
    pub fn shared() -> &'static RuleDetector {
        static SHARED: OnceLock<RuleDetector> = OnceLock::new();
        SHARED.get_or_init(RuleDetector::new)
    }

    /// A detector restricted to `types`, sharing the compiled rules.
    pub fn only(&self, types: &[EntityType]) -> Self {
        let bits = types.iter().fold(0, |acc, e| acc | e.bit());
        Self {
            engine: Arc::clone(&self.engine),
            enabled: Enabled(bits),
        }
    }

    /// Like [`Detector::detect`], also returning how many candidates and
    /// validators ran: a machine-independent measure of work.
    pub fn detect_counting(&self, text: &str) -> (Vec<Finding>, usize) {
        let mut sink = Sink {
            enabled: self.enabled,
            found: Vec::new(),
            work: 0,
        };
        self.engine.scan(text, &mut sink);
        (resolve_overlaps(sink.found), sink.work)
    }
}

impl Detector for RuleDetector {
    fn detect(&self, text: &str) -> Vec<Finding> {
        self.detect_counting(text).0
    }
}

/// Sorts by start and keeps, among overlapping findings, the more confident
/// (then longer) one.
pub(crate) fn resolve_overlaps(mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        match kept.last_mut() {
            Some(last) if f.start < last.end => {
                let better = f.confidence > last.confidence
                    || (f.confidence == last.confidence && f.len() > last.len());
                if better {
                    *last = f;
                }
            }
            _ => kept.push(f),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_secret_split() {
        for e in EntityType::ALL {
            assert_eq!(EntityType::parse(e.name()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.name()));
        }
        assert!(!EntityType::Iban.is_secret());
        assert!(EntityType::AwsAccessKey.is_secret());
        assert_eq!(EntityType::parse("nope"), None);
    }

    #[test]
    fn overlaps_keep_the_more_confident_then_longer() {
        let f = |s, e, c| Finding {
            entity: EntityType::Email,
            start: s,
            end: e,
            confidence: c,
            rule: "t",
        };
        let out = resolve_overlaps(vec![
            f(5, 9, 0.5),
            f(0, 6, 0.9),
            f(8, 20, 0.5),
            f(30, 31, 0.1),
        ]);
        assert_eq!(out, vec![f(0, 6, 0.9), f(8, 20, 0.5), f(30, 31, 0.1)]);
    }

    #[test]
    fn only_restricts_types() {
        let d = RuleDetector::shared().only(&[EntityType::Email]);
        let text = "mail bob@example.org or call (415) 555-0123";
        let found = d.detect(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "bob@example.org");
    }
}
