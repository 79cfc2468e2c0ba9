"""Imported quiz items played in Slack, end to end (issue 11, part 6).

The same Red-DiscordBot list as the Discord tests (tests/test_quiz_rounds_discord.py), imported by the real
CLI into the Slack tests' course in tmp_path; then the Slack bot in Socket Mode against the fake Slack: a
teacher's ``/trivia now`` posts a quiz question, a student's answer with one of Red's alternative spellings
is accepted (in the answer form, or a click on the right choice), and the reveal in the thread names the quiz
and its author instead of quoting the course text. ``/ask`` must not give the open round away.
"""

from __future__ import annotations

import json

import pytest

from bot.adapters.slack.app import SlackBot, load_runtime
from bot.core.knowledge import load_course
from tests.adapters.discord.test_quiz_rounds_discord import (
    QUIZ_FILE,
    QUIZ_NAME,
    RED_LIST,
    RED_ONE_QUESTION,
    course_with_quiz_only,
    red_answers,
    red_line,
)
from tests.adapters.slack import test_slack_trivia as base
from tests.adapters.slack.test_slack_app import make_settings
from tests.adapters.slack.test_slack_trivia import command
from tests.fakes.slack_course import SOURCE
from tests.fakes.slack_server import TEAM_ID

# the fixtures of the Slack trivia tests: a fake Slack (students U1, U2 and the admin UADMIN), a real SQLite
# store and a fake clock; the bot is started below on a course whose trivia is the imported quiz
slack, store, clock = base.slack, base.store, base.clock
TRIVIA_CHANNEL = "C9"


@pytest.fixture
def red_text() -> str:
    return RED_LIST


@pytest.fixture
async def bot(slack, store, tmp_path, clock, red_text):
    settings = make_settings(slack, tmp_path)  # writes the moon course under tmp_path/courses
    course = load_course(course_with_quiz_only(settings.knowledge_path, red_text))
    assert course.quiz and {i.id for i in course.trivia_items} == {i.id for i in course.quiz}
    b = SlackBot(await load_runtime(settings, store, clock=clock))
    await b.start_socket_mode()
    await slack.wait_for_connections(1)
    yield b
    await b.close()


async def post_now(slack, store, *, free_text: bool):
    """The teacher schedules the trivia channel and runs /trivia now: the posted message and its round."""
    option = " free_text" if free_text else ""
    await command(slack, "/trivia", f"schedule <#{TRIVIA_CHANNEL}|trivia> 09:00 UTC{option}", user="UADMIN")
    reply = await command(slack, "/trivia", "now", user="UADMIN", channel="C1")
    assert reply.params["response_type"] == "ephemeral" and f"posted in <#{TRIVIA_CHANNEL}>" in reply.text
    post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == TRIVIA_CHANNEL)
    round = await store.last_round("slack", TEAM_ID, TRIVIA_CHANNEL)
    assert round is not None and round.message_id == post.result["ts"]
    return post, round


async def reveal_now(slack, bot, clock, round, post) -> str:
    """Move the clock past the round's close, tick: the reveal's text, posted in the question's thread."""
    clock.advance(hours=9)
    since = slack.mark()
    report = await bot.scheduler.tick()
    assert [r.round.id for r in report.revealed] == [round.id]
    reveal = await slack.wait_for("chat.postMessage", since=since)
    assert reveal.params["channel"] == TRIVIA_CHANNEL and reveal.params["thread_ts"] == post.result["ts"]
    return reveal.all_text()


def assert_reveal_names_the_quiz(text: str, question: str, red_text: str) -> None:
    assert red_answers(red_text)[question][0] in text
    assert QUIZ_NAME in text and f"imported from {QUIZ_FILE}, line {red_line(red_text, question)}" in text
    assert "The Moon landing" not in text  # the course's source is not cited...
    sentences = SOURCE.replace("\n", " ").split(". ")
    assert not any(s.strip().rstrip(".") in text for s in sentences if len(s) > 20)  # ...nor quoted


# ---------------------------------------------------------------------------------------------


async def test_trivia_now_posts_an_imported_quiz_question_and_the_form_accepts_reds_alternative_spelling(
    slack, bot, store, clock, red_text
):
    post, round = await post_now(slack, store, free_text=True)
    question = round.meta["question"]
    answers = red_answers(red_text)
    assert question in answers and question in post.all_text() and round.item_id.startswith("space-")
    assert [b["action_id"] for b in post.buttons()] == ["trivia_open_answer"]

    alternative = answers[question][-1]  # Red's last spelling, never the one shown
    assert alternative != answers[question][0]
    slack.click(post, "trivia_open_answer", user="U1")
    opened = await slack.wait_for("views.open")
    since = slack.mark()
    await slack.wait_for_ack(slack.submit_view(opened, {"answer": {"answer": alternative}}, user="U1"))
    confirmation = await slack.wait_for("chat.postEphemeral", since=since)
    assert (confirmation.params["channel"], confirmation.params["user"]) == (TRIVIA_CHANNEL, "U1")
    assert "Answer recorded" in confirmation.text
    assert await store.get_answer(round.id, "U1") == (alternative, True)

    wrong = next(a[0] for q, a in answers.items() if q != question)  # another question's answer
    slack.click(post, "trivia_open_answer", user="U2")
    opened = await slack.wait_for("views.open", since=since)
    since = slack.mark()
    await slack.wait_for_ack(slack.submit_view(opened, {"answer": {"answer": wrong}}, user="U2"))
    await slack.wait_for("chat.postEphemeral", since=since)
    assert await store.get_answer(round.id, "U2") == (wrong, False)
    assert slack.find("chat.postMessage", since=since) == []  # nothing public before the reveal

    text = await reveal_now(slack, bot, clock, round, post)
    assert_reveal_names_the_quiz(text, question, red_text)
    assert "2 answered, 50% got it right." in text and "<@U1>" not in text


async def test_a_multiple_choice_quiz_round_takes_a_click_and_reveals_the_quiz(slack, bot, store, clock, red_text):
    post, round = await post_now(slack, store, free_text=False)
    question = round.meta["question"]
    choices = list(round.choices)
    assert [b["action_id"] for b in post.buttons()] == [f"trivia_choice_{i}" for i in range(len(choices))]
    right = choices.index(red_answers(red_text)[question][0])
    others = {a[0] for q, a in red_answers(red_text).items() if q != question}
    assert set(choices) - {choices[right]} <= others  # the wrong choices: other questions' answers

    since = slack.mark()
    slack.click(post, f"trivia_choice_{right}", user="U1")
    first = await slack.wait_for("chat.postEphemeral", since=since)
    assert "Answer recorded" in first.text and (await store.get_answer(round.id, "U1"))[1] is True

    text = await reveal_now(slack, bot, clock, round, post)
    assert_reveal_names_the_quiz(text, question, red_text)
    assert "1 answered, 100% got it right." in text


@pytest.mark.parametrize("red_text", [RED_ONE_QUESTION])
async def test_ask_does_not_give_away_an_open_quiz_rounds_answer_that_the_course_text_states(
    slack, bot, store, clock, red_text
):
    post, round = await post_now(slack, store, free_text=True)
    assert round.meta["answer"] == "Neil Armstrong"

    held = await command(slack, "/ask", "who walked on the moon first", user="U1")
    assert "Armstrong" not in json.dumps(held.params) and "trivia" in held.all_text()

    text = await reveal_now(slack, bot, clock, round, post)
    assert QUIZ_NAME in text
    after = await command(slack, "/ask", "who walked on the moon first", user="U1")
    assert "Neil Armstrong was the first person to walk on the Moon." in after.all_text()  # the course answers it
