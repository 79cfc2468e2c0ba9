"""Daily trivia on Discord: the scheduler's poster, answer buttons, /trivia, /leaderboard, /mystats.

A thin adapter: rounds, answers, scores and timing live in :mod:`bot.core.trivia` and
:mod:`bot.core.schedule`; this module turns them into messages and routes clicks back.

- Multiple choice: one button per choice, ``cb:tv:<round id>:<choice index>``.
- Free text: the Answer button (``cb:tv:<round id>:a``) opens a private form; that is the way
  to answer. The bot has no message-content intent, so plain messages in the round's thread reach
  it empty and are ignored; a message that @mentions the bot does carry its text, so it is
  recorded too, deleted when the bot may (so nobody copies it) and acknowledged without the
  answer. Answers are never echoed publicly.
- Buttons are DynamicItems matched by custom_id: they keep working after a restart.
- Time comes from an injected clock; the scheduler ticks every 30 s in the background.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.adapters.discord import render, shards
from bot.adapters.discord.guard import Guarded, guarded, reply_in_time, report_failure
from bot.adapters.discord.render import NO_MENTIONS, reply_privately
from bot.adapters.discord.teacher_check import teacher_only
from bot.adapters.discord.trivia_render import question_embed, reveal_embed
from bot.adapters.discord.trivia_replies import WORDS, leaderboard_embed
from bot.core.clock import Clock, SystemClock
from bot.core.errors import ANSWER_NOT_SAVED, ClassbotError
from bot.core.models import Course, TriviaRound
from bot.core.schedule import Scheduler
from bot.core.store import Store, TriviaConfig
from bot.core.trivia import wording
from bot.core.trivia.admin import TriviaAdmin
from bot.core.trivia.reveal import Reveal
from bot.core.trivia.rounds import ALREADY, AnswerOrigin, AnswerResult, RoundQuestion, TriviaService, parse_round_id

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

PLATFORM = "discord"
TICK_SECONDS = 30
ANSWER_MAX = 200
REFUSAL = "Sorry, only teachers can change trivia settings (members with Manage Server, or the server's teacher role)."
GONE = "That trivia question no longer exists."
THREAD_PROMPT = (
    "To answer, click **Answer** on the question above and type it in the form: only you see it. "
    "I cannot read plain messages here, so they do not count. If you @mention me with your answer "
    "instead, I record it and remove your message when I am allowed to, but others may see it first. "
    "Only your first answer counts."
)


# ---------------------------------------------------------------------------------------------
# Rendering (the embeds: trivia_render.py)


def question_view(q: RoundQuestion, *, closed: bool = False, correct_index: int | None = None) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if q.choices:
        for i, choice in enumerate(q.choices):
            button = ChoiceButton(q.round_id, i, choice)
            if closed:
                button.item.disabled = True
                if i == correct_index:
                    button.item.style = discord.ButtonStyle.success
            view.add_item(button)
    else:
        answer = AnswerButton(q.round_id)
        answer.item.disabled = closed
        view.add_item(answer)
    return view


# ---------------------------------------------------------------------------------------------
# Buttons (persistent: matched by custom_id, so they work after a restart)


def _cog(interaction: discord.Interaction) -> TriviaCog | None:
    cog = interaction.client.get_cog(TriviaCog.__cog_name__)  # type: ignore[attr-defined]
    return cog if isinstance(cog, TriviaCog) else None


class ChoiceButton(
    Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"cb:tv:(?P<round>\d{1,40}):(?P<choice>\d{1,2})"
):
    def __init__(self, round_id: int, index: int, label: str = ""):
        super().__init__(
            discord.ui.Button(
                label=render.clip(f"{index + 1}. {label}" if label else str(index + 1), render.BUTTON_LABEL_LIMIT),
                style=discord.ButtonStyle.primary,
                custom_id=f"cb:tv:{round_id}:{index}",
            )
        )
        self.round_id = round_id
        self.index = index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ChoiceButton:
        return cls(parse_round_id(match["round"]) or 0, int(match["choice"]), "")

    what = "a trivia choice"

    async def handle(self, interaction: discord.Interaction) -> Any:
        cog = _cog(interaction)
        if cog is None:
            await reply_privately(interaction, GONE)
            return
        await cog.submit(interaction, self.round_id, self.index)


class AnswerButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"cb:tv:(?P<round>\d{1,40}):a"):
    def __init__(self, round_id: int):
        super().__init__(
            discord.ui.Button(
                label="Answer", emoji="✏️", style=discord.ButtonStyle.primary, custom_id=f"cb:tv:{round_id}:a"
            )
        )
        self.round_id = round_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AnswerButton:
        return cls(parse_round_id(match["round"]) or 0)

    what = "a trivia Answer button"

    async def handle(self, interaction: discord.Interaction) -> Any:
        cog = _cog(interaction)
        if cog is None:
            await reply_privately(interaction, GONE)
            return
        await cog.open_answer_form(interaction, self.round_id)


FORM_PREFIX = "cb:tvm:"
FORM_ID = re.compile(r"cb:tvm:(\d{1,40})")  # the answer form of a round
ANSWER_FIELD = "answer"


def answer_form(round_id: int, question: str) -> discord.ui.Modal:
    """The private form of a free-text round. Its submission is handled by TriviaCog.on_interaction,
    by custom id, like the persistent buttons: any number of students at once, after a restart too."""
    form = discord.ui.Modal(title="Daily trivia", custom_id=f"{FORM_PREFIX}{round_id}", timeout=None)
    form.add_item(
        discord.ui.TextInput(
            label=render.clip(question, 45) or "Your answer",
            placeholder="Your answer",
            custom_id=ANSWER_FIELD,
            max_length=ANSWER_MAX,
        )
    )
    # discord.py keeps one open Modal per custom id and drops it on the first submit, so a second
    # student's submission (or one after a restart) would find nothing. A stopped modal is not kept:
    # every submission then reaches on_interaction.
    form.stop()
    return form


def submitted_value(data: Any, custom_id: str) -> str | None:
    """The value of a text input in a submitted form (inside action rows or labels)."""
    if isinstance(data, dict):
        if data.get("custom_id") == custom_id and "value" in data:
            return str(data.get("value") or "")
        children = [*(data.get("components") or []), data.get("component")]
        for child in children:
            found = submitted_value(child, custom_id)
            if found is not None:
                return found
    elif isinstance(data, list):
        for child in data:
            found = submitted_value(child, custom_id)
            if found is not None:
                return found
    return None


TRIVIA_ITEMS = (ChoiceButton, AnswerButton)


# ---------------------------------------------------------------------------------------------
# The cog


class TriviaCog(commands.Cog, name="Trivia"):
    """Posts and reveals rounds (Scheduler callbacks) and answers the trivia commands and buttons."""

    trivia = app_commands.Group(name="trivia", description="Daily trivia", guild_only=True)

    def __init__(
        self,
        bot: commands.Bot,
        settings: Settings,
        store: Store,
        course: Course | None,
        clock: Clock | None = None,
    ):
        from bot.core.courses import as_library

        self.bot = bot
        self.settings = settings
        self.store = store
        self.clock = clock or SystemClock()
        self.service: TriviaService | None = None
        self.ticked = asyncio.Event()  # set once the background scheduler has run its first pass
        self.scheduler: Scheduler | None = None
        library = as_library(getattr(bot, "library", None))  # several courses: trivia if any has some
        if course is not None and (course.trivia_items or (library and library.has_trivia())) and store is not None:
            self.service = TriviaService(store, course, settings.trivia, self.clock, library)
            self.scheduler = Scheduler(
                store, self.service, PLATFORM, self.post_question, self.post_reveal, clock=self.clock,
                owns=shards.owner(settings.discord),  # only the guilds of this process's shards
            )
        self.admin = TriviaAdmin(store, PLATFORM, self.service, self.clock)

    async def cog_load(self) -> None:
        if self.scheduler is not None:
            self.ticker.change_interval(seconds=self.settings.scheduler_tick_seconds)
            self.ticker.start()

    async def cog_unload(self) -> None:
        self.ticker.cancel()

    # ---- the scheduler ---------------------------------------------------------------------
    @tasks.loop(seconds=TICK_SECONDS)
    async def ticker(self) -> None:
        if self.scheduler is None:
            return
        try:
            await self.scheduler.tick()
        except Exception:  # a bad tick must not stop the loop: the next one tries again
            log.exception("trivia scheduler tick failed")
        finally:
            self.ticked.set()

    @ticker.before_loop
    async def _before_ticker(self) -> None:
        await self.bot.wait_until_ready()

    async def _channel(self, channel_id: str | int) -> Any:
        channel = self.bot.get_channel(int(channel_id))
        if channel is None:
            channel = await self.bot.fetch_channel(int(channel_id))
        return channel

    async def post_question(self, config: TriviaConfig | None, trivia_round: Any, question: RoundQuestion) -> str:
        """Send a round's question in its channel; returns the message id. (Scheduler callback.)"""
        channel = await self._channel(trivia_round.channel_id)
        message = await channel.send(
            embed=question_embed(question), view=question_view(question), allowed_mentions=NO_MENTIONS
        )
        if question.free_text:
            try:
                thread = await message.create_thread(name="Trivia answers", auto_archive_duration=1440)
                await thread.send(THREAD_PROMPT, allowed_mentions=NO_MENTIONS)
            except (discord.HTTPException, ValueError) as e:  # the button still works
                log.warning("could not open a thread for trivia round %s: %s", trivia_round.id, e)
        return str(message.id)

    async def post_reveal(self, reveal: Reveal) -> None:
        """Reply to the question with the answer; the question's buttons are disabled. (Scheduler callback.)"""
        r = reveal.round
        channel = await self._channel(r.channel_id)
        kwargs: dict[str, Any] = {"embed": reveal_embed(reveal), "allowed_mentions": NO_MENTIONS}
        if r.message_id:
            kwargs["reference"] = discord.MessageReference(
                message_id=int(r.message_id), channel_id=int(r.channel_id), fail_if_not_exists=False
            )
        await channel.send(**kwargs)
        if r.message_id and self.service is not None:
            question = self.service.question(r)
            try:
                await channel.get_partial_message(int(r.message_id)).edit(
                    embed=question_embed(question, closed=True),
                    view=question_view(question, closed=True, correct_index=reveal.correct_index),
                    allowed_mentions=NO_MENTIONS,
                )
            except discord.HTTPException as e:  # cosmetic: the reveal itself went out
                log.warning("could not close trivia message %s: %s", r.message_id, e)

    async def send_question(self, trivia_round: TriviaRound, question: RoundQuestion) -> str:
        """post_question for a teacher's /trivia now (no scheduled config)."""
        return await self.post_question(None, trivia_round, question)

    # ---- answers ---------------------------------------------------------------------------
    @staticmethod
    def origin(interaction: discord.Interaction) -> AnswerOrigin:
        """Where Discord says the click came from (never what the button's id says)."""
        return AnswerOrigin(str(interaction.guild_id or ""), str(interaction.channel_id or ""))

    async def submit(self, interaction: discord.Interaction, round_id: int, given: str | int) -> None:
        """A clicked choice (its index) or a typed answer, acknowledged privately."""
        if self.service is None:
            await reply_privately(interaction, GONE)
            return
        service = self.service

        async def record() -> str:
            result = await service.submit_answer(round_id, str(interaction.user.id), given, self.origin(interaction))
            return result.message

        try:
            await reply_in_time(interaction, record())
        except Exception as e:
            await report_failure(interaction, e, f"a trivia answer to round {round_id}", ANSWER_NOT_SAVED)

    async def open_answer_form(self, interaction: discord.Interaction, round_id: int) -> None:
        """The Answer button: the form, if the round is this channel's, still open and not yet answered."""
        if self.service is None:
            await reply_privately(interaction, GONE)
            return
        trivia_round, refused = await self.service.answerable_round(round_id, self.origin(interaction))
        if trivia_round is None:
            await reply_privately(interaction, refused.message if refused else GONE)
            return
        if await self.store.get_answer(round_id, str(interaction.user.id)) is not None:
            await reply_privately(interaction, ALREADY)
            return
        await interaction.response.send_modal(answer_form(round_id, self.service.question(trivia_round).question))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A submitted answer form, whichever process opened it (see answer_form)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Any = interaction.data or {}
        m = FORM_ID.fullmatch(str(data.get("custom_id") or ""))
        if m is None:
            return
        round_id = parse_round_id(m[1]) or 0
        given = (submitted_value(data.get("components"), ANSWER_FIELD) or "")[:ANSWER_MAX]
        await guarded(interaction, lambda: self.submit(interaction, round_id, given), "a trivia answer form", ANSWER_NOT_SAVED)

    async def is_trivia_thread(self, channel_id: int) -> bool:
        """Whether a channel is the answer thread of a free-text round (Q&A should stay out of it)."""
        return await self._free_text_round(channel_id) is not None

    async def _free_text_round(self, channel_id: int) -> TriviaRound | None:
        """The free-text round whose thread this is (a thread started on a post has the post's id)."""
        trivia_round = await self.store.get_round_by_message(PLATFORM, str(channel_id)) if self.service else None
        return trivia_round if trivia_round is not None and not trivia_round.choices else None

    @staticmethod
    def may_be_round_thread(message: discord.Message) -> bool:
        """Cheap test before asking the store: only a thread can be a round's answer thread."""
        channel = message.channel
        return isinstance(channel, (discord.Thread, discord.PartialMessageable)) and channel.id != message.id

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """An @mention of the bot with an answer in a free-text round's thread (a thread started on a
        post has the post's id). Without the message-content intent, other messages arrive empty."""
        me = self.bot.user
        if self.service is None or me is None or message.guild is None or message.author.bot:
            return
        if not self.may_be_round_thread(message) or not any(u.id == me.id for u in message.mentions):
            return  # not addressed to the bot: its text never reaches us (no message-content intent)
        given = render.without_mention(message.content, me.id)
        if not given:
            return
        channel = message.channel
        trivia_round = await self._free_text_round(channel.id)
        if trivia_round is None:
            return
        parent = getattr(channel, "parent_id", None)  # the round's channel, when Discord says which
        origin = AnswerOrigin(str(message.guild.id), str(parent) if parent else None)
        try:
            result = await self.service.submit_answer(
                int(trivia_round.id or 0), str(message.author.id), given[:ANSWER_MAX], origin
            )
        except ClassbotError as e:
            log.error("could not record a trivia answer in thread %s: %s", channel.id, e, exc_info=e)
            result = AnswerResult(False, "error", ANSWER_NOT_SAVED)
        try:
            await message.delete()  # never leave an answer for others to copy
            note = f"<@{message.author.id}>: {result.message}"
            await channel.send(render.clip(note, render.MESSAGE_LIMIT), allowed_mentions=NO_MENTIONS, delete_after=60)
        except discord.HTTPException:  # cannot delete (no Manage Messages): acknowledge quietly
            emoji = "✅" if result.counted else ("🔁" if result.status == "already_answered" else "⚠️")
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as e:
                log.warning("could not acknowledge a trivia answer: %s", e)

    # ---- /trivia (teachers) ----------------------------------------------------------------
    async def _teacher_only(self, interaction: discord.Interaction) -> bool:
        return await teacher_only(interaction, self.settings.discord.teacher_role, REFUSAL)

    @trivia.command(name="now", description="Post a trivia question now (teachers)")
    @app_commands.describe(channel="Where to post (default: the trivia channel, or this one)")
    async def trivia_now(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        if not await self._teacher_only(interaction):
            return
        if not self.admin.has_items:  # answered at once: nothing slow to wait for
            await reply_privately(interaction, WORDS.no_trivia)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.admin.post_now(
            str(interaction.guild_id or 0),
            self.send_question,
            channel_id=str(channel.id) if channel is not None else None,
            current_channel=str(interaction.channel_id or 0),
        )
        await interaction.followup.send(wording.posted_now(WORDS, result), ephemeral=True, allowed_mentions=NO_MENTIONS)

    @trivia.command(name="schedule", description="Post a trivia question every day (teachers)")
    @app_commands.describe(
        channel="Where to post",
        time="Local time, HH:MM (24-hour), e.g. 09:00",
        timezone="IANA timezone, e.g. Europe/Paris or America/New_York",
        free_text="Students type the answer instead of picking a choice",
    )
    async def trivia_schedule(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str = "UTC",
        free_text: bool = False,
    ) -> None:
        if not await self._teacher_only(interaction):
            return
        result = await self.admin.schedule(
            str(interaction.guild_id), str(channel.id), time, timezone, free_text=free_text
        )
        await reply_privately(interaction, wording.scheduled(WORDS, result))

    @trivia_schedule.autocomplete("timezone")
    async def _timezone_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        needle = current.strip().lower().replace(" ", "_")
        names = sorted(z for z in available_timezones() if needle in z.lower())
        return [app_commands.Choice(name=z, value=z) for z in names[:25]]

    @trivia.command(name="off", description="Stop the daily trivia (teachers)")
    async def trivia_off(self, interaction: discord.Interaction) -> None:
        if not await self._teacher_only(interaction):
            return
        await reply_privately(interaction, wording.turned_off(WORDS, await self.admin.turn_off(str(interaction.guild_id))))

    @trivia.command(name="settings", description="Show the daily trivia settings (teachers)")
    async def trivia_settings(self, interaction: discord.Interaction) -> None:
        if not await self._teacher_only(interaction):
            return
        await reply_privately(interaction, wording.status(WORDS, await self.admin.status(str(interaction.guild_id))))

    # ---- everyone --------------------------------------------------------------------------
    @trivia.command(name="optout", description="Leave (or rejoin) the trivia leaderboard")
    @app_commands.describe(optout="True: hide me from the leaderboard; False: show me again")
    async def trivia_optout(self, interaction: discord.Interaction, optout: bool = True) -> None:
        result = await self.admin.set_optout(str(interaction.guild_id), str(interaction.user.id), optout)
        await reply_privately(interaction, wording.opted_out(WORDS, result))

    @app_commands.command(name="leaderboard", description="Trivia points: this week or all time")
    @app_commands.describe(period="week (default) or all time")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction, period: Literal["week", "all"] = "week") -> None:
        board = await self.admin.leaderboard(str(interaction.guild_id), period)
        if not board.rows:
            await reply_privately(interaction, wording.no_points(WORDS, board))
            return
        await interaction.response.send_message(
            embed=leaderboard_embed(board), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(name="mystats", description="Your trivia points, streak and rank")
    @app_commands.guild_only()
    async def mystats(self, interaction: discord.Interaction) -> None:
        stats = await self.admin.my_stats(str(interaction.guild_id), str(interaction.user.id))
        await reply_privately(interaction, wording.stats(WORDS, stats))


__all__ = [
    "AnswerButton",
    "ChoiceButton",
    "TRIVIA_ITEMS",
    "TriviaCog",
    "question_embed",
    "question_view",
    "reveal_embed",
]
