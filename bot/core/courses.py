"""Several courses in one deployment: the library of loaded courses, which one answers where, and
replacing a course while the bot runs.

``CourseLibrary`` maps each course id to its engine. A question, ``/topics`` or a trivia round
uses the course bound to its channel, else the one bound to its server, else the default (the
``default_course`` setting; without it, one course alone, or every course together as before).

A course is replaced atomically: the new course is read, validated and indexed off to the side,
then one assignment swaps it in. A question already being answered holds the engine it started
with and finishes on the old course; the next question gets the new one. An invalid course never
replaces a working one: the problems (file:line) are returned to whoever asked for the reload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.core.answering import Engine, MultiEngine
from bot.core.errors import ConfigError, CourseError, InvalidCourse, Problem
from bot.core.meaning import VectorCache
from bot.core.models import Answer, Course, Topic
from bot.core.store import CourseBindingStore

log = logging.getLogger(__name__)

BoundBy = Literal["channel", "server", "default"]
ReloadStatus = Literal["reloaded", "added", "invalid", "unreadable"]


@dataclass(frozen=True, slots=True)
class CourseInfo:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class CourseChoice:
    """The course used in one channel, and why (what ``/course`` shows)."""

    course: CourseInfo | None  # None: every course answers together (several courses, no default)
    bound_by: BoundBy
    available: tuple[CourseInfo, ...]
    default: CourseInfo | None


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What reloading one course folder did. ``problems`` are the reasons an invalid course was kept out."""

    folder: str  # the folder's name, as the teacher knows it
    course_id: str | None
    status: ReloadStatus
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in ("reloaded", "added")


def _build(folder: Path, vectors: VectorCache | None) -> Engine:
    """Read, validate and index one course folder (slow: run it off the event loop)."""
    from bot.core.knowledge import load_course

    return Engine(load_course(folder), vectors=vectors)


