"""`classbot export-user` and `classbot forget-user`, run as real processes on a real database: an SQLite
file (CLASSBOT_DATABASE), and a PostgreSQL server (CLASSBOT_DATABASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.core.store import Scoring
from tests.databases import Database
from tests.store.helpers import posted_round

ROOT = Path(__file__).resolve().parents[2]
STUDENT = "777000111"


def classbot(db: Database, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI on ``db``: the SQLite file, or the PostgreSQL URL (the file setting then names one never used)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CLASSBOT_DATABASE_URL", None)
    if db.backend == "sqlite":
        env["CLASSBOT_DATABASE"] = db.target
    else:
        env.update(CLASSBOT_DATABASE_URL=db.target, CLASSBOT_DATABASE=str(tmp_path / "not-used.db"))
    p = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60, env=env,
                       cwd=tmp_path)
    assert not (tmp_path / "not-used.db").exists()
    return p


async def a_database(db: Database) -> None:
    async with db.open() as store:
        r = await posted_round(store)
        await store.record_answer(r.id, STUDENT, "1962", True, now=1500.0)
        await store.reveal_round(r.id, Scoring())
        await store.record_feedback("discord", "g1", "c1", STUDENT, "who met rfk", "dobrynin", False, message_id="m")
        await store.record_unanswered("discord", "crisis", "g1", "c1", "what about my dog", STUDENT)
        await store.record_feedback("slack", "T1", "C1", "U999", "a slack vote", None, True, message_id="s")


async def test_export_user_prints_all_the_students_data_as_json(db, tmp_path):
    await a_database(db)
    p = classbot(db, tmp_path, "export-user", STUDENT)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    discord = next(d for d in data["data"] if d["platform"] == "discord")
    assert data["user_id"] == STUDENT
    assert [a["answer"] for a in discord["answers"]] == ["1962"]
    assert [f["question"] for f in discord["feedback"]] == ["who met rfk"]
    assert [q["question"] for q in discord["questions"]] == ["what about my dog"]
    assert discord["scores"][0]["points"] == 10


async def test_forget_user_needs_yes_then_deletes_every_row_mentioning_the_student(db, tmp_path):
    await a_database(db)
    dry = classbot(db, tmp_path, "forget-user", STUDENT)
    assert dry.returncode == 1 and "--yes" in dry.stderr
    assert await db.rows_mentioning(STUDENT)  # nothing deleted without --yes
    p = classbot(db, tmp_path, "forget-user", STUDENT, "--yes")
    assert p.returncode == 0, p.stderr
    assert "Deleted" in p.stdout
    assert await db.rows_mentioning(STUDENT) == {}
    assert await db.rows_mentioning("U999")  # another student's vote stays
    again = classbot(db, tmp_path, "forget-user", STUDENT, "--yes")
    assert again.returncode == 0 and "Nothing is stored" in again.stdout


def test_retention_days_setting_reads_the_environment_and_refuses_a_negative_value(tmp_path):
    from bot.config import load_settings
    from bot.core.errors import ConfigError

    assert load_settings(environ={}, dotenv=None).retention_days == 180
    assert load_settings(environ={"CLASSBOT_RETENTION_DAYS": "0"}, dotenv=None).retention_days == 0
    try:
        load_settings(environ={"CLASSBOT_RETENTION_DAYS": "-1"}, dotenv=None)
    except ConfigError as e:
        assert "retention_days" in str(e)
    else:
        raise AssertionError("a negative retention should be refused")
