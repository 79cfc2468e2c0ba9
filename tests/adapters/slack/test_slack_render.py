"""Block Kit rendering: escaping, no pings, and Slack's size limits."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.adapters.slack import render
from bot.core.models import Answer, Citation
from tests.fakes.slack_server import block_texts

ROOT = Path(__file__).resolve().parents[3]


def _check_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= 50
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        if b["type"] == "actions":
            assert len(b["elements"]) <= 25
            for el in b["elements"]:
                assert len(el["text"]["text"]) <= 75
                assert len(el["value"]) <= 2000


def test_escape_follows_slacks_rules_and_defuses_broadcasts():
    assert render.escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert render.escape("<!channel> <@U123>") == "&lt;!channel&gt; &lt;@U123&gt;"
    assert render.escape("hi @here and @Everyone") == "hi @\u200bhere and @\u200bEveryone"
    assert render.escape("mail me@channels.org") == "mail me@channels.org"


def test_incoming_slack_markup_becomes_plain_text():
    assert render.from_slack("<!everyone> <@U1|ann> <#C1|general> <https://x.org|site> a &amp; b &lt;c&gt;") == (
        "@everyone @ann #general site a & b <c>"
    )


def test_clip_cuts_at_a_word_boundary_and_never_inside_an_entity():
    text = "word " * 1000
    clipped = render.clip(text, 3000)
    assert len(clipped) <= 3000 and clipped.endswith("word…")
    entities = "&amp;" * 1000
    clipped = render.clip(entities, 103)
    assert len(clipped) <= 103 and clipped[:-1].endswith("&amp;")


def test_long_answer_with_many_citations_stays_within_block_limits():
    long = "The answer goes on and on " * 400
    citations = tuple(
        Citation("src", "Source " * 50, "Section › Sub, ¶1 (lines 1-2)", "Quoted <text> & more " * 300)
        for _ in range(40)
    )
    answer = Answer("why? " * 900, True, long, 0.5, citations, fact_id="f1")
    blocks = render.answer_blocks(answer)
    _check_limits(blocks)
    value = json.loads(blocks[-1]["elements"][0]["value"])
    assert value["f"] == "f1" and value["q"].startswith("why?")
    assert any("not sure" in t for t in block_texts(blocks))  # weak: a confidence hint
    assert len(render.answer_text(answer)) <= render.FALLBACK_LIMIT


def test_suggestion_buttons_are_clipped_but_ask_the_whole_question():
    question = "What happened when " + "the very long question continues " * 10
    answer = Answer("?", False, None, 0.0, suggestions=(question, "Short one?"))
    blocks = render.answer_blocks(answer)
    _check_limits(blocks)
    buttons = blocks[-1]["elements"]
    assert buttons[0]["text"]["text"].endswith("…") and buttons[0]["value"] == question
    assert [b["action_id"] for b in buttons] == ["ask_suggestion_0", "ask_suggestion_1"]


def test_the_echoed_question_is_plain_text_so_student_formatting_never_renders():
    question = "*bold* _x_ ~x~ `code` https://evil.example/x <https://evil.example|click> :smile: @here &amp;"
    for answer in (
        Answer(question, False, None, 0.0, suggestions=("Short one?",)),
        Answer(question, True, "A.", 0.95, (Citation("s", "Title", "Where", "Quote."),), fact_id="f"),
    ):
        echo = render.answer_blocks(answer)[0]
        assert echo["type"] == "context"
        shown = [el for el in echo["elements"] if "bold" in el["text"]]
        assert shown == [
            {
                "type": "plain_text",
                "text": "*bold* _x_ ~x~ `code` https://evil.example/x <https://evil.example|click> :smile: "
                "@\u200bhere &amp;",
                "emoji": False,
            }
        ]
        assert all(el["text"] == ":question:" for el in echo["elements"] if el["type"] == "mrkdwn")


def test_confident_answer_has_no_confidence_hint():
    c = Citation("s", "Title", "Where", "Quote.")
    blocks = render.answer_blocks(Answer("q", True, "A.", 0.95, (c,), fact_id="f"))
    assert not any("not sure" in t for t in block_texts(blocks))
    assert "> Quote." in block_texts(blocks)


def test_manifest_declares_the_commands_events_and_socket_mode():
    manifest = yaml.safe_load((ROOT / "docs" / "slack-manifest.yaml").read_text(encoding="utf-8"))
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ask", "/topics", "/trivia", "/leaderboard", "/mystats", "/course", "/report", "/forgetme"}
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "users:read", "usergroups:read",
            "files:write", "im:write"} <= scopes  # files:write + im:write: the /report chart by DM


def test_schedule_with_a_time_zone_folder_is_explained_not_a_crash():
    from bot.adapters.slack.parsing import parse_trivia

    cmd = parse_trivia("schedule 09:00 America", "C1")
    assert cmd.action == "help" and "is not a time zone" in cmd.error
