"""The Discord bot end to end: the real discord.py against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.adapters.discord.app import build_bot, serve
from bot.config import DiscordSettings, Settings
from bot.core.answering import Engine
from bot.core.knowledge import load_course
from bot.store import FeedbackCount, open_store
from tests.discord_markdown import live_nodes, parse
from tests.fakes import write_course
from tests.fakes.discord_server import (
    APP_ID,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    FakeDiscord,
    restore_discord_endpoints,  # noqa: F401 (autouse fixture)
)

EPHEMERAL = 64
JUPITER_QUOTE = "Jupiter is the largest planet, more than twice as massive as all the other planets put together."
USER_A, USER_B, USER_C = 500000000000000001, 500000000000000002, 500000000000000007
REPO = Path(__file__).resolve().parents[3]


class Monotonic:
    """An injectable monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return write_course(tmp_path / "course")


@pytest.fixture
def engine(course_dir: Path) -> Engine:
    return Engine(load_course(course_dir))


@pytest.fixture
async def store(tmp_path: Path):
    store = await open_store(tmp_path / "classbot.db")
    yield store
    await store.close()


@pytest.fixture
async def fake():
    fake = await FakeDiscord().start()
    yield fake
    await fake.close()


@pytest.fixture
def clock() -> Monotonic:
    return Monotonic()


def make_settings(
    fake: FakeDiscord, tmp_path: Path, course_dir: Path, token: str | None = None, **overrides
) -> Settings:
    discord_options = {k: overrides.pop(k) for k in ("guild_ids", "mention_channels") if k in overrides}
    discord_options.setdefault("guild_ids", (GUILD_ID,))
    return Settings(
        knowledge_path=course_dir,
        database_path=tmp_path / "classbot.db",
        ask_cooldown_seconds=overrides.pop("ask_cooldown_seconds", 0),
        discord=DiscordSettings(
            token=token or fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, **discord_options
        ),
        **overrides,
    )


@pytest.fixture
async def start_bot(fake, engine, store, clock, tmp_path, course_dir):
    started = []

    async def start(**overrides):
        settings = make_settings(fake, tmp_path, course_dir, **overrides)
        bot = build_bot(settings, engine, store, monotonic=clock, guild_ready_timeout=0.01)
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect())
        started.append((bot, task))
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        return bot

    yield start
    for bot, task in started:
        await bot.close()
        await asyncio.wait_for(task, 5)


def pings_nobody(payload: dict) -> bool:
    """Discord's allowed_mentions: nothing parsed, no user or role listed, the replied-to author not pinged."""
    allowed = payload["allowed_mentions"]
    return (
        allowed["parse"] == []
        and not allowed.get("users")
        and not allowed.get("roles")
        and not allowed.get("replied_user")
    )


def first_embed(payload: dict) -> dict:
    return payload["embeds"][0]


def custom_ids(payload: dict) -> list[str]:
    return [c["custom_id"] for row in payload.get("components", []) for c in row["components"]]


async def ask_slash(fake: FakeDiscord, question: str, user_id: int = USER_A) -> tuple[dict, dict]:
    """Run /ask; returns the callback's message data and the message as the fake stored it."""
    iid = await fake.slash("ask", {"question": question}, user_id=user_id)
    callback = await fake.wait_for_callback(iid)
    assert callback["type"] == 4
    message = next(
        m
        for m in fake.messages.values()
        if m["embeds"] == callback["data"].get("embeds") and m["components"] == callback["data"].get("components")
    )
    return callback["data"], message


# ---- start-up ------------------------------------------------------------------------------


