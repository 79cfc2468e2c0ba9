"""Slack's phrasebook for the trivia use-cases' results (bot.core.trivia.wording puts it together)."""

from __future__ import annotations

from datetime import datetime

from bot.adapters.slack import render
from bot.adapters.slack.parsing import BAD_TIME, BAD_TIME_SIZE, BAD_ZONE, BAD_ZONE_SIZE, NOT_A_CHANNEL, TRIVIA_USAGE
from bot.core.trivia import wording
from bot.core.trivia.admin import Leaderboard


def next_post_line(at: datetime) -> str:
    """The next post in the reader's own time zone (Slack's date formatting), UTC as the fallback."""
    stamp = int(at.timestamp())
    return f"Next question: <!date^{stamp}^{{date_short_pretty}} at {{time}}|{at:%Y-%m-%d %H:%M} UTC>."


WORDS = wording.TriviaWords(
    channel=lambda channel_id: f"<#{channel_id}>",
    quote=render.escape,
    safe=render.safe,
    next_post=next_post_line,
    scheduled="Daily trivia scheduled in {channel} at {time} ({zone}), {kind}. {next}\n"
    "If I am not in {channel} yet, invite me there.",
    not_set_up="Daily trivia is not set up. Use `/trivia schedule #channel HH:MM Area/City`.",
    status_notes_no_trivia=False,
    off="Daily trivia is off.",
    bad_time=BAD_TIME,
    bad_time_size=BAD_TIME_SIZE,
    bad_zone=BAD_ZONE,
    bad_zone_size=BAD_ZONE_SIZE,
    bad_channel=NOT_A_CHANNEL,
    invalid_input="{problem}\n" + TRIVIA_USAGE.replace("{", "{{").replace("}", "}}"),
    post_failed="I could not post in {channel}: is the app in that channel? ({detail})",
    opted_out="You are off the leaderboard; your answers still count for `/mystats`. "
    "`/leaderboard optin` puts you back.",
    no_points="No trivia points yet.",
    leaderboard_title="*Trivia leaderboard — {period}*",
    leaderboard_row="{rank}. <@{user}> — {points} pts ({correct} correct){streak}",
    streak=" :fire: {streak}",
    stats="*Your trivia*: {points} points ({week_points} this week), rank {rank}\n"
    "{correct}/{answered} correct, streak {streak} (best {best_streak})",
)


def leaderboard_text(board: Leaderboard) -> str:
    if not board.rows:
        return wording.no_points(WORDS, board)
    return "\n".join([wording.leaderboard_title(WORDS, board), *wording.leaderboard_rows(WORDS, board)])
