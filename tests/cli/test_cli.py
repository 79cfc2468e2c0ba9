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
    assert lines[0].startswith("cuban-missile-crisis: 2 question(s)") and len(lines) == 3
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


# ---- terminal and JSON output (issue 9 item 12) -------------------------------------------------


def classbot_bytes(*args: str, stdin: bytes = b"", env: dict | None = None, cwd: Path | None = None):
    import os

    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CLASSBOT_CONFIG": "", **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, timeout=60,
                          env=environment, cwd=cwd)


ROOT = Path(__file__).resolve().parents[2]
LINE_BREAKS = ("\u2028", "\u2029", "\u0085")


def test_ask_json_batch_takes_any_bytes_and_writes_one_valid_ascii_line_each():
    stdin = (b"who was \xff\xfe castro\n"  # not UTF-8
             + "which country left nato\u2028\u2029\u0085?\n".encode()
             + b"\x1b]0;owned\x07what is the \x1b[2Khotline for\r\n")
    for io in ("utf-8:strict", "ascii:strict"):
        p = classbot_bytes("ask", "--json", stdin=stdin, env={"PYTHONIOENCODING": io})
        assert p.returncode == 0, p.stderr.decode()
        assert p.stdout.isascii() and b"Traceback" not in p.stderr
        lines = p.stdout.decode("ascii").split("\n")
        assert lines[-1] == "" and len(lines) == 4
        rows = [json.loads(line) for line in lines[:-1]]
        assert rows[0]["question"] == "who was \ufffd\ufffd castro"
        assert rows[1]["question"] == "which country left nato ?" and rows[1]["answered"]
        assert rows[2]["question"] == "what is the hotline for" and rows[2]["answered"]  # escapes removed whole
        assert not any(ch in json.dumps(r, ensure_ascii=False) for r in rows for ch in "\x1b\x07\r")


def test_ask_json_escapes_line_separators_from_the_course_itself(tmp_path):
    write(tmp_path / "notes", "moon.txt", TEXT.replace("Michael Collins", "Michael\u2028Collins\u0085"))
    p = classbot_bytes("ask", "--json", "--knowledge", str(tmp_path / "notes"), "who stayed in orbit")
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout.count(b"\n") == 1 and p.stdout.isascii()
    assert not any(ch.encode() in p.stdout for ch in LINE_BREAKS)
    json.loads(p.stdout)


