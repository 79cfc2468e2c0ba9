"""When daily trivia is due, across timezones and DST; the Scheduler's tick with a FakeClock."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import TriviaSettings
from bot.core.clock import FakeClock
from bot.core.schedule import Scheduler, due_post, next_post, post_instant
from bot.core.trivia.rounds import TriviaService
from bot.store import TriviaConfig, open_store
from tests.core.test_trivia_course import make_course

ROOT = Path(__file__).resolve().parents[2]
GRACE = timedelta(minutes=120)


def cfg(time: str = "09:00", tz: str = "UTC", enabled: bool = True) -> TriviaConfig:
    return TriviaConfig("discord", "g1", "c1", time, tz, enabled)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- due_post -----------------------------------------------------------------------------------


def test_not_due_before_the_local_time():
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 8, 59), None, GRACE) is None


def test_due_at_the_local_time_and_within_grace():
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 9, 0), None, GRACE) == date(2026, 1, 5)
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 10, 59), date(2026, 1, 4), GRACE) == date(2026, 1, 5)


def test_catch_up_only_within_the_grace_window():
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 11, 1), None, GRACE) is None
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 11, 1), None, timedelta(hours=3)) == date(2026, 1, 5)


def test_never_due_twice_the_same_day():
    assert due_post(cfg("09:00"), utc(2026, 1, 5, 9, 30), date(2026, 1, 5), GRACE) is None


def test_disabled_is_never_due():
    assert due_post(cfg("09:00", enabled=False), utc(2026, 1, 5, 9, 0), None, GRACE) is None


def test_timezones_decide_the_local_day_and_time():
    now = utc(2026, 1, 5, 0, 30)  # 09:30 on the 5th in Tokyo, 19:30 on the 4th in New York
    assert due_post(cfg("09:00", "Asia/Tokyo"), now, None, GRACE) == date(2026, 1, 5)
    assert due_post(cfg("09:00", "America/New_York"), now, None, GRACE) is None
    assert due_post(cfg("19:00", "America/New_York"), now, None, GRACE) == date(2026, 1, 4)


def test_a_post_time_just_before_midnight_is_caught_up_after_midnight_for_its_own_day():
    config = cfg("23:30", "Europe/Paris")
    now = utc(2026, 1, 5, 23, 15)  # 00:15 on the 6th in Paris
    assert due_post(config, now, date(2026, 1, 4), GRACE) == date(2026, 1, 5)
    assert due_post(config, now, date(2026, 1, 5), GRACE) is None


def test_spring_forward_gap_posts_when_the_wall_time_would_have_been():
    # 2026-03-08: New York clocks jump from 02:00 to 03:00; 02:30 does not exist that day
    config = cfg("02:30", "America/New_York")
    assert post_instant(config, date(2026, 3, 8)) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    assert post_instant(config, date(2026, 3, 7)) == utc(2026, 3, 7, 7, 30)  # 02:30 EST
    assert post_instant(config, date(2026, 3, 9)) == utc(2026, 3, 9, 6, 30)  # 02:30 EDT
    assert due_post(config, utc(2026, 3, 8, 7, 29), date(2026, 3, 7), GRACE) is None
    assert due_post(config, utc(2026, 3, 8, 7, 30), date(2026, 3, 7), GRACE) == date(2026, 3, 8)


def test_fall_back_ambiguous_time_posts_once():
    # 2026-11-01: New York clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice
    config = cfg("01:30", "America/New_York")
    assert post_instant(config, date(2026, 11, 1)) == utc(2026, 11, 1, 5, 30)  # the first 01:30 (EDT)
    last: date | None = date(2026, 10, 31)
    posts = []
    t = utc(2026, 11, 1, 3, 0)
    while t < utc(2026, 11, 1, 12, 0):
        day = due_post(config, t, last, GRACE)
        if day:
            posts.append((t, day))
            last = day
        t += timedelta(seconds=30)
    assert posts == [(utc(2026, 11, 1, 5, 30), date(2026, 11, 1))]


def test_next_post_for_status_messages():
    assert next_post(cfg("09:00"), utc(2026, 1, 5, 8, 0), None) == utc(2026, 1, 5, 9, 0)
    assert next_post(cfg("09:00"), utc(2026, 1, 5, 9, 30), date(2026, 1, 5)) == utc(2026, 1, 6, 9, 0)


# ---- the Scheduler ------------------------------------------------------------------------------


class Chat:
    """The platform: records sends; can be told to fail."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str, str]] = []  # (channel, day, question)
        self.reveals: list = []
        self.fail = False

    async def post(self, config, round, question) -> str:
        if self.fail:
            raise RuntimeError("Missing Access")
        self.posts.append((config.channel_id, round.day, question.question))
        return f"msg{len(self.posts)}"

    async def reveal(self, reveal) -> None:
        self.reveals.append(reveal)


