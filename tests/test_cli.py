"""The `classbot ask` contract that score.py, benchmarks and outside tools rely on, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.coursefiles import TEXT, write

FIELDS = {"question", "answered", "answer", "confidence", "fact_id", "citations", "suggestions"}


def classbot(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, cwd=cwd)


def test_ask_json_prints_one_object_with_the_contract_fields():
    p = classbot("ask", "--json", "which country left NATO?")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert set(data) == FIELDS
    assert data["answered"] is True and data["fact_id"]
    [citation] = data["citations"]
    assert set(citation) == {"source", "title", "location", "quote"}
    assert "pulled France out of NATO" in citation["quote"]


def test_ask_json_batch_reads_stdin_and_keeps_order():
    questions = ["what is the hotline for", "", "who was fidel castro", "when did khrushchev fall from power"]
    p = classbot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["what is the hotline for", "", "who was fidel castro", "when did khrushchev fall from power"]
    assert [r["answered"] for r in rows] == [True, False, False, True]
    assert all(set(r) == FIELDS for r in rows)
    assert rows[2]["citations"] == [] and rows[2]["answer"] is None and rows[2]["suggestions"]


def test_ask_readable_output_shows_answer_quote_and_location():
    p = classbot("ask", "who did rfk meet")
    assert p.returncode == 0
    assert "│ " in p.stdout and "The President's brother, ¶1 (lines 3-4)" in p.stdout


def test_ask_on_a_folder_with_only_a_text_file(tmp_path):
    write(tmp_path / "notes", "moon.txt", TEXT)
    p = classbot("ask", "--json", "--knowledge", str(tmp_path / "notes"), "who stayed in orbit")
    data = json.loads(p.stdout)
    assert data["answered"] and data["fact_id"] is None and "Michael Collins" in data["citations"][0]["quote"]


def test_eval_explains_misses(tmp_path):
    qs = write(tmp_path, "q.tsv", "# teacher's check\nwhich country left nato\tfrance-leaves-nato\nwho was castro\tNONE\nwhat is the hotline\tclose-to-nuclear-war\n")
    p = classbot("eval", str(qs))
    assert p.returncode == 0
    assert "2/3 right" in p.stdout
    assert "MISS 'what is the hotline' (gold close-to-nuclear-war): cited the wrong thing (hotline" in p.stdout


def test_chat_answers_and_leaves_on_end_of_input():
    p = classbot("chat", stdin="/help\nwho won\n/topics\n")
    assert p.returncode == 0
    assert "Ctrl-D" in p.stdout and "victory for Kennedy" in p.stdout and "Bye!" in p.stdout


def test_core_imports_no_chat_library():
    code = (
        "import sys, bot.core.answering, bot.core.knowledge, bot.core.validation, bot.core.trivia, bot.core.schedule, bot.cli;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('discord', 'slack_bolt', 'slack_sdk', 'aiohttp')];"
        "print(bad)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "[]", p.stdout + p.stderr
    for path in Path("bot/core").glob("*.py"):
        text = path.read_text()
        assert "import discord" not in text and "slack_bolt" not in text, path


def test_teacher_sees_the_questions_the_course_could_not_answer(tmp_path):
    import asyncio

    from bot.store import open_store

    db = tmp_path / "classbot.db"

    async def record() -> None:
        async with open_store(db) as store:
            for q in ("who was castro", "Who was Castro", "what is the bay of pigs"):
                await store.record_unanswered("discord", "cuban-missile-crisis", "g1", "c1", q, None)

    asyncio.run(record())
    p = subprocess.run([sys.executable, "-m", "bot", "unanswered"], capture_output=True, text=True, timeout=60,
                       env={**__import__("os").environ, "CLASSBOT_DATABASE": str(db)})
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("cuban-missile-crisis: 2 question(s)")
    assert "2x  who was castro" in lines[1].lower() and "1x  what is the bay of pigs" in lines[2]


def test_config_may_follow_the_command_and_validate_takes_knowledge(tmp_path):
    write(tmp_path / "notes", "moon.txt", TEXT)
    config = write(tmp_path, "c.yaml", f"knowledge_path: {tmp_path / 'notes'}\n")
    p = classbot("ask", "--config", str(config), "--json", "who stayed in orbit")
    assert "Michael Collins" in json.loads(p.stdout)["citations"][0]["quote"]
    p = classbot("validate", "--knowledge", str(tmp_path / "notes"))
    assert p.returncode == 0 and "OK: the course is valid" in p.stdout


def test_eval_warns_about_ids_that_do_not_exist(tmp_path):
    qs = write(tmp_path, "q.tsv", "which country left nato\tfrance-leaves-nat\n")
    p = classbot("eval", str(qs))
    assert "neither facts of the course nor sentences" in p.stdout and "france-leaves-nat" in p.stdout
