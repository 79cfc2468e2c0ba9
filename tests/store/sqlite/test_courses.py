"""Course bindings on SQLite: one course per server and per channel, kept across restarts."""

from __future__ import annotations

from bot.store import open_store


async def test_a_channel_and_a_server_binding_are_kept_apart_and_survive_a_restart(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        await store.bind_course("discord", "g1", None, "physics", set_by="t1")
        await store.bind_course("discord", "g1", "c2", "chemistry", set_by="t1")
        await store.bind_course("discord", "g1", "c2", "biology", set_by="t2")  # replaces the channel's
        await store.bind_course("slack", "g1", "c2", "history")  # another platform: its own row
    async with open_store(tmp_path / "bot.db") as store:
        bindings = await store.course_bindings("discord", "g1")
    assert [(b.channel_id, b.course_id, b.set_by) for b in bindings] == [("", "physics", "t1"), ("c2", "biology", "t2")]


async def test_unbinding_says_whether_there_was_a_binding(tmp_path):
    async with open_store(tmp_path / "bot.db") as store:
        assert not await store.unbind_course("slack", "T", "C")
        await store.bind_course("slack", "T", "C", "physics")
        await store.bind_course("slack", "T", "", "chemistry")
        assert await store.unbind_course("slack", "T", "C")
        remaining = await store.course_bindings("slack", "T")
    assert [(b.channel_id, b.course_id) for b in remaining] == [("", "chemistry")]
