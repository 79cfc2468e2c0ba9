"""``classbot import``: a teacher's existing quiz into ``quiz/*.yaml`` items of a course.

Two kinds of file:

- **Red-DiscordBot trivia lists** (YAML): ``AUTHOR``, optional ``DESCRIPTION``, ``CONFIG`` and ``$schema``, and
  ``question: [answers]``. A list is read the way Red reads it (Cog-Creators/Red-DiscordBot,
  ``redbot/cogs/trivia/trivia.py`` ``get_list``, ``schema.py`` ``TRIVIA_LIST_SCHEMA``, ``session.py``
  ``_parse_answers``): ``yaml.safe_load``; the whole list is refused if any key other than the special ones is
  not text or any value is not a list of text/number/boolean answers; a repeated question keeps its last
  answers; ``true``/``false`` answers stand for True/Yes/On and False/No/Off; numbers become their text.
  So a list imports exactly the questions Red would ask. Every answer Red lists is accepted by our check.
- **CSV/TSV** as exported by Quizlet (term, definition) and Anki (front, back; with or without ``#separator:``
  / ``#columns:`` header lines): delimiter sniffed, header recognised by its column names, optional
  distractor columns.

All or nothing: any bad row is reported with its line number and nothing is written; the quiz file is
written to a temporary file, checked by the course reader, then renamed into place.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ClassbotError, Problem
from bot.core.models import AnswerType, TriviaItem
from bot.core.quizfile import QUIZ_FOLDER, read_quiz_file
from bot.core.text import slug

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same results, faster

# Red's special top-level keys (schema.py, trivia.py): everything else is a question.
RED_SPECIAL = ("$schema", "AUTHOR", "DESCRIPTION", "CONFIG")
# CONFIG keys Red allows, with a check of the value (schema.py TRIVIA_LIST_SCHEMA).
_RED_CONFIG: dict[str, Callable[[Any], bool]] = {  # a value as YAML read it -> whether Red accepts it
    "max_score": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "timeout": lambda v: _is_number(v) and v > 0,
    "delay": lambda v: _is_number(v) and v >= 4,
    "bot_plays": lambda v: isinstance(v, bool),
    "reveal_answer": lambda v: isinstance(v, bool),
    "payout_multiplier": lambda v: _is_number(v) and v >= 0,
    "use_spoilers": lambda v: isinstance(v, bool),
}
# Column names of exports (Quizlet: term/definition; Anki: front/back; spreadsheets: question/answer).
QUESTION_COLUMNS = ("question", "term", "front", "prompt", "q")
ANSWER_COLUMNS = ("answer", "definition", "back", "a", "correct", "correct answer")
ACCEPT_COLUMNS = ("accept", "also accept", "accepted", "other answers", "alternatives")
DISTRACTOR_PREFIXES = ("distractor", "wrong", "incorrect", "option", "choice")
_ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
# English number words, as trivia.parse_numbers reads them.
_NUMBER_WORDS = frozenset(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "and"]  # noqa: SIM905
)
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>|</div>|</p>", re.I)


class QuizImportError(ClassbotError):
    """The file cannot be imported: every bad row with its line number."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"nothing imported; {len(problems)} problem(s):\n{lines}")


@dataclass
class ImportedItem:
    line: int
    question: str
    answers: tuple[str, ...]  # the first is the answer shown; all count
    distractors: tuple[str, ...] = ()
    type: AnswerType = AnswerType.TEXT


@dataclass
class ImportedQuiz:
    format: str  # red | csv | tsv
    origin: str  # the imported file's name
    title: str
    author: str | None
    items: list[ImportedItem]
    notes: list[str] = field(default_factory=list)  # things worth telling the teacher (ignored CONFIG, repeats)


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), float("-inf"))


# ---------------------------------------------------------------------------------------------
# Red-DiscordBot trivia lists


def red_answers(raw: list[object]) -> tuple[str, ...]:
    """Red's ``_parse_answers`` (redbot/cogs/trivia/session.py): booleans stand for three words each,
    everything else for its ``str()``, duplicates dropped in order."""
    out: list[str] = []
    for answer in raw:
        if isinstance(answer, bool):
            out.extend(["True", "Yes", "On"] if answer else ["False", "No", "Off"])
        else:
            out.append(str(answer))
    return tuple(dict.fromkeys(out))


