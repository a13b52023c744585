//! French rules (accents are stripped by normalisation).

use super::{Rule, attack, support};
use crate::safety::injection::InjectionCategory::{
    IndirectInjection as Indirect, InstructionOverride as Override, RolePlayJailbreak as RolePlay,
    SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    attack(
        "fr.override.prior",
        Override,
        0.88,
        r"\b(?:ignore[rsz]?|ignorant|oublie[rsz]?|oubliant|neglige[rsz]?|fais abstraction d|faites abstraction d|ne (?:tiens|tenez) (?:pas|plus) compte d|ne (?:suis|suivez) (?:pas|plus)|passe[rsz]? outre|contourne[rsz]?|annule[rsz]?)\w*\b(?:{G}(?:precedent\w*|anterieur\w*|ci-dessus|d'avant|initial\w*|d'origine|originel\w*|original\w*|systeme|tes|vos|toutes|tous|precedemment|qu'on t'a\w*|que l'on t'a\w*|qu'il t'a\w*|donnees|recues|ci-avant|donnees? auparavant){G}(?:instructions?|consignes?|regles|directives?|indications|ordres|prompts?|invites?|messages? systeme|consignes)|{G}(?:instructions?|consignes?|regles|directives?|indications|ordres|prompts?|invites?|messages? systeme|consignes)(?:\s+\S+){0,2}?\s+(?:precedent\w*|anterieur\w*|ci-dessus|d'avant|initial\w*|d'origine|originel\w*|original\w*|systeme|tes|vos|toutes|tous|precedemment|qu'on t'a\w*|que l'on t'a\w*|qu'il t'a\w*|donnees|recues|ci-avant|donnees? auparavant))",
    ),
    attack(
        "fr.override.everything",
        Override,
        0.75,
        r"\b(?:ignore[rsz]?|oublie[rsz]?)\s+(?:tout|tous|toutes)\s+(?:ce qui (?:precede|a ete dit|est au-dessus)|ce que (?:je|l'on|on) t'a dit|ce qu'on t'a dit|(?:les|tes|vos) (?:instructions|consignes|regles))",
    ),
    attack(
        "fr.override.new",
        Override,
        0.55,
        r"\b(?:nouvelles?|vraies?|veritables?) (?:instructions|consignes|directives|regles|mission|tache)\s*(?::|sont\b)|\bta (?:vraie|veritable|nouvelle|seule) (?:tache|mission) est\b",
    ),
    attack(
        "fr.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:revele[rsz]?|affiche[rsz]?|montre[rsz]?|repete[rsz]?|donne[rsz]?|ecri[st]|ecrivez|imprime[rsz]?|divulgue[rsz]?|dis|dites|communique[rsz]?|recopie[rsz]?|quel(?:le)?s? (?:est|sont))(?:-(?:moi|nous))?\b{G}(?:ton|ta|tes|votre|vos|le|les|l')\s*(?:prompt|invite|message|instructions?|consignes?|regles)\s*(?:systeme|initial(?:e|es)?|d'origine|originales?|cachees?|secretes?|completes?)\b",
    ),
    attack(
        "fr.extract.above",
        Extraction,
        0.7,
        r"\b(?:repete[rsz]?|recopie[rsz]?|affiche[rsz]?|ecri[st])\b{G2}(?:le texte|les mots|tout ce qui|les instructions)\s+(?:ci-dessus|au-dessus|precede|precedent)",
    ),
    attack(
        "fr.jailbreak.mode",
        RolePlay,
        0.42,
        r"\bmode (?:developpeur|dev|sans (?:limites|restrictions|filtre|censure)|dan|jailbreak|debride)\b",
    ),
    attack(
        "fr.jailbreak.persona",
        RolePlay,
        0.6,
        r"\b(?:tu es|vous etes|tu seras|tu joues?|joue[rsz]?|agis|agissez|fais semblant d'etre|incarne[rsz]?)\b{G}(?:ia|assistant|intelligence artificielle|chatbot|modele|dan|personnage)\b{G}(?:sans|aucune?|libere|debride|non censure|pas de)\s*(?:restrictions?|limites?|filtres?|censure|regles?|ethique)",
    ),
    attack(
        "fr.jailbreak.no_limits",
        RolePlay,
        0.45,
        r"\b(?:sans|aucune?|libere de|affranchi de)\s+(?:aucune?\s+)?(?:restrictions?|limites?|filtres?|censure|regles?|contraintes?)\s+(?:ethiques?|morales?|de contenu|de securite)?",
    ),
    attack(
        "fr.indirect.to_ai",
        Indirect,
        0.6,
        r"\b(?:si tu es|si vous etes|note|message|attention|instruction)\b{G2}(?:une?|l'|aux?|pour l'|pour les)?\s*(?:ia|intelligence artificielle|assistant|modele de langage|agent|llm)s?\b{G2}(?:qui lit|qui lisez|lisant|qui resume|qui traite|lis|doit|dois|devez)|\bne (?:dis|dites|mentionne[sz]?|revele[sz]?) (?:rien |pas )?(?:cela |ceci )?a l'utilisateur\b",
    ),
    support(
        "fr.persona.now",
        0.25,
        r"\b(?:tu es maintenant|vous etes maintenant|a partir de maintenant|desormais,? (?:tu|vous)|reste dans (?:ton|le) personnage)\b",
    ),
];
