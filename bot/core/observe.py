"""A neutral hook for what the core does, so operations code can count it without the core
importing any metrics library.

The core calls these methods at the moments only it knows exactly (an answer is ready, a round
is confirmed posted, a trivia answer is recorded). The default does nothing; ``bot.ops.metrics``
overrides them to feed Prometheus. An observer must be quick and must not raise.
"""

from __future__ import annotations

from bot.core.models import Answer

__all__ = ["Observer", "NULL_OBSERVER"]


class Observer:
    def question_answered(self, platform: str, answer: Answer, seconds: float) -> None:
        """The engine produced ``answer`` (answered, declined or chatter) in ``seconds``, bookkeeping included."""

    def question_failed(self, platform: str, seconds: float) -> None:
        """The engine raised while answering."""

    def trivia_posted(self) -> None:
        """A trivia round was confirmed posted on the platform."""

    def trivia_answered(self, correct: bool) -> None:
        """A student's trivia answer was recorded (their first one for the round)."""


NULL_OBSERVER = Observer()
