"""Fakes of the outside world (chat platforms) and small test courses, for end-to-end tests."""

from __future__ import annotations

from pathlib import Path

SOURCE_TEXT = """\
The Solar System

# The Sun

The Sun is the star at the centre of the Solar System. It holds more than 99 percent of the \
Solar System's mass. Light from the Sun takes about eight minutes to reach the Earth.

# The planets

Mercury is the smallest planet and the closest to the Sun. Jupiter is the largest planet, more \
than twice as massive as all the other planets put together.
"""

COURSE_YAML = """\
id: solar-system
title: The Solar System
description: A tiny test course about the Sun and the planets.
sources:
  - id: solar
    file: sources/solar.md
    title: Our Solar System
units:
  - id: sun
    title: The Sun
  - id: planets
    title: The planets
"""

FACTS_YAML = """\
facts:
  - id: sunlight-travel-time
    unit: sun
    questions:
      - How long does light from the Sun take to reach the Earth?
      - how long does sunlight take to get to earth
      - how many minutes for sunlight to reach us
      - time for light to travel from the sun to earth
      - how fast does sunlight reach the earth
    answer: About eight minutes.
    keywords: [light, eight minutes]
    quote: Light from the Sun takes about eight minutes to reach the Earth.
  - id: sun-mass-share
    unit: sun
    questions:
      - How much of the Solar System's mass is in the Sun?
      - what share of the mass does the sun hold
      - how heavy is the sun compared to the solar system
      - percent of the solar system mass in the sun
      - does the sun hold most of the mass
    answer: More than 99 percent.
    keywords: [mass, 99 percent]
    quote: It holds more than 99 percent of the Solar System's mass.
  - id: largest-planet
    unit: planets
    questions:
      - Which is the largest planet?
      - what is the biggest planet
      - largest planet in the solar system
      - which planet is the most massive
      - what planet is the heaviest
    answer: Jupiter is the largest planet.
    keywords: [Jupiter, largest]
    quote: Jupiter is the largest planet, more than twice as massive as all the other planets put together.
  - id: smallest-planet
    unit: planets
    questions:
      - Which is the smallest planet?
      - what is the tiniest planet
      - smallest planet in the solar system
      - which planet is closest to the sun
      - what planet is nearest the sun
    answer: Mercury is the smallest planet, and the closest to the Sun.
    keywords: [Mercury, smallest]
    quote: Mercury is the smallest planet and the closest to the Sun.
"""


def write_course(folder: Path) -> Path:
    """A small valid course (4 facts, 2 units) in ``folder``; returns the folder."""
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "facts").mkdir(exist_ok=True)
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (folder / "sources" / "solar.md").write_text(SOURCE_TEXT, encoding="utf-8")
    (folder / "facts" / "solar.yaml").write_text(FACTS_YAML, encoding="utf-8")
    return folder
