"""A small course with units and a store seeded with three weeks of class activity, for the report tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.core.clock import FakeClock
from bot.core.models import TriviaRound
from bot.core.store import Scoring
from tests.coursefiles import FACTS, make_course

COURSE = """
id: moon
title: The Moon landing
sources:
  - id: moon
    file: sources/moon.txt
    title: The Moon landing
units:
  - id: crew
    title: The crew
  - id: mission
    title: The mission
  - id: legacy
    title: What it changed
"""
# the shared moon facts, put in units: the first walker in "crew", the landing date in "mission",
# Collins in none; "legacy" has no fact yet
UNIT_FACTS = (FACTS.replace("  - id: first-walker\n", "  - id: first-walker\n    unit: crew\n")
              .replace("  - id: landing-date\n", "  - id: landing-date\n    unit: mission\n"))

NOW = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)  # a Wednesday: this week runs from Monday 12 January


def make_unit_course(tmp_path: Path) -> Path:
    assert "unit: crew" in UNIT_FACTS and "unit: mission" in UNIT_FACTS
    return make_course(tmp_path, UNIT_FACTS, COURSE)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


async def trivia_round(store, day: str, item: str, answers: dict[str, bool], *, guild: str = "g1",
                       channel: str = "c1", post: bool = True) -> None:
    """A round posted at 09:00 on ``day``, answered by ``answers`` (user: right?), then revealed."""
    posted = at(day, 9).timestamp()
    r = await store.create_round("discord", TriviaRound(None, guild, channel, item, day, posted, posted + 6 * 3600))
    if not post:
        return
    await store.mark_round_posted(r.id, f"m-{day}-{channel}-{guild}")
    for user, right in answers.items():
        assert await store.record_answer(r.id, user, "x", right, now=posted + 60) == "recorded"
    await store.reveal_round(r.id, Scoring())


async def seed(store, clock: FakeClock) -> None:
    """Three weeks of one class (server g1), plus another server (g2) that must not show in g1's report."""
    await store.set_trivia_config("discord", "g1", "c1", timezone="UTC")
    # trivia: last week and this week in g1; another server; a round never posted; an item the course lacks
    await trivia_round(store, "2026-01-06", "first-walker", {"u1": True, "u2": False, "u3": False})
    await trivia_round(store, "2026-01-07", "landing-date", {"u1": True, "u2": True})
    await trivia_round(store, "2026-01-12", "first-walker", {"u1": True, "u2": False, "u3": False, "u4": False})
    await trivia_round(store, "2026-01-13", "landing-date", {"u1": True, "u5": False})
    await trivia_round(store, "2026-01-13", "landing-date", {f"x{i}": True for i in range(5)}, guild="g2", channel="c9")
    await trivia_round(store, "2026-01-14", "first-walker", {}, channel="c2", post=False)
    await trivia_round(store, "2026-01-11", "removed-item", {"u1": False})

    # questions asked, counted per unit and day
    async def asked(day: str, unit: str | None, answered: bool, n: int, guild: str = "g1") -> None:
        clock.set(at(day))
        for _ in range(n):
            await store.count_question("discord", guild, "moon", unit, answered)

    await asked("2026-01-06", "crew", True, 2)
    await asked("2026-01-13", "crew", True, 3)
    await asked("2026-01-13", "mission", True, 1)
    await asked("2026-01-13", None, False, 2)
    await asked("2026-01-13", "crew", True, 4, guild="g2")
    await asked("2026-01-14", None, True, 1)

    # unanswered questions: two wordings of one this week, another this week, one only last week
    clock.set(at("2026-01-08"))
    await store.record_unanswered("discord", "moon", "g1", "c1", "Why the Moon?", None)
    clock.set(at("2026-01-12"))
    await store.record_unanswered("discord", "moon", "g1", "c1", "Who was the pilot of Eagle?", None)
    await store.record_unanswered("discord", "moon", "g1", "c1", "who was the pilot of eagle", None)
    await store.record_unanswered("discord", "moon", "g1", "c1", "Who was the pilot of the Eagle?", None)
    clock.set(at("2026-01-13"))
    await store.record_unanswered("discord", "moon", "g1", "c1", "What did they eat on the Moon?", None)

    # votes on answers: last week (left out), this week, another server, another course's fact
    clock.set(at("2026-01-09"))
    await store.record_feedback("discord", "g1", "c1", "u1", "when did it land", "landing-date", False, "m0")
    clock.set(at("2026-01-13"))
    await store.record_feedback("discord", "g1", "c1", "u1", "who walked first", "first-walker", False, "m1")
    await store.record_feedback("discord", "g1", "c1", "u2", "first on the moon?", "first-walker", False, "m2")
    await store.record_feedback("discord", "g1", "c1", "u3", "who walked first", "first-walker", True, "m1")
    await store.record_feedback("discord", "g1", "c1", "u3", "what year", "landing-date", True, "m3")
    await store.record_feedback("discord", "g1", "c1", "u4", "who was collins", None, False, "m4")
    await store.record_feedback("discord", "g2", "c9", "x1", "what year", "landing-date", False, "m5")
    await store.record_feedback("discord", "g1", "c1", "u4", "who was castro", "castro", False, "m6")
    clock.set(NOW)
