"""Text from outside (a student's question, a teacher's file, an old database row) made safe to keep
and to print: one function, used wherever such text comes in and wherever stored text goes out.

What is removed, and why (Unicode categories per the Unicode Character Database):
- Whole terminal escape sequences (ECMA-48: CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \\",
  and two-character "ESC x"), so no half of one is left to read as words.
- Cc, the C0 and C1 controls and DEL: ESC starts terminal escape sequences (colours, window titles,
  cursor moves), BEL rings, CR and BS overwrite what was printed, NUL truncates in C tools.
- Bidirectional formatting characters (Unicode Standard Annex #9, "Explicit Directional Formatting"
  and "Implicit Directional Marks": U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069): they
  reorder what a teacher reads ("Trojan Source", CVE-2021-42574).
- Zl and Zp (U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR): line breaks to some readers and
  not to others.
- Unpaired surrogates (what undecodable bytes become under ``surrogateescape``): they cannot be
  encoded as UTF-8 at all; each becomes U+FFFD.

Whitespace-like controls (tab, newlines, CR, NEL, U+2028/2029) become a space, the others vanish;
runs of whitespace then become one space. Everything else (letters of every script, emoji with
their joiners and variation selectors) is kept.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "clip"]

_SPACE_LIKE = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, erase line
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window title, hyperlinks
    r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS strings
    r"|\x1b[ -/]*[0-~]"  # other escapes (ESC c resets the terminal)
)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _SPACE_LIKE:
        return " "
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    return ""


def clean_text(text: str) -> str:
    """``text`` without control, bidi-override and separator characters, on one line, trimmed."""
    if not isinstance(text, str):
        text = str(text)
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_replace, _ESCAPE.sub("", text))
    return " ".join(text.split())


def clip(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    """``text`` cut to at most ``limit`` characters (at a word boundary when one is near), marked
    with ``ellipsis`` when cut. Never splits a combining sequence from its base character."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ellipsis), 0)]
    while cut and unicodedata.combining(text[len(cut)]):
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space >= len(cut) * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + ellipsis
