"""/ask, /topics, @mentions and DMs: Discord events in, engine answers out.

AskHandler here is the whole Discord behaviour; AskCog only routes discord.py events to it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord import render
from bot.adapters.discord.render import NO_MENTIONS
from bot.adapters.discord.trivia_cog import TriviaCog
from bot.adapters.discord.views import answer_view
from bot.core.answering import Engine, MultiEngine
from bot.core.asking import AskService
from bot.core.cooldown import Cooldown
from bot.core.courses import CourseLibrary
from bot.core.models import Answer
from bot.core.store import Store

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

PLATFORM = "discord"
QUESTION_MAX = 1000


class AskHandler:
    """What the bot does on Discord's ask events (/ask, /topics, mentions, DMs, answer buttons): asks
    the core's AskService and renders its answer. AskCog routes discord.py's events here."""

    def __init__(
        self,
        bot: commands.Bot,
        settings: Settings,
        engine: Engine | MultiEngine | CourseLibrary,
        store: Store,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.bot = bot
        self.settings = settings
        self.engine = engine
        self.store = store
        self.cooldown = Cooldown(settings.ask_cooldown_seconds, monotonic)
        self.asking = AskService(engine, store, PLATFORM, record_asker_ids=settings.record_asker_ids)
        self.mention_channels = frozenset(settings.discord.mention_channels)

    # ---- the answer itself -----------------------------------------------------------------
    async def answer(
        self, question: str, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> tuple[Answer | None, dict]:
        """The engine's answer and the send() arguments that show it."""
        question = question.strip()[:QUESTION_MAX]
        try:  # a not-covered question is recorded for the teacher (a bounded wait)
            answer = await self.asking.ask(
                question, guild_id=_str(guild_id), channel_id=_str(channel_id), user_id=str(user_id)
            )
        except Exception:
            log.exception("the engine failed on a question")
            return None, {
                "content": "Sorry, something went wrong while answering. Please try again later.",
                "allowed_mentions": NO_MENTIONS,
            }
        suggestions = list(answer.suggestions[: render.MAX_SUGGESTIONS])
        embed = render.answer_embed(answer) if answer.answered else render.not_covered_embed(answer, suggestions)
        kwargs: dict = {"embed": embed, "allowed_mentions": NO_MENTIONS}
        view = answer_view(answer, suggestions)
        if view is not None:
            kwargs["view"] = view
        return answer, kwargs

    # ---- /ask ------------------------------------------------------------------------------
    async def slash_ask(self, interaction: discord.Interaction, question: str) -> None:
        await self._ask_interaction(interaction, question, self.cooldown.try_ask(interaction.user.id))

    async def _ask_interaction(self, interaction: discord.Interaction, question: str, wait: float) -> None:
        """Answer in the channel, or, when the cooldown says ``wait``, tell only the asker."""
        if wait:
            await interaction.response.send_message(
                render.cooldown_text(wait), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        _, kwargs = await self.answer(question, interaction.user.id, interaction.guild_id, interaction.channel_id)
        await interaction.response.send_message(**kwargs)

    async def topics(self, interaction: discord.Interaction) -> None:
        engine = await self.asking.engine_for(_str(interaction.guild_id), _str(interaction.channel_id))  # the channel's course
        course = getattr(engine, "course", None)
        embed = render.topics_embed(getattr(course, "title", "the course"), list(engine.topics()))
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    # ---- @mentions and DMs -----------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if message.guild is not None:
            if me.id not in message.raw_mentions:  # @everyone / role pings are not questions for us
                return
            if self.mention_channels and not self._channel_allowed(message.channel):
                return
            trivia = self.bot.get_cog(TriviaCog.__cog_name__)
            if isinstance(trivia, TriviaCog) and trivia.may_be_round_thread(message) and await trivia.is_trivia_thread(message.channel.id):
                return  # an answer to a free-text trivia round: answering it here would give the answer away
        question = render.without_mention(message.content, me.id)
        wait = self.cooldown.try_ask(message.author.id)
        if wait:
            if self.cooldown.should_notice(message.author.id):
                await _reply(message, content=render.cooldown_text(wait), allowed_mentions=NO_MENTIONS)
            return
        _, kwargs = await self.answer(
            question, message.author.id, message.guild.id if message.guild else None, message.channel.id
        )
        await _reply(message, **kwargs)

    def _channel_allowed(self, channel: Any) -> bool:
        ids = {channel.id, getattr(channel, "parent_id", None)}  # threads follow their parent channel
        return bool(ids & self.mention_channels)

    # ---- buttons ---------------------------------------------------------------------------
    async def feedback(self, interaction: discord.Interaction, helpful: bool, key: str) -> None:
        message = interaction.message
        embed = message.embeds[0] if message and message.embeds else None
        question = render.question_from_footer(embed.footer.text if embed else None)
        fact_id = None if key.startswith("#") else key
        text = "Thanks, noted as helpful." if helpful else "Thanks, noted. The teacher will see it."
        if self.store is not None:
            saved = await self.asking.bounded(  # Discord drops an interaction not answered within 3 s
                self._record_feedback(interaction, helpful, question, fact_id, message.id if message else None)
            )
            if saved is False:
                text = "Sorry, I couldn't save that right now. Please try again later."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _record_feedback(
        self,
        interaction: discord.Interaction,
        helpful: bool,
        question: str,
        fact_id: str | None,
        message_id: int | None,
    ) -> bool:
        try:
            await self.store.record_feedback(
                PLATFORM,
                _str(interaction.guild_id),
                _str(interaction.channel_id),
                str(interaction.user.id),
                question,
                fact_id,
                helpful,
                message_id=_str(message_id),
            )
        except Exception as e:  # the store failing must not cost the student a reply
            log.warning("could not record feedback: %s", e)
            return False
        return True

    async def ask_suggestion(self, interaction: discord.Interaction, n: int, label: str) -> None:
        message = interaction.message
        suggestion = None
        if message and message.embeds:
            suggestion = render.suggestion_from_embed(message.embeds[0], n)
        suggestion = self.asking.full_question(suggestion or label, render.ELLIPSIS)
        if not suggestion:
            await interaction.response.send_message(
                "That suggestion is no longer available.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        # a follow-up to the bot's own offer: not refused by the question that produced it
        await self._ask_interaction(interaction, suggestion, self.cooldown.try_follow_up(interaction.user.id))

async def _reply(message: discord.Message, **kwargs: Any) -> None:
    """Reply without pinging the asker; still post if they deleted their message meanwhile."""
    await message.channel.send(reference=message.to_reference(fail_if_not_exists=False), **kwargs)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


class AskCog(commands.Cog):
    def __init__(self, service: AskHandler):
        self.service = service

    @app_commands.command(name="ask", description="Ask a question about the course")
    @app_commands.describe(question="What you want to know")
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_MAX]) -> None:
        await self.service.slash_ask(interaction, question)

    @app_commands.command(name="topics", description="What the course covers, with example questions")
    async def topics(self, interaction: discord.Interaction) -> None:
        await self.service.topics(interaction)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.service.on_message(message)
