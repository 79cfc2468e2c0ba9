"""Daily trivia on Discord, end to end: the real discord.py bot against the fake Discord on 127.0.0.1.

Time is a FakeClock: a scheduled post goes out when the test moves the clock past the post time and
the scheduler ticks; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.discord.app import build_bot
from bot.adapters.discord.trivia_cog import REFUSAL, TriviaCog
from bot.config import DiscordSettings, Settings
from bot.core.answering import Engine
from bot.core.clock import FakeClock
from bot.core.knowledge import load_course
from bot.store import open_store
from tests.fakes.discord_server import (
    CHANNEL_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    FakeDiscord,
    _json,
    restore_discord_endpoints,  # noqa: F401 (autouse fixture)
)
from tests.fakes.slack_course import write_course

EPHEMERAL = 64
STUDENT_A, STUDENT_B, STUDENT_C = 500000000000000001, 500000000000000002, 500000000000000003
TEACHER = 500000000000000010  # has Manage Server
ROLE_TEACHER = 500000000000000011  # no permissions, but the "Teachers" role
TEACHER_ROLE_ID = 400000000000000001
MANAGE_GUILD = 1 << 5
SEND_AND_VIEW = (1 << 10) | (1 << 11)
# Monday 5 January 2026; Paris is UTC+1 in winter, so 09:00 there is 08:00 UTC
MONDAY_MORNING = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


class ClassroomDiscord(FakeDiscord):
    """The shared fake plus what trivia needs: students without Manage Server, a teacher role,
    message edits, threads on messages, reactions and deletions."""

    def __init__(self) -> None:
        super().__init__()
        self.permissions: dict[int, int] = {TEACHER: MANAGE_GUILD | SEND_AND_VIEW}
        self.roles: dict[int, list[str]] = {ROLE_TEACHER: [str(TEACHER_ROLE_ID)]}
        self.threads: dict[str, dict] = {}

    def _interaction(self, itype: int, data: dict, user_id: int, channel_id: int, *args: Any, **kwargs: Any) -> dict:
        payload = super()._interaction(itype, data, user_id, channel_id, *args, **kwargs)
        payload["member"]["permissions"] = str(self.permissions.get(user_id, SEND_AND_VIEW))
        payload["member"]["roles"] = self.roles.get(user_id, [])
        return payload

    def _guild(self, gid: int) -> dict:
        guild = super()._guild(gid)
        guild["roles"][0]["permissions"] = str(SEND_AND_VIEW)  # @everyone: students
        guild["roles"].append({**guild["roles"][0], "id": str(TEACHER_ROLE_ID), "name": "Teachers", "position": 1})
        return guild

    def _route(self, method: str, path: str, body: Any) -> web.Response:
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            msg = self.messages.get(m.group(2))
            if method == "PATCH" and msg is not None:
                msg.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components")})
                return _json(msg)
            if method == "DELETE":
                self.messages.pop(m.group(2), None)
                return web.Response(status=204)
        if (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)) and method == "POST":
            thread = {
                "id": m.group(2),  # a thread started on a message has the message's id
                "type": 11,
                "guild_id": str(GUILD_ID),
                "parent_id": m.group(1),
                "owner_id": self.messages.get(m.group(2), {}).get("author", {}).get("id", "0"),
                "name": (body or {}).get("name", "thread"),
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": 1,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": (body or {}).get("auto_archive_duration", 1440),
                    "archive_timestamp": "2026-01-01T00:00:00+00:00",
                    "locked": False,
                },
            }
            self.threads[thread["id"]] = thread
            return _json(thread)
        if re.fullmatch(r"/channels/\d+/messages/\d+/reactions/[^/]+/@me", path) and method == "PUT":
            return web.Response(status=204)
        return super()._route(method, path, body)

    async def command(
        self,
        name: str,
        sub: str | None = None,
        options: dict | None = None,
        *,
        user_id: int,
        channel_id: int = CHANNEL_ID,
    ) -> str:
        """A slash command, or a subcommand of a group, with string, boolean and channel options."""
        opts, resolved = [], {}
        for key, value in (options or {}).items():
            if key == "channel":
                opts.append({"name": key, "type": 7, "value": str(value)})
                resolved[str(value)] = {"id": str(value), "name": "questions", "type": 0, "permissions": "2147483647"}
            elif isinstance(value, bool):
                opts.append({"name": key, "type": 5, "value": value})
            elif isinstance(value, int):
                opts.append({"name": key, "type": 4, "value": value})
            else:
                opts.append({"name": key, "type": 3, "value": value})
        if sub is not None:
            opts = [{"name": sub, "type": 1, "options": opts}]
        data: dict = {"id": self._command_id(name), "name": name, "type": 1, "guild_id": str(GUILD_ID), "options": opts}
        if resolved:
            data["resolved"] = {"channels": resolved}
        payload = self._interaction(2, data, user_id, channel_id, None)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload["id"]

    async def submit_form(self, custom_id: str, values: dict[str, str], *, user_id: int) -> str:
        """Submit a modal the bot opened."""
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        payload = self._interaction(5, {"custom_id": custom_id, "components": rows}, user_id, CHANNEL_ID, None)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload["id"]

    async def thread_message(self, thread_id: str, content: str, author_id: int, *, mention_bot: bool = True) -> dict:
        """A student's message in a thread. The bot has no message-content intent: Discord gives it the
        text only when the message mentions it; otherwise the content arrives empty."""
        return await self.message_create(content, author_id=author_id, channel_id=int(thread_id), mention_bot=mention_bot)


@pytest.fixture
async def fake():
    fake = await ClassroomDiscord().start()
    yield fake
    await fake.close()


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return Engine(load_course(write_course(tmp_path)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "classbot.db"


@pytest.fixture
async def start_bot(fake, engine, clock, db_path, tmp_path):
    """Start a bot on its own store (the SQLite file at db_path); returns (bot, store)."""
    running = []

    async def start(teacher_role: str | None = "Teachers", busy_timeout_ms: int = 5000):
        store = await open_store(db_path, busy_timeout_ms=busy_timeout_ms)
        settings = Settings(
            knowledge_path=tmp_path / "moon",
            database_path=db_path,
            ask_cooldown_seconds=0,
            discord=DiscordSettings(
                token=fake.token,
                api_base=fake.api_base,
                gateway_url=fake.gateway_url,
                guild_ids=(GUILD_ID,),
                teacher_role=teacher_role,
            ),
        )
        bot = build_bot(settings, engine, store, clock=clock, guild_ready_timeout=0.01)
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect())
        running.append((bot, task, store))
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        await first_background_tick(bot)  # from here on, the test drives the scheduler (next tick in 30 s)
        return bot, store

    async def stop(bot) -> None:
        for entry in list(running):
            if entry[0] is bot:
                running.remove(entry)
                await bot.close()
                await asyncio.wait_for(entry[1], 5)
                await entry[2].close()

    start.stop = stop  # type: ignore[attr-defined]
    yield start
    for bot, task, store in running:
        await bot.close()
        await asyncio.wait_for(task, 5)
        await store.close()


async def first_background_tick(bot, timeout: float = 5.0) -> None:
    await asyncio.wait_for(cog_of(bot).ticked.wait(), timeout)


def cog_of(bot) -> TriviaCog:
    cog = bot.get_cog("Trivia")
    assert isinstance(cog, TriviaCog)
    return cog


def pings_nobody(payload: dict) -> bool:
    allowed = payload["allowed_mentions"]
    return allowed["parse"] == [] and not allowed.get("users") and not allowed.get("roles")


def custom_ids(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row["components"]]


def buttons(message: dict) -> list[dict]:
    return [c for row in message.get("components", []) for c in row["components"]]


async def reply_to(fake: ClassroomDiscord, interaction_id: str) -> dict:
    """What the bot answered to an interaction: the callback's data, or the followup after a deferral."""
    callback = await fake.wait_for_callback(interaction_id)
    if callback["type"] == 5:  # deferred: the answer is a followup
        token = f"itoken{interaction_id}"
        return (await fake.wait_for_request("POST", rf"/webhooks/\d+/{token}")).json
    return callback["data"]


