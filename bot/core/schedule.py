"""When to post the daily trivia, and the Scheduler that posts and reveals rounds.

Each server picks a channel, a local time "HH:MM" and an IANA timezone. Rules:

- One round per local day per channel (also enforced by the store's UNIQUE constraint).
- A post is due from the local post time until ``grace`` later; after a restart or an outage
  a missed post is caught up only within that window (a post time just before midnight can be
  caught up just after it, for the day it belonged to).
- Daylight saving: a post time that does not exist on a spring-forward day (02:30 in New York)
  is posted when that wall time would have been, i.e. 03:30 local; an ambiguous fall-back time
  (01:30 happens twice) is its first occurrence, and only one round goes out either way.
- Reveals likewise: the round is scored and marked ``revealed`` (reveal "sending") in one
  transaction before the reveal is sent, so a stop mid-send never sends it twice nor scores
  twice; a reveal found still "sending" after a restart is marked unsent and not resent.
- Never twice the same day, even when killed right after sending: the round is recorded
  ``pending`` before the message is sent. A pending round older than ``stale_pending`` (found
  after a restart) is marked ``failed`` and NOT resent: we cannot know whether the message went
  out, and a missed day is better than a duplicate. Its day stays taken.
- Several processes on one database (sharded Discord, Slack workers): a scheduler only looks after
  the servers it ``owns`` (a Discord process: the guilds of its shards), and before a scheduled
  post it takes the server's claim for that local day (``ClaimStore.claim_daily_post``). The claim
  is per server, not per channel, and is taken once: a process that loses it, or finds it taken,
  posts nothing, even if it wrongly thinks it owns the server or the channel changed that day.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, SystemClock
from bot.core.errors import StoreError, TriviaError
from bot.core.lease import holder_id
from bot.core.models import TriviaRound
from bot.core.store import Store, TriviaConfig
from bot.core.trivia.reveal import Reveal
from bot.core.trivia.rounds import RoundQuestion, TriviaService

log = logging.getLogger(__name__)

PostCallback = Callable[[TriviaConfig, TriviaRound, RoundQuestion], Awaitable[str]]
RevealCallback = Callable[[Reveal], Awaitable[None]]
Owns = Callable[[str], bool]  # guild id -> whether this process looks after that server


def owns_all(guild_id: str) -> bool:
    return True


def parse_post_time(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def post_instant(config: TriviaConfig, day: date) -> datetime:
    """The UTC instant of the configured local post time on a local day (DST handled)."""
    # fold=0: a wall time skipped by spring-forward is read with the old offset, which lands one
    # gap later on the new clock (02:30 EST -> 03:30 EDT); an ambiguous one is its first occurrence.
    local = datetime.combine(day, parse_post_time(config.post_time), tzinfo=ZoneInfo(config.timezone))
    return local.astimezone(UTC)


def local_day(config: TriviaConfig, now_utc: datetime) -> date:
    return now_utc.astimezone(ZoneInfo(config.timezone)).date()


def due_post(
    config: TriviaConfig, now_utc: datetime, last_round_day: date | None, grace: timedelta
) -> date | None:
    """The local day a post is due for right now, or None.

    ``last_round_day`` is the day of the channel's latest round in any state (pending, failed
    included): a day that has a round is never due again.
    """
    if not config.enabled:
        return None
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    today = local_day(config, now_utc)
    for day in (today, today - timedelta(days=1)):
        if last_round_day is not None and last_round_day >= day:
            continue
        start = post_instant(config, day)
        if start <= now_utc <= start + grace:
            return day
    return None


def next_post(config: TriviaConfig, now_utc: datetime, last_round_day: date | None) -> datetime:
    """When the next post will go out (UTC), for "next trivia at ..." messages."""
    day = local_day(config, now_utc)
    for offset in range(0, 3):
        d = day + timedelta(days=offset)
        at = post_instant(config, d)
        if at >= now_utc and (last_round_day is None or last_round_day < d):
            return at
    return post_instant(config, day + timedelta(days=3))


async def last_round_day(store: Store, platform: str, config: TriviaConfig) -> date | None:
    """The local day of the channel's latest round, if it has had one."""
    last = await store.last_round(platform, config.guild_id, config.channel_id)
    return date.fromisoformat(last.day) if last else None


async def next_post_for(store: Store, platform: str, config: TriviaConfig, now_utc: datetime) -> datetime:
    """When the channel's next question goes out, from what the store says was posted."""
    return next_post(config, now_utc, await last_round_day(store, platform, config))


@dataclass
class TickReport:
    posted: list[TriviaRound] = field(default_factory=list)
    revealed: list[Reveal] = field(default_factory=list)
    failed: list[tuple[TriviaRound, str]] = field(default_factory=list)
    unsent_reveals: list[tuple[TriviaRound, str]] = field(default_factory=list)  # cut off mid-send


