"""Time for a teacher's /report to arrive in chat, end to end through the fake Discord and the fake
Slack on 127.0.0.1: from the command to the private report with its chart (Discord: the ephemeral
follow-up with the PNG attached; Slack: the ephemeral report, then the chart's completeUploadExternal
in the DM). The first run also imports matplotlib; the median is over the runs after it.

    .venv/bin/python bench/bench_chat_report.py [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.discord.app import build_bot  # noqa: E402
from bot.adapters.slack.app import SlackBot, load_runtime  # noqa: E402
from bot.config import DiscordSettings, Settings, SlackSettings  # noqa: E402
from bot.core.answering import Engine  # noqa: E402
from bot.core.knowledge import load_course  # noqa: E402
from bot.store import open_store  # noqa: E402
from tests.adapters.discord.test_discord_trivia import TEACHER, ClassroomDiscord  # noqa: E402
from tests.fakes.discord_server import GUILD_ID  # noqa: E402
from tests.fakes.slack_course import write_course  # noqa: E402
from tests.fakes.slack_server import FakeSlack  # noqa: E402


async def discord_runs(folder: Path, runs: int) -> list[float]:
    fake = ClassroomDiscord()
    await fake.start()
    store = await open_store(folder / "discord.db")
    settings = Settings(knowledge_path=folder / "moon", database_path=folder / "discord.db",
                        discord=DiscordSettings(token=fake.token, api_base=fake.api_base, gateway_url=fake.gateway_url,
                                                guild_ids=(GUILD_ID,)))
    bot = build_bot(settings, Engine(load_course(folder / "moon")), store, guild_ready_timeout=0.01)
    await bot.login(fake.token)
    task = asyncio.create_task(bot.connect())
    times = []
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        for _ in range(runs):
            start = time.perf_counter()
            iid = await fake.command("report", user_id=TEACHER)
            req = await fake.wait_for_request("POST", rf"/webhooks/\d+/itoken{iid}", timeout=30)
            assert req.files, "no chart attached"
            times.append(time.perf_counter() - start)
    finally:
        await bot.close()
        await asyncio.wait_for(task, 10)
        await store.close()
        await fake.close()
    return times


async def slack_runs(folder: Path, runs: int) -> list[tuple[float, float]]:
    times: list[tuple[float, float]] = []  # (the report, the chart in the DM)
    async with FakeSlack() as slack:
        slack.add_user("UADMIN", is_admin=True)
        store = await open_store(folder / "slack.db")
        settings = Settings(knowledge_path=folder / "moon", database_path=folder / "slack.db", platform="slack",
                            course_watch_seconds=0,
                            slack=SlackSettings(bot_token=slack.bot_token, app_token=slack.app_token, api_url=slack.api_url))
        bot = SlackBot(await load_runtime(settings, store))
        await bot.start_socket_mode()
        await slack.wait_for_connections(1)
        try:
            for _ in range(runs):
                since = slack.mark()
                start = time.perf_counter()
                slack.slash_command("/report", "", user="UADMIN")
                await slack.wait_for("response_url", since=since, timeout=30)
                report = time.perf_counter() - start
                await slack.wait_for("files.completeUploadExternal", since=since, timeout=30)
                times.append((report, time.perf_counter() - start))
        finally:
            await bot.close()
            await store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_course(folder)
        d = asyncio.run(discord_runs(folder, args.runs))
        s = asyncio.run(slack_runs(folder, args.runs))
    print(f"Discord /report -> private follow-up with the chart: first {d[0] * 1000:.0f} ms (imports matplotlib), "
          f"then median {statistics.median(d[1:]) * 1000:.0f} ms, max {max(d[1:]) * 1000:.0f} ms ({args.runs - 1} runs)")
    reports = [r for r, _ in s[1:]]
    charts = [c for _, c in s[1:]]
    print(f"Slack /report -> private report: median {statistics.median(reports) * 1000:.0f} ms; chart in the DM: "
          f"median {statistics.median(charts) * 1000:.0f} ms, max {max(charts) * 1000:.0f} ms ({args.runs - 1} runs)")


if __name__ == "__main__":
    main()
