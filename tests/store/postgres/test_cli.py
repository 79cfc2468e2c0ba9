"""The composition root on PostgreSQL: CLASSBOT_DATABASE_URL picks the server instead of the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.store import open_store
from tests.store.helpers import ROOT


async def test_the_teachers_unanswered_list_reads_the_postgresql_database_named_by_the_url(pg_dsn, tmp_path):
    async with open_store(pg_dsn) as store:
        for q in ("who was castro", "Who was Castro", "what is the bay of pigs"):
            await store.record_unanswered("discord", "cuban-missile-crisis", "g1", "c1", q, None)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLASSBOT_DATABASE_URL": pg_dsn,
           "CLASSBOT_DATABASE": str(tmp_path / "not-used.db")}
    p = subprocess.run([sys.executable, "-m", "bot", "unanswered"], capture_output=True, text=True, timeout=60,
                       env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("cuban-missile-crisis: 2 question(s)") and "2x  who was castro" in lines[1].lower()
    assert not (tmp_path / "not-used.db").exists()


def test_a_server_that_is_down_is_reported_in_one_line_without_the_password(tmp_path):
    down = "postgresql://classbot:pa55-w0rd@127.0.0.1:1/classbot"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLASSBOT_DATABASE_URL": down}
    p = subprocess.run([sys.executable, "-m", "bot", "unanswered"], capture_output=True, text=True, timeout=60,
                       env=env, cwd=tmp_path)
    assert p.returncode != 0 and "pa55-w0rd" not in p.stdout + p.stderr and "Traceback" not in p.stderr
    assert "cannot reach PostgreSQL at postgresql://classbot:***@127.0.0.1:1" in p.stdout + p.stderr


def run_cli(args: list[str], database: str, cwd) -> subprocess.CompletedProcess:
    """The CLI on an SQLite file (a path) or a PostgreSQL database (a URL)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CLASSBOT_DATABASE_URL", None)
    if database.startswith("postgresql://"):
        env.update(CLASSBOT_DATABASE_URL=database, CLASSBOT_DATABASE=str(cwd / "not-used.db"))
    else:
        env["CLASSBOT_DATABASE"] = database
    p = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120, env=env,
                       cwd=cwd)
    assert p.returncode == 0, p.stderr
    assert not (cwd / "not-used.db").exists()
    return p


async def test_the_teachers_report_and_review_queue_on_postgresql_are_the_ones_sqlite_gives(pg_dsn, tmp_path):
    from bot.core.clock import FakeClock
    from tests.reportdata import NOW, make_unit_course, seed

    course = make_unit_course(tmp_path)
    sqlite_file = str(tmp_path / "bot.db")
    for database in (sqlite_file, pg_dsn):
        clock = FakeClock(NOW)
        async with open_store(database, clock=clock) as store:
            await seed(store, clock)
    report = ["report", "--json", "--knowledge", str(course), "--guild", "g1", "--week", "2026-01-12"]
    review = ["review", "--json", "--knowledge", str(course)]
    on_sqlite = [json.loads(run_cli(args, sqlite_file, tmp_path).stdout) for args in (report, review)]
    on_postgres = [json.loads(run_cli(args, pg_dsn, tmp_path).stdout) for args in (report, review)]
    for run in (on_sqlite, on_postgres):
        run[0].pop("generated_at")  # the time each command ran
        for item in run[1]:  # row ids: PostgreSQL's sequences skip the values an upsert took and did not use
            assert item.pop("key") and item.pop("unanswered_ids") + item.pop("feedback_ids")
    assert on_sqlite[0]["asked"]["total"] == 7 and on_sqlite[1]  # a report with numbers, a queue with items
    assert on_postgres == on_sqlite
