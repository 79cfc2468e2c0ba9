"""Two `classbot run discord` processes, shards 0 and 1 of 2, against one fake Discord with 200
guilds whose trivia is due at the same minute: every guild gets exactly one post, each from the
process that runs its shard, even when one process is killed (SIGKILL) in the middle of posting
and started again. Trivia answers clicked (and acknowledged) before the kill are all in the
database afterwards. The test runs on SQLite and on PostgreSQL (the `db` fixture, tests/databases.py), one database
shared by both processes.

Time: the processes read the trivia time from CLASSBOT_TEST_CLOCK_FILE (a test hook), fixed at the
post time. The kill is not timed: the fake Discord holds back its answer to one guild's post, and
the process is killed while it waits, with that post made but not confirmed in the database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.databases import Database
from tests.fakes.discord_server import FakeDiscord, channel_of, many_guilds, shard_of
from tests.fakes.slack_course import write_course
from tests.pg import pg_dsn  # noqa: F401

REPO = Path(__file__).resolve().parents[3]
GUILDS = many_guilds(200)
TICK = 0.3


def shard_env(fake: FakeDiscord, tmp_path: Path, course: Path, shard: int, db: Database) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "CLASSBOT_", "TRIVIA_"))}
    return {
        **clean,
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_SHARD_COUNT": "2",
        "DISCORD_SHARD_IDS": str(shard),
        **db.env(),
        "CLASSBOT_KNOWLEDGE": str(course),
        "CLASSBOT_COURSE_WATCH_SECONDS": "0",
        "CLASSBOT_SCHEDULER_TICK_SECONDS": str(TICK),
        "CLASSBOT_TEST_CLOCK_FILE": str(tmp_path / "clock"),
    }


async def start_shard(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "discord", env=env, cwd=log.parent,
            stdout=asyncio.subprocess.DEVNULL, stderr=err,
        )  # fmt: skip


async def until(condition, timeout: float, what: str) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.1)

    try:
        await asyncio.wait_for(wait(), timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def claims(db: Database) -> dict[str, str]:
    return dict(await db.rows("SELECT guild_id, holder FROM trivia_claims WHERE platform = 'discord'"))


async def round_counts(db: Database) -> dict[str, int]:
    return {g: int(n) for g, n in await db.rows("SELECT guild_id, COUNT(*) FROM rounds GROUP BY guild_id")}


def trivia_message(fake: FakeDiscord, guild: int) -> dict:
    """The trivia question posted in a guild's channel (the message with answer buttons)."""
    (message,) = [m for m in fake.messages.values() if m["channel_id"] == str(channel_of(guild)) and m["components"]]
    return message


async def answer_in(fake: FakeDiscord, guilds: list[int]) -> set[tuple[str, str]]:
    """A student clicks the first choice of each guild's question; returns the (round, user) of
    every answer the bot acknowledged (its reply to the click reached Discord)."""
    clicks = []
    for i, g in enumerate(guilds):
        message = trivia_message(fake, g)
        custom_id = message["components"][0]["components"][0]["custom_id"]  # cb:tv:<round>:0
        student = 600000000000000000 + i
        clicks.append((custom_id.split(":")[2], str(student),
                       await fake.click(message, custom_id, user_id=student, guild_id=g)))
    acknowledged = set()
    for round_id, student, iid in clicks:
        said = (await fake.wait_for_callback(iid, timeout=60))["data"]["content"]
        assert said.startswith("Answer recorded"), said
        acknowledged.add((round_id, student))
    return acknowledged


