"""Helpers to write small real course folders in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

TEXT = """The Moon landing
Apollo 11
Apollo 11 landed on the Moon on 20 July 1969. Neil Armstrong was the first person to walk on
the lunar surface. Buzz Aldrin followed him about twenty minutes later.

Michael Collins stayed in orbit in the command module Columbia.
The crew returned to Earth on 24 July.
"""


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return path


def make_course(tmp_path: Path, facts: str | None = None, course: str | None = None, text: str = TEXT) -> Path:
    folder = tmp_path / "moon"
    write(folder, "sources/moon.txt", text)
    write(folder, "course.yaml", course if course is not None else """
        id: moon
        title: The Moon landing
        aliases:
          - [Armstrong, Neil Armstrong]
          - [Moon, lunar surface]
        sources:
          - id: moon
            file: sources/moon.txt
            title: The Moon landing
        """)
    if facts is not None:
        write(folder, "facts/facts.yaml", facts)
    return folder


FACTS = """
facts:
  - id: first-walker
    questions:
      - Who was the first person to walk on the Moon?
      - who walked on the moon first
      - first man on the moon
    answer: Neil Armstrong was the first person to walk on the Moon.
    keywords: [Armstrong]
    quote: Neil Armstrong was the first person to walk on the lunar surface.
    trivia:
      question: Who was the first person to walk on the Moon?
      answer: Neil Armstrong
      accept: [Armstrong]
      type: name
      distractors: [Buzz Aldrin, Michael Collins, Yuri Gagarin]
  - id: landing-date
    questions:
      - When did Apollo 11 land?
      - what date did apollo 11 land on the moon
    answer: Apollo 11 landed on 20 July 1969.
    quote: Apollo 11 landed on the Moon on 20 July 1969.
    trivia:
      question: In what year did Apollo 11 land on the Moon?
      answer: "1969"
      type: year
  - id: collins-orbit
    questions:
      - What did Michael Collins do?
      - who stayed in orbit
    answer: Michael Collins stayed in orbit in the command module Columbia.
    quote: Michael Collins stayed in orbit
"""
