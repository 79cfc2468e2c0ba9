"""The teacher's report: questions counted as students ask, the Report built from a real SQLite store,
its text, its JSON and its chart."""

from __future__ import annotations

import io
import json
import struct
from datetime import date, datetime, timedelta

import pytest

from bot.adapters.console.report import render_report
from bot.charts import report_chart
from bot.config import bundled_knowledge_path
from bot.core.activity import unit_of
from bot.core.answering import Engine
from bot.core.asking import AskService
from bot.core.clock import FakeClock
from bot.core.knowledge import load_course
from bot.core.models import Answer, Citation
from bot.core.reports import build_report, merge_similar
from bot.core.store import UnansweredQuestion
from bot.store import open_store
from tests.reportdata import NOW, at, make_unit_course, seed


@pytest.fixture
async def seeded(tmp_path):
    course = load_course(make_unit_course(tmp_path))
    clock = FakeClock(NOW)
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        await seed(store, clock)
        yield course, store


# ---- counting the questions students ask --------------------------------------------------------


async def test_asking_counts_each_real_question_under_its_facts_unit_and_no_greeting(tmp_path):
    engine = Engine(load_course(bundled_knowledge_path()))
    answered = engine.ask("which country left nato?")
    unit = engine.course.fact(answered.fact_id).unit
    assert unit  # the bundled course puts every fact in a unit
    async with open_store(tmp_path / "c.db", clock=FakeClock(NOW)) as store:
        service = AskService(engine, store, "discord")
        for text in ("which country left nato?", "which country left NATO", "who was fidel castro", "hello!", "  "):
            await service.ask(text, guild_id="g1", channel_id="c1", user_id="u1")
        counts = await store.question_counts(engine.course.id, "discord", "g1", NOW.date(), NOW.date())
    assert [(c.unit, c.answered, c.count) for c in counts] == [("", False, 1), (unit, True, 2)]


def test_an_answer_quoted_from_a_passage_counts_for_the_unit_of_a_fact_citing_that_passage(tmp_path):
    course = load_course(make_unit_course(tmp_path))
    walker = course.fact("first-walker")
    quoted = Answer("who walked on the moon", True, "…", 0.9, citations=(walker.citation,), course_id="moon")
    elsewhere = Answer("q", True, "…", 0.9, citations=(Citation("moon", "t", "l", "q", ("no-such-passage",)),))
    assert unit_of(course, quoted) == "crew"
    assert unit_of(course, elsewhere) is None
    assert unit_of(course, Answer("q", True, "…", 0.9, fact_id="collins-orbit")) is None  # a fact in no unit
    assert unit_of(course, Answer("q", False, None, 0.0, reason="not_covered")) is None


# ---- the Report ---------------------------------------------------------------------------------


async def test_the_report_of_a_server_has_this_weeks_numbers(seeded):
    course, store = seeded
    report = await build_report(store, course, "g1", NOW, weeks=3, platform="discord")
    assert (report.week_start, report.week_end, report.timezone) == (date(2026, 1, 12), date(2026, 1, 14), "UTC")
    assert report.units == (("crew", "The crew"), ("mission", "The mission"), ("legacy", "What it changed"),
                            ("", "No unit"))
    assert [(q.unit, q.count) for q in report.asked] == [("crew", 3), ("mission", 1), ("legacy", 0), ("", 1)]
    assert (report.not_covered, report.questions_asked) == (2, 7)
    assert [(t.question, t.count, t.wordings) for t in report.unanswered] == [
        ("who was the pilot of eagle", 3, ("Who was the pilot of the Eagle?",)),
        ("What did they eat on the Moon?", 1, ()),
    ]  # "Why the Moon?" was last asked the week before
    assert [(a.fact_id, a.question, a.unit, a.unhelpful, a.helpful) for a in report.unhelpful] == [
        ("first-walker", "Who was the first person to walk on the Moon?", "crew", 2, 1),
        (None, "who was collins", "", 1, 0),
    ]  # not the vote of last week, of server g2, or on a fact of another course
    t = report.trivia
    assert (t.rounds, t.answers, t.correct, t.players) == (2, 6, 2, 5)
    assert t.share_right == pytest.approx(2 / 6)
    assert [(i.item_id, i.rounds, i.answered, i.correct) for i in report.hardest] == [
        ("first-walker", 2, 7, 2), ("landing-date", 2, 4, 3),
    ]  # fmt: skip


