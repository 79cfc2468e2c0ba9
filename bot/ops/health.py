"""What /healthz reports: the process is up, the platform is connected, the database answers.

Each check gives ok and a short detail meant for an operator (no paths, no tracebacks: those go
to the log, once per change of state, so a failing probe every few seconds does not flood it).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

log = logging.getLogger(__name__)

__all__ = ["Check", "HealthChecks", "CHECK_TIMEOUT"]

CHECK_TIMEOUT = 2.0  # seconds the database may take to answer a probe (the store's ping: SELECT 1)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def to_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


class HealthChecks:
    def __init__(
        self,
        store: Any,
        *,
        database_path: str | Path | None = None,
        platform_connected: Callable[[], Awaitable[bool]] | None = None,
        timeout: float = CHECK_TIMEOUT,
    ) -> None:
        self.store = store
        self.database_path = database_path
        # set by the adapter once it knows how to tell (None: not connected yet)
        self.platform_connected = platform_connected
        self.timeout = timeout
        self.started = time.monotonic()
        self._last: dict[str, bool] = {}

    async def run(self) -> tuple[bool, dict]:
        """(all ok, the JSON body of /healthz)."""
        checks = {
            "process": Check(True, f"up {int(time.monotonic() - self.started)} s"),
            "platform": await self._platform(),
            "database": await self._database(),
        }
        for name, check in checks.items():
            if self._last.get(name, True) != check.ok:
                (log.info if check.ok else log.warning)("health: %s is %s (%s)", name, "ok" if check.ok else "failing", check.detail)
            self._last[name] = check.ok
        ok = all(c.ok for c in checks.values())
        return ok, {"status": "ok" if ok else "failing", "checks": {n: c.to_json() for n, c in checks.items()}}

    async def _platform(self) -> Check:
        if self.platform_connected is None:
            return Check(False, "not connected yet")
        try:
            connected = await asyncio.wait_for(self.platform_connected(), self.timeout)
        except Exception as e:
            log.debug("platform check failed", exc_info=e)
            return Check(False, f"check failed ({type(e).__name__})")
        return Check(True, "connected") if connected else Check(False, "disconnected")

    async def _database(self) -> Check:
        try:
            await asyncio.wait_for(self.store.ping(), self.timeout)
        except TimeoutError:
            return Check(False, f"no answer within {self.timeout:g} s")
        except Exception as e:
            log.debug("database check failed", exc_info=e)
            return Check(False, f"query failed ({type(e).__name__})")
        if self.database_path is not None and str(self.database_path) != ":memory:":
            # SQLite: the open connection keeps reading pages it has cached (even from a deleted or
            # overwritten file), so also open the file afresh, read-only, as a restart would.
            try:
                await asyncio.wait_for(asyncio.to_thread(_open_sqlite, Path(self.database_path)), self.timeout)
            except TimeoutError:
                return Check(False, f"the database file did not open within {self.timeout:g} s")
            except Exception as e:
                log.debug("database file check failed", exc_info=e)
                return Check(False, f"the database file cannot be read ({type(e).__name__})")
        return Check(True, "reachable")


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file (sqlite.org/fileformat.html)


class NotADatabase(Exception):
    pass


def _open_sqlite(path: Path) -> None:
    """Raise unless ``path`` is still a readable SQLite database: its header (pages still in the
    write-ahead log would hide an overwritten file from a query alone), then a read-only query."""
    path = path.expanduser().resolve()
    with path.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotADatabase("the file does not start with the SQLite header")
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=1.0)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
