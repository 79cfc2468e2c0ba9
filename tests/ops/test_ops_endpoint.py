"""The operations endpoint (/healthz, /metrics) of real bot runs against the fake Discord and Slack:
scraped over real HTTP and parsed with prometheus_client's own parser."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.adapters.discord.app import serve as serve_discord
from bot.adapters.slack.app import serve as serve_slack
from bot.config import DiscordSettings, Settings, SlackSettings
from bot.ops.metrics import Metrics
from tests.fakes import write_course
from tests.fakes.discord_server import GUILD_ID, FakeDiscord, restore_discord_endpoints  # noqa: F401
from tests.fakes.slack_course import write_course as write_slack_course
from tests.fakes.slack_server import FakeSlack

WAIT = 10.0  # seconds any awaited state may take before the test fails


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.text()


async def eventually(probe: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll ``probe`` (bounded) until it is true."""
    for _ in range(int(WAIT / 0.05)):
        if await probe():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a Prometheus exposition."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def ops_port(caplog: pytest.LogCaptureFixture, task: asyncio.Task) -> int:
    """The port the endpoint listens on (asked for as 0: any free port), from its start-up log line."""
    for _ in range(int(WAIT / 0.05)):
        for record in caplog.records:
            said = re.match(r"health and metrics on http://[^:/]+:(\d+)/", record.getMessage())
            if record.name == "bot.ops.server" and said:  # read from the text: a log filter may have merged the args
                return int(said.group(1))
        if task.done():
            raise AssertionError(f"the bot stopped: {task.result()}")
        await asyncio.sleep(0.05)
    raise AssertionError("the operations endpoint did not start")