@pytest.fixture
async def sched(tmp_path):
    clock = FakeClock(utc(2026, 1, 5, 0, 0))
    chat = Chat()
    settings = TriviaSettings(answer_window_minutes=8 * 60, grace_minutes=120)
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        service = TriviaService(store, make_course(), settings, clock)
        scheduler = Scheduler(store, service, "discord", chat.post, chat.reveal, clock)
        yield store, scheduler, chat, clock


async def run_ticks(scheduler, clock, until: datetime, every: timedelta = timedelta(seconds=30)):
    reports = []
    while clock.now() < until:
        reports.append(await scheduler.tick())
        clock.advance(every)
    return reports


async def test_scheduler_posts_once_a_day_and_reveals_when_the_window_closes(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "Europe/London")
    await store.set_trivia_config("discord", "g2", "c2", "09:00", "Asia/Tokyo")
    await run_ticks(scheduler, clock, utc(2026, 1, 7, 0, 0), timedelta(minutes=1))
    assert sorted((c, d) for c, d, _ in chat.posts) == [
        ("c1", "2026-01-05"), ("c1", "2026-01-06"), ("c2", "2026-01-05"), ("c2", "2026-01-06"),
    ]
    assert len(chat.reveals) == 4
    for reveal in chat.reveals:
        assert reveal.citation is not None
        closes = datetime.fromtimestamp(reveal.round.closes_at, UTC)
        assert closes - datetime.fromtimestamp(reveal.round.posted_at, UTC) == timedelta(hours=8)
    assert await store.open_rounds() == []
    london = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
    assert london.status == "revealed" and london.posted_at == utc(2026, 1, 5, 9, 0).timestamp()
    tokyo = await store.round_for_day("discord", "g2", "c2", "2026-01-05")
    assert tokyo.posted_at == utc(2026, 1, 5, 0, 0).timestamp()  # 09:00 JST


