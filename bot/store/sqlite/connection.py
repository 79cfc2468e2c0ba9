"""One SQLite database: opening it safely, migrating it, transactions, closing it.

- The schema is built by the shared migrations (bot.store.schema); ``PRAGMA user_version`` says
  how many have run. Each migration runs in its own transaction at start-up.
- WAL journal, ``synchronous=FULL``, a ``busy_timeout``; every write runs in ``BEGIN IMMEDIATE``
  ... ``COMMIT`` and is committed before the method returns.
- Any sqlite error becomes a StoreError whose message says what to do about it (see errors.py).

The aggregate modules (qa, trivia_config, rounds, scores) build on this class.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.core.clock import Clock, SystemClock
from bot.core.errors import StoreError
from bot.store.schema import MIGRATIONS, OUR_TABLES, Dialect
from bot.store.sqlite.errors import explain, guard

DIALECT: Dialect = "sqlite"


async def fetch_one(cursor: aiosqlite.Cursor) -> sqlite3.Row:
    """The one row an aggregate query (COUNT, SUM...) always returns."""
    row = await cursor.fetchone()
    if row is None:
        raise StoreError("the database returned no row where one is always expected")
    return row


class SQLiteConnection:
    """An open SQLite file (or ":memory:", or a "file:...?mode=ro" URI) with classbot's schema."""

    def __init__(
        self, path: str | os.PathLike[str], *, clock: Clock | None = None, busy_timeout_ms: int = 5000
    ) -> None:
        self.path = str(path)
        self.clock: Clock = clock or SystemClock()
        self.busy_timeout_ms = busy_timeout_ms
        self._db: aiosqlite.Connection | None = None
        self._write_lock: asyncio.Lock | None = None  # one transaction at a time on this connection
        self.created = False  # whether open() created the file (see close(discard_if_unused=...))

    async def _open(self) -> None:
        if self._db is not None:
            return
        uri = self.path.startswith("file:")
        if not uri and self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
            self.created = not Path(self.path).expanduser().exists()
        try:
            self._db = await aiosqlite.connect(self.path, isolation_level=None, uri=uri)
        except sqlite3.Error as e:
            raise explain(self.path, e, self.busy_timeout_ms) from e
        self._db.row_factory = sqlite3.Row
        try:
            await self._db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await self._db.execute("PRAGMA foreign_keys = ON")
            await self._check_is_ours()
            if self.path != ":memory:" and "mode=ro" not in self.path:
                cur = await self._db.execute("PRAGMA journal_mode = WAL")
                row = await cur.fetchone()
                if row and str(row[0]).lower() != "wal":
                    raise StoreError(f"cannot switch {self.path} to WAL mode (got {row[0]}): is the folder writable?")
            await self._db.execute("PRAGMA synchronous = FULL")
            await self._migrate()
        except sqlite3.Error as e:
            await self._close_quietly()
            raise explain(self.path, e, self.busy_timeout_ms) from e
        except BaseException:
            await self._close_quietly()
            raise

    async def _close_quietly(self) -> None:
        if self._db is not None:
            try:
                await self._db.close()
            except Exception:
                pass
            self._db = None

    async def _check_is_ours(self) -> None:
        db = self._conn
        cur = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {str(r[0]) for r in await cur.fetchall()}
        version = await self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer classbot (schema {version}, this one knows {len(MIGRATIONS)}): "
                "upgrade classbot"
            )
        if tables and (version == 0 or not tables & OUR_TABLES):
            raise StoreError(
                f"{self.path} is not a classbot database (it holds other tables: {', '.join(sorted(tables)[:5])}). "
                "Point CLASSBOT_DATABASE at another file."
            )

    async def schema_version(self) -> int:
        cur = await self._conn.execute("PRAGMA user_version")
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        version = await self.schema_version()
        for migration in MIGRATIONS[version:]:
            async with self._tx() as db:
                for sql in migration.statements(DIALECT):
                    await db.execute(sql)
                await db.execute(f"PRAGMA user_version = {int(migration.version)}")

    async def close(self, *, discard_if_unused: bool = False) -> None:
        """Close the database. With ``discard_if_unused``, a file this store created and never wrote
        a row to is removed (with its -wal and -shm files): a bot that could not start (no platform
        connection) leaves no empty database behind to puzzle the administrator."""
        discard = False
        if self._db is not None:
            db = self._db
            if discard_if_unused and self.created:
                try:
                    discard = await self._holds_no_rows()
                except sqlite3.Error:
                    discard = False
            self._db = None
            try:
                await db.close()
            except sqlite3.Error as e:
                raise explain(self.path, e, self.busy_timeout_ms) from e
        if discard:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path + suffix)

    async def _holds_no_rows(self) -> bool:
        cur = await self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        for (name,) in await cur.fetchall():
            c2 = await self._conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")')
            row = await c2.fetchone()
            if row is None or row[0]:
                return False
        return True

    @property
    def _conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError("the database is not open (is the bot shutting down?); try again in a moment")
        return self._db

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        db = self._conn
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        async with self._write_lock:
            await self._begin_immediate(db)
            try:
                yield db
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    async def _begin_immediate(self, db: aiosqlite.Connection) -> None:
        """BEGIN IMMEDIATE, tried again until the busy timeout when another process holds the write lock.

        SQLite's busy handler does not cover every case: in WAL mode a BEGIN can fail with SQLITE_BUSY at
        once (another process recovering the WAL after a crash, or a checkpoint), as two bot processes
        writing to one file showed. Nothing has been done yet when BEGIN fails, so trying again is safe.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_ms / 1000
        pause = 0.01
        while True:
            try:
                await db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                busy = "locked" in str(e) or "busy" in str(e)
                if not busy or loop.time() + pause > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _now(self) -> float:
        return self.clock.now().timestamp()

    @guard
    async def ping(self) -> None:
        """A cheap query on the open connection (the health check's)."""
        cur = await self._conn.execute("SELECT 1")
        await fetch_one(cur)

    @guard
    async def integrity_check(self) -> str:
        cur = await self._conn.execute("PRAGMA integrity_check")
        rows = await cur.fetchall()
        return "\n".join(str(r[0]) for r in rows)


__all__ = ["SQLiteConnection", "fetch_one"]
