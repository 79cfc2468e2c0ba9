"""What the teacher's report reads on each backend: question counts (no text, no askers) and the period queries."""

from __future__ import annotations

from bot.core.clock import FakeClock
from bot.store.schema import MIGRATIONS
from tests.reportdata import at, trivia_round
from tests.store.test_schema import write_old_database


async def test_questions_are_counted_per_server_unit_utc_day_and_answered_or_not(db):
    clock = FakeClock(at("2026-01-13", 23))
    async with db.open(clock=clock) as store:
        for unit, answered in [("crew", True), ("crew", True), (None, False), ("mission", True)]:
            await store.count_question("discord", "g1", "moon", unit, answered)
        clock.advance(hours=2)  # past midnight UTC: the next day
        await store.count_question("discord", "g1", "moon", "crew", True)
        await store.count_question("discord", "g2", "moon", "crew", True)
        await store.count_question("slack", "g1", "moon", "crew", True)
        await store.count_question("discord", "g1", "other-course", "crew", True)
        await store.count_question("discord", None, "moon", None, True)  # a direct message
        g1 = await store.question_counts("moon", "discord", "g1", "2026-01-13", "2026-01-14")
        everywhere = await store.question_counts("moon", None, None, "2026-01-14", "2026-01-14")
        first_day_only = await store.question_counts("moon", "discord", "g1", "2026-01-13", "2026-01-13")
    assert [(c.day, c.unit, c.answered, c.count) for c in g1] == [
        ("2026-01-13", "", False, 1), ("2026-01-13", "crew", True, 2), ("2026-01-13", "mission", True, 1),
        ("2026-01-14", "crew", True, 1),
    ]  # fmt: skip
    assert [(c.unit, c.count) for c in everywhere] == [("", 1), ("crew", 3)]
    assert sum(c.count for c in first_day_only) == 4


async def test_the_question_counts_keep_no_text_and_no_user_id(db):
    async with db.open() as store:
        await store.count_question("discord", "g1", "moon", "crew", True)
    columns = await db.columns("question_counts")
    rows = await db.rows("SELECT * FROM question_counts")
    assert columns == {"platform", "guild_id", "course_id", "day", "unit", "answered", "n"}
    assert len(rows) == 1  # one counter row, however many questions


async def test_unanswered_since_lists_questions_last_asked_in_the_period_most_asked_first(db):
    clock = FakeClock(at("2026-01-05"))
    async with db.open(clock=clock) as store:
        await store.record_unanswered("discord", "moon", "g1", "c1", "old question", "u1")
        clock.set(at("2026-01-12"))
        await store.record_unanswered("discord", "moon", "g1", "c1", "who was the pilot", "u1")
        await store.record_unanswered("discord", "moon", "g1", "c1", "what did they eat", "u2")
        await store.record_unanswered("discord", "moon", "g1", "c1", "What did they eat?", "u3")
        await store.record_unanswered("discord", "other", "g1", "c1", "another course", "u3")
        clock.set(at("2026-01-20"))
        await store.record_unanswered("discord", "moon", "g1", "c1", "a later question", "u1")
        rows = await store.unanswered_since("moon", at("2026-01-12", 0).timestamp(), at("2026-01-19", 0).timestamp())
    assert [(r.question, r.count) for r in rows] == [("What did they eat?", 2), ("who was the pilot", 1)]
    assert all(r.user_ids == () for r in rows)  # a report never shows who asked


