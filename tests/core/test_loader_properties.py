"""Property tests: whatever a course or config file holds, the loaders answer with our own problems,
each naming the file and (for what is inside it) the line, within a bounded amount of memory.

Random YAML-like documents and random mutations of the bundled course go through ``validate`` (the
code behind `classbot validate`, self-check included) and ``load_course`` (every start); random
config files through ``load_settings``. Sizes are bounded by the strategies; time is not asserted
(hypothesis' deadline is off), memory is: tracemalloc's peak per example.
"""

from __future__ import annotations

import shutil
import tempfile
import tracemalloc
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import bundled_knowledge_path, load_settings
from bot.core.errors import ConfigError, InvalidCourse, Problem
from bot.core.knowledge import load_course
from bot.core.validation import validate

MEMORY_BOUND = 64 * 1024 * 1024  # bytes one example may allocate at its peak (the bundled course needs ~10 MB)
BUNDLED = bundled_knowledge_path()
FILES = sorted(p.relative_to(BUNDLED) for p in BUNDLED.rglob("*") if p.is_file())
YAML_FILES = [p for p in FILES if p.suffix == ".yaml"]
SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

# YAML's own punctuation is over-represented, so parser corner cases come up often
_YAML_CHARS = st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?~. \t\n\\") + ["  ", "\n  ", "- ", ": ", "&a ", "*a", "!!", "---\n",
                                                                        "facts:", "id:", "questions:", "\u2028", "\x00", "é",
                                                                        '"\\0"', "file: ", "sources:"])
_yaml_soup = st.lists(st.one_of(_YAML_CHARS, st.text(max_size=8)), max_size=80).map("".join)
_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
_data = st.recursive(_leaf, lambda kids: st.one_of(st.lists(kids, max_size=5), st.dictionaries(st.text(max_size=10), kids, max_size=5)),
                     max_leaves=40)
_dumped = _data.map(lambda d: yaml.safe_dump(d, allow_unicode=True))
_facts_shaped = st.fixed_dictionaries({"facts": st.lists(st.dictionaries(
    st.sampled_from(["id", "questions", "answer", "quote", "keywords", "trivia", "related", "unit", "source", "tags"]),
    _data, max_size=6), max_size=4)}).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
yaml_documents = st.one_of(_yaml_soup, _dumped, _facts_shaped)


@st.composite
def mutations(draw) -> tuple[Path, str]:
    """One file of the bundled course, mutated the way a careless edit would."""
    rel = draw(st.sampled_from(YAML_FILES))
    lines = (BUNDLED / rel).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "replace_value", "truncate",
                                     "swap"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 3)) :]
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(_yaml_soup) + lines[i][at:]
        elif kind == "replace_value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = key + ": " + draw(st.one_of(_yaml_soup, _leaf.map(str), st.just("[a, b]"), st.just("{x: 1}")))
        elif kind == "truncate":
            lines = lines[: i + 1]
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            lines = [""]
    return rel, "\n".join(lines)


def _copy_bundled() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="classbot-prop-")) / "course"
    shutil.copytree(BUNDLED, folder)
    return folder


_WHOLE_FILE = ("is empty", "is not UTF-8", "cannot be read", "no source text found", "is a link", "is ")


def check_problems(problems: list[Problem], folder: Path) -> None:
    for p in problems:
        assert isinstance(p, Problem)
        path = Path(p.file) if Path(p.file).is_absolute() else Path.cwd() / p.file
        assert path.is_relative_to(folder) or folder.name in p.file, p  # names a file of the course
        assert p.message and "Traceback" not in p.message
        if p.line == 0:
            assert p.message.startswith(_WHOLE_FILE), p  # only whole-file problems have no line
        elif path.is_file():
            assert p.line <= path.read_text(encoding="utf-8", errors="replace").count("\n") + 2, p


def run_course(folder: Path) -> None:
    tracemalloc.start()
    try:
        report = validate(folder)
        check_problems(report.problems, folder)
        check_problems(report.warnings, folder)
        try:
            load_course(folder)
        except InvalidCourse as e:
            check_problems(e.problems, folder)
            assert report.problems  # the bot refuses exactly what validate reports
        else:
            assert not report.problems
        _, peak = tracemalloc.get_traced_memory()
        assert peak < MEMORY_BOUND, peak
    finally:
        tracemalloc.stop()
        shutil.rmtree(folder.parent, ignore_errors=True)


@SETTINGS
@given(document=yaml_documents, where=st.sampled_from(["facts/extra.yaml", "course.yaml", "facts/the-deal.yaml"]))
def test_any_yaml_document_in_a_course_gives_only_our_problems(document, where):
    folder = _copy_bundled()
    (folder / where).write_text(document, encoding="utf-8", errors="surrogatepass")
    run_course(folder)


@SETTINGS
@given(mutation=mutations())
def test_any_careless_edit_of_the_bundled_course_gives_only_our_problems(mutation):
    rel, text = mutation
    folder = _copy_bundled()
    (folder / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
    run_course(folder)


@SETTINGS
@given(document=st.one_of(yaml_documents, _data.map(lambda d: yaml.safe_dump({"trivia": d, "platform": d}))))
def test_any_config_file_gives_settings_or_a_config_error_naming_the_file(document):
    folder = Path(tempfile.mkdtemp(prefix="classbot-prop-"))
    config = folder / "classbot.yaml"
    config.write_text(document, encoding="utf-8", errors="surrogatepass")
    tracemalloc.start()
    try:
        load_settings(config, environ={}, dotenv=None)
    except ConfigError as e:
        message = str(e)
        assert "<unicode string>" not in message and "Traceback" not in message
        assert str(config) in message or message.startswith(("platform", "log_level", "slack", "ask_cooldown", "trivia"))
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        shutil.rmtree(folder, ignore_errors=True)
    assert peak < MEMORY_BOUND