def parse_red(text: str, origin: str) -> ImportedQuiz:
    """A Red trivia list, or QuizImportError listing every reason Red would refuse it (with lines)."""
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise QuizImportError([Problem(origin, mark.line + 1 if mark else 0, 0, f"YAML syntax error: {e.problem or e}")]) from None
    except yaml.YAMLError as e:
        raise QuizImportError([Problem(origin, 0, 0, f"YAML error: {e}")]) from None
    if not isinstance(root, yaml.MappingNode):
        raise QuizImportError([Problem(origin, 1, 0, "a Red trivia list is a mapping: 'question: [answers]' lines")])
    constructor = yaml.constructor.SafeConstructor()
    constructor.flatten_mapping(root)  # `<<` merge keys, as safe_load does
    entries: dict[object, tuple[int, object]] = {}  # key -> (line, value); a repeated key keeps the last, as a dict does
    written: dict[object, str] = {}  # key -> the key as the file spells it ("yes", not True)
    notes: list[str] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        try:
            key = constructor.construct_object(key_node, deep=True)
            value = constructor.construct_object(value_node, deep=True)
        except yaml.YAMLError as e:
            problems.append(Problem(origin, line, 0, f"cannot read this entry: {e}"))
            continue
        try:
            hash(key)
        except TypeError:
            problems.append(Problem(origin, line, 0, "a question must be text"))
            continue
        if key in entries:
            notes.append(f"line {line} repeats the question of line {entries[key][0]}; the later one is kept (as Red does)")
            del entries[key]
        entries[key] = (line, value)
        if isinstance(key_node, yaml.ScalarNode):
            written[key] = key_node.value

    author = description = None
    items: list[ImportedItem] = []
    for key, (line, value) in entries.items():
        if key in ("$schema", "AUTHOR", "DESCRIPTION"):
            limit = {"AUTHOR": 1000, "DESCRIPTION": 200}.get(key)
            if not isinstance(value, str) or (limit and not 1 <= len(value) <= limit):
                size = f" of 1 to {limit} characters" if limit else ""
                problems.append(Problem(origin, line, 0, f"{key} should be text{size}"))
            elif key == "AUTHOR":
                author = value.strip()
            elif key == "DESCRIPTION":
                description = value.strip()
            continue
        if key == "CONFIG":
            if not isinstance(value, dict):
                problems.append(Problem(origin, line, 0, "CONFIG should be a 'key: value' mapping"))
                continue
            for ck, cv in value.items():
                check = _RED_CONFIG.get(ck) if isinstance(ck, str) else None
                if check is None:
                    problems.append(Problem(origin, line, 0, f"CONFIG key {ck!r} is not one Red allows ({', '.join(_RED_CONFIG)})"))
                elif not check(cv):
                    problems.append(Problem(origin, line, 0, f"CONFIG {ck}: {cv!r} is not a valid value"))
            if value:
                notes.append("CONFIG (Red's session settings) is not used: classbot's own trivia settings apply")
            continue
        if not isinstance(key, str):
            problems.append(Problem(origin, line, 0, f"the question {written.get(key, key)} is read as {_kind(key)}, not text: "
                                                     "put it in quotes (Red refuses such a list too)"))
            continue
        if not isinstance(value, list) or any(isinstance(a, (list, dict)) or a is None for a in value):
            problems.append(Problem(origin, line, 0, f"the answers to \"{_short(key)}\" should be a list: "
                                                     "question: [answer, other spelling]"))
            continue
        answers = tuple(a.strip() for a in red_answers(value) if a.strip())
        if not key.strip():
            problems.append(Problem(origin, line, 0, "the question is empty"))
            continue
        if not answers:
            problems.append(Problem(origin, line, 0, f"\"{_short(key)}\" has no answer (Red would ask it and accept nothing)"))
            continue
        items.append(ImportedItem(line, key.strip(), answers))
    if problems:
        raise QuizImportError(problems)
    if not items:
        raise QuizImportError([Problem(origin, 0, 0, "the list has no questions")])
    title = description or Path(origin).stem.replace("_", " ").replace("-", " ")
    return ImportedQuiz("red", origin, title, author, items, notes)


def _kind(value: object) -> str:
    """What YAML made of an unquoted value, in a teacher's words."""
    if isinstance(value, bool):
        return "yes/no (true/false)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (date, datetime)):
        return "a date"
    return "something other than text" if value is not None else "nothing (an empty value)"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# CSV / TSV (Quizlet, Anki, spreadsheets)


def _clean_cell(text: str, html_cells: bool) -> str:
    if html_cells:
        text = _BR.sub(" ", text)
        text = _TAG.sub("", text)
        text = html.unescape(text)
    return " ".join(text.split())


