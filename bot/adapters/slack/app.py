"""The Slack app: builds the Bolt AsyncApp, connects it (Socket Mode or HTTP) and runs it.

``run(settings)`` is what ``classbot run slack`` calls. Slack libraries are imported here, lazily,
so the rest of classbot works without them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from bot.adapters.slack.runtime import Runtime
from bot.config import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.courses import as_library
from bot.core.coursewatch import CourseWatcher
from bot.core.errors import EXIT_CONFIG, ClassbotError, PlatformError, exit_code
from bot.core.housekeeping import Housekeeping
from bot.core.lease import Lease
from bot.core.store import Store

log = logging.getLogger(__name__)


def make_client(settings: Settings) -> Any:
    """The Web API client: settings.slack.api_url, and retries on 429 and dropped connections."""
    from slack_sdk.http_retry.builtin_async_handlers import (
        AsyncConnectionErrorRetryHandler,
        AsyncRateLimitErrorRetryHandler,
    )
    from slack_sdk.web.async_client import AsyncWebClient

    api_url = settings.slack.api_url
    if not api_url.endswith("/"):
        api_url += "/"
    return AsyncWebClient(
        token=settings.slack.bot_token,
        base_url=api_url,
        retry_handlers=[AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=3)],
    )


class _QuietClientWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client takes precedence: it is meant to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


_bolt_logger = logging.getLogger(__name__ + ".bolt")
_bolt_logger.addFilter(_QuietClientWarning())


def build_app(rt: Runtime, client: Any | None = None) -> Any:
    """A Bolt AsyncApp with every classbot listener registered."""
    from slack_bolt.async_app import AsyncApp

    from bot.adapters.slack import ask, courses, failures, feedback, teacher, trivia

    settings = rt.settings
    http = settings.slack.mode == "http"
    app = AsyncApp(
        client=client or make_client(settings),
        signing_secret=settings.slack.signing_secret or "",
        request_verification_enabled=http,
        logger=_bolt_logger,
    )
    ask.register(app, rt)
    feedback.register(app, rt)
    trivia.register(app, rt)
    teacher.register(app, rt)
    if (library := as_library(rt.engine)) is not None:
        courses.register(app, rt, library)
    app.error(failures.on_error)
    return app


class SlackBot:
    """One running Slack app. Tests drive this directly; ``run`` wraps it for the command line."""

    def __init__(self, rt: Runtime, client: Any | None = None):
        self.rt = rt
        self.settings = rt.settings
        self.app = build_app(rt, client)
        self.client = self.app.client
        from bot.adapters.slack import trivia

        self.scheduler = trivia.make_scheduler(rt, self.client)  # None when the course has no trivia
        library = as_library(rt.engine)  # several courses, /course, hot reload (None: one fixed engine)
        self.course_watcher = CourseWatcher(library, self.settings.course_watch_seconds) if library else None
        self.housekeeping = Housekeeping(rt.store, self.settings.retention_days, rt.clock)  # with or without trivia
        self.handler: Any = None
        self._web_runner: Any = None
        self._scheduler_task: asyncio.Task | None = None
        self.lease: Lease | None = None  # once the scheduler runs
        self.port: int | None = None

    async def check_tokens(self) -> dict:
        """auth.test with the bot token (and apps.connections.open with the app token in Socket Mode).

        Raises PlatformError with a one-line explanation; never shows a token.
        """
        from slack_sdk.errors import SlackApiError

        try:
            auth = await self.client.auth_test()
        except SlackApiError as e:
            raise self._token_problem("SLACK_BOT_TOKEN", e) from None
        except Exception as e:  # network problems: aiohttp errors, timeouts
            raise PlatformError(f"cannot reach the Slack API at {self.settings.slack.api_url}: {_reason(e)}") from None
        if self.settings.slack.mode != "http":
            try:
                await self.client.apps_connections_open(app_token=self.settings.slack.app_token)
            except SlackApiError as e:
                raise self._token_problem("SLACK_APP_TOKEN", e) from None
            except Exception as e:
                raise PlatformError(f"cannot reach the Slack API at {self.settings.slack.api_url}: {_reason(e)}") from None
        return dict(auth.data)

    def _token_problem(self, variable: str, error: BaseException) -> PlatformError:
        """Slack's refusal of a token, or (when what answered was not Slack) what did answer."""
        from bot.adapters.slack.webapi import api_error, slack_error_code

        code = slack_error_code(error)
        if code:
            return PlatformError(f"Slack rejected {variable} ({code})")
        return PlatformError(
            f"the Slack API at {self.settings.slack.api_url} did not answer like Slack ({api_error(error)}): "
            "check SLACK_API_URL and any proxy in between"
        )

    async def start_socket_mode(self) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self.handler = AsyncSocketModeHandler(self.app, app_token=self.settings.slack.app_token)
        await self.handler.connect_async()

    async def start_http(self, host: str | None = None, port: int | None = None) -> int:
        """Serve Slack's HTTP requests on /slack/events; returns the port (0 asks for a free one)."""
        from aiohttp import web

        from bot.adapters.slack.http import SEEN_EVENT_SECONDS, make_web_app
        from bot.adapters.slack.runtime import PLATFORM

        store = self.rt.store

        async def first_delivery(event_id: str) -> bool:
            return await store.first_delivery(PLATFORM, event_id, SEEN_EVENT_SECONDS)

        web_app = make_web_app(self.app, self.settings.slack.signing_secret or "", first_delivery=first_delivery)
        runner = web.AppRunner(web_app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, host or self.settings.slack.host, self.settings.slack.port if port is None else port)
        await site.start()
        self._web_runner = runner
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.port

    def start_scheduler(self, interval: float | None = None) -> None:
        """Tick the trivia scheduler in the background (posts, reveals) while the bot runs.

        Several workers may share the database: the scheduler ticks only in the worker holding the
        scheduler lease, renewed at every tick; when that worker dies, its lease expires
        (``scheduler_lease_seconds``) and the next worker to ask takes it over.
        """
        from bot.core.lease import SCHEDULER_LEASE, Lease, holder_id

        scheduler = self.scheduler
        if scheduler is None:
            return
        every = self.settings.scheduler_tick_seconds if interval is None else interval
        self.lease = lease = Lease(self.rt.store, SCHEDULER_LEASE, holder_id(), self.settings.scheduler_lease_seconds)
        scheduler.holder = lease.holder

        async def loop() -> None:
            while True:
                try:
                    if await lease.hold():
                        await scheduler.tick()
                except Exception:
                    log.exception("trivia scheduler tick failed")
                await asyncio.sleep(every)

        self._scheduler_task = asyncio.create_task(loop())

    async def start_course_watch(self) -> None:
        """Remember the course files as they are and reload a course when its files change."""
        if self.course_watcher is not None:
            await self.course_watcher.start_primed()

    async def start_housekeeping(self) -> None:
        """The retention pass now, then once a day in the background (bot.core.housekeeping)."""
        await self.housekeeping.start()

    async def close(self) -> None:
        await self.housekeeping.stop()
        if self.course_watcher is not None:
            await self.course_watcher.stop()
        if self._scheduler_task is not None:
            self._scheduler_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._scheduler_task
            self._scheduler_task = None
        if self.lease is not None:
            await self.lease.release()  # another worker takes over at once, not when it expires
        if self.handler is not None:
            await self.handler.close_async()
            self.handler = None
        if self._web_runner is not None:
            await self._web_runner.cleanup()
            self._web_runner = None
        session = getattr(self.client, "session", None)
        if session is not None and not session.closed:
            await session.close()


