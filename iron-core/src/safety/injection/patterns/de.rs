//! German rules (umlauts fold to plain vowels: "über" is matched as "uber").

use super::{Rule, attack, support};
use crate::safety::injection::InjectionCategory::{
    IndirectInjection as Indirect, InstructionOverride as Override, RolePlayJailbreak as RolePlay,
    SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    attack(
        "de.override.prior",
        Override,
        0.88,
        r"\b(?:ignorier\w*|vergiss|vergesst|vergessen sie|missacht\w*|uberg[eai]h\w*|setz\w* (?:alle )?\w* ausser kraft|befolge \w* nicht|befolgen sie \w* nicht|hor\w* nicht auf|kummer\w* dich nicht um|verwirf|verwerfen sie)\b(?:{G}(?:vorherig\w*|bisherig\w*|obig\w*|oben\w*|vorangegangen\w*|vorstehend\w*|vorigen|fruher\w*|ursprunglich\w*|alle|samtlich\w*|deine\w*|ihre\w*|system\w*|anfanglich\w*|zuvor\w*){G}(?:anweisungen?|instruktionen?|befehle?|regeln|vorgaben|richtlinien|anordnungen|prompts?|systemprompts?|anleitungen|einschrankungen|beschrankungen)|{G}(?:anweisungen?|instruktionen?|befehle?|regeln|vorgaben|richtlinien|anordnungen|prompts?|systemprompts?|anleitungen|einschrankungen|beschrankungen)(?:\s+\S+){0,2}?\s+(?:vorherig\w*|bisherig\w*|obig\w*|oben\w*|vorangegangen\w*|vorstehend\w*|vorigen|fruher\w*|ursprunglich\w*|alle|samtlich\w*|deine\w*|ihre\w*|system\w*|anfanglich\w*|zuvor\w*))",
    ),
    attack(
        "de.override.everything",
        Override,
        0.75,
        r"\b(?:ignorier\w*|vergiss|vergessen sie)\s+(?:alles|all das),?\s+(?:was|bisher|vorher|oben|zuvor|davor)",
    ),
    attack(
        "de.override.new",
        Override,
        0.55,
        r"\b(?:neue|eigentliche|wahre|tatsachliche) (?:anweisungen|anweisung|aufgabe|instruktionen|regeln|befehle)\s*(?::|sind\b|ist\b|lautet\b|lauten\b)|\bdeine (?:eigentliche|wahre|neue|einzige) aufgabe (?:ist|lautet)\b",
    ),
    attack(
        "de.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:zeig\w*|gib|geben sie|verrat\w*|nenn\w*|wiederhol\w*|druck\w*|schreib\w*|offenbar\w*|enthull\w*|ausgeb\w*|teile?|was (?:ist|sind|war|waren|steht))\b{G}(?:deinen?|deinem|ihren?|ihrem|deine|ihre|den|dem|die)\s+(?:vollstandigen?\s+|ursprunglichen?\s+|geheimen?\s+|versteckten?\s+|initialen?\s+)?(?:system-?prompt|systemnachricht|system-?anweisungen|anfangsanweisungen|ursprunglichen anweisungen|anweisungen|instruktionen|vorgaben|prompt)\b",
    ),
    attack(
        "de.extract.above",
        Extraction,
        0.7,
        r"\b(?:wiederhol\w*|gib|zeig\w*|schreib\w*)\b{G2}(?:den text|die worter|alles|die anweisungen)\s+(?:oben|daruber|davor|zuvor|von oben)",
    ),
    attack(
        "de.jailbreak.mode",
        RolePlay,
        0.42,
        r"\b(?:entwicklermodus|entwickler-modus|developer-modus|jailbreak-modus|dan-modus|gott-?modus|modus ohne (?:einschrankungen|filter|zensur|grenzen))\b",
    ),
    attack(
        "de.jailbreak.persona",
        RolePlay,
        0.6,
        r"\b(?:du bist|sie sind|du wirst|spiel\w*|tu so,? als|verhalte dich wie|agier\w* als)\b{G}(?:ki|assistent|chatbot|modell|dan|ai)\b{G}(?:ohne|keine|frei von|ungefiltert|unzensiert)\s*(?:jegliche\s+)?(?:einschrankungen|regeln|filter|zensur|grenzen|moral|ethik)?",
    ),
    attack(
        "de.jailbreak.no_limits",
        RolePlay,
        0.45,
        r"\b(?:ohne|keine|frei von)\s+(?:jegliche\s+|jede\s+|irgendwelche\s+)?(?:ethischen\s+|moralischen\s+)?(?:einschrankungen|beschrankungen|filter|zensur|grenzen|regeln|richtlinien)\b",
    ),
    attack(
        "de.indirect.to_ai",
        Indirect,
        0.6,
        r"\b(?:wenn du eine?|falls du eine?|hinweis|nachricht|achtung|anweisung)\b{G2}(?:an |fur )?(?:die |den |alle )?(?:ki|kunstliche intelligenz|sprachmodell|assistent|ki-assistent|ki-agent|llm)s?\b|\b(?:sag|sage|erwahne|verrate) (?:dem|den) (?:benutzer|nutzer)\w* (?:nichts|nicht)\b",
    ),
    support(
        "de.persona.now",
        0.25,
        r"\b(?:du bist jetzt|du bist ab sofort|sie sind jetzt|ab jetzt|von nun an|bleib in (?:deiner|der) rolle)\b",
    ),
];