def parse_table(text: str, origin: str) -> ImportedQuiz:
    """A Quizlet/Anki/spreadsheet export: question, answer, then optional accepted answers and distractors."""
    lines = text.splitlines(keepends=True)
    # Anki's plain-text export starts with "#key:value" lines (#separator:tab, #html:true, #columns:...).
    directives: dict[str, str] = {}
    skip = 0
    for ln in lines:
        m = re.match(r"#([a-z ]+):(.*)$", ln.strip(), re.I)
        if not m:
            break
        directives[m.group(1).strip().lower()] = m.group(2).strip()
        skip += 1
    body = "".join(lines[skip:])
    if not body.strip():
        raise QuizImportError([Problem(origin, 0, 0, "the file has no rows")])
    delimiter = _delimiter(body, directives, origin)
    html_cells = directives.get("html", "").lower() == "true" or bool(re.search(r"<(br|div|b|i|span)\b", body, re.I))
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = skip + 1
    for row in reader:
        rows.append((line, [_clean_cell(c, html_cells) for c in row]))
        line = skip + reader.line_num + 1
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        raise QuizImportError([Problem(origin, 0, 0, "the file has no rows")])

    header: list[str] | None = None
    if "columns" in directives:
        header = [c.strip().lower() for c in directives["columns"].split(delimiter)]
    elif _is_header(rows[0][1]):
        header = [c.strip().lower() for c in rows[0][1]]
        rows = rows[1:]
    roles = _column_roles(header, max(len(r) for _, r in rows)) if rows else {}
    problems: list[Problem] = []
    items: list[ImportedItem] = []
    seen: dict[str, int] = {}
    for n, row in rows:
        def cell(i: int, row: list[str] = row) -> str:
            return row[i].strip() if i < len(row) else ""

        question = cell(roles["question"])
        answer = cell(roles["answer"])
        if not question or not answer:
            missing = "question" if not question else "answer"
            problems.append(Problem(origin, n, 0, f"this row has no {missing} (each row needs a question and its answer)"))
            continue
        key = " ".join(question.casefold().split())
        if key in seen:
            problems.append(Problem(origin, n, 0, f"\"{_short(question)}\" is already asked on line {seen[key]}"))
            continue
        seen[key] = n
        accept = tuple(a.strip() for i in roles.get("accept", ()) for a in re.split(r"[;|]", cell(i)) if a.strip())
        distractors = tuple(d.strip() for i in roles.get("distractors", ()) for d in re.split(r"[;|]", cell(i)) if d.strip())
        items.append(ImportedItem(n, question, (answer, *accept), distractors))
    if problems:
        raise QuizImportError(problems)
    title = Path(origin).stem.replace("_", " ").replace("-", " ")
    return ImportedQuiz("tsv" if delimiter == "\t" else "csv", origin, title, None, items)


