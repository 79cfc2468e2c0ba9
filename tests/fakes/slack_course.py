"""A small course for the Slack tests: independent of the bundled course, which changes."""

from __future__ import annotations

from pathlib import Path

SOURCE = """\
The Moon landing

Apollo 11
Apollo 11 landed on the Moon on 20 July 1969. Neil Armstrong was the first person to walk on the
Moon. Buzz Aldrin followed him a few minutes later.

The crew
Michael Collins stayed in orbit in the command module Columbia. The three astronauts returned to
Earth on 24 July 1969 & landed in the Pacific Ocean.
"""

COURSE = """\
id: moon
title: The Moon landing
description: How Apollo 11 reached the Moon.
sources:
  - id: apollo
    file: sources/apollo.txt
    title: The Moon landing
units:
  - id: landing
    title: The landing
"""

FACTS = """\
facts:
  - id: first-on-moon
    unit: landing
    questions:
      - Who was the first person to walk on the Moon?
      - who walked on the moon first
      - first man on the moon
      - which astronaut stepped onto the moon first
      - who was first to set foot on the moon
    answer: Neil Armstrong was the first person to walk on the Moon.
    keywords: [Armstrong, first, walk]
    quote: Neil Armstrong was the first person to walk on the Moon.
    trivia:
      question: Who was the first person to walk on the Moon?
      answer: Neil Armstrong
      accept: [Armstrong]
      type: name
      distractors: [Buzz Aldrin, Michael Collins, Yuri Gagarin]
      difficulty: easy
  - id: collins-orbit
    unit: landing
    questions:
      - What did Michael Collins do during the landing?
      - where was collins
      - who stayed in orbit
      - which astronaut stayed in the command module
      - who flew columbia
    answer: Michael Collins stayed in orbit in the command module Columbia.
    keywords: [Collins, orbit, Columbia]
    quote: Michael Collins stayed in orbit in the command module Columbia.
    trivia:
      question: Which astronaut stayed in orbit in Columbia?
      answer: Michael Collins
      accept: [Collins]
      type: name
      distractors: [Neil Armstrong, Buzz Aldrin, Jim Lovell]
      difficulty: easy
"""


def write_course(folder: Path) -> Path:
    course = folder / "moon"
    (course / "sources").mkdir(parents=True, exist_ok=True)
    (course / "facts").mkdir(exist_ok=True)
    (course / "course.yaml").write_text(COURSE, encoding="utf-8")
    (course / "sources" / "apollo.txt").write_text(SOURCE, encoding="utf-8")
    (course / "facts" / "landing.yaml").write_text(FACTS, encoding="utf-8")
    return course
