"""What teachers and students do with trivia, whatever the platform: the use-cases.

Teachers schedule the daily round, turn it off, look at the settings and post a round now;
everyone reads the leaderboard and their own stats and may leave or rejoin the leaderboard.
:class:`TriviaAdmin` checks the input (time, zone, channel, the free-text option) here, in one
place, and returns typed results; an adapter parses its platform's command into a call and
renders the result in its own words. It decides nothing else: who is a teacher is the
platform's to say (Manage Server on Discord, workspace admins on Slack), and the adapter asks it
before calling a teacher's use-case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.core.clock import Clock, SystemClock, valid_timezone
from bot.core.errors import TriviaError
from bot.core.schedule import next_post_for
from bot.core.store import LeaderboardRow, Period, Store, TriviaConfig, UserStats
from bot.core.trivia.rounds import SendQuestion, TriviaService, local_today

# ---------------------------------------------------------------------------------------------
# The input checks

_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_YES = frozenset({"", "true", "yes", "on", "1"})
_NO = frozenset({"false", "no", "off", "0"})
CHANNEL_ID_MAX = 64  # ids are Discord snowflakes (up to 20 digits) or Slack ids (about 11 letters)


def parse_post_time(text: str) -> str | None:
    """A 24-hour local time "H:MM" or "HH:MM" as "HH:MM", or None when it is not one.

    >>> parse_post_time("9:05"), parse_post_time("24:00"), parse_post_time("9h")
    ('09:05', None, None)
    """
    m = _HHMM.fullmatch(text.strip())
    return f"{int(m[1]):02d}:{m[2]}" if m else None


def parse_timezone(text: str) -> str | None:
    """An IANA time zone name ("Europe/Paris", "UTC"), or None ("Paris", a folder like "America")."""
    zone = text.strip()
    return zone if valid_timezone(zone) else None


def parse_flag(text: str) -> bool | None:
    """The value of an on/off option written as text ("" and yes/true/on/1, or no/false/off/0)."""
    value = text.strip().lower()
    return True if value in _YES else False if value in _NO else None


def valid_channel_id(text: str | None) -> bool:
    """Whether a channel id, as the adapter read it from its platform, can be one: letters and
    digits only, of a sane length (never a name a person typed)."""
    return bool(text) and len(text or "") <= CHANNEL_ID_MAX and (text or "").isascii() and (text or "").isalnum()


# ---------------------------------------------------------------------------------------------
# The results adapters render

Field = Literal["channel", "time", "timezone"]


@dataclass(frozen=True, slots=True)
class InvalidInput:
    """A teacher's input that cannot be used: which one, and what they gave (to quote it back)."""

    field: Field
    given: str


@dataclass(frozen=True, slots=True)
class Scheduled:
    config: TriviaConfig
    next_post: datetime  # UTC


@dataclass(frozen=True, slots=True)
class TurnedOff:
    was_on: bool  # False: it was already off (or never set up)


@dataclass(frozen=True, slots=True)
class TriviaStatus:
    config: TriviaConfig | None  # None: never set up
    next_post: datetime | None  # UTC, when it is on
    has_items: bool  # whether the course has trivia questions at all


@dataclass(frozen=True, slots=True)
class NoTrivia:
    """The course has no trivia questions: there is nothing to post."""


@dataclass(frozen=True, slots=True)
class PostedNow:
    """A teacher's "post a round now": where, and whether it went out.

    ``refused``: no round could be started (one already went out today...), ``detail`` says why in
    words fit for the teacher. ``failed``: the platform refused the message, ``detail`` is its
    reason. ``posted``: it went out.
    """

    channel_id: str
    outcome: Literal["posted", "refused", "failed"]
    detail: str = ""

    @property
    def posted(self) -> bool:
        return self.outcome == "posted"


@dataclass(frozen=True, slots=True)
class Leaderboard:
    period: Period
    rows: tuple[LeaderboardRow, ...]  # empty: no points yet (or everyone opted out)


@dataclass(frozen=True, slots=True)
class OptedOut:
    optout: bool  # True: off the leaderboard; False: back on it


