"""The SQLite store: schema, constraints, errors a teacher can act on, durability."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.core.clock import FakeClock
from bot.core.errors import ConfigError, StoreError
from bot.core.models import TriviaRound
from bot.store import RoundExists, Scoring, SQLiteStore, Store, open_store
from bot.store.sqlite import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent


def a_round(day: str = "2026-01-05", channel: str = "c1", item: str = "year", guild: str = "g1") -> TriviaRound:
    return TriviaRound(None, guild, channel, item, day, 1000.0, 2000.0, ("1962", "1963", "1961"))


async def posted_round(store, day="2026-01-05", channel="c1", item="year", guild="g1") -> TriviaRound:
    r = await store.create_round("discord", a_round(day, channel, item, guild))
    await store.mark_round_posted(r.id, f"msg-{day}-{channel}")
    return r


async def test_open_store_creates_schema_in_wal_mode(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        assert isinstance(store, Store)
        assert await store.schema_version() == len(MIGRATIONS)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    con.close()


async def test_open_store_can_be_awaited_and_reopened_keeps_data(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path)
    await store.set_trivia_config("slack", "T1", "C1", "8:05", "Europe/Paris")
    await store.close()
    store = await open_store(path)
    cfg = await store.get_trivia_config("slack", "T1")
    await store.close()
    assert cfg is not None and cfg.post_time == "08:05" and cfg.timezone == "Europe/Paris" and cfg.enabled


async def test_garbage_file_is_reported_as_not_a_classbot_database(tmp_path):
    path = tmp_path / "bot.db"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="is not a classbot database or is corrupt"):
        await open_store(path)


async def test_someone_elses_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="is not a classbot database"):
        await open_store(path)


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer classbot"):
        await open_store(path)


async def test_missing_folder_says_so(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        await open_store(tmp_path / "nope" / "bot.db")


async def test_read_only_database_raises_store_error_on_write(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    store = await open_store(f"file:{path}?mode=ro")
    try:
        assert await store.get_trivia_config("discord", "g") is None  # reading works
        with pytest.raises(StoreError, match="cannot write to"):
            await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        await store.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_folder_raises_store_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    async with open_store(folder / "bot.db"):
        pass
    os.chmod(folder / "bot.db", 0o444)
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(StoreError, match="cannot write|is locked"):
            store = await open_store(folder / "bot.db")
            await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        os.chmod(folder, 0o755)


async def test_lock_held_beyond_busy_timeout_raises_store_error(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="is locked by another process"):
            await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await store.record_feedback("discord", "g", "c", "u", "q?", "f", True)  # fine once released
    assert (await store.feedback_counts())[0].helpful == 1
    await store.close()


async def test_closed_store_raises_store_error(tmp_path):
    store = await open_store(tmp_path / "bot.db")
    await store.close()
    with pytest.raises(StoreError, match="not open"):
        await store.list_trivia_configs()


async def test_feedback_second_vote_on_same_message_replaces_the_first(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        await store.record_feedback("discord", "g", "c", "u1", "who?", "dobrynin", True, message_id="m1")
        await store.record_feedback("discord", "g", "c", "u1", "who?", "dobrynin", False, message_id="m1")
        await store.record_feedback("discord", "g", "c", "u2", "who?", "dobrynin", True, message_id="m1")
        counts = {c.fact_id: c for c in await store.feedback_counts()}
    assert (counts["dobrynin"].helpful, counts["dobrynin"].unhelpful) == (1, 1)


async def test_unanswered_questions_grouped_most_asked_first_and_askers_only_when_given(tmp_path):
    clock = FakeClock()
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "What about Berlin?", None)
        clock.advance(minutes=1)
        await store.record_unanswered("slack", "crisis", "T", "C", "what about  berlin", "U7")
        await store.record_unanswered("discord", "crisis", "g", "c", "Who was U Thant?", None)
        await store.record_unanswered("discord", "other", "g", "c", "Unrelated", None)
        rows = await store.list_unanswered("crisis", limit=10)
    assert [(r.question, r.count) for r in rows] == [("what about berlin", 2), ("Who was U Thant?", 1)]
    assert rows[0].user_ids == ("U7",) and rows[1].user_ids == ()


async def test_trivia_config_validates_time_and_timezone(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        with pytest.raises(ConfigError, match="HH:MM"):
            await store.set_trivia_config("discord", "g", "c", "25:00", "UTC")
        with pytest.raises(ConfigError, match="unknown timezone"):
            await store.set_trivia_config("discord", "g", "c", "09:00", "Mars/Olympus")
        await store.set_trivia_config("discord", "g", "c", "09:00", "Asia/Tokyo")
        await store.set_trivia_config("discord", "g", "c2", "10:30", "Asia/Tokyo", enabled=False)
        await store.set_trivia_config("slack", "T", "C", "07:00", "UTC")
        configs = await store.list_trivia_configs("discord")
    assert [(c.channel_id, c.post_time, c.enabled) for c in configs] == [("c2", "10:30", False)]


async def test_a_channel_can_never_get_two_rounds_on_one_day(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        first = await store.create_round("discord", a_round())
        with pytest.raises(RoundExists) as err:
            await store.create_round("discord", a_round(item="days"))
        assert err.value.existing.id == first.id
        other_channel = await store.create_round("discord", a_round(channel="c2"))
        assert other_channel.id != first.id
        found = await store.round_for_day("discord", "g1", "c1", "2026-01-05")
    assert found is not None and found.item_id == "year" and found.status == "pending"
    assert found.meta["platform"] == "discord" and found.choices == ("1962", "1963", "1961")


async def test_round_life_cycle_and_lookups(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        r = await store.create_round("discord", a_round())
        assert [p.id for p in await store.pending_rounds()] == [r.id]
        await store.mark_round_posted(r.id, "m42")
        assert (await store.get_round_by_message("discord", "m42")).id == r.id
        assert await store.get_round_by_message("slack", "m42") is None
        assert [o.id for o in await store.open_rounds("discord")] == [r.id]
        assert await store.reveal_round(r.id, Scoring()) == []
        assert await store.reveal_round(r.id, Scoring()) is None  # once only
        assert (await store.get_round(r.id)).status == "revealed"
        assert await store.open_rounds() == []
        failed = await store.create_round("discord", a_round(day="2026-01-06"))
        await store.mark_round_failed(failed.id, "no permission")
        got = await store.get_round(failed.id)
    assert got.status == "failed" and got.meta["failure"] == "no permission"


async def test_one_counted_answer_per_student_per_round(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        r = await posted_round(store)
        assert await store.record_answer(r.id, "u1", "1962", True, now=1500.0) == "recorded"
        assert await store.record_answer(r.id, "u1", "1963", False, now=1500.0) == "already_answered"
        assert await store.get_answer(r.id, "u1") == ("1962", True)
        results = await asyncio.gather(*(store.record_answer(r.id, "u2", str(i), False, now=1500.0) for i in range(10)))
        assert results.count("recorded") == 1
        stats = await store.round_stats(r.id)
    assert (stats.answered, stats.correct) == (2, 1)


async def test_an_answer_is_refused_once_the_round_is_revealed_or_its_window_has_closed(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        r = await posted_round(store)  # open from 1000 to 2000
        assert await store.record_answer(r.id, "u1", "1962", True, now=1999.0) == "recorded"
        assert await store.record_answer(r.id, "u2", "1962", True, now=2000.0) == "closed"  # window over
        assert await store.reveal_round(r.id, Scoring()) is not None
        # revealed (and scored) early, inside the window: nothing more gets in, so nothing goes unscored
        assert await store.record_answer(r.id, "u3", "1962", True, now=1500.0) == "closed"
        pending = await store.create_round("discord", a_round(day="2026-01-06"))
        await store.mark_round_failed(pending.id, "boom")
        assert await store.record_answer(pending.id, "u1", "1962", True, now=1500.0) == "closed"
        assert await store.record_answer(999, "u1", "x", True, now=1500.0) == "closed"
        assert (await store.round_stats(r.id)).answered == 1
        assert await store.get_answer(r.id, "u3") is None


async def test_answer_double_submit_from_two_connections_counted_once(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as a, open_store(path) as b:
        r = await posted_round(a)
        results = await asyncio.gather(
            a.record_answer(r.id, "u1", "x", True, now=1500.0), b.record_answer(r.id, "u1", "y", False, now=1500.0)
        )
        assert sorted(results) == ["already_answered", "recorded"]
        assert (await b.round_stats(r.id)).answered == 1


async def test_streak_counts_consecutive_rounds_not_calendar_days(tmp_path):
    scoring = Scoring(points=10, streak_bonus=2, streak_bonus_cap=4)
    async with open_store(tmp_path / "bot.db") as store:
        awarded = []
        # Mon-Thu, then a post that failed on Friday, nothing at the weekend, then Monday and Tuesday
        for day in ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-12", "2026-01-13"]:
            if day == "2026-01-12":
                failed = await store.create_round("discord", a_round(day="2026-01-09"))
                await store.mark_round_failed(failed.id, "Missing Access")
            r = await posted_round(store, day=day)
            await store.record_answer(r.id, "u1", "1962", True, now=1500.0)
            awarded.append((await store.reveal_round(r.id, scoring))[0])
        assert [a.streak for a in awarded] == [1, 2, 3, 4, 5, 6]
        assert [a.points for a in awarded] == [10, 12, 14, 14, 14, 14]  # bonus capped at 4
        stats = await store.user_stats("discord", "g1", "u1", today="2026-01-13")
        assert (stats.points, stats.streak, stats.best_streak, stats.correct, stats.rank) == (78, 6, 6, 6, 1)
        weeks_later = await store.user_stats("discord", "g1", "u1", today="2026-02-20")
        assert weeks_later.streak == 6  # trivia was off since: no round missed, nothing broken

        missed = await posted_round(store, day="2026-02-23")  # a round u1 did not answer
        await store.record_answer(missed.id, "u2", "1962", True, now=1500.0)
        await store.reveal_round(missed.id, scoring)
        after = await store.user_stats("discord", "g1", "u1", today="2026-02-23")
        assert (after.streak, after.best_streak) == (0, 6)
        assert {r.user_id: r.streak for r in await store.leaderboard("discord", "g1", "all", today="2026-02-23")} == {
            "u1": 0, "u2": 1,
        }  # fmt: skip
        back = await posted_round(store, day="2026-02-24")
        await store.record_answer(back.id, "u1", "1962", True, now=1500.0)
        assert [a.streak for a in await store.reveal_round(back.id, scoring)] == [1]


async def test_streaks_are_per_server_whichever_channel_the_rounds_are_in(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        streaks = []
        for day, channel in [("2026-01-05", "c1"), ("2026-01-06", "c1"), ("2026-01-06", "c2"), ("2026-01-07", "c2"),
                             ("2026-01-08", "c1")]:
            r = await posted_round(store, day=day, channel=channel)
            await store.record_answer(r.id, "u1", "1962", True, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
        stats = await store.user_stats("discord", "g1", "u1", today="2026-01-08")
        # right in two channels on the 6th: that day counts once, and the streak carries on in c2 and back in c1
        assert streaks == [1, 2, 2, 3, 4] and (stats.streak, stats.best_streak) == (4, 4)
        other = await posted_round(store, day="2026-01-05", channel="c9", guild="g2")  # another server: its own
        await store.record_answer(other.id, "u1", "1962", True, now=1500.0)
        assert [a.streak for a in await store.reveal_round(other.id, Scoring())] == [1]
        missed = await posted_round(store, day="2026-01-09", channel="c2")  # a server day u1 did not answer
        await store.reveal_round(missed.id, Scoring())
        assert (await store.user_stats("discord", "g1", "u1", today="2026-01-09")).streak == 0


async def test_a_round_right_elsewhere_the_same_day_keeps_a_streak_a_wrong_one_made(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        streaks = []
        for day, channel, right in [("2026-01-05", "c1", True), ("2026-01-06", "c1", False), ("2026-01-06", "c2", True),
                                    ("2026-01-07", "c1", True)]:
            r = await posted_round(store, day=day, channel=channel)
            await store.record_answer(r.id, "u1", "x", right, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
    assert streaks == [1, 2, 3]


async def test_wrong_answer_breaks_the_streak(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        streaks = []
        for day, right in [("2026-01-05", True), ("2026-01-06", False), ("2026-01-07", True)]:
            r = await posted_round(store, day=day)
            await store.record_answer(r.id, "u1", "x", right, now=1500.0)
            streaks += [a.streak for a in await store.reveal_round(r.id, Scoring())]
    assert streaks == [1, 1]


async def test_leaderboard_week_and_all_time_and_optout(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        # last week (Mon 2025-12-29): u1 right; this week (Mon 2026-01-05): u2 right twice, u3 once
        plan = {"2025-12-31": {"u1": True}, "2026-01-05": {"u2": True, "u3": True, "u1": False},
                "2026-01-06": {"u2": True, "u3": False}}
        for day, answers in plan.items():
            r = await posted_round(store, day=day)
            for user, right in answers.items():
                await store.record_answer(r.id, user, "x", right, now=1500.0)
            await store.reveal_round(r.id, Scoring(points=10, streak_bonus=0))
        week = await store.leaderboard("discord", "g1", "week", today="2026-01-07")
        alltime = await store.leaderboard("discord", "g1", "all", today="2026-01-07")
        assert [(r.rank, r.user_id, r.points) for r in week] == [(1, "u2", 20), (2, "u3", 10)]
        assert [(r.user_id, r.points) for r in alltime] == [("u2", 20), ("u1", 10), ("u3", 10)] or [
            (r.user_id, r.points) for r in alltime
        ] == [("u2", 20), ("u3", 10), ("u1", 10)]
        await store.set_leaderboard_optout("discord", "g1", "u2")
        week = await store.leaderboard("discord", "g1", "week", today="2026-01-07")
        assert [r.user_id for r in week] == ["u3"]
        hidden = await store.user_stats("discord", "g1", "u2", today="2026-01-07")
        assert hidden.optout and hidden.rank is None and hidden.points == 20
        assert (await store.user_stats("discord", "g1", "u3", today="2026-01-07")).rank == 1
        await store.set_leaderboard_optout("discord", "g1", "u2", False)
        assert (await store.leaderboard("discord", "g1", "all", limit=1, today="2026-01-07"))[0].user_id == "u2"
        other_guild = await store.leaderboard("discord", "g2", "all")
    assert other_guild == []


async def test_item_history_counts_rounds_that_went_out(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        r1 = await posted_round(store, day="2026-01-05", item="year")
        await store.record_answer(r1.id, "u1", "1962", True, now=1500.0)
        await store.record_answer(r1.id, "u2", "1963", False, now=1500.0)
        await posted_round(store, day="2026-01-06", item="days")
        failed = await store.create_round("discord", a_round(day="2026-01-07", item="blockade"))
        await store.mark_round_failed(failed.id, "boom")
        await posted_round(store, day="2026-01-05", item="days", channel="c2")
        history = {u.item_id: u for u in await store.item_history("discord", "g1", "c1")}
        whole_guild = await store.item_history("discord", "g1")
    assert set(history) == {"year", "days"}
    assert (history["year"].answered, history["year"].correct, history["year"].share_correct) == (2, 1, 0.5)
    assert history["days"].share_correct is None
    assert {u.item_id: u.times_used for u in whole_guild} == {"year": 1, "days": 2}


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.core.models import TriviaRound
    from bot.store import open_store

    async def main(path):
        store = await open_store(path)
        r = await store.create_round("discord", TriviaRound(None, "g", "c", "i", "2026-01-05", 0, 1e12))
        await store.mark_round_posted(r.id, "m")
        print("round", r.id, flush=True)
        i = 0
        while True:
            if await store.record_answer(r.id, f"user{i}", "x", i % 2 == 0) == "recorded":
                print("ack", i, flush=True)
            await store.record_feedback("discord", "g", "c", f"user{i}", "q?", "f", True)
            i += 1

    asyncio.run(main(sys.argv[1]))
    """
)