async def test_the_reports_weeks_give_participation_and_accuracy_per_unit(seeded):
    course, store = seeded
    report = await build_report(store, course, "g1", NOW, weeks=3)
    assert [w.start for w in report.weeks] == [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12)]
    assert [w.end for w in report.weeks] == [date(2026, 1, 4), date(2026, 1, 11), date(2026, 1, 14)]
    crew = [report.weeks[i].unit("crew") for i in range(3)]
    mission = [report.weeks[i].unit("mission") for i in range(3)]
    assert [(u.questions, u.trivia_answers, u.trivia_correct) for u in crew] == [(0, 0, 0), (2, 3, 1), (3, 4, 1)]
    assert [u.participation for u in mission] == [0, 2, 3]
    assert [u.accuracy for u in mission] == [None, 1.0, 0.5]
    assert [w.not_covered for w in report.weeks] == [0, 0, 2]


async def test_every_server_together_and_a_past_week(seeded):
    course, store = seeded
    everywhere = await build_report(store, course, None, NOW, weeks=2)
    assert everywhere.guild_id is None
    assert dict((q.unit, q.count) for q in everywhere.asked)["crew"] == 3 + 4  # g2's questions too
    assert everywhere.trivia.answers == 6 + 5
    past = await build_report(store, course, "g1", NOW, weeks=2, week_of=date(2026, 1, 8))
    assert (past.week_start, past.week_end, past.is_current_week) == (date(2026, 1, 5), date(2026, 1, 11), False)
    assert [t.question for t in past.unanswered] == ["Why the Moon?"]  # last asked that week
    assert [(a.fact_id, a.unhelpful) for a in past.unhelpful] == [("landing-date", 1)]
    assert (past.trivia.rounds, past.trivia.answers, past.trivia.correct) == (2, 5, 3)
    assert [q.count for q in past.asked] == [2, 0, 0]  # no unit-less answers that week: no "No unit" row
    assert [w.start for w in past.weeks] == [date(2025, 12, 29), date(2026, 1, 5)]


async def test_weeks_follow_the_servers_trivia_timezone(seeded):
    course, store = seeded
    await store.set_trivia_config("discord", "g1", "c1", timezone="Pacific/Kiritimati")  # UTC+14
    sunday_night_utc = datetime.fromisoformat("2026-01-11T12:00:00+00:00")  # Monday 02:00 there
    report = await build_report(store, course, "g1", sunday_night_utc, weeks=1)
    assert (report.timezone, report.week_start) == ("Pacific/Kiritimati", date(2026, 1, 12))


async def test_a_past_weeks_report_does_not_take_the_next_mondays_questions_west_of_utc(tmp_path):
    course = load_course(make_unit_course(tmp_path))
    clock = FakeClock(at("2026-01-09"))
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        await store.set_trivia_config("discord", "g1", "c1", timezone="America/New_York")
        await store.count_question("discord", "g1", "moon", "crew", True)  # Friday 9 January
        clock.set(at("2026-01-12", 20))  # Monday 12 January, afternoon in New York: the next week
        await store.count_question("discord", "g1", "moon", "crew", True)
        past = await build_report(store, course, "g1", NOW, weeks=1, week_of=date(2026, 1, 7))
        current = await build_report(store, course, "g1", NOW, weeks=1)
    assert [(q.unit, q.count) for q in past.asked][0] == ("crew", 1)
    assert [(q.unit, q.count) for q in current.asked][0] == ("crew", 1)


