"""Parsing teacher commands (/trivia ...) and deciding who is a teacher."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.webapi import TRANSIENT, read_api
from bot.config import Settings
from bot.core.clock import valid_timezone
from bot.core.errors import PlatformError

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
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class TriviaCommand:
    action: str  # now | schedule | off | settings | optout | optin | help
    channel_id: str | None = None
    post_time: str | None = None
    timezone: str | None = None
    free_text: bool = False  # schedule: students type the answer (Discord's `free_text:` option)
    error: str | None = None


_FREE_TEXT = re.compile(r"^(?:free[_-]?text|freetext)(?:[:=](.*))?$", re.IGNORECASE)
_YES = {"", "true", "yes", "on", "1"}
_NO = {"false", "no", "off", "0"}


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
        if given not in _YES | _NO:
            return None, rest, f"`free_text:{given[:10]}`: use `free_text` (or `free_text:false`)."
        value = given in _YES
    return value, rest, None


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
        return TriviaCommand(
            "help", error="Pick the channel from Slack's #channel list so I get its id (or leave it out for this one)."
        )
    free_text, rest, problem = _free_text_option(rest)
    if problem:
        return TriviaCommand("help", error=problem)
    if not rest:
        return TriviaCommand("help", error="Give a time, e.g. `09:00`.")
    m = _TIME.match(rest[0])
    if not m:
        return TriviaCommand("help", error=f"`{rest[0][:20]}` is not a time: use HH:MM, e.g. `09:00`.")
    post_time = f"{int(m.group(1)):02d}:{m.group(2)}"
    tz = rest[1] if len(rest) > 1 else "UTC"
    if not valid_timezone(tz):
        return TriviaCommand("help", error=f"`{tz[:40]}` is not a time zone: use Area/City, e.g. `Europe/Paris`.")
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
    period: str = "week"  # week | all
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


CHECK_FAILED = "I couldn't check with Slack whether you are a teacher just now. Please try again in a moment."


def _undecided(answer: dict | None) -> bool:
    return answer is None or (not answer.get("ok") and str(answer.get("error")) in TRANSIENT)


class TeacherCheckFailed(PlatformError):
    """Slack did not answer the teacher check (error, unreadable reply, timeout): neither yes nor no."""


async def is_teacher(client: Any, settings: Settings, user_id: str, timeout: float) -> bool:
    """Workspace admins and owners, the configured teacher ids, and members of the teacher user group
    (each Web API call may take `timeout` seconds).

    A Slack error answer (user_not_found, missing_scope...) counts as "no" from that source (and is logged);
    raises TeacherCheckFailed when no source said yes and one gave no answer (an unreadable reply, an HTTP
    error page, a timeout, rate limits): that user may be a teacher, and may try again.
    """
    if user_id in settings.slack.teacher_user_ids:
        return True
    info = await read_api(client.users_info, "users.info", timeout, user=user_id)
    undecided = _undecided(info)
    user = info.get("user") if info is not None and info.get("ok") else None
    if isinstance(user, dict) and (user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")):
        return True
    group = settings.slack.teacher_usergroup
    if group:
        members = await read_api(client.usergroups_users_list, "usergroups.users.list", timeout, usergroup=group)
        users = members.get("users") if members is not None and members.get("ok") else None
        if isinstance(users, list) and user_id in users:
            return True
        undecided = undecided or _undecided(members)
    if undecided:
        raise TeacherCheckFailed(CHECK_FAILED)
    return False
