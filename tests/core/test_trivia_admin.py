"""The trivia use-cases (bot.core.trivia.admin), once for every platform, on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.clock import FakeClock
from bot.core.settings import TriviaSettings
from bot.core.trivia.admin import (
    InvalidInput,
    NoTrivia,
    OptedOut,
    PostedNow,
    Scheduled,
    TriviaAdmin,
    TurnedOff,
    parse_flag,
    parse_post_time,
    parse_timezone,
    valid_channel_id,
)
from bot.core.trivia.rounds import TriviaService
from bot.store import open_store
from tests.core.test_trivia_course import make_course

START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Paris
PLATFORM = "someplatform"  # the use-cases know no platform


@pytest.fixture
async def env(tmp_path):
    clock = FakeClock(START)
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        rounds = TriviaService(store, make_course(), TriviaSettings(answer_window_minutes=60, points=10), clock)
        yield store, TriviaAdmin(store, PLATFORM, rounds, clock), clock


class Sender:
    """A platform's send callback: records what it was asked to post, or refuses."""

    def __init__(self, refuse: str | None = None):
        self.sent: list[tuple[str, str]] = []
        self.refuse = refuse

    async def __call__(self, trivia_round, question) -> str:
        if self.refuse:
            raise RuntimeError(self.refuse)
        self.sent.append((trivia_round.channel_id, question.question))
        return f"msg-{len(self.sent)}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("09:00", "09:00"), ("9:05", "09:05"), (" 23:59 ", "23:59"), ("24:00", None), ("9h", None), ("09:60", None),
     ("", None), ("0900", None)],
)  # fmt: skip
def test_a_post_time_is_24_hour_hh_mm(given, expected):
    assert parse_post_time(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Europe/Paris", "Europe/Paris"), (" UTC ", "UTC"), ("Paris", None), ("America", None), ("Mars/Olympus_Mons", None),
     ("../etc/passwd", None), ("", None)],
)  # fmt: skip
def test_a_time_zone_is_an_iana_name(given, expected):
    assert parse_timezone(given) == expected


@pytest.mark.parametrize(("given", "expected"), [("", True), ("true", True), ("ON", True), ("no", False), ("0", False),
                                                 ("maybe", None)])  # fmt: skip
def test_an_on_off_option_reads_yes_and_no_words_and_refuses_the_rest(given, expected):
    assert parse_flag(given) is expected


@pytest.mark.parametrize(("given", "ok"), [("C0123ABC", True), ("300000000000000077", True), ("", False), (None, False),
                                           ("#general", False), ("a b", False), ("9" * 65, False)])  # fmt: skip
def test_a_channel_is_an_id_the_platform_gave_not_a_typed_name(given, ok):
    assert valid_channel_id(given) is ok


async def test_schedule_stores_the_settings_and_says_when_the_next_question_goes_out(env):
    store, admin, clock = env
    result = await admin.schedule("g1", "c1", "9:30", "Europe/Paris", free_text=True)
    assert isinstance(result, Scheduled)
    assert (result.config.channel_id, result.config.post_time, result.config.timezone) == ("c1", "09:30", "Europe/Paris")
    assert result.config.free_text and result.config.enabled
    assert result.next_post == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)  # 09:30 in Paris, today
    assert await store.get_trivia_config(PLATFORM, "g1") == result.config


@pytest.mark.parametrize(
    ("channel", "time", "zone", "field", "given"),
    [("c1", "25:00", "UTC", "time", "25:00"), ("c1", "09:00", " Paris ", "timezone", "Paris"),
     ("", "09:00", "UTC", "channel", ""), ("c1", "nine", "Nowhere", "time", "nine")],
)  # fmt: skip
async def test_schedule_with_a_bad_input_says_which_and_changes_nothing(env, channel, time, zone, field, given):
    store, admin, _ = env
    assert await admin.schedule("g1", channel, time, zone) == InvalidInput(field, given)
    assert await store.get_trivia_config(PLATFORM, "g1") is None


async def test_turning_off_says_whether_it_was_on(env):
    _, admin, _ = env
    assert await admin.turn_off("g1") == TurnedOff(False)  # never set up
    await admin.schedule("g1", "c1", "09:00")
    assert await admin.turn_off("g1") == TurnedOff(True)
    assert await admin.turn_off("g1") == TurnedOff(False)


async def test_status_shows_the_settings_and_the_next_post_only_while_on(env):
    _, admin, _ = env
    empty = await admin.status("g1")
    assert (empty.config, empty.next_post, empty.has_items) == (None, None, True)
    await admin.schedule("g1", "c1", "10:00", "UTC")
    on = await admin.status("g1")
    assert on.config.enabled and on.next_post == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    await admin.turn_off("g1")
    off = await admin.status("g1")
    assert not off.config.enabled and off.next_post is None


