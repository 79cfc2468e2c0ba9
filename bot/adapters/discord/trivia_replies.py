"""Discord's phrasebook for the trivia use-cases' results (bot.core.trivia.wording puts it together)."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.adapters.discord import render
from bot.core.trivia import wording
from bot.core.trivia.admin import Leaderboard


def next_post_line(at: datetime) -> str:
    """The next post in each reader's own time (Discord's timestamps)."""
    return f"Next question: {discord.utils.format_dt(at, 'F')} ({discord.utils.format_dt(at, 'R')})."


WORDS = wording.TriviaWords(
    scheduled="Daily trivia scheduled in {channel} at {time} ({zone}), {kind}. {next}",
    not_set_up="Daily trivia is not set up. Use `/trivia schedule channel time timezone`.",
    status_notes_no_trivia=True,
    off="Daily trivia is off. `/trivia schedule` turns it back on.",
    bad_time="“{given}” is not a time: use HH:MM, 24-hour, e.g. 09:00 or 14:30.",
    bad_time_size=20,
    bad_zone="“{given}” is not a timezone I know: use an IANA name like Europe/Paris, America/New_York or UTC.",
    bad_zone_size=60,
    bad_channel="Pick a text channel of this server.",
    invalid_input="{problem}",
    post_failed="I could not post in {channel}: can I see and write in that channel? ({detail})",
    opted_out="You are off the leaderboard; your answers still count for /mystats.",
    no_points="No trivia points yet ({period}).",
    leaderboard_title="Trivia leaderboard — {period}",
    leaderboard_row="**{rank}.** <@{user}> — {points} pts ({correct} correct){streak}",
    streak=" 🔥 {streak}",
    stats="**Your trivia**: {points} points ({week_points} this week), rank {rank}\n"
    "{correct}/{answered} correct, streak {streak} (best {best_streak})",
    # how Discord shows a channel and a time, and makes a teacher's text safe
    channel=lambda channel_id: f"<#{channel_id}>",
    next_post=next_post_line,
    quote=render.escape_user_text,
    safe=render.clip,
)


def leaderboard_embed(board: Leaderboard) -> discord.Embed:
    lines = wording.leaderboard_rows(WORDS, board)
    return discord.Embed(title=wording.leaderboard_title(WORDS, board), description="\n".join(lines))
