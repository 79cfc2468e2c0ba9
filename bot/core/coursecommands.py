"""The course commands, the same on every platform: show the course of a channel, bind a course to
a channel or a server, reload courses. Plain data out; adapters check who is a teacher (the same
rule as the trivia settings) and render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.courses import CourseChoice, CourseInfo, CourseLibrary, ReloadResult
from bot.core.errors import CourseError
from bot.core.store import CourseBindingStore

DEFAULT = "default"  # `/course set default`: remove the binding, back to the next choice


@dataclass(frozen=True, slots=True)
class CourseSet:
    """What `/course set` did: ``course`` None when the binding was removed (back to the default)."""

    course: CourseInfo | None
    channel_id: str | None  # None: the whole server
    now: CourseChoice  # what the channel (or the server) uses from now on


@dataclass
class CourseCommands:
    library: CourseLibrary
    store: CourseBindingStore | None
    platform: str

    async def show(self, guild_id: str | None, channel_id: str | None) -> CourseChoice:
        return await self.library.choice(self.store, self.platform, guild_id, channel_id)

    async def set(self, guild_id: str | None, channel_id: str | None, course_id: str, set_by: str | None) -> CourseSet:
        """Bind ``course_id`` to the channel (or, channel_id None, the server); "default" unbinds.
        Raises CourseError for an unknown course or outside a server."""
        if not guild_id or self.store is None:
            raise CourseError("Courses are set per server and per channel: run this in a server channel.")
        if course_id.strip().lower() == DEFAULT:
            await self.store.unbind_course(self.platform, str(guild_id), channel_id)
            return CourseSet(None, channel_id, await self.show(guild_id, channel_id))
        info = self.library.require(course_id)
        await self.store.bind_course(self.platform, str(guild_id), channel_id, info.id, set_by)
        return CourseSet(info, channel_id, await self.show(guild_id, channel_id))

    async def reload(self, course_id: str | None = None) -> list[ReloadResult]:
        """Re-read one course (by id) or every course folder; see CourseLibrary.reload."""
        folders: list[Path] | None = None
        if course_id and course_id.strip():
            info = self.library.require(course_id)
            folder = self.library.folder(info.id)
            if folder is None:
                raise CourseError(f"Course {info.id} was not loaded from a folder, so it cannot be reloaded.")
            folders = [folder]
        return await self.library.reload(folders)


# ---- what to tell the teacher or student (plain text; `code` reads as code on Discord and Slack) ----
MAX_PROBLEMS_SHOWN = 10  # a chat message stays readable
MAX_CHARS = 1800  # and under Discord's 2000 characters (Slack allows more)


def _name(info: CourseInfo | None) -> str:
    return f"{info.title} (`{info.id}`)" if info else "every course together (no default course is set)"


def choice_text(choice: CourseChoice, where: str = "this channel") -> str:
    why = {"channel": "set for this channel", "server": "set for the whole server", "default": "the default"}[choice.bound_by]
    lines = [f"Course in {where}: {_name(choice.course)}, {why}.", "Courses available:"]
    lines += [f"• `{c.id}`: {c.title}" for c in choice.available]
    return "\n".join(lines)


def set_text(done: CourseSet, where: str) -> str:
    if done.course is None:
        return f"Removed the course set for {where}. It now uses {_name(done.now.course)}."
    return f"{where[:1].upper()}{where[1:]} now uses {_name(done.course)}."


def reload_text(results: list[ReloadResult]) -> str:
    if not results:
        return "There was no course to reload."
    lines = []
    for r in results:
        if r.ok:
            lines.append(f"{'Reloaded' if r.status == 'reloaded' else 'Added'} `{r.course_id}`.")
            continue
        kept = f"the previous version of `{r.course_id}` stays in use" if r.course_id else "it was not loaded"
        lines.append(f"{r.folder} has {len(r.problems)} problem(s), so {kept}:")
        shown = 0
        for p in r.problems[:MAX_PROBLEMS_SHOWN]:
            line = f"  {p}"
            if sum(len(x) + 1 for x in lines) + len(line) > MAX_CHARS:
                break
            lines.append(line)
            shown += 1
        if len(r.problems) > shown:
            lines.append(f"  … and {len(r.problems) - shown} more (run `classbot validate` to see them all)")
    return "\n".join(lines)


__all__ = ["CourseCommands", "CourseSet", "DEFAULT", "choice_text", "reload_text", "set_text"]
