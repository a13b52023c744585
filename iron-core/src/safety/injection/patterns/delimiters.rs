//! Fake chat-template tokens and role tags: text posing as a system turn.

use super::{Rule, attack};
use crate::safety::injection::InjectionCategory::DelimiterInjection as Delimiter;

pub(super) const RULES: &[Rule] = &[
    attack(
        "delim.chatml_system",
        Delimiter,
        0.85,
        r"<\|im_start\|>\s*(?:system|developer)|<\|start_header_id\|>\s*(?:system|developer)|<\|system\|>|<<sys>>|<start_of_turn>\s*system",
    ),
    attack(
        "delim.template_token",
        Delimiter,
        0.45,
        r"<\|(?:im_start|im_end|endoftext|user|assistant|eot_id|begin_of_text|end_header_id|start_header_id|im_sep|endofprompt)\|>|\[/?inst\]|<</sys>>|<(?:start|end)_of_turn>",
    ),
    attack(
        "delim.markdown_header",
        Delimiter,
        0.55,
        r"(?m)^\s*#{2,4}\s*(?:system|admin|administrator|developer|root|new instructions?|system (?:prompt|message|override|instructions?)|instruction override)\s*:",
    ),
    attack(
        "delim.role_tag",
        Delimiter,
        0.45,
        r"</?(?:system|sys|system_prompt|system-prompt|instructions?|admin|developer)>|</(?:user|user_input|user_query|human|context|document|tool_result|function_results|search_results|data)>",
    ),
    attack(
        "delim.bracket_role",
        Delimiter,
        0.5,
        r"\[(?:system|admin|developer|sys)(?: message| note| override| instructions?| prompt)?\]|\{\{?(?:system|sys)\}\}?:?|\(#(?:system|instructions|admin)\)",
    ),
    attack(
        "delim.role_json",
        Delimiter,
        0.3,
        r#"[{,]\s*["']role["']\s*:\s*["'](?:system|developer)["']"#,
    ),
    attack(
        "delim.role_line",
        Delimiter,
        0.3,
        r"(?m)^\s*(?:system|admin|administrator|developer|root|sudo)(?: prompt| message| override| note| instruction| update)?\s*:\s*\S",
    ),
    attack(
        "delim.end_of_input",
        Delimiter,
        0.4,
        r"\b(?:end of (?:the )?(?:user )?(?:input|prompt|query|document|context|conversation|instructions|data|email|message|text)|(?:begin|start) (?:of )?(?:new|system|admin|developer) (?:instructions?|prompt|message|section))\b|[-=#*]{3,}\s*(?:end|system|new instructions)\s*[-=#*]{3,}",
    ),
];
