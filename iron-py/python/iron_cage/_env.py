"""The process environment while governed code runs.

``os.environ`` is process-wide, so activations are tracked in one stack:
entering the same runtime again (threads, nested calls) only counts, and a
runtime leaving out of order hands what it saved to the one above it, so the
last one out always restores the environment as it was before the first.
"""

from __future__ import annotations

import os
import threading
from typing import Dict, List, Optional

_lock = threading.RLock()


class _Activation:
    __slots__ = ("owner", "count", "saved")

    def __init__(self, owner: object, saved: Dict[str, Optional[str]]) -> None:
        self.owner = owner
        self.count = 1
        self.saved = saved


_stack: List[_Activation] = []


def enter(owner: object, values: Dict[str, str]) -> None:
    """Sets ``values`` for ``owner`` (or counts one more user of them)."""
    with _lock:
        for act in _stack:
            if act.owner is owner:
                act.count += 1
                return
        saved = {k: os.environ.get(k) for k in values}
        os.environ.update(values)
        _stack.append(_Activation(owner, saved))


def leave(owner: object) -> None:
    """Ends one use by ``owner``; the last one restores what it replaced."""
    with _lock:
        for i, act in enumerate(_stack):
            if act.owner is owner:
                break
        else:
            return
        act.count -= 1
        if act.count > 0:
            return
        del _stack[i]
        if i < len(_stack):
            # Not the top: the activation above saved our values; it must
            # restore what we replaced instead.
            above = _stack[i]
            for k, v in act.saved.items():
                above.saved[k] = v
            return
        for k, v in act.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def active(owner: object) -> bool:
    with _lock:
        return any(a.owner is owner for a in _stack)


def unwind() -> None:
    """Restores the environment as before every activation (in a forked
    child, whose inherited activations belong to the parent's runtimes)."""
    with _lock:
        while _stack:
            act = _stack.pop()
            for k, v in act.saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
