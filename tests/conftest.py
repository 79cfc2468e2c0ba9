"""Fixtures every test module may take: ``pg_dsn`` (tests/pg.py, a fresh PostgreSQL database) and
``db`` (tests/databases.py, one database of each backend in turn)."""

from tests.databases import backend, db  # noqa: F401
from tests.pg import pg_dsn  # noqa: F401
