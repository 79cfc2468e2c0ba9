"""Read a course folder (course.yaml, source texts, fact files) into a Course, collecting every problem.

``read_course`` never raises for content problems: it returns what it could build and the list of
problems, each with file, line and column. ``load_course`` is what the bot uses: it also runs the
cross-checks of ``bot.core.validation`` and refuses an invalid course with ``InvalidCourse``.

Why one module of about 570 lines: ``_Reader`` reads one course folder in one pass and every part
(course.yaml, sources, fact files, trivia items) records its problems in the same list with the same
file/line rules and checks ids against what the others declared; the pieces that stand alone are
already out (``yamlfile``, ``passages``, ``citations``, ``quizfile``, ``synonyms``, ``validation``).
"""

from __future__ import annotations

import difflib
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.citations import SourceIndex, citation_for, cite, fold_quote
from bot.core.errors import InvalidCourse, Problem
from bot.core.models import AnswerType, Course, Fact, Passage, Source, TriviaItem
from bot.core.passages import split_passages
from bot.core.quizfile import QUIZ_FOLDER, read_quiz_folder
from bot.core.synonyms import read_synonyms
from bot.core.text import slug
from bot.core.yamlfile import LDict, LList, Pos, load_yaml, new_dict

__all__ = ["CourseDraft", "read_course", "load_course", "load_courses", "all_problems", "course_folders", "cite",
           "citation_for"]

SOURCE_SUFFIXES = (".txt", ".md", ".markdown")
COURSE_FILES = ("course.yaml", "course.yml")


def _is_markdown(name: str) -> bool:
    return name.lower().endswith((".md", ".markdown"))
COURSE_KEYS = {"id": False, "title": False, "description": False, "aliases": False, "synonyms": False, "sources": False, "units": False}
SOURCE_KEYS = {"id": False, "file": True, "title": False, "author": False, "url": False, "licence": False, "license": False}
UNIT_KEYS = {"id": True, "title": False, "description": False}
FACT_KEYS = {
    "id": True, "questions": True, "answer": True, "quote": True, "keywords": False, "source": False,
    "unit": False, "tags": False, "related": False, "trivia": False, "draft": False,
}
TRIVIA_KEYS = {
    "question": True, "answer": True, "accept": False, "type": False, "distractors": False,
    "difficulty": False, "tolerance": False,
}
DIFFICULTIES = ("easy", "medium", "hard")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class CourseDraft:
    """What was read, with problems. ``course`` is None only when nothing usable was found.

    ``problems`` lists root causes first (course.yaml, unreadable folders and sources), then the
    fact files' own problems; a fact that cannot be checked because its source is broken is not
    reported again.
    """

    folder: Path
    course: Course | None
    problems: list[Problem] = field(default_factory=list)
    declared_ids: set[str] = field(default_factory=set)  # every fact id written, even of facts with problems
    roots: int = 0  # how many of the problems, at the front, are root causes


@dataclass
class _PendingFact:
    """A fact read from its file, waiting for its quote to be found (all quotes are looked up at once)."""

    item: LDict
    file: str
    what: str
    fields: dict[str, Any]
    source: Source
    quote: str


