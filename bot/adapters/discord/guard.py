"""How every Discord interaction (button, form, slash command) fails: never silently.

Discord shows "This interaction failed" when the bot does not respond within 3 seconds; an
exception escaping a button callback does exactly that, and the student's click is lost without a
word. Here the student always gets a short private reply with no internal details, and the log gets
the detail with its traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.adapters.discord.render import reply_privately
from bot.core.errors import SORRY, ClassbotError, ConfigError, InvalidCourse, StoreError

log = logging.getLogger(__name__)

# Discord drops an interaction not answered within 3 s; past this the reply is deferred first.
ACK_SECONDS = 2.0
STORE_FAILED = "Sorry, I couldn't save that right now. Please try again in a moment."


def failure_text(error: BaseException, store_failed: str = STORE_FAILED) -> str:
    """What the student is told: the database's trouble is ours, not theirs (its message names the
    server's files), and so is the configuration's; our other errors explain themselves (they are
    written for chat); anything else is an apology."""
    if isinstance(error, StoreError):
        return store_failed
    if isinstance(error, ClassbotError) and not isinstance(error, ConfigError | InvalidCourse):
        return str(error)
    return SORRY


async def report_failure(
    interaction: discord.Interaction, error: BaseException, what: str, store_failed: str = STORE_FAILED
) -> None:
    """Log ``error`` with its traceback and tell the student privately."""
    log.error(
        "%s failed (user %s, guild %s, channel %s): %s",
        what,
        interaction.user.id if interaction.user else "?",
        interaction.guild_id,
        interaction.channel_id,
        error,
        exc_info=error,
    )
    try:
        await reply_privately(interaction, failure_text(error, store_failed))
    except (discord.HTTPException, discord.InteractionResponded) as e:
        log.warning("could not tell the user that %s failed: %s", what, e)


async def guarded(
    interaction: discord.Interaction,
    work: Callable[[], Awaitable[Any]],
    what: str,
    store_failed: str = STORE_FAILED,
) -> None:
    """Run an interaction's handler; any failure is reported (see report_failure)."""
    try:
        await work()
    except Exception as e:
        await report_failure(interaction, e, what, store_failed)


async def reply_in_time(interaction: discord.Interaction, work: Awaitable[str]) -> None:
    """Reply privately with what ``work`` returns. If it takes longer than ACK_SECONDS (a database
    held by another process), the reply is deferred first, so it can still arrive (Discord allows a
    follow-up for 15 minutes). Errors propagate, to be reported by :func:`guarded`."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=ACK_SECONDS)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    await reply_privately(interaction, await task)


class Guarded:
    """Mixin for our DynamicItems: ``handle`` runs guarded, so a failure always gets a reply.
    (discord.py only logs an exception from a dynamic item's callback.)"""

    what = "a button"

    async def handle(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, lambda: self.handle(interaction), self.what)