async def test_post_now_goes_to_the_named_channel_then_the_trivia_channel_then_the_current_one(env):
    _, admin, clock = env
    send = Sender()
    assert await admin.post_now("g1", send, channel_id="named", current_channel="here") == PostedNow("named", "posted")
    clock.advance(days=1)
    assert await admin.post_now("g1", send, current_channel="here") == PostedNow("here", "posted")
    await admin.schedule("g1", "trivia", "09:00")
    clock.advance(days=1)
    assert await admin.post_now("g1", send, current_channel="here") == PostedNow("trivia", "posted")
    assert [channel for channel, _ in send.sent] == ["named", "here", "trivia"]


async def test_post_now_twice_a_day_is_refused_with_the_reason_and_sends_nothing(env):
    _, admin, _ = env
    send = Sender()
    await admin.post_now("g1", send, current_channel="c1")
    again = await admin.post_now("g1", send, current_channel="c1")
    assert again.outcome == "refused" and "one question per day" in again.detail
    assert len(send.sent) == 1


async def test_post_now_that_the_platform_refuses_is_a_failure_with_its_reason(env):
    store, admin, _ = env
    result = await admin.post_now("g1", Sender(refuse="missing access"), current_channel="c1")
    assert result == PostedNow("c1", "failed", "missing access") and not result.posted
    assert (await store.last_round(PLATFORM, "g1", "c1")).status == "failed"


async def test_without_trivia_questions_post_now_says_so_and_the_rest_still_works(tmp_path):
    clock = FakeClock(START)
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        admin = TriviaAdmin(store, PLATFORM, None, clock)
        send = Sender()
        assert await admin.post_now("g1", send, current_channel="c1") == NoTrivia() and send.sent == []
        assert isinstance(await admin.schedule("g1", "c1", "09:00"), Scheduled)
        assert (await admin.status("g1")).has_items is False
        assert (await admin.leaderboard("g1")).rows == ()
        assert (await admin.my_stats("g1", "u1")).points == 0


async def test_leaderboard_and_stats_count_points_and_opting_out_hides_only_from_the_board(env):
    store, admin, clock = env
    await admin.post_now("g1", Sender(), current_channel="c1")
    trivia_round = await store.last_round(PLATFORM, "g1", "c1")
    answer = admin.rounds.item(trivia_round.item_id).answer
    await admin.rounds.submit_answer(trivia_round.id, "u1", answer)
    await admin.rounds.submit_answer(trivia_round.id, "u2", answer)
    clock.advance(minutes=61)
    await admin.rounds.reveal(trivia_round.id)
    board = await admin.leaderboard("g1", "week")
    assert board.period == "week" and sorted(r.user_id for r in board.rows) == ["u1", "u2"]
    assert all(r.points == 10 for r in board.rows)
    assert await admin.set_optout("g1", "u1", True) == OptedOut(True)
    assert [r.user_id for r in (await admin.leaderboard("g1", "all")).rows] == ["u2"]
    mine = await admin.my_stats("g1", "u1")
    assert (mine.points, mine.correct, mine.answered, mine.optout, mine.rank) == (10, 1, 1, True, None)
    assert await admin.set_optout("g1", "u1", False) == OptedOut(False)
    assert len((await admin.leaderboard("g1", "all")).rows) == 2


async def test_the_week_of_the_leaderboard_is_the_servers_local_week(env):
    """Sunday 23:30 UTC is already Monday in Tokyo: last week's points are not this week's there."""
    store, admin, clock = env
    clock.set(datetime(2026, 1, 4, 12, 0, tzinfo=UTC))  # Sunday
    await admin.post_now("g1", Sender(), current_channel="c1")
    trivia_round = await store.last_round(PLATFORM, "g1", "c1")
    await admin.rounds.submit_answer(trivia_round.id, "u1", admin.rounds.item(trivia_round.item_id).answer)
    clock.advance(minutes=61)
    await admin.rounds.reveal(trivia_round.id)
    clock.set(datetime(2026, 1, 4, 23, 30, tzinfo=UTC))
    assert [r.user_id for r in (await admin.leaderboard("g1", "week")).rows] == ["u1"]  # still Sunday in UTC
    await admin.schedule("g1", "c1", "09:00", "Asia/Tokyo")
    assert (await admin.leaderboard("g1", "week")).rows == ()  # Monday in Tokyo
