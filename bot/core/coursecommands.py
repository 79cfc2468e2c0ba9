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


__all__ = ["CourseCommands", "CourseSet", "DEFAULT"]
