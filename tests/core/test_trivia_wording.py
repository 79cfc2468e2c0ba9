"""How a result of a trivia use-case becomes a reply: decided once in the core, in a phrasebook's words."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.store import LeaderboardRow, TriviaConfig, UserStats
from bot.core.trivia import wording
from bot.core.trivia.admin import (
    InvalidInput,
    Leaderboard,
    NoTrivia,
    OptedOut,
    PostedNow,
    Scheduled,
    TriviaStatus,
    TurnedOff,
)

# A made-up platform: templates that show every field, so each test sees what went where.
WORDS = wording.TriviaWords(
    channel=lambda c: f"#{c}",
    quote=lambda text: text.upper(),
    safe=lambda text, size: text[:size],
    next_post=lambda at: f"next {at:%H:%M}",
    scheduled="sched {channel} {time} {zone} {kind} / {next}",
    not_set_up="not set up",
    status_notes_no_trivia=True,
    off="off",
    bad_time="bad time {given}",
    bad_time_size=4,
    bad_zone="bad zone {given}",
    bad_zone_size=6,
    bad_channel="bad channel",
    invalid_input="[{problem}]",
    post_failed="failed {channel} {detail}",
    opted_out="hidden",
    no_points="none ({period})",
    leaderboard_title="board {period}",
    leaderboard_row="{rank} {user} {points} {correct}{streak}",
    streak=" x{streak}",
    stats="{points} {week_points} {rank} {correct}/{answered} {streak} {best_streak}",
    detail_size=3,
)
CONFIG = TriviaConfig(platform="p", guild_id="g1", channel_id="c1", post_time="09:00", timezone="Europe/Paris", enabled=True)
AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_bad_input_is_quoted_cut_to_its_size_and_framed():
    assert wording.invalid_input(WORDS, InvalidInput("time", "25:00:00")) == "[bad time 25:0]"
    assert wording.invalid_input(WORDS, InvalidInput("timezone", "Mars/Olympus")) == "[bad zone MARS/O]"
    assert wording.scheduled(WORDS, InvalidInput("channel", "")) == "[bad channel]"


def test_scheduled_and_status_name_the_channel_time_zone_kind_and_next_post():
    assert wording.scheduled(WORDS, Scheduled(CONFIG, AT)) == "sched #c1 09:00 Europe/Paris multiple choice / next 08:00"
    on = wording.status(WORDS, TriviaStatus(CONFIG, AT, True))
    assert on == "Daily trivia is on: #c1 at 09:00 (Europe/Paris), multiple choice. next 08:00"
    assert wording.status(WORDS, TriviaStatus(None, None, False)) == "not set up\nThis course has no trivia questions."


def test_off_posted_and_opted_out_pick_their_words():
    assert [wording.turned_off(WORDS, TurnedOff(w)) for w in (True, False)] == ["off", "Daily trivia is already off."]
    assert wording.posted_now(WORDS, NoTrivia()) == "This course has no trivia questions."
    assert wording.posted_now(WORDS, PostedNow("c1", "posted")) == "Trivia posted in #c1."
    assert wording.posted_now(WORDS, PostedNow("c1", "failed", "missing access")) == "failed #c1 mis"
    assert wording.posted_now(WORDS, PostedNow("c1", "refused", "one per day")) == "one per day"
    assert [wording.opted_out(WORDS, OptedOut(o)) for o in (True, False)] == ["hidden", "You are back on the leaderboard."]


def test_leaderboard_rows_show_a_streak_only_above_one_and_stats_show_a_hidden_rank():
    rows = (LeaderboardRow(1, "u1", 30, 3, 3), LeaderboardRow(2, "u2", 10, 1, 1))
    board = Leaderboard("all", rows)
    assert wording.leaderboard_title(WORDS, board) == "board All time"
    assert wording.leaderboard_rows(WORDS, board) == ["1 u1 30 3 x3", "2 u2 10 1"]
    assert wording.no_points(WORDS, Leaderboard("week", ())) == "none (this week)"
    hidden = UserStats(user_id="u1", points=10, week_points=5, correct=1, answered=2, streak=1, best_streak=1, rank=None, optout=True)
    assert wording.stats(WORDS, hidden) == "10 5 hidden (opted out) 1/2 1 1"
