"""Housekeeping every running bot does, whatever its course holds: today the retention pass.

The retention pass (``bot.core.privacy.Retention``: unanswered-question texts and feedback votes
older than ``retention_days`` are deleted) used to run only inside the trivia Scheduler, which a bot
creates only when a course has trivia. Both chat apps now start one ``Housekeeping`` when they start
and stop it when they stop: it runs the pass at start-up (before the bot serves anyone), then looks
every ``interval`` seconds whether a new UTC day has begun and runs it once that day.

Several processes on one database (shards) each run it: the pass is a delete of rows older than a
cut-off, so running it twice deletes nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.core.clock import Clock, SystemClock
from bot.core.privacy import Retention
from bot.core.store import PurgeReport, UserDataStore

log = logging.getLogger(__name__)

CHECK_SECONDS = 3600.0  # how often to look for a new UTC day; the pass itself runs once a day


class Housekeeping:
    def __init__(self, store: UserDataStore, retention_days: int, clock: Clock | None = None,
                 interval: float = CHECK_SECONDS):
        self.retention = Retention(store, retention_days, clock or SystemClock())
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> PurgeReport | None:
        """The retention pass if it is due today; a failure is logged and retried at the next look."""
        try:
            return await self.retention.run_if_due()
        except Exception:
            log.exception("the retention pass failed; it is tried again within %d s", int(self.interval))
            return None

    async def start(self) -> None:
        """Run the pass now, then keep looking in the background (interval 0: now only)."""
        await self.run_once()
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="classbot-housekeeping")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.run_once()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


__all__ = ["CHECK_SECONDS", "Housekeeping"]
