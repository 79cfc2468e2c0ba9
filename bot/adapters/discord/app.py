"""The Discord bot: build it, point it at Discord (or a proxy / fake), run it until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import yarl
from discord.ext import commands

from bot.adapters.discord.ask_cog import AskCog, AskHandler
from bot.adapters.discord.course_cog import CourseCog
from bot.adapters.discord.guard import report_failure
from bot.adapters.discord.render import NO_MENTIONS
from bot.adapters.discord.shards import client_options, sharded
from bot.adapters.discord.teacher_cog import TeacherCog
from bot.adapters.discord.trivia_cog import TRIVIA_ITEMS, TriviaCog
from bot.adapters.discord.views import DYNAMIC_ITEMS
from bot.config import Settings
from bot.core.answering import Engine, MultiEngine
from bot.core.clock import Clock
from bot.core.courses import CourseLibrary, as_library
from bot.core.coursewatch import CourseWatcher
from bot.core.housekeeping import Housekeeping
from bot.core.store import Store
from bot.ops.logsetup import setup_logging

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only what we need. No message_content: mentions of the bot and DMs still carry their text."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    return wanted


class ClassBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        engine: Engine | MultiEngine | CourseLibrary,
        store: Store,
        monotonic: Callable[[], float] = time.monotonic,
        *,
        clock: Clock | None = None,  # trivia time (None: the system clock)
        **options: Any,
    ):
        options.setdefault("chunk_guilds_at_startup", False)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            **options,
        )
        self.settings = settings
        self.service = AskHandler(self, settings, engine, store, monotonic)
        self.synced: list[int | None] = []  # guild ids synced (None = global)
        self.clock = clock
        self.library = as_library(engine)  # several courses, /course, hot reload (None: one fixed engine)
        self.course_watcher = CourseWatcher(self.library, settings.course_watch_seconds) if self.library else None
        self.housekeeping = Housekeeping(store, settings.retention_days, clock) if store is not None else None

    async def setup_hook(self) -> None:
        self.tree.error(self.on_app_command_error)  # checks it is a coroutine of (interaction, error)
        if self.housekeeping is not None:  # retention, with or without trivia; first pass before serving anyone
            await self.housekeeping.start()
        self.add_dynamic_items(*DYNAMIC_ITEMS, *TRIVIA_ITEMS)
        await self.add_cog(AskCog(self.service))
        await self.add_cog(
            TriviaCog(self, self.settings, self.service.store, getattr(self.service.engine, "course", None), self.clock)
        )
        if self.library is not None:
            await self.add_cog(CourseCog(self.settings, self.library, self.service.store))
        await self.add_cog(TeacherCog(self, self.settings, self.service.engine, self.service.store, self.clock))
        if self.course_watcher is not None:
            await self.course_watcher.start_primed()
        await self.sync_commands()

    async def close(self) -> None:
        if self.course_watcher is not None:
            await self.course_watcher.stop()
        if self.housekeeping is not None:
            await self.housekeeping.stop()
        await super().close()

    async def on_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """A command that failed still gets a private reply (see guard.report_failure)."""
        original = getattr(error, "original", error)
        command = getattr(interaction.command, "qualified_name", "?")
        await report_failure(interaction, original, f"slash command /{command}")

    async def sync_commands(self) -> None:
        d = self.settings.discord
        if sharded(d) and d.shard_ids and 0 not in d.shard_ids:  # the same commands: one process syncs them
            log.info("slash commands are synced by the process that runs shard 0")
            return
        guild_ids = self.settings.discord.guild_ids
        if not guild_ids:
            await self.tree.sync()
            self.synced.append(None)
            log.info("slash commands synced globally (may take up to an hour to appear)")
            return
        for gid in guild_ids:
            guild = discord.Object(id=gid)
            self.tree.copy_global_to(guild=guild)
            try:
                await self.tree.sync(guild=guild)
            except discord.HTTPException as e:
                log.warning(
                    "could not sync slash commands to guild %s (%s %s): is the bot in it, "
                    "invited with the applications.commands scope?",
                    gid,
                    e.status,
                    e.text,
                )
                continue
            self.synced.append(gid)
            log.info("slash commands synced to guild %s", gid)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: questions are handled by the cog's listener."""

    async def on_ready(self) -> None:
        running = sorted(getattr(self, "shards", None) or ())
        shards = f", shards {running} of {self.shard_count}" if running else ""
        log.info("connected to Discord as %s (%s guilds%s)", self.user, len(self.guilds), shards)

    async def on_resumed(self) -> None:
        log.info("Discord connection resumed")


