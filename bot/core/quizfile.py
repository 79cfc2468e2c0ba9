"""Quiz files of a course (``quiz/*.yaml``): trivia items with no quote from the course text.

They are written by ``classbot import`` (see ``bot.core.quizimport``) from a Red-DiscordBot trivia list or a
Quizlet/Anki export, and may be edited by hand. Each item's reveal cites the quiz it came from (file, line,
author) instead of a passage of the text::

    quiz:
      title: World capitals
      author: Jane Doe            # optional
      file: capitals.yaml         # the file it was imported from
      format: red                 # red | csv | tsv
    items:
      - id: capitals-001          # unique across the course (facts included)
        line: 3                   # where the question stands in the imported file
        question: What is the capital of France?
        answer: Paris
        accept: [Paris France]    # other answers that count
        type: text                # text | number | year | date | name
        distractors: [Lyon, Marseille]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.core.errors import Problem
from bot.core.models import AnswerType, Citation, TriviaItem
from bot.core.yamlfile import LDict, LList, Pos, load_yaml

Report = Callable[[Pos, str], None]  # records a problem at a position of the file

QUIZ_FOLDER = "quiz"
QUIZ_HEADER_KEYS = {"title": False, "author": False, "file": False, "format": False}
QUIZ_ITEM_KEYS = {
    "id": True, "line": False, "question": True, "answer": True, "accept": False, "type": False,
    "distractors": False, "difficulty": False, "tolerance": False,
}  # fmt: skip
DIFFICULTIES = ("easy", "medium", "hard")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_NUMERIC = re.compile(r"-?\d+(?:[.,]\d+)?")


def quiz_citation(item_id: str, title: str, author: str | None, origin: str | None, line: int | None,
                  answers: tuple[str, ...]) -> Citation:
    """Where a quiz item came from, shown in its reveal in place of a quoted passage."""
    source_title = f"Quiz: {title}" + (f" (by {author})" if author else "")
    where = f"imported from {origin}" if origin else "quiz"
    if line:
        where += f", line {line}"
    return Citation(
        source_id=f"quiz:{item_id}", source_title=source_title, location=where,
        quote="Accepted answers: " + "; ".join(answers),
    )


def read_quiz_folder(folder: Path, shown: Callable[[Path], str], taken: set[str] | frozenset[str] = frozenset(),
                     files: list[Path] | None = None) -> tuple[list[TriviaItem], list[Problem]]:
    """Every item of every ``*.yaml`` file in the quiz folder, and the problems found (file, line, column).

    ``taken`` are the ids already used by facts: a quiz item may not reuse one. ``files``, when given,
    are the quiz files to read (the course reader passes only those that lie inside the course folder).
    """
    items: list[TriviaItem] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return items, problems
    seen: dict[str, tuple[str, int]] = {}
    if files is None:
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        file_items, file_problems = read_quiz_file(path, shown(path))
        problems += file_problems
        for item, (file, line) in file_items:
            if item.id in taken:
                problems.append(Problem(file, line, 0, f"quiz item id '{item.id}' is also a fact's id; ids must be unique"))
            elif item.id in seen:
                problems.append(Problem(file, line, 0, f"quiz item id '{item.id}' is already used in {seen[item.id][0]} line {seen[item.id][1]}"))
            else:
                seen[item.id] = (file, line)
                items.append(item)
    return items, problems


def read_quiz_file(path: Path, file: str) -> tuple[list[tuple[TriviaItem, tuple[str, int]]], list[Problem]]:
    """The items of one quiz file with where each stands, and the problems found."""
    problems: list[Problem] = []

    def problem(pos: Pos, message: str) -> None:
        problems.append(Problem(file, pos[0], pos[1], message))

    data, load_problems = load_yaml(path, file)
    problems += load_problems
    if data is None:
        return [], problems
    if not isinstance(data, LDict) or not isinstance(data.get("items"), LList):
        problem((1, 1), "a quiz file should have 'quiz:' (title, author, file) and 'items:', a list of questions")
        return [], problems
    _check_keys(data, {"quiz": False, "items": True}, problem, "a quiz file")
    header = data.get("quiz") or LDict()
    if not isinstance(header, LDict):
        problem(data.value_pos["quiz"], "'quiz' should be a mapping with title, author and file")
        header = LDict()
    if header:
        _check_keys(header, QUIZ_HEADER_KEYS, problem, "the quiz header")
    title = _text(header.get("title")) or path.stem
    author = _text(header.get("author"))
    origin = _text(header.get("file"))

    from bot.core.trivia.answers import check_answer  # lazily: trivia imports the store's types

    out = []
    raw_items: LList = data["items"]
    for raw, pos in zip(raw_items, raw_items.item_pos, strict=True):
        if not isinstance(raw, LDict):
            problem(pos, "each quiz item should be a mapping (id:, question:, answer:)")
            continue
        item = _read_item(raw, problem, title, author, origin)
        if item is None:
            continue
        for candidate in (item.answer, *item.accept):
            if not check_answer(item, candidate):
                problem(raw.pos, f"quiz item '{item.id}' would mark its own answer \"{candidate}\" wrong "
                                 f"(type {item.type.value}); fix the answer, its type or the accepted answers")
        out.append((item, (file, raw.pos[0])))
    return out, problems


def _read_item(raw: LDict, problem: Report, title: str, author: str | None, origin: str | None) -> TriviaItem | None:
    _check_keys(raw, QUIZ_ITEM_KEYS, problem, "a quiz item")
    iid, question, answer = (_text(raw.get(k)) for k in ("id", "question", "answer"))
    what = f"quiz item '{iid}'" if iid else "a quiz item"
    for key, value in (("id", iid), ("question", question), ("answer", answer)):
        if key in raw and not value:
            problem(raw.value_pos[key], f"'{key}' of {what} should be a line of text")
    if iid and not _ID.match(iid):
        problem(raw.value_pos["id"], f"quiz item id '{iid}' should use only letters, digits, dashes and dots")
        iid = None
    accept = _text_list(raw, "accept", problem, what)
    distractors = _text_list(raw, "distractors", problem, what)
    kind = (_text(raw.get("type")) or "text").lower()
    try:
        answer_type = AnswerType(kind)
    except ValueError:
        problem(raw.value_pos["type"], f"quiz item type '{kind}' should be one of: {', '.join(t.value for t in AnswerType)}")
        answer_type = AnswerType.TEXT
    difficulty = (_text(raw.get("difficulty")) or "medium").lower()
    if difficulty not in DIFFICULTIES:
        problem(raw.value_pos["difficulty"], f"quiz item difficulty '{difficulty}' should be easy, medium or hard")
        difficulty = "medium"
    tolerance = raw.get("tolerance", 0) or 0
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or tolerance < 0:
        problem(raw.value_pos["tolerance"], "quiz item tolerance should be a number of 0 or more")
        tolerance = 0
    line = raw.get("line")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
        problem(raw.value_pos["line"], "'line' of a quiz item should be a line number")
        line = None
    if answer and answer_type in (AnswerType.NUMBER, AnswerType.YEAR) and not _NUMERIC.fullmatch(answer.replace(",", "")):
        problem(raw.value_pos["answer"], f"quiz answer '{answer}' is of type {answer_type.value} but is not a number")
        return None
    if not (iid and question and answer):
        return None
    return TriviaItem(
        id=iid, fact_id=iid, question=question, answer=answer, accept=accept, type=answer_type,
        distractors=distractors, difficulty=difficulty, tolerance=float(tolerance),
        citation=quiz_citation(iid, title, author, origin, line, (answer, *accept)),
    )


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _text_list(raw: LDict, key: str, problem: Report, what: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    out = []
    for entry in value:
        text = _text(entry)
        if text is None:
            problem(raw.value_pos[key], f"each entry of '{key}' in {what} should be a line of text")
            continue
        out.append(text)
    return tuple(out)


def _check_keys(data: LDict, allowed: dict[str, bool], problem: Report, what: str) -> None:
    import difflib

    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
            problem(data.key_pos[key], f"unknown key '{key}' in {what}{hint}")
    for key, required in allowed.items():
        if required and key not in data:
            problem(data.pos, f"{what} is missing '{key}'")
