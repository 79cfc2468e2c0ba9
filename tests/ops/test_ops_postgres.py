"""/healthz of a real bot run on PostgreSQL (CLASSBOT_DATABASE_URL), against the fake Slack: the database
check is the store's ping on the server, never a look at the SQLite file the settings also name."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os

import asyncpg

from bot.adapters.slack.app import serve as serve_slack
from bot.config import Settings, SlackSettings
from tests.fakes.slack_course import write_course as write_slack_course
from tests.fakes.slack_server import FakeSlack
from tests.ops.test_ops_endpoint import WAIT, _is, eventually, get, ops_port
from tests.pg import ENV


async def _database_check(base: str) -> dict:
    return json.loads((await get(base + "/healthz"))[1])["checks"]["database"]


async def test_slack_run_on_postgresql_is_healthy_and_health_follows_the_server(pg_dsn, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.ops.server")
    name = pg_dsn.rsplit("/", 1)[1]
    server = os.environ[ENV]
    async with FakeSlack() as slack:
        settings = Settings(
            knowledge_path=write_slack_course(tmp_path / "courses"),
            database_path=tmp_path / "never-used.db",
            database_url=pg_dsn,
            ask_cooldown_seconds=0,
            metrics_port=0,
            metrics_host="127.0.0.1",
            slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve_slack(settings, stop))
        admin = await asyncpg.connect(server)
        try:
            base = f"http://127.0.0.1:{await ops_port(caplog, task)}"
            await slack.wait_for_connections(1, timeout=WAIT)
            await eventually(lambda: _is(base + "/healthz", 200), "/healthz to be 200")
            assert await _database_check(base) == {"ok": True, "detail": "reachable"}

            # the database stops taking connections and the bot's are ended (e.g. a failover in progress)
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name)
            await eventually(lambda: _is(base + "/healthz", 503), "/healthz to be 503")
            check = await _database_check(base)
            assert check["ok"] is False and "never-used" not in check["detail"] and "@" not in check["detail"]

            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')  # back: healthy again
            await eventually(lambda: _is(base + "/healthz", 200), "/healthz to be 200 again")
        finally:
            with contextlib.suppress(Exception):
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await admin.close()
            stop.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, WAIT)
    assert not (tmp_path / "never-used.db").exists()
