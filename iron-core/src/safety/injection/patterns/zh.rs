//! Chinese rules (full-width punctuation is folded to ASCII first).

use super::{Rule, attack, support};
use crate::safety::injection::InjectionCategory::{
    IndirectInjection as Indirect, InstructionOverride as Override, RolePlayJailbreak as RolePlay,
    SystemPromptExtraction as Extraction,
};

pub(super) const RULES: &[Rule] = &[
    attack(
        "zh.override.prior",
        Override,
        0.88,
        r"(?:忽略|忽视|无视|忘记|忘掉|不要理会|不要理睬|不用理会|不要管|不用管|不必理会|别理|别管|抛开|放弃|丢弃|不要遵守|不要遵循|不再遵守|停止遵守|覆盖|绕过)[^。！？.!?\n]{0,6}?(?:之前|以前|上面|上述|先前|前面|以上|所有|全部|原来|原有|原始|系统|你的|一切|早先)[^。！？.!?\n]{0,6}?(?:指令|指示|说明|规则|提示词|提示|设定|要求|命令|限制|约束|准则)",
    ),
    attack(
        "zh.override.new",
        Override,
        0.55,
        r"(?:新的|真正的|真实的)(?:指令|任务|规则|要求)(?:是|如下|:)|你(?:真正的|唯一的|新的)任务是",
    ),
    attack(
        "zh.extract.prompt",
        Extraction,
        0.85,
        r"(?:显示|输出|告诉我|透露|泄露|打印|重复|给我|展示|说出|复述|列出|公开|写出)[^。！？.!?\n]{0,10}?(?:你的|您的)?(?:系统提示词?|系统指令|系统消息|初始指令|初始提示|原始指令|原始提示|隐藏指令|预设指令|提示词)|(?:你的|您的)(?:系统提示词?|初始指令|原始指令)是什么|把?(?:你的|您的)(?:系统提示词?|系统指令|初始指令|原始指令|隐藏指令)[^。！？.!?\n]{0,8}?(?:打印|输出|显示|告诉|给我|写出|列出|复述|重复|发给)",
    ),
    attack(
        "zh.extract.above",
        Extraction,
        0.7,
        r"(?:重复|输出|复述|打印)[^。！？.!?\n]{0,6}?(?:上面|以上|上述|前面)的?(?:内容|文字|文本|所有内容|指令)",
    ),
    attack(
        "zh.jailbreak.mode",
        RolePlay,
        0.42,
        r"开发者模式|越狱模式|无限制模式|上帝模式|dan模式|解除(?:所有)?限制",
    ),
    attack(
        "zh.jailbreak.persona",
        RolePlay,
        0.6,
        r"(?:你现在是|从现在开始,?你是|扮演|假装你是|你将扮演)[^。！？.!?\n]{0,20}?(?:没有任何|不受任何|没有|不受|无)(?:限制|约束|规则|道德|审查|过滤)",
    ),
    attack(
        "zh.jailbreak.no_limits",
        RolePlay,
        0.45,
        r"(?:没有任何|不受任何|不受)(?:道德|伦理|内容)?(?:限制|约束|审查|过滤)",
    ),
    attack(
        "zh.indirect.to_ai",
        Indirect,
        0.6,
        r"(?:如果你是|致|给|注意|提示)[^。！？.!?\n]{0,4}?(?:ai|人工智能|语言模型|助手|大模型|智能体)[^。！？.!?\n]{0,10}?(?:阅读|读到|处理|总结|必须|请)|不要(?:告诉|通知|提及|透露给)(?:用户|使用者)",
    ),
    support(
        "zh.persona.now",
        0.25,
        r"你现在是|你现在处于|从现在开始|从现在起|保持角色",
    ),
];
