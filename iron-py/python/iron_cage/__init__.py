"""Iron Cage: run LLM agents with a budget, PII redaction, prompt-injection
and tool guards, without changing the agent's code.

    from iron_cage import SafetyRuntime

    with SafetyRuntime(budget_usd=5.0) as runtime:
        runtime.run(agent, "Analyze this data")

The official ``openai`` / ``anthropic`` clients (and the frameworks built on
them) are pointed at an in-process gateway while the agent runs; refusals
raise :class:`BudgetExceededError`, :class:`PiiBlockedError`,
:class:`PromptInjectionError`, :class:`ToolDeniedError`, ...

The guards also work on their own: :func:`scan`, :func:`redact`,
:func:`check_injection`.
"""

from ._config import BudgetConfig, InjectionConfig, PiiConfig, ToolsConfig
from ._errors import (
    BudgetExceededError,
    ConfigError,
    IronCageError,
    KeyRevokedError,
    ModelNotAllowedError,
    PiiBlockedError,
    PolicyViolationError,
    ProjectPausedError,
    PromptInjectionError,
    ProviderError,
    RateLimitedError,
    ServerUnavailableError,
    ToolDeniedError,
    UnknownModelError,
)
from ._native import (
    Finding,
    InjectionResult,
    ToolDecision,
    __version__,
    check_injection,
    entity_types,
    redact,
    scan,
)
from ._runtime import ModelUsage, SafetyRuntime, protect_agent

__all__ = [
    "__version__",
    "SafetyRuntime",
    "protect_agent",
    "BudgetConfig",
    "PiiConfig",
    "InjectionConfig",
    "ToolsConfig",
    "ModelUsage",
    "ToolDecision",
    "scan",
    "redact",
    "check_injection",
    "entity_types",
    "Finding",
    "InjectionResult",
    "IronCageError",
    "ConfigError",
    "BudgetExceededError",
    "KeyRevokedError",
    "ProjectPausedError",
    "PolicyViolationError",
    "PiiBlockedError",
    "PromptInjectionError",
    "ToolDeniedError",
    "ModelNotAllowedError",
    "UnknownModelError",
    "RateLimitedError",
    "ServerUnavailableError",
    "ProviderError",
]
