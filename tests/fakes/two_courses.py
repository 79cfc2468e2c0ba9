"""Two small courses in one knowledge folder: "moon" (with trivia) and "solar-system" (without)."""

from __future__ import annotations

from pathlib import Path

from tests.fakes import write_course as write_solar
from tests.fakes.slack_course import write_course as write_moon

MOON_FACTS = Path("moon") / "facts" / "landing.yaml"
COLLINS_QUOTE = "quote: Michael Collins stayed in orbit in the command module Columbia."
COLLINS_ANSWER = "answer: Michael Collins stayed in orbit in the command module Columbia."


def write_two_courses(root: Path) -> Path:
    write_moon(root)  # root/moon
    write_solar(root / "solar")
    return root


def edit(root: Path, relative: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) in a course file; returns the 1-based line where the edit is."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line
