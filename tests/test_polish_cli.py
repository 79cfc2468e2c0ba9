"""What a new user meets first in the terminal, run as real processes on real files: no database yet,
log lines, wording."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def classbot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "CLASSBOT_DATABASE": str(tmp_path / "none.db"), **env}
    for name in ("CLASSBOT_DATABASE_URL", "CLASSBOT_LOG_LEVEL", "CLASSBOT_CONFIG"):
        if name not in env:
            environ.pop(name, None)
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60,
                          env=environ, cwd=tmp_path)


def test_review_json_without_a_database_prints_an_empty_queue_and_succeeds(tmp_path):
    p = classbot(tmp_path, "review", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == []
    assert len(p.stderr.strip().splitlines()) == 1 and "CLASSBOT_DATABASE" in p.stderr
    assert not (tmp_path / "none.db").exists()


def test_review_without_a_database_says_the_queue_is_empty(tmp_path):
    p = classbot(tmp_path, "review")
    assert p.returncode == 0, p.stderr
    assert "The review queue is empty" in p.stdout and "Traceback" not in p.stderr
    assert not (tmp_path / "none.db").exists()


def test_report_without_a_database_says_there_is_nothing_to_report_yet(tmp_path):
    p = classbot(tmp_path, "report")
    assert p.returncode == 0, p.stderr
    assert "Nothing to report yet" in p.stdout and "CLASSBOT_DATABASE" in p.stdout
    as_json = classbot(tmp_path, "report", "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == []
    assert "Nothing to report yet" in as_json.stderr
    assert not (tmp_path / "none.db").exists()