class ShardedClassBot(ClassBot, commands.AutoShardedBot):
    """The same bot over several shards (``discord.shard_count``, ``discord.shard_ids``)."""


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at the configured API and gateway (process-wide; must run before login)."""
    discord.http.Route.BASE = settings.discord.api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


def build_bot(
    settings: Settings, engine: Engine | MultiEngine | CourseLibrary, store: Store, *, monotonic: Callable[[], float] = time.monotonic, **options: Any
) -> ClassBot:
    configure_endpoints(settings)
    if sharded(settings.discord):
        return ShardedClassBot(settings, engine, store, monotonic, **{**client_options(settings.discord), **options})
    return ClassBot(settings, engine, store, monotonic, **options)


def _fail(message: str, code: int = 1) -> int:
    print(f"classbot: {message}", file=sys.stderr)
    return code


async def serve(settings: Settings, **options: Any) -> int:
    """Load the course, open the store, run the bot until SIGINT/SIGTERM. Returns the exit status."""
    from bot.core.courses import CourseLibrary
    from bot.core.errors import EXIT_CONFIG, ClassbotError, exit_code
    from bot.core.meaning import VectorCache
    from bot.store import open_store

    token = (settings.discord.token or "").strip()
    if not token:
        return _fail("DISCORD_TOKEN is not set: put the bot token in the environment or in .env", EXIT_CONFIG)
    try:
        engine = CourseLibrary.load(settings.knowledge_path, settings.default_course, VectorCache(settings.cache_dir))
        store: Store = await open_store(settings.database)
    except ClassbotError as e:
        return _fail(str(e), exit_code(e))
    from bot.ops.server import start_ops

    try:
        ops = await start_ops(settings, "discord", store)  # /healthz and /metrics, when metrics_port is set
    except ClassbotError as e:
        await store.close(discard_if_unused=True)
        return _fail(str(e), exit_code(e))
    if ops is not None:
        store = ops.store  # failed store calls are counted

    if settings.test_clock_file and "clock" not in options:  # a test hook: see Settings.test_clock_file
        from bot.core.clock import FileClock

        log.warning("trivia time is read from %s (CLASSBOT_TEST_CLOCK_FILE): a test hook", settings.test_clock_file)
        options["clock"] = FileClock(settings.test_clock_file)
    bot = build_bot(settings, engine, store, **options)
    if ops is not None:
        ops.attach_discord(bot)
    ready = asyncio.Event()  # a run that never got connected leaves no empty database behind

    async def connected() -> None:
        ready.set()

    bot.add_listener(connected, "on_connect")  # the gateway said READY
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def stop() -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("shutting down")
            loop.create_task(bot.close())

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            pass
    try:
        async with bot:
            await bot.login(token)
            if not stopping.is_set():
                await bot.connect(reconnect=True)
    except discord.LoginFailure:
        return _fail("Discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN")
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused the gateway intents requested")
    except discord.HTTPException as e:
        return _fail(f"Discord refused a start-up request ({e.status}): {e.text or 'no details'}")
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound, discord.ConnectionClosed) as e:
        reason = str(e) or e.__class__.__name__
        return _fail(f"cannot reach Discord at {settings.discord.api_base}: {reason} "
                     "(check the network, any proxy, and DISCORD_API_BASE)")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
        await store.close(discard_if_unused=not ready.is_set())
        if ops is not None:
            await ops.close()
    return 0


class _NoVoiceWarnings(logging.Filter):
    """We never use voice: discord.py's "PyNaCl/davey is not installed" warnings are noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def quiet_library_logs(level: str) -> None:
    """discord.py logs its own chatter at INFO: keep its warnings only (all of it at DEBUG)."""
    if level.upper() != "DEBUG":
        logging.getLogger("discord").setLevel(logging.WARNING)
    client_log = logging.getLogger("discord.client")
    if not any(isinstance(f, _NoVoiceWarnings) for f in client_log.filters):
        client_log.addFilter(_NoVoiceWarnings())


def run(settings: Settings) -> int:
    """Entry point for ``classbot run discord``."""
    if not (settings.discord.token or "").strip():
        from bot.core.errors import EXIT_CONFIG

        return _fail("DISCORD_TOKEN is not set: put the bot token in the environment or in .env", EXIT_CONFIG)
    if not logging.getLogger().handlers:  # run directly, not through the CLI (which sets up the same)
        setup_logging(settings)
    quiet_library_logs(settings.log_level or "INFO")
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        return 130
