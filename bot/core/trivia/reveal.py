"""What a reveal shows: the answer, how the class did (never who), and the cited passage."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bot.core.models import Citation, TriviaRound
from bot.core.store import Award


@dataclass(frozen=True, slots=True)
class Reveal:
    round: TriviaRound
    question: str
    answer: str  # the correct answer
    choices: tuple[str, ...]
    correct_index: int | None  # into choices, for multiple-choice rounds
    citation: Citation | None  # None only when the fact has left the course since the round
    answered: int
    correct: int
    awards: tuple[Award, ...] = ()
    first_time: bool = True  # False when the round had already been revealed

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def summary(self) -> str:
        """'7 answered, 71% got it right.' Never names anyone."""
        if not self.answered:
            return "Nobody answered this one."
        who = "1 answered" if self.answered == 1 else f"{self.answered} answered"
        return f"{who}, {round(100 * self.share_correct)}% got it right."


def format_reveal_text(reveal: Reveal) -> str:
    """A plain-text reveal (the terminal preview; adapters may render richer)."""
    lines = [f"The answer: {reveal.answer}", reveal.summary()]
    c = reveal.citation
    if c is not None:
        lines.append("")
        lines.extend("    " + line for line in _wrap(f"“{c.quote}”", 76))
        lines.append(f"    — {c.reference}")
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [text]


__all__ = ["Reveal", "format_reveal_text"]