class CourseLibrary:
    """The courses of one deployment, by id. Read from any thread; changed only by ``reload``."""

    def __init__(self, engines: Iterable[Engine], default_id: str | None = None, *, root: Path | None = None,
                 folders: dict[str, Path] | None = None, vectors: VectorCache | None = None):
        self._engines: dict[str, Engine] = {e.course.id: e for e in engines}
        if not self._engines:
            raise ConfigError("no course to serve")
        if default_id and default_id not in self._engines:
            raise ConfigError(f"default_course {default_id!r} is not one of the courses: {', '.join(self.ids())}")
        self.default_id = default_id or (next(iter(self._engines)) if len(self._engines) == 1 else None)
        self.root = root
        self._folders: dict[str, Path] = dict(folders or {})  # course id -> its folder
        self._all: MultiEngine | None = None
        self._vectors = vectors  # where reloaded courses keep their sentence vectors
        self._lock = asyncio.Lock()

    @classmethod
    def load(cls, path: str | Path, default_id: str | None = None, vectors: VectorCache | None = None) -> CourseLibrary:
        """Every course under ``path`` (a course folder, a folder of courses or a text file).
        ``vectors``: where to keep the courses' sentence vectors between starts (None: in memory only).
        Raises InvalidCourse (every problem of every course) or ConfigError (unknown default)."""
        from bot.core.knowledge import course_folders

        engines, folders, problems = [], {}, []
        for folder in course_folders(path):
            try:
                engine = _build(folder, vectors)
            except InvalidCourse as e:
                problems += e.problems
                continue
            engines.append(engine)
            folders[engine.course.id] = Path(folder).resolve()
        if problems:
            raise InvalidCourse(problems)
        return cls(engines, default_id, root=Path(path).resolve(), folders=folders, vectors=vectors)

    # ---- looking courses up --------------------------------------------------------------
    def ids(self) -> list[str]:
        return list(self._engines)

    def infos(self) -> tuple[CourseInfo, ...]:
        return tuple(CourseInfo(e.course.id, e.course.title) for e in self._engines.values())

    def engine(self, course_id: str | None) -> Engine | None:
        return self._engines.get(course_id or "")

    def get_course(self, course_id: str | None) -> Course | None:
        engine = self.engine(course_id)
        return engine.course if engine is not None else None

    def has_trivia(self) -> bool:
        return any(e.course.trivia_items for e in self._engines.values())

    def folder(self, course_id: str) -> Path | None:
        return self._folders.get(course_id)

    def folders(self) -> dict[str, Path]:
        return dict(self._folders)

    def default_engine(self) -> Engine | MultiEngine:
        engine = self.engine(self.default_id)
        if engine is not None:
            return engine
        engines = list(self._engines.values())
        if len(engines) == 1:
            return engines[0]
        if self._all is None or [e for e in self._all.engines] != engines:
            self._all = MultiEngine(engines)
        return self._all

    # The library answers like one engine (its default), so code written for one course keeps working.
    @property
    def course(self) -> Course:
        """The default course (the first course when every course answers together): trivia's default."""
        return self.default_engine().course

    def ask(self, question: str) -> Answer:
        return self.default_engine().ask(question)

    def topics(self) -> list[Topic]:
        return self.default_engine().topics()

    def for_course(self, course_id: str) -> Engine | None:
        return self.engine(course_id)

    # ---- which course answers where ------------------------------------------------------
    async def choice(self, store: CourseBindingStore | None, platform: str, guild_id: str | None, channel_id: str | None) -> CourseChoice:
        """The course bound to this channel, else to its server, else the default.
        ``store``: None: the default everywhere."""
        default = self._info(self.default_id)
        if store is not None and guild_id:
            bindings = {b.channel_id: b for b in await store.course_bindings(platform, str(guild_id))}
            places: tuple[tuple[str, BoundBy], ...] = ((str(channel_id or ""), "channel"), ("", "server"))
            for key, bound_by in places:
                binding = bindings.get(key)
                if binding is None or (bound_by == "channel" and not channel_id):
                    continue
                if binding.course_id in self._engines:
                    return CourseChoice(self._info(binding.course_id), bound_by, self.infos(), default)
                log.warning("%s %s is bound to course %r, which is not loaded: using the next choice",
                            bound_by, key or guild_id, binding.course_id)
        return CourseChoice(default, "default", self.infos(), default)

    async def engine_for(self, store: CourseBindingStore | None, platform: str, guild_id: str | None,
                         channel_id: str | None) -> Engine | MultiEngine:
        choice = await self.choice(store, platform, guild_id, channel_id)
        engine = self.engine(choice.course.id) if choice.course else None
        return engine if engine is not None else self.default_engine()  # a course unloaded meanwhile: the default

    def _info(self, course_id: str | None) -> CourseInfo | None:
        engine = self.engine(course_id)
        return CourseInfo(engine.course.id, engine.course.title) if engine else None

    def require(self, course_id: str) -> CourseInfo:
        """The course with this id (case ignored), or CourseError listing the courses there are."""
        wanted = course_id.strip().lower()
        for info in self.infos():
            if info.id.lower() == wanted:
                return info
        raise CourseError(f"There is no course {course_id.strip()!r}. Courses: {', '.join(self.ids())}.")

    # ---- replacing courses while the bot runs --------------------------------------------
    async def reload(self, folders: Iterable[Path] | None = None) -> list[ReloadResult]:
        """Re-read the given course folders (default: every course folder, and any new one under
        the root); each valid course replaces its old version atomically, an invalid one leaves the
        old version in service and reports its problems. One reload at a time."""
        async with self._lock:
            if folders is None:
                folders = self._scan()
            results = []
            for folder in folders:
                result = await asyncio.to_thread(self._reload_one, Path(folder))
                results.append(result)
            return results

    def _scan(self) -> list[Path]:
        from bot.core.knowledge import course_folders

        known = set(self._folders.values())
        found = [Path(f).resolve() for f in course_folders(self.root)] if self.root is not None else []
        return sorted(known | set(found))

    def _reload_one(self, folder: Path) -> ReloadResult:
        shown = folder.name
        old_id = next((cid for cid, f in self._folders.items() if f == folder), None)
        try:
            engine = _build(folder, self._vectors)
        except InvalidCourse as e:
            log.warning("course %s has %d problem(s); still serving the previous version:\n%s",
                        shown, len(e.problems), "\n".join(f"  {p}" for p in e.problems))
            return ReloadResult(shown, old_id, "invalid", tuple(e.problems))
        except Exception:  # an unreadable folder must not stop the bot: keep the old course
            log.exception("could not reload course %s; still serving the previous version", shown)
            return ReloadResult(shown, old_id, "unreadable", (Problem(shown, 0, 0, "could not be read (see the bot's log)"),))
        new_id = engine.course.id
        if new_id != old_id and new_id in self._engines:
            problem = Problem(shown, 0, 0, f"course id {new_id!r} is already used by another course folder")
            log.warning("course %s: %s; not loaded", shown, problem.message)
            return ReloadResult(shown, old_id, "invalid", (problem,))
        engines, folders = dict(self._engines), dict(self._folders)
        if old_id is not None and old_id != new_id:  # the teacher changed the course's id
            engines.pop(old_id, None)
            folders.pop(old_id, None)
            if self.default_id == old_id:
                self.default_id = new_id
        engines[new_id] = engine
        folders[new_id] = folder
        self._folders = folders
        self._engines = engines  # the swap: one assignment, seen whole by every reader
        log.info("course %s (%s) %s", new_id, shown, "reloaded" if old_id else "added")
        return ReloadResult(shown, new_id, "reloaded" if old_id else "added")


def as_library(engine: object) -> CourseLibrary | None:
    return engine if isinstance(engine, CourseLibrary) else None


__all__ = ["BoundBy", "CourseChoice", "CourseInfo", "CourseLibrary", "ReloadResult", "as_library"]
