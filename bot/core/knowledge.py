"""Read a course folder (course.yaml, source texts, fact files) into a Course, collecting every problem.

``read_course`` never raises for content problems: it returns what it could build and the list of
problems, each with file, line and column. ``load_course`` is what the bot uses: it also runs the
cross-checks of ``bot.core.validation`` and refuses an invalid course with ``InvalidCourse``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core.errors import InvalidCourse, Problem
from bot.core.models import AnswerType, Citation, Course, Fact, Passage, Source, TriviaItem, format_location
from bot.core.passages import split_passages
from bot.core.quizfile import QUIZ_FOLDER, read_quiz_folder
from bot.core.synonyms import read_synonyms
from bot.core.text import slug
from bot.core.yamlfile import LDict, LList, load_yaml

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
    """What was read, with problems. ``course`` is None only when nothing usable was found."""

    folder: Path
    course: Course | None
    problems: list[Problem] = field(default_factory=list)
    declared_ids: set[str] = field(default_factory=set)  # every fact id written, even of facts with problems


class _Reader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.declared_ids: set[str] = set()

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
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            value = LList([value])
            value.item_pos = [data.value_pos[key]]
        out = []
        for item, pos in zip(value, getattr(value, "item_pos", [data.value_pos[key]] * len(value)), strict=False):
            if isinstance(item, (dict, list)) or item is None or not str(item).strip():
                self.problem(file, pos, f"each entry of '{key}' in {what} should be a line of text")
                continue
            out.append(str(item).strip())
        return tuple(out)

    # -- course.yaml ----------------------------------------------------------------------------
    def read(self) -> CourseDraft:
        folder = self.folder
        if not folder.exists():
            self.problems.append(Problem(str(folder), 0, 0, "no such folder"))
            return CourseDraft(folder, None, self.problems)
        if folder.is_file():
            return self._read_single_text(folder)
        meta_path = next((folder / n for n in COURSE_FILES if (folder / n).is_file()), None)
        meta: LDict = LDict()
        meta.pos, meta.key_pos, meta.value_pos = (1, 1), {}, {}
        meta_file = self.shown(meta_path) if meta_path else self.shown(folder)
        if meta_path:
            data, problems = load_yaml(meta_path, meta_file)
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
        if not sources:
            self.problem(meta_file, (0, 0), f"no source text found: add a .txt or .md file to {self.shown(folder)}")

        quiz_folder = folder / QUIZ_FOLDER
        fact_files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.name not in COURSE_FILES
                            and p.is_file() and quiz_folder not in p.parents)
        facts: list[Fact] = []
        for path in fact_files:
            facts += self.read_fact_file(path, sources, passages, units)
        quiz, quiz_problems = read_quiz_folder(quiz_folder, self.shown, taken=self.declared_ids)
        self.problems += quiz_problems
        course = Course(
            id=course_id, title=title or course_id, description=description, aliases=aliases,
            sources=tuple(sources), passages=tuple(passages), facts=tuple(facts), folder=str(folder),
            units=tuple(units), synonyms=synonyms, quiz=tuple(quiz),
        )
        return CourseDraft(folder, course, self.problems, self.declared_ids)

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
        if not isinstance(raw, list):
            self.problem(file, meta.value_pos["aliases"], "'aliases' should be a list of groups, e.g. - [USSR, Soviet Union, Soviets]")
            return ()
        groups, seen = [], {}
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
        if not isinstance(raw, list):
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
            texts = sorted(p for p in self.folder.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file()
                           and not p.name.lower().startswith("readme"))
            return [s for p in texts if (s := self._source_from_file(p, slug(p.stem), None, self.shown(p)))]
        if not isinstance(raw, list):
            self.problem(file, meta.value_pos["sources"], "'sources' should be a list of - file: ..., title: ...")
            return []
        sources, ids = [], {}
        for entry, pos in zip(raw, raw.item_pos, strict=True):
            if isinstance(entry, str):
                entry = LDict(file=entry)
                entry.pos, entry.key_pos, entry.value_pos = pos, {"file": pos}, {"file": pos}
            if not isinstance(entry, LDict):
                self.problem(file, pos, "each source should be a mapping with file and title")
                continue
            self.check_keys(entry, SOURCE_KEYS, file, "a source")
            rel = self.text(entry, "file", file, "a source")
            if not rel:
                continue
            path = (self.folder / rel).resolve()
            sid = self.text(entry, "id", file, "a source", slug(Path(rel).stem)) or slug(Path(rel).stem)
            if sid in ids:
                self.problem(file, entry.pos, f"source id '{sid}' is used twice (also line {ids[sid][0]})")
                continue
            ids[sid] = entry.pos
            if not path.is_file():
                self.problem(file, entry.value_pos["file"], f"source file '{rel}' not found in {self.shown(self.folder)}")
                continue
            source = self._source_from_file(path, sid, entry, self.shown(path), rel)
            if source:
                sources.append(source)
        return sources

    def _source_from_file(self, path: Path, sid: str, entry: LDict | None, shown: str, rel: str | None = None) -> Source | None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as e:
            self.problems.append(Problem(shown, 0, 0, f"is not UTF-8 text (bad byte at {e.start}); save it as UTF-8"))
            return None
        except OSError as e:
            self.problems.append(Problem(shown, 0, 0, f"cannot be read: {e.strerror}"))
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            self.problems.append(Problem(shown, 0, 0, "is empty"))
            return None
        entry = entry if entry is not None else LDict()
        first_line = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), path.stem)
        title = entry.get("title") or (first_line if len(first_line) <= 80 else path.stem)
        return Source(
            id=sid, title=str(title), path=rel or path.name, text=text,
            author=_opt(entry.get("author")), url=_opt(entry.get("url")),
            licence=_opt(entry.get("licence", entry.get("license"))),
        )

    # -- fact files -----------------------------------------------------------------------------
    def read_fact_file(self, path: Path, sources: list[Source], passages: list[Passage], units: list[tuple[str, str]]) -> list[Fact]:
        file = self.shown(path)
        data, problems = load_yaml(path, file)
        self.problems += problems
        if data is None:
            return []
        if isinstance(data, LList):  # a bare list of facts is fine too
            items = data
        elif isinstance(data, LDict):
            self.check_keys(data, {"facts": True}, file, "a fact file")
            items = data.get("facts")
            if items is None:
                return []
            if not isinstance(items, LList):
                self.problem(file, data.value_pos["facts"], "'facts' should be a list: each fact starts with '- id: ...'")
                return []
        else:
            self.problem(file, (1, 1), "a fact file should start with 'facts:' followed by a list of facts")
            return []
        facts = []
        for item, pos in zip(items, items.item_pos, strict=True):
            if not isinstance(item, LDict):
                self.problem(file, pos, "each fact should be a mapping (id:, questions:, answer:, quote:)")
                continue
            fact = self.read_fact(item, file, sources, passages, units)
            if fact:
                facts.append(fact)
        return facts

    def read_fact(self, item: LDict, file: str, sources: list[Source], passages: list[Passage], units) -> Fact | None:
        self.check_keys(item, FACT_KEYS, file, "a fact")
        fid = self.text(item, "id", file, "a fact")
        if fid:
            self.declared_ids.add(fid)
        what = f"fact '{fid}'" if fid else "a fact"
        if fid and not _ID.match(fid):
            self.problem(file, item.value_pos["id"], f"fact id '{fid}' should use only letters, digits, dashes and dots")
        questions = self.text_list(item, "questions", file, what)
        if "questions" in item and not questions:
            self.problem(file, item.value_pos["questions"], f"{what} needs at least one question")
        answer = self.text(item, "answer", file, what)
        quote = self.text(item, "quote", file, what)
        unit = self.text(item, "unit", file, what)
        if unit and units and unit not in {u for u, _ in units}:
            close = difflib.get_close_matches(unit, [u for u, _ in units], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(file, item.value_pos["unit"], f"{what}: unit '{unit}' is not one of course.yaml's units{hint}")
        source = self._fact_source(item, file, what, sources)
        citation = None
        if source and quote:
            citation = cite(source, passages, quote)
            if citation is None:
                self.problem(file, item.value_pos["quote"], f"{what}: quote not found in '{source.path}'. {closest_hint(quote, source.id, passages)}")
        trivia = self.read_trivia(item, file, what, fid) if "trivia" in item else None
        draft = item.get("draft", False)
        if not isinstance(draft, bool):
            self.problem(file, item.value_pos["draft"], f"'draft' of {what} should be true or false")
            draft = False
        if not (fid and questions and answer and citation):
            return None
        return Fact(
            id=fid, questions=questions, answer=answer, citation=citation,
            keywords=self.text_list(item, "keywords", file, what), unit=unit,
            tags=self.text_list(item, "tags", file, what), related=self.text_list(item, "related", file, what),
            trivia=trivia, file=file, line=item.pos[0], draft=draft,
        )

    def _fact_source(self, item: LDict, file: str, what: str, sources: list[Source]) -> Source | None:
        sid = self.text(item, "source", file, what)
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
        tolerance = raw.get("tolerance", 0) or 0
        if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or tolerance < 0:
            self.problem(file, raw.value_pos["tolerance"], "trivia tolerance should be a number of 0 or more")
            tolerance = 0
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


def _opt(value) -> str | None:
    return str(value).strip() if value not in (None, "") else None


# -- citations ----------------------------------------------------------------------------------
_WS = re.compile(r"\s+")


def _squash_with_map(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs folded to one space and straight apostrophes, plus original offsets."""
    out, where = [], []
    last_space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not last_space:
                out.append(" ")
                where.append(i)
            last_space = True
            continue
        out.append("'" if ch in "\u2019\u2018" else ch)
        where.append(i)
        last_space = False
    return "".join(out), where