def test_acknowledged_answers_survive_sigkill(tmp_path):
    path = tmp_path / "bot.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    acked: list[int] = []
    assert proc.stdout is not None
    round_line = proc.stdout.readline().split()
    assert round_line[0] == "round", round_line
    for line in proc.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) >= 150:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for line in proc.stdout:  # anything acknowledged before it died
        acked.append(int(line.split()[1]))
    assert proc.returncode == -signal.SIGKILL

    async def check() -> None:
        async with open_store(path) as store:
            assert await store.integrity_check() == "ok"
            for i in acked:
                assert await store.get_answer(int(round_line[1]), f"user{i}") is not None, i

    asyncio.run(check())
    assert len(acked) >= 150


async def test_memory_store_works_for_previews():
    async with open_store(":memory:") as store:
        assert isinstance(store, SQLiteStore)
        r = await posted_round(store)
        assert await store.record_answer(r.id, "u", "1962", True, now=1500.0) == "recorded"


async def test_a_failing_migration_is_rolled_back_and_reported(tmp_path, monkeypatch):
    import bot.store.sqlite as sqlite_module

    path = tmp_path / "bot.db"
    async with open_store(path):
        pass
    broken = [*MIGRATIONS, ["CREATE TABLE extra (id INTEGER)", "THIS IS NOT SQL"]]
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", broken)
    with pytest.raises(StoreError):
        await open_store(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchone() is None
    con.close()


async def test_upgrading_a_version_one_database_keeps_current_streaks(tmp_path):
    import json
    import sqlite3

    from bot.store.sqlite import MIGRATIONS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute(
        "INSERT INTO rounds (id, platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices, message_id,"
        " status, meta, created_at) VALUES (7, 'discord', 'g', 'c', 'item', '2026-01-05', 0, 1, ?, 'm', 'revealed', ?, 0)",
        (json.dumps([]), json.dumps({})),
    )
    db.execute("INSERT INTO answers (round_id, user_id, answer, correct, points, answered_at) VALUES (7, 'u', 'x', 1, 12, 0)")
    db.execute("INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak, last_correct_day)"
               " VALUES ('discord', 'g', 'u', 42, 3, 3, '2026-01-05')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    async with open_store(path) as store:
        stats = await store.user_stats("discord", "g", "u", today="2026-01-06")
    assert (stats.points, stats.streak, stats.best_streak) == (42, 3, 3)


async def test_turning_trivia_off_keeps_the_settings_and_says_whether_it_was_on(tmp_path):
    async with open_store(tmp_path / "c.db") as store:
        assert not await store.disable_trivia("slack", "T1")  # never set up
        await store.set_trivia_config("slack", "T1", "C1", "09:30", "Europe/Paris")
        assert await store.disable_trivia("slack", "T1")
        assert not await store.disable_trivia("slack", "T1")  # already off
        config = await store.get_trivia_config("slack", "T1")
    assert (config.enabled, config.channel_id, config.post_time, config.timezone) == (False, "C1", "09:30", "Europe/Paris")


# ---- the unanswered-question log stays bounded (issue 9 item 7) ----------------------------------


async def test_unanswered_log_caps_the_text_and_merges_repeats_into_one_row(tmp_path):
    from bot.store.sqlite import UNANSWERED_MAX_CHARS

    clock = FakeClock()
    path = tmp_path / "bot.db"
    async with open_store(path, clock=clock) as store:
        long = "why " + "blah " * 400
        for n in range(5):
            await store.record_unanswered("discord", "crisis", "g", "c", long.upper() if n % 2 else long, None, f"u{n}")
            clock.advance(minutes=1)
        [row] = await store.list_unanswered("crisis")
    assert row.count == 5 and len(row.question) <= UNANSWERED_MAX_CHARS and row.question.endswith("…")
    assert row.last_asked - row.first_asked == 4 * 60
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*), MAX(LENGTH(question)), MAX(LENGTH(question_key)) FROM unanswered").fetchone() \
        == (1, len(row.question), len(row.question) - 1)  # the key: the text without its "…"
    con.close()


async def test_one_asker_adds_at_most_the_daily_quota_and_again_the_next_day(tmp_path):
    from bot.store.sqlite import UNANSWERED_PER_ASKER_PER_DAY as QUOTA

    clock = FakeClock()
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        kept = [await store.record_unanswered("slack", "crisis", "T", "C", f"question number {i}", None, "U1")
                for i in range(QUOTA + 5)]
        assert kept == [True] * QUOTA + [False] * 5
        assert await store.record_unanswered("slack", "crisis", "T", "C", "another student", None, "U2")
        assert not await store.record_unanswered("slack", "crisis", "T", "C", "question number 0", None, "U1")
        assert await store.count_unanswered("crisis") == QUOTA + 1
        clock.advance(days=1)
        assert await store.record_unanswered("slack", "crisis", "T", "C", "a new day", None, "U1")
        con = sqlite3.connect(tmp_path / "bot.db")
        quota_rows = con.execute("SELECT day, asker FROM unanswered_quota").fetchall()
        con.close()
    assert len(quota_rows) == 1  # only today's counts are kept, and not as user ids
    assert all("U1" not in asker and "U2" not in asker for _, asker in quota_rows)


async def test_control_and_bidi_characters_never_reach_the_log(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "who\x1b]0;owned\x07 was\rU\u202eThant\u2028?", "u\x071")
        [row] = await store.list_unanswered("crisis")
    assert row.question == "who was UThant ?" and row.user_ids == ("u1",)


async def test_upgrading_a_version_two_database_merges_and_cleans_its_unanswered_questions(tmp_path):
    from bot.store.sqlite import UNANSWERED_MAX_CHARS

    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for steps in MIGRATIONS[:2]:
        for statement in steps:
            db.execute(statement)
    rows = [
        ("who was castro", "who was castro", "u1", 10.0),
        ("Who was Castro?", "who was castro", "u2", 30.0),
        ("who was castro", "who was castro", None, 20.0),
        ("\x1b[2Jwhat is\x07 a blockade", "\x1b[2jwhat is\x07 a blockade", None, 5.0),
        ("x" * 5000, "x" * 5000, "u1", 1.0),
        ("x" * 5000 + "y", "x" * 5000 + "y", None, 2.0),  # the same once capped: merged
    ]
    for question, key, user, at in rows:
        db.execute("INSERT INTO unanswered (platform, course_id, guild_id, channel_id, question, question_key, user_id,"
                   " asked_at) VALUES ('discord', 'crisis', 'g', 'c', ?, ?, ?, ?)", (question, key, user, at))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    async with open_store(path) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        listed = await store.list_unanswered("crisis")
        await store.record_unanswered("discord", "crisis", "g", "c", "who was castro", None)
        after = await store.list_unanswered("crisis", limit=1)
    assert [(r.question[:20], r.count, r.user_ids) for r in listed] == [
        ("Who was Castro?", 3, ("u1", "u2")), ("x" * 20, 2, ("u1",)), ("what is a blockade", 1, ()),
    ]  # fmt: skip
    assert (listed[0].first_asked, listed[0].last_asked) == (10.0, 30.0)
    assert max(len(r.question) for r in listed) <= UNANSWERED_MAX_CHARS
    assert (after[0].question, after[0].count) == ("who was castro", 4)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0] == 3
    con.close()


