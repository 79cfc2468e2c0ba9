"""Fixtures every test module may take: ``pg_dsn`` (tests/pg.py, a fresh PostgreSQL database) and
``db`` (tests/databases.py, one database of each backend in turn). Every test, and every bot it starts,
keeps the courses' sentence vectors in one folder of the session's own, never in the user's cache."""

import os
from collections.abc import Iterator

import pytest

from tests.databases import backend, db  # noqa: F401
from tests.pg import pg_dsn  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _vector_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    before = os.environ.get("CLASSBOT_CACHE_DIR")
    os.environ["CLASSBOT_CACHE_DIR"] = str(tmp_path_factory.mktemp("vectors"))
    yield
    if before is None:
        os.environ.pop("CLASSBOT_CACHE_DIR", None)
    else:
        os.environ["CLASSBOT_CACHE_DIR"] = before
