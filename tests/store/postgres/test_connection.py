"""The PostgreSQL store against a real server: errors that say what to do (never the password),
migrations run once even by processes starting together, one reveal per round across processes,
acknowledged answers that survive kill -9, and transactions retried after a deadlock."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import textwrap
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.core.errors import StoreError
from bot.store import PostgresStore, Scoring, describe_target, open_store
from bot.store import schema as schema_module
from bot.store.postgres.errors import USER_UNREACHABLE, redact
from bot.store.schema import MIGRATIONS, Migration, Step
from tests.store.helpers import ROOT, posted_round

PASSWORD = "pa55-w0rd-never-logged"


def with_netloc(url: str, netloc: str | None = None, path: str | None = None) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, netloc or parts.netloc, path or parts.path, parts.query, parts.fragment))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_password_is_redacted_wherever_the_url_is_shown():
    url = f"postgresql://classbot:{PASSWORD}@db.example:5432/classbot?sslmode=require&password={PASSWORD}"
    shown = [redact(url), describe_target(url), repr(PostgresStore(url)), PostgresStore(url).where]
    assert all(PASSWORD not in s for s in shown), shown
    assert redact(url).startswith("postgresql://classbot:***@db.example:5432/classbot?sslmode=require")
    assert describe_target("/var/lib/classbot/bot.db") == "/var/lib/classbot/bot.db"


async def test_connection_refused_is_a_store_error_that_says_what_to_check():
    url = f"postgresql://classbot:{PASSWORD}@127.0.0.1:{free_port()}/classbot"
    with pytest.raises(StoreError) as err:
        await open_store(url)
    message = str(err.value)
    assert "cannot reach PostgreSQL at postgresql://classbot:***@127.0.0.1" in message
    assert "CLASSBOT_DATABASE_URL" in message and PASSWORD not in message
    assert err.value.user_message == USER_UNREACHABLE and "127.0.0.1" not in err.value.user_message


async def test_a_missing_database_and_an_unknown_user_are_told_apart(pg_dsn):
    parts = urlsplit(pg_dsn)
    with pytest.raises(StoreError, match="does not exist.*createdb") as missing:
        await open_store(with_netloc(pg_dsn, path="/no_such_classbot_db"))
    host = f"nobody_like_this:{PASSWORD}@{parts.hostname}:{parts.port}"
    with pytest.raises(StoreError, match="refused the (login|password)") as login:
        await open_store(with_netloc(pg_dsn, netloc=host))
    assert PASSWORD not in str(login.value) and PASSWORD not in str(missing.value)
    assert missing.value.user_message == login.value.user_message == USER_UNREACHABLE


async def test_a_database_dropped_under_a_running_store_gives_store_errors_not_crashes(pg_dsn):
    store = await open_store(pg_dsn)
    try:
        await store.set_trivia_config("discord", "g", "c", "09:00", "UTC")
        admin = await asyncpg.connect(with_netloc(pg_dsn, path="/postgres"))
        try:
            await admin.execute(f'DROP DATABASE "{urlsplit(pg_dsn).path[1:]}" WITH (FORCE)')
        finally:
            await admin.close()
        for _ in range(2):  # the dead pooled connection, then a new one to a database that is gone
            with pytest.raises(StoreError) as err:
                await store.record_unanswered("discord", "crisis", "g", "c", "why?", None)
            assert err.value.user_message == USER_UNREACHABLE
    finally:
        await store.close()


async def test_connections_the_server_ended_are_replaced_without_an_error(pg_dsn):
    async with open_store(pg_dsn) as store:
        await asyncio.gather(*(store.count_unanswered("crisis") for _ in range(5)))  # several pooled connections
        admin = await asyncpg.connect(pg_dsn)
        try:
            ended = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        assert ended >= 1
        # a restart or failover of the server: reads and writes go on, on new connections
        assert await store.record_unanswered("discord", "crisis", "g", "c", "why?", None)
        assert await store.count_unanswered("crisis") == 1


async def test_a_closed_store_raises_store_error(pg_dsn):
    store = await open_store(pg_dsn)
    await store.close()
    with pytest.raises(StoreError, match="not open"):
        await store.count_unanswered("crisis")


async def test_someone_elses_database_is_refused(pg_dsn):
    con = await asyncpg.connect(pg_dsn)
    try:
        await con.execute("CREATE TABLE invoices (id INTEGER)")
    finally:
        await con.close()
    with pytest.raises(StoreError, match="not a classbot database.*invoices"):
        await open_store(pg_dsn)


async def test_a_newer_schema_is_refused(pg_dsn):
    async with open_store(pg_dsn):
        pass
    con = await asyncpg.connect(pg_dsn)
    try:
        await con.execute("INSERT INTO classbot_migrations (version, purpose) VALUES ($1, 'from the future')",
                          len(MIGRATIONS) + 5)
    finally:
        await con.close()
    with pytest.raises(StoreError, match="newer classbot.*upgrade classbot"):
        await open_store(pg_dsn)


async def test_a_failing_migration_is_rolled_back_and_reported(pg_dsn, monkeypatch):
    async with open_store(pg_dsn):
        pass
    broken = Migration(len(MIGRATIONS) + 1, "broken", (Step(standard="CREATE TABLE extra (id INTEGER)"),
                                                       Step(standard="THIS IS NOT SQL")))
    monkeypatch.setattr(schema_module, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match="syntax"):
        await open_store(pg_dsn)
    monkeypatch.undo()
    async with open_store(pg_dsn) as store:
        assert await store.schema_version() == len(MIGRATIONS)
    con = await asyncpg.connect(pg_dsn)
    try:
        assert await con.fetchval("SELECT to_regclass('extra')") is None  # the whole migration was undone
    finally:
        await con.close()


OPENER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.store import open_store

    async def main(url):
        async with open_store(url) as store:
            print("version", await store.schema_version(), flush=True)

    asyncio.run(main(sys.argv[1]))
    """
)


