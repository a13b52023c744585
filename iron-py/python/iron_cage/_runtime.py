"""``SafetyRuntime`` and ``@protect_agent``: run an agent under Iron Cage."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import inspect
import json
import os
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, TypeVar, Union, cast

from . import _env
from ._config import (
    BudgetConfig,
    InjectionArg,
    PiiArg,
    ToolsArg,
    injection_config,
    pii_policy,
    tools_config,
    usd,
)
from ._errors import (
    BudgetExceededError,
    ConfigError,
    IronCageError,
    KeyRevokedError,
    ProjectPausedError,
    ToolDeniedError,
    find_refusal,
)
from ._native import Runtime as _NativeRuntime
from ._native import ToolDecision

__all__ = ["SafetyRuntime", "ModelUsage", "protect_agent"]

F = TypeVar("F", bound=Callable[..., Any])
_MISSING: Any = object()
_MICROS = 1_000_000
_DEFAULT_BUDGET_USD = 50.0

#: Runtimes still open, closed at interpreter exit.
_live: "weakref.WeakSet[SafetyRuntime]" = weakref.WeakSet()
#: Native runtimes inherited by a forked child: never used nor dropped there
#: (their Tokio threads exist only in the parent).
_orphans: List[Any] = []


@dataclass(frozen=True)
class ModelUsage:
    """What one model consumed through a runtime."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float


