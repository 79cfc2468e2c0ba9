"""PostgreSQL errors as StoreErrors: a message for the log that says what to do, a short one for chat.

Every message names the server as :func:`redact` shows it (user, host, port, database), never with
its password: a URL given with ``user:password@`` or ``?password=`` is shown as ``user:***@``.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg

from bot.core.errors import StoreError

# What chat users are told (StoreError.user_message): short, no server names, no PostgreSQL words.
USER_BUSY = "Sorry, my records are busy right now. Please try again in a moment."
USER_UNREACHABLE = "Sorry, I cannot reach my records right now. Please try again in a few minutes."
USER_BROKEN = "Sorry, something went wrong with my records. If it keeps happening, please tell your teacher."

# SQLSTATEs a transaction can simply be run again after: the server rolled it back whole.
RETRYABLE = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected

_SECRET_PARAMS = {"password", "passfile", "sslpassword", "sslkey"}


def is_postgres_url(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database (a URL) rather than an SQLite file."""
    return target.split(":", 1)[0].lower() in {"postgres", "postgresql"} and "://" in target


def redact(url: str) -> str:
    """The URL with its password (in the user part or the query) replaced by ``***``: safe to log."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            if ":" in userinfo:
                userinfo = userinfo.split(":", 1)[0] + ":***"
            netloc = f"{userinfo}@{host}"
        query = urlencode(
            [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
            safe="*",
        )
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "postgresql://(unreadable URL)"


def explain(where: str, exc: BaseException) -> StoreError:
    """The StoreError for an asyncpg or network error; ``where`` is the redacted URL."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if isinstance(exc, asyncpg.InvalidPasswordError) or state == "28P01":
        return StoreError(
            f"PostgreSQL at {where} refused the password ({text}). Check the user and password in CLASSBOT_DATABASE_URL.",
            user_message=USER_UNREACHABLE,
        )
    if state.startswith("28"):  # invalid_authorization_specification: no such role, pg_hba.conf refuses
        return StoreError(
            f"PostgreSQL at {where} refused the login ({text}). Check the user in CLASSBOT_DATABASE_URL and "
            "that pg_hba.conf lets it connect from this machine.",
            user_message=USER_UNREACHABLE,
        )
    if state == "3D000":  # invalid_catalog_name
        return StoreError(
            f"the database of {where} does not exist ({text}). Create it (createdb) or fix CLASSBOT_DATABASE_URL.",
            user_message=USER_UNREACHABLE,
        )
    if state in RETRYABLE or state in {"55P03", "57014"}:  # lock_not_available, query_canceled (timeouts)
        return StoreError(
            f"PostgreSQL at {where} was too busy ({text}): transactions kept conflicting or waiting. "
            "Try again; if it persists, look for long-running transactions on the server.",
            user_message=USER_BUSY,
        )
    if state in {"53100", "53200"}:  # disk_full, out_of_memory
        return StoreError(
            f"PostgreSQL at {where} cannot write ({text}). Free space on the server; nothing was saved meanwhile.",
            user_message=USER_BROKEN,
        )
    if state == "25006":  # read_only_sql_transaction: a standby, or default_transaction_read_only
        return StoreError(
            f"PostgreSQL at {where} is read-only ({text}). Point CLASSBOT_DATABASE_URL at the primary server.",
            user_message=USER_BROKEN,
        )
    if (
        state.startswith("08") or state.startswith("57")  # connection_exception, operator_intervention
        or isinstance(exc, (OSError, asyncio.TimeoutError, asyncpg.ConnectionDoesNotExistError))
        or (isinstance(exc, asyncpg.InterfaceError) and "closed" in text.lower())
    ):
        reason = text or type(exc).__name__
        return StoreError(
            f"cannot reach PostgreSQL at {where} ({reason}). Is the server running and reachable from here, "
            "and is CLASSBOT_DATABASE_URL right?",
            user_message=USER_UNREACHABLE,
        )
    if state:
        return StoreError(f"PostgreSQL at {where} failed: {type(exc).__name__} [{state}] {text}", user_message=USER_BROKEN)
    return StoreError(f"PostgreSQL at {where} failed: {type(exc).__name__}: {text}", user_message=USER_BROKEN)


# What guard turns into StoreErrors: the driver's errors and the network's (never our own exceptions).
DRIVER_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,  # e.g. "cannot switch to state ...": a connection cut mid-statement
    OSError,
    asyncio.TimeoutError,
)


class _Located(Protocol):
    """What guard needs of the store it wraps: where the database is, as safe to log."""

    @property
    def where(self) -> str: ...


S = TypeVar("S", bound=_Located)
P = ParamSpec("P")
T = TypeVar("T")


def guard(
    method: Callable[Concatenate[S, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, T]]:
    """Decorate a store method: any driver or network error it raises becomes a StoreError."""

    @functools.wraps(method)
    async def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await method(self, *args, **kwargs)
        except DRIVER_ERRORS as e:
            raise explain(self.where, e) from e

    return wrapper


__all__ = [
    "DRIVER_ERRORS",
    "RETRYABLE",
    "USER_BROKEN",
    "USER_BUSY",
    "USER_UNREACHABLE",
    "explain",
    "guard",
    "is_postgres_url",
    "redact",
]
