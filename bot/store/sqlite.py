"""SQLite implementation of the Store (aiosqlite). All of classbot's SQL lives in this module.

- The schema is built by numbered migrations; ``PRAGMA user_version`` says how many have run.
  Each migration runs in its own transaction at start-up.
- WAL journal, ``synchronous=FULL``, a ``busy_timeout``; every write runs in ``BEGIN IMMEDIATE``
  ... ``COMMIT`` and is committed before the method returns.
- Any sqlite error becomes a StoreError whose message says what to do about it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import aiosqlite

from bot.core.clock import Clock, SystemClock, valid_timezone
from bot.core.errors import ConfigError, StoreError
from bot.core.models import TriviaRound
from bot.core.safetext import clean_text, clip
from bot.store.base import (
    REVEAL_SENDING,
    REVEAL_SENT,
    REVEAL_UNSENT,
    ROUND_FAILED,
    ROUND_PENDING,
    ROUND_POSTED,
    ROUND_REVEALED,
    AnswerOutcome,
    Award,
    FeedbackCount,
    ItemUsage,
    LeaderboardRow,
    Period,
    RoundExists,
    RoundStats,
    Scoring,
    TriviaConfig,
    UnansweredQuestion,
    UserStats,
)

# The unanswered-question log stays bounded whatever students type (issue 9 item 7):
UNANSWERED_MAX_CHARS = 300  # a question is kept to this many characters (a real one is far shorter)
UNANSWERED_PER_ASKER_PER_DAY = 20  # questions one asker may add (or repeat) per UTC day; the rest are not kept

# Each entry is one schema version: a list of statements run in one transaction.
MIGRATIONS: list[list[str]] = [
    [  # 1: initial schema
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            guild_id TEXT,
            channel_id TEXT,
            user_id TEXT NOT NULL,
            message_id TEXT,
            question TEXT NOT NULL,
            fact_id TEXT,
            helpful INTEGER NOT NULL,
            created_at REAL NOT NULL
        )""",
        "CREATE UNIQUE INDEX feedback_vote ON feedback(platform, message_id, user_id) WHERE message_id IS NOT NULL",
        "CREATE INDEX feedback_fact ON feedback(fact_id)",
        """CREATE TABLE unanswered (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            course_id TEXT NOT NULL,
            guild_id TEXT,
            channel_id TEXT,
            question TEXT NOT NULL,
            question_key TEXT NOT NULL,
            user_id TEXT,
            asked_at REAL NOT NULL
        )""",
        "CREATE INDEX unanswered_course ON unanswered(course_id, question_key)",
        """CREATE TABLE trivia_config (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            post_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            free_text INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            PRIMARY KEY (platform, guild_id)
        )""",
        """CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            day TEXT NOT NULL,
            posted_at REAL NOT NULL,
            closes_at REAL NOT NULL,
            choices TEXT NOT NULL,
            message_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'revealed', 'failed')),
            meta TEXT NOT NULL,
            created_at REAL NOT NULL,
            UNIQUE (platform, channel_id, day)
        )""",
        "CREATE INDEX rounds_message ON rounds(platform, message_id)",
        "CREATE INDEX rounds_status ON rounds(status)",
        "CREATE INDEX rounds_guild ON rounds(platform, guild_id, day)",
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            user_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL,
            points INTEGER NOT NULL DEFAULT 0,
            answered_at REAL NOT NULL,
            UNIQUE (round_id, user_id)
        )""",
        """CREATE TABLE scores (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            points INTEGER NOT NULL DEFAULT 0,
            streak INTEGER NOT NULL DEFAULT 0,
            best_streak INTEGER NOT NULL DEFAULT 0,
            last_correct_day TEXT,
            optout INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform, guild_id, user_id)
        )""",
    ],
    [  # 2: streaks count rounds, not calendar days: remember the round that extended the streak
        "ALTER TABLE scores ADD COLUMN last_correct_round INTEGER",
        "CREATE INDEX rounds_channel ON rounds(platform, channel_id, status, day)",
        # existing streaks carry on: the last revealed round each student got right
        """UPDATE scores SET last_correct_round = (
            SELECT r.id FROM rounds r JOIN answers a ON a.round_id = r.id
            WHERE r.platform = scores.platform AND r.guild_id = scores.guild_id AND a.user_id = scores.user_id
              AND a.correct = 1 AND r.status = 'revealed'
            ORDER BY r.id DESC LIMIT 1
        ) WHERE last_correct_day IS NOT NULL""",
    ],
    [  # 3: a bounded unanswered log: one row per distinct question (a count, first and last time),
        # wording and key capped (300: UNANSWERED_MAX_CHARS when this was written), askers (where allowed) apart, a per-asker daily quota
        """CREATE TABLE unanswered_v3 (
            id INTEGER PRIMARY KEY,
            course_id TEXT NOT NULL,
            question_key TEXT NOT NULL,
            question TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_asked REAL NOT NULL,
            last_asked REAL NOT NULL,
            UNIQUE (course_id, question_key)
        )""",
        """INSERT INTO unanswered_v3 (course_id, question_key, question, count, first_asked, last_asked)
            SELECT course_id, k, (SELECT substr(u2.question, 1, 300) FROM unanswered u2
                WHERE u2.course_id = g.course_id AND substr(u2.question_key, 1, 300) = g.k
                ORDER BY u2.asked_at DESC, u2.id DESC LIMIT 1), n, first, last
            FROM (SELECT course_id, substr(question_key, 1, 300) AS k, COUNT(*) AS n,
                         MIN(asked_at) AS first, MAX(asked_at) AS last
                  FROM unanswered WHERE question_key != '' GROUP BY course_id, k) g""",
        """CREATE TABLE unanswered_askers (
            question_id INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            PRIMARY KEY (question_id, user_id)
        ) WITHOUT ROWID""",
        """INSERT OR IGNORE INTO unanswered_askers (question_id, user_id)
            SELECT n.id, u.user_id FROM unanswered u JOIN unanswered_v3 n ON n.course_id = u.course_id
              AND n.question_key = substr(u.question_key, 1, 300)
            WHERE u.user_id IS NOT NULL""",
        "DROP TABLE unanswered",
        "ALTER TABLE unanswered_v3 RENAME TO unanswered",
        "CREATE INDEX unanswered_ranking ON unanswered(course_id, count DESC, last_asked DESC)",
        """CREATE TABLE unanswered_quota (
            day TEXT NOT NULL,
            asker TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (day, asker)
        ) WITHOUT ROWID""",
    ],
]

OUR_TABLES = {"feedback", "unanswered", "trivia_config", "rounds", "answers", "scores"}

P = ParamSpec("P")
T = TypeVar("T")


# What chat users are told (StoreError.user_message): short, no paths, no SQLite words.
USER_BUSY = "Sorry, my records are busy right now. Please try again in a moment."
USER_BROKEN = "Sorry, something went wrong with my records. If it keeps happening, please tell your teacher."


def _explain(path: str, exc: sqlite3.Error, busy_ms: int) -> StoreError:
    """The StoreError for a sqlite error: the message for the log, the user_message for chat."""
    msg = str(exc).lower()
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg or code in (11, 26):  # CORRUPT, NOTADB
        return StoreError(
            f"{path} is not a classbot database or is corrupt ({exc}). "
            "Point CLASSBOT_DATABASE at another file, or move this one away to start afresh.",
            user_message=USER_BROKEN,
        )
    if "locked" in msg or "busy" in msg or code in (5, 6):  # BUSY, LOCKED
        return StoreError(
            f"{path} is locked by another process (waited {busy_ms / 1000:g} s). "
            "Is another classbot running on the same database? Stop it, or use another CLASSBOT_DATABASE.",
            user_message=USER_BUSY,
        )
    if "full" in msg or code == 13:  # SQLITE_FULL: "database or disk is full"
        return StoreError(
            f"cannot write to {path}: the disk is full ({exc}). Free some space; nothing was saved meanwhile.",
            user_message=USER_BROKEN,
        )
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg or "disk i/o" in msg or code in (8, 10, 14):
        return StoreError(
            f"cannot write to {path} ({exc}). Check that the file and its folder exist and are writable "
            "by the user running classbot, and that the disk is not full or mounted read-only.",
            user_message=USER_BROKEN,
        )
    return StoreError(f"database {path} failed: {exc}")


def _guard(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """Turn sqlite errors into StoreError with an actionable message."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        self = args[0]
        try:
            return await fn(*args, **kwargs)
        except sqlite3.Error as e:
            raise _explain(self.path, e, self.busy_timeout_ms) from e  # type: ignore[attr-defined]

    return wrapper