@dataclass
class Scheduler:
    """Posts due rounds and reveals closed ones; the adapter calls ``tick()`` every ~30 s.

    ``post_callback(config, round, question) -> message id`` sends the question to
    ``config.channel_id``; ``reveal_callback(reveal)`` sends the reveal (to
    ``reveal.round.channel_id``, ideally as a reply to ``reveal.round.message_id``).
    """

    store: Store
    service: TriviaService
    platform: str
    post_callback: PostCallback
    reveal_callback: RevealCallback
    clock: Clock = field(default_factory=SystemClock)
    grace: timedelta | None = None  # default: service.settings.grace_minutes
    stale_pending: timedelta = timedelta(minutes=5)
    owns: Owns = owns_all  # which servers this process posts, reveals and settles for
    holder: str = field(default_factory=holder_id)  # who takes the daily claims
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def tick(self) -> TickReport:
        """One pass: settle stale pending rounds, post due rounds, reveal closed ones."""
        async with self._lock:
            report = TickReport()
            now = self.clock.now()
            await self._settle_stale(now, report)
            for config in await self.store.list_trivia_configs(self.platform):
                if self.owns(str(config.guild_id)):
                    await self._maybe_post(config, now, report)
            await self._reveal_closed(now, report)
            return report

    async def _settle_stale(self, now: datetime, report: TickReport) -> None:
        limit = (now - self.stale_pending).timestamp()
        for r in await self.store.pending_rounds(self.platform):
            if r.posted_at <= limit and self.owns(str(r.guild_id)):
                reason = "the bot stopped before the post was confirmed; not resent to avoid posting twice"
                await self.store.mark_round_failed(int(r.id or 0), reason)
                log.warning("trivia round %s (%s, %s) left pending: marked failed", r.id, r.channel_id, r.day)
                report.failed.append((r, reason))
        for r in await self.store.unsent_reveals(self.platform, started_before=limit):
            if not self.owns(str(r.guild_id)):
                continue
            reason = "the bot stopped while sending the reveal; not resent to avoid posting it twice"
            await self.store.mark_reveal_sent(int(r.id or 0), reason)
            log.warning("reveal of trivia round %s (%s, %s) may not have gone out: not resent", r.id, r.channel_id, r.day)
            report.unsent_reveals.append((r, reason))

    async def _maybe_post(self, config: TriviaConfig, now: datetime, report: TickReport) -> None:
        grace = self.grace if self.grace is not None else timedelta(minutes=self.service.settings.grace_minutes)
        day = due_post(config, now, await last_round_day(self.store, self.platform, config), grace)
        if day is None:
            return
        if not await self.store.claim_daily_post(self.platform, config.guild_id, day, self.holder):
            log.debug("trivia for %s on %s is claimed already: not posting", config.guild_id, day)
            return

        async def send(trivia_round: TriviaRound, question: RoundQuestion) -> str:
            return await self.post_callback(config, trivia_round, question)

        try:
            result = await self.service.post_round(self.platform, config.guild_id, config.channel_id, send, day=day)
        except TriviaError as e:
            log.warning("trivia for %s/%s not started: %s", config.guild_id, config.channel_id, e)
            return
        if result.posted:
            report.posted.append(result.round)
        else:
            log.warning(
                "trivia round %s for %s/%s failed: %s", result.round.id, config.guild_id, config.channel_id, result.error
            )
            report.failed.append((result.round, f"sending failed: {result.error}"))

    async def _reveal_closed(self, now: datetime, report: TickReport) -> None:
        """Score and mark each closed round revealed (one transaction), THEN send the reveal.

        Killed between the two, the round is already revealed and scored: after a restart it is
        not revealed or sent again (a missed reveal message is better than a duplicate).
        """
        stamp = now.timestamp()
        for r in await self.store.open_rounds(self.platform):
            if r.closes_at > stamp or not self.owns(str(r.guild_id)):
                continue
            reveal = await self.service.reveal(int(r.id or 0))
            if not reveal.first_time:
                continue
            report.revealed.append(reveal)
            try:
                await self.reveal_callback(reveal)
            except StoreError:
                raise
            except Exception as e:  # the round stays closed and scored: students keep their points
                log.warning("reveal of trivia round %s could not be sent: %s", r.id, e)
                await self.store.mark_reveal_sent(int(r.id or 0), f"sending failed: {e}")
                continue
            await self.store.mark_reveal_sent(int(r.id or 0))


__all__ = [
    "PostCallback",
    "Owns",
    "RevealCallback",
    "Scheduler",
    "TickReport",
    "due_post",
    "local_day",
    "next_post",
    "owns_all",
    "parse_post_time",
    "post_instant",
]
