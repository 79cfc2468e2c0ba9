"""Small, in-place edits to a course's fact files, checked before they are written.

An edit is a change of text at a place PyYAML's composer points to (the node marks of safe
loading), so everything else in the file (comments, order, quoting, blank lines) stays byte for
byte. A changed file is first written into a copy of the course and the whole course validated
(bot.core.validation); only a valid course is written back, by an atomic replace of the one file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.errors import ClassbotError, Problem

DRAFTS_FILE = "facts/review-drafts.yaml"  # where `classbot review` writes the facts it drafts
_DRAFTS_HEADER = (
    "# Facts drafted by `classbot review` from questions students asked.\n"
    "# Check each one (answer, quote), then move it to the fact file of its unit.\n"
    "facts:\n"
)


SINGLE_FILE = ("this course is a single text file, which holds no facts: put it in a course folder (the text in "
               "sources/, a course.yaml) and point --knowledge at the folder to add facts")


class CourseEditError(ClassbotError):
    """An edit cannot be made; the message says why, and nothing was written."""


class ChangeRefused(CourseEditError):
    """The edited course would not be valid: nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems[:10])
        super().__init__(f"not written: the course would have {len(problems)} problem(s):\n{lines}")


@dataclass(frozen=True, slots=True)
class NewFact:
    id: str
    questions: tuple[str, ...]
    answer: str
    quote: str
    source: str | None = None
    unit: str | None = None
    draft: bool = False


# -- text edits (pure functions: text in, text out) ----------------------------------------------------
def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise CourseEditError(f"{file} is not valid YAML: fix it first ({e})") from None


