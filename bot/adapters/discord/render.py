"""Answers, topics and notices as Discord embeds: short, phone-friendly, within Discord's limits.

Text from students (the question) is escaped before it goes anywhere Discord renders markdown or
mentions; course text (answers, quotes) is the teacher's and is shown as written.
"""

from __future__ import annotations

import re

import discord

from bot.core.models import Answer, Topic

# Discord's limits
MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_FIELDS_MAX = 25
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

# Our own budgets, so a whole embed stays well under Discord's 6,000-character total
ANSWER_BUDGET = 1500
QUOTE_BUDGET = 1800
MAX_SUGGESTIONS = 5

NO_MENTIONS = discord.AllowedMentions.none()  # on every message the bot sends
ELLIPSIS = "…"
QUESTION_PREFIX = "Q: "
_SPACE = re.compile(r"\s+")


def clip(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary, ending with ``ellipsis``.

    A single word longer than the whole budget is cut mid-word (there is no better place).
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[:limit]
    room = limit - len(ellipsis)
    head = text[: room + 1]  # one extra character: is the cut right at a word end?
    if head[-1].isspace():
        cut = head.rstrip()
    else:
        space = max(head.rfind(" "), head.rfind("\n"))
        cut = head[:space].rstrip() if space > room // 3 else text[:room]
    cut = cut.rstrip(" ,;:-–—")
    return cut + ellipsis


def without_mention(content: str, bot_id: int) -> str:
    """A message's text with the bot's own @mention taken out."""
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()


# Every character that starts or ends a Discord markdown construct anywhere in a line: emphasis
# (* _ ~ |), code (`), masked links ([ ]), <...> forms (mentions, channels, commands, timestamps,
# emoji, <url>), @everyone/@here, and the backslash itself. Escaped once, with a backslash.
_INLINE_MARKUP = re.compile(r"[\\*_~|`\[\]<>@]")
_URL_SCHEME = re.compile(r"(?<=\w):(?=//)")  # "https://": Discord links bare URLs
_LINE_START_MARKUP = re.compile(r"^([#\-+])")  # headings, subtext (-#), lists (> and * are escaped above)
_LINE_START_NUMBER = re.compile(r"^(\d+)([.)])")  # "1. " lists: a backslash before a digit is no escape


def escape_user_text(text: str) -> str:
    """A student's text made inert for Discord markdown: one line, every construct escaped once.

    The result shows exactly the (whitespace-folded) text: no link, mention, formatting,
    heading, quote or list can come out of it, whatever it is wrapped in (``**…**``).
    Clip *before* escaping: a cut between a backslash and its character would undo it.
    """
    text = _SPACE.sub(" ", text).strip()
    text = _INLINE_MARKUP.sub(lambda m: "\\" + m.group(), text)
    text = _URL_SCHEME.sub(r"\:", text)
    text = _LINE_START_MARKUP.sub(r"\\\1", text)
    return _LINE_START_NUMBER.sub(r"\1\\\2", text)


def block_quote(text: str, limit: int) -> str:
    """``text`` as a Discord block quote of at most ``limit`` characters, never cut mid-word."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()] or [""]
    # every line costs "> " plus its newline; reserve that before clipping the words
    overhead = 3 * len(lines)
    body = clip("\n".join(lines), max(limit - overhead, 1))
    return "\n".join(f"> {ln}" for ln in body.split("\n"))


def question_footer(question: str) -> str:
    """The question, for the embed footer (plain text there: no markdown, mentions never resolve)."""
    return clip(QUESTION_PREFIX + discord.utils.escape_mentions(_SPACE.sub(" ", question).strip()), EMBED_FOOTER_LIMIT)


def question_from_footer(footer: str | None) -> str:
    """Undo question_footer (best effort: a clipped question stays clipped)."""
    text = (footer or "").removeprefix(QUESTION_PREFIX)
    return text.replace("@\u200b", "@")


def answer_embed(answer: Answer) -> discord.Embed:
    """An answered question: the short answer, the quote, where it comes from, a hint when weak."""
    citation = answer.citations[0] if answer.citations else None
    quote = citation.quote.strip() if citation is not None and citation.quote else ""
    parts: list[str] = []
    if answer.text and not answer.quotes_itself:  # passage answers: the text is the quote itself
        parts.append(clip(answer.text.strip(), ANSWER_BUDGET))
    if quote:
        parts.append(block_quote(quote, QUOTE_BUDGET))
    embed = discord.Embed(
        description=clip("\n\n".join(parts), EMBED_DESCRIPTION_LIMIT), colour=discord.Colour.blurple()
    )
    if citation is not None:
        where = f"**{clip(citation.source_title, 300)}**\n{clip(citation.location, 600)}"
        if citation.url:
            where += f"\n{clip(citation.url, 100)}"
        embed.add_field(name="Source", value=clip(where, EMBED_FIELD_LIMIT), inline=False)
    if answer.weak:
        embed.add_field(
            name="Not sure this is what you asked",
            value=f"This is a weak match ({round(answer.confidence * 100)}%). Check the quoted passage, "
            "or ask again in other words.",
            inline=False,
        )
        embed.colour = discord.Colour.gold()
    embed.set_footer(text=question_footer(answer.question))
    return embed


def not_covered_embed(answer: Answer, suggestions: list[str]) -> discord.Embed:
    """The course does not cover it: say so plainly, list what to ask instead (buttons below)."""
    notice = answer.notice or "The course notes don't cover that, so I can't answer it from them."
    lines = [clip(notice.strip(), 1000)]
    if answer.question.strip():
        lines.insert(0, f"**{escape_user_text(clip(_SPACE.sub(' ', answer.question).strip(), 500))}**")
    title = "Not covered in this course" if answer.question.strip() else "Ask me about the course"
    embed = discord.Embed(title=title, description="\n\n".join(lines), colour=discord.Colour.light_grey())
    if suggestions:
        value = "\n".join(f"{i}. {clip(s, 180)}" for i, s in enumerate(suggestions, 1))
        embed.add_field(name="Questions I can answer", value=clip(value, EMBED_FIELD_LIMIT), inline=False)
    embed.set_footer(text=question_footer(answer.question))
    return embed


def suggestion_from_embed(embed: discord.Embed, n: int) -> str | None:
    """The n-th (1-based) suggestion listed in a not-covered embed."""
    for f in embed.fields:
        if f.name == "Questions I can answer":
            for line in (f.value or "").splitlines():
                number, _, text = line.partition(". ")
                if number == str(n) and text:
                    return text
    return None


def topics_embed(course_title: str, topics: list[Topic], examples_per_topic: int = 3) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"What {course_title} covers", EMBED_TITLE_LIMIT),
        description="Ask with `/ask`, by mentioning me, or in a direct message.",
        colour=discord.Colour.blurple(),
    )
    shown = topics[:EMBED_FIELDS_MAX]
    for t in shown:
        name = clip(f"{t.title} ({t.fact_count})", EMBED_FIELD_NAME_LIMIT)
        examples = [f"• {clip(q, 200)}" for q in t.examples[:examples_per_topic]]
        embed.add_field(name=name, value=clip("\n".join(examples) or "—", EMBED_FIELD_LIMIT), inline=False)
    if not topics:
        embed.description = "This course has no topics yet."
    elif len(topics) > len(shown):
        embed.set_footer(text=f"…and {len(topics) - len(shown)} more topics.")
    return embed


def cooldown_text(remaining: float) -> str:
    seconds = max(1, round(remaining + 0.49))
    return f"One question at a time, please: you can ask again in {seconds} s."


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral reply, or an ephemeral follow-up when the interaction was already answered."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