async def test_processes_starting_together_run_each_migration_once(pg_dsn):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", OPENER, pg_dsn, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
        )
        for _ in range(4)
    ]
    outputs = await asyncio.gather(*(p.communicate() for p in procs))
    assert [p.returncode for p in procs] == [0] * 4, [err.decode()[-500:] for _, err in outputs]
    assert {out.decode().strip() for out, _ in outputs} == {f"version {len(MIGRATIONS)}"}
    con = await asyncpg.connect(pg_dsn)
    try:
        versions = [r[0] for r in await con.fetch("SELECT version FROM classbot_migrations ORDER BY version")]
    finally:
        await con.close()
    assert versions == [m.version for m in MIGRATIONS]


async def test_two_processes_revealing_one_round_award_it_once_and_score_every_answer(pg_dsn):
    async with open_store(pg_dsn) as a, open_store(pg_dsn) as b:
        for day in ("2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"):  # a race: several tries
            r = await posted_round(a, day=day)
            answers = [(a if i % 2 else b).record_answer(r.id, f"u{i}", "1962", True, now=1500.0) for i in range(40)]
            reveals = [a.reveal_round(r.id, Scoring()), b.reveal_round(r.id, Scoring())]
            results = await asyncio.gather(*answers[:20], *reveals, *answers[20:])
            outcomes, (first, second) = results[:20] + results[22:], results[20:22]
            assert sorted([first is None, second is None]) == [False, True]  # exactly one reveal claimed it
            awards = first if first is not None else second
            recorded = {f"u{i}" for i, o in enumerate(outcomes) if o == "recorded"}
            assert set(outcomes) <= {"recorded", "closed"}
            # every answer that got in was scored by the reveal; none slipped in after it
            assert {aw.user_id for aw in awards} == recorded, day
            assert (await b.round_stats(r.id)).answered == len(recorded)


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.core.models import TriviaRound
    from bot.store import open_store

    async def main(url):
        store = await open_store(url)
        r = await store.create_round("discord", TriviaRound(None, "g", "c", "i", "2026-01-05", 0, 1e12))
        await store.mark_round_posted(r.id, "m")
        print("round", r.id, flush=True)
        i = 0
        while True:
            if await store.record_answer(r.id, f"user{i}", "x", i % 2 == 0) == "recorded":
                print("ack", i, flush=True)
            i += 1

    asyncio.run(main(sys.argv[1]))
    """
)


def test_acknowledged_answers_survive_sigkill(pg_dsn):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, pg_dsn], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    round_line = proc.stdout.readline().split()
    assert round_line[0] == "round", round_line
    acked: list[int] = []
    for line in proc.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) >= 150:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acked += [int(line.split()[1]) for line in proc.stdout]
    assert proc.returncode == -signal.SIGKILL

    async def check() -> list[int]:
        async with open_store(pg_dsn) as store:
            return [i for i in acked if await store.get_answer(int(round_line[1]), f"user{i}") is None]

    assert asyncio.run(check()) == [] and len(acked) >= 150


async def test_a_transaction_that_loses_a_deadlock_is_run_again_and_both_commit(pg_dsn):
    async with open_store(pg_dsn) as store:
        for guild in ("g1", "g2"):
            await store.set_trivia_config("discord", guild, "c", "09:00", "UTC")
        both_hold_one = asyncio.Barrier(2)
        runs: list[str] = []
        append = "UPDATE trivia_config SET channel_id = channel_id || $1 WHERE guild_id = $2"

        def crossing(mine: str, theirs: str):  # each takes its row, then wants the other's: a real deadlock
            async def body(db) -> None:
                runs.append(mine)
                await db.execute(append, mine, mine)
                if runs.count(mine) == 1:
                    await both_hold_one.wait()
                await db.execute(append, mine, theirs)

            return body

        await asyncio.gather(store._transact(crossing("g1", "g2")), store._transact(crossing("g2", "g1")))
        channels = [c.channel_id for c in await store.list_trivia_configs("discord")]
    assert sorted(runs) in (["g1", "g1", "g2"], ["g1", "g2", "g2"])  # the loser was rolled back and run again
    # both committed, each update once: every row has both suffixes, and the rolled-back run left nothing
    assert all(channel in ("cg1g2", "cg2g1") for channel in channels) and len(channels) == 2


async def test_a_server_that_may_lose_acknowledged_commits_is_reported_in_the_log(pg_dsn, caplog):
    con = await asyncpg.connect(pg_dsn)
    try:
        await con.execute(f'ALTER DATABASE "{urlsplit(pg_dsn).path[1:]}" SET synchronous_commit = off')
    finally:
        await con.close()
    with caplog.at_level("WARNING", logger="bot.store.postgres.connection"):
        async with open_store(pg_dsn) as store, store.pool.acquire() as conn:
            assert await conn.fetchval("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()") \
                    == "classbot"
    assert "synchronous_commit = off" in caplog.text


@pytest.mark.parametrize("url", [
    f"postgresql://classbot:{PASSWORD}@db.example:abc/classbot",  # a port that is not a number
    f"postgresql://classbot:{PASSWORD}@127.0.0.1:1/classbot?sslmode=bogus",
    f"postgres://classbot@127.0.0.1:1/classbot?password={PASSWORD}",
])
async def test_an_unusable_url_is_reported_without_its_password_even_in_the_traceback(url):
    import traceback

    with pytest.raises(StoreError) as err:
        await open_store(url)
    assert PASSWORD not in "".join(traceback.format_exception(err.value))
    assert "***" in str(err.value)


async def test_every_time_column_of_the_schema_is_a_double_not_a_four_byte_real(pg_dsn):
    async with open_store(pg_dsn):
        pass
    con = await asyncpg.connect(pg_dsn)
    try:
        rows = await con.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND data_type IN ('real', 'double precision')"
        )
    finally:
        await con.close()
    types = {f"{r['table_name']}.{r['column_name']}": r["data_type"] for r in rows}
    assert {"unanswered.reviewed_at", "feedback.reviewed_at", "course_bindings.set_at", "rounds.posted_at"} <= set(types)
    assert [column for column, kind in types.items() if kind == "real"] == []
