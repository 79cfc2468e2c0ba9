"""Trivia in the terminal: a teacher's preview of the daily rounds, on the same engine.

``classbot trivia`` calls :func:`run_trivia`. Each round is a separate (simulated) day in a
throw-away store, so selection, choices, checking and streak scoring behave as on a server.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TextIO

from bot.config import Settings, TriviaSettings
from bot.core.clock import FakeClock
from bot.core.models import Course
from bot.core.trivia.reveal import format_reveal_text
from bot.core.trivia.rounds import TriviaService
from bot.store import open_store

PLATFORM = "console"
GUILD = "preview"
CHANNEL = "terminal"
USER = "you"
QUIT = {"q", "quit", "exit", ":q"}
EMPTY = "Type your answer, or q to stop."


def run_trivia(course: Course, *args: Any, **kwargs: Any) -> int:
    """Play trivia rounds of ``course`` in the terminal; see ``run_trivia_async`` for the arguments.
    Returns an exit code (0 ok, 1 no trivia items)."""
    return asyncio.run(run_trivia_async(course, *args, **kwargs))


async def run_trivia_async(
    course: Course,
    settings: Settings | TriviaSettings | None = None,
    rounds: int = 5,
    input: TextIO | None = None,
    output: TextIO | None = None,
    *,
    free_text: bool = False,
    database: str = ":memory:",
) -> int:
    inp = input if input is not None else sys.stdin
    out = output if output is not None else sys.stdout
    trivia = settings.trivia if isinstance(settings, Settings) else (settings or TriviaSettings())

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    items = course.trivia_items
    if not items:
        say(f"{course.title} has no trivia questions yet: add a `trivia:` block to some facts.")
        return 1
    clock = FakeClock()
    played = right = 0
    async with open_store(database, clock=clock) as store:
        service = TriviaService(store, course, trivia, clock)
        await store.set_trivia_config(PLATFORM, GUILD, CHANNEL, "09:00", "UTC", free_text=free_text)
        say(f"Trivia preview: {course.title} ({len(items)} question{'' if len(items) == 1 else 's'}). Type q to stop.")
        for number in range(1, max(rounds, 0) + 1):
            trivia_round = await service.start_round(PLATFORM, GUILD, CHANNEL)
            await service.confirm_posted(trivia_round, f"preview-{number}")
            q = service.question(trivia_round)
            say("")
            say(f"Question {number}/{rounds}: {q.question}")
            for i, choice in enumerate(q.choices, start=1):
                say(f"  {i}. {choice}")
            prompt = f"Your answer (1-{len(q.choices)}): " if q.choices else "Your answer: "
            while True:
                out.write(prompt)
                out.flush()
                line = inp.readline()
                if not line or line.strip().lower() in QUIT:
                    say("")
                    return await _finish(say, store, trivia_round.day, played, right)
                result = await service.submit_answer(int(trivia_round.id or 0), USER, line.strip())
                if result.counted:
                    break
                # an empty line: the chat platforms' wording ("after the command") does not fit a prompt
                say(EMPTY if result.status == "empty" else result.message)
            played += 1
            right += bool(result.correct)
            say("Right!" if result.correct else "Not quite.")
            clock.advance(minutes=trivia.answer_window_minutes)
            reveal = await service.reveal(int(trivia_round.id or 0))
            say(format_reveal_text(reveal))
            clock.advance(days=1, minutes=-trivia.answer_window_minutes)  # the next day's round
        return await _finish(say, store, trivia_round.day, played, right)


async def _finish(say: Callable[[str], None], store: Any, today: Any, played: int, right: int) -> int:
    """The summary, whether every round was played or the teacher stopped early: the score so far."""
    if not played:
        say("No questions answered.")
        return 0
    say(f"You got {right} of {played} right.")
    stats = await store.user_stats(PLATFORM, GUILD, USER, today=today)
    rounds = "round" if stats.best_streak == 1 else "rounds"
    say(f"Points: {stats.points} (best streak {stats.best_streak} {rounds} in a row).")
    return 0


__all__ = ["run_trivia", "run_trivia_async"]
