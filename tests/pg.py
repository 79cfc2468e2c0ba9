"""PostgreSQL for the tests: ``pg_dsn`` gives each test a fresh, empty database.

The server comes from CLASSBOT_TEST_DATABASE_URL (a DSN whose user may CREATE DATABASE), which
``.ci/postgres.sh start`` prints and ``.ci/run`` exports. Without it a test using ``pg_dsn`` is
skipped with a one-line reason on a developer's machine, and FAILS in CI (CI=true): the
PostgreSQL tests must never be skipped there.

Each database sorts text like en-US (ICU) when the server can, as a production database created
with an en_US locale does: an ORDER BY that should be by bytes (like SQLite's) must say COLLATE "C".

Every test may take it (tests/conftest.py imports it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "CLASSBOT_TEST_DATABASE_URL"
MISSING = f'{ENV} is not set: start a test server with eval "$(bash .ci/postgres.sh start)"'

__all__ = ["pg_dsn", "ENV", "with_database"]

COLLATION = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"  # PostgreSQL 15+


def with_database(dsn: str, name: str) -> str:
    """``dsn`` pointing at database ``name`` instead."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture
async def pg_dsn() -> AsyncIterator[str]:
    server = os.environ.get(ENV, "").strip()
    if not server:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{MISSING} (in CI the PostgreSQL tests must run: .ci/run starts the server)", pytrace=False)
        pytest.skip(MISSING)
    import asyncpg

    name = f"classbot_test_{uuid.uuid4().hex}"
    admin = await asyncpg.connect(server)
    try:
        try:  # a production-like collation (en_US sorts "B" after "b"), so no order relies on the server's "C"
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' {COLLATION}')
        except asyncpg.PostgresError:  # a server built without ICU
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    finally:
        await admin.close()
    try:
        yield with_database(server, name)
    finally:
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