def cite(source: Source, passages: list[Passage] | tuple[Passage, ...], quote: str) -> Citation | None:
    """The citation for a quote: the whole sentence(s) of the source it falls in."""
    squashed, where = _squash_with_map(source.text)
    needle = _WS.sub(" ", quote.replace("\u2019", "'").replace("\u2018", "'")).strip()
    at = squashed.find(needle)
    if at < 0 or not needle:
        return None
    start, end = where[at], where[at + len(needle) - 1] + 1
    hit = [p for p in passages if p.source_id == source.id and p.start < end and p.end > start]
    if not hit:
        return None
    return citation_for(source, hit)


def citation_for(source: Source, passages: list[Passage]) -> Citation:
    first, last = passages[0], passages[-1]
    return Citation(
        source_id=source.id, source_title=source.title,
        location=format_location(first.section, first.paragraph, first.line_start, last.line_end),
        quote=" ".join(p.text for p in passages), passage_ids=tuple(p.id for p in passages), url=source.url,
    )


def closest_hint(quote: str, source_id: str, passages) -> str:
    candidates = {p.id: p.text for p in passages if p.source_id == source_id}
    if not candidates:
        return "The source has no text."
    best = process.extractOne(quote, candidates, scorer=fuzz.partial_ratio)
    if not best or best[1] < 40:
        return "Nothing in the source is close: check you quoted the right text."
    passage = next(p for p in passages if p.id == best[2])
    return f"Closest passage ({passage.location}): \"{passage.text}\""


# -- entry points -------------------------------------------------------------------------------
def read_course(path: str | Path) -> CourseDraft:
    return _Reader(Path(path).resolve()).read()


def load_course(path: str | Path) -> Course:
    """Load and validate a course; raise InvalidCourse listing every problem."""
    from bot.core.validation import validate

    report = validate(path)
    if report.problems:
        raise InvalidCourse(report.problems)
    assert report.course is not None
    return report.course


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