async def test_answer_votes_in_a_period_per_fact_and_per_wording_for_quotes_most_not_helpful_first(db):
    clock = FakeClock(at("2026-01-05"))
    async with db.open(clock=clock) as store:
        await store.record_feedback("discord", "g1", "c1", "u1", "old", "walk", False, "m0")
        clock.set(at("2026-01-13"))
        await store.record_feedback("discord", "g1", "c1", "u1", "who walked", "walk", False, "m1")
        await store.record_feedback("discord", "g1", "c1", "u2", "who walked first", "walk", True, "m2")
        await store.record_feedback("discord", "g1", "c1", "u3", "first walker?", "walk", False, "m3")
        await store.record_feedback("discord", "g1", "c1", "u1", "Who was Collins", None, False, "m4")
        await store.record_feedback("discord", "g1", "c1", "u2", "who was collins ", None, False, "m5")
        await store.record_feedback("discord", "g1", "c1", "u2", "what year", None, True, "m6")
        await store.record_feedback("discord", "g2", "c9", "x1", "who walked", "walk", False, "m7")
        await store.record_feedback("slack", "g1", "C1", "U1", "who walked", "walk", False, "m8")
        votes = await store.answer_votes("discord", "g1", at("2026-01-12", 0).timestamp(), at("2026-01-19", 0).timestamp())
        all_servers = await store.answer_votes(None, None, at("2026-01-12", 0).timestamp())
    assert [(v.fact_id, v.question, v.helpful, v.unhelpful) for v in votes] == [
        (None, "who was collins", 0, 2), ("walk", "first walker?", 1, 2), (None, "what year", 1, 0),
    ]  # fmt: skip  (as many "not helpful": the one with fewer "helpful" first)
    assert [(v.fact_id, v.unhelpful) for v in all_servers][0] == ("walk", 4)


async def test_round_results_count_answers_of_rounds_that_went_out_in_the_days_asked(db):
    async with db.open() as store:
        await trivia_round(store, "2026-01-04", "a", {"u1": True})
        await trivia_round(store, "2026-01-05", "a", {"u1": True, "u2": False, "u3": True})
        await trivia_round(store, "2026-01-06", "b", {})
        await trivia_round(store, "2026-01-07", "b", {"u1": True}, post=False)  # never posted
        await trivia_round(store, "2026-01-07", "c", {"u9": True}, guild="g2", channel="c9")
        results = await store.round_results("discord", "g1", "2026-01-05", "2026-01-11")
        players = await store.trivia_players("discord", "g1", "2026-01-04", "2026-01-11")
        players_everywhere = await store.trivia_players(None, None, "2026-01-04", "2026-01-11")
    assert [(r.item_id, r.day, r.answered, r.correct) for r in results] == [("a", "2026-01-05", 3, 2), ("b", "2026-01-06", 0, 0)]
    assert (players, players_everywhere) == (3, 4)


async def test_upgrading_a_version_three_database_adds_the_question_counts_and_keeps_its_data(db):
    await write_old_database(db, 3, [
        "INSERT INTO feedback (platform, guild_id, channel_id, user_id, message_id, question, fact_id, helpful,"
        f" created_at) VALUES ('discord', 'g1', 'c1', 'u1', 'm1', 'who walked', 'walk', 0, {at('2026-01-13').timestamp()})"
    ])
    async with db.open(clock=FakeClock(at("2026-01-14"))) as store:
        assert await store.schema_version() == len(MIGRATIONS)
        await store.count_question("discord", "g1", "moon", "crew", True)
        counts = await store.question_counts("moon", "discord", "g1", "2026-01-14", "2026-01-14")
        votes = await store.answer_votes("discord", "g1", at("2026-01-12").timestamp())
    assert [(c.unit, c.count) for c in counts] == [("crew", 1)]
    assert [(v.fact_id, v.unhelpful) for v in votes] == [("walk", 1)]


async def test_passage_votes_group_wordings_that_differ_in_spacing_and_ascii_case_the_same_way_on_both_backends(db):
    clock = FakeClock(at("2026-01-13"))
    async with db.open(clock=clock) as store:
        for i, q in enumerate(["Who was Collins", " who was COLLINS ", "who was  collins", "ÉCOLE", "école"]):
            await store.record_feedback("discord", "g1", "c1", f"u{i}", q, None, False, f"m{i}")
        votes = await store.answer_votes("discord", "g1", at("2026-01-12").timestamp())
    # spacing is cleaned when stored; SQLite's lower() changes ASCII letters only, and PostgreSQL does the same here
    assert sorted((v.question, v.unhelpful) for v in votes) == [("who was collins", 3), ("ÉCOLE", 1), ("école", 1)]


async def test_question_counts_list_units_in_byte_order_on_both_backends(db):
    async with db.open(clock=FakeClock(at("2026-01-13"))) as store:
        for unit in ("crew", "Zeta", "apollo", "_intro"):
            await store.count_question("discord", "g1", "moon", unit, True)
        counts = await store.question_counts("moon", "discord", "g1", "2026-01-13", "2026-01-13")
    assert [c.unit for c in counts] == ["Zeta", "_intro", "apollo", "crew"]
