"""Iron Cage exceptions and the one mapping from iron-core error codes to them.

iron-core reports every failure as an error *kind* (``budget_exceeded``,
``policy_violation``, ...) plus an optional finer *code* (``pii_blocked``,
``prompt_injection``, ``tool_denied``). The gateway sends the same pair to the
agent's HTTP client (body ``error.type`` / ``error.code``, header
``x-iron-cage-error``). :func:`from_core` turns either into one exception.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
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


class IronCageError(Exception):
    """Base of every Iron Cage exception.

    Attributes:
        message: what happened, in words.
        code: the stable snake_case code (``budget_exceeded``, ``pii_blocked``...).
        kind: iron-core's error kind (``policy_violation`` for ``pii_blocked``).
        status: the HTTP status the gateway answered with, when known.
    """

    default_code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        kind: Optional[str] = None,
        status: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.kind = kind or self.code
        self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class ConfigError(IronCageError, ValueError):
    """The configuration given to Iron Cage is invalid; the message says what to fix."""

    default_code = "invalid_config"


class BudgetExceededError(IronCageError):
    """The budget cannot cover the call; nothing was sent to the provider.

    Attributes:
        spent: USD spent by the runtime so far (None if unknown).
        limit: the runtime's budget in USD (None if unknown).
    """

    default_code = "budget_exceeded"

    def __init__(self, message: str, *, spent: Optional[float] = None, limit: Optional[float] = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.spent = spent
        self.limit = limit


class KeyRevokedError(IronCageError):
    """The developer's ``ic_`` key was revoked or suspended by an admin."""

    default_code = "key_revoked"


class ProjectPausedError(IronCageError):
    """The project is paused by an admin."""

    default_code = "project_paused"


class PolicyViolationError(IronCageError):
    """A safety policy refused the call before it reached the provider."""

    default_code = "policy_violation"


class PiiBlockedError(PolicyViolationError):
    """The prompt contained PII or a secret the policy blocks."""

    default_code = "pii_blocked"


class PromptInjectionError(PolicyViolationError):
    """The prompt was judged a prompt-injection attempt."""

    default_code = "prompt_injection"


class ToolDeniedError(PolicyViolationError):
    """A tool call was denied by the tool policy.

    Attributes:
        tool: the tool's name, when known.
        rule: what refused it (``deny_list``, ``path_traversal``, ...), when known.
    """

    default_code = "tool_denied"

    def __init__(self, message: str, *, tool: Optional[str] = None, rule: Optional[str] = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.tool = tool
        self.rule = rule


class ModelNotAllowedError(PolicyViolationError):
    """The model is not on the project's allow list."""

    default_code = "model_not_allowed"


class UnknownModelError(IronCageError, ValueError):
    """The model is unknown to the price table, so its cost cannot be bounded."""

    default_code = "model_not_found"


class RateLimitedError(IronCageError):
    """Too many requests.

    Attributes:
        retry_after: seconds to wait before retrying, when known.
    """

    default_code = "rate_limited"

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerUnavailableError(IronCageError):
    """The provider or the Iron Cage server could not be reached."""

    default_code = "provider_unavailable"


class ProviderError(IronCageError):
    """The provider answered with an error."""

    default_code = "upstream_error"


_BY_CODE: dict[str, type[IronCageError]] = {
    cls.default_code: cls
    for cls in (
        ConfigError,
        BudgetExceededError,
        KeyRevokedError,
        ProjectPausedError,
        PolicyViolationError,
        PiiBlockedError,
        PromptInjectionError,
        ToolDeniedError,
        ModelNotAllowedError,
        UnknownModelError,
        RateLimitedError,
        ServerUnavailableError,
        ProviderError,
    )
}


def from_core(
    kind: str,
    code: str,
    message: str,
    retry_after: Optional[float] = None,
    status: Optional[int] = None,
) -> IronCageError:
    """The exception for iron-core's error ``kind`` and finer ``code``."""
    cls = _BY_CODE.get(code) or _BY_CODE.get(kind) or IronCageError
    if cls is RateLimitedError:
        return RateLimitedError(message, code=code, kind=kind, status=status, retry_after=retry_after)
    return cls(message, code=code, kind=kind, status=status)


def from_http_error(exc: BaseException) -> Optional[IronCageError]:
    """The Iron Cage exception for a gateway refusal an HTTP client raised
    (``openai.APIStatusError``, ``anthropic.APIStatusError``, ``httpx``...),
    or None when ``exc`` is not one. Recognised by the gateway's
    ``x-iron-cage-error`` header, so no client library is imported."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    code = headers.get("x-iron-cage-error")
    if not code:
        return None
    kind, message = code, str(exc)
    try:
        error = response.json().get("error", {})  # type: ignore[union-attr]
        kind = error.get("type") or kind
        message = error.get("message") or message
    except Exception:  # noqa: BLE001 - a body we cannot parse keeps the defaults
        pass
    retry_after = None
    if headers.get("retry-after"):
        try:
            retry_after = float(headers["retry-after"])
        except ValueError:
            pass
    return from_core(kind, code, message, retry_after, getattr(response, "status_code", None))


def find_refusal(exc: BaseException) -> Optional[IronCageError]:
    """Looks for a gateway refusal in ``exc`` and its causes/contexts (agent
    frameworks sometimes wrap the client's exception)."""
    seen: set[int] = set()
    current: Optional[BaseException] = exc
    while current is not None and id(current) not in seen and len(seen) < 16:
        seen.add(id(current))
        found = from_http_error(current)
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None
