"""What a new user meets first in the terminal, run as real processes on real files: no database yet,
log lines, wording."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


async def one_recorded_question(path: Path, student: str) -> None:
    from bot.store import open_store

    async with open_store(path) as store:
        await store.record_unanswered("discord", "crisis", "g1", "c1", "what about my dog", student)


async def test_forget_user_prints_no_log_lines_and_counts_in_plain_words(tmp_path):
    db = tmp_path / "bot.db"
    await one_recorded_question(db, "777")
    dry = classbot(tmp_path, "forget-user", "777", CLASSBOT_DATABASE=str(db))
    assert "discord: 0 votes, 0 trivia answers, 0 score rows, 1 recorded question" in dry.stdout
    p = classbot(tmp_path, "forget-user", "777", "--yes", CLASSBOT_DATABASE=str(db))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "Deleted 3 rows about this user id."  # the question and its counters
    assert p.stderr == ""  # no "... INFO bot.core.privacy: ..." in the admin's terminal


async def test_classbot_log_level_still_turns_the_info_lines_on_for_terminal_commands(tmp_path):
    db = tmp_path / "bot.db"
    await one_recorded_question(db, "777")
    p = classbot(tmp_path, "forget-user", "777", "--yes", CLASSBOT_DATABASE=str(db), CLASSBOT_LOG_LEVEL="INFO")
    assert p.returncode == 0 and "INFO bot.core.privacy" in p.stderr


def test_a_slack_run_that_cannot_connect_says_so_in_one_line_with_no_library_info_line(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = classbot(tmp_path, "run", "slack", SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1",
                 SLACK_API_URL=f"http://127.0.0.1:{port}/api/", CLASSBOT_DATABASE=str(tmp_path / "c.db"))
    assert p.returncode == 1
    assert [line for line in p.stderr.splitlines() if line.strip()] == [
        line for line in p.stderr.splitlines() if line.startswith("classbot: cannot reach the Slack API")]
    assert "cannot reach the Slack API" in p.stderr


def a_checkout(tmp_path: Path) -> Path:
    """A copy of classbot whose bundled course (bot.config.bundled_knowledge_path) is a throwaway copy."""
    import shutil

    copy = tmp_path / "classbot"
    shutil.copytree(ROOT / "bot", copy / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "knowledge", copy / "knowledge")
    return copy


def bundled_files(checkout: Path) -> dict[str, bytes]:
    return {str(f.relative_to(checkout)): f.read_bytes() for f in sorted((checkout / "knowledge").rglob("*"))
            if f.is_file()}


async def test_review_will_not_write_into_the_bundled_course_and_says_how_to_copy_it(tmp_path):
    from bot.store import open_store

    checkout, db = a_checkout(tmp_path), tmp_path / "bot.db"
    async with open_store(db) as store:
        await store.record_unanswered("discord", "cuban-missile-crisis", "g", "c", "who was the us president", None)
    before = bundled_files(checkout)
    env = {"PYTHONPATH": str(checkout), "CLASSBOT_DATABASE": str(db)}
    listed = classbot(tmp_path, "review", "--json", **env)
    assert listed.returncode == 0, listed.stderr
    [item] = json.loads(listed.stdout)
    fact_id = item["facts"][0]["id"] if item["facts"] else "victory-for-kennedy"

    p = classbot(tmp_path, "review", "--add-phrasing", "1", fact_id, **env)
    assert p.returncode != 0
    assert "bundled with classbot" in p.stderr and "--knowledge" in p.stderr
    assert f"cp -r {(checkout / 'knowledge' / 'cuban-missile-crisis').resolve()} " in p.stderr
    assert "Traceback" not in p.stderr

    typed = classbot_stdin(tmp_path, "1\n\nq\n", "review", **env)  # the interactive review: view, refuse the edit
    assert typed.returncode == 0, typed.stderr
    assert "who was the us president" in typed.stdout and "bundled with classbot" in typed.stdout
    assert bundled_files(checkout) == before
    assert [i["question"] for i in json.loads(classbot(tmp_path, "review", "--json", **env).stdout)] == [
        "who was the us president"]


def classbot_stdin(tmp_path: Path, stdin: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environ.pop("CLASSBOT_LOG_LEVEL", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, env=environ, cwd=tmp_path)


def test_a_course_with_one_problem_is_refused_in_one_plain_sentence(tmp_path):
    from tests.coursefiles import FACTS, make_course

    folder = make_course(tmp_path, FACTS.replace("Michael Collins stayed in orbit", "nope"))
    p = classbot(tmp_path, "ask", "--knowledge", str(folder), "who stayed in orbit")
    assert p.returncode == 78
    assert p.stderr.splitlines()[0] == "classbot: cannot use the course: the course has 1 problem:"


def test_new_from_notes_with_nothing_to_draft_says_so_and_why(tmp_path):
    notes = tmp_path / "plain.txt"
    notes.write_text("My notes\n\nThe cat sat on the mat. It was nice and warm there.\n")
    p = classbot(tmp_path, "new", str(tmp_path / "course"), "--from", str(notes))
    assert p.returncode == 0, p.stderr
    assert "no fact could be drafted" in p.stdout
    assert "a date, a number, a name or a cause" in p.stdout
    assert "Every fact is marked" not in p.stdout
    assert (tmp_path / "course" / "course.yaml").is_file()


def test_trivia_preview_speaks_to_the_terminal_and_shows_the_points_when_stopped_early(tmp_path):
    p = classbot_stdin(tmp_path, "\n1\nq\n", "trivia", "--rounds", "3")
    assert p.returncode == 0, p.stderr
    assert "Type your answer, or q to stop." in p.stdout
    assert "after the command" not in p.stdout
    assert "You got " in p.stdout and " of 1 right." in p.stdout
    assert "Points: " in p.stdout.split("of 1 right.")[1]  # the score of the round played, not only after all rounds


def test_chat_on_a_folder_of_courses_names_every_course_in_the_banner_and_in_topics(tmp_path):
    from tests.fakes.two_courses import write_two_courses

    root = write_two_courses(tmp_path / "courses")
    p = classbot_stdin(tmp_path, "/topics\nquit\n", "chat", "--knowledge", str(root))
    assert p.returncode == 0, p.stderr
    banner = p.stdout.splitlines()[0]
    assert "2 courses: The Moon landing, The Solar System" in banner
    lines = p.stdout.splitlines()
    moon, solar = lines.index("you> The Moon landing:"), lines.index("The Solar System:")
    assert moon < solar
    assert any("The landing (" in line for line in lines[moon:solar])
    assert any("The planets (" in line for line in lines[solar:])
