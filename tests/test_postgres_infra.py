"""The PostgreSQL test infrastructure itself: a real server (.ci/postgres.sh), a fresh database per
test (tests/pg.py), and no silent skip in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests.pg import ENV, pg_dsn  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent


async def test_a_row_round_trips_through_a_fresh_postgresql_database(pg_dsn):  # noqa: F811
    conn = await asyncpg.connect(pg_dsn)
    try:
        tables = await conn.fetchval("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert tables == 0  # fresh and empty: nothing left by another test
        await conn.execute("CREATE TABLE answers (id bigserial PRIMARY KEY, user_id text NOT NULL, given text NOT NULL)")
        new_id = await conn.fetchval("INSERT INTO answers (user_id, given) VALUES ($1, $2) RETURNING id", "U1", "Khrushchev ✓")
        row = await conn.fetchrow("SELECT user_id, given FROM answers WHERE id = $1", new_id)
        assert dict(row) == {"user_id": "U1", "given": "Khrushchev ✓"}
    finally:
        await conn.close()


async def test_each_test_gets_its_own_database(pg_dsn):  # noqa: F811
    conn = await asyncpg.connect(pg_dsn)
    try:
        name = await conn.fetchval("SELECT current_database()")
        assert name.startswith("classbot_test_") and name != "postgres"
        assert await conn.fetchval("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == 0
    finally:
        await conn.close()


_PROBE = '''
from tests.pg import pg_dsn  # noqa: F401


async def test_needs_postgres(pg_dsn):
    pass
'''


@pytest.mark.parametrize(("ci", "outcome", "status"), [("true", "1 error", 1), ("", "1 skipped", 0)])
def test_without_a_server_the_postgres_tests_fail_in_ci_and_skip_elsewhere(tmp_path, ci, outcome, status):
    probe = tmp_path / "test_probe.py"
    probe.write_text(_PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in (ENV, "CI")}
    env.update({"PYTHONPATH": str(ROOT), "CI": ci})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "-o", "asyncio_mode=auto",
         "-o", "asyncio_default_fixture_loop_scope=function", str(probe)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert outcome in result.stdout and result.returncode == status, result.stdout + result.stderr
    assert f"{ENV} is not set" in result.stdout
