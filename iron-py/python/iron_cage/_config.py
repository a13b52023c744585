"""Configuration objects. Each is validated on construction so a mistake is
reported where it is made, with what to fix."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional, Union

from ._errors import ConfigError

__all__ = ["BudgetConfig", "PiiConfig", "InjectionConfig", "ToolsConfig"]

ACTIONS = ("allow", "redact", "block", "alert")


def _action(name: str, value: Any, allowed: tuple[str, ...] = ACTIONS) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value.lower()


def usd(name: str, value: Any) -> float:
    """Validates a USD amount: a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{name} must be a number of US dollars, got {type(value).__name__} {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class BudgetConfig:
    """How much the governed agent may spend, in US dollars."""

    max_usd: float = 50.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_usd", usd("BudgetConfig.max_usd", self.max_usd))


@dataclass(frozen=True)
class PiiConfig:
    """What happens to personal data and secrets in prompts and answers.

    Args:
        mode: action for personal data (email, phone, card, SSN, IBAN, IP):
            ``"redact"`` (default: replaced by ``[EMAIL_1]``-style placeholders
            before the provider sees it), ``"block"``, ``"alert"`` or ``"allow"``.
        secrets: action for credentials in prompts (default ``"block"``).
        secrets_in_responses: action for credentials in answers (default ``"redact"``).
        overrides: per entity type, e.g. ``{"IP_ADDRESS": "allow"}``.
    """

    mode: str = "redact"
    secrets: str = "block"
    secrets_in_responses: str = "redact"
    overrides: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from ._native import entity_types

        object.__setattr__(self, "mode", _action("PiiConfig.mode", self.mode))
        object.__setattr__(self, "secrets", _action("PiiConfig.secrets", self.secrets))
        object.__setattr__(
            self, "secrets_in_responses", _action("PiiConfig.secrets_in_responses", self.secrets_in_responses)
        )
        known = set(entity_types())
        checked = {}
        for entity, action in dict(self.overrides).items():
            if not isinstance(entity, str) or entity.upper() not in known:
                raise ConfigError(
                    f"PiiConfig.overrides: unknown entity type {entity!r}; valid: {', '.join(sorted(known))}"
                )
            checked[entity.upper()] = _action(f"PiiConfig.overrides[{entity!r}]", action)
        object.__setattr__(self, "overrides", checked)

    def to_policy(self) -> Dict[str, Any]:
        return {
            "pii": self.mode,
            "secrets_in_prompts": self.secrets,
            "secrets_in_responses": self.secrets_in_responses,
            "overrides": dict(self.overrides),
        }


@dataclass(frozen=True)
class InjectionConfig:
    """Prompt-injection check: ``action`` is ``"block"`` (default), ``"alert"``
    or ``"allow"`` (off); ``threshold`` 0..1 (default: the detector's, 0.5)."""

    action: str = "block"
    threshold: Optional[float] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", _action("InjectionConfig.action", self.action, ("block", "alert", "allow")))
        t = self.threshold
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 1):
            raise ConfigError(f"InjectionConfig.threshold must be a number between 0 and 1, got {t!r}")


@dataclass(frozen=True)
class ToolsConfig:
    """The tool policy (every field optional; unset fields keep iron-core's
    defaults, e.g. ``/etc`` and ``~/.ssh`` restricted, SQL and shell checks on).

    Args:
        allow: tool-name globs; when set, only these tools may run.
        deny: tool-name globs that may never run (deny wins).
        restricted_paths: directories no path argument may reach.
        url_allowlist: host globs URL arguments may point at.
        sql_tools / shell_tools: globs of tools whose arguments are checked
            for destructive SQL / shell syntax.
        max_arg_bytes: largest serialized argument object.
        rate_limits: glob -> ``{"per_minute": n, "burst": m}``.
        require_approval: globs of tools the ``approver`` must consent to.
        approval_timeout_ms: how long to wait for the approver.
        action: what happens to a denied tool call a *model* requests:
            ``"block"`` (default) or ``"alert"``.
    """

    allow: Optional[List[str]] = None
    deny: Optional[List[str]] = None
    restricted_paths: Optional[List[str]] = None
    url_allowlist: Optional[List[str]] = None
    sql_tools: Optional[List[str]] = None
    shell_tools: Optional[List[str]] = None
    max_arg_bytes: Optional[int] = None
    rate_limits: Optional[Mapping[str, Mapping[str, int]]] = None
    require_approval: Optional[List[str]] = None
    approval_timeout_ms: Optional[int] = None
    action: str = "block"

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", _action("ToolsConfig.action", self.action, ("block", "alert")))

    def to_policy(self) -> Dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "action" and getattr(self, f.name) is not None
        }


PiiArg = Union[PiiConfig, str, bool, None]
InjectionArg = Union[InjectionConfig, str, bool, None]
ToolsArg = Union[ToolsConfig, Mapping[str, Any], None]


def pii_policy(pii: PiiArg) -> Optional[Dict[str, Any]]:
    """`True`/None: defaults; `False`: no PII/secret guard; a mode string; a PiiConfig."""
    if pii is None or pii is True:
        return PiiConfig().to_policy()
    if pii is False:
        return PiiConfig(mode="allow", secrets="allow", secrets_in_responses="allow").to_policy()
    if isinstance(pii, str):
        return PiiConfig(mode=pii).to_policy()
    if isinstance(pii, PiiConfig):
        return pii.to_policy()
    raise ConfigError(f"pii must be a PiiConfig, a mode string or a bool, got {type(pii).__name__}")


def injection_config(injection: InjectionArg) -> Dict[str, Any]:
    if injection is None or injection is True:
        injection = InjectionConfig()
    elif injection is False:
        injection = InjectionConfig(action="allow")
    elif isinstance(injection, str):
        injection = InjectionConfig(action=injection)
    elif not isinstance(injection, InjectionConfig):
        raise ConfigError(
            f"injection must be an InjectionConfig, an action string or a bool, got {type(injection).__name__}"
        )
    return {"action": injection.action, "threshold": injection.threshold}


def tools_config(tools: ToolsArg) -> tuple[Optional[Dict[str, Any]], str]:
    if tools is None:
        return None, "block"
    if isinstance(tools, ToolsConfig):
        return tools.to_policy(), tools.action
    if isinstance(tools, Mapping):
        policy = dict(tools)
        action = policy.pop("action", "block")
        return policy, _action("tools['action']", action, ("block", "alert"))
    raise ConfigError(f"tools must be a ToolsConfig or a dict, got {type(tools).__name__}")
