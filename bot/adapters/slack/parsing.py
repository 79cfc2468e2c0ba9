"""Parsing the text of /trivia and /leaderboard into commands (the core checks times and zones)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.store import Period
from bot.core.trivia.admin import parse_flag, parse_post_time, parse_timezone

TRIVIA_USAGE = (
    "Usage:\n"
    "• `/trivia now` post a question in the trivia channel now\n"
    "• `/trivia schedule #channel HH:MM Area/City` daily trivia, e.g. `/trivia schedule #history 09:00 Europe/Paris`;"
    " add `free_text` to have students type the answer instead of picking a choice\n"
    "• `/trivia off` stop daily trivia\n"
    "• `/trivia settings` show the current settings\n"
    "• `/trivia optout` (or `optin`), for everyone: leave or rejoin the leaderboard"
)

_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_RAW_CHANNEL = re.compile(r"^[CG][A-Z0-9]{6,}$")


@dataclass(frozen=True)
class TriviaCommand:
    action: str  # now | schedule | off | settings | optout | optin | help
    channel_id: str | None = None
    post_time: str | None = None
    timezone: str | None = None
    free_text: bool = False  # schedule: students type the answer (Discord's `free_text:` option)
    error: str | None = None


_FREE_TEXT = re.compile(r"^(?:free[_-]?text|freetext)(?:[:=](.*))?$", re.IGNORECASE)


def _free_text_option(words: list[str]) -> tuple[bool | None, list[str], str | None]:
    """(free_text, the other words, error) from `free_text`, `free-text`, `free_text:true` / `:false`."""
    value: bool | None = None
    rest = []
    for word in words:
        m = _FREE_TEXT.match(word)
        if m is None:
            rest.append(word)
            continue
        given = (m.group(1) or "").lower()
        value = parse_flag(given)
        if value is None:
            return None, rest, f"`free_text:{given[:10]}`: use `free_text` (or `free_text:false`)."
    return value, rest, None


BAD_TIME, BAD_TIME_SIZE = "`{given}` is not a time: use HH:MM, e.g. `09:00`.", 20
BAD_ZONE, BAD_ZONE_SIZE = "`{given}` is not a time zone: use Area/City, e.g. `Europe/Paris`.", 40


def not_a_time(given: str) -> str:
    return BAD_TIME.format(given=given[:BAD_TIME_SIZE])


def not_a_zone(given: str) -> str:
    return BAD_ZONE.format(given=given[:BAD_ZONE_SIZE])


NOT_A_CHANNEL = "Pick the channel from Slack's #channel list so I get its id (or leave it out for this one)."


def parse_trivia(text: str, current_channel: str | None) -> TriviaCommand:
    words = text.split()
    if not words or words[0].lower() in {"help", "?"}:
        return TriviaCommand("help")
    action, rest = words[0].lower(), words[1:]
    if action in {"optout", "opt-out", "optin", "opt-in"}:  # for everyone, like Discord's /trivia optout
        return TriviaCommand(action.replace("-", ""))
    if action in {"now", "off", "settings"}:
        return TriviaCommand(action, channel_id=current_channel)
    if action != "schedule":
        return TriviaCommand("help", error=f"Unknown subcommand `{action[:30]}`.")
    channel = current_channel
    if rest and (m := _CHANNEL.match(rest[0]) or _RAW_CHANNEL.match(rest[0])):
        channel = m.group(1) if m.re is _CHANNEL else m.group(0)
        rest = rest[1:]
    elif rest and rest[0].startswith(("#", "<#")):
        return TriviaCommand("help", error=NOT_A_CHANNEL)
    free_text, rest, problem = _free_text_option(rest)
    if problem:
        return TriviaCommand("help", error=problem)
    if not rest:
        return TriviaCommand("help", error="Give a time, e.g. `09:00`.")
    post_time = parse_post_time(rest[0])
    if post_time is None:
        return TriviaCommand("help", error=not_a_time(rest[0]))
    tz = rest[1] if len(rest) > 1 else "UTC"
    if parse_timezone(tz) is None:
        return TriviaCommand("help", error=not_a_zone(tz))
    if len(rest) > 2:
        return TriviaCommand("help", error=f"I don't know `{rest[2][:30]}` after the time zone.")
    return TriviaCommand("schedule", channel_id=channel, post_time=post_time, timezone=tz, free_text=bool(free_text))


LEADERBOARD_USAGE = (
    "Usage:\n"
    "• `/leaderboard` this week's trivia points, `/leaderboard all` all time\n"
    "• `/leaderboard optout` leave the leaderboard (your answers still count for `/mystats`)\n"
    "• `/leaderboard optin` show me on the leaderboard again"
)
_OPTOUT = {"optout", "opt-out", "hide", "leave"}
_OPTIN = {"optin", "opt-in", "show", "join", "rejoin"}


@dataclass(frozen=True)
class LeaderboardCommand:
    action: str  # show | optout | optin | help
    period: Period = "week"
    error: str | None = None


def parse_leaderboard(text: str) -> LeaderboardCommand:
    """`/leaderboard [week|all|optout|optin]`, for everyone (no teacher check)."""
    words = text.lower().replace("opt out", "optout").replace("opt in", "optin").split()
    if not words or words == ["week"]:
        return LeaderboardCommand("show", "week")
    if words in (["all"], ["all", "time"], ["alltime"]):
        return LeaderboardCommand("show", "all")
    if len(words) == 1 and words[0] in _OPTOUT:
        return LeaderboardCommand("optout")
    if len(words) == 1 and words[0] in _OPTIN:
        return LeaderboardCommand("optin")
    if words[0] in {"help", "?"}:
        return LeaderboardCommand("help")
    return LeaderboardCommand("help", error=f"Unknown option `{text.strip()[:30]}`.")