class SafetyRuntime:
    """Governs LLM agents: a loopback gateway (started here, on Iron Cage's
    own threads) that every official OpenAI / Anthropic client is pointed at
    while the agent runs, with the budget reserved before each call, PII
    redacted, prompt injection and denied tools refused.

    Local mode (the default) holds the budget and the provider keys in this
    process. Remote mode starts when ``ic_key`` is given, or else when the
    ``IC_KEY`` environment variable is set: the runtime opens a session with
    iron-server (``server_url``, else ``IRON_SERVER_URL``) and the budget
    (leased from the server), the provider keys and the server's policy come
    from there. A key the server refuses or a server that cannot be reached
    raises here, at start (fail closed). When the admin revokes the key or
    pauses the project, the agent's next call raises
    :class:`KeyRevokedError` / :class:`ProjectPausedError` without reaching
    the provider.

    Args:
        budget_usd: the budget in US dollars (local mode; default 50.0).
            Remote mode takes the budget from the server, so giving both is a
            :class:`ConfigError`.
        ic_key: an ``ic_…`` developer key issued by iron-server: remote mode.
        server_url: iron-server's URL for remote mode (default:
            ``IRON_SERVER_URL``).
        pii: a :class:`PiiConfig`, a mode string (``"redact"``, ``"block"``,
            ``"alert"``, ``"allow"``), or False to turn PII/secret checks off.
        injection: an :class:`InjectionConfig`, an action string, or False.
        tools: a :class:`ToolsConfig` or a dict with the same fields.
        export_real_keys: put the real provider keys (instead of the
            placeholder) into ``OPENAI_API_KEY`` / ``ANTHROPIC_API_KEY`` while
            the agent runs, for tools that insist on a real key; the gateway
            accepts them too, so the official clients stay governed. They are
            removed (the previous values restored) when the run ends.
        allowed_models: model globs that may be called (default: any priced model).
        approver: ``approver(tool, args) -> bool`` for tools in ``require_approval``.
        upstreams: ``{"openai": url, "anthropic": url}``: OpenAI-compatible
            servers to forward to (default: the public APIs, or
            ``IRON_OPENAI_UPSTREAM_URL`` / ``IRON_ANTHROPIC_UPSTREAM_URL``).
        provider_keys: ``{"openai": key, ...}``; default: ``OPENAI_API_KEY`` /
            ``ANTHROPIC_API_KEY`` from the environment, read once here.
        guards: False turns every safety guard off (budget still applies).
        event_log: append every event as a JSON line to this file.

    The gateway starts here; :meth:`close` (or leaving a ``with`` block)
    stops it and settles the budget. Create runtimes after ``os.fork()``:
    one made before it cannot be used in the child.
    """

    def __init__(
        self,
        budget_usd: Optional[float] = None,
        *,
        ic_key: Optional[str] = None,
        server_url: Optional[str] = None,
        pii: PiiArg = True,
        injection: InjectionArg = True,
        tools: ToolsArg = None,
        export_real_keys: bool = False,
        allowed_models: Optional[List[str]] = None,
        approver: Optional[Callable[[str, Dict[str, Any]], bool]] = None,
        upstreams: Optional[Mapping[str, str]] = None,
        provider_keys: Optional[Mapping[str, str]] = None,
        guards: bool = True,
        event_log: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        remote = _remote_target(ic_key, server_url)
        if remote is not None and budget_usd is not None:
            raise ConfigError(
                "remote mode (ic_key / IC_KEY) takes the budget from iron-server; "
                "do not also pass budget_usd (set the project's budget on the server)"
            )
        self._budget_usd: Optional[float] = (
            None if remote is not None else usd("budget_usd", _DEFAULT_BUDGET_USD if budget_usd is None else budget_usd)
        )
        self._server_url = remote[0] if remote is not None else None
        if approver is not None and not callable(approver):
            raise ConfigError(f"approver must be callable(tool, args) -> bool, got {type(approver).__name__}")
        if allowed_models is not None and (
            isinstance(allowed_models, str) or not all(isinstance(m, str) for m in allowed_models)
        ):
            raise ConfigError("allowed_models must be a list of model-name globs, e.g. ['gpt-4o*']")
        tool_policy, tool_action = tools_config(tools)
        config: Dict[str, Any] = {
            "budget_usd": self._budget_usd,
            "upstreams": dict(upstreams or {}),
            "safety": pii_policy(pii) if guards else None,
            "injection": injection_config(injection),
            "tools": tool_policy,
            "tool_call_action": tool_action,
            "allowed_models": allowed_models,
            "event_log": os.fspath(event_log) if event_log is not None else None,
        }
        self._export_real_keys = bool(export_real_keys)
        self._real_keys = self._read_real_keys(provider_keys) if self._export_real_keys else {}
        self._native = _NativeRuntime(
            json.dumps(config),
            dict(provider_keys) if provider_keys else None,
            approver,
            list(self._real_keys.values()),
            remote,
        )
        self._pid = os.getpid()
        self._final: Optional[Dict[str, int]] = None
        _live.add(self)

    @staticmethod
    def _read_real_keys(provider_keys: Optional[Mapping[str, str]]) -> Dict[str, str]:
        keys = {}
        for provider in ("openai", "anthropic"):
            value = (provider_keys or {}).get(provider) or os.environ.get(f"{provider.upper()}_API_KEY")
            if value and not value.startswith("iron-placeholder-"):
                keys[f"{provider.upper()}_API_KEY"] = value
        return keys

    # -- state ---------------------------------------------------------------

    def _alive(self) -> Any:
        if os.getpid() != self._pid:
            raise IronCageError(
                "this SafetyRuntime was created before os.fork() in the parent process; "
                "create a new SafetyRuntime in the child (see the fork rule in the README)",
                code="invalid_config",
            )
        if self._native.closed:
            raise IronCageError("this SafetyRuntime is shut down (closed); create a new one", code="invalid_config")
        return self._native

    @property
    def gateway_url(self) -> str:
        """``http://127.0.0.1:PORT``: the loopback gateway."""
        return cast(str, self._alive().gateway_url)

    @property
    def budget_usd(self) -> Optional[float]:
        """The budget this runtime was given (None in remote mode: the server holds it)."""
        return self._budget_usd

    @property
    def remote(self) -> bool:
        """Whether this runtime is in remote mode (budget and keys from iron-server)."""
        return self._server_url is not None

    @property
    def server_url(self) -> Optional[str]:
        """iron-server's URL in remote mode, else None."""
        return self._server_url

    @property
    def session_id(self) -> Optional[str]:
        """The server session's id in remote mode, else None."""
        return cast(Optional[str], self._alive().session_id)

    def _books(self) -> Dict[str, int]:
        if self._final is not None:
            return self._final
        return cast(Dict[str, int], self._alive().budget())

    @property
    def spent_usd(self) -> float:
        """USD spent so far (actual cost of finished calls)."""
        return self._books()["spent_micros"] / _MICROS

    @property
    def remaining_usd(self) -> Optional[float]:
        """USD still available for new calls (in-flight reservations
        excluded); None in remote mode, where the server holds the budget."""
        if self._budget_usd is None:
            return None
        if self._final is not None:
            return max(self._budget_usd - self.spent_usd, 0.0)
        micros = self._alive().remaining_micros()
        return (micros if micros is not None else 0) / _MICROS

    def env(self) -> Dict[str, str]:
        """The variables set while an agent runs (placeholder keys, gateway URLs)."""
        values = dict(self._alive().env_vars())
        values.update(self._real_keys)
        return values

    def events(self, kind: Optional[str] = None) -> List[Dict[str, Any]]:
        """Recent events (``llm.call``, ``guardrail.check``, ``tool.invoke``...), oldest first."""
        events = cast(List[Dict[str, Any]], json.loads(self._alive().events_json()))
        return [e for e in events if kind is None or e.get("type") == kind]

    def usage(self) -> Dict[str, ModelUsage]:
        """Per model: calls, tokens and cost of the calls made through this runtime."""
        totals: Dict[str, List[int]] = {}
        for e in self.events("llm.call"):
            t = totals.setdefault(e["model"], [0, 0, 0, 0])
            t[0] += 1
            t[1] += e.get("input_tokens", 0)
            t[2] += e.get("output_tokens", 0)
            t[3] += e.get("cost_micros", 0)
        return {m: ModelUsage(c, i, o, micros / _MICROS) for m, (c, i, o, micros) in totals.items()}

    # -- tools ---------------------------------------------------------------

    def check_tool(self, name: str, args: Optional[Mapping[str, Any]] = None) -> ToolDecision:
        """Checks a tool call against the tool policy (never raises on a
        denial: look at ``.allowed``, ``.rule``, ``.reason``)."""
        if not name or type(name) is not str:
            raise TypeError(f"tool name must be a non-empty str, got {name!r}")
        if self._pid != os.getpid():
            self._alive()  # raises the fork error
        # The native call itself refuses a closed runtime.
        return self._native.check_tool(name, {} if args is None else args)

    def require_tool(self, name: str, args: Optional[Mapping[str, Any]] = None) -> None:
        """Like :meth:`check_tool` but raises :class:`ToolDeniedError` on a denial."""
        decision = self.check_tool(name, args)
        if not decision.allowed:
            raise ToolDeniedError(
                f"tool {name!r} denied ({decision.rule}): {decision.reason}",
                tool=name,
                rule=decision.rule,
            )

    def tool(self, fn: Optional[F] = None, *, name: Optional[str] = None) -> Any:
        """Decorator: checks every call of a Python tool (its bound arguments)
        before it runs; a denied call raises :class:`ToolDeniedError`.

        ``@runtime.tool`` or ``@runtime.tool(name="web_fetch")``."""

        def decorate(f: F) -> F:
            tool_name = name or f.__name__
            signature = inspect.signature(f)

            def arguments(args: Any, kwargs: Any) -> Dict[str, Any]:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                return _jsonable(dict(bound.arguments))

            if inspect.iscoroutinefunction(f):

                @functools.wraps(f)
                async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                    self.require_tool(tool_name, arguments(args, kwargs))
                    return await f(*args, **kwargs)

                return cast(F, async_wrapper)

            @functools.wraps(f)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                self.require_tool(tool_name, arguments(args, kwargs))
                return f(*args, **kwargs)

            return cast(F, wrapper)

        return decorate(fn) if fn is not None else decorate

    # -- running agents ------------------------------------------------------

    @contextlib.contextmanager
    def governed(self) -> Iterator["SafetyRuntime"]:
        """Context in which the official clients go through this runtime:
        the environment points them at the gateway, and a gateway refusal
        the agent's client raised becomes the matching Iron Cage exception
        (the original chained as ``__cause__``). Re-entrant and thread-safe."""
        values = self.env()
        _env.enter(self, values)
        try:
            yield self
        except IronCageError as e:
            self._enrich(e)
            raise
        except Exception as e:
            refusal = find_refusal(e)
            if refusal is None:
                raise
            self._enrich(refusal)
            raise refusal from e
        finally:
            _env.leave(self)

    def _enrich(self, error: IronCageError) -> None:
        if isinstance(error, BudgetExceededError) and error.limit is None:
            error.limit = self._budget_usd
            with contextlib.suppress(IronCageError):
                error.spent = self.spent_usd

    def run(self, agent: Any, task: Any = _MISSING, **kwargs: Any) -> Any:
        """Runs ``agent`` on ``task`` under this runtime and returns its result.

        ``agent`` may be a callable (``agent(task)``), an object with
        ``.invoke`` (LangChain), ``.run`` or ``.kickoff`` (CrewAI), or a
        coroutine function (run to completion here; inside an event loop use
        :meth:`arun`)."""
        with self.governed():
            result = _call(agent, task, kwargs)
            if inspect.isawaitable(result):
                result = _run_awaitable(result)
            return result

    async def arun(self, agent: Any, task: Any = _MISSING, **kwargs: Any) -> Any:
        """``await``-able :meth:`run`: coroutine functions and ``.ainvoke``
        are awaited; synchronous agents run in a worker thread."""
        with self.governed():
            ainvoke = getattr(agent, "ainvoke", None)
            if callable(ainvoke) and not inspect.isfunction(agent):
                return await ainvoke(task, **kwargs) if task is not _MISSING else await ainvoke(**kwargs)
            if inspect.iscoroutinefunction(agent):
                result = _call(agent, task, kwargs)
            else:
                result = await asyncio.to_thread(_call, agent, task, kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

    def close(self) -> Optional[Dict[str, int]]:
        """Stops the gateway and settles the budget; returns the final books
        (micro-dollars). Idempotent."""
        if os.getpid() != self._pid:
            return None
        books = None
        if self.remote and not self._native.closed:
            with contextlib.suppress(IronCageError):
                books = self._native.budget()
        try:
            final = self._native.shutdown()
        except (KeyRevokedError, ProjectPausedError):
            # The server refused the final settle because it already stopped
            # this session (a revoke or pause voids its leases): nothing is
            # left to settle there, so the local books are the final ones.
            if books is None:
                raise
            final = books
        if final is not None:
            self._final = final
        _live.discard(self)
        return self._final

    shutdown = close

    def __enter__(self) -> "SafetyRuntime":
        _env.enter(self, self.env())
        return self

    def __exit__(self, *exc: Any) -> None:
        _env.leave(self)
        self.close()

    async def __aenter__(self) -> "SafetyRuntime":
        return self.__enter__()

    async def __aexit__(self, *exc: Any) -> None:
        _env.leave(self)
        await asyncio.to_thread(self.close)

    def __repr__(self) -> str:
        state = "closed" if self._native.closed else self._native.gateway_url
        mode = f"server_url={self._server_url!r}" if self._server_url else f"budget_usd={self._budget_usd}"
        return f"SafetyRuntime({mode}, {state})"


def _remote_target(ic_key: Optional[str], server_url: Optional[str]) -> Optional[Tuple[str, str]]:
    """``(server_url, ic_key)`` for remote mode, None for local mode."""
    if ic_key is None:
        ic_key = os.environ.get("IC_KEY", "").strip() or None
        if ic_key is None:
            if server_url is not None:
                raise ConfigError("server_url is set but there is no ic_key: pass ic_key='ic_...' or set IC_KEY")
            return None
    if not isinstance(ic_key, str) or not ic_key.strip():
        raise ConfigError("ic_key must be a non-empty 'ic_...' key issued by iron-server")
    url = server_url if server_url is not None else os.environ.get("IRON_SERVER_URL", "").strip()
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(
            "remote mode (ic_key / IC_KEY) needs iron-server's URL: pass server_url=... or set IRON_SERVER_URL"
        )
    return url.strip(), ic_key.strip()


def _jsonable(value: Any) -> Any:
    """Tool arguments as JSON-like values (other objects by their str())."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _call(agent: Any, task: Any, kwargs: Dict[str, Any]) -> Any:
    args = () if task is _MISSING else (task,)
    if inspect.isroutine(agent) or inspect.isclass(agent):
        return agent(*args, **kwargs)
    for method in ("invoke", "run"):
        fn = getattr(agent, method, None)
        if callable(fn):
            return fn(*args, **kwargs)
    kickoff = getattr(agent, "kickoff", None)
    if callable(kickoff):
        if isinstance(task, Mapping):
            return kickoff(inputs=dict(task), **kwargs)
        return kickoff(*args, **kwargs)
    if callable(agent):
        return agent(*args, **kwargs)
    raise TypeError(
        f"cannot run {type(agent).__name__}: pass a callable, a coroutine function, "
        "or an object with .invoke / .run / .kickoff"
    )


def _run_awaitable(awaitable: Any) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async def wait() -> Any:
            return await awaitable

        return asyncio.run(wait())
    raise IronCageError(
        "run() got a coroutine while an event loop is running in this thread; use `await runtime.arun(...)`",
        code="invalid_config",
    )


class _PerProcess:
    """One runtime per process, created on first use (again in a forked child)."""

    def __init__(self, factory: Callable[[], SafetyRuntime]) -> None:
        self._factory = factory
        self._runtime: Optional[SafetyRuntime] = None
        self._lock = threading.Lock()

    def get(self) -> SafetyRuntime:
        rt = self._runtime
        if rt is not None and rt._pid == os.getpid():
            return rt
        with self._lock:
            if self._runtime is None or self._runtime._pid != os.getpid():
                self._runtime = self._factory()
            return self._runtime


def protect_agent(
    fn: Optional[F] = None,
    *,
    budget: Union[BudgetConfig, float, None] = None,
    pii: PiiArg = True,
    injection: InjectionArg = True,
    tools: ToolsArg = None,
    **runtime_options: Any,
) -> Any:
    """Decorator: every call of the function runs under one
    :class:`SafetyRuntime` (created on the first call, shared by all calls and
    threads, closed at exit), sync or async::

        @protect_agent(budget=BudgetConfig(max_usd=5.0), pii=PiiConfig(mode="redact"))
        def agent(task: str) -> str: ...

    The runtime is ``agent.runtime``. Other keyword arguments go to
    :class:`SafetyRuntime`."""
    if isinstance(budget, BudgetConfig):
        budget_usd = budget.max_usd
    elif budget is None:
        budget_usd = None  # SafetyRuntime's default, or the server's in remote mode
    else:
        budget_usd = usd("budget", budget)
    # Validate now, at decoration time, so mistakes surface at import.
    pii_policy(pii)
    injection_config(injection)
    tools_config(tools)

    def decorate(f: F) -> F:
        holder = _PerProcess(
            lambda: SafetyRuntime(budget_usd, pii=pii, injection=injection, tools=tools, **runtime_options)
        )
        if inspect.iscoroutinefunction(f):

            @functools.wraps(f)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with holder.get().governed():
                    return await f(*args, **kwargs)

            wrapper: Any = async_wrapper
        else:

            @functools.wraps(f)
            def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                with holder.get().governed():
                    return f(*args, **kwargs)

            wrapper = sync_wrapper
        wrapper.get_runtime = holder.get
        return cast(F, wrapper)

    return decorate(fn) if fn is not None else decorate


@atexit.register
def _close_all() -> None:
    for rt in list(_live):
        with contextlib.suppress(Exception):
            rt.close()


def _after_fork_in_child() -> None:
    _env._lock = threading.RLock()
    _env.unwind()
    for rt in list(_live):
        _orphans.append(rt._native)
    _live.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
