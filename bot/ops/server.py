"""The operations endpoint: /healthz and /metrics over HTTP, on the bot's own event loop.

Started by the platform adapters when ``metrics_port`` is set (off by default)::

    ops = await start_ops(settings, "discord", store)   # None when metrics_port is not set
    store = ops.store                                    # the store, with failed calls counted
    ...
    await ops.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.core.errors import ConfigError
from bot.ops.health import HealthChecks
from bot.ops.metrics import CONTENT_TYPE_LATEST, Metrics
from bot.ops.storewatch import WatchedStore

log = logging.getLogger(__name__)

__all__ = ["Ops", "start_ops", "WATCH_INTERVAL"]

WATCH_INTERVAL = 1.0  # seconds between looks at a Slack Socket Mode connection (no network: its own state)


class Ops:
    def __init__(self, metrics: Metrics, health: HealthChecks, store: WatchedStore) -> None:
        self.metrics = metrics
        self.health = health
        self.store = store
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._watcher: asyncio.Task | None = None
        self.watch_interval = WATCH_INTERVAL

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, body = await self.health.run()
        return web.Response(status=200 if ok else 503, text=json.dumps(body), content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def listen(self, host: str, port: int) -> int:
        runner = web.AppRunner(self.web_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as e:
            await runner.cleanup()
            raise ConfigError(
                f"cannot serve metrics on {host}:{port} ({e.strerror}): is another program using that port? "
                "Set CLASSBOT_METRICS_PORT to another one"
            ) from None
        self._runner = runner
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health and metrics on http://%s:%s/healthz and /metrics", host, self.port)
        return self.port

    def platform_check(self, connected: Callable[[], Awaitable[bool]]) -> None:
        """How /healthz tells whether the platform is connected (set by the adapter)."""
        self.health.platform_connected = connected

    # ---- platform adapters --------------------------------------------------------------------
    def attach_discord(self, bot: Any) -> None:
        """Count answers and trivia, and follow the gateway connection, of a discord.py bot."""
        metrics = self.metrics
        bot.service.asking.observer = metrics
        state = {"up": False, "ever": False}

        async def up() -> None:
            trivia = bot.get_cog("Trivia")  # set up during login: give it the observer on first connect
            if trivia is not None and getattr(trivia, "service", None) is not None:
                trivia.service.observer = metrics
            if not state["up"]:
                metrics.platform_up(again=state["ever"])
                state["up"] = state["ever"] = True

        async def down() -> None:
            if state["up"]:
                metrics.platform_down()
                state["up"] = False

        async def connected() -> bool:
            return state["up"] and not bot.is_closed()

        bot.add_listener(up, "on_connect")
        bot.add_listener(up, "on_resumed")
        bot.add_listener(down, "on_disconnect")
        self.platform_check(connected)

    def attach_slack(self, rt: Any) -> None:
        """Count answers and trivia of a Slack runtime (bot.adapters.slack.runtime.Runtime)."""
        rt.asking.observer = self.metrics
        if rt.trivia is not None:
            rt.trivia.observer = self.metrics

    async def slack_connected(self, bot: Any) -> None:
        """The Slack app is serving: HTTP mode is connected while it listens; Socket Mode while
        its websocket is open. In Socket Mode each new session (Slack's hello on a new connection)
        counts as a reconnect, and a watcher notices a connection that is gone (slack_sdk keeps
        trying to reconnect and tells no listener until it succeeds)."""
        metrics = self.metrics
        metrics.platform_up(again=False)
        handler = getattr(bot, "handler", None)
        if handler is not None:
            client = handler.client
            sessions = {await client.session_id()}  # this one's hello may still be on its way
            state = {"up": True}

            async def up_again() -> None:
                session = await client.session_id()
                if session in sessions and state["up"]:
                    return
                sessions.add(session)
                metrics.platform_up(again=True)
                state["up"] = True

            async def on_message(_client: Any, message: dict, _raw: Any) -> None:
                if message.get("type") == "hello":
                    await up_again()

            async def watch() -> None:
                while True:
                    await asyncio.sleep(self.watch_interval)
                    try:
                        ok = bool(await client.is_connected())
                    except Exception:
                        ok = False
                    if not ok and state["up"]:
                        metrics.platform_down()
                        state["up"] = False
                    elif ok and not state["up"]:
                        await up_again()

            client.message_listeners.append(on_message)
            self._watcher = asyncio.create_task(watch())

        async def connected() -> bool:
            if handler is not None:  # Socket Mode
                return bool(await handler.client.is_connected())
            return getattr(bot, "_web_runner", None) is not None  # HTTP mode: while it listens

        self.platform_check(connected)

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def start_ops(settings: Any, platform: str, store: Any) -> Ops | None:
    """The operations endpoint, listening, when ``settings.metrics_port`` is set; None otherwise."""
    if settings.metrics_port is None:
        return None
    metrics = Metrics(platform)
    # SQLite: the file is also opened afresh by each probe; PostgreSQL (database_url): the ping is enough
    sqlite_file = None if getattr(settings, "database_url", None) else getattr(settings, "database_path", None)
    health = HealthChecks(store, database_path=sqlite_file)
    ops = Ops(metrics, health, WatchedStore(store, metrics.store_failed))
    await ops.listen(settings.metrics_host, settings.metrics_port)
    return ops
