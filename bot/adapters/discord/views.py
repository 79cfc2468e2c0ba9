"""Buttons under answers. Persistent: they are matched by custom_id, so they keep working after a restart.

- ``cb:fb:1:<key>`` / ``cb:fb:0:<key>``: helpful / not helpful; key is the fact id, or ``#<hash>`` of the
  question for answers without a fact (or with an id too long for Discord's 100-character custom_id).
- ``cb:ask:<n>``: ask the n-th suggestion listed in the message's embed (suggestions can be longer than
  a custom_id allows, so the id only says which one).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Protocol, cast

import discord

from bot.adapters.discord import render
from bot.adapters.discord.guard import Guarded
from bot.core.models import Answer


class ButtonHandler(Protocol):
    """What the buttons under an answer call: the bot's ask handler (ClassBot.service, an
    ask_cog.AskHandler). Named by its shape, so this module imports neither the bot nor the cog."""

    async def feedback(self, interaction: discord.Interaction, helpful: bool, key: str) -> None: ...

    async def ask_suggestion(self, interaction: discord.Interaction, n: int, label: str) -> None: ...


def handler_of(interaction: discord.Interaction) -> ButtonHandler:
    return cast(ButtonHandler, interaction.client.service)  # type: ignore[attr-defined]

_FACT_ID = re.compile(r"[A-Za-z0-9_.\-/]{1,80}")


def feedback_key(answer: Answer) -> str:
    if answer.fact_id and _FACT_ID.fullmatch(answer.fact_id):
        return answer.fact_id
    return "#" + hashlib.sha1(answer.question.encode()).hexdigest()[:16]


class FeedbackButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"cb:fb:(?P<helpful>[01]):(?P<key>.{1,90})"):
    def __init__(self, helpful: bool, key: str):
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"cb:fb:{int(helpful)}:{key}",
            )
        )
        self.helpful = helpful
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["helpful"] == "1", match["key"])

    what = "a feedback button"

    async def handle(self, interaction: discord.Interaction) -> Any:
        await handler_of(interaction).feedback(interaction, self.helpful, self.key)


class AskButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=r"cb:ask:(?P<n>\d{1,2})"):
    def __init__(self, n: int, label: str):
        super().__init__(
            discord.ui.Button(
                label=render.clip(label, render.BUTTON_LABEL_LIMIT) or f"Suggestion {n}",
                style=discord.ButtonStyle.primary,
                custom_id=f"cb:ask:{n}",
            )
        )
        self.n = n

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AskButton:
        return cls(int(match["n"]), getattr(item, "label", None) or "")

    what = "a suggestion button"

    async def handle(self, interaction: discord.Interaction) -> Any:
        await handler_of(interaction).ask_suggestion(interaction, self.n, self.item.label or "")


def answer_view(answer: Answer, suggestions: list[str]) -> discord.ui.View | None:
    """Feedback buttons under an answer; suggestion buttons under a not-covered reply."""
    view = discord.ui.View(timeout=None)
    if answer.answered:
        key = feedback_key(answer)
        view.add_item(FeedbackButton(True, key))
        view.add_item(FeedbackButton(False, key))
    else:
        for n, suggestion in enumerate(suggestions, 1):
            view.add_item(AskButton(n, suggestion))
    return view if view.children else None


DYNAMIC_ITEMS = (FeedbackButton, AskButton)