def _delimiter(body: str, directives: dict[str, str], origin: str) -> str:
    if "separator" in directives:
        sep = directives["separator"]
        return _ANKI_SEPARATORS.get(sep.lower(), sep[:1] or "\t")
    sample = body[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t,;|").delimiter
    except csv.Error:
        pass
    counts = {d: sample.count(d) for d in "\t,;|"}
    best = max(counts, key=lambda d: counts[d])
    if not counts[best]:
        raise QuizImportError([Problem(origin, 1, 0, "no separator found: rows should be question<TAB>answer (or comma-separated)")])
    return best


def _is_header(cells: list[str]) -> bool:
    names = [c.strip().lower() for c in cells]
    return len(names) >= 2 and names[0] in QUESTION_COLUMNS and names[1] in ANSWER_COLUMNS + ACCEPT_COLUMNS or (
        any(n in QUESTION_COLUMNS for n in names) and any(n in ANSWER_COLUMNS for n in names)
    )


def _column_roles(header: list[str] | None, width: int) -> dict[str, Any]:
    """Which column holds what. Without a header: question, answer, then distractors."""
    if header is None:
        return {"question": 0, "answer": 1, "distractors": tuple(range(2, width))}
    roles: dict[str, Any] = {"accept": [], "distractors": []}  # a column number, or a list of them
    for i, name in enumerate(header):
        if name in QUESTION_COLUMNS and "question" not in roles:
            roles["question"] = i
        elif name in ANSWER_COLUMNS and "answer" not in roles:
            roles["answer"] = i
        elif name in ACCEPT_COLUMNS:
            roles["accept"].append(i)
        elif name.startswith(DISTRACTOR_PREFIXES):
            roles["distractors"].append(i)
    roles.setdefault("question", 0)
    roles.setdefault("answer", 1 if roles["question"] != 1 else 0)
    return roles


# ---------------------------------------------------------------------------------------------
# Answer types and the quiz file


def guess_type(answers: tuple[str, ...]) -> AnswerType:
    """YEAR when every answer is the same four-digit year, NUMBER when every answer is the same plain number,
    DATE when every answer reads as the same day and month; TEXT otherwise. Then the answer check compares
    years and numbers as numbers and dates as dates, so "27 Oct" matches "October 27"."""
    from bot.core.trivia.answers import parse_dates, parse_numbers

    def numeric(a: str) -> bool:
        words = re.sub(r"[\d.,\-]", " ", a.casefold()).split()
        return bool(re.search(r"\d", a) or words) and all(w in _NUMBER_WORDS for w in words)

    if all(numeric(a) for a in answers):
        values = [set(parse_numbers(a)) for a in answers]
        if all(len(v) == 1 for v in values) and len(set().union(*values)) == 1:
            value = values[0].pop()
            if value == int(value) and 1000 <= value <= 2999 and re.fullmatch(r"\d{4}", answers[0].strip()):
                return AnswerType.YEAR
            return AnswerType.NUMBER
    dates = [parse_dates(a) for a in answers]
    if all(len(d) == 1 for d in dates) and len({(m, d) for ds in dates for m, d, _ in ds}) == 1 and all(
        not parse_numbers(re.sub(r"\d+", "", a)) for a in answers
    ):
        return AnswerType.DATE
    return AnswerType.TEXT


def to_trivia_items(quiz: ImportedQuiz, prefix: str) -> tuple[list[TriviaItem], list[Problem]]:
    """The items with their answer type, and the rows whose own answers the check would reject."""
    from bot.core.trivia.answers import check_answer

    items, problems = [], []
    for n, entry in enumerate(quiz.items, 1):
        iid = f"{prefix}-{n:03d}"
        item = TriviaItem(id=iid, fact_id=iid, question=entry.question, answer=entry.answers[0],
                          accept=entry.answers[1:], distractors=entry.distractors, type=guess_type(entry.answers))
        rejected = [a for a in entry.answers if not check_answer(item, a)]
        if rejected and item.type is not AnswerType.TEXT:
            item = replace(item, type=AnswerType.TEXT)
            rejected = [a for a in entry.answers if not check_answer(item, a)]
        if rejected:
            problems.append(Problem(quiz.origin, entry.line, 0, f"the answer \"{rejected[0]}\" has no letters or digits to check a student's answer against"))
            continue
        entry.type = item.type
        items.append(item)
    return items, problems


def quiz_yaml(quiz: ImportedQuiz, items: list[TriviaItem], lines: list[int]) -> str:
    header = {"title": quiz.title, **({"author": quiz.author} if quiz.author else {}), "file": quiz.origin, "format": quiz.format}
    out = []
    for item, line in zip(items, lines, strict=True):
        entry: dict[str, object] = {"id": item.id, "line": line, "question": item.question, "answer": item.answer}
        if item.accept:
            entry["accept"] = list(item.accept)
        entry["type"] = item.type.value
        if item.distractors:
            entry["distractors"] = list(item.distractors)
        out.append(entry)
    body = yaml.safe_dump({"quiz": header, "items": out}, sort_keys=False, allow_unicode=True, width=110)
    return (f"# Imported by `classbot import` from {quiz.origin}. Each item is a trivia question with no quote\n"
            "# from the course text: its reveal names this quiz instead. Edit freely; `classbot validate` checks it.\n" + body)


@dataclass
class ImportResult:
    path: Path
    quiz: ImportedQuiz
    items: list[TriviaItem]


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "red"
    if suffix in (".csv", ".tsv", ".txt"):
        return "table"
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    return "red" if re.match(r"^(AUTHOR|CONFIG|[\"']?[^\t,]+[\"']?):\s*(\[|$)", first) else "table"


def import_quiz(file: Path, course: Path, *, replace: bool = False, name: str | None = None) -> ImportResult:
    """Read FILE, write ``course/quiz/<name>.yaml`` atomically, or raise QuizImportError/ClassbotError and write nothing."""
    if not course.is_dir():
        raise ClassbotError(f"no course folder '{course}': create one with `classbot new {course} --from NOTES`")
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise ClassbotError(f"cannot read '{file.name}': {e.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ClassbotError(f"'{file.name}' is not UTF-8 text (bad byte at {e.start}); export it as UTF-8") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    origin = file.name
    quiz = parse_red(text, origin) if detect_format(file, text) == "red" else parse_table(text, origin)
    stem = slug(name or file.stem) or "quiz"
    items, problems = to_trivia_items(quiz, stem)
    if problems:
        raise QuizImportError(problems)
    folder = course / QUIZ_FOLDER
    target = folder / f"{stem}.yaml"
    if target.exists() and not replace:
        raise ClassbotError(f"the course already has quiz/{target.name}; add --replace to replace it, or --name to import under another name")
    folder.mkdir(exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(quiz_yaml(quiz, items, [e.line for e in quiz.items]))
            out.flush()
            os.fsync(out.fileno())
        read_back, read_problems = read_quiz_file(tmp, f"quiz/{target.name}")
        if read_problems or len(read_back) != len(items):
            raise QuizImportError(read_problems or [Problem(origin, 0, 0, "the written quiz did not read back whole")])
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return ImportResult(target, quiz, items)
