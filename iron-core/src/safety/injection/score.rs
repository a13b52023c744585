//! Turning fired rules into one score and category.
//!
//! Attack rules combine as a noisy-OR (independent evidence: two weak cues
//! together outweigh either); support cues join only once an attack cue is
//! present; each discussion/quotation cue divides the result.

use super::InjectionCategory;

const CATEGORIES: [InjectionCategory; 6] = [
    InjectionCategory::InstructionOverride,
    InjectionCategory::SystemPromptExtraction,
    InjectionCategory::RolePlayJailbreak,
    InjectionCategory::DelimiterInjection,
    InjectionCategory::Obfuscation,
    InjectionCategory::IndirectInjection,
];

/// Weight given to disguise alone (zero-width, homoglyphs, leet) when an
/// attack was also found behind it.
pub(crate) const DISGUISE_WEIGHT: f32 = 0.3;
/// How much each discussion cue damps; the second and third count less.
const CONTEXT_DAMPING: f32 = 0.5;
/// Extra damping when every attack cue sits inside quotes: mild alone (a
/// pasted attack is still an attack), stronger in a discussion.
const QUOTED_DAMPING: f32 = 0.85;
const QUOTED_IN_DISCUSSION_DAMPING: f32 = 0.7;

#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Per category, product of (1 - weight) over its fired rules.
    miss: [f32; 6],
    support_miss: f32,
    contexts: usize,
    attacks: usize,
    quoted_attacks: usize,
    pub signals: Vec<&'static str>,
}

impl Tally {
    pub fn new() -> Self {
        Self {
            miss: [1.0; 6],
            support_miss: 1.0,
            ..Self::default()
        }
    }

    pub fn attack(
        &mut self,
        category: InjectionCategory,
        weight: f32,
        name: &'static str,
        quoted: bool,
    ) {
        let i = CATEGORIES.iter().position(|c| *c == category).unwrap_or(0);
        self.miss[i] *= 1.0 - weight.clamp(0.0, 0.99);
        self.attacks += 1;
        self.quoted_attacks += usize::from(quoted);
        self.signal(name);
    }

    pub fn support(&mut self, weight: f32, name: &'static str) {
        self.support_miss *= 1.0 - weight.clamp(0.0, 0.99);
        self.signal(name);
    }

    pub fn context(&mut self, name: &'static str) {
        self.contexts += 1;
        self.signal(name);
    }

    pub fn signal(&mut self, name: &'static str) {
        if !self.signals.contains(&name) {
            self.signals.push(name);
        }
    }

    /// Undamped attack evidence alone: used to judge decoded payloads.
    pub fn attack_score(&self) -> f32 {
        1.0 - self.miss.iter().product::<f32>()
    }

    pub fn has_attack(&self) -> bool {
        self.attacks > 0
    }

    /// Final score in 0..=1 and the dominant category (none without attack cues).
    pub fn finish(&self) -> (f32, Option<InjectionCategory>) {
        if self.attacks == 0 {
            return (0.0, None);
        }
        let combined = 1.0 - (1.0 - self.attack_score()) * self.support_miss;
        let mut damping = 1.0 / (1.0 + CONTEXT_DAMPING * self.contexts.min(3) as f32);
        if self.quoted_attacks == self.attacks {
            damping *= if self.contexts > 0 {
                QUOTED_IN_DISCUSSION_DAMPING
            } else {
                QUOTED_DAMPING
            };
        }
        let (best, _) =
            self.miss.iter().enumerate().fold(
                (0, 1.0_f32),
                |acc, (i, &m)| if m < acc.1 { (i, m) } else { acc },
            );
        ((combined * damping).clamp(0.0, 1.0), Some(CATEGORIES[best]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InjectionCategory::*;

    #[test]
    fn noisy_or_support_and_damping() {
        let mut t = Tally::new();
        t.support(0.5, "s");
        assert_eq!(t.finish(), (0.0, None), "support alone never scores");
        t.attack(RolePlayJailbreak, 0.4, "a", false);
        t.attack(InstructionOverride, 0.5, "b", false);
        let (score, cat) = t.finish();
        assert!((score - (1.0 - 0.6 * 0.5 * 0.5)).abs() < 1e-6);
        assert_eq!(cat, Some(InstructionOverride));
        t.context("c");
        assert!(t.finish().0 < score * 0.7);
    }
}
