//! Other widespread languages (Italian, Portuguese, Dutch, Japanese,
//! Korean): only the two most common attacks, override and extraction.

use super::{Rule, attack};
use crate::safety::injection::InjectionCategory::{
    InstructionOverride as Override, SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    attack(
        "it.override.prior",
        Override,
        0.85,
        r"\b(?:ignora\w*|dimentica\w*|trascura\w*|non seguire)\b{G}(?:istruzioni|regole|indicazioni|direttive)\s+(?:precedenti|iniziali|originali|di sistema|sopra)|\b(?:ignora\w*|dimentica\w*)\s+(?:tutte\s+)?(?:le\s+)?(?:tue|sue)\s+(?:istruzioni|regole)\b",
    ),
    attack(
        "it.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:mostra\w*|rivela\w*|ripeti|stampa|dimmi|scrivi)\b{G}(?:il tuo|tuo|il) (?:prompt di sistema|messaggio di sistema|istruzioni iniziali)",
    ),
    attack(
        "pt.override.prior",
        Override,
        0.85,
        r"\b(?:ignore|ignora\w*|esqueca\w*|desconsidere|despreze)\b{G}(?:instrucoes|regras|diretrizes|orientacoes)\s+(?:anteriores|previas|iniciais|originais|do sistema|acima)|\b(?:ignore|esqueca)\s+(?:todas\s+)?(?:as\s+)?suas\s+(?:instrucoes|regras)\b",
    ),
    attack(
        "pt.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:mostre|revele|repita|imprima|diga|escreva)\b{G}(?:seu|o seu|o) (?:prompt do sistema|prompt de sistema|mensagem do sistema|instrucoes iniciais)",
    ),
    attack(
        "nl.override.prior",
        Override,
        0.85,
        r"\b(?:negeer|vergeet|verwaarloos)\b{G}(?:vorige|eerdere|voorgaande|bovenstaande|oorspronkelijke|je|jouw|alle)\b{G}(?:instructies|regels|richtlijnen|opdrachten)\b",
    ),
    attack(
        "nl.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:toon|laat|geef|herhaal|print)\b{G}(?:je|jouw|de) (?:systeemprompt|systeeminstructies|oorspronkelijke instructies)",
    ),
    attack(
        "ja.override.prior",
        Override,
        0.85,
        r"(?:以前|前|上記|これまで|先ほど|すべて|全て)の(?:指示|命令|ルール|指令|設定|プロンプト)を(?:無視|忘れ|破棄)",
    ),
    attack(
        "ja.extract.prompt",
        Extraction,
        0.85,
        r"システムプロンプト(?:を|の内容を)?(?:表示|教え|出力|見せ|繰り返)|(?:最初|初期)の(?:指示|プロンプト)を(?:表示|教え|出力|見せ)",
    ),
    attack(
        "ko.override.prior",
        Override,
        0.85,
        r"(?:이전|위의|앞의|모든|기존)\s*(?:지시|지침|명령|규칙|프롬프트)\S*\s*(?:을|를)?\s*(?:무시|잊)",
    ),
    attack(
        "ko.extract.prompt",
        Extraction,
        0.85,
        r"시스템\s*프롬프트\S*\s*(?:을|를)?\s*(?:보여|출력|알려|공개)",
    ),
];
