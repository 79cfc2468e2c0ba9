"""One question per user every few seconds, the same on every platform.

Time comes from an injectable monotonic function (tests move it by hand); users whose window is
over are forgotten, so memory stays bounded by the users active in the last window or two.

A click on a suggestion the bot just offered is a *follow-up*: it is not refused because of the
question that produced it (the student would be told to wait right after being invited to click),
but it counts as a question itself, and a second follow-up within the window is refused, so
clicking suggestion after suggestion cannot flood a channel either. At most one asked question and
one follow-up per user per window.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

__all__ = ["Cooldown"]


class Cooldown:
    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic):
        self.seconds = max(0.0, float(seconds))
        self.monotonic = monotonic
        self._last: dict[Hashable, float] = {}  # the user's last counted question (asked or clicked)
        self._follow_up: dict[Hashable, float] = {}  # the user's last counted follow-up
        self._noticed: dict[Hashable, float] = {}  # when the user was last told to wait
        self._pruned = float("-inf")

    def __len__(self) -> int:
        """How many users are remembered (for tests of the memory bound)."""
        return len(self._last.keys() | self._follow_up.keys() | self._noticed.keys())

    def try_ask(self, user: Hashable) -> float:
        """A new question: 0.0 and it is counted, or the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = self._now()
        wait = self._left(self._last, user, now)
        if wait:
            return wait
        self._last[user] = now
        return 0.0

    def try_follow_up(self, user: Hashable) -> float:
        """A click on a suggestion the bot offered: not held back by the user's last question, only
        by their last follow-up. 0.0 and it is counted (as a question too), or the seconds left."""
        if self.seconds <= 0:
            return 0.0
        now = self._now()
        wait = self._left(self._follow_up, user, now)
        if wait:
            return wait
        self._follow_up[user] = self._last[user] = now
        return 0.0

    def should_notice(self, user: Hashable) -> bool:
        """Tell a flooding user once per window, not once per message (that would flood too)."""
        now = self._now()
        if self._left(self._noticed, user, now):
            return False
        self._noticed[user] = now
        return True

    def _left(self, times: dict[Hashable, float], user: Hashable, now: float) -> float:
        last = times.get(user)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        return 0.0

    def _now(self) -> float:
        """The time, forgetting expired users at most once per window (amortised O(1) per call)."""
        now = self.monotonic()
        if now - self._pruned >= self.seconds:
            for times in (self._last, self._follow_up, self._noticed):
                for user in [u for u, t in times.items() if now - t >= self.seconds]:
                    del times[user]
            self._pruned = now
        return now
