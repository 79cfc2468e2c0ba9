"""A store wrapper that counts failed store calls, whatever the backend behind it.

It passes every call through unchanged (same arguments, same result, same exception) and tells
the metrics which method failed. Counting here instead of in each store implementation keeps the
stores free of metrics code and covers every backend (SQLite today, PostgreSQL later).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["WatchedStore"]


class WatchedStore:
    def __init__(self, store: Any, on_error: Callable[[str], None]) -> None:
        self._store = store
        self._on_error = on_error

    @property
    def inner(self) -> Any:
        return self._store

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(value):
            return value

        @functools.wraps(value)
        async def watched(*args: Any, **kwargs: Any) -> Any:
            try:
                return await value(*args, **kwargs)
            except Exception:
                self._on_error(name)
                raise

        return watched

    async def __aenter__(self) -> WatchedStore:
        await self._store.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._store.__aexit__(*exc)