async def stopped(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await asyncio.wait_for(task, WAIT)


async def status_of(url: str) -> int:
    return (await get(url))[0]


# ---- Discord ---------------------------------------------------------------------------------


async def test_discord_run_serves_metrics_of_its_answers_and_health_follows_the_gateway(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.ops.server")
    fake = await FakeDiscord().start()
    settings = Settings(
        knowledge_path=write_course(tmp_path / "course"),
        database_path=tmp_path / "classbot.db",
        ask_cooldown_seconds=0,
        metrics_port=0,
        metrics_host="127.0.0.1",
        discord=DiscordSettings(token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url, guild_ids=(GUILD_ID,)),
    )
    task = asyncio.create_task(serve_discord(settings))
    try:
        base = f"http://127.0.0.1:{await ops_port(caplog, task)}"
        await fake.wait_connected(WAIT)
        await eventually(lambda: _is(base + "/healthz", 200), "/healthz to be 200")
        code, body = await get(base + "/healthz")
        assert code == 200

        health = json.loads(body)
        assert health["status"] == "ok"
        assert {name: c["ok"] for name, c in health["checks"].items()} == {"process": True, "platform": True, "database": True}

        for question in ("what is the biggest planet?", "who won the 1998 world cup?", "hello"):
            iid = await fake.slash("ask", {"question": question})
            await fake.wait_for_callback(iid)
        code, text = await get(base + "/metrics")
        assert code == 200
        got = samples(text)
        assert got[("classbot_questions_total", (("outcome", "answered"), ("platform", "discord")))] == 1
        assert got[("classbot_questions_total", (("outcome", "declined"), ("platform", "discord")))] == 1
        assert got[("classbot_questions_total", (("outcome", "chatter"), ("platform", "discord")))] == 1
        assert got[("classbot_answer_latency_seconds_count", (("platform", "discord"),))] == 3
        assert got[("classbot_platform_connected", (("platform", "discord"),))] == 1

        await fake.drop_gateway()  # Discord hiccups; the bot resumes
        await eventually(
            lambda: _metric(base, ("classbot_gateway_reconnects_total", (("platform", "discord"),)), 1), "a counted resume"
        )
        assert samples((await get(base + "/metrics"))[1])[("classbot_gateway_disconnects_total", (("platform", "discord"),))] == 1

        await fake.close()  # Discord is gone: the bot cannot reconnect
        await eventually(lambda: _is(base + "/healthz", 503), "/healthz to be 503")
        health = json.loads((await get(base + "/healthz"))[1])
        assert health["status"] == "failing"
        assert health["checks"]["platform"] == {"ok": False, "detail": "disconnected"}
        assert health["checks"]["database"]["ok"] is True
    finally:
        await stopped(task)
        await fake.close()


async def _is(url: str, status: int) -> bool:
    try:
        return await status_of(url) == status
    except aiohttp.ClientError:
        return False


async def _platform_down(base: str) -> bool:
    code, body = await get(base + "/healthz")
    return code == 503 and json.loads(body)["checks"]["platform"] == {"ok": False, "detail": "disconnected"}


async def _metric(base: str, key: tuple, value: float) -> bool:
    return samples((await get(base + "/metrics"))[1]).get(key) == value


# ---- Slack -----------------------------------------------------------------------------------


async def test_slack_run_serves_metrics_and_health_fails_when_the_database_file_is_unusable_or_slack_is_gone(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.ops.server")
    async with FakeSlack() as slack:
        database = tmp_path / "classbot.db"
        settings = Settings(
            knowledge_path=write_slack_course(tmp_path / "courses"),
            database_path=database,
            ask_cooldown_seconds=0,
            metrics_port=0,
            metrics_host="127.0.0.1",
            slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve_slack(settings, stop))
        try:
            base = f"http://127.0.0.1:{await ops_port(caplog, task)}"
            await slack.wait_for_connections(1, timeout=WAIT)
            await eventually(lambda: _is(base + "/healthz", 200), "/healthz to be 200")

            since = slack.mark()
            await slack.wait_for_ack(slack.slash_command("/ask", "who walked on the moon first"))
            await slack.wait_for("response_url", since=since)
            got = samples((await get(base + "/metrics"))[1])
            assert got[("classbot_questions_total", (("outcome", "answered"), ("platform", "slack")))] == 1
            assert got[("classbot_answer_latency_seconds_count", (("platform", "slack"),))] == 1
            assert got[("classbot_trivia_posts_total", (("platform", "slack"),))] == 0

            database.write_bytes(b"this is no longer a database" * 200)  # e.g. a bad restore over the live file
            code, body = await get(base + "/healthz")
            assert code == 503

            checks = json.loads(body)["checks"]
            assert checks["database"]["ok"] is False and str(tmp_path) not in body
            assert checks["platform"]["ok"] is True

            slack.request_reconnect()  # Slack asks for a routine reconnection: a new session
            await slack.wait_for_connections(2, timeout=WAIT)
            await eventually(lambda: _metric(base, ("classbot_gateway_reconnects_total", (("platform", "slack"),)), 1), "a counted reconnection")

            await slack.stop()  # Slack is gone: the Socket Mode connection drops
            await eventually(lambda: _platform_down(base), "/healthz to report the platform disconnected")
            await eventually(lambda: _metric(base, ("classbot_platform_connected", (("platform", "slack"),)), 0), "the gauge to drop")
            got = samples((await get(base + "/metrics"))[1])
            assert got[("classbot_gateway_disconnects_total", (("platform", "slack"),))] == 1
            assert got[("classbot_gateway_reconnects_total", (("platform", "slack"),))] == 1
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, WAIT)


# ---- the metrics themselves ------------------------------------------------------------------


def test_each_metrics_object_has_its_own_registry():
    first, second = Metrics("discord"), Metrics("discord")
    first.trivia_answered(True)
    first.store_failed("record_answer")
    a, b = samples(first.exposition().decode()), samples(second.exposition().decode())
    assert a[("classbot_trivia_answers_total", (("correct", "true"), ("platform", "discord")))] == 1
    assert b[("classbot_trivia_answers_total", (("correct", "true"), ("platform", "discord")))] == 0
    assert a[("classbot_store_errors_total", (("operation", "record_answer"),))] == 1
    assert ("classbot_store_errors_total", (("operation", "record_answer"),)) not in b
