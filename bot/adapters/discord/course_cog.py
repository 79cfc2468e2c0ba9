"""/course on Discord: show the channel's course, bind a course (teachers), reload courses (teachers).

Parsing and rendering only: bot.core.coursecommands does the work, and the teacher rule is the
one of the /trivia settings (Manage Server, or the configured teacher role).
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.render import NO_MENTIONS
from bot.adapters.discord.teacher_check import teacher_only
from bot.config import Settings
from bot.core.coursecommands import DEFAULT, CourseCommands, choice_text, reload_text, set_text
from bot.core.courses import CourseLibrary
from bot.core.store import Store

log = logging.getLogger(__name__)

PLATFORM = "discord"
REFUSAL = "Sorry, only teachers can change the course (members with Manage Server, or the server's teacher role)."


class CourseCog(commands.Cog, name="Courses"):
    course = app_commands.Group(name="course", description="Which course the bot answers from", guild_only=True)

    def __init__(self, settings: Settings, library: CourseLibrary, store: Store):
        self.settings = settings
        self.library = library
        self.commands = CourseCommands(library, store, PLATFORM)

    async def _teacher_only(self, interaction: discord.Interaction) -> bool:
        return await teacher_only(interaction, self.settings.discord.teacher_role, REFUSAL)

    @course.command(name="show", description="The course used in this channel, and the courses there are")
    async def course_show(self, interaction: discord.Interaction) -> None:
        choice = await self.commands.show(_str(interaction.guild_id), _str(interaction.channel_id))
        await interaction.response.send_message(choice_text(choice), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @course.command(name="set", description="Use a course in a channel, or in the whole server (teachers)")
    @app_commands.describe(course="The course (or 'default' to remove the setting)",
                           channel="Only this channel (default: the whole server)")
    async def course_set(
        self, interaction: discord.Interaction, course: app_commands.Range[str, 1, 100], channel: discord.TextChannel | None = None
    ) -> None:
        if not await self._teacher_only(interaction):
            return
        channel_id = _str(channel.id) if channel is not None else None
        done = await self.commands.set(_str(interaction.guild_id), channel_id, course, str(interaction.user.id))
        where = f"<#{channel.id}>" if channel is not None else "the whole server"
        await interaction.response.send_message(set_text(done, where), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @course_set.autocomplete("course")
    async def _course_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        wanted = current.strip().lower()
        options = [(f"{c.title} ({c.id})", c.id) for c in self.library.infos()] + [("Back to the default", DEFAULT)]
        return [app_commands.Choice(name=n[:100], value=v) for n, v in options if wanted in n.lower()][:25]

    @course.command(name="reload", description="Read the course files again now (teachers)")
    @app_commands.describe(course="Only this course (default: every course)")
    async def course_reload(self, interaction: discord.Interaction, course: str | None = None) -> None:
        if not await self._teacher_only(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # indexing a course takes a moment
        results = await self.commands.reload(course)
        await interaction.followup.send(reload_text(results), ephemeral=True, allowed_mentions=NO_MENTIONS)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


__all__ = ["CourseCog", "REFUSAL"]
