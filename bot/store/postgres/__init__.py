"""PostgreSQL implementation of the Store port (asyncpg, a pool of connections), split by aggregate
the same way as bot/store/sqlite/:

- connection.py: the pool, migrations (under an advisory lock), transactions (retried after a
  serialization failure or a deadlock)
- errors.py: driver and network errors as StoreErrors; the URL's password is never shown
- qa.py: feedback and unanswered questions
- trivia_config.py: each server's trivia settings
- rounds.py: trivia rounds and answers
- scores.py: reveals, points, streaks, leaderboards
- review.py: the teacher's review queue and its marks
- userdata.py: one student's data (export, forget in one transaction) and retention
- activity.py: questions asked per unit and day (counts only)
- reporting.py: what the teacher's report reads over a period
- courses.py: which course each server and channel uses
- claims.py, leases.py, seen_events.py: several processes on one database (one trivia post per
  server and day, one scheduler at a time, each platform event acted on once)
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
