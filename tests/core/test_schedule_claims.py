"""Several schedulers on one database (sharded Discord processes, Slack workers): a server's
daily post goes out once, whoever thinks they own it, and a scheduler serves only its servers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.config import TriviaSettings
from bot.core.clock import FakeClock
from bot.core.schedule import Scheduler
from bot.core.trivia.rounds import TriviaService
from bot.store import open_store
from tests.core.test_trivia_course import make_course

NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Chat:
    """The platform: what each scheduler sent (a slow send, so the two overlap)."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, str, str]] = []  # (who sent, guild, channel)

    def poster(self, who: str):
        async def post(config, round, question) -> str:
            await asyncio.sleep(0.001)
            self.posts.append((who, round.guild_id, round.channel_id))
            return f"msg{len(self.posts)}"

        return post

    async def reveal(self, reveal) -> None:
        pass


def scheduler(store, clock, chat: Chat, who: str, owns=None) -> Scheduler:
    service = TriviaService(store, make_course(), TriviaSettings(answer_window_minutes=60), clock)
    extra = {"owns": owns} if owns is not None else {}
    return Scheduler(store, service, "discord", chat.poster(who), chat.reveal, clock, holder=who, **extra)


async def test_two_schedulers_that_both_think_they_own_every_server_post_each_once(tmp_path):
    clock, chat = FakeClock(NINE), Chat()
    guilds = [f"g{i}" for i in range(40)]
    async with open_store(tmp_path / "bot.db", clock=clock) as a, open_store(tmp_path / "bot.db", clock=clock) as b:
        for g in guilds:
            await a.set_trivia_config("discord", g, f"c-{g}", "09:00", "UTC")
        one, two = scheduler(a, clock, chat, "one"), scheduler(b, clock, chat, "two")
        reports = await asyncio.gather(one.tick(), two.tick(), one.tick(), two.tick())
    per_guild = sorted(g for _, g, _ in chat.posts)
    assert per_guild == sorted(guilds)
    assert sum(len(r.posted) for r in reports) == 40 and all(r.failed == [] for r in reports)
    assert {who for who, _, _ in chat.posts} == {"one", "two"}  # both worked; neither posted a taken server


async def test_a_server_whose_channel_changed_after_the_post_gets_no_second_post_that_day(tmp_path):
    clock, chat = FakeClock(NINE), Chat()
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        await store.set_trivia_config("discord", "g1", "c1", "09:00", "UTC")
        sched = scheduler(store, clock, chat, "one")
        assert len((await sched.tick()).posted) == 1
        await store.set_trivia_config("discord", "g1", "c2", "09:00", "UTC")  # c2 has no round today
        clock.advance(minutes=1)
        assert (await sched.tick()).posted == []
        clock.set(datetime(2026, 1, 6, 9, 0, tzinfo=UTC))
        assert len((await sched.tick()).posted) == 1
    assert [(g, c) for _, g, c in chat.posts] == [("g1", "c1"), ("g1", "c2")]


async def test_a_scheduler_posts_and_reveals_only_for_the_servers_it_owns(tmp_path):
    clock, chat = FakeClock(NINE), Chat()
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        for g in ("g1", "g2", "g3"):
            await store.set_trivia_config("discord", g, f"c-{g}", "09:00", "UTC")
        mine = scheduler(store, clock, chat, "mine", owns=lambda guild: guild != "g2")
        assert sorted(r.guild_id for r in (await mine.tick()).posted) == ["g1", "g3"]
        other = scheduler(store, clock, chat, "other", owns=lambda guild: guild == "g2")
        assert [r.guild_id for r in (await other.tick()).posted] == ["g2"]
        clock.advance(hours=3)  # every round has closed
        assert sorted(r.round.guild_id for r in (await mine.tick()).revealed) == ["g1", "g3"]
        assert [r.round.guild_id for r in (await other.tick()).revealed] == ["g2"]