async def test_two_shard_processes_post_every_guild_once_even_when_one_is_killed_and_restarted(tmp_path, db):
    course = write_course(tmp_path / "courses")
    async with db.open() as store:
        for g in GUILDS:
            await store.set_trivia_config("discord", str(g), str(channel_of(g)), "09:00", "UTC")
    (tmp_path / "clock").write_text("2026-01-05T09:00:30+00:00")  # every guild is due now
    shard0 = sorted(g for g in GUILDS if shard_of(g, 2) == 0)
    assert 80 < len(shard0) < 120  # both shards have plenty of guilds
    held = shard0[len(shard0) // 2]
    fake = await FakeDiscord(guilds=GUILDS, shard_count=2).start()
    fake.hold_posts([held])  # shard 0's process will be killed while Discord "answers" this post
    procs: list[asyncio.subprocess.Process] = []
    try:
        for shard in (0, 1):
            procs.append(await start_shard(shard_env(fake, tmp_path, course, shard, db), tmp_path / f"shard{shard}.log"))
        await asyncio.wait_for(fake.holding.wait(), 90)
        # students answer in ten guilds of each shard whose question is out, once shard 1's process
        # has posted all of its guilds' (shard 0's waits for Discord): the bot acknowledges each answer
        for _ in range(900):
            posted = {int(g) for (g,) in await db.rows("SELECT guild_id FROM rounds WHERE status = 'posted'")}
            by_shard = [sorted(g for g in posted if shard_of(g, 2) == shard) for shard in (0, 1)]
            if len(by_shard[0]) >= 10 and len(by_shard[1]) == len(GUILDS) - len(shard0):
                break
            await asyncio.sleep(0.1)
        by_shard = [guilds[:10] for guilds in by_shard]
        answered = by_shard[0] + by_shard[1]
        assert len(answered) == 20, by_shard
        acknowledged = await answer_in(fake, answered)
        first = procs[0]
        first.send_signal(signal.SIGKILL)
        await first.wait()
        fake.release_posts()
        assert fake.trivia_posts().get(str(held)) == 1  # it went out, but the process never heard back
        procs.append(await start_shard(shard_env(fake, tmp_path, course, 0, db), tmp_path / "shard0.log"))

        await until(lambda: len(fake.trivia_posts()) == len(GUILDS), 120, "a post in every guild")
        rounds = await round_counts(db)
        # and a few more ticks of both live processes: nothing more is posted anywhere
        await asyncio.sleep(8 * TICK)
        assert all(p.returncode is None for p in procs[1:]), (tmp_path / "shard1.log").read_text()
    finally:
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                await asyncio.wait_for(p.wait(), 20)
            except TimeoutError:
                p.kill()
        await fake.close()

    posts = fake.trivia_posts()
    assert sorted(posts) == sorted(str(g) for g in GUILDS)
    assert {n for n in posts.values()} == {1}, {g: n for g, n in posts.items() if n != 1}
    assert await round_counts(db) == rounds and set(rounds.values()) == {1}
    # no acknowledged answer was lost, the killed process's included
    stored = set(await db.rows("SELECT CAST(round_id AS TEXT), user_id FROM answers"))
    assert acknowledged - stored == set(), (sorted(acknowledged), sorted(stored))
    assert len(acknowledged) == 20
    # each guild was claimed by a process that runs its shard: the killed one, its restart, or shard 1's
    pids = {0: {procs[0].pid, procs[2].pid}, 1: {procs[1].pid}}
    taken = await claims(db)
    assert len(taken) == len(GUILDS)
    assert all(int(holder.split(":")[-2]) in pids[shard_of(int(g), 2)] for g, holder in taken.items())
    assert any(int(h.split(":")[-2]) == procs[2].pid for h in taken.values())  # the restart posted the rest
    (status,) = await db.rows(f"SELECT status FROM rounds WHERE guild_id = '{held}'")
    assert status == ("pending",)  # made but never confirmed: not resent (it is marked failed once stale)
    for shard in (0, 1):
        assert "Traceback" not in (tmp_path / f"shard{shard}.log").read_text()
    assert sorted(tuple(p["shard"]) for p in fake.identify_payloads) == [(0, 2), (0, 2), (1, 2)]
    assert len(fake.matching("PUT", r"/applications/\d+/commands")) == 2  # by shard 0's process only (twice)


async def test_the_fake_tells_discord_py_where_and_how_many_shards_to_run():
    import discord

    fake = await FakeDiscord(guilds=GUILDS, shard_count=2).start()
    saved = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_base
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(fake.token)
        shards, url, limits = await http.get_bot_gateway()
    finally:
        await http.close()
        discord.http.Route.BASE = saved
        await fake.close()
    assert (shards, url, limits["max_concurrency"]) == (2, fake.gateway_url, 1)
