"""The database of an end-to-end test, on either backend: ``database`` is parametrized over SQLite
and PostgreSQL, so a test taking it runs on both (PostgreSQL from ``pg_dsn``, tests/pg.py: never
skipped in CI).

A test module uses it with ``database = backends.database`` (a module-level name: pytest finds
fixtures there) and ``from tests.pg import pg_dsn  # noqa: F401`` (``database`` asks for it by name).
``database.env()`` is what a ``classbot`` subprocess needs to use it; ``database.open()`` opens a
store on it in the test; ``database.rows(sql)`` reads it directly (standard SQL, no parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core.clock import Clock
from bot.store import open_store

BACKENDS = ["sqlite", "postgres"]


@dataclass(frozen=True)
class Database:
    backend: str
    target: str  # the SQLite file's path, or the PostgreSQL URL

    def env(self) -> dict[str, str]:
        if self.backend == "sqlite":
            return {"CLASSBOT_DATABASE": self.target}
        return {"CLASSBOT_DATABASE_URL": self.target}

    def open(self, *, clock: Clock | None = None) -> Any:
        return open_store(self.target, clock=clock)

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.backend == "sqlite":
            import sqlite3

            con = sqlite3.connect(self.target)
            try:
                return [tuple(r) for r in con.execute(sql).fetchall()]
            finally:
                con.close()
        import asyncpg

        conn = await asyncpg.connect(self.target)
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database("sqlite", str(tmp_path / "classbot.db"))
    return Database("postgres", request.getfixturevalue("pg_dsn"))


__all__ = ["BACKENDS", "Database", "database"]