def test_near_duplicate_unanswered_questions_are_merged_under_the_most_asked_wording():
    rows = [UnansweredQuestion("What did astronauts eat?", 2, 0, 5), UnansweredQuestion("what did the astronauts eat", 4, 0, 3),
            UnansweredQuestion("astronauts eat what did?", 1, 0, 9), UnansweredQuestion("Who built the rocket?", 3, 0, 1),
            UnansweredQuestion("What did the astronauts wear?", 1, 0, 2)]
    topics = merge_similar(rows)
    assert [(t.question, t.count, t.wordings) for t in topics] == [
        ("what did the astronauts eat", 7, ("What did astronauts eat?", "astronauts eat what did?")),
        ("Who built the rocket?", 3, ()),
        ("What did the astronauts wear?", 1, ()),
    ]  # fmt: skip  (a word missing or the words reordered: the same question; "wear" for "eat": another)
    assert topics[0].last_asked == 9


# ---- rendering: text, JSON, chart ---------------------------------------------------------------


async def test_the_text_report_shows_the_numbers_a_teacher_reads(seeded):
    course, store = seeded
    text = render_report(await build_report(store, course, "g1", NOW, weeks=3, platform="discord"))
    assert "Report for The Moon landing (moon), server g1 on discord" in text
    assert "Questions asked this week: 7 (2 not covered by the course)" in text
    assert "Top unanswered questions in every server of the course (last asked this week" in text
    assert "   3x  who was the pilot of eagle  (last 12 Jan)" in text
    assert "also asked as: Who was the pilot of the Eagle?" in text
    assert "2x not helpful, 1 helpful  Who was the first person to walk on the Moon?  (fact first-walker)" in text
    assert "2 round(s), 6 answer(s) from 5 student(s), 33% right" in text
    assert " 29% right (2/7)  Who was the first person to walk on the Moon?  [first-walker]" in text
    [crew_row] = [line for line in text.splitlines() if line.startswith("  The crew") and "/" in line]
    assert crew_row.split()[2:] == ["0", "/", "-", "5", "/", "33%", "7", "/", "25%"]


async def test_the_json_report_round_trips_with_the_same_numbers(seeded):
    course, store = seeded
    data = json.loads(json.dumps((await build_report(store, course, "g1", NOW, weeks=3)).to_json()))
    assert data["week"] == {"start": "2026-01-12", "end": "2026-01-14"}
    assert data["asked"]["total"] == 7 and data["trivia"]["share_right"] == 0.333
    assert data["weeks"][1]["units"][0] == {"unit": "crew", "questions": 2, "trivia_answers": 3, "trivia_correct": 1,
                                             "participation": 5, "accuracy": 0.333}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def test_the_chart_is_a_png_of_a_readable_size_with_the_units_drawn(seeded):
    import matplotlib.image

    course, store = seeded
    png = report_chart(await build_report(store, course, "g1", NOW, weeks=3))
    assert png_size(png) == (900, 600)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    # tab10's first two colours (units "crew" and "mission") are in the picture
    rgb = {tuple(round(float(c) * 255) for c in px[:3]) for px in pixels.reshape(-1, pixels.shape[-1])[::7]}
    assert (31, 119, 180) in rgb and (255, 127, 14) in rgb


async def test_a_chart_with_no_activity_yet_is_still_drawn(tmp_path):
    course = load_course(make_unit_course(tmp_path))
    async with open_store(tmp_path / "bot.db") as store:
        report = await build_report(store, course, "g1", NOW + timedelta(days=365), weeks=4)
    assert report.questions_asked == 0 and report.hardest == () and report.unanswered == ()
    assert png_size(report_chart(report)) == (900, 600)
    assert "Questions asked this week: 0" in render_report(report)


def test_at_helper_is_utc():
    assert at("2026-01-14").utcoffset() == timedelta(0)
