"""Students' data (a class of minors): what the store holds about one student, out as plain data or
gone in one transaction, and a retention limit on the texts students typed.

These are the use cases the terminal (``classbot export-user`` / ``forget-user``) and the chat
adapters (/forgetme) call; they return plain data for the caller to render.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date

from bot.core.clock import Clock, SystemClock
from bot.core.errors import ConfigError
from bot.core.store import ForgetReport, PurgeReport, UserData, UserDataStore

log = logging.getLogger(__name__)

PLATFORMS = ("discord", "slack")  # the platforms a student's id can belong to
DEFAULT_RETENTION_DAYS = 180  # about one school term and a half; 0 keeps everything


def _user(user_id: str) -> str:
    uid = str(user_id).strip()
    if not uid:
        raise ConfigError("give the student's user id (Discord: a number; Slack: U...)")
    return uid


async def export_user(store: UserDataStore, platform: str, user_id: str, guild_id: str | None = None) -> UserData:
    """Everything the store holds about the student on ``platform`` (in one server when guild_id is given)."""
    return await store.export_user(platform, _user(user_id), guild_id)


async def forget_user(store: UserDataStore, platform: str, user_id: str, guild_id: str | None = None) -> ForgetReport:
    """Delete everything the store holds about the student, in one transaction; how much went."""
    report = await store.forget_user(platform, _user(user_id), guild_id)
    log.info("forgot a student on %s: %d row(s) deleted", platform, report.total)  # never the id itself
    return report


def retention_cutoff(now_ts: float, days: int) -> float | None:
    """The unix time before which texts are deleted, or None when ``days`` is 0 (keep)."""
    if days < 0:
        raise ConfigError(f"retention_days should be 0 (keep) or more, got {days}")
    return None if days == 0 else now_ts - days * 86400.0


async def apply_retention(store: UserDataStore, days: int, clock: Clock) -> PurgeReport:
    """Delete unanswered questions last asked, and feedback votes cast, more than ``days`` ago."""
    cutoff = retention_cutoff(clock.now().timestamp(), days)
    if cutoff is None:
        return PurgeReport()
    report = await store.purge_before(cutoff)
    if report.questions or report.feedback:
        log.info("retention (%d days): deleted %d unanswered question(s) and %d vote(s)", days,
                 report.questions, report.feedback)
    return report


@dataclass
class Retention:
    """Runs the retention pass at most once per UTC day: ``bot.core.housekeeping`` calls ``run_if_due``
    at start-up and then every hour, in every bot whether or not it runs trivia."""

    store: UserDataStore
    days: int = DEFAULT_RETENTION_DAYS
    clock: Clock = field(default_factory=SystemClock)
    last_day: date | None = None

    async def run_if_due(self) -> PurgeReport | None:
        today = self.clock.now().astimezone(UTC).date()
        if self.days == 0 or self.last_day == today:
            return None
        report = await apply_retention(self.store, self.days, self.clock)
        self.last_day = today
        return report


__all__ = ["DEFAULT_RETENTION_DAYS", "PLATFORMS", "Retention", "apply_retention", "export_user", "forget_user",
           "retention_cutoff"]