async def schedule_and_post(fake, bot, store, clock, *, free_text: bool = False) -> dict:
    """Schedule 09:00 Paris in #questions, move past it, tick: returns the posted message as stored."""
    await store.set_trivia_config(
        "discord", str(GUILD_ID), str(CHANNEL_ID), "09:00", "Europe/Paris", free_text=free_text
    )
    clock.set(datetime(2026, 1, 5, 8, 1, tzinfo=UTC))
    report = await cog_of(bot).scheduler.tick()
    assert len(report.posted) == 1
    req = await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")
    assert pings_nobody(req.json)
    return fake.messages[report.posted[0].message_id]


async def click(fake, message: dict, custom_id: str, user_id: int) -> dict:
    iid = await fake.click(message, custom_id, user_id=user_id)
    return await reply_to(fake, iid)


def correct_index(round) -> int:
    return list(round.choices).index(round.meta["answer"])


async def the_round(store, message: dict):
    return await store.get_round_by_message("discord", message["id"])


# ---------------------------------------------------------------------------------------------


async def test_scheduled_question_is_posted_once_the_clock_passes_the_local_post_time(fake, start_bot, clock):
    bot, store = await start_bot()
    await store.set_trivia_config("discord", str(GUILD_ID), str(CHANNEL_ID), "09:00", "Europe/Paris")
    clock.set(datetime(2026, 1, 5, 7, 59, tzinfo=UTC))  # 08:59 in Paris
    assert (await cog_of(bot).scheduler.tick()).posted == []
    assert fake.matching("POST", f"/channels/{CHANNEL_ID}/messages") == []

    clock.advance(minutes=2)
    report = await cog_of(bot).scheduler.tick()
    req = await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")
    round = report.posted[0]
    assert round.status == "posted" and round.message_id
    embed = req.json["embeds"][0]
    assert "Daily trivia" in embed["title"] and round.meta["question"] in embed["description"]
    assert custom_ids(req.json) == [f"cb:tv:{round.id}:{i}" for i in range(len(round.choices))]
    assert len(round.choices) == 4
    assert pings_nobody(req.json)

    assert (await cog_of(bot).scheduler.tick()).posted == []  # once a day
    assert len(fake.matching("POST", f"/channels/{CHANNEL_ID}/messages")) == 1