def unanswered_key(text: str) -> str:
    """What makes two unanswered questions the same: case, spacing and end punctuation ignored."""
    return " ".join(clean_text(text).casefold().split()).rstrip("?!.\u2026 ")[:UNANSWERED_MAX_CHARS]


def _day(value: str | date | None, clock: Clock) -> date:
    if value is None:
        return clock.now().astimezone(UTC).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def validate_trivia_config(post_time: str, timezone: str) -> None:
    """Raise ConfigError unless post_time is "HH:MM" and timezone an IANA name."""
    parts = post_time.split(":") if isinstance(post_time, str) else []
    ok = len(parts) == 2 and all(p.isdigit() and 1 <= len(p) <= 2 for p in parts)
    if not ok or not (0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59):
        raise ConfigError(f"trivia time should be HH:MM on a 24-hour clock, like 09:30; got {post_time!r}")
    if not valid_timezone(timezone):
        raise ConfigError(f"unknown timezone {timezone!r}: use an IANA name like Europe/London or America/New_York")


class SQLiteStore:
    """The Store on one SQLite file (or ":memory:", or a "file:...?mode=ro" URI)."""

    def __init__(self, path: str | os.PathLike, *, clock: Clock | None = None, busy_timeout_ms: int = 5000):
        self.path = str(path)
        self.clock = clock or SystemClock()
        self.busy_timeout_ms = busy_timeout_ms
        self._db: aiosqlite.Connection | None = None
        self._write_lock: asyncio.Lock | None = None  # one transaction at a time on this connection
        self.created = False  # whether open() created the file (see close(discard_if_unused=...))

    # ---- life cycle ------------------------------------------------------------------------

    async def open(self) -> SQLiteStore:
        if self._db is not None:
            return self
        uri = self.path.startswith("file:")
        if not uri and self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot create database {self.path}: folder {parent} does not exist")
            self.created = not Path(self.path).expanduser().exists()
        try:
            self._db = await aiosqlite.connect(self.path, isolation_level=None, uri=uri)
        except sqlite3.Error as e:
            raise _explain(self.path, e, self.busy_timeout_ms) from e
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
            raise _explain(self.path, e, self.busy_timeout_ms) from e
        except BaseException:
            await self._close_quietly()
            raise
        return self

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
        tables = {r[0] for r in await cur.fetchall()}
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
        for number, steps in enumerate(MIGRATIONS[version:], start=version + 1):
            async with self._tx() as db:
                for sql in steps:
                    await db.execute(sql)
                await db.execute(f"PRAGMA user_version = {number}")

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
                raise _explain(self.path, e, self.busy_timeout_ms) from e
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

    async def __aenter__(self) -> SQLiteStore:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

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
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    def _now(self) -> float:
        return self.clock.now().timestamp()

    @_guard
    async def integrity_check(self) -> str:
        cur = await self._conn.execute("PRAGMA integrity_check")
        rows = await cur.fetchall()
        return "\n".join(str(r[0]) for r in rows)

    # ---- Q&A feedback and gaps -------------------------------------------------------------

    @_guard
    async def record_feedback(
        self,
        platform: str,
        guild_id: str | None,
        channel_id: str | None,
        user_id: str,
        question: str,
        fact_id: str | None,
        helpful: bool,
        message_id: str | None = None,
    ) -> None:
        async with self._tx() as db:
            if message_id is not None:
                await db.execute(
                    "DELETE FROM feedback WHERE platform = ? AND message_id = ? AND user_id = ?",
                    (platform, message_id, user_id),
                )
            await db.execute(
                "INSERT INTO feedback (platform, guild_id, channel_id, user_id, message_id, question, fact_id, helpful,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (platform, guild_id, channel_id, user_id, message_id, clip(clean_text(question), UNANSWERED_MAX_CHARS),
                 fact_id, int(helpful), self._now()),
            )

    @_guard
    async def feedback_counts(self) -> list[FeedbackCount]:
        cur = await self._conn.execute(
            "SELECT fact_id, SUM(helpful) AS up, SUM(1 - helpful) AS down FROM feedback"
            " GROUP BY fact_id ORDER BY down DESC, up DESC, fact_id"
        )
        return [FeedbackCount(r["fact_id"], int(r["up"]), int(r["down"])) for r in await cur.fetchall()]

    @_guard
    async def record_unanswered(
        self,
        platform: str,
        course_id: str,
        guild_id: str | None,
        channel_id: str | None,
        question: str,
        user_id: str | None,
        asker: str | None = None,
    ) -> bool:
        """Keep a question the course could not answer; whether it was kept.

        Control characters are removed and the text capped at UNANSWERED_MAX_CHARS; a repeat (same
        text, case, spacing and end punctuation ignored) adds to its row's count. ``asker`` (any id
        of who asked, default ``user_id``) counts against UNANSWERED_PER_ASKER_PER_DAY; it is kept
        only as a hash of the day and the id, and only until the day is over.
        """
        text = clip(clean_text(question), UNANSWERED_MAX_CHARS)
        key = unanswered_key(text)
        if not key:
            return False
        now = self._now()
        asker = asker if asker is not None else user_id
        async with self._tx() as db:
            if asker:
                day = datetime.fromtimestamp(now, UTC).date().isoformat()
                hashed = hashlib.sha256(f"{day}\0{platform}\0{asker}".encode("utf-8", "replace")).hexdigest()[:32]
                await db.execute("DELETE FROM unanswered_quota WHERE day < ?", (day,))
                cur = await db.execute(
                    "INSERT INTO unanswered_quota (day, asker, n) VALUES (?, ?, 1)"
                    " ON CONFLICT (day, asker) DO UPDATE SET n = n + 1 WHERE n < ? RETURNING n",
                    (day, hashed, UNANSWERED_PER_ASKER_PER_DAY),
                )
                if await cur.fetchone() is None:  # over the day's quota: not kept
                    return False
            cur = await db.execute(
                "INSERT INTO unanswered (course_id, question_key, question, count, first_asked, last_asked)"
                " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (course_id, question_key) DO UPDATE SET"
                " count = count + 1, question = excluded.question, last_asked = MAX(last_asked, excluded.last_asked)"
                " RETURNING id",
                (course_id, key, text, now, now),
            )
            row = await cur.fetchone()
            if user_id and row is not None:
                await db.execute(
                    "INSERT OR IGNORE INTO unanswered_askers (question_id, user_id) VALUES (?, ?)", (row[0], str(user_id))
                )
        return True

    @_guard
    async def list_unanswered(self, course_id: str, limit: int = 50) -> list[UnansweredQuestion]:
        cur = await self._conn.execute(
            "SELECT u.id, u.question, u.count, u.first_asked, u.last_asked,"
            " (SELECT GROUP_CONCAT(a.user_id, char(31)) FROM unanswered_askers a WHERE a.question_id = u.id) AS users"
            " FROM unanswered u WHERE u.course_id = ? ORDER BY u.count DESC, u.last_asked DESC, u.id LIMIT ?",
            (course_id, max(int(limit), 0)),
        )
        out = []
        for r in await cur.fetchall():
            users = tuple(sorted(clean_text(u) for u in r["users"].split("\x1f"))) if r["users"] else ()
            # cleaned on the way out too: rows written before control characters were stripped
            out.append(UnansweredQuestion(clean_text(r["question"]), int(r["count"]), float(r["first_asked"]),
                                          float(r["last_asked"]), users))
        return out

    @_guard
    async def count_unanswered(self, course_id: str) -> int:
        """How many distinct questions of the course are in the log."""
        cur = await self._conn.execute("SELECT COUNT(*) FROM unanswered WHERE course_id = ?", (course_id,))
        row = await cur.fetchone()
        return int(row[0]) if row else 0

    # ---- trivia settings -------------------------------------------------------------------

    @staticmethod
    def _config(r: sqlite3.Row) -> TriviaConfig:
        return TriviaConfig(
            platform=r["platform"],
            guild_id=r["guild_id"],
            channel_id=r["channel_id"],
            post_time=r["post_time"],
            timezone=r["timezone"],
            enabled=bool(r["enabled"]),
            free_text=bool(r["free_text"]),
        )

    @_guard
    async def get_trivia_config(self, platform: str, guild_id: str) -> TriviaConfig | None:
        cur = await self._conn.execute(
            "SELECT * FROM trivia_config WHERE platform = ? AND guild_id = ?", (platform, str(guild_id))
        )
        row = await cur.fetchone()
        return self._config(row) if row else None

    @_guard
    async def set_trivia_config(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        post_time: str = "09:00",
        timezone: str = "UTC",
        enabled: bool = True,
        free_text: bool = False,
    ) -> TriviaConfig:
        validate_trivia_config(post_time, timezone)
        hh, mm = post_time.split(":")
        post_time = f"{int(hh):02d}:{int(mm):02d}"
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO trivia_config (platform, guild_id, channel_id, post_time, timezone, enabled, free_text,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (platform, guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " post_time = excluded.post_time, timezone = excluded.timezone, enabled = excluded.enabled,"
                " free_text = excluded.free_text, updated_at = excluded.updated_at",
                (platform, str(guild_id), str(channel_id), post_time, timezone, int(enabled), int(free_text),
                 self._now()),
            )
        return TriviaConfig(platform, str(guild_id), str(channel_id), post_time, timezone, enabled, free_text)

    @_guard
    async def disable_trivia(self, platform: str, guild_id: str) -> bool:
        async with self._tx() as db:
            cur = await db.execute(
                "UPDATE trivia_config SET enabled = 0, updated_at = ? WHERE platform = ? AND guild_id = ? AND enabled = 1",
                (self._now(), platform, str(guild_id)),
            )
            return cur.rowcount == 1

    @_guard
    async def list_trivia_configs(self, platform: str | None = None) -> list[TriviaConfig]:
        cur = await self._conn.execute(
            "SELECT * FROM trivia_config WHERE (? IS NULL OR platform = ?) ORDER BY platform, guild_id", (platform, platform)
        )
        return [self._config(r) for r in await cur.fetchall()]

    # ---- trivia rounds ---------------------------------------------------------------------

    @staticmethod
    def _round(r: sqlite3.Row) -> TriviaRound:
        meta = json.loads(r["meta"])
        meta["platform"] = r["platform"]
        return TriviaRound(
            id=int(r["id"]),
            guild_id=r["guild_id"],
            channel_id=r["channel_id"],
            item_id=r["item_id"],
            day=r["day"],
            posted_at=float(r["posted_at"]),
            closes_at=float(r["closes_at"]),
            choices=tuple(json.loads(r["choices"])),
            message_id=r["message_id"],
            status=r["status"],
            meta=meta,
        )

    async def _fetch_round(self, sql: str, args: tuple[Any, ...]) -> TriviaRound | None:
        cur = await self._conn.execute(sql, args)
        row = await cur.fetchone()
        return self._round(row) if row else None

    @_guard
    async def create_round(self, platform: str, round: TriviaRound) -> TriviaRound:
        meta = {k: v for k, v in round.meta.items() if k != "platform"}
        day = round.day.isoformat() if isinstance(round.day, date) else str(round.day)
        async with self._tx() as db:
            cur = await db.execute(
                "INSERT INTO rounds (platform, guild_id, channel_id, item_id, day, posted_at, closes_at, choices,"
                " message_id, status, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)"
                " ON CONFLICT (platform, channel_id, day) DO NOTHING",
                (platform, str(round.guild_id), str(round.channel_id), round.item_id, day, round.posted_at,
                 round.closes_at, json.dumps(list(round.choices)), ROUND_PENDING, json.dumps(meta), self._now()),
            )
            new_id = cur.lastrowid if cur.rowcount == 1 else None
        if new_id is None:
            existing = await self.round_for_day(platform, round.guild_id, round.channel_id, day)
            assert existing is not None
            raise RoundExists(existing)
        created = await self.get_round(int(new_id))
        assert created is not None
        return created

    @staticmethod
    async def _meta_if(db: aiosqlite.Connection, round_id: int, status: str) -> dict | None:
        """The round's meta when the round is in ``status`` (else None), within a transaction."""
        cur = await db.execute("SELECT meta FROM rounds WHERE id = ? AND status = ?", (round_id, status))
        row = await cur.fetchone()
        return None if row is None else json.loads(row["meta"])

    @_guard
    async def mark_round_posted(self, round_id: int, message_id: str) -> None:
        # from failed too: a send that was slower than the stale-pending limit did go out after all
        async with self._tx() as db:
            await db.execute(
                "UPDATE rounds SET status = ?, message_id = ? WHERE id = ? AND status IN (?, ?, ?)",
                (ROUND_POSTED, str(message_id), round_id, ROUND_PENDING, ROUND_POSTED, ROUND_FAILED),
            )

    @_guard
    async def mark_round_failed(self, round_id: int, reason: str) -> None:
        async with self._tx() as db:
            meta = await self._meta_if(db, round_id, ROUND_PENDING)
            if meta is None:
                return
            meta["failure"] = reason
            await db.execute(
                "UPDATE rounds SET status = ?, meta = ? WHERE id = ?", (ROUND_FAILED, json.dumps(meta), round_id)
            )

    @_guard
    async def reveal_round(self, round_id: int, scoring: Scoring) -> list[Award] | None:
        async with self._tx() as db:
            cur = await db.execute("SELECT * FROM rounds WHERE id = ?", (round_id,))
            row = await cur.fetchone()
            if row is None or row["status"] != ROUND_POSTED:
                return None
            platform, guild, day = row["platform"], row["guild_id"], row["day"]
            meta = json.loads(row["meta"])
            meta["reveal"], meta["reveal_started"] = REVEAL_SENDING, self._now()
            await db.execute(
                "UPDATE rounds SET status = ?, meta = ? WHERE id = ?", (ROUND_REVEALED, json.dumps(meta), round_id)
            )
            cur = await db.execute(
                "SELECT id, user_id FROM answers WHERE round_id = ? AND correct = 1 ORDER BY answered_at, id",
                (round_id,),
            )
            awards: list[Award] = []
            for answer in await cur.fetchall():
                user = answer["user_id"]
                streak = await self._streak_at(db, row, user)
                c2 = await db.execute(
                    "SELECT s.best_streak, s.last_correct_day FROM scores s"
                    " WHERE s.platform = ? AND s.guild_id = ? AND s.user_id = ?",
                    (platform, guild, user),
                )
                score = await c2.fetchone()
                best, last = (int(score[0]), score[1]) if score else (0, None)
                points = scoring.points_for(streak)
                await db.execute("UPDATE answers SET points = ? WHERE id = ?", (points, answer["id"]))
                if last is None or last <= day:  # a late reveal of an older round leaves the streak alone
                    await db.execute(
                        "INSERT INTO scores (platform, guild_id, user_id, points, streak, best_streak,"
                        " last_correct_day, last_correct_round) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET"
                        " points = points + excluded.points, streak = excluded.streak,"
                        " best_streak = excluded.best_streak, last_correct_day = excluded.last_correct_day,"
                        " last_correct_round = excluded.last_correct_round",
                        (platform, guild, user, points, streak, max(best, streak), day, round_id),
                    )
                else:
                    await db.execute(
                        "UPDATE scores SET points = points + ?, best_streak = MAX(best_streak, ?)"
                        " WHERE platform = ? AND guild_id = ? AND user_id = ?",
                        (points, streak, platform, guild, user),
                    )
                awards.append(Award(user, points, streak))
            return awards

    @_guard
    async def mark_reveal_sent(self, round_id: int, error: str | None = None) -> None:
        async with self._tx() as db:
            meta = await self._meta_if(db, round_id, ROUND_REVEALED)
            if meta is None or meta.get("reveal") != REVEAL_SENDING:
                return
            meta["reveal"] = REVEAL_SENT if error is None else REVEAL_UNSENT
            if error is not None:
                meta["reveal_error"] = error
            await db.execute("UPDATE rounds SET meta = ? WHERE id = ?", (json.dumps(meta), round_id))

    @_guard
    async def unsent_reveals(self, platform: str | None = None, *, started_before: float | None = None) -> list[TriviaRound]:
        limit = self._now() if started_before is None else float(started_before)
        cur = await self._conn.execute(
            "SELECT * FROM rounds WHERE status = ? AND (? IS NULL OR platform = ?)"
            " AND json_extract(meta, '$.reveal') = ? AND json_extract(meta, '$.reveal_started') <= ?"
            " ORDER BY closes_at, id",
            (ROUND_REVEALED, platform, platform, REVEAL_SENDING, limit),
        )
        return [self._round(r) for r in await cur.fetchall()]

    @staticmethod
    async def _streak_at(db: aiosqlite.Connection, round_row: sqlite3.Row, user_id: str) -> int:
        """How many trivia days in a row, ending with this round's, the user got a round right in
        this round's server (whichever of its channels the rounds were in).

        Trivia days, not calendar days: only days with a round that went out and was revealed
        count, so a weekend, a day with trivia off or a post that failed does not break a streak;
        a day whose rounds the user all missed or got wrong does. Two rounds right on one day (in
        two channels) count that day once.
        """
        cur = await db.execute(
            "SELECT r.day, MAX(COALESCE(a.correct, 0)) AS correct FROM rounds r"
            " LEFT JOIN answers a ON a.round_id = r.id AND a.user_id = ?"
            " WHERE r.platform = ? AND r.guild_id = ? AND r.day <= ? AND (r.status = ? OR r.id = ?)"
            " GROUP BY r.day ORDER BY r.day DESC",
            (user_id, round_row["platform"], round_row["guild_id"], round_row["day"], ROUND_REVEALED,
             round_row["id"]),
        )
        streak = 0
        async for r in cur:
            if not r["correct"]:
                break
            streak += 1
        return max(streak, 1)

    @_guard
    async def get_round(self, round_id: int) -> TriviaRound | None:
        return await self._fetch_round("SELECT * FROM rounds WHERE id = ?", (round_id,))

    @_guard
    async def get_round_by_message(self, platform: str, message_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND message_id = ?", (platform, str(message_id))
        )

    async def _rounds_with_status(self, status: str, platform: str | None, guild_id: str | None = None) -> list[TriviaRound]:
        cur = await self._conn.execute(
            "SELECT * FROM rounds WHERE status = ? AND (? IS NULL OR platform = ?) AND (? IS NULL OR guild_id = ?)"
            " ORDER BY closes_at, id",
            (status, platform, platform, guild_id, guild_id),
        )
        return [self._round(r) for r in await cur.fetchall()]

    @_guard
    async def open_rounds(self, platform: str | None = None, guild_id: str | None = None) -> list[TriviaRound]:
        return await self._rounds_with_status(ROUND_POSTED, platform, None if guild_id is None else str(guild_id))

    @_guard
    async def pending_rounds(self, platform: str | None = None) -> list[TriviaRound]:
        return await self._rounds_with_status(ROUND_PENDING, platform)

    @_guard
    async def round_for_day(
        self, platform: str, guild_id: str, channel_id: str, day: str | date
    ) -> TriviaRound | None:
        day = day.isoformat() if isinstance(day, date) else day
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND channel_id = ? AND day = ?", (platform, str(channel_id), day)
        )

    @_guard
    async def last_round(self, platform: str, guild_id: str, channel_id: str) -> TriviaRound | None:
        return await self._fetch_round(
            "SELECT * FROM rounds WHERE platform = ? AND channel_id = ? ORDER BY day DESC LIMIT 1",
            (platform, str(channel_id)),
        )

    # ---- answers ---------------------------------------------------------------------------

    @_guard
    async def record_answer(
        self, round_id: int, user_id: str, answer: str, correct: bool, *, now: float | None = None
    ) -> AnswerOutcome:
        at = self._now() if now is None else float(now)
        async with self._tx() as db:
            # Only into a round that is still open, checked in the same transaction as the insert:
            # an answer can never slip into a round that is being (or has been) revealed and scored.
            cur = await db.execute(
                "INSERT INTO answers (round_id, user_id, answer, correct, answered_at)"
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rounds"
                "   WHERE id = ? AND status IN (?, ?) AND closes_at > ?)"
                " ON CONFLICT (round_id, user_id) DO NOTHING",
                (round_id, str(user_id), clip(clean_text(answer), UNANSWERED_MAX_CHARS), int(correct), at, round_id,
                 ROUND_PENDING, ROUND_POSTED, at),
            )
            if cur.rowcount == 1:
                return "recorded"
            c2 = await db.execute(
                "SELECT 1 FROM answers WHERE round_id = ? AND user_id = ?", (round_id, str(user_id))
            )
            return "already_answered" if await c2.fetchone() is not None else "closed"

    @_guard
    async def get_answer(self, round_id: int, user_id: str) -> tuple[str, bool] | None:
        cur = await self._conn.execute(
            "SELECT answer, correct FROM answers WHERE round_id = ? AND user_id = ?", (round_id, str(user_id))
        )
        row = await cur.fetchone()
        return (row[0], bool(row[1])) if row else None

    @_guard
    async def round_stats(self, round_id: int) -> RoundStats:
        cur = await self._conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM answers WHERE round_id = ?", (round_id,)
        )
        row = await cur.fetchone()
        return RoundStats(round_id, int(row[0]), int(row[1]))

    # ---- scores ----------------------------------------------------------------------------

    # The stored streak, or 0 once a round of the server was revealed on a later day without the
    # user getting a round of that day right (trivia days, not calendar days: a weekend without
    # trivia breaks nothing).
    _CURRENT_STREAK = (
        "CASE WHEN s.last_correct_round IS NULL THEN 0"
        " WHEN EXISTS (SELECT 1 FROM rounds lr JOIN rounds later ON later.platform = lr.platform"
        "   AND later.guild_id = lr.guild_id AND later.status = 'revealed' AND later.day > lr.day"
        "   WHERE lr.id = s.last_correct_round) THEN 0"
        " ELSE s.streak END"
    )

    @_guard
    async def leaderboard(
        self, platform: str, guild_id: str, period: Period = "all", limit: int = 10, *, today: str | date | None = None
    ) -> list[LeaderboardRow]:
        if period not in ("week", "all"):
            raise ValueError(f"period should be 'week' or 'all', not {period!r}")
        end = _day(today, self.clock)
        start = end - timedelta(days=end.weekday()) if period == "week" else date.min
        cur = await self._conn.execute(
            "SELECT a.user_id AS user_id, SUM(a.points) AS pts, SUM(a.correct) AS correct,"
            f" COALESCE({self._CURRENT_STREAK}, 0) AS streak, MIN(a.answered_at) AS first"
            " FROM answers a JOIN rounds r ON r.id = a.round_id"
            " LEFT JOIN scores s ON s.platform = r.platform AND s.guild_id = r.guild_id AND s.user_id = a.user_id"
            " WHERE r.platform = ? AND r.guild_id = ? AND r.status = 'revealed' AND r.day >= ? AND r.day <= ?"
            " AND COALESCE(s.optout, 0) = 0"
            " GROUP BY a.user_id HAVING pts > 0 ORDER BY pts DESC, correct DESC, first ASC LIMIT ?",
            (platform, str(guild_id), start.isoformat(), end.isoformat(), int(limit)),
        )
        rows = await cur.fetchall()
        return [
            LeaderboardRow(i + 1, r["user_id"], int(r["pts"]), int(r["correct"]), int(r["streak"]))
            for i, r in enumerate(rows)
        ]

    @_guard
    async def user_stats(
        self, platform: str, guild_id: str, user_id: str, *, today: str | date | None = None
    ) -> UserStats:
        end = _day(today, self.clock)
        monday = end - timedelta(days=end.weekday())
        db = self._conn
        cur = await db.execute(
            "SELECT COUNT(*), COALESCE(SUM(a.correct), 0),"
            " COALESCE(SUM(CASE WHEN r.day >= ? AND r.day <= ? THEN a.points ELSE 0 END), 0)"
            " FROM answers a JOIN rounds r ON r.id = a.round_id"
            " WHERE r.platform = ? AND r.guild_id = ? AND a.user_id = ? AND r.status = 'revealed'",
            (monday.isoformat(), end.isoformat(), platform, str(guild_id), str(user_id)),
        )
        answered, correct, week = await cur.fetchone()
        cur = await db.execute(
            f"SELECT s.*, {self._CURRENT_STREAK} AS current_streak FROM scores s"
            " WHERE s.platform = ? AND s.guild_id = ? AND s.user_id = ?",
            (platform, str(guild_id), str(user_id)),
        )
        s = await cur.fetchone()
        points = int(s["points"]) if s else 0
        optout = bool(s["optout"]) if s else False
        rank = None
        if points > 0 and not optout:
            cur = await db.execute(
                "SELECT COUNT(*) FROM scores WHERE platform = ? AND guild_id = ? AND optout = 0 AND points > ?",
                (platform, str(guild_id), points),
            )
            rank = int((await cur.fetchone())[0]) + 1
        return UserStats(
            user_id=str(user_id),
            points=points,
            week_points=int(week),
            answered=int(answered),
            correct=int(correct),
            streak=int(s["current_streak"]) if s else 0,
            best_streak=int(s["best_streak"]) if s else 0,
            rank=rank,
            optout=optout,
        )

    @_guard
    async def set_leaderboard_optout(self, platform: str, guild_id: str, user_id: str, optout: bool = True) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO scores (platform, guild_id, user_id, optout) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, guild_id, user_id) DO UPDATE SET optout = excluded.optout",
                (platform, str(guild_id), str(user_id), int(optout)),
            )

    # ---- selection history -----------------------------------------------------------------

    @_guard
    async def item_history(self, platform: str, guild_id: str, channel_id: str | None = None) -> list[ItemUsage]:
        where = "r.platform = ? AND r.guild_id = ? AND r.status IN ('posted', 'revealed')"
        args: list[Any] = [platform, str(guild_id)]
        if channel_id is not None:
            where += " AND r.channel_id = ?"
            args.append(str(channel_id))
        cur = await self._conn.execute(
            "SELECT r.item_id AS item_id, COUNT(DISTINCT r.id) AS used, MAX(r.day) AS last,"
            " COUNT(a.id) AS answered, COALESCE(SUM(a.correct), 0) AS correct"
            f" FROM rounds r LEFT JOIN answers a ON a.round_id = r.id WHERE {where}"
            " GROUP BY r.item_id ORDER BY last",
            args,
        )
        return [
            ItemUsage(r["item_id"], int(r["used"]), r["last"], int(r["answered"]), int(r["correct"]))
            for r in await cur.fetchall()
        ]



__all__ = ["MIGRATIONS", "SQLiteStore", "validate_trivia_config"]
