"""The composition root on PostgreSQL: CLASSBOT_DATABASE_URL picks the server instead of the file."""

from __future__ import annotations

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
