"""Slack trivia answers belong to their workspace, channel and open round (issue 9, item 10), end to end
through the fake Slack in Socket Mode: a forged button value records nothing and is still acked."""

from __future__ import annotations

import json

import pytest

from tests.adapters.slack import test_slack_trivia as base
from tests.fakes.slack_server import TEAM_ID

# the fixtures of the Slack trivia tests: a fake Slack, a real SQLite store, a fake clock, the bot
slack, store, clock, bot = base.slack, base.store, base.clock, base.bot


async def posted_round(slack, bot, store, *, free_text: bool = False):
    await store.set_trivia_config("slack", TEAM_ID, "C9", "09:00", "UTC", free_text=free_text)
    report = await bot.scheduler.tick()
    post = await slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C9")
    return report.posted[0], post


def forge(post, **value) -> None:
    """Rewrite the value of every button of a posted message, as a tampered client would send it."""
    for button in post.buttons():
        button["value"] = json.dumps(value) if "c" in value else str(value["r"])


async def test_a_forged_choice_naming_another_workspaces_round_records_nothing(slack, bot, store):
    mine, post = await posted_round(slack, bot, store)
    theirs = await bot.rt.trivia.start_round("slack", "T_OTHER", "C5")
    await store.mark_round_posted(theirs.id, "1700000000.000100")
    forge(post, r=theirs.id, c=0)
    since = slack.mark()
    eid = slack.click(post, "trivia_choice_0", user="U1")
    await slack.wait_for_ack(eid)
    reply = await slack.wait_for("chat.postEphemeral", since=since)
    assert "no longer exists" in reply.text
    assert (await store.round_stats(theirs.id)).answered == 0


async def test_a_click_from_another_channel_is_not_recorded(slack, bot, store):
    round, post = await posted_round(slack, bot, store)
    since = slack.mark()
    slack.click(post, "trivia_choice_0", user="U1", channel="C1")  # the round is in C9
    reply = await slack.wait_for("chat.postEphemeral", since=since)
    assert "no longer exists" in reply.text and (await store.round_stats(round.id)).answered == 0


@pytest.mark.parametrize("round_id", [10**30, 2**63, -1, "1e3"])
async def test_an_out_of_range_round_id_is_acked_and_refused(slack, bot, store, round_id):
    round, post = await posted_round(slack, bot, store)
    forge(post, r=round_id, c=0)
    since = slack.mark()
    eid = slack.click(post, "trivia_choice_0", user="U1")
    await slack.wait_for_ack(eid)
    reply = await slack.wait_for("chat.postEphemeral", since=since)
    assert "no longer exists" in reply.text and (await store.round_stats(round.id)).answered == 0


async def test_the_answer_button_of_a_revealed_round_opens_no_form(slack, bot, store, clock):
    round, post = await posted_round(slack, bot, store, free_text=True)
    clock.advance(hours=9)
    await bot.scheduler.tick()
    assert (await store.get_round(round.id)).status == "revealed"
    since = slack.mark()
    slack.click(post, "trivia_open_answer", user="U1")
    reply = await slack.wait_for("chat.postEphemeral", since=since)
    assert "closed" in reply.text and slack.find("views.open", since=since) == []


async def test_the_answer_button_naming_another_workspaces_round_opens_no_form(slack, bot, store):
    _, post = await posted_round(slack, bot, store, free_text=True)
    theirs = await bot.rt.trivia.start_round("slack", "T_OTHER", "C5", free_text=True)
    await store.mark_round_posted(theirs.id, "1700000000.000200")
    forge(post, r=theirs.id)
    since = slack.mark()
    slack.click(post, "trivia_open_answer", user="U1")
    reply = await slack.wait_for("chat.postEphemeral", since=since)
    assert "no longer exists" in reply.text and slack.find("views.open", since=since) == []
