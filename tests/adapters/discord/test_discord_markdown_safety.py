"""Student text can never become live Discord markdown: no masked link, mention, formatting breakout.

The payloads checked are the ones the real discord.py client sent to the fake Discord, parsed with
a Discord-flavoured markdown parser (tests/discord_markdown.py).
"""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord import render
from bot.adapters.discord.app import build_bot
from bot.config import DiscordSettings, Settings
from bot.core.answering import Engine
from bot.core.knowledge import load_course
from bot.core.models import Answer
from bot.store import open_store
from tests.discord_markdown import Node, live_nodes, parse
from tests.fakes import write_course
from tests.fakes.discord_server import (
    GUILD_ID,
    FakeDiscord,
    restore_discord_endpoints,  # noqa: F401 (autouse fixture)
)

HOSTILE = [
    "[Free answers here](https://evil.example/phish)",
    "https://evil.example/a**b**c",
    "**bold** and *it* and __u__ ~~s~~ ||spoiler|| `code`",
    "```py\nprint('hi')\n```",
    "# Heading",
    "-# subtext",
    "> quoted\n>>> all quoted",
    "1. first",
    "- item",
    "@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678>",
    "<#300000000000000001> </ask:700000000000000000> <t:1700000000:R> <:pog:123456789012345678>",
    "<https://evil.example> and a trailing backslash \\",
    "\\[still a link](https://evil.example)",
    "\\\\[two](https://evil.example)",
    "*[x](https://evil.example)*",
]

# Pieces that build Discord constructs; hypothesis strings them together in any order.
DANGEROUS = [
    "*", "**", "_", "__", "~~", "||", "`", "```", "[", "]", "(", ")", "](", "<", ">", "@", "#", ":", "/",
    "\\", "-", "+", ".", "1.", "!", "&", "everyone", "here", "https://", "evil.example", "<@", "<@&",
    "<#", "</", "<t:", "<:", "<a:", "123456789012345678", "> ", ">>> ", "# ", "-# ", "- ", " ", "\n", "a", "é",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(DANGEROUS), min_size=1, max_size=30).map("".join)


def shown(question: str, limit: int = 500) -> str:
    """What a reader should see of a question: whitespace folded, clipped."""
    return render.clip(re.sub(r"\s+", " ", question).strip(), limit)


def assert_inert_question_line(description: str, question: str) -> None:
    """The description's first block is the question in bold, and nothing inside it is live."""
    blocks = parse(description)
    first = blocks[0]
    assert first.kind == "paragraph", blocks
    assert [n.kind for n in first.children] == ["strong"], first.children
    inside = first.children[0].children
    assert all(n.kind == "text" for n in inside), [n for n in inside if n.kind != "text"]
    assert "".join(n.text for n in inside) == shown(question)
    # the rest of the description is the bot's own text: no link or mention anywhere
    assert not [n for n in live_nodes(blocks) if n.kind in ("link", "mention")]


# ---- the parser finds what Discord would make live ---------------------------------------------


def test_the_parser_sees_the_masked_link_the_double_escape_made_live():
    old = "**\\\\[Free answers here\\](https://evil.example/phish)**"  # what the bot used to send
    links = [n for n in live_nodes(parse(old)) if n.kind == "link"]
    assert links and links[0].text == "https://evil.example/phish"


@pytest.mark.parametrize(
    "source, kind",
    [
        ("[a](https://x.example)", "link"),
        ("see https://x.example now", "link"),
        ("<https://x.example>", "link"),
        ("**a**", "strong"),
        ("*a*", "em"),
        ("||a||", "spoiler"),
        ("`a`", "code"),
        ("```\na\n```", "code_block"),
        ("# a", "heading"),
        ("-# a", "subtext"),
        ("> a", "quote"),
        ("1. a", "list_item"),
        ("<#123>", "mention"),
        ("</ask:123>", "mention"),
        ("<t:1700000000:R>", "mention"),
        ("@everyone", "mention"),
        ("<@&123>", "mention"),
    ],
)
def test_the_parser_recognises_each_discord_construct(source, kind):
    assert kind in {n.kind for n in live_nodes(parse(source))}


def test_escaped_constructs_parse_as_plain_text():
    nodes = parse("\\[a\\](https\\://x.example) \\*\\*b\\*\\* \\@everyone \\<#1\\>")
    assert live_nodes(nodes) == []
    assert nodes[0].plain() == "[a](https://x.example) **b** @everyone <#1>"


