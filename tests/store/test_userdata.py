"""One student's data on each backend: export, forget (every table of the database scanned afterwards), retention."""

from __future__ import annotations

import pytest

from bot.core.clock import FakeClock
from bot.core.errors import StoreError
from bot.core.privacy import Retention, apply_retention, export_user, forget_user
from bot.core.store import Scoring
from tests.store.helpers import posted_round

STUDENT = "4242424242"
OTHER = "5151515151"


async def _a_class(store, clock: FakeClock) -> None:
    """Two students who answered, voted, asked and opted out; and a question both asked."""
    r = await posted_round(store, day="2026-01-05")
    for uid in (STUDENT, OTHER):
        await store.record_answer(r.id, uid, "1962", True, now=1500.0)
        await store.record_feedback("discord", "g1", "c1", uid, f"who met dobrynin {uid}", "dobrynin", False,
                                    message_id=f"m-{uid}")
        await store.record_unanswered("discord", "crisis", "g1", "c1", f"my own question {uid}", uid)
        await store.record_unanswered("discord", "crisis", "g1", "c1", "what about berlin", uid)
    await store.reveal_round(r.id, Scoring())
    await store.set_leaderboard_optout("discord", "g1", STUDENT, True)
    await store.record_feedback("slack", "T1", "C1", STUDENT, "slack vote", None, True, message_id="s1")


async def test_export_user_returns_every_kind_of_row_the_student_has(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await _a_class(store, clock)
        data = await export_user(store, "discord", STUDENT)
    assert [f.question for f in data.feedback] == [f"who met dobrynin {STUDENT}"]
    assert [(a.item_id, a.answer, a.correct, a.points) for a in data.answers] == [("year", "1962", True, 10)]
    assert [(s.points, s.optout) for s in data.scores] == [(10, True)]
    assert sorted(q.question for q in data.questions) == [f"my own question {STUDENT}", "what about berlin"]
    assert data.to_json()["user_id"] == STUDENT and not data.empty


async def test_after_forget_user_no_row_of_any_table_mentions_the_student_and_the_other_keeps_all(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await _a_class(store, clock)
        before_other = await export_user(store, "discord", OTHER)
        assert set(await db.rows_mentioning(STUDENT)) >= {"feedback", "answers", "scores", "unanswered_askers",
                                                          "unanswered"}
        discord = await forget_user(store, "discord", STUDENT)
        slack = await forget_user(store, "slack", STUDENT)
        after_other = await export_user(store, "discord", OTHER)
        gone = await export_user(store, "discord", STUDENT)
    assert await db.rows_mentioning(STUDENT) == {}
    assert (discord.feedback, discord.answers, discord.scores, discord.questions) == (1, 1, 1, 1)
    assert discord.asker_links == 2 and discord.quota == 1 and slack.feedback == 1
    assert gone.empty
    # the other student's data, and the question both asked, stay
    assert after_other == before_other
    assert "what about berlin" in {q.question for q in after_other.questions}


async def test_forget_user_in_one_server_keeps_the_students_rows_of_another_server(db):
    async with db.open() as store:
        r1 = await posted_round(store, day="2026-01-05", guild="g1")
        r2 = await posted_round(store, day="2026-01-05", guild="g2", channel="c2")
        await store.record_answer(r1.id, STUDENT, "1962", True, now=1500.0)
        await store.record_answer(r2.id, STUDENT, "1961", False, now=1500.0)
        report = await forget_user(store, "discord", STUDENT, "g1")
        left = await export_user(store, "discord", STUDENT)
    assert report.answers == 1
    assert [(a.guild_id, a.answer) for a in left.answers] == [("g2", "1961")]


# the last table forget_user deletes from refuses deletes
REFUSE_DELETES = {
    "sqlite": ["CREATE TRIGGER no_delete BEFORE DELETE ON unanswered_quota BEGIN SELECT RAISE(ABORT, 'nope'); END"],
    "postgres": [
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'nope'; END $$",
        "CREATE TRIGGER no_delete BEFORE DELETE ON unanswered_quota FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}


async def test_forget_user_is_one_transaction_a_failure_deletes_nothing(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await _a_class(store, clock)
    await db.execute(*REFUSE_DELETES[db.backend])
    before = await db.rows_mentioning(STUDENT)
    async with db.open(clock=clock) as store:
        with pytest.raises(StoreError):  # a StoreError for the log
            await forget_user(store, "discord", STUDENT)
    assert before and await db.rows_mentioning(STUDENT) == before


async def test_retention_deletes_old_question_texts_and_votes_and_keeps_recent_ones(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        await store.record_unanswered("discord", "crisis", "g", "c", "an old question", "u1")
        await store.record_feedback("discord", "g", "c", "u1", "an old vote", "f", False, message_id="m1")
        clock.advance(days=100)
        await store.record_unanswered("discord", "crisis", "g", "c", "a recent question", None)
        await store.record_feedback("discord", "g", "c", "u2", "a recent vote", "f", True, message_id="m2")
        clock.advance(days=50)
        report = await apply_retention(store, 120, clock)
        kept = [q.question for q in await store.list_unanswered("crisis")]
        votes = await store.feedback_counts()
        user = await export_user(store, "discord", "u1")
        assert (await apply_retention(store, 0, clock)).questions == 0  # 0 keeps everything
    assert (report.questions, report.feedback) == (1, 1)
    assert kept == ["a recent question"]
    assert [(c.helpful, c.unhelpful) for c in votes] == [(1, 0)]
    assert user.questions == () and user.feedback == ()


async def test_retention_runs_on_the_first_tick_then_once_a_day(db):
    clock = FakeClock()
    async with db.open(clock=clock) as store:
        job = Retention(store, 1, clock)
        await store.record_unanswered("discord", "crisis", "g", "c", "first", None)
        clock.advance(days=2)
        first = await job.run_if_due()
        await store.record_unanswered("discord", "crisis", "g", "c", "second", None)
        clock.advance(hours=1)
        again = await job.run_if_due()  # same day: not run
        clock.advance(days=2)
        next_day = await job.run_if_due()
    assert first is not None and first.questions == 1
    assert again is None
    assert next_day is not None and next_day.questions == 1

