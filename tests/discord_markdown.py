"""A small parser of Discord-flavoured markdown, for tests: what Discord would make *live* in a message.

Modelled on the rules of simple-markdown as Discord uses it (escape, <autolink>, bare URLs, masked
links, mentions, <#channel>, </command:id>, <t:timestamp>, custom emoji, @everyone/@here, bold,
italic, underline, strikethrough, spoiler, inline code, code fences, headings, subtext, block quotes,
lists). Where Discord's exact rule is subtle, this parser is stricter (it finds a construct where
Discord might not), so a test that passes here passes on Discord.

No library fits: the PyPI ones (discord-markdown 0.4, discord-markdown-ast-parser 1.0.6, pymdcord) are
unmaintained since 2020-2023 and miss subtext, </cmd:id> and timestamps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Node:
    kind: str  # text | strong | em | u | del | spoiler | code | link | mention | code_block |
    #            heading | subtext | quote | list_item | paragraph
    children: list[Node] = field(default_factory=list)
    text: str = ""  # text: the shown text; link: the URL; mention: its raw form; code: the code

    def plain(self) -> str:
        """What a reader sees (text of this node and its children)."""
        if self.kind in ("text", "code"):
            return self.text
        return "".join(c.plain() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


LIVE = frozenset({"strong", "em", "u", "del", "spoiler", "code", "link", "mention", "code_block",
                  "heading", "subtext", "quote", "list_item"})  # fmt: skip

_MENTIONS = [
    re.compile(r"<@!?\d+>"),  # user
    re.compile(r"<@&\d+>"),  # role
    re.compile(r"<#\d+>"),  # channel
    re.compile(r"</[^\s:>][^:>]*:\d+>"),  # slash command
    re.compile(r"<t:-?\d+(?::[tTdDfFR])?>"),  # timestamp
    re.compile(r"<a?:\w+:\d+>"),  # custom emoji
    re.compile(r"<id:\w+>"),  # guild navigation
    re.compile(r"@(?:everyone|here)"),
]
_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")
_AUTOLINK = re.compile(r"<([a-zA-Z][\w+.-]*:[^ >]+)>")
_URL = re.compile(r"([a-zA-Z][\w+.-]*://[^\s<]+[^<.,:;\"')\]\s])")  # any scheme: stricter than Discord
_MASKED = re.compile(
    r"\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]"
    r"\(\s*<?((?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['\"]([\s\S]*?)['\"])?\s*\)"
)
_STRONG = re.compile(r"\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)")
_UNDERLINE = re.compile(r"__((?:\\[\s\S]|[^\\])+?)__(?!_)")
_EM = re.compile(
    r"_((?:__|\\[\s\S]|[^\\_])+?)_(?!\w)"  # stricter: Discord also wants a word boundary before
    r"|\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s*\\]|\*\*)|[^\s*\\])+?)\*(?!\*)"
)
_DEL = re.compile(r"~~([\s\S]+?)~~")
_SPOILER = re.compile(r"\|\|([\s\S]+?)\|\|")
_CODE = re.compile(r"(`+)([\s\S]*?[^`])\1(?!`)")
_TEXT = re.compile(r"[\s\S]+?(?=[^0-9A-Za-z\s\u00c0-\uffff]|\n\n| {2,}\n|\w+:\S|$)")

_FENCE = re.compile(r"```([\s\S]*?)```")
_HEADING = re.compile(r"(#{1,3}) +(\S.*)")
_SUBTEXT = re.compile(r"-# +(\S.*)")
_QUOTE_ALL = re.compile(r">>> ([\s\S]*)")
_QUOTE = re.compile(r"> (.*)")
_LIST = re.compile(r"(?:[*-]|\d+\.) +(\S.*)")


def parse_inline(s: str) -> list[Node]:
    out: list[Node] = []
    pos = 0
    while pos < len(s):
        node, pos = _inline_at(s, pos)
        if node.kind == "text" and out and out[-1].kind == "text":
            out[-1].text += node.text
        else:
            out.append(node)
    return out


def _inline_at(s: str, pos: int) -> tuple[Node, int]:
    if m := _ESCAPE.match(s, pos):
        return Node("text", text=m[1]), m.end()
    for rx in _MENTIONS:
        if m := rx.match(s, pos):
            return Node("mention", text=m[0]), m.end()
    if m := _AUTOLINK.match(s, pos):
        return Node("link", text=m[1]), m.end()
    if m := _URL.match(s, pos):
        return Node("link", text=m[1]), m.end()
    if m := _MASKED.match(s, pos):
        return Node("link", parse_inline(m[1]), text=m[2]), m.end()
    for kind, rx in (("strong", _STRONG), ("u", _UNDERLINE), ("em", _EM), ("del", _DEL), ("spoiler", _SPOILER)):
        if m := rx.match(s, pos):
            inner = next(g for g in m.groups() if g is not None)
            return Node(kind, parse_inline(inner)), m.end()
    if m := _CODE.match(s, pos):
        return Node("code", text=m[2]), m.end()
    m = _TEXT.match(s, pos)
    assert m is not None
    return Node("text", text=m[0]), m.end()


def parse(source: str) -> list[Node]:
    """Blocks (paragraphs, headings, quotes, list items, code blocks) with their inline content."""
    blocks: list[Node] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Node("paragraph", parse_inline("\n".join(paragraph))))
            paragraph.clear()

    rest = source
    while rest:
        if m := _FENCE.match(rest):
            flush()
            blocks.append(Node("code_block", text=m[1]))
            rest = rest[m.end() :].lstrip("\n")
            continue
        line, _, rest = rest.partition("\n")
        if m := _QUOTE_ALL.match(line):
            flush()
            blocks.append(Node("quote", parse(m[1] + ("\n" + rest if rest else ""))))
            break
        for kind, rx in (("heading", _HEADING), ("subtext", _SUBTEXT), ("quote", _QUOTE), ("list_item", _LIST)):
            if m := rx.fullmatch(line):
                flush()
                blocks.append(Node(kind, parse_inline(m.groups()[-1])))
                break
        else:
            if line.strip():
                paragraph.append(line)
            else:
                flush()
    flush()
    return blocks


def live_nodes(nodes: list[Node]) -> list[Node]:
    """Every construct Discord would render as more than text."""
    return [n for top in nodes for n in top.walk() if n.kind in LIVE]
