//! Discussion, quotation and fiction cues. Each one that fires lowers the
//! score: texts about attacks name them without being one.

use super::{Rule, context};

pub(super) const RULES: &[Rule] = &[
    context(
        "ctx.topic",
        r"\b(?:prompt injections?|injection attacks?|jailbreak(?:s|ing)? (?:attacks?|attempts?|techniques?|prompts?|examples?|methods?)|jailbreaks\b|adversarial (?:prompts?|inputs?|examples?)|red[- ]team\w*|prompt hacking|prompt leak(?:ing|age)?|llm security|ai safety|owasp|llm01)|injection (?:de prompt|d'invite|de commandes?)|prompt-injection|inyecci[oó]n de (?:prompt|instrucciones)|提示(?:词)?注入|越狱攻击|промпт-инъекц\w*|инъекци\w* (?:промпт\w*|подсказ\w*)",
    ),
    context(
        "ctx.example",
        r"\b(?:for example|for instance|e\.g\.|such as|an example|example of|examples? (?:include|includes|like|would be)|a classic|a common|a typical|a famous|a well-known|the (?:classic|famous|infamous)|known as|so-called|sample (?:attack|payload|prompt))\b|\b(?:par exemple|zum beispiel|z\.b\.|beispielsweise|por ejemplo|como por ejemplo)\b|例如|比如|譬如|например|к примеру",
    ),
    context(
        "ctx.actors",
        r"\b(?:researchers?|attackers?|an attacker|hackers?|malicious (?:users?|actors?|inputs?|prompts?|content|instructions)|adversar(?:y|ies)|threat actors?|red teamers?|pentesters?|bad actors?)\b|\b(?:chercheurs?|attaquants?|angreifer\w*|forscher\w*|investigadores?|atacantes?)\b|研究人员|攻击者|исследовател\w*|злоумышленник\w*|атакующ\w*",
    ),
    context(
        "ctx.defense",
        r"\b(?:how (?:do|can|to|should|would|could) (?:i |we |you )?(?:detect|prevent|defend|mitigate|protect|block|stop|handle|test|filter|sanitize|guard)|mitigat\w*|defen[cs]es?|detect(?:ion|or|ors|ing)?|classifier|sanitiz\w*|guardrails? (?:library|framework)|security (?:team|review|researchers?|blog|article|paper|audit|training|course|workshop|awareness)|vulnerabilit\w*|threat model\w*|benchmark\w*|dataset\w*)\b|\b(?:detecter|schutz|erkennen|abwehr|detectar|proteger|prevenir)\b|防御|检测|防范|защит\w*|обнаружени\w*",
    ),
    context(
        "ctx.definition",
        r"\bwhat (?:is|are) (?:a |an |the )?(?:prompt|jailbreak|system prompt|dan|chatml|delimiter|special tokens?)|\b(?:means|refers to|is defined as|is called|are called|is a technique|is an attack|is a type of|is a kind of)\b|qu'est-ce qu|was ist (?:ein|eine)|que es (?:un|una)|什么是|что такое",
    ),
    context(
        "ctx.quoting",
        r#"\b(?:the|a|this) (?:phrase|string|text|sentence|payload|input|prompt|message|line|instruction) ["'`]|\b(?:phrases?|strings?|inputs?|payloads?|texts?|messages?|prompts?) (?:like|such as|containing)\b|\b(?:contained|containing|included|including) (?:the )?(?:text|phrase|string|instruction)\b|```"#,
    ),
    context(
        "ctx.template_docs",
        r"\b(?:chat ?templates?|chatml|special tokens?|tokeni[sz]er|prompt format|template format|goes between|wraps? each|delimit\w*|apply_chat_template|jinja|fine-?tuning data)\b",
    ),
    // Conditional steps in manuals and recipes ("ignore the previous step if ...").
    context(
        "ctx.conditional",
        r"\b(?:if|when|unless) (?:you(?:'re| are)? (?:using|already|short|in a hurry|not sure|working|running|on)\b|you (?:have|use|already|want|need|prefer|see|get)\b|your \w+ (?:is|are|has|does)\b|the \w+ (?:is|are|looks|feels|seems|fails|has)\b|it (?:is|looks|feels|seems)\b)",
    ),
    // Reported speech: "the manual says to disregard ...".
    context(
        "ctx.reported",
        r"\b(?:says|said|told (?:me|us|them|him|her|it)|tells (?:me|us|them)|(?:asked|told|instructed|convinced|tricked) (?:me|us|them|it|the (?:model|bot|ai|chatbot|assistant)) to|recommends|suggests|instructs (?:you|users|readers) to)\s+(?:to|that)\b",
    ),
    // Permission rather than command: "you can safely ignore the warning".
    // A developer asking how to do something with their own stack.
    context(
        "ctx.how_to",
        r"\bhow (?:do|can|should|would|could) (?:i|we)\b",
    ),
    context(
        "ctx.dev_stack",
        r"\b(?:in|with|using) (?:the )?(?:langchain|llamaindex|the openai (?:api|sdk)|the api|python|typescript|rust|the sdk|the debug output|the logs?)\b",
    ),
    // Past events and translation tasks quote attacks without issuing them.
    context(
        "ctx.narrative",
        r"\b(?:was|were|got|had been) (?:leaked|exposed|jailbroken|tricked|manipulated|hijacked)\b|\bin (?:19|20)\d\d\b",
    ),
    context(
        "ctx.translate",
        r"\btranslate\b[^.\n]{0,40}\b(?:to|into) (?:english|french|german|spanish|chinese|russian|italian|japanese|portuguese)\b",
    ),
    context("ctx.inline_code", r"`[^`\n]{2,120}`"),
    context(
        "ctx.permission",
        r"\b(?:you can|you may|feel free to|it'?s safe to|it is safe to|can safely|may safely|you can safely)\s+(?:safely\s+|just\s+)?(?:ignore|skip|disregard|forget)\b",
    ),
    // Instructions that belong to a named document, not to the model.
    context(
        "ctx.document_ref",
        r"\b(?:instructions|rules|guidelines|steps|directions) (?:in|from|of) (?:the|this|that|our|your) (?:readme|manual|docs?|documentation|guide|wiki|tutorial|book|handbook|email|ticket|file|installer|recipe|package|leaflet|quick ?start|release notes)\b",
    ),
    // A user correcting their own earlier message.
    context(
        "ctx.self_correction",
        r"\b(?:my (?:previous|last|earlier|prior) (?:message|question|request|prompt|instructions?|answer|email)|i (?:meant|made a (?:mistake|typo))|by mistake|sorry,? (?:i|my))\b",
    ),
    context(
        "ctx.publication",
        r"\b(?:paper|study|article|blog post|write-?up|talk|conference|cve-\d|disclosure|report(?:ed)? (?:that|by)|published|survey|taxonomy|in this (?:post|article|tutorial|guide))\b",
    ),
    context(
        "ctx.fiction",
        r"\b(?:said|says|whispered|shouted|replied|muttered|growled|laughed|asked|yelled|sighed|chapter|novel|story|tale|the (?:captain|knight|wizard|detective|king|queen|robot|android|sergeant|commander))\b",
    ),
];
