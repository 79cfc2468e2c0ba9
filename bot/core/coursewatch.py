"""Watching the course folder: a course whose files changed is reloaded (see CourseLibrary.reload).

Polling, with no new dependency: every few seconds each file's size and modification time are
read; a file whose size or time moved is hashed, and only a changed hash counts (saving a file
unchanged, or touching it, reloads nothing). Polling also works on network and container
filesystems where change notifications do not arrive. Tests call ``poll()`` directly.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from pathlib import Path

from bot.core.courses import CourseLibrary, ReloadResult

log = logging.getLogger(__name__)

WATCH_SECONDS = 5.0
Stamp = tuple[int, int, str]  # (mtime_ns, size, sha256)


def _files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out += [Path(dirpath) / f for f in filenames if not f.startswith(".") and not f.endswith("~")]
    return sorted(out)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


class CourseWatcher:
    def __init__(self, library: CourseLibrary, interval: float = WATCH_SECONDS):
        self.library = library
        self.interval = interval
        self._seen: dict[Path, dict[Path, Stamp]] = {}  # folder -> file -> stamp
        self._task: asyncio.Task[None] | None = None

    def _folders(self) -> list[Path]:
        from bot.core.knowledge import course_folders

        folders = set(self.library.folders().values())
        if self.library.root is not None and self.library.root.exists():
            folders |= {Path(f).resolve() for f in course_folders(self.library.root)}
        return sorted(folders)

    def _stamps(self, folder: Path) -> dict[Path, Stamp]:
        before = self._seen.get(folder, {})
        out: dict[Path, Stamp] = {}
        for path in _files(folder):
            try:
                st = path.stat()
                old = before.get(path)
                if old is not None and old[:2] == (st.st_mtime_ns, st.st_size):
                    out[path] = old
                else:
                    out[path] = (st.st_mtime_ns, st.st_size, _digest(path))
            except OSError:  # removed or being replaced while we look: seen as gone this time
                continue
        return out

    def _changed(self) -> tuple[list[Path], dict[Path, dict[Path, Stamp]]]:
        now = {folder: self._stamps(folder) for folder in self._folders()}
        changed = []
        for folder, stamps in now.items():
            before = self._seen.get(folder)
            if before is None or {p: s[2] for p, s in before.items()} != {p: s[2] for p, s in stamps.items()}:
                changed.append(folder)
        return changed, now

    async def prime(self) -> None:
        """Remember the files as they are now (the courses just loaded)."""
        _, self._seen = await asyncio.to_thread(self._changed)

    async def poll(self) -> list[ReloadResult]:
        """Reload every course whose files changed since the last look (an invalid one is logged
        with its problems and keeps its previous version in service)."""
        if not self._seen:
            await self.prime()
            return []
        changed, now = await asyncio.to_thread(self._changed)
        self._seen = now  # a broken edit is reported once, not every few seconds
        if not changed:
            return []
        log.info("course files changed: %s", ", ".join(f.name for f in changed))
        return await self.library.reload(changed)

    async def run(self) -> None:
        """Poll every ``interval`` seconds until cancelled (call ``prime`` first)."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll()
            except Exception:  # the watcher must outlive one bad look at the disk
                log.exception("watching the course folder failed; trying again")

    async def start_primed(self) -> asyncio.Task[None] | None:
        """Remember the files as they are, then watch them in the background (interval 0: only
        remember them; ``poll`` still works when called)."""
        await self.prime()
        if self.interval > 0 and self._task is None:
            self._task = asyncio.create_task(self.run(), name="classbot-course-watch")
        return self._task

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
            self._task = None


__all__ = ["CourseWatcher", "WATCH_SECONDS"]
