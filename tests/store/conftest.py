"""Fixtures of the store tests: every behavioural test runs on SQLite and on PostgreSQL.

``pg_dsn`` (tests/pg.py, for every test through tests/conftest.py): the URL of a fresh, empty PostgreSQL database for one test, made on the
server named by CLASSBOT_TEST_DATABASE_URL and dropped afterwards. Without that variable the
PostgreSQL tests skip with a one-line reason on a developer's machine, and fail in CI (CI=true),
where .ci/run starts a server.

``db`` (tests/databases.py, also for every test): one backend's database for one test
(``db.open(clock=...)`` opens a store on it, as often as needed, like two processes would;
``db.rows(sql)`` reads it directly); ``store``, here: one opened store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.databases import Database


@pytest.fixture
async def store(db: Database) -> AsyncIterator[Any]:
    async with db.open() as opened:
        yield opened