def test_ask_question_given_as_arguments_with_invalid_bytes_and_controls_is_cleaned():
    import os

    p = subprocess.run([sys.executable.encode(), b"-m", b"bot", b"ask", b"--json", b"who was \xff castro\x1b[31m\x07"],
                       capture_output=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads(p.stdout)["question"] == "who was \ufffd castro"


def test_unanswered_never_prints_control_characters_of_old_rows_and_says_how_many_are_shown(tmp_path):
    import asyncio
    import sqlite3

    from bot.store import open_store

    db = tmp_path / "classbot.db"

    async def record() -> None:
        async with open_store(db) as store:
            for q in ("who was castro", "who was castro", "what is a blockade", "who was u thant"):
                await store.record_unanswered("discord", "cuban-missile-crisis", "g1", "c1", q, None)

    asyncio.run(record())
    con = sqlite3.connect(db)  # a row as an older classbot stored it: raw
    con.execute("UPDATE unanswered SET question = ? WHERE question = 'who was castro'",
                ("who was\x1b]0;pwned\x07 castro\r\x1b[2K\u202e?",))
    con.commit()
    con.close()
    env = {"CLASSBOT_DATABASE": str(db)}
    p = classbot_bytes("unanswered", "--limit", "1", env=env)
    assert p.returncode == 0, p.stderr.decode()
    out = p.stdout.decode()
    assert out.splitlines()[0].startswith("cuban-missile-crisis: showing 1 of 3 question(s)")
    assert "2x  who was castro ?" in out and "2 more" in out
    assert not any(ch in out for ch in "\x1b\x07\r\u202e")
    p = classbot_bytes("unanswered", env=env)
    assert p.stdout.decode().splitlines()[0].startswith("cuban-missile-crisis: 3 question(s)")


# ---- smaller command-line fixes (issue 9 item 15) -----------------------------------------------


def test_eval_min_makes_a_score_below_the_bar_fail(tmp_path):
    qs = write(tmp_path, "q.tsv", "which country left nato\tfrance-leaves-nato\nwho was castro\tNONE\n"
                                  "what is the hotline\tclose-to-nuclear-war\n")
    assert classbot("eval", str(qs), "--min", "0.9").returncode == 1
    assert classbot("eval", str(qs), "--min", "60%").returncode == 0
    p = classbot("eval", str(qs), "--min", "2")
    assert p.returncode == 2 and "between 0 and 1" in p.stderr


def test_trivia_refuses_zero_or_negative_rounds_with_a_clear_message():
    for rounds in ("0", "-1", "x"):
        p = classbot("trivia", "--rounds", rounds, stdin="")
        assert p.returncode == 2 and "--rounds" in p.stderr and ("1 or more" in p.stderr or "whole number" in p.stderr)
        assert "Traceback" not in p.stderr
    p = classbot("unanswered", "--limit", "0")
    assert p.returncode == 2 and "1 or more" in p.stderr


def test_version_is_printed():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    p = classbot("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"classbot {version}"


def test_every_configuration_error_exits_with_ex_config(tmp_path):
    from bot.core.errors import EXIT_CONFIG

    clean = {"DISCORD_TOKEN": "", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "",
             "CLASSBOT_DATABASE": str(tmp_path / "c.db")}
    discord = classbot_bytes("run", "discord", env=clean, cwd=tmp_path)
    slack = classbot_bytes("run", "slack", env=clean, cwd=tmp_path)
    setting = classbot_bytes("ask", "hi", env={"CLASSBOT_ASK_COOLDOWN": "soon"}, cwd=tmp_path)
    course = classbot_bytes("ask", "--knowledge", str(tmp_path / "missing"), "hi", cwd=tmp_path)
    for p, says in [(discord, b"DISCORD_TOKEN"), (slack, b"SLACK_BOT_TOKEN"), (setting, b"ask_cooldown_seconds"),
                    (course, b"classbot:")]:
        assert p.returncode == EXIT_CONFIG, (p.returncode, p.stderr)
        assert says in p.stderr and b"Traceback" not in p.stderr
    assert not (tmp_path / "c.db").exists()


def test_a_discord_run_that_cannot_connect_leaves_no_database(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "classbot.db"
    p = classbot_bytes("run", "discord", cwd=tmp_path, env={
        "DISCORD_TOKEN": "x" * 30, "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
        "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/", "CLASSBOT_DATABASE": str(db)})
    assert p.returncode == 1 and b"cannot reach Discord" in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_discord_run_that_cannot_connect_says_so_in_one_plain_line_without_library_class_names(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = classbot_bytes("run", "discord", cwd=tmp_path, env={
        "DISCORD_TOKEN": "x" * 30, "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
        "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/", "CLASSBOT_DATABASE": str(tmp_path / "c.db")})
    [line] = p.stderr.decode().strip().splitlines()
    assert line.startswith(f"classbot: cannot reach Discord at http://127.0.0.1:{port}/api/v10: ")
    assert "Error" not in line and "check the network" in line


def test_ask_and_chat_use_the_configured_default_course_of_several_and_refuse_an_unknown_one(tmp_path):
    import os
    import shutil

    from bot.config import bundled_knowledge_path
    from tests.coursefiles import make_course

    library = tmp_path / "courses"
    shutil.copytree(bundled_knowledge_path(), library / "cuban-missile-crisis")
    make_course(library)  # library/moon
    env = {**os.environ, "CLASSBOT_KNOWLEDGE": str(library)}

    def ask(default: str | None) -> subprocess.CompletedProcess:
        e = {**env, "CLASSBOT_DEFAULT_COURSE": default} if default else env
        return subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "who won the cuban missile crisis"],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path, env=e)

    together = json.loads(ask(None).stdout)
    assert together["fact_id"] == "victory-for-kennedy"  # no default: every course answers together
    moon_only = ask("moon")
    assert moon_only.returncode == 0, moon_only.stderr
    assert json.loads(moon_only.stdout)["fact_id"] != "victory-for-kennedy"
    unknown = ask("nope")
    assert unknown.returncode == 78 and "default_course 'nope' is not one of the courses" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_chat_leaves_on_quit_exit_and_slash_quit_and_help_says_so():
    for word in ("quit", "exit", "/quit", "EXIT"):
        p = classbot("chat", stdin=f"/help\n{word}\nwho won\n")
        assert p.returncode == 0 and "Bye!" in p.stdout
        assert "victory for Kennedy" not in p.stdout  # nothing after the quit was asked
        assert "quit, exit" in p.stdout