async def test_a_click_is_acknowledged_privately_and_counted_once(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)

    first = await click(fake, message, f"cb:tv:{round.id}:0", STUDENT_A)
    assert first["flags"] & EPHEMERAL and "Answer recorded" in first["content"]
    assert first["allowed_mentions"]["parse"] == []
    again = await click(fake, message, f"cb:tv:{round.id}:0", STUDENT_A)  # double click
    assert again["flags"] & EPHEMERAL and "already answered" in again["content"]
    changed = await click(fake, message, f"cb:tv:{round.id}:1", STUDENT_A)  # change of mind
    assert changed["flags"] & EPHEMERAL and "first answer counts" in changed["content"]

    stats = await store.round_stats(round.id)
    assert stats.answered == 1
    assert (await store.get_answer(round.id, str(STUDENT_A)))[0] == round.choices[0]


async def test_two_clicks_at_once_count_once(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    ids = [await fake.click(message, f"cb:tv:{round.id}:{i}", user_id=STUDENT_B) for i in (0, 1)]
    replies = [await reply_to(fake, iid) for iid in ids]
    assert sorted("Answer recorded" in r["content"] for r in replies) == [False, True]
    assert (await store.round_stats(round.id)).answered == 1


async def test_reveal_replies_with_the_answer_its_citation_and_how_the_class_did(fake, start_bot, clock, engine):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    right = correct_index(round)
    wrong = (right + 1) % len(round.choices)
    await click(fake, message, f"cb:tv:{round.id}:{right}", STUDENT_A)
    await click(fake, message, f"cb:tv:{round.id}:{wrong}", STUDENT_B)

    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(seconds=1))
    report = await cog_of(bot).scheduler.tick()
    assert [r.round.id for r in report.revealed] == [round.id]

    reveal = (await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")).json
    assert str(reveal["message_reference"]["message_id"]) == message["id"]
    text = reveal["embeds"][0]["description"]
    citation = engine.course.fact(round.meta["fact_id"]).citation
    assert f"The answer: **{round.meta['answer']}**" in text
    assert f"> {citation.quote}" in text  # the cited passage, as a block quote
    assert f"— {citation.reference}" in text and "The Moon landing" in text  # source title + location
    assert "2 answered, 50% got it right." in text
    assert str(STUDENT_B) not in str(reveal) and str(STUDENT_A) not in str(reveal)
    assert pings_nobody(reveal)

    edit = await fake.wait_for_request("PATCH", f"/channels/{CHANNEL_ID}/messages/{message['id']}")
    closed = buttons(edit.json)
    assert closed and all(b["disabled"] for b in closed)
    assert [b["style"] for b in closed].count(3) == 1 and closed[right]["style"] == 3  # the answer in green
    late = await click(fake, fake.messages[message["id"]], f"cb:tv:{round.id}:{right}", STUDENT_C)
    assert late["flags"] & EPHEMERAL and "closed" in late["content"]


@pytest.mark.parametrize(
    "sub, options",
    [
        ("now", {}),
        ("schedule", {"channel": OTHER_CHANNEL_ID, "time": "08:30", "timezone": "Europe/Paris"}),
        ("off", {}),
        ("settings", {}),
    ],
)
async def test_teacher_commands_are_refused_to_a_student(fake, start_bot, sub, options):
    bot, store = await start_bot()
    iid = await fake.command("trivia", sub, options, user_id=STUDENT_A)
    reply = await reply_to(fake, iid)
    assert reply["flags"] & EPHEMERAL and reply["content"] == REFUSAL
    assert await store.get_trivia_config("discord", str(GUILD_ID)) is None
    assert fake.matching("POST", f"/channels/{CHANNEL_ID}/messages") == []


async def test_a_teacher_schedules_the_trivia_and_sees_the_settings(fake, start_bot, clock):
    bot, store = await start_bot()
    options = {"channel": OTHER_CHANNEL_ID, "time": "8:30", "timezone": "America/New_York"}
    reply = await reply_to(fake, await fake.command("trivia", "schedule", options, user_id=TEACHER))
    assert reply["flags"] & EPHEMERAL
    assert f"<#{OTHER_CHANNEL_ID}> at 08:30 (America/New_York)" in reply["content"]
    assert "Next question: <t:" in reply["content"]
    config = await store.get_trivia_config("discord", str(GUILD_ID))
    assert (config.channel_id, config.post_time, config.timezone, config.enabled) == (
        str(OTHER_CHANNEL_ID), "08:30", "America/New_York", True,
    )  # fmt: skip

    shown = await reply_to(fake, await fake.command("trivia", "settings", user_id=TEACHER))
    assert "Daily trivia is on" in shown["content"] and "08:30 (America/New_York)" in shown["content"]
    off = await reply_to(fake, await fake.command("trivia", "off", user_id=TEACHER))
    assert "off" in off["content"]
    assert (await store.get_trivia_config("discord", str(GUILD_ID))).enabled is False


async def test_the_configured_teacher_role_may_run_teacher_commands(fake, start_bot):
    bot, store = await start_bot(teacher_role="Teachers")
    options = {"channel": CHANNEL_ID, "time": "09:00", "timezone": "UTC"}
    reply = await reply_to(fake, await fake.command("trivia", "schedule", options, user_id=ROLE_TEACHER))
    assert "scheduled" in reply["content"]
    assert (await store.get_trivia_config("discord", str(GUILD_ID))).channel_id == str(CHANNEL_ID)


@pytest.mark.parametrize(
    "time, timezone, error",
    [
        ("25:00", "Europe/Paris", "not a time: use HH:MM"),
        ("9h", "Europe/Paris", "not a time: use HH:MM"),
        ("09:00", "Mars/Olympus_Mons", "not a timezone I know"),
        ("09:00", "Paris", "not a timezone I know"),
    ],
)
async def test_schedule_rejects_a_bad_time_or_timezone_clearly(fake, start_bot, time, timezone, error):
    bot, store = await start_bot()
    options = {"channel": CHANNEL_ID, "time": time, "timezone": timezone}
    reply = await reply_to(fake, await fake.command("trivia", "schedule", options, user_id=TEACHER))
    assert reply["flags"] & EPHEMERAL and error in reply["content"]
    assert await store.get_trivia_config("discord", str(GUILD_ID)) is None


async def test_trivia_now_posts_a_question_in_this_channel(fake, start_bot):
    bot, store = await start_bot()
    reply = await reply_to(fake, await fake.command("trivia", "now", user_id=TEACHER, channel_id=OTHER_CHANNEL_ID))
    assert f"Trivia posted in <#{OTHER_CHANNEL_ID}>" in reply["content"] and reply["flags"] & EPHEMERAL
    posted = (await fake.wait_for_request("POST", f"/channels/{OTHER_CHANNEL_ID}/messages")).json
    assert custom_ids(posted) and pings_nobody(posted)
    again = await reply_to(fake, await fake.command("trivia", "now", user_id=TEACHER, channel_id=OTHER_CHANNEL_ID))
    assert "one question per day" in again["content"]


async def test_leaderboard_and_mystats_show_points_after_the_reveal(fake, start_bot, clock):
    bot, store = await start_bot()
    empty = await reply_to(fake, await fake.command("leaderboard", user_id=STUDENT_A))
    assert "No trivia points yet" in empty["content"]

    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    right = correct_index(round)
    await click(fake, message, f"cb:tv:{round.id}:{right}", STUDENT_A)
    await click(fake, message, f"cb:tv:{round.id}:{(right + 1) % 4}", STUDENT_B)
    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(minutes=1))
    await cog_of(bot).scheduler.tick()

    board = await reply_to(fake, await fake.command("leaderboard", options={"period": "week"}, user_id=STUDENT_B))
    assert board["flags"] & EPHEMERAL and pings_nobody(board)
    text = board["embeds"][0]["description"]
    assert f"<@{STUDENT_A}> — 10 pts (1 correct)" in text
    assert str(STUDENT_B) not in text
    all_time = await reply_to(fake, await fake.command("leaderboard", options={"period": "all"}, user_id=STUDENT_B))
    assert "All time" in all_time["embeds"][0]["title"]

    mine = await reply_to(fake, await fake.command("mystats", user_id=STUDENT_A))
    assert mine["flags"] & EPHEMERAL and "10 points" in mine["content"] and "rank #1" in mine["content"]

    out = await reply_to(fake, await fake.command("trivia", "optout", user_id=STUDENT_A))
    assert "off the leaderboard" in out["content"]
    board = await reply_to(fake, await fake.command("leaderboard", options={"period": "all"}, user_id=STUDENT_B))
    assert "No trivia points yet" in board["content"]


