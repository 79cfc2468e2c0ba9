"""The report rendered for Discord (one embed) and Slack (blocks) stays within each platform's limits
and shows students' words inert, however many and however long they are."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.adapters.discord import render as discord_render
from bot.adapters.discord.report import report_embed
from bot.adapters.slack.report import report_blocks
from bot.core.reports import (
    ItemResult,
    Report,
    TriviaSummary,
    UnansweredTopic,
    UnhelpfulAnswer,
    UnitQuestions,
    UnitWeek,
    WeekSeries,
)
from tests.fakes.slack_server import block_texts

NASTY = "@everyone **look** <@123> [link](http://x.example) `code` <!channel> & " + "very long words " * 40


def big_report(n: int = 10) -> Report:
    units = tuple((f"u{i}", f"Unit {i} " + "title " * 20) for i in range(12))
    return Report(
        course_id="c", course_title="A course " * 40, platform="discord", guild_id="g", timezone="UTC",
        generated_at=datetime(2026, 1, 14, 12, tzinfo=UTC), week_start=date(2026, 1, 12), week_end=date(2026, 1, 14),
        units=units,
        unanswered=tuple(UnansweredTopic(f"{i} {NASTY}", 50 - i, ("a", "b"), 0.0) for i in range(n)),
        unhelpful=tuple(UnhelpfulAnswer(f"f{i}", f"{i} {NASTY}", "u1", 3, 1) for i in range(n)),
        asked=tuple(UnitQuestions(u, t, 7) for u, t in units),
        not_covered=4,
        trivia=TriviaSummary(5, 40, 30, 12),
        hardest=tuple(ItemResult(f"i{i}", f"{i} {NASTY}", "u1", 2, 10, i) for i in range(5)),
        weeks=(WeekSeries(date(2026, 1, 12), date(2026, 1, 14), tuple(UnitWeek(u, 1, 2, 1) for u, _ in units), 4),),
    )


def test_a_long_report_fits_in_one_discord_embed_and_says_what_was_left_out():
    embed = report_embed(big_report())
    assert len(embed) <= 6000
    assert len(embed.title or "") <= discord_render.EMBED_TITLE_LIMIT and len(embed.fields) <= 25
    assert all(len(f.value or "") <= discord_render.EMBED_FIELD_LIMIT for f in embed.fields)
    assert any("more" in (f.value or "").splitlines()[-1] for f in embed.fields)
    text = "\n".join(f.value or "" for f in embed.fields)
    for raw in ("@everyone", "<@123>", "](http", "**look"):  # each only escaped, with a backslash before it
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw
    assert "\\@everyone" in text


def test_a_long_report_fits_in_slack_blocks_and_students_words_stay_inert():
    blocks = report_blocks(big_report(), "chart note")
    assert len(blocks) <= 50
    assert all(len(t) <= 3000 for t in block_texts(blocks))
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
    text = "\n".join(block_texts(blocks))
    assert "<!channel>" not in text and "<@123>" not in text and "&lt;@123&gt;" in text
    assert "@everyone" not in text.replace("@\u200beveryone", "")
