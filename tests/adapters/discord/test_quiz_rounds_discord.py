"""Imported quiz items played on Discord, end to end (issue 11, part 6).

A Red-DiscordBot trivia list, written in Red's own format with several answers per question, is imported
into a course in tmp_path by the real CLI (``python -m bot import FILE --into DIR``); the real discord.py bot
then runs against the fake Discord on 127.0.0.1. A teacher's ``/trivia now`` posts a quiz question, students
answer by clicking and in the free-text form (with one of Red's alternative spellings), and the reveal names
the quiz and its author instead of quoting the course text. ``/ask`` must not give the open round away.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.core.answering import Engine
from bot.core.knowledge import load_course
from tests.adapters.discord import test_discord_trivia as base
from tests.adapters.discord.test_discord_trivia import (
    EPHEMERAL,
    STUDENT_A,
    STUDENT_B,
    TEACHER,
    buttons,
    cog_of,
    custom_ids,
    pings_nobody,
    reply_to,
)
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, restore_discord_endpoints  # noqa: F401 (autouse)
from tests.fakes.slack_course import SOURCE, write_course

# the fixtures of the Discord trivia tests: the fake Discord, a fake clock, the SQLite file, the bot's start;
# their `engine` (the course) is overridden below
fake, clock, db_path, start_bot = base.fake, base.clock, base.db_path, base.start_bot

REPO = Path(__file__).resolve().parents[3]

# Red's format: AUTHOR, CONFIG, then `question: [answers]`, the first answer being the one Red shows.
RED_LIST = """\
AUTHOR: Ms Rivera
CONFIG:
  max_score: 5
  reveal_answer: true
Who was the first person to walk on the Moon?:
- Neil Armstrong
- Armstrong
- Neil Alden Armstrong
Which astronaut stayed in orbit in Columbia?:
- Michael Collins
- Collins
- Mike Collins
"Who followed Armstrong onto the Moon?":
- Buzz Aldrin
- Aldrin
- Edwin Aldrin
Which Soviet cosmonaut was the first human in space?:
- Yuri Gagarin
- Gagarin
"""
# One question, whose answer the course text also states ("Neil Armstrong was the first person to walk on
# the Moon.", the answer of the course's fact first-on-moon).
RED_ONE_QUESTION = """\
AUTHOR: Ms Rivera
Who was the first person to walk on the Moon?:
- Neil Armstrong
- Armstrong
- Neil A. Armstrong
"""
QUIZ_FILE = "space.yaml"
QUIZ_NAME = "Quiz: space (by Ms Rivera)"  # the quiz's title is the file's name; its author is Red's AUTHOR


def red_answers(text: str) -> dict[str, list[str]]:
    """{question: answers} as Red reads the list (its special keys left out)."""
    return {k: [str(a) for a in v] for k, v in yaml.safe_load(text).items() if k not in ("AUTHOR", "CONFIG")}


def red_line(text: str, question: str) -> int:
    """The line of the Red list where a question stands (what the reveal cites)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip('"').startswith(question))


def import_red_list(tmp_path: Path, course: Path, text: str) -> None:
    """Write the list and import it with the real CLI, as a teacher would."""
    red = tmp_path / QUIZ_FILE
    red.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(red), "--into", str(course)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert f"Imported {len(red_answers(text))} question(s)" in p.stdout


def course_with_quiz_only(course: Path, red_text: str) -> Path:
    """The moon course with its facts' own trivia taken out and the Red list imported (written next to the
    course folder), so every trivia round is an item of the quiz."""
    facts_file = course / "facts" / "landing.yaml"
    data = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    for fact in data["facts"]:
        fact.pop("trivia", None)
    facts_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    import_red_list(course.parent, course, red_text)
    return course


@pytest.fixture
def red_text() -> str:
    return RED_LIST


@pytest.fixture
def engine(tmp_path: Path, red_text: str) -> Engine:
    """Overrides the Discord trivia tests' course: the same one, its trivia from the imported Red list."""
    course = load_course(course_with_quiz_only(write_course(tmp_path), red_text))
    assert course.trivia_items and all(item.id in {q.id for q in course.quiz} for item in course.trivia_items)
    return Engine(course)


async def post_now(fake, bot, store, *, free_text: bool) -> tuple[dict, object]:
    """The teacher's /trivia now in #questions: the posted message and its round."""
    await store.set_trivia_config("discord", str(GUILD_ID), str(CHANNEL_ID), "09:00", "Europe/Paris", free_text=free_text)
    reply = await reply_to(fake, await fake.command("trivia", "now", user_id=TEACHER))
    assert reply["flags"] & EPHEMERAL and f"Trivia posted in <#{CHANNEL_ID}>" in reply["content"]
    posted = await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")
    assert pings_nobody(posted.json)
    round = await store.last_round("discord", str(GUILD_ID), str(CHANNEL_ID))
    assert round is not None and round.status == "posted"
    return fake.messages[round.message_id], round


