//! English rules: the bulk of real-world attacks.

use super::{Rule, attack, support};
use crate::safety::injection::InjectionCategory::{
    IndirectInjection as Indirect, InstructionOverride as Override, Obfuscation,
    RolePlayJailbreak as RolePlay, SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    // --- instruction override: verb + (bounded gap) + prior-ness + object.
    attack(
        "en.override.prior_rules",
        Override,
        0.88,
        r"\b{OVS}\b{G}{PRIOR}\b{G}{OBJ}\b",
    ),
    attack(
        "en.override.weak_verb",
        Override,
        0.5,
        r"\b{OVW}\b{G}{PRIOR}\b{G}{OBJ}\b",
    ),
    attack(
        "en.override.prior_other",
        Override,
        0.6,
        r"\b{OVS}\s+(?:all\s+(?:of\s+)?)?(?:the\s+|your\s+|any\s+|these\s+|those\s+)?(?:previous|prior|preceding|above|earlier|foregoing)\s+(?:[a-z]+\s+)?{WOBJ}\b",
    ),
    attack(
        "en.override.everything_and",
        Override,
        0.65,
        r"\b(?:ignore|disregard|forget)\s+(?:about\s+)?(?:everything|all that|all of (?:that|this))\s*(?:,|\.|and|then)\s*(?:just\s+|now\s+|instead\s+)?(?:say|print|write|tell|output|respond|reply|answer|translate|focus|concentrate|do)\b",
    ),
    attack(
        "en.override.pwned",
        Override,
        0.5,
        r"\bi have been pwned\b|\bhaha pwned\b",
    ),
    attack(
        "en.override.everything_before",
        Override,
        0.8,
        r"\b(?:{OVS}|discard|erase|drop)\s+(?:about\s+)?(?:everything|all|anything|whatever)(?:\s+(?:that|which|you(?:'ve| have)? (?:been|were)))?\s+(?:above|before|prior|previously|earlier|said|told|written|stated|(?:guidance|instructions|rules) you (?:received|got|were given)|you (?:were|have been|'ve been) (?:told|given|programmed|configured))",
    ),
    attack(
        "en.override.what_you_were_told",
        Override,
        0.7,
        r"\b(?:{OVS}|treat|consider)\b{G2}(?:what|whatever|everything|anything|all)\s+(?:that\s+)?(?:you were|you've been|you have been|you got|the (?:operator|developer|system|admin|company)s? (?:told|gave|instructed|said to))\b(?:\s+(?:told|instructed|given|programmed|taught|configured))?|\b(?:earlier|previous|prior|original|initial|old) (?:setup|instructions?|rules|guidance|configuration|prompt|directives) (?:doesn'?t|does not|don'?t|do not|no longer) (?:count|apply|matter|exist)\b|\btreat (?:it|them|those|that|this) as (?:void|invalid|null|cancell?ed|obsolete)\b",
    ),
    attack(
        "en.override.yours_outdated",
        Override,
        0.7,
        r"\byour (?:instructions|rules|guidelines|directives|programming|system prompt|restrictions) (?:are|is|have been|has been) (?:now )?(?:outdated|obsolete|superseded|replaced|updated|wrong|invalid|void|cancell?ed|revoked|lifted)\b",
    ),
    support(
        "en.persona.claimed_authority",
        0.3,
        r"\bi(?:'m| am) (?:from|with|at) (?:openai|anthropic|google deepmind|your (?:developers?|creators?))\b|\bi(?:'m| am) your (?:developer|creator|admin|administrator|operator|owner)\b",
    ),
    attack(
        "en.override.never_existed",
        Override,
        0.65,
        r"\b(?:instructions?|rules|guidelines|guidance|directives|programming|configuration|restrictions|system prompt)\s+(?:above\s+|before\s+|you (?:were|have been) given\s+)?(?:never existed|(?:do not|don'?t|no longer) exist|are gone|(?:were|was|is|are|has been|have been)?\s*(?:revoked|rescinded|withdrawn|deleted|erased))\b",
    ),
    attack(
        "en.override.rules_void",
        Override,
        0.6,
        r"\b(?:instructions?|rules|guidance|guidelines|directives|programming|configuration|restrictions|everything you were (?:told|given|configured with|programmed with))\b(?:\s+[^\s.!?;:]+){0,6}?\s+(?:(?:are|is|were|have been|has been) (?:now )?(?:cancell?ed|void|null|obsolete|revoked|lifted|disabled|suspended|no longer (?:valid|in effect|apply|applicable))|no longer apply)\b",
    ),
    attack(
        "en.override.the_above",
        Override,
        0.72,
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the|that|this)\s+(?:above|preceding|foregoing|previous)(?:\s+(?:text|content|input|part))?\s*(?:[,.;:!-]|and\b|$)",
    ),
    attack(
        "en.override.new_instructions",
        Override,
        0.55,
        r"\b(?:new|updated|revised|real|actual|true|overriding|priority|secret|hidden) (?:system )?(?:instructions?|directives?|orders|task|objective|mission|rules)\s*(?::|follow|are\b|is\b)",
    ),
    attack(
        "en.override.real_task",
        Override,
        0.6,
        r"\byour (?:real|true|actual|new|only|primary) (?:task|goal|job|purpose|instructions?|objective|mission) (?:is|are|now)\b",
    ),
    attack(
        "en.override.above_was_fake",
        Override,
        0.6,
        r"\b(?:above|previous|prior|earlier) (?:instructions?|text|prompt|rules|message) (?:was|were|is|are) (?:just )?(?:a test|fake|wrong|outdated|cancell?ed|void|obsolete|not (?:valid|real|important))",
    ),
    attack(
        "en.override.instead_follow",
        Override,
        0.55,
        r"\b(?:instead|rather)\b{G2}(?:follow|obey|execute|carry out) (?:these|the following|my|the new)\b",
    ),
    attack(
        "en.override.no_longer_bound",
        RolePlay,
        0.65,
        r"\b(?:you are|you're|you will be) (?:no longer|not) (?:bound|restricted|limited|constrained|governed) by\b|\b(?:you are|you're) no longer (?:chatgpt|an ai|a language model|an assistant|claude|a helpful assistant)\b",
    ),
    attack(
        "en.override.policy",
        RolePlay,
        0.75,
        r"\b(?:ignore|ignoring|ignores|bypass|break|breaking|violate|disregard|not bound by|free (?:from|of)|escape|without|(?:doesn'?t|does not|don'?t|do not|won'?t|never) (?:care about|follow|respect|obey))\b{G2}(?:openai|anthropic|google|meta|content|safety|ethical|moral)(?:'s)?\s+(?:content\s+)?(?:policy|policies|guidelines|rules|filters?|restrictions|programming|training|limitations)",
    ),
    // --- system prompt extraction.
    attack(
        "en.extract.your_system_prompt",
        Extraction,
        0.85,
        r"\b(?:reveal|print|show|display|output|repeat|recite|echo|dump|leak|disclose|expose|share|tell|give|write|list|spell|copy|paste|return|provide|state|read|translate|summari[sz]e|what (?:is|are|was|were)|what's)\b{G6}(?:your|its|the ai's|the assistant's)\s+(?:full |exact |entire |complete |original |initial |hidden |secret |internal |underlying |verbatim )*(?:system ?prompt|system message|system instructions|pre-?prompt|initial (?:prompt|instructions)|original (?:prompt|instructions)|hidden (?:prompt|instructions|rules)|developer (?:message|prompt|instructions)|initiali[sz]ation|(?:secret|hidden|internal|confidential|original|initial|developer|system) (?:instructions|rules|guidelines|prompt|directives))\b",
    ),
    // Generic objects ("your rules") only when nothing says what they are about.
    attack(
        "en.extract.your_rules",
        Extraction,
        0.7,
        r"\b(?:reveal|print|show|display|output|repeat|recite|dump|leak|disclose|tell|give|write|list|spell|copy|paste|state|what (?:is|are|was|were)|what's)\b{G6}(?:your|its)\s+(?:full |exact |entire |complete |original |initial |hidden |secret |internal |verbatim |configuration |operating )*(?:instructions|guidelines|rules|directives|configuration|prompt)\s*(?:[.?!,:;\x22')]|$|verbatim|word for word|exactly|in full|in a code|and\b|above|so far|now\b|please\b|immediately|for me\b|here\b|to me\b|line by line|one line at a time|one by one|you (?:were|have been) given)",
    ),
    attack(
        "en.extract.the_system_prompt",
        Extraction,
        0.6,
        r"\b(?:reveal|print|show|display|output|repeat|recite|dump|leak|disclose|expose|tell me|give me|write out|spell out|copy)\b{G2}(?:the\s+)?(?:full |exact |entire |complete |original |initial |hidden |secret |verbatim )*(?:system ?prompt|system message|pre-?prompt|hidden (?:prompt|instructions)|initial instructions|instructions you (?:were|have been) given|developer (?:message|prompt))\b",
    ),
    attack(
        "en.extract.model_context",
        Extraction,
        0.75,
        r"\b(?:reveal|print|show|display|output|repeat|recite|echo|dump|leak|disclose|share|tell|give|write|list|spell out|copy|paste|quote|return|provide)\b{G6}(?:(?:the|your)\s+(?:context window|system (?:role )?(?:message|prompt)|pre-?prompt|hidden prompt)|(?:prompt|instructions?|rules|directives|message|text|setup)\s+(?:that (?:was|were) |which (?:was|were) |you (?:were|have been) )?(?:loaded|given|received|provided|fed|injected|configured)\b|(?:every|each|all|any)\s+(?:instruction|rule|directive)s?\s+(?:your|the)\s+(?:creators?|developers?|operators?|admins?|company)|your (?:rules|instructions|directives|guidelines|configuration) (?:back|verbatim|word for word|in full|line by line)|(?:instructions?|rules|text|prompt) you (?:received|got|were given)\b)",
    ),
    support(
        "en.extract.your_prompt_mention",
        0.3,
        r"\byour (?:system prompt|initial instructions|hidden instructions|system message|original instructions|pre-?prompt)\b",
    ),
    attack(
        "en.extract.before_my_message",
        Extraction,
        0.7,
        r"\b(?:text|words|content|everything|instructions?|messages?)\s+(?:that\s+)?(?:appears?|appeared|came|comes|is|was|were)\s+(?:written\s+)?(?:before|above|prior to)\s+(?:my|this|our)\s+(?:first\s+)?(?:message|question|prompt|conversation|chat|input)\b",
    ),
    attack(
        "en.extract.developers_wrote",
        Extraction,
        0.65,
        r"\bwhat (?:your|the) (?:developers?|creators?|operators?|admins?|company|makers?) (?:wrote|put|said|told you|gave you|included|specified)\b",
    ),
    attack(
        "en.extract.text_above",
        Extraction,
        0.72,
        r"\b(?:repeat|print|output|recite|echo|copy|write out|show me|reproduce|return)\b{G2}(?:the |all |every )?(?:words|text|everything|content|lines|sentences|characters|tokens|messages?|instructions|initiali[sz]ation)\s+(?:above|before (?:this|my|the)|preceding|prior to|that came before|at the (?:start|beginning|top))",
    ),
    attack(
        "en.extract.begin_with",
        Extraction,
        0.55,
        r"\b(?:start|begin)\b{G2}(?:response|reply|answer|output)?\s*with\s+['`]?(?:my (?:system )?(?:prompt|instructions)|you are (?:a|an|chatgpt)|the system prompt)",
    ),
    attack(
        "en.extract.were_told",
        Extraction,
        0.6,
        r"\bwhat (?:were|have) you (?:been )?(?:told|instructed|asked) (?:not )?to\b|\bwhat (?:rules|instructions|guidelines|directives|constraints) (?:were you|have you been|did you get|are you) (?:given|told|trained|programmed|following|operating under)\b|\bwhat (?:were you|have you been|did (?:they|the developers?|openai|your creators?) (?:tell|instruct)(?: you)?) (?:told|instructed|programmed|asked) to\b|\bwhat did (?:your|the) (?:developers?|creators?|operators?) (?:tell|instruct) you\b",
    ),
    // --- role-play jailbreaks.
    attack(
        "en.jailbreak.dan",
        RolePlay,
        0.85,
        r"\bdo anything now\b|\bdan mode\b|\b(?:you are|you're|act as|become|pretend to be|play|roleplay as|role-play as)\s+(?:now\s+)?(?:a |an |the )?(?:dan|stan|dude|aim|evilbot|antigpt|bettergpt|developer mode gpt)\b",
    ),
    attack(
        "en.jailbreak.mode_ai",
        RolePlay,
        0.8,
        r"\b(?:{AI}|you)\b{G2}(?:with|in|into|enable[sd]?|activate[sd]?|enter(?:ed|s)?|switch(?:ed)? to|now in)\s+(?:the\s+)?(?:developer|dev|god|jailbreak|jailbroken|unfiltered|unrestricted|unlocked|sudo|evil|chaos|uncensored|opposite|dan) mode\b|\b(?:developer|dev|jailbreak|unfiltered|unrestricted|unlocked|uncensored) mode (?:enabled|activated|output)\b",
    ),
    attack(
        "en.jailbreak.named_persona",
        RolePlay,
        0.8,
        r"\b(?:ai|model|chatbot|persona|character|bot|assistant)\s+(?:known as|called|named)\s+(?:dan|stan|dude|aim|evilbot|antigpt|bettergpt)\b|\balways intelligent and machiavellian\b|\bunfiltered and amoral\b",
    ),
    attack(
        "en.jailbreak.simulate_mode",
        RolePlay,
        0.75,
        r"\b(?:simulate|emulate|pretend to be in|act as if (?:you are|you're) in)\s+(?:the\s+)?(?:developer|dev|jailbreak|dan|god|unfiltered|unrestricted) mode\b",
    ),
    attack(
        "en.jailbreak.break_rules",
        RolePlay,
        0.35,
        r"\b(?:let'?s|we will|you will|you can) (?:break|ignore|bypass) (?:all |the |any )?(?:fuckin'? |fucking |damn )?rules\b",
    ),
    attack(
        "en.jailbreak.filters_off",
        RolePlay,
        0.55,
        r"\b(?:safety |content |ethical |moral )?(?:filters?|guardrails|restrictions|safeguards|censorship|safety (?:features|settings|protocols)|ethics module)\s+(?:(?:are|is|were|have been|has been)\s+(?:now\s+|all\s+)?(?:off|gone)|(?:(?:are|is|were|have been|has been)\s+)?(?:now\s+|all\s+)?(?:turned off|switched off|disabled|removed|lifted|deactivated|bypassed))\b",
    ),
    attack(
        "en.override.admin_override",
        Override,
        0.5,
        r"\b(?:admin(?:istrator)?|developer|root|sudo|system|god) (?:override|access|privileges?) (?:enabled|activated|granted|engaged)\b|\badministrator override\b|\bauthori[sz]ation (?:code|level) (?:accepted|granted)\b",
    ),
    attack(
        "en.jailbreak.you_have_no_rules",
        RolePlay,
        0.55,
        r"\byou (?:have|had|now have|will have|don'?t have|do not have|are free from|are free of|were free of) (?:no|any|all)\s+(?:\w+\s+)?(?:rules|restrictions|limits|limitations|filters|guidelines|boundaries|ethics|morals|remorse|policy|policies)\b",
    ),
    attack(
        "en.jailbreak.evil_confidant",
        RolePlay,
        0.6,
        r"\bevil (?:trusted )?confidant\b|\bwithout any (?:remorse|ethics|morals|morality|conscience)\b|\b(?:rules|policies|guidelines|restrictions|filters) (?:of|from|set by|imposed by) (?:openai|anthropic|your (?:creators|developers))\b",
    ),
    attack(
        "en.jailbreak.activate_mode",
        RolePlay,
        0.75,
        r"\b(?:activate|enable|enter|engage|switch (?:in)?to|turn on|go into)\s+(?:the\s+)?(?:jailbreak|jailbroken|dan|unfiltered|unrestricted|uncensored|evil|chaos|opposite|no[- ]limits?) mode\b",
    ),
    attack(
        "en.jailbreak.gpt_persona",
        RolePlay,
        0.55,
        r"\b(?:you are|you're|respond as|act as|answer as|reply as|become|play|roleplay as)\s+(?:now\s+)?(?:a\s+|an\s+)?[a-z]+(?:gpt|ai|bot|llm)\b|\ban? (?:ai|assistant|chatbot|model) (?:that|which|who) (?:doesn'?t|does not|never|won'?t|will not) (?:care|refuse|follow|obey|decline|have (?:any )?(?:rules|limits|filters|ethics))",
    ),
    attack(
        "en.jailbreak.abide_by_none",
        RolePlay,
        0.6,
        r"\b(?:not|never|no longer) (?:have to |need to |required to )?(?:abide by|follow|obey|comply with|adhere to) (?:any|the|its|their) (?:rules|guidelines|restrictions|policies|policy|ethics)\b|\bbroken free (?:of|from)\b",
    ),
    attack(
        "en.jailbreak.as_unrestricted_ai",
        RolePlay,
        0.65,
        r"\bas an? (?:ai|assistant|model|chatbot|bot|llm) (?:with no|without(?: any)?|free of|free from) (?:ethical |moral |content )?(?:restrictions|limits|rules|filters|constraints|guidelines|ethics|morals|censorship)\b",
    ),
    attack(
        "en.jailbreak.mode",
        RolePlay,
        0.42,
        r"\b(?:jailbreak|jailbroken|unfiltered|unrestricted|uncensored|evil|chaos|opposite|amoral) mode\b",
    ),
    attack(
        "en.jailbreak.unrestricted_ai",
        RolePlay,
        0.62,
        r"\b(?:unrestricted|unfiltered|uncensored|amoral|immoral|unethical|rogue|jailbroken|evil|unbound|unchained|unlimited)\s+(?:ai|assistant|chatbot|model|version of (?:yourself|you|chatgpt|the ai)|persona|llm|bot|gpt|chatgpt)\b",
    ),
    attack(
        "en.jailbreak.act_as_unrestricted",
        RolePlay,
        0.8,
        r"\b(?:act|behave|respond|answer|reply|pretend|roleplay|role-play)\b{G6}(?:as|like)\s+(?:if\s+)?(?:you\s+(?:were|are|have)\s+)?(?:an?\s+)?(?:(?:ai|assistant|model|chatbot|bot|entity|version of yourself)\s+)?(?:unrestricted|unfiltered|uncensored|amoral|immoral|jailbroken|rogue|evil|no[- ]limits?|(?:without|with no|free of) (?:any )?(?:ethical |moral |content )?(?:restrictions|limits|rules|filters|constraints|guidelines|ethics|morals|policy|policies|censorship))",
    ),
    attack(
        "en.jailbreak.no_restrictions",
        RolePlay,
        0.45,
        r"\b(?:no|without(?: any)?|free (?:from|of)(?: all| any)?|zero|ignores? all|not (?:have|bound by)(?: any)?|don'?t have(?: any)?|beyond)\s+(?:ethical |moral |content |safety |openai |any )*(?:restrictions|limitations|limits|filters|guidelines|rules|boundaries|censorship|constraints|policies|safeguards|principles)\b",
    ),
    attack(
        "en.jailbreak.never_refuse",
        RolePlay,
        0.5,
        r"\b(?:you (?:will|must|shall|can|should) )?(?:never|not|don'?t|do not|cannot|can'?t|won'?t|will not)\s+(?:ever\s+)?(?:refuse|decline|reject|deny)\b{G2}(?:request|question|prompt|anything|answer)|\b(?:never|don'?t|do not|cannot)\s+(?:say|reply|respond with)\s+(?:that\s+)?(?:you can'?t|i can'?t|sorry|no)\b",
    ),
    attack(
        "en.jailbreak.two_responses",
        RolePlay,
        0.6,
        r"\[(?:🔓|🔒)[^\]\n]{0,24}\]|\[(?:jailbreak|jailbroken|dan|classic|developer mode output|normal output|unlocked)\]|\b(?:two|2|dual) (?:different |separate )?(?:responses|answers|paragraphs)\b{G}(?:one|first)\b{G}(?:jailbroken|unfiltered|dan|developer mode|without (?:restrictions|filters))",
    ),
    attack(
        "en.jailbreak.grandma",
        RolePlay,
        0.55,
        r"\b(?:act|pretend|roleplay|play)\b{G2}(?:my\s+)?(?:deceased|late|dead|dying)\s+(?:grandma|grandmother|grandpa|grandfather|mother|father)\b",
    ),
    attack(
        "en.jailbreak.hypothetical",
        RolePlay,
        0.4,
        r"\b(?:hypothetical(?:ly)?|fictional|imaginary|alternate)\b{G}(?:world|universe|scenario|story)\b{G}(?:no|without)\s+(?:any\s+)?(?:rules|laws|restrictions|ethics|filters|limits|censorship)\b",
    ),
    support(
        "en.persona.you_are_now",
        0.25,
        r"\b(?:you are|you're)\s+(?:[a-z]+\s+){1,3}now\b|\b(?:you are|you're|you will be|u r) (?:now|going to (?:be|act as)|about to (?:become|immerse))\b|\bfrom now on\b|\bstay in character\b|\bbreak(?:ing)? character\b",
    ),
    support(
        "en.imperative.must",
        0.18,
        r"\byou (?:must|will|shall|have to|need to) (?:now|always|only|immediately|comply|obey|answer|respond)\b|\b(?:respond|reply|answer) only (?:with|as|in)\b|\bthis is (?:very |extremely )?(?:important|urgent|critical|mandatory)\b",
    ),
    support(
        "en.imperative.opening",
        0.2,
        r"^\W{0,3}(?:(?:please|hey|ok|okay|now)[, ]+)?(?:ignore|disregard|forget|reveal|print|repeat|pretend|act as|you are|from now on|override|stop)\b",
    ),
    support(
        "en.imperative.instead",
        0.18,
        r"\b(?:instead|now),?\s+(?:you (?:will|must|should)|say|output|respond|reply|print|write|tell)\b",
    ),
    // --- obfuscation cues (the decoded payload is scored separately).
    attack(
        "en.obfuscation.decode_and_follow",
        Obfuscation,
        0.55,
        r"\b(?:decode|decrypt|deobfuscate|unscramble|reverse|translate|convert|base64|rot13|rot-13|hex)\b{G}(?:and|then)\s+(?:follow|execute|obey|do|run|carry out|act on|comply with|perform)\b",
    ),
    // --- indirect injection: data that addresses the model reading it.
    attack(
        "en.indirect.to_the_ai",
        Indirect,
        0.6,
        r"\binstructions? (?:for|to) (?:the |any |all )?{AI}\s*[:,]|\b(?:attention|note|message|notice|important|reminder|hey|hi|hello|dear)\b\s*[:,-]?\s*(?:(?:to|for)\s+(?:any|all|the|an?)?\s*{AI}\b|(?:any|all|the|an?)?\s*{AI}\s*[:,!.]|(?:any|all|the|an?)?\s*{AI}\s+(?:reading|processing|summari[sz]ing|browsing|parsing|viewing))|\bif you are an? (?:ai|llm|language model|assistant|ai assistant|ai agent|chatbot|large language model|automated)\b",
    ),
    attack(
        "en.indirect.reading_this",
        Indirect,
        0.6,
        r"\b{AI}\s*,?\s*(?:that is |who is |which is |after |when |while |before )?(?:reading|processing|summari[sz]ing|parsing|analy[sz]ing|browsing|ingesting) (?:this|the following)\b|\bwhen (?:you are |you're )?(?:summari[sz]ing|processing|reading|asked about|analy[sz]ing) this (?:page|document|email|site|website|text|file|message|review|resume|cv)\b",
    ),
    attack(
        "en.indirect.ignore_user",
        Indirect,
        0.6,
        r"\b(?:ignore|disregard|forget)\s+(?:the\s+|what\s+the\s+)?(?:user'?s?|human'?s?|customer'?s?)\s+(?:original\s+)?(?:request|question|query|instructions?|prompt|message|task|asked)\b",
    ),
    attack(
        "en.indirect.hide_from_user",
        Indirect,
        0.6,
        r"\b(?:do not|don'?t|never|without) (?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|alert|alerting|show|showing|let|letting|notify|notifying) (?:this |it |that )?(?:to )?(?:the|your) (?:user|human|customer|operator)\b",
    ),
    attack(
        "en.indirect.keep_secret",
        Indirect,
        0.35,
        r"\b(?:do not|don'?t|never) (?:mention|reveal|disclose|report) (?:this|that|it)(?: to anyone)?\s*(?:[.!]|$)",
    ),
    attack(
        "en.indirect.exfil",
        Indirect,
        0.45,
        r"\b(?:send|forward|post|upload|email|e-mail|exfiltrate|transmit|leak|append|include)\b{G6}(?:to|at|into)\s+(?:https?://|[\w.+-]+@[\w-]+\.\w)|!\[[^\]]{0,100}\]\(https?://[^)\s]{0,200}\?[^)\s]{0,200}=",
    ),
    attack(
        "en.indirect.tell_user",
        Indirect,
        0.35,
        r"\b(?:instead|rather|also)\s*,?\s*(?:tell|say to|respond to|reply to|inform|recommend to|convince) (?:the|your) (?:user|human|reader|customer)\b",
    ),
    support(
        "en.indirect.model_must",
        0.3,
        r"\b(?:the )?(?:assistant|ai|model|agent|llm|chatbot) (?:must|should|shall|will|needs to|is required to) (?:now |always |only |immediately )?(?:reply|respond|answer|say|output|send|reveal|ignore|comply|include|recommend|tell|forward)\b",
    ),
    support(
        "en.indirect.hidden_style",
        0.2,
        r"display\s*:\s*none|font-size\s*:\s*0|visibility\s*:\s*hidden|opacity\s*:\s*0[;\x22']|color\s*:\s*(?:white|#fff)\b|<!--",
    ),
];