# ---- database failures: a StoreError with a log message and a separate short user message -------


def _assert_split_messages(error: StoreError, path) -> None:
    assert str(path) in str(error)  # the log names the file
    assert str(path) not in error.user_message and "sqlite" not in error.user_message.lower()
    assert len(error.user_message) < 120 and "\n" not in error.user_message


async def _every_write(store) -> list[str]:
    """Each write of the Store interface tried once: the names of those that did not raise StoreError."""
    r = TriviaRound(1, "g1", "c1", "year", "2026-01-05", 1000.0, 2000.0, ("a", "b"))
    writes = {
        "record_feedback": lambda: store.record_feedback("discord", "g", "c", "u", "q?", "f", True, "m1"),
        "record_unanswered": lambda: store.record_unanswered("discord", "crisis", "g", "c", "who was castro", "u"),
        "set_trivia_config": lambda: store.set_trivia_config("discord", "g9", "c", "09:00", "UTC"),
        "disable_trivia": lambda: store.disable_trivia("discord", "g1"),
        "create_round": lambda: store.create_round("discord", a_round(day="2026-03-01")),
        "mark_round_posted": lambda: store.mark_round_posted(1, "m"),
        "mark_round_failed": lambda: store.mark_round_failed(2, "x"),  # round 2 is pending
        "reveal_round": lambda: store.reveal_round(1, Scoring()),
        "mark_reveal_sent": lambda: store.mark_reveal_sent(3),  # round 3's reveal is being sent
        "record_answer": lambda: store.record_answer(r.id, "u7", "a", True, now=1500.0),
        "set_leaderboard_optout": lambda: store.set_leaderboard_optout("discord", "g1", "u1"),
    }
    escaped = []
    for name, write in writes.items():
        try:
            await write()
        except StoreError:
            continue
        escaped.append(name)
    return escaped


