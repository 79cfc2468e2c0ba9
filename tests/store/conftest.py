"""Fixtures of the store tests: every behavioural test runs on SQLite and on PostgreSQL.

``pg_dsn``: the URL of a fresh, empty PostgreSQL database for one test, made on the server named
by CLASSBOT_TEST_DATABASE_URL (a user allowed to CREATE DATABASE) and dropped afterwards. Without
that variable the PostgreSQL tests skip with a one-line reason on a developer's machine, and fail
in CI (CI=true), where .ci/run starts a server. It is ops' tests/pg.py when that is there, else
the copy below.

``db``: one backend's database for one test (``db.open(clock=...)`` opens a store on it, as often
as needed, like two processes would; ``db.rows(sql)`` reads it directly); ``store``: one opened store.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.core.clock import Clock
from bot.store import open_store

TEST_URL_VARIABLE = "CLASSBOT_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgres"]


try:  # ops' fixture (tests/pg.py, with .ci/postgres.sh) once it is merged; the same behaviour below until then
    from tests.pg import pg_dsn  # noqa: F401
except ImportError:

    @pytest.fixture
    async def pg_dsn() -> AsyncIterator[str]:
        admin_url = os.environ.get(TEST_URL_VARIABLE, "").strip()
        if not admin_url:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"{TEST_URL_VARIABLE} is not set in CI: .ci/run should start PostgreSQL for the tests",
                            pytrace=False)
            pytest.skip(f"no PostgreSQL for the tests: set {TEST_URL_VARIABLE} (.ci/run does)")
        import asyncpg

        name = f"classbot_test_{uuid.uuid4().hex}"
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        finally:
            await admin.close()
        parts = urlsplit(admin_url)
        try:
            yield urlunsplit(parts._replace(path="/" + name))
        finally:
            admin = await asyncpg.connect(admin_url)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await admin.close()


@dataclass
class Database:
    """One backend's database for one test."""

    backend: str
    target: str  # the SQLite file's path, or the PostgreSQL URL

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


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Database:
    if backend == "sqlite":
        return Database("sqlite", str(tmp_path / "bot.db"))
    return Database("postgres", request.getfixturevalue("pg_dsn"))


@pytest.fixture
async def store(db: Database) -> AsyncIterator[Any]:
    async with db.open() as opened:
        yield opened
