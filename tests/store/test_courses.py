"""Course bindings on each backend: one course per server and per channel, kept across restarts."""

from __future__ import annotations


async def test_a_channel_and_a_server_binding_are_kept_apart_and_survive_a_restart(db):
    async with db.open() as store:
        await store.bind_course("discord", "g1", None, "physics", set_by="t1")
        await store.bind_course("discord", "g1", "c2", "chemistry", set_by="t1")
        await store.bind_course("discord", "g1", "c2", "biology", set_by="t2")  # replaces the channel's
        await store.bind_course("slack", "g1", "c2", "history")  # another platform: its own row
    async with db.open() as store:
        bindings = await store.course_bindings("discord", "g1")
    assert [(b.channel_id, b.course_id, b.set_by) for b in bindings] == [("", "physics", "t1"), ("c2", "biology", "t2")]


async def test_unbinding_says_whether_there_was_a_binding(db):
    async with db.open() as store:
        assert not await store.unbind_course("slack", "T", "C")
        await store.bind_course("slack", "T", "C", "physics")
        await store.bind_course("slack", "T", "", "chemistry")
        assert await store.unbind_course("slack", "T", "C")
        remaining = await store.course_bindings("slack", "T")
    assert [(b.channel_id, b.course_id) for b in remaining] == [("", "chemistry")]


async def test_bindings_are_listed_by_channel_id_byte_order_with_the_server_binding_first(db):
    async with db.open() as store:
        for channel in ("b", "_x", "B", "a-1", "a1"):
            await store.bind_course("discord", "g1", channel, f"course-{channel}")
        await store.bind_course("discord", "g1", None, "default")
        bindings = await store.course_bindings("discord", "g1")
    assert [b.channel_id for b in bindings] == ["", "B", "_x", "a-1", "a1", "b"]
