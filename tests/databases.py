"""One database of each backend for a test: ``db`` (parametrized: SQLite, then PostgreSQL) and the
:class:`Database` it gives, to open stores on it and to read or change it directly.

tests/conftest.py makes ``db`` (and ``pg_dsn``, tests/pg.py) available to every test.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.core.clock import Clock
from bot.store import open_store

BACKENDS = ["sqlite", "postgres"]


@dataclass
class Database:
    """One backend's database for one test."""

    backend: str
    target: str  # the SQLite file's path, or the PostgreSQL URL

    def env(self) -> dict[str, str]:
        """What a ``classbot`` subprocess needs to use this database."""
        if self.backend == "sqlite":
            return {"CLASSBOT_DATABASE": self.target}
        return {"CLASSBOT_DATABASE_URL": self.target}

    def open(self, *, clock: Clock | None = None) -> Any:
        return open_store(self.target, clock=clock)

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Read the database directly (standard SQL both backends understand)."""
        if self.backend == "sqlite":
            con = sqlite3.connect(self.target)
            try:
                return [tuple(r) for r in con.execute(sql).fetchall()]
            finally:
                con.close()
        import asyncpg

        con = await asyncpg.connect(self.target)
        try:
            return [tuple(r) for r in await con.fetch(sql)]
        finally:
            await con.close()

    async def execute(self, *statements: str) -> None:
        """Change the database directly, in one transaction (SQL of this backend's dialect)."""
        if self.backend == "sqlite":
            con = sqlite3.connect(self.target)
            try:
                for sql in statements:
                    con.execute(sql)
                con.commit()
            finally:
                con.close()
            return
        import asyncpg

        con = await asyncpg.connect(self.target)
        try:
            async with con.transaction():
                for sql in statements:
                    await con.execute(sql)
        finally:
            await con.close()

    async def tables(self) -> list[str]:
        """Every table of the database (PostgreSQL: of its current schema), ours and the backend's."""
        if self.backend == "sqlite":
            return [r[0] for r in await self.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [r[0] for r in await self.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' ORDER BY table_name")]

    async def columns(self, table: str) -> set[str]:
        if self.backend == "sqlite":
            return {r[1] for r in await self.rows(f"PRAGMA table_info({table})")}
        return {r[0] for r in await self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            f" AND table_name = '{table}'")}

    async def rows_mentioning(self, text: str) -> dict[str, int]:
        """Every table, every column: how many rows hold ``text`` anywhere."""
        found = {}
        for table in await self.tables():
            n = sum(1 for row in await self.rows(f'SELECT * FROM "{table}"') if any(text in str(v) for v in row))
            if n:
                found[table] = n
        return found


def sqlite_rows_mentioning(path: str | Path, text: str) -> dict[str, int]:
    """Every table of an SQLite file, every column: how many rows hold ``text`` anywhere (for a test that
    has the file's path and no event loop to spare; Database.rows_mentioning does this on both backends)."""
    con = sqlite3.connect(path)
    try:
        found = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            n = sum(1 for row in con.execute(f'SELECT * FROM "{table}"') if any(text in str(v) for v in row))
            if n:
                found[table] = n
        return found
    finally:
        con.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    if backend == "sqlite":
        return Database("sqlite", str(tmp_path / "bot.db"))
    return Database("postgres", request.getfixturevalue("pg_dsn"))