async def test_scheduler_only_serves_its_platform(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("slack", "T1", "C1", "00:00", "UTC")
    await scheduler.tick()
    assert chat.posts == []


async def test_restart_within_grace_catches_up_and_outside_grace_skips_the_day(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
    clock.set(utc(2026, 1, 5, 10, 45))  # the bot was down at 09:00, back within 2 h
    assert len((await scheduler.tick()).posted) == 1
    clock.set(utc(2026, 1, 6, 11, 30))  # down again, back after the grace window
    assert (await scheduler.tick()).posted == []
    assert await store.round_for_day("discord", "g1", "c1", "2026-01-06") is None
    assert [d for _, d, _ in chat.posts] == ["2026-01-05"]


async def test_a_failed_send_is_not_retried_the_same_day(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
    clock.set(utc(2026, 1, 5, 9, 0))
    chat.fail = True
    report = await scheduler.tick()
    assert report.posted == [] and "Missing Access" in report.failed[0][1]
    chat.fail = False
    await run_ticks(scheduler, clock, utc(2026, 1, 5, 12, 0))
    assert chat.posts == []
    failed = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
    assert failed.status == "failed"
    clock.set(utc(2026, 1, 6, 9, 1))
    assert len((await scheduler.tick()).posted) == 1


async def test_a_stale_pending_round_found_after_restart_is_marked_failed_not_resent(sched, tmp_path):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
    clock.set(utc(2026, 1, 5, 9, 0))
    pending = await scheduler.service.start_round("discord", "g1", "c1")  # as if killed before confirming
    clock.advance(minutes=1)
    assert (await scheduler.tick()).failed == []  # may still be in flight elsewhere
    clock.advance(minutes=5)
    report = await scheduler.tick()
    assert [r.id for r, _ in report.failed] == [pending.id]
    assert (await store.get_round(pending.id)).status == "failed"
    assert chat.posts == []


async def test_a_reveal_that_cannot_be_sent_still_closes_and_scores_the_round(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
    clock.set(utc(2026, 1, 5, 9, 0))
    posted = (await scheduler.tick()).posted[0]
    answer = scheduler.service.item(posted.item_id).answer
    await scheduler.service.submit_answer(posted.id, "u1", answer)

    async def broken(reveal):
        raise RuntimeError("channel deleted")

    scheduler.reveal_callback = broken
    clock.set(utc(2026, 1, 5, 17, 0))
    report = await scheduler.tick()
    assert [r.round.id for r in report.revealed] == [posted.id]
    assert (await store.user_stats("discord", "g1", "u1", today="2026-01-05")).points == 10
    assert (await store.get_round(posted.id)).meta["reveal"] == "unsent"


KILLED_POSTER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import datetime, UTC
    from bot.config import TriviaSettings
    from bot.core.clock import FakeClock
    from bot.core.schedule import Scheduler
    from bot.core.trivia.rounds import TriviaService
    from bot.store import open_store
    from tests.core.test_trivia_course import make_course

    async def main(path, confirm):
        clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        store = await open_store(path, clock=clock)
        await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
        service = TriviaService(store, make_course(), TriviaSettings(), clock)

        async def post(config, round, question):
            print("SENT", round.day, flush=True)  # the message is out...
            if not confirm:
                os.kill(os.getpid(), signal.SIGKILL)  # ...and the bot dies before confirming
            return "m1"

        async def reveal(r):
            pass

        await Scheduler(store, service, "discord", post, reveal, clock).tick()
        os.kill(os.getpid(), signal.SIGKILL)  # dies right after confirming

    asyncio.run(main(sys.argv[1], sys.argv[2] == "confirm"))
    """
)


@pytest.mark.parametrize("mode", ["confirm", "no-confirm"])
async def test_a_process_killed_just_after_posting_does_not_post_again(tmp_path, mode):
    path = tmp_path / "bot.db"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", KILLED_POSTER, str(path), mode, cwd=ROOT, stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out, _ = await proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert out.decode().split() == ["SENT", "2026-01-05"]

    clock = FakeClock(utc(2026, 1, 5, 9, 10))  # restarted ten minutes later, well within grace
    chat = Chat()
    async with open_store(path, clock=clock) as store:
        assert await store.integrity_check() == "ok"
        service = TriviaService(store, make_course(), TriviaSettings(), clock)
        scheduler = Scheduler(store, service, "discord", chat.post, chat.reveal, clock)
        await run_ticks(scheduler, clock, utc(2026, 1, 5, 12, 0), timedelta(minutes=1))
        assert chat.posts == []
        round = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
        assert round.status == ("posted" if mode == "confirm" else "failed")
        clock.set(utc(2026, 1, 6, 9, 0))
        await scheduler.tick()
    assert [d for _, d, _ in chat.posts] == ["2026-01-06"]


KILLED_REVEALER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import datetime, timedelta, UTC
    from bot.config import TriviaSettings
    from bot.core.clock import FakeClock
    from bot.core.schedule import Scheduler
    from bot.core.trivia.rounds import TriviaService
    from bot.store import open_store
    from tests.core.test_trivia_course import make_course

    async def main(path):
        clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        store = await open_store(path, clock=clock)
        await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
        service = TriviaService(store, make_course(), TriviaSettings(answer_window_minutes=60), clock)

        async def post(config, round, question):
            return "m1"

        async def reveal(r):
            print("REVEALED", r.round.day, flush=True)  # the reveal is out...
            os.kill(os.getpid(), signal.SIGKILL)  # ...and the bot dies before recording it

        scheduler = Scheduler(store, service, "discord", post, reveal, clock)
        round = (await scheduler.tick()).posted[0]
        await service.submit_answer(round.id, "u1", service.item(round.item_id).answer)
        clock.advance(timedelta(minutes=61))
        await scheduler.tick()

    asyncio.run(main(sys.argv[1]))
    """
)


async def test_a_process_killed_while_sending_a_reveal_neither_sends_it_again_nor_scores_twice(tmp_path):
    path = tmp_path / "bot.db"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", KILLED_REVEALER, str(path), cwd=ROOT, stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == -signal.SIGKILL
    assert out.decode().split() == ["REVEALED", "2026-01-05"]

    clock = FakeClock(utc(2026, 1, 5, 10, 5))  # restarted four minutes later
    chat = Chat()
    async with open_store(path, clock=clock) as store:
        assert await store.integrity_check() == "ok"
        service = TriviaService(store, make_course(), TriviaSettings(answer_window_minutes=60), clock)
        scheduler = Scheduler(store, service, "discord", chat.post, chat.reveal, clock)
        reports = await run_ticks(scheduler, clock, utc(2026, 1, 5, 12, 0), timedelta(minutes=1))
        assert chat.reveals == [] and chat.posts == []
        round = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
        assert round.status == "revealed"
        assert (await store.user_stats("discord", "g1", "u1", today="2026-01-05")).points == 10  # scored once
        settled = [r.id for report in reports for r, _ in report.unsent_reveals]
        assert settled == [round.id]  # the half-done reveal is noticed (once), not resent
        assert (await store.get_round(round.id)).meta["reveal"] == "unsent"


async def test_a_sent_reveal_is_recorded_as_sent(sched):
    store, scheduler, chat, clock = sched
    await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
    clock.set(utc(2026, 1, 5, 9, 0))
    posted = (await scheduler.tick()).posted[0]
    clock.set(utc(2026, 1, 5, 17, 1))
    report = await scheduler.tick()
    assert [r.round.id for r in report.revealed] == [posted.id] and len(chat.reveals) == 1
    assert chat.reveals[0].round.status == "revealed"  # scored and recorded before it was sent
    assert (await store.get_round(posted.id)).meta["reveal"] == "sent"
    clock.advance(hours=1)
    assert (await scheduler.tick()).unsent_reveals == [] and len(chat.reveals) == 1


@pytest.mark.parametrize("name,ok", [("Europe/Paris", True), ("UTC", True), ("America", False), ("Paris", False),
                                     ("../etc/passwd", False), (" Europe/Paris", False), ("", False)])
def test_only_real_iana_time_zones_are_accepted(name, ok):
    from bot.core.clock import valid_timezone

    assert valid_timezone(name) is ok
