"""PostgreSQL implementation of the Store port (asyncpg, a pool of connections), split by aggregate
the same way as bot/store/sqlite/:

- connection.py: the pool, migrations (under an advisory lock), transactions (retried after a
  serialization failure or a deadlock)
- errors.py: driver and network errors as StoreErrors; the URL's password is never shown
- qa.py: feedback and unanswered questions
- trivia_config.py: each server's trivia settings
- rounds.py: trivia rounds and answers
- scores.py: reveals, points, streaks, leaderboards
- store.py: PostgresStore, all of them behind the one protocol

Adding an aggregate: a module with a ``PostgresConnection`` subclass (writes in ``self._transact``,
reads with ``self._fetch``/``_fetchrow``, every public method under ``@guard``), its tables in a new
migration of bot/store/schema.py with ``postgres=`` text where SQLite's differs, and the class
among PostgresStore's bases.
"""

from __future__ import annotations

from bot.store.postgres.errors import is_postgres_url, redact
from bot.store.postgres.store import PostgresStore

__all__ = ["PostgresStore", "is_postgres_url", "redact"]
