"""The embeds of daily trivia on Discord: the question as posted (and as shown once closed) and the
reveal. The buttons that go with a question are in ``trivia_cog.py`` (they route clicks back)."""

from __future__ import annotations

import discord

from bot.adapters.discord import render
from bot.core.trivia.reveal import Reveal
from bot.core.trivia.rounds import RoundQuestion


def _closes(closes_at: float) -> str:
    return f"Closes <t:{int(closes_at)}:R>."


def question_embed(q: RoundQuestion, *, closed: bool = False) -> discord.Embed:
    lines = [f"**{render.clip(q.question, 1000)}**"]
    if q.choices:
        lines.append("")
        lines.extend(f"**{i + 1}.** {render.clip(c, 300)}" for i, c in enumerate(q.choices))
    lines.append("")
    if closed:
        lines.append("Closed: the answer is in the reply below.")
    elif q.choices:
        lines.append(
            "Click your answer: only you see your choice, and only your first click counts. " + _closes(q.closes_at)
        )
    else:
        lines.append("Click **Answer** and type it: only you see it. Only your first answer counts. " + _closes(q.closes_at))
    embed = discord.Embed(title="🧠 Daily trivia", description="\n".join(lines), colour=discord.Colour.blurple())
    return embed


def reveal_embed(reveal: Reveal) -> discord.Embed:
    """The answer, its cited passage and how the class did. Never names anyone."""
    parts = [f"**{render.clip(reveal.question, 500)}**", "", f"✅ The answer: **{render.clip(reveal.answer, 500)}**"]
    c = reveal.citation
    if c is not None:
        parts += ["", render.block_quote(c.quote, render.QUOTE_BUDGET), f"— {render.clip(c.reference, 300)}"]
    parts += ["", reveal.summary()]
    embed = discord.Embed(title="Trivia answer", description="\n".join(parts), colour=discord.Colour.green())
    if c is not None and c.url:
        embed.url = c.url
    return embed