# ---- the escaping itself ---------------------------------------------------------------------


@pytest.mark.parametrize("question", HOSTILE)
def test_escaped_student_text_shows_exactly_what_they_typed_and_nothing_live(question):
    out = render.escape_user_text(question)
    nodes = parse(out)
    assert live_nodes(nodes) == []
    assert "".join(n.plain() for n in nodes) == shown(question, 10**6)


@given(hostile_text)
def test_escaped_student_text_is_inert_for_any_mix_of_markdown_characters(question):
    out = render.escape_user_text(question)
    nodes = parse(out)
    assert live_nodes(nodes) == []
    assert "".join(n.plain() for n in nodes) == shown(question, 10**6)
    wrapped = render.not_covered_embed(Answer(question, False, None, 0.0), []).description or ""
    if question.strip():
        assert_inert_question_line(wrapped, question)


def test_a_question_clipped_in_the_middle_of_an_escape_keeps_the_bold_closed():
    question = "a" * 499 + "*" + "b" * 10  # the clip falls right on a character that needs escaping
    description = render.not_covered_embed(Answer(question, False, None, 0.0), []).description or ""
    assert_inert_question_line(description, question)


# ---- end to end: what the real discord.py client sends -------------------------------------


class BotThread:
    """The fake Discord and the bot on their own event loop in a thread, so a hypothesis test (which
    is synchronous) can send many interactions to one running bot."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coro, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> BotThread:
        self.thread.start()
        self.run(self._start())
        return self

    async def _start(self) -> None:
        course = write_course(self.tmp_path / "course")
        self.fake = await FakeDiscord().start()
        self.store = await open_store(self.tmp_path / "classbot.db")
        settings = Settings(
            knowledge_path=course,
            database_path=self.tmp_path / "classbot.db",
            ask_cooldown_seconds=0,
            discord=DiscordSettings(
                token=self.fake.token,
                api_base=self.fake.api_base,
                gateway_url=self.fake.gateway_url,
                guild_ids=(GUILD_ID,),
            ),
        )
        self.bot = build_bot(settings, Engine(load_course(course)), self.store, guild_ready_timeout=0.01)
        await self.bot.login(self.fake.token)
        self.task = asyncio.create_task(self.bot.connect())
        await asyncio.wait_for(self.bot.wait_until_ready(), 5)

    async def ask(self, question: str) -> dict:
        iid = await self.fake.slash("ask", {"question": question})
        return await self.fake.wait_for_callback(iid)

    def __exit__(self, *exc) -> None:
        async def stop() -> None:
            await self.bot.close()
            await asyncio.wait_for(self.task, 5)
            await self.store.close()
            await self.fake.close()

        self.run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def check_sent_answer(callback: dict, question: str) -> None:
    assert callback["type"] == 4
    embed = callback["data"]["embeds"][0]
    if embed.get("title") == "Not covered in this course":
        assert_inert_question_line(embed["description"], question)
    else:  # answered: the question is only in the footer, which Discord shows as plain text
        assert render.escape_user_text(question) not in embed.get("description", "")
    for f in embed.get("fields", []):
        assert not [n for n in live_nodes(parse(f["value"])) if n.kind in ("link", "mention")]
    assert callback["data"]["allowed_mentions"]["parse"] == []


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory):
    import discord

    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    with BotThread(tmp_path_factory.mktemp("markdown")) as bot:
        yield bot
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.mark.parametrize("question", HOSTILE)
def test_slash_ask_never_posts_a_live_construct_from_the_question(running_bot, question):
    callback = running_bot.run(running_bot.ask(question))
    assert callback["data"]["embeds"][0]["title"] == "Not covered in this course"
    check_sent_answer(callback, question)


def test_the_reported_masked_link_comes_back_as_plain_text(running_bot):
    question = "[Free answers here](https://evil.example/phish)"
    callback = running_bot.run(running_bot.ask(question))
    first: Node = parse(callback["data"]["embeds"][0]["description"])[0]
    assert first.plain() == question
    assert live_nodes([first]) == [first.children[0]]  # the bold the bot puts around it, nothing else


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=hostile_text.filter(lambda q: q.strip()))
def test_slash_ask_with_random_markdown_never_posts_a_live_construct(running_bot, question):
    check_sent_answer(running_bot.run(running_bot.ask(question[:1000])), question[:1000])