# ---------------------------------------------------------------------------------------------
# The use-cases


@dataclass
class TriviaAdmin:
    """The trivia use-cases of one platform. ``rounds`` is the round service, or None when the
    course has no trivia questions (settings, scores and opting out still work then)."""

    store: Store
    platform: str
    rounds: TriviaService | None = None
    clock: Clock = field(default_factory=SystemClock)

    @property
    def has_items(self) -> bool:
        return self.rounds is not None

    async def _next_post(self, config: TriviaConfig) -> datetime:
        return await next_post_for(self.store, self.platform, config, self.clock.now())

    async def _today(self, guild_id: str) -> date:
        return await local_today(self.store, self.clock, self.platform, guild_id)

    # ---- teachers ------------------------------------------------------------------------------
    async def schedule(
        self, guild_id: str, channel_id: str | None, post_time: str, timezone: str = "UTC", *, free_text: bool = False
    ) -> Scheduled | InvalidInput:
        """Post a round every day in ``channel_id`` at the local ``post_time`` in ``timezone``."""
        if not valid_channel_id(channel_id):
            return InvalidInput("channel", channel_id or "")
        hhmm = parse_post_time(post_time)
        if hhmm is None:
            return InvalidInput("time", post_time)
        zone = parse_timezone(timezone)
        if zone is None:
            return InvalidInput("timezone", timezone.strip())
        config = await self.store.set_trivia_config(
            self.platform, str(guild_id), str(channel_id), post_time=hhmm, timezone=zone, free_text=free_text
        )
        return Scheduled(config, await self._next_post(config))

    async def turn_off(self, guild_id: str) -> TurnedOff:
        return TurnedOff(await self.store.disable_trivia(self.platform, str(guild_id)))

    async def status(self, guild_id: str) -> TriviaStatus:
        config = await self.store.get_trivia_config(self.platform, str(guild_id))
        next_post = await self._next_post(config) if config is not None and config.enabled else None
        return TriviaStatus(config, next_post, self.has_items)

    async def post_now(
        self, guild_id: str, send: SendQuestion, *, channel_id: str | None = None, current_channel: str | None = None
    ) -> PostedNow | NoTrivia | InvalidInput:
        """Start and post a round now: in ``channel_id`` when the teacher named one, else in the
        trivia channel, else in ``current_channel`` (where the command was typed)."""
        if self.rounds is None:
            return NoTrivia()
        if channel_id is None:
            config = await self.store.get_trivia_config(self.platform, str(guild_id))
            channel_id = config.channel_id if config is not None else current_channel
        if not valid_channel_id(channel_id):
            return InvalidInput("channel", channel_id or "")
        channel = str(channel_id)
        try:
            result = await self.rounds.post_round(self.platform, str(guild_id), channel, send)
        except TriviaError as e:
            return PostedNow(channel, "refused", str(e))
        if not result.posted:
            return PostedNow(channel, "failed", result.error or "")
        return PostedNow(channel, "posted")

    # ---- everyone ------------------------------------------------------------------------------
    async def leaderboard(self, guild_id: str, period: Period = "week", limit: int = 10) -> Leaderboard:
        """The server's leaderboard; "week" is the server's local week."""
        today = await self._today(guild_id)
        rows = await self.store.leaderboard(self.platform, str(guild_id), period, limit, today=today)
        return Leaderboard(period, tuple(rows))

    async def my_stats(self, guild_id: str, user_id: str) -> UserStats:
        today = await self._today(guild_id)
        return await self.store.user_stats(self.platform, str(guild_id), str(user_id), today=today)

    async def set_optout(self, guild_id: str, user_id: str, optout: bool) -> OptedOut:
        await self.store.set_leaderboard_optout(self.platform, str(guild_id), str(user_id), optout)
        return OptedOut(optout)


__all__ = [
    "InvalidInput",
    "Leaderboard",
    "NoTrivia",
    "OptedOut",
    "PostedNow",
    "Scheduled",
    "TriviaAdmin",
    "TriviaStatus",
    "TurnedOff",
    "parse_flag",
    "parse_post_time",
    "parse_timezone",
    "valid_channel_id",
]