async def test_startup_syncs_slash_commands_to_the_configured_guild_with_minimal_intents(fake, start_bot):
    bot = await start_bot()
    sync = fake.matching("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    assert len(sync) == 1
    assert {"ask", "topics"} <= {c["name"] for c in sync[0].json}
    ask = next(c for c in sync[0].json if c["name"] == "ask")
    assert ask["options"][0]["name"] == "question" and ask["options"][0]["required"] is True
    # guilds (1) + guild_messages (512) + dm_messages (4096); no message_content (32768)
    assert fake.identify_payload["intents"] == 1 | 512 | 4096
    assert bot.allowed_mentions.to_dict() == {"parse": []}


async def test_startup_without_guilds_syncs_globally(fake, start_bot):
    await start_bot(guild_ids=())
    assert len(fake.matching("PUT", f"/applications/{APP_ID}/commands")) == 1
    assert not fake.matching("PUT", f"/applications/{APP_ID}/guilds/.*")


# ---- answering -----------------------------------------------------------------------------


async def test_slash_ask_answers_with_the_cited_quote_and_feedback_buttons(fake, start_bot):
    await start_bot()
    data, _ = await ask_slash(fake, "what is the biggest planet?")
    embed = first_embed(data)
    assert embed["description"] == f"Jupiter is the largest planet.\n\n> {JUPITER_QUOTE}"
    source = next(f for f in embed["fields"] if f["name"] == "Source")
    assert source["value"] == "**Our Solar System**\nThe planets, ¶1 (line 9)"
    assert not any("Not sure" in f["name"] for f in embed["fields"])  # a strong match: no hint
    assert embed["footer"]["text"] == "Q: what is the biggest planet?"
    assert custom_ids(data) == ["cb:fb:1:largest-planet", "cb:fb:0:largest-planet"]
    assert pings_nobody(data)
    assert not data.get("flags", 0) & EPHEMERAL


async def test_mention_in_a_channel_is_answered_with_a_reply(fake, start_bot):
    await start_bot()
    msg = await fake.message_create("what is the biggest planet?", mention_bot=True)
    reply = await fake.wait_for_reply(CHANNEL_ID)
    assert first_embed(reply)["description"].startswith("Jupiter is the largest planet.")
    assert str(reply["message_reference"]["message_id"]) == msg["id"]
    assert pings_nobody(reply)


async def test_direct_message_is_answered(fake, start_bot):
    await start_bot()
    await fake.message_create("which planet is the smallest?", dm=True)
    reply = await fake.wait_for_reply(DM_CHANNEL_ID)
    assert "Mercury is the smallest planet" in first_embed(reply)["description"]
    assert pings_nobody(reply)


async def test_channel_messages_without_a_mention_are_left_alone(fake, start_bot):
    await start_bot()
    await fake.message_create("what is the biggest planet?")  # no mention: Discord sends no content
    await fake.message_create("@everyone biggest planet?", author_id=USER_B)
    await fake.message_create("is the sun a star?", dm=True)  # a marker: everything before it was handled
    await fake.wait_for_reply(DM_CHANNEL_ID)
    assert not fake.matching("POST", f"/channels/{CHANNEL_ID}/messages")


async def test_out_of_scope_question_offers_suggestions_and_clicking_one_asks_it(fake, start_bot, store):
    await start_bot()
    data, message = await ask_slash(fake, "What is the capital of France?")
    embed = first_embed(data)
    assert embed["title"] == "Not covered in this course"
    assert "not in the course notes" in embed["description"]
    assert custom_ids(data) == ["cb:ask:1", "cb:ask:2"]
    labels = [c["label"] for row in data["components"] for c in row["components"]]
    assert labels[0] == "How long does light from the Sun take to reach the Earth?"

    iid = await fake.click(message, "cb:ask:1", user_id=USER_B)
    answer = first_embed((await fake.wait_for_callback(iid))["data"])
    assert answer["footer"]["text"] == f"Q: {labels[0]}"  # the suggestion was asked...
    assert "\n> " in answer["description"] or answer["description"].startswith("> ")  # ...and answered with a quote

    unanswered = await store.list_unanswered("solar-system")
    assert [(u.question, u.count, u.user_ids) for u in unanswered] == [("What is the capital of France?", 1, ())]


async def test_unanswered_question_keeps_the_asker_only_when_allowed(fake, start_bot, store):
    await start_bot(record_asker_ids=True)
    await ask_slash(fake, "What is the capital of France?", user_id=USER_C)
    [row] = await store.list_unanswered("solar-system")
    assert row.user_ids == (str(USER_C),)


async def test_helpful_and_not_helpful_clicks_are_recorded(fake, start_bot, store):
    await start_bot()
    _, message = await ask_slash(fake, "which is the largest planet")
    iid = await fake.click(message, "cb:fb:1:largest-planet", user_id=USER_A)
    thanks = await fake.wait_for_callback(iid)
    assert thanks["data"]["flags"] & EPHEMERAL
    iid = await fake.click(message, "cb:fb:0:largest-planet", user_id=USER_B)
    await fake.wait_for_callback(iid)
    assert await store.feedback_counts() == [FeedbackCount("largest-planet", 1, 1)]


async def test_buttons_keep_working_after_a_restart(fake, start_bot, store):
    first = await start_bot()
    _, message = await ask_slash(fake, "which is the largest planet")
    await first.close()
    await start_bot()  # a new process would know nothing about the old message either
    iid = await fake.click(message, "cb:fb:1:largest-planet")
    await fake.wait_for_callback(iid)
    assert await store.feedback_counts() == [FeedbackCount("largest-planet", 1, 0)]
    _, not_covered = await ask_slash(fake, "What is the capital of France?")
    iid = await fake.click(not_covered, "cb:ask:2")
    assert "Jupiter" in first_embed((await fake.wait_for_callback(iid))["data"])["description"]


async def test_a_broken_database_does_not_cost_the_student_an_answer(fake, start_bot, store):
    await start_bot()
    await store.close()  # every store call now fails with StoreError
    data, message = await ask_slash(fake, "What is the capital of France?")
    assert first_embed(data)["title"] == "Not covered in this course"
    _, message = await ask_slash(fake, "which is the largest planet", user_id=USER_B)
    iid = await fake.click(message, "cb:fb:1:largest-planet")
    assert "couldn't save" in (await fake.wait_for_callback(iid))["data"]["content"]


async def test_a_bare_mention_invites_a_question(fake, start_bot, store):
    await start_bot()
    await fake.message_create("", mention_bot=True)
    reply = await fake.wait_for_reply(CHANNEL_ID)
    assert first_embed(reply)["title"] == "Ask me about the course"
    assert not await store.list_unanswered("solar-system")


async def test_topics_lists_units_with_example_questions(fake, start_bot):
    await start_bot()
    iid = await fake.slash("topics")
    data = (await fake.wait_for_callback(iid))["data"]
    embed = first_embed(data)
    assert embed["title"] == "What The Solar System covers"
    names = [f["name"] for f in embed["fields"]]
    assert names == ["The Sun (2)", "The planets (2)"]  # the unit titles from course.yaml
    assert "• Which is the largest planet?" in embed["fields"][1]["value"]
    assert data["flags"] & EPHEMERAL


# ---- safety --------------------------------------------------------------------------------


async def test_everyone_in_question_pings_nobody(fake, start_bot):
    await start_bot()
    await fake.message_create("@everyone <@&200000000000000001> **what** is the biggest planet?", mention_bot=True)
    reply = await fake.wait_for_reply(CHANNEL_ID)
    assert pings_nobody(reply)
    assert "@everyone" not in str(reply)

    data, _ = await ask_slash(fake, "@everyone # capital of **France** <@&200000000000000001>?")
    assert pings_nobody(data)
    first_line = parse(first_embed(data)["description"])[0]
    assert first_line.plain() == "@everyone # capital of **France** <@&200000000000000001>?"  # shown as typed
    assert [n.kind for n in live_nodes([first_line])] == ["strong"]  # the bot's bold, no mention or markup


async def test_asking_again_within_the_cooldown_gets_a_short_ephemeral_notice(fake, start_bot, clock):
    await start_bot(ask_cooldown_seconds=30)
    await ask_slash(fake, "what is the biggest planet?")
    iid = await fake.slash("ask", {"question": "what is the smallest planet?"})
    notice = (await fake.wait_for_callback(iid))["data"]
    assert notice["flags"] & EPHEMERAL and "ask again in 30 s" in notice["content"]
    assert not notice.get("embeds")

    await ask_slash(fake, "what is the smallest planet?", user_id=USER_B)  # others are not slowed down
    clock.now += 31
    data, _ = await ask_slash(fake, "what is the smallest planet?")
    assert "Mercury" in first_embed(data)["description"]


async def test_clicking_a_suggestion_right_after_asking_is_a_follow_up_not_a_new_question(fake, start_bot, clock):
    await start_bot(ask_cooldown_seconds=5)  # the default cooldown, the same student throughout
    data, message = await ask_slash(fake, "What is the capital of France?")
    labels = [c["label"] for row in data["components"] for c in row["components"]]

    iid = await fake.click(message, "cb:ask:1")
    answer = (await fake.wait_for_callback(iid))["data"]
    assert not answer.get("flags", 0) & EPHEMERAL
    assert first_embed(answer)["footer"]["text"] == f"Q: {labels[0]}"

    iid = await fake.click(message, "cb:ask:2")  # clicking on and on: one follow-up per window
    notice = (await fake.wait_for_callback(iid))["data"]
    assert notice["flags"] & EPHEMERAL and "ask again in 5 s" in notice["content"]
    iid = await fake.slash("ask", {"question": "what is the smallest planet?"})  # the click counted as a question
    assert "ask again in 5 s" in (await fake.wait_for_callback(iid))["data"]["content"]

    clock.now += 5
    iid = await fake.click(message, "cb:ask:2")
    assert "Jupiter" in first_embed((await fake.wait_for_callback(iid))["data"])["description"]


async def test_flooding_mentions_get_one_notice_then_silence(fake, start_bot, clock):
    await start_bot(ask_cooldown_seconds=10)
    for _ in range(3):
        await fake.message_create("biggest planet?", mention_bot=True)
    replies = [await fake.wait_for_reply(CHANNEL_ID), await fake.wait_for_reply(CHANNEL_ID)]
    # each message is handled on its own task: the notice may overtake the answer
    [answer] = [r for r in replies if r.get("embeds")]
    [notice] = [r for r in replies if not r.get("embeds")]
    assert "Jupiter" in first_embed(answer)["description"]
    assert "ask again in 10 s" in notice["content"] and pings_nobody(notice)
    clock.now += 10
    await fake.message_create("smallest planet?", mention_bot=True)
    assert "Mercury" in first_embed(await fake.wait_for_reply(CHANNEL_ID))["description"]
    assert len(fake.matching("POST", f"/channels/{CHANNEL_ID}/messages")) == 3  # the third flood message: silence


async def test_mentions_are_answered_only_in_configured_channels_but_slash_works_anywhere(fake, start_bot):
    await start_bot(mention_channels=(CHANNEL_ID,))
    await fake.message_create("biggest planet?", channel_id=OTHER_CHANNEL_ID, mention_bot=True)
    await fake.message_create("smallest planet?", channel_id=CHANNEL_ID, mention_bot=True)
    assert "Mercury" in first_embed(await fake.wait_for_reply(CHANNEL_ID))["description"]
    iid = await fake.slash("ask", {"question": "biggest planet?"}, channel_id=OTHER_CHANNEL_ID)
    assert "Jupiter" in first_embed((await fake.wait_for_callback(iid))["data"])["description"]
    assert not fake.matching("POST", f"/channels/{OTHER_CHANNEL_ID}/messages")


# ---- resilience ----------------------------------------------------------------------------


async def test_rate_limited_reply_is_retried_and_arrives_exactly_once(fake, start_bot):
    await start_bot()
    fake.fail_next("POST", f"/channels/{CHANNEL_ID}/messages", retry_after=0.05)
    await fake.message_create("biggest planet?", mention_bot=True)
    first = await fake.wait_for_reply(CHANNEL_ID)
    retried = await fake.wait_for_reply(CHANNEL_ID)
    assert first == retried
    await fake.message_create("smallest planet?", dm=True)  # a marker: the bot has moved on
    await fake.wait_for_reply(DM_CHANNEL_ID)
    posted = [m for m in fake.messages.values() if m["channel_id"] == str(CHANNEL_ID)]
    assert len(posted) == 1 and "Jupiter" in posted[0]["embeds"][0]["description"]


async def test_gateway_drop_is_resumed_and_an_event_sent_meanwhile_is_answered(fake, start_bot):
    bot = await start_bot()
    await fake.drop_gateway()
    await fake.message_create("biggest planet?", mention_bot=True)  # queued while disconnected
    reply = await fake.wait_for_reply(CHANNEL_ID)
    assert "Jupiter" in first_embed(reply)["description"]
    assert (fake.identifies, fake.resumes) == (1, 1)
    assert not bot.is_closed()


async def test_rejected_token_exits_with_one_clear_line(fake, tmp_path, course_dir, capsys):
    settings = make_settings(fake, tmp_path, course_dir, token="wrong-token-abc")
    status = await asyncio.wait_for(serve(settings), 10)
    err = capsys.readouterr().err
    assert status != 0
    assert err.strip().splitlines() == [
        "classbot: Discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN"
    ]
    assert "wrong-token-abc" not in err and "Traceback" not in err
    assert not fake.identifies


def test_missing_token_exits_with_one_clear_line(tmp_path, course_dir, capsys):
    from bot.adapters.discord.app import run

    settings = Settings(knowledge_path=course_dir, database_path=tmp_path / "db.sqlite")
    assert run(replace(settings, discord=DiscordSettings(token=None))) != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "DISCORD_TOKEN is not set" in err


# ---- the real entry point ------------------------------------------------------------------


def run_env(fake: FakeDiscord, tmp_path: Path, course_dir: Path, token: str) -> dict:
    return {
        **os.environ,
        "DISCORD_TOKEN": token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_GUILD_IDS": str(GUILD_ID),
        "CLASSBOT_DATABASE": str(tmp_path / "run.db"),
        "CLASSBOT_KNOWLEDGE": str(course_dir),
        "CLASSBOT_ASK_COOLDOWN": "0",
        "CLASSBOT_CONFIG": "",
        "PYTHONPATH": str(REPO),
    }


async def classbot_run_discord(env: dict, cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "discord",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_classbot_run_discord_answers_and_stops_cleanly_on_a_signal(fake, tmp_path, course_dir, sig):
    proc = await classbot_run_discord(run_env(fake, tmp_path, course_dir, fake.token), tmp_path)
    try:
        await fake.wait_for_request("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands", timeout=15)
        await fake.wait_connected(timeout=10)
        await fake.message_create("biggest planet?", mention_bot=True)
        reply = await fake.wait_for_reply(CHANNEL_ID, timeout=10)
        assert "Jupiter" in first_embed(reply)["description"]
        proc.send_signal(sig)
        _, err = await asyncio.wait_for(proc.communicate(), 10)
        assert proc.returncode == 0, err.decode()
        assert fake.token not in err.decode() and "Traceback" not in err.decode()
        assert (tmp_path / "run.db").exists()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_classbot_run_discord_with_a_rejected_token_prints_one_line(fake, tmp_path, course_dir):
    proc = await classbot_run_discord(run_env(fake, tmp_path, course_dir, "rejected-token-123"), tmp_path)
    out, err = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode != 0
    assert err.decode().splitlines() == [
        "classbot: Discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN"
    ]
    assert "rejected-token-123" not in (out + err).decode()