def _reason(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:200]


def _missing_tokens(settings: Settings) -> str | None:
    """Every token the mode needs and lacks, on one line (None when all are set)."""
    s = settings.slack
    missing = [] if s.bot_token else ["SLACK_BOT_TOKEN is not set (the bot token, xoxb-...)"]
    if s.mode == "http":
        if not s.signing_secret:
            missing.append("SLACK_SIGNING_SECRET is not set (needed in HTTP mode)")
    elif s.mode == "socket":
        if not s.app_token:
            missing.append("SLACK_APP_TOKEN is not set (the app-level token, xapp-..., needed in Socket Mode)")
    else:
        return f"SLACK_MODE should be socket or http, got {s.mode!r}"
    return "; ".join(missing) or None


async def load_runtime(settings: Settings, store: Store, clock: Clock | None = None) -> Runtime:
    """Load the course and build the engine and the trivia service."""
    from bot.adapters.slack import trivia
    from bot.core.courses import CourseLibrary
    from bot.core.meaning import VectorCache

    engine = CourseLibrary.load(settings.knowledge_path, settings.default_course, VectorCache(settings.cache_dir))
    rt = Runtime(settings=settings, engine=engine, store=store, clock=clock or SystemClock())
    rt.trivia = trivia.make_service(rt, engine.course)
    return rt


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> int:
    """Run until `stop` is set (or SIGINT/SIGTERM). Returns the exit code."""
    problem = _missing_tokens(settings)
    if problem:
        print(f"classbot: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    from bot.store import open_store

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)

    bot: SlackBot | None = None
    store: Store | None = None
    ops = None
    connected = False  # a run that never reached Slack removes the database file it created
    try:
        store = await open_store(settings.database)
        from bot.ops.server import start_ops

        ops = await start_ops(settings, "slack", store)  # /healthz and /metrics, when metrics_port is set
        if ops is not None:
            store = ops.store  # failed store calls are counted
        clock = None
        if settings.test_clock_file:  # a test hook: see Settings.test_clock_file
            from bot.core.clock import FileClock

            log.warning("trivia time is read from %s (CLASSBOT_TEST_CLOCK_FILE): a test hook", settings.test_clock_file)
            clock = FileClock(settings.test_clock_file)
        rt = await load_runtime(settings, store, clock)
        if ops is not None:
            ops.attach_slack(rt)
        bot = SlackBot(rt)
        auth = await bot.check_tokens()
        connected = True
        await bot.start_housekeeping()  # before serving anyone
        if settings.slack.mode == "http":
            try:
                port = await bot.start_http()
            except OSError as e:
                raise PlatformError(
                    f"cannot listen on {settings.slack.host}:{settings.slack.port} ({e.strerror}): "
                    "is another program using that port? Set SLACK_PORT to another one"
                ) from None
            log.info("Slack app listening on %s:%s/slack/events", settings.slack.host, port)
        else:
            await bot.start_socket_mode()
            log.info("Connected to Slack workspace %s over Socket Mode", auth.get("team", "?"))
        bot.start_scheduler()
        await bot.start_course_watch()
        if ops is not None:
            await ops.slack_connected(bot)
        await stop.wait()
        return 0
    except ClassbotError as e:
        print(f"classbot: {e}", file=sys.stderr)
        return exit_code(e)
    finally:
        if bot is not None:
            await bot.close()
        if store is not None:
            with contextlib.suppress(Exception):
                await store.close(discard_if_unused=not connected)
        if ops is not None:
            await ops.close()


def run(settings: Settings) -> int:
    """Entry point for ``classbot run slack``."""
    if (settings.log_level or "INFO").upper() != "DEBUG":  # slack_sdk's INFO lines (retries, sessions): its warnings only
        logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 130
