"""The teacher's and the student's own commands on Discord: /report (teachers) and /forgetme (everyone).

Parsing and rendering only: bot.core.chatreport builds the report of the channel's course,
bot.core.forgetme says what a student's data is and deletes it; the teacher rule is the one of the
/trivia settings (Manage Server, or the configured teacher role).

- /report [weeks]: deferred privately (a report and its chart take a moment), then one private
  follow-up: the report as an embed with the chart (PNG) attached as its image.
- /forgetme: a private message with what would be deleted and two buttons,
  ``cb:fm:y:<student id>`` (delete) and ``cb:fm:n:<student id>`` (cancel). They are DynamicItems
  (they work after a restart); a click by anyone but that student deletes nothing.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.guard import Guarded
from bot.adapters.discord.render import NO_MENTIONS, reply_privately
from bot.adapters.discord.report import CHART_NAME, report_embed
from bot.adapters.discord.teacher_check import is_teacher
from bot.config import Settings
from bot.core.answering import Engine, MultiEngine
from bot.core.chatreport import channel_report
from bot.core.clock import Clock, SystemClock
from bot.core.courses import CourseLibrary
from bot.core.forgetme import CANCEL_LABEL, CONFIRM_LABEL, ForgetMe
from bot.core.reports import MAX_WEEKS, WEEKS, Report
from bot.core.store import Store

log = logging.getLogger(__name__)

PLATFORM = "discord"
REFUSAL = "Sorry, only teachers can see the class report (members with Manage Server, or the server's teacher role)."
NO_CHART = "(The chart could not be drawn this time; the figures above are complete.)"
GONE = "This button no longer works: run /forgetme again."


class TeacherCog(commands.Cog, name="Teacher"):
    def __init__(self, bot: commands.Bot, settings: Settings, engine: Engine | MultiEngine | CourseLibrary, store: Store,
                 clock: Clock | None = None):
        self.bot = bot
        self.settings = settings
        self.engine = engine  # an Engine, or a CourseLibrary (the channel's bound course)
        self.store = store
        self.clock = clock or SystemClock()
        self.forgetme = ForgetMe(store, PLATFORM)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ForgetButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ForgetButton)

    @app_commands.command(name="report", description="This week's report on the class, with a chart (teachers; only you see it)")
    @app_commands.guild_only()
    @app_commands.describe(weeks=f"Weeks of history in the chart and the hardest items (default {WEEKS})")
    async def report(self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, MAX_WEEKS] | None = None) -> None:
        if not is_teacher(interaction, self.settings.discord.teacher_role):
            await reply_privately(interaction, REFUSAL)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await channel_report(self.store, self.engine, PLATFORM, _str(interaction.guild_id),
                                      _str(interaction.channel_id), self.clock.now(), weeks or WEEKS)
        png = await _chart(report)
        embed = report_embed(report, chart=png is not None)
        kwargs: dict[str, Any] = {"embed": embed, "ephemeral": True, "allowed_mentions": NO_MENTIONS}
        if png is not None:
            kwargs["file"] = discord.File(io.BytesIO(png), filename=CHART_NAME, description="Participation and accuracy per unit")
        else:
            kwargs["content"] = NO_CHART
        await interaction.followup.send(**kwargs)

    @app_commands.command(name="forgetme", description="See what the bot keeps about you here, and delete it")
    @app_commands.guild_only()
    async def forgetme_command(self, interaction: discord.Interaction) -> None:
        user = str(interaction.user.id)
        preview = await self.forgetme.preview(_str(interaction.guild_id), user)
        if preview.empty:
            await reply_privately(interaction, preview.text)
            return
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(True, user))
        view.add_item(ForgetButton(False, user))
        await interaction.response.send_message(preview.text, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def answer_click(self, interaction: discord.Interaction, confirm: bool, owner: str) -> None:
        clicker = str(interaction.user.id)
        if confirm:
            outcome = await self.forgetme.confirm(_str(interaction.guild_id), owner, clicker)
        else:
            outcome = self.forgetme.cancel(owner, clicker)
        if not outcome.done:  # someone else's click: answered apart, the student's message stays
            await reply_privately(interaction, outcome.text)
            return
        await interaction.response.edit_message(content=outcome.text, view=None, allowed_mentions=NO_MENTIONS)


async def _chart(report: Report) -> bytes | None:
    """The report's chart as PNG, drawn in a worker thread; None (logged) when it cannot be drawn."""
    from bot.charts import report_chart

    try:
        return await asyncio.to_thread(report_chart, report)
    except Exception:
        log.exception("could not draw the report chart")
        return None


class ForgetButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"cb:fm:(?P<choice>[yn]):(?P<user>\d{1,20})"):
    def __init__(self, confirm: bool, user_id: str):
        super().__init__(
            discord.ui.Button(
                label=CONFIRM_LABEL if confirm else CANCEL_LABEL,
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"cb:fm:{'y' if confirm else 'n'}:{user_id}",
            )
        )
        self.confirm = confirm
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ForgetButton:
        return cls(match["choice"] == "y", match["user"])

    what = "a /forgetme button"

    async def handle(self, interaction: discord.Interaction) -> Any:
        cog = interaction.client.get_cog(TeacherCog.__cog_name__)  # type: ignore[attr-defined]
        if not isinstance(cog, TeacherCog):
            await reply_privately(interaction, GONE)
            return
        await cog.answer_click(interaction, self.confirm, self.user_id)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


__all__ = ["ForgetButton", "NO_CHART", "REFUSAL", "TeacherCog"]
