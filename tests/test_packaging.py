"""The wheel carries every package and the bundled course, so `pip install .` works from anywhere."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_bot_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bot").rglob("__init__.py")}
    assert on_disk <= listed and "classbot_knowledge" in listed


def test_wheel_ships_the_bundled_course(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    [wheel] = tmp_path.glob("classbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "classbot_knowledge/cuban-missile-crisis/course.yaml" in names
    assert "classbot_knowledge/cuban-missile-crisis/sources/cuban_missile_crisis.txt" in names
    assert any(n.startswith("classbot_knowledge/cuban-missile-crisis/facts/") for n in names)
    assert "bot/adapters/discord/app.py" in names and "bot/store/sqlite/store.py" in names
    # the matcher's WordNet word counts, with WordNet's licence notice (bot/core/wordnet.py)
    assert "bot/core/data/wordnet_counts.tsv" in names and "bot/core/data/WORDNET_LICENSE" in names
    assert "bot/core/data/wordnet_senses.tsv" in names
    # the sentence encoder's weights and vocabulary, with the model's licence and notice (bot/core/encoder.py)
    assert {f"bot/core/data/minilm/{n}" for n in ("weights.npz", "vocab.txt", "LICENSE", "NOTICE")} <= names
