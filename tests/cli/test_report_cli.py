"""`classbot report` run as a real process on a real SQLite database: text, --json and --png."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.clock import FakeClock
from bot.store import open_store
from tests.core.test_reports import png_size
from tests.reportdata import NOW, make_unit_course, seed

ROOT = Path(__file__).resolve().parents[2]


def classbot(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASSBOT_DATABASE": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=cwd)


@pytest.fixture
def class_db(tmp_path) -> tuple[Path, Path]:
    course = make_unit_course(tmp_path)
    db = tmp_path / "bot.db"

    async def fill() -> None:
        clock = FakeClock(NOW)
        async with open_store(db, clock=clock) as store:
            await seed(store, clock)

    asyncio.run(fill())
    return course, db


def test_report_prints_the_weeks_numbers_for_one_server(class_db, tmp_path):
    course, db = class_db
    p = classbot("report", "--knowledge", str(course), "--guild", "g1", "--week", "2026-01-14", "--weeks", "3",
                 db=db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "Report for The Moon landing (moon), server g1" in p.stdout
    assert "Week: Mon 12 Jan 2026 to Sun 18 Jan 2026 (UTC)" in p.stdout
    assert "Questions asked that week: 7 (2 not covered by the course)" in p.stdout
    assert "2 round(s), 6 answer(s) from 5 student(s), 33% right" in p.stdout
    assert list(tmp_path.glob("*.png")) == []  # no file unless asked


def test_report_json_is_valid_json_with_the_same_numbers(class_db, tmp_path):
    course, db = class_db
    p = classbot("report", "--json", "--knowledge", str(course), "--guild", "g1", "--week", "2026-01-12",
                 db=db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["course"] == {"id": "moon", "title": "The Moon landing"} and len(data["weeks"]) == 6
    assert (data["asked"]["total"], data["trivia"]["answers"]) == (7, 6)
    assert [t["count"] for t in data["unanswered"]] == [3, 1]


def test_report_png_writes_the_chart(class_db, tmp_path):
    course, db = class_db
    chart = tmp_path / "out" / "week.png"
    chart.parent.mkdir()
    p = classbot("report", "--knowledge", str(course), "--week", "2026-01-12", "--png", str(chart), db=db, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert png_size(chart.read_bytes()) == (900, 600)
    assert "chart written to" in p.stderr and "Report for The Moon landing (moon), every server" in p.stdout


def test_report_says_what_to_do_without_a_database_or_with_a_bad_option(tmp_path):
    course = make_unit_course(tmp_path)
    missing = classbot("report", "--knowledge", str(course), db=tmp_path / "none.db", cwd=tmp_path)
    assert missing.returncode == 0 and "Nothing to report yet" in missing.stdout and "CLASSBOT_DATABASE" in missing.stdout
    assert "Traceback" not in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad_day = classbot("report", "--week", "last monday", db=tmp_path / "none.db", cwd=tmp_path)
    assert bad_day.returncode == 2 and "should be a date like" in bad_day.stderr
    no_folder = classbot("report", "--knowledge", str(course), "--png", str(tmp_path / "nope" / "c.png"),
                         db=tmp_path / "none.db", cwd=tmp_path)
    assert no_folder.returncode == 78 and "folder" in no_folder.stderr and "does not exist" in no_folder.stderr
