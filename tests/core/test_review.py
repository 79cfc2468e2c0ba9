"""`classbot review`: from students' real questions to a better course, run as real processes on real
course files and a real SQLite database (answers typed on stdin, as a teacher would)."""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.core.clock import FakeClock
from bot.core.knowledge import FACT_KEYS
from bot.store import open_store
from tests.coursefiles import make_course, write

ROOT = Path(__file__).resolve().parents[2]

# A fact file as a teacher writes it: comments everywhere, a flow list, quoted and folded text.
COMMENTED = """\
# Unit 1: the landing. Keep this file in the order of the text.
facts:
  # the famous one
  - id: first-walker   # do not rename: trivia history uses it
    questions:
      - Who was the first person to walk on the Moon?
      - "who walked on the moon first"   # a student's wording
    answer: >-
      Neil Armstrong was the first person
      to walk on the Moon.
    keywords: [Armstrong]
    quote: Neil Armstrong was the first person to walk on the lunar surface.

  - id: landing-date
    questions: ["When did Apollo 11 land?", what date did apollo 11 land on the moon]
    answer: Apollo 11 landed on 20 July 1969.   # the date the text gives
    quote: Apollo 11 landed on the Moon on 20 July 1969.

  - id: collins-orbit
    questions:
      - What did Michael Collins do?
    answer: Michael Collins stayed in orbit in the command module Columbia.
    quote: Michael Collins stayed in orbit
# end of unit 1
"""


def a_course(tmp_path: Path) -> Path:
    folder = make_course(tmp_path)
    write(folder, "facts/landing.yaml", COMMENTED)
    return folder


def record(db: Path, questions: list[str], votes: list[tuple[str, str | None]] = ()) -> None:
    async def fill() -> None:
        clock = FakeClock()
        async with open_store(db, clock=clock) as store:
            for q in questions:
                clock.advance(minutes=1)
                await store.record_unanswered("discord", "moon", "g", "c", q, None, asker=f"a{clock.now()}")
            for n, (q, fact_id) in enumerate(votes):
                await store.record_feedback("discord", "g", "c", f"u{n}", q, fact_id, False, message_id=f"m{n}")

    asyncio.run(fill())