def _get(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _fact_list(root: yaml.Node | None) -> yaml.SequenceNode | None:
    if isinstance(root, yaml.SequenceNode):
        return root
    if isinstance(root, yaml.MappingNode):
        facts = _get(root, "facts")
        return facts if isinstance(facts, yaml.SequenceNode) else None
    return None


def scalar(text: str, style: str | None = None) -> str:
    """``text`` as a one-line YAML scalar: plain when that reads back the same (and ``style`` is plain),
    else in the given quotes, else double-quoted (JSON's escaping, which YAML reads)."""
    text = " ".join(text.split())
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style is None and not any(c in text for c in ",[]{}#&*!|>'\"%@`") and not text.startswith(("-", "?", ":")):
        try:
            if yaml.safe_load(f"- {text}") == [text] and yaml.safe_load(f"[{text}]") == [text]:
                return text  # reads back the same in a block list and in a flow list
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def add_question(text: str, fact_id: str, question: str, file: str = "the fact file") -> str:
    """``text`` with ``question`` added at the end of fact ``fact_id``'s questions; nothing else changes."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    facts = _fact_list(_compose(body, file))
    fact = None
    for item in facts.value if facts else []:
        ident = _get(item, "id") if isinstance(item, yaml.MappingNode) else None
        if isinstance(ident, yaml.ScalarNode) and ident.value == fact_id:
            fact = item
    if fact is None:
        raise CourseEditError(f"fact '{fact_id}' is not in {file}")
    node = _get(fact, "questions")
    if node is None:
        raise CourseEditError(f"fact '{fact_id}' in {file} has no questions: list")
    existing = [n.value for n in node.value] if isinstance(node, yaml.SequenceNode) else [getattr(node, "value", "")]
    if any(" ".join(str(q).split()).casefold() == " ".join(question.split()).casefold() for q in existing):
        raise CourseEditError(f"fact '{fact_id}' already has the question \"{question}\"")
    if isinstance(node, yaml.ScalarNode):  # questions: one question -> a flow list of two
        start, end = node.start_mark.index, node.end_mark.index
        raw = body[start:end]
        if node.style not in ('"', "'") and ("\n" in raw or any(c in raw for c in ",[]{}#")):
            raw = json.dumps(node.value, ensure_ascii=False)  # kept as it reads, inside a flow list
        new = f"[{raw}, {scalar(question, node.style or None)}]"
        return bom + body[:start] + new + body[end:]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise CourseEditError(f"the questions of fact '{fact_id}' in {file} should be a list")
    last = node.value[-1]
    style = last.style if isinstance(last, yaml.ScalarNode) else None
    if node.flow_style:  # questions: [a, b] -> [a, b, c]
        at = last.end_mark.index
        return bom + body[:at] + ", " + scalar(question, style or None) + body[at:]
    lines = body.splitlines(keepends=True)
    first_line = lines[last.start_mark.line]
    dash = first_line.rfind("-", 0, last.start_mark.column)
    if dash < 0 or first_line[:dash].strip():
        raise CourseEditError(f"cannot find where the questions of fact '{fact_id}' start in {file}")
    end = last.end_mark
    after = end.line if end.column == 0 else end.line + 1  # the line after the last question
    newline = "\r\n" if first_line.endswith("\r\n") else "\n"
    if after > 0 and after <= len(lines) and not lines[after - 1].endswith(("\n", "\r")):
        lines[after - 1] += newline
    entry = first_line[:last.start_mark.column]  # the indentation and "- " of the last question
    if entry[dash + 1:].strip():  # an anchor or a tag before the text: not copied
        entry = first_line[:dash] + "- "
    lines.insert(after, entry + scalar(question, style or None) + newline)
    return bom + "".join(lines)


def append_fact(text: str | None, fact: NewFact, file: str = DRAFTS_FILE) -> str:
    """``text`` (None: a new file) with ``fact`` added at the end of its facts: list."""
    if text is None or not text.strip():
        text = _DRAFTS_HEADER
    else:
        root = _compose(text, file)
        facts = _get(root, "facts") if isinstance(root, yaml.MappingNode) else None
        block_list = isinstance(facts, yaml.SequenceNode) and not facts.flow_style
        empty_last = isinstance(facts, yaml.ScalarNode) and facts.value == "" and text.rstrip().endswith("facts:")
        if not (block_list or empty_last):
            raise CourseEditError(f"{file} should be a 'facts:' list to add drafts to; move or rename it")
        if not text.endswith("\n"):
            text += "\n"
    q = json.dumps
    block = [f"  - id: {fact.id}"]
    if fact.draft:
        block.append("    draft: true")
    if fact.unit:
        block.append(f"    unit: {q(fact.unit, ensure_ascii=False)}")
    block.append("    questions:")
    block += [f"      - {q(' '.join(x.split()), ensure_ascii=False)}" for x in fact.questions]
    block.append(f"    answer: {q(' '.join(fact.answer.split()), ensure_ascii=False)}")
    if fact.source:
        block.append(f"    source: {q(fact.source, ensure_ascii=False)}")
    block.append(f"    quote: {q(' '.join(fact.quote.split()), ensure_ascii=False)}")
    return text + "\n".join(block) + "\n"


# -- checked writes ------------------------------------------------------------------------------
def write_checked(course_folder: str | Path, relative: str | Path, new_text: str) -> None:
    """Write ``new_text`` to ``course_folder/relative`` only if the whole course stays valid.

    The change is made in a copy of the course and validated there; then the file is replaced
    atomically (a temporary file in the same folder, renamed over it). Raises ChangeRefused with
    the problems the change would cause; the file is then untouched.
    """
    from bot.core.validation import validate

    folder = Path(course_folder).resolve()
    if not folder.is_dir():
        raise CourseEditError(SINGLE_FILE)
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise CourseEditError(f"{relative} is not a file of the course")
    with tempfile.TemporaryDirectory(prefix="classbot-review-") as tmp:
        copy = Path(tmp) / "after" / folder.name  # problems read "<course>/facts/x.yaml", as for the real folder
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(new_text, encoding="utf-8", newline="")
        report = validate(copy)
        problems = report.problems
        if not problems and report.warnings:  # a change may not make a phrasing miss its fact
            before = Path(tmp) / "before" / folder.name
            shutil.copytree(folder, before, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            known = {_unplaced(w) for w in validate(before).warnings}
            problems = [w for w in report.warnings if _unplaced(w) not in known]
    if problems:
        raise ChangeRefused(problems)
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(new_text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            shutil.copymode(path, tmp_name)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _unplaced(problem: Problem) -> tuple[str, str]:
    """A self-check warning without line numbers (an edit moves lines), to compare before and after."""
    return problem.file, re.sub(r"line \d+", "line", problem.message)


def read_text(path: Path) -> str | None:
    """A file's text exactly as stored (line endings kept), or None when it does not exist."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except FileNotFoundError:
        return None


__all__ = ["ChangeRefused", "CourseEditError", "DRAFTS_FILE", "SINGLE_FILE", "NewFact", "add_question", "append_fact", "read_text",
           "scalar", "write_checked"]