class _Reader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.declared_ids: set[str] = set()
        self.broken_sources: set[str] = set()  # ids and paths of declared sources that could not be read
        self.yaml_files: list[Path] = []
        self.text_files: list[Path] = []

    def inside(self, path: Path) -> Path | None:
        """The real path of a course file when it lies inside the course folder (after links), else None."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, a NUL in the name
            return None
        return real if real.is_relative_to(self.folder) else None

    def scan(self) -> None:
        """Every file of the course folder, once; unreadable folders and links leading out are problems."""

        def unreadable(error: OSError) -> None:
            where = Path(error.filename) if error.filename else self.folder
            self.problems.append(Problem(self.shown(where), 0, 0, f"cannot be read ({error.strerror or error}): "
                                         "the files in it are not loaded; make the folder readable to the bot"))

        seen = {self.folder}
        for root, dirs, files in os.walk(self.folder, onerror=unreadable, followlinks=True):
            kept = []
            for name in sorted(dirs):  # a linked folder is followed only while it stays inside, once
                real = self.inside(Path(root) / name)
                if real is None:
                    self.problem(self.shown(Path(root) / name), (0, 0), "is a link to a folder outside the course "
                                 "folder; a course may only use its own files: copy them into the folder instead")
                elif real not in seen:
                    seen.add(real)
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                path = Path(root) / name
                suffix = path.suffix.lower()
                if suffix not in (".yaml", ".yml", *SOURCE_SUFFIXES):
                    continue
                if self.inside(path) is None:
                    self.problem(self.shown(path), (0, 0), "is a link to a file outside the course folder; a course "
                                 "may only use its own files: copy the file into the folder instead")
                    continue
                if not path.is_file():
                    continue
                (self.yaml_files if suffix in (".yaml", ".yml") else self.text_files).append(path)

    def shown(self, path: Path) -> str:
        """The path as the teacher knows it: from the working directory, else from the course's parent."""
        for base in (Path.cwd(), self.folder.parent):
            try:
                return str(path.relative_to(base))
            except ValueError:
                continue
        return str(path)

    def problem(self, file: str, pos: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(file, pos[0], pos[1], message))

    # -- schema helpers -------------------------------------------------------------------------
    def check_keys(self, data: LDict, allowed: dict[str, bool], file: str, what: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
                self.problem(file, data.key_pos[key], f"unknown key '{key}' in {what}{hint}")
        for key, required in allowed.items():
            if required and key not in data:
                self.problem(file, data.pos, f"{what} is missing '{key}'")

    def text(self, data: LDict, key: str, file: str, what: str, default: str | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            if key in data:
                self.problem(file, data.value_pos[key], f"'{key}' of {what} is empty")
            return default
        if isinstance(value, (LDict, LList)):
            self.problem(file, data.value_pos[key], f"'{key}' of {what} should be text, not a {'list' if isinstance(value, list) else 'mapping'}")
            return default
        value = str(value).strip()
        if not value:
            self.problem(file, data.value_pos[key], f"'{key}' of {what} is empty")
            return default
        return value

    def text_list(self, data: LDict, key: str, file: str, what: str) -> tuple[str, ...]:
        return tuple(text for text, _ in self.text_items(data, key, file, what))

    def text_items(self, data: LDict, key: str, file: str, what: str) -> list[tuple[str, tuple[int, int]]]:
        """The entries of a list of lines of text, each with where it stands."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, LList):
            kind = "a mapping" if isinstance(value, LDict) else f"the single value '{_short(value)}'"
            self.problem(file, data.value_pos[key], f"'{key}' of {what} should be a list, not {kind}: write each "
                         f"entry on its own line starting with '- ', or as [first, second]")
            return []
        out = []
        for item, pos in zip(value, value.item_pos, strict=True):
            if isinstance(item, (dict, list)) or item is None or not str(item).strip():
                self.problem(file, pos, f"each entry of '{key}' in {what} should be a line of text")
                continue
            out.append((str(item).strip(), pos))
        return out

    # -- course.yaml ----------------------------------------------------------------------------
    def read(self) -> CourseDraft:
        folder = self.folder
        if not folder.exists():
            self.problems.append(Problem(str(folder), 0, 0, "no such folder"))
            return CourseDraft(folder, None, self.problems)
        if folder.is_file():
            return self._read_single_text(folder)
        self.scan()
        meta_path = next((p for p in self.yaml_files if p.parent == folder and p.name in COURSE_FILES), None)
        meta: LDict = new_dict()
        meta_file = self.shown(meta_path) if meta_path else self.shown(folder)
        if meta_path:
            data, problems = load_yaml(meta_path, meta_file, typed=False)
            self.problems += problems
            if isinstance(data, LDict):
                meta = data
            elif data is not None:
                self.problem(meta_file, (1, 1), "course.yaml should be a mapping (id:, title:, sources: ...)")
            self.check_keys(meta, COURSE_KEYS, meta_file, "course.yaml")

        course_id = self.text(meta, "id", meta_file, "the course", folder.name) or folder.name
        if not _ID.match(course_id):
            self.problem(meta_file, meta.value_pos.get("id", (1, 1)), f"course id '{course_id}' should use only letters, digits and dashes")
        title = self.text(meta, "title", meta_file, "the course", folder.name.replace("-", " ").replace("_", " ").title())
        description = self.text(meta, "description", meta_file, "the course", "") or ""
        aliases = self.read_aliases(meta, meta_file)
        synonyms = read_synonyms(self, meta, meta_file)
        units = self.read_units(meta, meta_file)
        sources = self.read_sources(meta, meta_file)
        passages: list[Passage] = []
        for source in sources:
            passages += split_passages(source.id, source.text, markdown=_is_markdown(source.path))
        if not sources and not self.broken_sources:
            self.problem(meta_file, (0, 0), f"no source text found: add a .txt or .md file to {self.shown(folder)}")
        roots = len(self.problems)

        quiz_folder = folder / QUIZ_FOLDER
        fact_files = [p for p in self.yaml_files if p != meta_path and quiz_folder not in p.parents]
        pending: list[_PendingFact | Fact] = []
        for path in fact_files:
            pending += self.read_fact_file(path, sources, units)
        facts = self.resolve_quotes(pending, sources, passages)
        quiz_files = [p for p in self.yaml_files if p.parent == quiz_folder]
        quiz, quiz_problems = read_quiz_folder(quiz_folder, self.shown, taken=self.declared_ids, files=quiz_files)
        self.problems += quiz_problems
        course = Course(
            id=course_id, title=title or course_id, description=description, aliases=aliases,
            sources=tuple(sources), passages=tuple(passages), facts=tuple(facts), folder=str(folder),
            units=tuple(units), synonyms=synonyms, quiz=tuple(quiz),
        )
        return CourseDraft(folder, course, self.problems, self.declared_ids, roots)

    def resolve_quotes(self, pending: list[_PendingFact | Fact], sources: list[Source], passages: list[Passage]) -> list[Fact]:
        """Find every quote, one pass per source, and finish the facts (in file order)."""
        found: dict[str, tuple[SourceIndex, dict[str, int]]] = {}
        for source in sources:
            quotes = [fold_quote(p.quote) for p in pending if isinstance(p, _PendingFact) and p.source is source]
            if quotes:
                index = SourceIndex(source, passages)
                found[source.id] = (index, index.find_many(quotes))
        facts = []
        for p in pending:
            if isinstance(p, Fact):
                facts.append(p)
                continue
            index, places = found[p.source.id]
            needle = fold_quote(p.quote)
            at = places.get(needle)
            citation = index.citation(needle, at) if at is not None else None
            if citation is None:
                self.problem(p.file, p.item.value_pos["quote"], f"{p.what}: quote not found in '{p.source.path}'. {index.closest_hint(p.quote)}")
            elif p.fields:
                facts.append(Fact(citation=citation, **p.fields))
        return facts

    def _read_single_text(self, path: Path) -> CourseDraft:
        source = self._source_from_file(path, path.stem, None, self.shown(path))
        passages = split_passages(path.stem, source.text, markdown=_is_markdown(path.name)) if source else []
        course = Course(id=slug(path.stem), title=source.title if source else path.stem, description="", aliases=(),
                        sources=(source,) if source else (), passages=tuple(passages), facts=(), folder=str(path.parent))
        return CourseDraft(path.parent, course, self.problems)

    def read_aliases(self, meta: LDict, file: str) -> tuple[tuple[str, ...], ...]:
        raw = meta.get("aliases")
        if raw is None:
            return ()
        if not isinstance(raw, LList):
            self.problem(file, meta.value_pos["aliases"], "'aliases' should be a list of groups, e.g. - [USSR, Soviet Union, Soviets]")
            return ()
        groups: list[tuple[str, ...]] = []
        seen: dict[str, Pos] = {}
        for group, pos in zip(raw, raw.item_pos, strict=True):
            if not isinstance(group, list) or len(group) < 2 or any(isinstance(g, (dict, list)) or g is None for g in group):
                self.problem(file, pos, "each alias group should list two or more names, e.g. [USSR, Soviet Union]")
                continue
            names = tuple(str(g).strip() for g in group)
            for name in names:
                key = name.lower()
                if key in seen and seen[key] != pos:
                    self.problem(file, pos, f"'{name}' is in two alias groups (also line {seen[key][0]}); a name can mean only one thing")
                seen[key] = pos
            groups.append(names)
        return tuple(groups)

    def read_units(self, meta: LDict, file: str) -> list[tuple[str, str]]:
        raw = meta.get("units")
        if raw is None:
            return []
        if not isinstance(raw, LList):
            self.problem(file, meta.value_pos["units"], "'units' should be a list of - id: ..., title: ...")
            return []
        units = []
        for unit, pos in zip(raw, raw.item_pos, strict=True):
            if isinstance(unit, str):
                units.append((unit, unit))
                continue
            if not isinstance(unit, LDict):
                self.problem(file, pos, "each unit should be a mapping with id and title")
                continue
            self.check_keys(unit, UNIT_KEYS, file, "a unit")
            uid = self.text(unit, "id", file, "a unit")
            if uid:
                units.append((uid, self.text(unit, "title", file, f"unit '{uid}'", uid) or uid))
        return units

    def read_sources(self, meta: LDict, file: str) -> list[Source]:
        raw = meta.get("sources")
        if raw is None:  # every text file in the folder
            texts = [p for p in self.text_files if not p.name.lower().startswith("readme")]
            return [s for p in texts if (s := self._source_from_file(p, slug(p.stem), None, self.shown(p)))]
        if not isinstance(raw, LList):
            self.problem(file, meta.value_pos["sources"], "'sources' should be a list of - file: ..., title: ...")
            return []
        sources: list[Source] = []
        ids: dict[str, Pos] = {}
        for entry, pos in zip(raw, raw.item_pos, strict=True):
            if isinstance(entry, str):
                entry = new_dict(pos, file=entry)
            if not isinstance(entry, LDict):
                self.problem(file, pos, "each source should be a mapping with file and title")
                continue
            self.check_keys(entry, SOURCE_KEYS, file, "a source")
            rel = self.text(entry, "file", file, "a source")
            if not rel:
                continue
            sid = self.text(entry, "id", file, "a source", slug(Path(rel).stem)) or slug(Path(rel).stem)
            if sid in ids:
                self.problem(file, entry.pos, f"source id '{sid}' is used twice (also line {ids[sid][0]})")
                continue
            ids[sid] = entry.pos
            if "\0" in rel:
                self.broken_sources |= {sid, rel}
                self.problem(file, entry.value_pos["file"], "source file name holds a NUL character (\\0): write the plain file name")
                continue
            path = self.inside(self.folder / rel)
            if path is None:
                self.broken_sources |= {sid, rel}
                self.problem(file, entry.value_pos["file"], f"source file '{rel}' is outside the course folder; a "
                             f"course may only use files inside {self.shown(self.folder)}: copy the text into it")
                continue
            if not path.is_file():
                self.problem(file, entry.value_pos["file"], f"source file '{rel}' not found in {self.shown(self.folder)}")
                self.broken_sources |= {sid, rel}
                continue
            source = self._source_from_file(path, sid, entry, self.shown(path), rel)
            if source:
                sources.append(source)
            else:
                self.broken_sources |= {sid, rel}
        return sources

    def _source_from_file(self, path: Path, sid: str, entry: LDict | None, shown: str, rel: str | None = None) -> Source | None:
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            self.problems.append(Problem(shown, line, 0, "is not UTF-8 text (this line has a character saved in another "
                                         "encoding); save the file as UTF-8. Facts citing it are checked once it reads"))
            return None
        except OSError as e:
            self.problems.append(Problem(shown, 0, 0, f"cannot be read: {e.strerror or e}"))
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            self.problems.append(Problem(shown, 0, 0, "is empty: put the course text in it. Facts citing it are checked once it has text"))
            return None
        entry = entry if entry is not None else new_dict()
        first_line = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), path.stem)
        title = entry.get("title") or (first_line if len(first_line) <= 80 else path.stem)
        return Source(
            id=sid, title=str(title), path=rel or path.name, text=text,
            author=_opt(entry.get("author")), url=_opt(entry.get("url")),
            licence=_opt(entry.get("licence", entry.get("license"))),
        )

    # -- fact files -----------------------------------------------------------------------------
    def read_fact_file(self, path: Path, sources: list[Source], units: list[tuple[str, str]]) -> list[_PendingFact | Fact]:
        file = self.shown(path)
        data, problems = load_yaml(path, file, typed=False)
        self.problems += problems
        if data is None:
            return []
        if isinstance(data, LList):  # a bare list of facts is fine too
            items = data
        elif isinstance(data, LDict):
            self.check_keys(data, {"facts": True}, file, "a fact file")
            listed = data.get("facts")
            if listed is None:
                return []
            if not isinstance(listed, LList):
                self.problem(file, data.value_pos["facts"], "'facts' should be a list: each fact starts with '- id: ...'")
                return []
            items = listed
        else:
            self.problem(file, (1, 1), "a fact file should start with 'facts:' followed by a list of facts")
            return []
        facts: list[_PendingFact | Fact] = []
        for item, pos in zip(items, items.item_pos, strict=True):
            if not isinstance(item, LDict):
                self.problem(file, pos, "each fact should be a mapping (id:, questions:, answer:, quote:)")
                continue
            fact = self.read_fact(item, file, sources, units)
            if fact:
                facts.append(fact)
        return facts

    def read_fact(self, item: LDict, file: str, sources: list[Source], units: list[tuple[str, str]]) -> _PendingFact | None:
        self.check_keys(item, FACT_KEYS, file, "a fact")
        fid = self.text(item, "id", file, "a fact")
        if fid:
            self.declared_ids.add(fid)
        what = f"fact '{fid}'" if fid else "a fact"
        if fid and not _ID.match(fid):
            self.problem(file, item.value_pos["id"], f"fact id '{fid}' should use only letters, digits, dashes and dots")
        asked = self.text_items(item, "questions", file, what)
        questions = tuple(q for q, _ in asked)
        if isinstance(item.get("questions"), LList) and not questions:
            self.problem(file, item.value_pos["questions"], f"{what} needs at least one question")
        answer = self.text(item, "answer", file, what)
        quote = self.text(item, "quote", file, what)
        unit = self.text(item, "unit", file, what)
        if unit and units and unit not in {u for u, _ in units}:
            close = difflib.get_close_matches(unit, [u for u, _ in units], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(file, item.value_pos["unit"], f"{what}: unit '{unit}' is not one of course.yaml's units{hint}")
        source = self._fact_source(item, file, what, sources)
        trivia = self.read_trivia(item, file, what, fid) if "trivia" in item else None
        draft = _flag(item.get("draft", "false"))
        if draft is None:
            self.problem(file, item.value_pos["draft"], f"'draft' of {what} should be true or false")
            draft = False
        fields = dict(
            id=fid, questions=questions, answer=answer,
            keywords=self.text_list(item, "keywords", file, what), unit=unit,
            tags=self.text_list(item, "tags", file, what), related=self.text_list(item, "related", file, what),
            trivia=trivia, file=file, line=item.pos[0], question_lines=tuple(pos[0] for _, pos in asked), draft=draft,
        )
        if not (source and quote):
            return None
        # the quote is still checked when the fact has other problems; the fact is kept only without any
        return _PendingFact(item, file, what, fields if (fid and questions and answer) else {}, source, quote)

    def _fact_source(self, item: LDict, file: str, what: str, sources: list[Source]) -> Source | None:
        sid = self.text(item, "source", file, what)
        if self.broken_sources and (sid is None or sid in self.broken_sources):
            return None  # its source could not be read: reported there, once
        if sid is None:
            if len(sources) == 1:
                return sources[0]
            if sources:
                self.problem(file, item.pos, f"{what}: the course has {len(sources)} sources; say which with 'source:' ({', '.join(s.id for s in sources)})")
            return None
        for s in sources:
            if sid in (s.id, s.path):
                return s
        close = difflib.get_close_matches(sid, [s.id for s in sources], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (sources: {', '.join(s.id for s in sources) or 'none'})"
        self.problem(file, item.value_pos["source"], f"{what} cites source '{sid}', which the course does not have{hint}")
        return None

    def read_trivia(self, item: LDict, file: str, what: str, fid: str | None) -> TriviaItem | None:
        raw = item["trivia"]
        if not isinstance(raw, LDict):
            self.problem(file, item.value_pos["trivia"], f"'trivia' of {what} should be a mapping with question and answer")
            return None
        self.check_keys(raw, TRIVIA_KEYS, file, f"the trivia of {what}")
        question = self.text(raw, "question", file, f"the trivia of {what}")
        answer = self.text(raw, "answer", file, f"the trivia of {what}")
        kind = self.text(raw, "type", file, f"the trivia of {what}", "text") or "text"
        try:
            answer_type = AnswerType(kind.lower())
        except ValueError:
            self.problem(file, raw.value_pos["type"], f"trivia type '{kind}' should be one of: {', '.join(t.value for t in AnswerType)}")
            answer_type = AnswerType.TEXT
        difficulty = (self.text(raw, "difficulty", file, f"the trivia of {what}", "medium") or "medium").lower()
        if difficulty not in DIFFICULTIES:
            self.problem(file, raw.value_pos["difficulty"], f"trivia difficulty '{difficulty}' should be easy, medium or hard")
        tolerance = _number(raw.get("tolerance"))
        if tolerance is None or not math.isfinite(tolerance) or tolerance < 0:
            self.problem(file, raw.value_pos["tolerance"], "trivia tolerance should be a number of 0 or more, such as 2 or 0.5")
            tolerance = 0.0
        if answer and answer_type in (AnswerType.NUMBER, AnswerType.YEAR) and not re.fullmatch(r"-?\d+(?:[.,]\d+)?", answer.replace(",", "")):
            self.problem(file, raw.value_pos["answer"], f"trivia answer '{answer}' is of type {answer_type.value} but is not a number")
        if not (question and answer and fid):
            return None
        return TriviaItem(
            id=fid, fact_id=fid, question=question, answer=answer,
            accept=self.text_list(raw, "accept", file, f"the trivia of {what}"), type=answer_type,
            distractors=self.text_list(raw, "distractors", file, f"the trivia of {what}"),
            difficulty=difficulty if difficulty in DIFFICULTIES else "medium", tolerance=float(tolerance),
        )


def _opt(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _number(value: object) -> float | None:
    if value is None:
        return 0.0
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def _flag(value: object) -> bool | None:
    """A yes/no value as written in a course file (values stay text there), or None when it is neither."""
    word = str(value).strip().lower()
    return True if word in {"true", "yes", "on"} else False if word in {"false", "no", "off"} else None


def _short(value: object, limit: int = 40) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# -- entry points -------------------------------------------------------------------------------
def read_course(path: str | Path) -> CourseDraft:
    return _Reader(Path(path).resolve()).read()


def load_course(path: str | Path) -> Course:
    """Load and validate a course; raise InvalidCourse listing every problem."""
    draft = read_course(path)
    problems = all_problems(draft)
    if problems:
        raise InvalidCourse(problems)
    assert draft.course is not None
    return draft.course


def all_problems(draft: CourseDraft) -> list[Problem]:
    """The draft's problems and the whole-course checks' (``bot.core.coursechecks``): root causes
    first, the rest by file and line."""
    from bot.core.coursechecks import course_problems

    roots, rest = draft.problems[: draft.roots], draft.problems[draft.roots :]
    if draft.course is not None:
        rest = rest + course_problems(draft.course, draft.declared_ids)
    return roots + sorted(rest, key=lambda p: (p.file, p.line, p.column))


def course_folders(path: str | Path) -> list[Path]:
    """A course folder, a single text file, or a folder of course folders."""
    path = Path(path)
    if path.is_file() or not path.is_dir():
        return [path]
    if any((path / n).is_file() for n in COURSE_FILES) or any(
        p.suffix.lower() in SOURCE_SUFFIXES for p in path.iterdir() if p.is_file() and not p.name.lower().startswith("readme")
    ) or (path / "sources").is_dir():
        return [path]
    subs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return subs or [path]


def load_courses(path: str | Path) -> list[Course]:
    return [load_course(p) for p in course_folders(path)]
