"""SQLite errors as StoreErrors: a message for the log that says what to do, a short one for chat."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from bot.core.errors import StoreError

# What chat users are told (StoreError.user_message): short, no paths, no SQLite words.
USER_BUSY = "Sorry, my records are busy right now. Please try again in a moment."
USER_BROKEN = "Sorry, something went wrong with my records. If it keeps happening, please tell your teacher."


def explain(path: str, exc: sqlite3.Error, busy_ms: int) -> StoreError:
    """The StoreError for a sqlite error: the message for the log, the user_message for chat."""
    msg = str(exc).lower()
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg or code in (11, 26):  # CORRUPT, NOTADB
        return StoreError(
            f"{path} is not a classbot database or is corrupt ({exc}). "
            "Point CLASSBOT_DATABASE at another file, or move this one away to start afresh.",
            user_message=USER_BROKEN,
        )
    if "locked" in msg or "busy" in msg or code in (5, 6):  # BUSY, LOCKED
        return StoreError(
            f"{path} is locked by another process (waited {busy_ms / 1000:g} s). "
            "Is another classbot running on the same database? Stop it, or use another CLASSBOT_DATABASE.",
            user_message=USER_BUSY,
        )
    if "full" in msg or code == 13:  # SQLITE_FULL: "database or disk is full"
        return StoreError(
            f"cannot write to {path}: the disk is full ({exc}). Free some space; nothing was saved meanwhile.",
            user_message=USER_BROKEN,
        )
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg or "disk i/o" in msg or code in (8, 10, 14):
        return StoreError(
            f"cannot write to {path} ({exc}). Check that the file and its folder exist and are writable "
            "by the user running classbot, and that the disk is not full or mounted read-only.",
            user_message=USER_BROKEN,
        )
    return StoreError(f"database {path} failed: {exc}")


class _Located(Protocol):
    """What guard needs of the store it wraps: where the database is and how long it waits."""

    path: str
    busy_timeout_ms: int


S = TypeVar("S", bound=_Located)
P = ParamSpec("P")
T = TypeVar("T")


def guard(
    method: Callable[Concatenate[S, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """Decorate a store method: any sqlite error it raises becomes a StoreError with an actionable message."""

    @functools.wraps(method)
    async def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(self, *args, **kwargs)
        except sqlite3.Error as e:
            raise explain(self.path, e, self.busy_timeout_ms) from e

    return wrapper


__all__ = ["USER_BROKEN", "USER_BUSY", "explain", "guard"]
