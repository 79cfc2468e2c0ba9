"""What the Slack listeners share: settings, the engine, the store, and small helpers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.core.answering import Engine, MultiEngine
from bot.core.asking import AskService
from bot.core.clock import Clock, SystemClock
from bot.core.cooldown import Cooldown
from bot.core.courses import CourseLibrary
from bot.core.models import Answer
from bot.core.store import Store
from bot.core.trivia.rounds import TriviaService

log = logging.getLogger(__name__)

PLATFORM = "slack"
STORE_WRITE_TIMEOUT = 2.0  # seconds a Q&A bookkeeping write may delay an answer


def team_of(body: dict[str, Any], context: object) -> str:
    """The workspace (team) id of a request: our 'guild' in the store."""
    team: str = (
        getattr(context, "team_id", None)
        or body.get("team_id")
        or (body.get("team") or {}).get("id")
        or (body.get("user") or {}).get("team_id")
        or ""
    )
    return team


def user_of(body: dict[str, Any]) -> str:
    """Who clicked or submitted (an interactive payload's user id)."""
    return (body.get("user") or {}).get("id", "")


def channel_of(body: dict[str, Any]) -> str | None:
    """The channel a click came from: the payload's channel, or the message container's."""
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine | MultiEngine | CourseLibrary  # a CourseLibrary: each channel's course
    store: Store
    trivia: TriviaService | None = None  # when the course has trivia
    clock: Clock = field(default_factory=SystemClock)
    # the ask cooldown's time source; None = the injected clock's time, or time.monotonic with the system clock
    monotonic: Callable[[], float] | None = None
    teacher_check_timeout: float = 10.0  # seconds each Web API call of the teacher check may take
    cooldown: Cooldown = field(init=False)
    asking: AskService = field(init=False)

    def __post_init__(self) -> None:
        monotonic = self.monotonic
        if monotonic is None:
            clock = self.clock
            monotonic = time.monotonic if isinstance(clock, SystemClock) else (lambda: clock.now().timestamp())
        self.cooldown = Cooldown(self.settings.ask_cooldown_seconds, monotonic)
        self.asking = AskService(
            self.engine, self.store, PLATFORM, record_asker_ids=self.settings.record_asker_ids, store_wait=STORE_WRITE_TIMEOUT
        )

    def cooldown_left(self, team_id: str, user_id: str) -> float:
        """Seconds this user still has to wait before asking again (0 = may ask now; the ask is counted)."""
        return self.cooldown.try_ask((team_id, user_id))

    async def answer(self, question: str, *, team_id: str, channel_id: str | None, user_id: str) -> Answer:
        """Ask the engine; record the question when it is not covered (a slow store is not waited for)."""
        return await self.asking.ask(question, guild_id=team_id, channel_id=channel_id, user_id=user_id)
