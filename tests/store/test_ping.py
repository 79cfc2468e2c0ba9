"""Store.ping(): the health check's cheap query, on each backend."""

from __future__ import annotations

import pytest

from bot.core.errors import StoreError


async def test_ping_returns_while_the_store_is_open_and_is_a_store_error_once_it_is_closed(db):
    store = await db.open()
    try:
        assert await store.ping() is None
    finally:
        await store.close()
    with pytest.raises(StoreError):
        await store.ping()


async def test_ping_needs_no_table_of_ours(db):
    async with db.open() as store:
        await db.execute("DROP TABLE trivia_config")
        await store.ping()  # it asks the database, not an aggregate