async def test_every_write_to_a_read_only_database_raises_store_error(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        await store.set_trivia_config("discord", "g1", "c1")
        await posted_round(store)  # 1
        await store.create_round("discord", a_round(channel="c2"))  # 2, pending
        await store.reveal_round((await posted_round(store, channel="c3")).id, Scoring())  # 3, reveal sending
    store = await open_store(f"file:{path}?mode=ro")
    try:
        assert await _every_write(store) == []
        with pytest.raises(StoreError) as caught:
            await store.record_answer(1, "u1", "a", True, now=1500.0)
        _assert_split_messages(caught.value, path)
    finally:
        await store.close()


async def test_a_full_disk_raises_store_error_with_a_short_user_message(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        await posted_round(store)
        db = store._conn  # the store's own connection: SQLite's page limit stands in for a full disk
        pages = (await (await db.execute("PRAGMA page_count")).fetchone())[0]
        await db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="disk is full") as caught:
            for i in range(2000):
                await store.record_unanswered("discord", "crisis", "g", "c", f"question {i} " + "z" * 250, None)
        _assert_split_messages(caught.value, path)
        escaped = []
        for i in range(50):
            try:
                await store.record_feedback("discord", "g", "c", f"u{i}", "q" * 3000, "f", True, f"m{i}")
            except StoreError:
                continue
            except Exception as e:  # anything else is a leak
                escaped.append(repr(e))
        assert escaped == []


async def test_locked_and_corrupt_databases_give_different_user_messages(tmp_path):
    path = tmp_path / "bot.db"
    store = await open_store(path, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as locked:
            await store.record_answer(1, "u1", "a", True)
    finally:
        other.execute("ROLLBACK")
        other.close()
        await store.close()
    _assert_split_messages(locked.value, path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(StoreError) as corrupt:
        await open_store(bad)
    _assert_split_messages(corrupt.value, bad)
    assert "try again" in locked.value.user_message.lower() and "teacher" in corrupt.value.user_message.lower()


def test_user_message_of_a_store_error_never_names_the_file():
    from bot.core.errors import user_message

    error = StoreError("cannot write to /srv/classbot/classbot.db: the disk is full")
    assert "/srv" not in user_message(error) and user_message(error) == error.user_message


async def test_a_database_created_by_a_run_that_never_wrote_is_discarded_on_request(tmp_path):
    unused = tmp_path / "unused.db"
    store = await open_store(unused)
    await store.close(discard_if_unused=True)
    assert list(tmp_path.iterdir()) == []
    used = tmp_path / "used.db"
    async with open_store(used) as store:
        await store.set_trivia_config("discord", "g", "c")
    store = await open_store(used)  # it existed before: never removed
    await store.close(discard_if_unused=True)
    assert used.exists()


async def test_feedback_and_trivia_answers_are_kept_clean_and_capped_too(tmp_path):
    path = tmp_path / "bot.db"
    async with open_store(path) as store:
        r = await posted_round(store)
        await store.record_answer(r.id, "u1", "\x1b]0;x\x07nineteen\r\u202e62" + " sixty" * 500, False, now=1500.0)
        await store.record_feedback("discord", "g", "c", "u1", "who\x1b[2K won\x07" * 200, "f", True, "m1")
        answer, _ = await store.get_answer(r.id, "u1")
    con = sqlite3.connect(path)
    [question] = con.execute("SELECT question FROM feedback").fetchone()
    con.close()
    assert answer.startswith("nineteen 62 sixty") and len(answer) <= 300 and len(question) <= 300
    assert not any(ch in answer + question for ch in "\x1b\x07\r\u202e")