def review(db: Path, folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "CLASSBOT_DATABASE": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", "review", "--knowledge", str(folder), *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=env, cwd=db.parent)


def queue(db: Path, folder: Path) -> list[dict]:
    p = review(db, folder, "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_adding_a_phrasing_changes_only_that_line_of_a_commented_fact_file(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["who was the 1st guy on the moon"] * 3 + ["what about mars"])
    before = (folder / "facts/landing.yaml").read_text()
    items = queue(db, folder)
    assert [(i["question"], i["asked"]) for i in items] == [("who was the 1st guy on the moon", 3), ("what about mars", 1)]
    choice = next(n for n, f in enumerate(items[0]["facts"], 1) if f["id"] == "first-walker")
    # item 1: pick the fact, keep the student's wording (Enter); item 2: skip
    p = review(db, folder, stdin=f"{choice}\n\n\n")
    assert p.returncode == 0, p.stderr
    assert "Added \"who was the 1st guy on the moon\" as a phrasing of fact 'first-walker'" in p.stdout
    after = (folder / "facts/landing.yaml").read_text()
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ['+      - "who was the 1st guy on the moon"']  # quoted like the question above it
    facts = {f["id"]: f for f in yaml.safe_load(after)["facts"]}
    assert facts["first-walker"]["questions"][-1] == "who was the 1st guy on the moon"
    # the bot answers it now, and the reviewed item does not come back; the skipped one does
    ask = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "--knowledge", str(folder),
                          "who was the 1st guy on the moon"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert json.loads(ask.stdout)["fact_id"] == "first-walker"
    assert [i["question"] for i in queue(db, folder)] == ["what about mars"]


def test_a_phrasing_that_would_break_validation_is_refused_and_the_file_is_untouched(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["Who was the first person to walk on the Moon?"])
    before = (folder / "facts/landing.yaml").read_bytes()
    # the same question as another fact's: the bot could no longer tell the two facts apart
    p = review(db, folder, "--add-phrasing", "1", "collins-orbit")
    assert p.returncode == 1
    assert "Nothing was written" in p.stderr and "is answered with fact 'first-walker'" in p.stderr
    assert (folder / "facts/landing.yaml").read_bytes() == before
    assert [i["question"] for i in queue(db, folder)] == ["Who was the first person to walk on the Moon?"]
    assert not list(folder.rglob(".*.tmp"))


def test_dismissed_items_do_not_return_even_when_asked_again(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["what about mars", "what about venus"])
    p = review(db, folder, stdin="d\n")  # dismiss the first (most recent of equals), then EOF
    assert p.returncode == 0, p.stderr and "Dismissed." in p.stdout
    left = [i["question"] for i in queue(db, folder)]
    assert len(left) == 1
    dismissed = ({"what about mars", "what about venus"} - set(left)).pop()
    record(db, [dismissed])
    assert [i["question"] for i in queue(db, folder)] == left
    p = review(db, folder, "--dismiss", "1")
    assert p.returncode == 0 and queue(db, folder) == []


def test_near_duplicates_are_one_item_most_asked_first_with_votes_merged_in(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["What about Mars?", "what abuot mars", "what about mars??", "when did they go home",
                "when did they go home", "who built the rocket"],
           votes=[("what about mars", None), ("when did apollo land", "landing-date")])
    items = queue(db, folder)
    by_question = {i["question"]: i for i in items}
    mars = next(i for i in items if "mars" in i["question"].lower())
    assert (mars["asked"], mars["unhelpful"], mars["count"]) == (3, 1, 4)
    assert len([i for i in items if "mars" in i["question"].lower()]) == 1
    assert items[0] is mars or items[0]["count"] >= mars["count"]
    assert [i["count"] for i in items] == sorted((i["count"] for i in items), reverse=True)
    assert by_question["when did apollo land"]["voted_facts"] == ["landing-date"]
    assert "who built the rocket" in by_question and "when did they go home" in by_question
    assert "landing-date" in [f["id"] for f in by_question["when did apollo land"]["facts"]]


def test_drafting_a_fact_quotes_a_sentence_and_the_course_stays_valid(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["when did the crew come back to earth"])
    [item] = queue(db, folder)
    passage = next(p for p in item["passages"] if "24 July" in p["text"])
    p = review(db, folder, "--draft", item["key"], passage["id"], "--answer", "On 24 July 1969.")
    assert p.returncode == 0, p.stderr
    drafts = yaml.safe_load((folder / "facts/review-drafts.yaml").read_text())["facts"]
    assert [(f["questions"], f["answer"], f["quote"]) for f in drafts] == [
        (["when did the crew come back to earth"], "On 24 July 1969.", "The crew returned to Earth on 24 July.")]
    check = subprocess.run([sys.executable, "-m", "bot", "validate", str(folder)], capture_output=True, text=True,
                           timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert check.returncode == 0, check.stdout + check.stderr
    assert queue(db, folder) == []


def test_drafting_interactively_picks_a_sentence_by_number_and_takes_the_typed_answer(tmp_path):
    folder, db = a_course(tmp_path), tmp_path / "bot.db"
    record(db, ["when did the crew come back to earth"])
    [item] = queue(db, folder)
    number = len(item["facts"]) + next(n for n, p in enumerate(item["passages"], 1) if "24 July" in p["text"])
    p = review(db, folder, stdin=f"{number}\nThey came back on 24 July 1969.\n")
    assert p.returncode == 0, p.stderr
    assert "Drafted fact 'when-did-the-crew-come-back-to-earth'" in p.stdout
    [fact] = yaml.safe_load((folder / "facts/review-drafts.yaml").read_text())["facts"]
    assert fact["answer"] == "They came back on 24 July 1969."
    assert fact.get("draft", False) == ("draft" in FACT_KEYS)  # marked a draft where the format knows drafts


def test_a_course_that_is_a_single_text_file_cannot_take_a_draft_and_says_what_to_do(tmp_path):
    from tests.coursefiles import TEXT

    notes, db = write(tmp_path / "notes", "moon.txt", TEXT), tmp_path / "bot.db"  # the course "moon" of one file
    record(db, ["when did the crew come back to earth"])
    [item] = queue(db, notes)
    passage = next(p for p in item["passages"] if "24 July" in p["text"])
    p = review(db, notes, "--draft", "1", passage["id"])
    assert p.returncode == 1
    assert "single text file, which holds no facts: put it in a course folder" in p.stderr
    assert "Traceback" not in p.stderr
    assert [x.name for x in notes.parent.iterdir()] == ["moon.txt"] and notes.read_text() == TEXT
    assert len(queue(db, notes)) == 1
