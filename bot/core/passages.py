"""Split a source text into sentence passages that remember where they stand.

Sections come from headings (Markdown ``#`` lines, or in plain text a short line without a
full stop standing between paragraphs; the first such line at the top is the title). Paragraphs
end at a blank line, a bullet, a heading, or (for text pasted with hard line wraps) a line that
ends a sentence well before the wrap width. Every passage keeps character offsets into the
source, so the quote shown to students is the source's own text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from bot.core.models import Passage

_BULLET = re.compile(r"^\s*(?:[•●▪‣◦*\-–]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_END = re.compile(r"[.!?…:;][\"'’”)\]]*\s*$")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit, quote or bullet. Abbreviations and initials are protected below.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9•])")
_NEWLINE = re.compile("\n")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "gen", "col", "lt", "capt", "sgt",
    "prof", "rev", "hon", "pres", "gov", "sen", "rep", "no", "vol", "fig", "approx", "u.s", "u.k", "u.n",
    "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}


_JOINERS = {
    "the", "a", "an", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by", "from", "that",
    "he", "she", "they", "it", "his", "her", "their", "its", "was", "were", "is", "are", "as", "if", "so",
}


@dataclass(slots=True)
class _Block:
    kind: str  # "heading" | "para"
    text_start: int
    text_end: int
    line_start: int
    line_end: int
    level: int = 0
    bullet: bool = False


def split_passages(source_id: str, text: str, markdown: bool = False) -> list[Passage]:
    blocks = _blocks(text, markdown)
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    passages: list[Passage] = []
    section: list[tuple[int, str]] = []  # (level, heading)
    paragraph = 0
    for block in blocks:
        if block.kind == "heading":
            title = _fold(text[block.text_start : block.text_end]).lstrip("#").strip()
            section = [s for s in section if s[0] < block.level] + [(block.level, title)]
            paragraph = 0
            continue
        paragraph += 1
        heading = tuple(t for _, t in section)
        for n, (start, end) in enumerate(_sentences(text, block.text_start, block.text_end), 1):
            passages.append(
                Passage(
                    id=f"{source_id}:{len(passages) + 1}",
                    source_id=source_id,
                    section=heading,
                    paragraph=paragraph,
                    sentence=n,
                    line_start=bisect_left(newlines, start) + 1,
                    line_end=bisect_left(newlines, end) + 1,
                    start=start,
                    end=end,
                    text=_fold(text[start:end]),
                    bullet=block.bullet,
                )
            )
    return passages


def _fold(s: str) -> str:
    return " ".join(s.split())


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start offset, end offset, line) for each line."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _wrap_width(lines: list[str]) -> int | None:
    """The width hard-wrapped text was wrapped at, or None when lines are not wrapped."""
    wrapped = sorted(len(s.rstrip()) for s in lines if s.strip() and not _END.search(s))
    if len(wrapped) < 3:
        return None
    return wrapped[int(len(wrapped) * 0.75)]


def _blocks(text: str, markdown: bool) -> list[_Block]:
    lines = _lines(text)
    width = _wrap_width([ln for _, _, ln in lines])
    blank_separated = _blank_separated(lines)
    blocks: list[_Block] = []
    current: _Block | None = None
    prev_ended = True  # the previous non-blank line ended a paragraph

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current)
            current = None

    for i, (start, _end, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            close()
            prev_ended = True
            continue
        lead = start + len(line) - len(line.lstrip())
        tail = start + len(line.rstrip())
        md = _MD_HEADING.match(line) if markdown else None
        if md or (not markdown and prev_ended and _looks_like_heading(lines, i)):
            close()
            level = len(md.group(1)) if md else (1 if not blocks and i == _first_text_line(lines) else 2)
            blocks.append(_Block("heading", lead, tail, i + 1, i + 1, level))
            prev_ended = True
            continue
        bullet = _BULLET.match(line)
        if bullet or prev_ended or current is None:
            close()
            body = start + bullet.end() if bullet else lead
            current = _Block("para", body, tail, i + 1, i + 1, bullet=bool(bullet))
        else:
            current.text_end = tail
            current.line_end = i + 1
        if blank_separated:
            prev_ended = False  # only a blank line, a bullet or a heading ends the paragraph
            continue
        ends_sentence = bool(_END.search(line))
        # one paragraph per line when lines are not wrapped; else a sentence ending short of the wrap width
        prev_ended = ends_sentence and (width is None or len(line.rstrip()) < 0.85 * width)
    close()
    return blocks


def _blank_separated(lines: list[tuple[int, int, str]]) -> bool:
    """Whether paragraphs are separated by blank lines (two or more blank lines between text)."""
    seen_text, gaps, blank = False, 0, False
    for _, _, ln in lines:
        if not ln.strip():
            blank = True
            continue
        if seen_text and blank:
            gaps += 1
        seen_text, blank = True, False
    return gaps >= 2


def _first_text_line(lines: list[tuple[int, int, str]]) -> int:
    return next((i for i, (_, _, ln) in enumerate(lines) if ln.strip()), 0)


def _looks_like_heading(lines: list[tuple[int, int, str]], i: int) -> bool:
    line = lines[i][2].strip()
    if len(line) > 80 or len(line.split()) > 12 or _BULLET.match(line):
        return False
    if re.search(r"[.,;:!?…\"”’)]$", line) or not (line[0].isupper() or line[0].isdigit()):
        return False
    last = line.split()[-1].lower()
    if last in _JOINERS:
        return False  # "On 28 October Dobrynin reported to" is a wrapped line, not a title
    j = i + 1
    while j < len(lines) and not lines[j][2].strip():
        j += 1
    nxt = lines[j][2].strip() if j < len(lines) else None
    # a heading introduces something, and what follows it starts afresh
    return nxt is not None and not nxt[0].islower()


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        token = _word_before(text, pos, m.start())
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue  # "Mr. Smith", "John F. Kennedy"
        stop = m.start() + len(m.group(0).rstrip())
        out.append((pos, stop))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _word_before(text: str, start: int, stop: int) -> str:
    """The word (letters, digits, dots) just before ``stop``, lowercased, without trailing dots:
    "U.S" for "the U.S." ending at the last dot."""
    k = stop
    while k > start and (text[k - 1].isalnum() or text[k - 1] in "._"):
        k -= 1
    return text[k:stop].lower().rstrip(".")