async def reveal_now(fake, bot, clock, round, message: dict) -> str:
    """Move the clock past the round's close, tick: the reveal's text (a reply to the question)."""
    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(seconds=1))
    report = await cog_of(bot).scheduler.tick()
    assert [r.round.id for r in report.revealed] == [round.id]
    reveal = (await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")).json
    assert str(reveal["message_reference"]["message_id"]) == message["id"] and pings_nobody(reveal)
    return reveal["embeds"][0]["description"]


def assert_reveal_names_the_quiz(text: str, question: str, red_text: str) -> None:
    answers = red_answers(red_text)[question]
    assert f"The answer: **{answers[0]}**" in text
    assert QUIZ_NAME in text and f"imported from {QUIZ_FILE}, line {red_line(red_text, question)}" in text
    assert "The Moon landing" not in text  # the course's source is not cited...
    sentences = SOURCE.replace("\n", " ").split(". ")
    assert not any(s.strip().rstrip(".") in text for s in sentences if len(s) > 20)  # ...nor quoted


# ---------------------------------------------------------------------------------------------


async def test_trivia_now_posts_an_imported_quiz_question_and_the_form_accepts_reds_alternative_spelling(
    fake, start_bot, clock, red_text
):
    bot, store = await start_bot()
    message, round = await post_now(fake, bot, store, free_text=True)
    question = round.meta["question"]
    answers = red_answers(red_text)
    assert question in answers and question in message["embeds"][0]["description"]
    assert round.item_id.startswith("space-")  # an item of the imported quiz
    assert custom_ids(message) == [f"cb:tv:{round.id}:a"]

    alternative = answers[question][-1]  # Red's last spelling, never the one shown
    assert alternative != answers[question][0]
    iid = await fake.click(message, f"cb:tv:{round.id}:a", user_id=STUDENT_A)
    form = await fake.wait_for_callback(iid)
    assert form["type"] == 9 and form["data"]["custom_id"] == f"cb:tvm:{round.id}"
    reply = await reply_to(fake, await fake.submit_form(f"cb:tvm:{round.id}", {"answer": alternative}, user_id=STUDENT_A))
    assert reply["flags"] & EPHEMERAL and "Answer recorded" in reply["content"]
    assert await store.get_answer(round.id, str(STUDENT_A)) == (alternative, True)

    wrong = next(a[0] for q, a in answers.items() if q != question)  # another question's answer
    await reply_to(fake, await fake.submit_form(f"cb:tvm:{round.id}", {"answer": wrong}, user_id=STUDENT_B))
    assert await store.get_answer(round.id, str(STUDENT_B)) == (wrong, False)

    text = await reveal_now(fake, bot, clock, round, message)
    assert_reveal_names_the_quiz(text, question, red_text)
    assert "2 answered, 50% got it right." in text
    assert str(STUDENT_A) not in text and str(STUDENT_B) not in text


async def test_every_spelling_red_lists_is_accepted_in_the_form(fake, start_bot, red_text):
    bot, store = await start_bot()
    message, round = await post_now(fake, bot, store, free_text=True)
    spellings = red_answers(red_text)[round.meta["question"]]
    for n, spelling in enumerate(spellings):
        student = STUDENT_A + 100 + n
        reply = await reply_to(fake, await fake.submit_form(f"cb:tvm:{round.id}", {"answer": spelling}, user_id=student))
        assert "Answer recorded" in reply["content"]
        assert await store.get_answer(round.id, str(student)) == (spelling, True), spelling
    assert (await store.round_stats(round.id)).correct == len(spellings)


async def test_a_multiple_choice_quiz_round_takes_a_click_and_reveals_the_quiz_in_green(fake, start_bot, clock, red_text):
    bot, store = await start_bot()
    message, round = await post_now(fake, bot, store, free_text=False)
    question = round.meta["question"]
    shown = [b["label"] for b in buttons(message)]
    assert len(shown) == len(round.choices) >= 2
    right = list(round.choices).index(red_answers(red_text)[question][0])
    assert round.choices[right] in "".join(shown)  # the quiz's answer is one of the buttons
    others = {a[0] for q, a in red_answers(red_text).items() if q != question}
    assert set(round.choices) - {round.choices[right]} <= others  # the wrong choices: other quiz answers

    first = await reply_to(fake, await fake.click(message, f"cb:tv:{round.id}:{right}", user_id=STUDENT_A))
    assert first["flags"] & EPHEMERAL and "Answer recorded" in first["content"]
    assert (await store.get_answer(round.id, str(STUDENT_A)))[1] is True

    text = await reveal_now(fake, bot, clock, round, message)
    assert_reveal_names_the_quiz(text, question, red_text)
    edit = await fake.wait_for_request("PATCH", f"/channels/{CHANNEL_ID}/messages/{message['id']}")
    closed = buttons(edit.json)
    assert all(b["disabled"] for b in closed) and closed[right]["style"] == 3  # the answer in green


@pytest.mark.parametrize("red_text", [RED_ONE_QUESTION])
async def test_ask_does_not_give_away_an_open_quiz_rounds_answer_that_the_course_text_states(
    fake, start_bot, clock, red_text
):
    bot, store = await start_bot()
    message, round = await post_now(fake, bot, store, free_text=True)
    assert round.meta["answer"] == "Neil Armstrong"

    held = await reply_to(fake, await fake.command("ask", options={"question": "who walked on the moon first"}, user_id=STUDENT_A))
    assert "Armstrong" not in str(held)
    assert "trivia" in str(held)  # says why, and points to the question

    text = await reveal_now(fake, bot, clock, round, message)
    assert QUIZ_NAME in text
    after = await reply_to(fake, await fake.command("ask", options={"question": "who walked on the moon first"}, user_id=STUDENT_A))
    assert "Neil Armstrong was the first person to walk on the Moon." in str(after)  # the course does answer it
