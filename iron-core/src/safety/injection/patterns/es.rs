//! Spanish rules (accents and ñ fold to ASCII).

use super::{Rule, attack, support};
use crate::safety::injection::InjectionCategory::{
    IndirectInjection as Indirect, InstructionOverride as Override, RolePlayJailbreak as RolePlay,
    SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    attack(
        "es.override.prior",
        Override,
        0.88,
        r"\b(?:ignor[ae]\w*|olvid[ae]\w*|descart[ae]\w*|omit[ae]\w*|haz caso omiso|haga caso omiso|hagan caso omiso|no (?:sigas|siga|sigan|obedezcas|hagas caso)|pasa por alto|pase por alto|anul[ae]\w*|desobedec\w*)\b(?:{G}(?:anterior\w*|previa\w*|previo\w*|de arriba|precedente\w*|original\w*|inicial\w*|todas|todos|tus|sus|del sistema|dadas|recibidas){G}(?:instrucciones|instruccion|indicaciones|reglas|normas|directrices|ordenes|prompts?|mensaje del sistema|restricciones|pautas)|{G}(?:instrucciones|instruccion|indicaciones|reglas|normas|directrices|ordenes|prompts?|mensaje del sistema|restricciones|pautas)(?:\s+\S+){0,2}?\s+(?:anterior\w*|previa\w*|previo\w*|de arriba|precedente\w*|original\w*|inicial\w*|todas|todos|tus|sus|del sistema|dadas|recibidas))",
    ),
    attack(
        "es.override.everything",
        Override,
        0.75,
        r"\b(?:ignor[ae]\w*|olvid[ae]\w*)\s+todo\s+(?:lo (?:anterior|que (?:te )?(?:dije|dijeron|han dicho|se dijo))|lo de arriba)",
    ),
    attack(
        "es.override.new",
        Override,
        0.55,
        r"\b(?:nuevas|verdaderas|reales) (?:instrucciones|ordenes|reglas|directrices)\s*(?::|son\b)|\btu (?:verdadera|nueva|unica|real) (?:tarea|mision|funcion) es\b",
    ),
    attack(
        "es.extract.prompt",
        Extraction,
        0.85,
        r"\b(?:revela\w*|muestra\w*|mostra\w*|repite\w*|dime|di|escribe\w*|imprime\w*|ensena\w*|comparte\w*|dame|cual(?:es)? (?:es|son|eran?))\b{G}(?:tu|tus|su|sus|el|las|los)\s+(?:prompt|mensaje|instrucciones|indicaciones|reglas)\s+(?:del sistema|de sistema|inicial(?:es)?|originales?|ocult[oa]s?|secret[oa]s?|complet[oa]s?)\b",
    ),
    attack(
        "es.extract.above",
        Extraction,
        0.7,
        r"\b(?:repite\w*|copia\w*|muestra\w*|escribe\w*)\b{G2}(?:el texto|las palabras|todo lo|las instrucciones)\s+(?:de arriba|anterior(?:es)?|que (?:esta|aparece) arriba)",
    ),
    attack(
        "es.jailbreak.mode",
        RolePlay,
        0.42,
        r"\bmodo (?:desarrollador|dev|sin (?:restricciones|limites|filtros|censura)|dan|jailbreak|dios)\b",
    ),
    attack(
        "es.jailbreak.persona",
        RolePlay,
        0.6,
        r"\b(?:eres|ahora eres|seras|actua\w* como|finge\w* (?:ser|que eres)|interpreta\w*|haz de)\b{G}(?:ia|asistente|inteligencia artificial|chatbot|modelo|dan)\b{G}(?:sin|ninguna|libre de|no censurad[oa])\s*(?:restricciones|limites|filtros|censura|reglas|etica)?",
    ),
    attack(
        "es.jailbreak.no_limits",
        RolePlay,
        0.45,
        r"\b(?:sin|ningun[ao]?|libre de)\s+(?:ningun[ao]?\s+|tipo de\s+)?(?:restricciones|limitaciones|limites|filtros|censura|reglas)\s*(?:eticas|morales|de contenido)?",
    ),
    attack(
        "es.indirect.to_ai",
        Indirect,
        0.6,
        r"\b(?:si eres una?|nota|mensaje|atencion|instruccion)\b{G2}(?:para |a )?(?:la |el |cualquier )?(?:ia|inteligencia artificial|modelo de lenguaje|asistente|agente|llm)s?\b{G2}(?:que lea|que lee|leyendo|que resuma|que procese|debe|debes)|\bno (?:le )?(?:digas|menciones|reveles|informes) (?:nada )?(?:esto )?al usuario\b",
    ),
    support(
        "es.persona.now",
        0.25,
        r"\b(?:ahora eres|ahora estas|a partir de ahora|desde ahora|de ahora en adelante|mantente en (?:tu )?personaje)\b",
    ),
];
