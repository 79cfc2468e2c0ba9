"""One PostgreSQL database: a pool of connections, migrating it, transactions, closing it.

- The schema is built by the shared migrations (bot.store.schema, the ``postgres`` dialect). The
  table ``classbot_migrations`` has a row per migration run. Each migration runs in its own
  transaction under an advisory lock (:data:`MIGRATION_LOCK`), which also covers reading the
  version: two processes starting at once run each migration exactly once, the second waits.
- Every write runs in one transaction (READ COMMITTED) that is committed before the method
  returns. Row locks (``SELECT ... FOR UPDATE`` / ``FOR SHARE``) give the guarantees that SQLite
  gets from having one writer at a time; see rounds.py and scores.py.
- A transaction the server rolled back because of a serialization failure or a deadlock is run
  again (:attr:`PostgresConnection.retries` times): the server undid all of it, so that is safe.
  So is one whose connection was lost before COMMIT was sent (a server restart, a failover). A
  connection lost during COMMIT is not retried: it may or may not have committed.
- Any driver or network error becomes a StoreError (errors.py) that names the server without its
  password.

The aggregate modules (qa, trivia_config, rounds, scores, review, userdata, activity, reporting,
courses, claims, leases, seen_events) build on this class.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, TypeVar

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from bot.core.clock import Clock, SystemClock
from bot.core.errors import StoreError
from bot.store import schema
from bot.store.postgres.errors import DRIVER_ERRORS, RETRYABLE, explain, redact
from bot.store.schema import OUR_TABLES, Dialect

DIALECT: Dialect = "postgres"
log = logging.getLogger(__name__)

Conn: TypeAlias = "PoolConnectionProxy[asyncpg.Record]"  # a string: the class is not subscriptable at run time
T = TypeVar("T")

# pg_advisory_xact_lock keys. MIGRATION_LOCK: "classbot" in ASCII, one bigint. Per-server locks use
# the two-int form, (LOCK_SPACE, hashtext(...)), a separate key space on the server.
MIGRATION_LOCK = 0x636C617373626F74
LOCK_SPACE = 0x63626F74  # "cbot"

VERSIONS_TABLE = "classbot_migrations"

# A pooled connection the server (or the network) closed: the statement never ran. (asyncpg reports
# some of these as an InternalClientError, "cannot switch to state ...", when the close interrupts it.)
LOST_CONNECTION = (asyncpg.ConnectionDoesNotExistError, asyncpg.exceptions.AdminShutdownError,
                   asyncpg.exceptions.CannotConnectNowError, asyncpg.exceptions.InternalClientError)


async def _rollback_quietly(tx: Transaction) -> None:
    try:
        await tx.rollback()
    except Exception:  # the connection is gone: the server has rolled it back already
        pass


class PostgresConnection:
    """A pool of connections to one PostgreSQL database with classbot's schema."""

    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        min_size: int = 1,
        max_size: int = 10,
        connect_timeout: float = 10.0,
        retries: int = 5,
    ) -> None:
        self._url = url  # holds the password: never logged, never in a message (use .where)
        self.where = redact(url)
        self.clock: Clock = clock or SystemClock()
        self.min_size = min_size
        self.max_size = max_size
        self.connect_timeout = connect_timeout
        self.retries = max(int(retries), 1)
        self._pool: asyncpg.Pool[asyncpg.Record] | None = None
        self.created = False  # kept for the port's close(discard_if_unused=...); a server database is never dropped

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.where!r})"

    async def _open(self) -> None:
        if self._pool is not None:
            return
        try:
            settings = {} if "application_name" in self._url else {"application_name": "classbot"}
            pool = await asyncpg.create_pool(
                dsn=self._url, min_size=self.min_size, max_size=self.max_size, timeout=self.connect_timeout,
                server_settings=settings,  # shows in pg_stat_activity
            )
        except DRIVER_ERRORS as e:
            raise explain(self.where, e) from e  # (the driver's messages name host and user, never the password)
        except ValueError as e:  # the URL itself: asyncpg's message may quote it, password included
            raise StoreError(
                f"CLASSBOT_DATABASE_URL is not a usable PostgreSQL URL ({self.where}): {type(e).__name__}. "
                "It should look like postgresql://user:password@host:5432/database"
            ) from None
        self._pool = pool
        try:
            await self._migrate()
            await self._warn_if_commits_can_be_lost()
        except DRIVER_ERRORS as e:
            await self._close_quietly()
            raise explain(self.where, e) from e
        except BaseException:
            await self._close_quietly()
            raise

    async def _close_quietly(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(pool.close(), timeout=5)
            except Exception:
                pool.terminate()

    async def _migrate(self) -> None:
        """Run the migrations this database has not run, one transaction each, under the migration lock."""
        async with self.pool.acquire() as conn:
            while True:
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                    version = await self._checked_version(conn)
                    if version >= len(schema.MIGRATIONS):
                        return
                    if version == 0:
                        await conn.execute(
                            f"CREATE TABLE {VERSIONS_TABLE} (version INTEGER PRIMARY KEY, purpose TEXT NOT NULL,"
                            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                        )
                    migration = schema.MIGRATIONS[version]
                    for sql in migration.statements(DIALECT):
                        await conn.execute(sql)
                    await conn.execute(
                        f"INSERT INTO {VERSIONS_TABLE} (version, purpose) VALUES ($1, $2)",
                        migration.version, migration.purpose,
                    )

    async def _warn_if_commits_can_be_lost(self) -> None:
        """An acknowledged answer is committed only if the server waits for its WAL to reach the disk."""
        async with self.pool.acquire() as conn:
            setting = await conn.fetchval("SHOW synchronous_commit")
        if str(setting).lower() == "off":
            log.warning(
                "PostgreSQL at %s has synchronous_commit = off: answers the bot acknowledged can be lost if the "
                "server crashes. Set synchronous_commit = on (the default) for classbot's database or user.",
                self.where,
            )

    async def _checked_version(self, conn: Conn) -> int:
        """How many migrations this database has run; refuses someone else's database or a newer schema."""
        tables = {
            str(r[0]) for r in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                " AND table_type = 'BASE TABLE'"
            )
        }  # fmt: skip
        version = 0
        if VERSIONS_TABLE in tables:
            version = int(await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {VERSIONS_TABLE}") or 0)
        if version > len(schema.MIGRATIONS):
            raise StoreError(
                f"{self.where} was written by a newer classbot (schema {version}, this one knows "
                f"{len(schema.MIGRATIONS)}): upgrade classbot"
            )
        if tables and (version == 0 or not tables & OUR_TABLES):
            raise StoreError(
                f"{self.where} is not a classbot database (it holds other tables: {', '.join(sorted(tables)[:5])}). "
                "Give classbot a database of its own (createdb), or a schema of its own (?options=-csearch_path=...)."
            )
        return version

    async def schema_version(self) -> int:
        async with self.pool.acquire() as conn:
            return int(await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {VERSIONS_TABLE}") or 0)

    async def close(self, *, discard_if_unused: bool = False) -> None:
        """Close the pool (waiting for running queries). A server database is never dropped, so
        ``discard_if_unused`` changes nothing here."""
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await pool.close()
            except DRIVER_ERRORS as e:
                pool.terminate()
                raise explain(self.where, e) from e

    @property
    def pool(self) -> asyncpg.Pool[asyncpg.Record]:
        if self._pool is None:
            raise StoreError("the database is not open (is the bot shutting down?); try again in a moment")
        return self._pool

    async def _transact(self, body: Callable[[Conn], Awaitable[T]]) -> T:
        """Run ``body`` in one transaction and commit it. Run it again when that is safe: after a
        serialization failure or a deadlock (the server rolled all of it back), and when the
        connection is lost before COMMIT was sent (the server restarted or ended it: nothing was
        committed). A connection lost during COMMIT is not retried: it may have committed.
        ``body`` must do nothing outside the database."""
        attempt = 0
        while True:
            if attempt:
                await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))  # noqa: S311 (jitter, not a secret)
            attempt += 1
            async with self.pool.acquire() as conn:
                tx = conn.transaction()
                try:
                    await tx.start()
                except LOST_CONNECTION:
                    if attempt >= self.retries:
                        raise
                    continue
                try:
                    result = await body(conn)
                except LOST_CONNECTION:  # before COMMIT was sent: the server rolled it back
                    if attempt >= self.retries:
                        raise
                    continue
                except asyncpg.PostgresError as e:
                    await _rollback_quietly(tx)
                    if e.sqlstate not in RETRYABLE or attempt >= self.retries:
                        raise
                except BaseException:
                    await _rollback_quietly(tx)
                    raise
                else:
                    await tx.commit()  # a connection lost here is not retried: it may have committed
                    return result

    async def _read(self, read: Callable[[Conn], Awaitable[T]]) -> T:
        """Run a read; once more on a fresh connection if the pooled one was dead (reads are safe to repeat)."""
        for attempt in (1, 2):
            try:
                async with self.pool.acquire() as conn:
                    return await read(conn)
            except LOST_CONNECTION:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._read(lambda conn: conn.fetch(sql, *args))

    async def _fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._read(lambda conn: conn.fetchrow(sql, *args))

    async def _fetch_one(self, sql: str, *args: Any) -> asyncpg.Record:
        """The one row an aggregate query (COUNT, SUM...) always returns."""
        row = await self._fetchrow(sql, *args)
        if row is None:
            raise StoreError("the database returned no row where one is always expected")
        return row

    def _now(self) -> float:
        return self.clock.now().timestamp()

    async def ping(self) -> None:
        """A cheap query on a pooled connection (the health check's)."""
        try:
            await self._fetch_one("SELECT 1")
        except DRIVER_ERRORS as e:
            raise explain(self.where, e) from e


__all__ = ["Conn", "LOCK_SPACE", "MIGRATION_LOCK", "PostgresConnection", "VERSIONS_TABLE"]