async def test_answer_buttons_keep_working_after_a_restart(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    await click(fake, message, f"cb:tv:{round.id}:0", STUDENT_A)
    await start_bot.stop(bot)

    bot2, store2 = await start_bot()  # a new process: new bot, the same SQLite file
    assert bot2 is not bot
    reply = await click(fake, message, f"cb:tv:{round.id}:1", STUDENT_B)
    assert "Answer recorded" in reply["content"]
    again = await click(fake, message, f"cb:tv:{round.id}:2", STUDENT_A)
    assert "already answered" in again["content"]
    assert (await store2.round_stats(round.id)).answered == 2


async def test_free_text_round_takes_answers_in_a_private_form(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    assert round.choices == () and custom_ids(message) == [f"cb:tv:{round.id}:a"]

    iid = await fake.click(message, f"cb:tv:{round.id}:a", user_id=STUDENT_A)
    form = await fake.wait_for_callback(iid)
    assert form["type"] == 9 and form["data"]["custom_id"] == f"cb:tvm:{round.id}"
    reply = await reply_to(
        fake, await fake.submit_form(f"cb:tvm:{round.id}", {"answer": round.meta["answer"].lower()}, user_id=STUDENT_A)
    )
    assert reply["flags"] & EPHEMERAL and "Answer recorded" in reply["content"]
    assert await store.get_answer(round.id, str(STUDENT_A)) == (round.meta["answer"].lower(), True)

    again = await click(fake, message, f"cb:tv:{round.id}:a", STUDENT_A)  # no second form
    assert again["flags"] & EPHEMERAL and "already answered" in again["content"]


async def test_free_text_thread_points_to_the_answer_form_and_never_promises_to_read_plain_messages(
    fake, start_bot, clock
):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    thread_id = message["id"]  # a thread started on a message has the message's id
    await fake.wait_for_request("POST", rf"/channels/{CHANNEL_ID}/messages/{thread_id}/threads")
    prompt = await fake.wait_for_reply(channel_id=int(thread_id))
    assert "click **Answer**" in prompt["content"] and "cannot read plain messages" in prompt["content"]
    assert "mention me" in prompt["content"] and pings_nobody(prompt)
    description = message["embeds"][0]["description"]
    assert "Click **Answer**" in description and "thread" not in description
    assert await cog_of(bot).is_trivia_thread(int(thread_id))


async def test_a_plain_thread_message_arrives_empty_and_is_ignored(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    thread_id = message["id"]
    await fake.wait_for_reply(channel_id=int(thread_id))  # the prompt
    plain = await fake.thread_message(thread_id, round.meta["answer"], STUDENT_C, mention_bot=False)
    assert plain["content"] == ""  # what Discord sends a bot without the message-content intent
    # then someone mentions the bot: once that is acknowledged, the plain message has been handled
    await fake.thread_message(thread_id, "x", STUDENT_A)
    ack = await fake.wait_for_reply(channel_id=int(thread_id))
    assert f"<@{STUDENT_A}>" in ack["content"]
    assert await store.get_answer(round.id, str(STUDENT_C)) is None


async def test_a_thread_message_that_does_not_mention_the_bot_is_never_taken_as_an_answer(fake, start_bot, clock):
    fake.message_content_intent = True  # even a bot that could read it leaves chat between students alone
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    thread_id = message["id"]
    await fake.wait_for_reply(channel_id=int(thread_id))  # the prompt
    plain = await fake.thread_message(thread_id, round.meta["answer"], STUDENT_C, mention_bot=False)
    assert plain["content"] == round.meta["answer"]
    await fake.thread_message(thread_id, "x", STUDENT_A)  # a mention: once acknowledged, the plain one was handled
    await fake.wait_for_reply(channel_id=int(thread_id))
    assert await store.get_answer(round.id, str(STUDENT_C)) is None
    assert fake.matching("DELETE", rf"/channels/{thread_id}/messages/{plain['id']}") == []
    assert fake.matching("PUT", rf"/channels/{thread_id}/messages/{plain['id']}/reactions/.+") == []
    said = [r.json for r in fake.matching("POST", rf"/channels/{thread_id}/messages")]
    assert not any(str(STUDENT_C) in str(m) for m in said)


async def test_an_answer_that_mentions_the_bot_in_the_thread_is_recorded_removed_and_not_echoed(
    fake, start_bot, clock
):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    thread_id = message["id"]
    await fake.wait_for_reply(channel_id=int(thread_id))  # the prompt

    answer = round.meta["answer"]
    typed = await fake.thread_message(thread_id, answer, STUDENT_C)
    await fake.wait_for_request("DELETE", rf"/channels/{thread_id}/messages/{typed['id']}")
    ack = await fake.wait_for_reply(channel_id=int(thread_id))
    assert "Answer recorded" in ack["content"] and f"<@{STUDENT_C}>" in ack["content"] and pings_nobody(ack)
    assert await store.get_answer(round.id, str(STUDENT_C)) == (answer, True)
    said = [r.json for r in fake.matching("POST", rf"/channels/{thread_id}/messages")]
    assert not any(answer in str(m) for m in said)  # never echoed

    await fake.thread_message(thread_id, "something else", STUDENT_C)
    again = await fake.wait_for_reply(channel_id=int(thread_id))
    assert "already answered" in again["content"]
    assert (await store.round_stats(round.id)).answered == 1


async def test_mentioning_the_bot_with_an_answer_in_the_thread_does_not_leak_it(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    await fake.thread_message(message["id"], round.meta["answer"], STUDENT_C)
    await fake.wait_for_request("DELETE", rf"/channels/{message['id']}/messages/\d+")
    await asyncio.sleep(0.2)  # bounded: give a stray Q&A reply the time to arrive
    said = [r.json for r in fake.matching("POST", rf"/channels/{message['id']}/messages")]
    assert not any(round.meta["answer"] in str(m) for m in said)


async def test_the_background_scheduler_catches_up_a_missed_post_when_the_bot_starts(fake, start_bot, clock, db_path):
    async with open_store(db_path) as store:
        await store.set_trivia_config("discord", str(GUILD_ID), str(CHANNEL_ID), "09:00", "Europe/Paris")
    clock.set(datetime(2026, 1, 5, 8, 30, tzinfo=UTC))  # 09:30 in Paris: within the grace period
    bot, store = await start_bot()  # nobody calls tick(): the bot's own loop does, once ready
    posted = (await fake.wait_for_request("POST", f"/channels/{CHANNEL_ID}/messages")).json
    assert posted["components"] and pings_nobody(posted)
    assert (await store.last_round("discord", str(GUILD_ID), str(CHANNEL_ID))).status in ("pending", "posted")


async def test_a_student_can_leave_and_rejoin_the_leaderboard(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    await click(fake, message, f"cb:tv:{round.id}:{correct_index(round)}", STUDENT_A)
    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(minutes=1))
    await cog_of(bot).scheduler.tick()

    out = await reply_to(fake, await fake.command("trivia", "optout", user_id=STUDENT_A))  # no teacher check
    assert out["flags"] & EPHEMERAL and "off the leaderboard" in out["content"]
    board = await reply_to(fake, await fake.command("leaderboard", options={"period": "all"}, user_id=STUDENT_B))
    assert "No trivia points yet" in board["content"]
    mine = await reply_to(fake, await fake.command("mystats", user_id=STUDENT_A))
    assert "10 points" in mine["content"] and "hidden (opted out)" in mine["content"]

    back = await reply_to(fake, await fake.command("trivia", "optout", {"optout": False}, user_id=STUDENT_A))
    assert "back on the leaderboard" in back["content"]
    board = await reply_to(fake, await fake.command("leaderboard", options={"period": "all"}, user_id=STUDENT_B))
    assert f"<@{STUDENT_A}> — 10 pts" in board["embeds"][0]["description"]


async def test_a_command_that_hits_a_broken_database_still_answers_privately(fake, start_bot, clock, caplog):
    bot, store = await start_bot()
    await store.close()  # the database is gone from under the bot
    out = await reply_to(fake, await fake.command("trivia", "optout", user_id=STUDENT_A))
    assert out["flags"] & EPHEMERAL and pings_nobody(out)
    assert "couldn't save" in out["content"] and "database" not in out["content"]  # no internal details
    assert any(r.exc_info and "not open" in r.getMessage() for r in caplog.records)  # the detail is logged


# ---- security and faults (issue 9) ---------------------------------------------------------

OTHER_GUILD_ID = 200000000000000002


def hold_write_lock(db_path: Path):
    """Another process holding the database: a real SQLite connection in an open write transaction."""
    import sqlite3

    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


async def open_form(fake, message: dict, round, user_id: int) -> dict:
    iid = await fake.click(message, f"cb:tv:{round.id}:a", user_id=user_id)
    form = await fake.wait_for_callback(iid)
    assert form["type"] == 9, form  # the modal
    return form


async def submit(fake, round, answer: str, user_id: int) -> dict:
    return await reply_to(fake, await fake.submit_form(f"cb:tvm:{round.id}", {"answer": answer}, user_id=user_id))


async def test_two_students_submitting_the_same_rounds_form_both_count(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    await open_form(fake, message, round, STUDENT_A)
    await open_form(fake, message, round, STUDENT_B)  # both forms open at once, same custom id
    first = await submit(fake, round, round.meta["answer"], STUDENT_A)
    second = await submit(fake, round, "something else", STUDENT_B)
    assert "Answer recorded" in first["content"] and "Answer recorded" in second["content"]
    assert second["flags"] & EPHEMERAL
    assert await store.get_answer(round.id, str(STUDENT_A)) == (round.meta["answer"], True)
    assert await store.get_answer(round.id, str(STUDENT_B)) == ("something else", False)


async def test_a_form_opened_before_a_restart_is_taken_after_it(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    await open_form(fake, message, round, STUDENT_A)
    await start_bot.stop(bot)

    bot2, store2 = await start_bot()  # a new process: it never opened that form
    reply = await submit(fake, round, round.meta["answer"], STUDENT_A)
    assert reply["flags"] & EPHEMERAL and "Answer recorded" in reply["content"]
    assert await store2.get_answer(round.id, str(STUDENT_A)) == (round.meta["answer"], True)


async def test_a_forged_click_from_another_guild_is_not_recorded_in_this_guilds_round(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    iid = await fake.click(message, f"cb:tv:{round.id}:0", STUDENT_A, guild_id=OTHER_GUILD_ID)
    reply = await reply_to(fake, iid)
    assert reply["flags"] & EPHEMERAL and "no longer exists" in reply["content"]
    iid = await fake.click(message, f"cb:tv:{round.id}:0", STUDENT_B, channel_id=OTHER_CHANNEL_ID)
    assert "no longer exists" in (await reply_to(fake, iid))["content"]  # nor from another channel
    assert (await store.round_stats(round.id)).answered == 0


async def test_a_button_naming_another_guilds_round_records_nothing(fake, start_bot, clock, engine, db_path):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock)
    theirs = await cog_of(bot).service.start_round("discord", str(OTHER_GUILD_ID), "300000000000000077")
    await store.mark_round_posted(theirs.id, "900000000000000077")
    iid = await fake.click(forged(message, f"cb:tv:{theirs.id}:0"), f"cb:tv:{theirs.id}:0", STUDENT_A)
    assert "no longer exists" in (await reply_to(fake, iid))["content"]
    assert (await store.round_stats(theirs.id)).answered == 0


async def test_a_forged_form_from_another_guild_opens_nothing(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    iid = await fake.click(message, f"cb:tv:{round.id}:a", STUDENT_A, guild_id=OTHER_GUILD_ID)
    reply = await fake.wait_for_callback(iid)
    assert reply["type"] == 4 and "no longer exists" in reply["data"]["content"]


def forged(message: dict, *ids: str) -> dict:
    """The message as a tampered client would present it: with buttons of its own making."""
    row = [{"type": 2, "style": 1, "label": "x", "custom_id": i} for i in ids]
    return {**message, "components": [{"type": 1, "components": row}]}


@pytest.mark.parametrize("round_id", [10**30, 2**63, 0])
async def test_an_out_of_range_round_id_gets_a_clear_reply(fake, start_bot, clock, round_id):
    bot, store = await start_bot()
    message = forged(
        await schedule_and_post(fake, bot, store, clock), f"cb:tv:{round_id}:0", f"cb:tv:{round_id}:a"
    )
    reply = await reply_to(fake, await fake.click(message, f"cb:tv:{round_id}:0", STUDENT_A))
    assert reply["flags"] & EPHEMERAL and "no longer exists" in reply["content"]
    form = await fake.wait_for_callback(await fake.click(message, f"cb:tv:{round_id}:a", STUDENT_A))
    assert form["type"] == 4 and "no longer exists" in form["data"]["content"]
    reply = await submit(fake, type("R", (), {"id": round_id}), "x", STUDENT_A)
    assert "no longer exists" in reply["content"]


async def test_the_answer_button_of_a_revealed_round_does_not_open_the_form(fake, start_bot, clock):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    clock.set(datetime.fromtimestamp(round.closes_at, UTC) + timedelta(minutes=1))
    await cog_of(bot).scheduler.tick()
    assert (await store.get_round(round.id)).status == "revealed"
    reply = await fake.wait_for_callback(await fake.click(message, f"cb:tv:{round.id}:a", user_id=STUDENT_A))
    assert reply["type"] == 4 and "closed" in reply["data"]["content"]  # a private note, no form
    late = await submit(fake, round, round.meta["answer"], STUDENT_A)  # a form kept open from before
    assert "closed" in late["content"] and await store.get_answer(round.id, str(STUDENT_A)) is None


async def test_a_click_with_the_database_locked_gets_a_private_retry_note_and_the_log_the_detail(
    fake, start_bot, clock, db_path, caplog
):
    bot, store = await start_bot(busy_timeout_ms=200)
    message = await schedule_and_post(fake, bot, store, clock)
    round = await the_round(store, message)
    holder = hold_write_lock(db_path)
    try:
        reply = await click(fake, message, f"cb:tv:{round.id}:0", STUDENT_A)
    finally:
        holder.rollback()
        holder.close()
    assert reply["flags"] & EPHEMERAL and pings_nobody(reply)
    assert reply["content"] == "Sorry, I couldn't save your answer. Please try again in a moment."
    logged = [r for r in caplog.records if r.levelname == "ERROR" and "trivia answer" in r.getMessage()]
    assert logged and logged[0].exc_info and "locked" in logged[0].getMessage()
    again = await click(fake, message, f"cb:tv:{round.id}:0", STUDENT_A)  # trying again works
    assert "Answer recorded" in again["content"]


async def test_a_form_submitted_while_the_database_is_slow_and_locked_is_deferred_then_answered(
    fake, start_bot, clock, db_path, monkeypatch
):
    from bot.adapters.discord import guard

    monkeypatch.setattr(guard, "ACK_SECONDS", 0.05)  # the database takes longer than we may wait
    bot, store = await start_bot(busy_timeout_ms=1000)
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    holder = hold_write_lock(db_path)
    try:
        iid = await fake.submit_form(f"cb:tvm:{round.id}", {"answer": "x"}, user_id=STUDENT_A)
        assert (await fake.wait_for_callback(iid))["type"] == 5  # deferred in time: no "interaction failed"
        followup = (await fake.wait_for_request("POST", rf"/webhooks/\d+/itoken{iid}")).json
    finally:
        holder.rollback()
        holder.close()
    assert followup["flags"] & EPHEMERAL and "couldn't save your answer" in followup["content"]
    assert str(db_path) not in followup["content"] and "locked" not in followup["content"]


async def test_the_answer_button_with_the_database_gone_still_answers_privately(fake, start_bot, clock, caplog):
    bot, store = await start_bot()
    message = await schedule_and_post(fake, bot, store, clock, free_text=True)
    round = await the_round(store, message)
    await store.close()
    reply = await fake.wait_for_callback(await fake.click(message, f"cb:tv:{round.id}:a", user_id=STUDENT_A))
    assert reply["type"] == 4 and reply["data"]["flags"] & EPHEMERAL
    assert "couldn't save" in reply["data"]["content"] and "database" not in reply["data"]["content"]
    assert any(r.exc_info for r in caplog.records if "Answer button" in r.getMessage())


async def test_trivia_schedule_on_a_locked_database_answers_briefly_without_the_database_path(
    fake, start_bot, db_path, caplog
):
    """Issue 12: the schedule command used to reply with the StoreError's own text (the file's path)."""
    bot, store = await start_bot(busy_timeout_ms=100)
    options = {"channel": CHANNEL_ID, "time": "09:00", "timezone": "UTC"}
    holder = hold_write_lock(db_path)
    try:
        reply = await reply_to(fake, await fake.command("trivia", "schedule", options, user_id=TEACHER))
    finally:
        holder.rollback()
        holder.close()
    assert reply["flags"] & EPHEMERAL and pings_nobody(reply)
    assert str(db_path.parent) not in reply["content"] and "locked" not in reply["content"]
    assert "try again" in reply["content"].lower()
    assert any(r.exc_info and str(db_path) in str(r.exc_info[1]) for r in caplog.records)  # the detail is logged
