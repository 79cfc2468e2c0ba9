"""Time to make the teacher's report: build_report on a real SQLite file holding a school year of one
class (a round every school day, questions per unit every day), then the chart (the first one also
imports matplotlib), and what one counted question costs the store.

    .venv/bin/python bench/bench_report.py [--days 280] [--students 30] [--weeks 6]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import bundled_knowledge_path  # noqa: E402
from bot.core.clock import FakeClock  # noqa: E402
from bot.core.knowledge import load_course  # noqa: E402
from bot.core.models import TriviaRound  # noqa: E402
from bot.core.reports import build_report  # noqa: E402
from bot.core.store import Scoring  # noqa: E402
from bot.store import open_store  # noqa: E402


async def main(days: int, students: int, weeks: int) -> None:
    rng = random.Random(11)
    course = load_course(bundled_knowledge_path())
    items = list(course.trivia_items)
    now = datetime(2026, 6, 17, 15, 0, tzinfo=UTC)
    clock = FakeClock(now)
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(Path(tmp) / "bot.db", clock=clock) as store:
            await store.set_trivia_config("discord", "g1", "c1", timezone="Europe/Paris")
            count_times = []
            for d in range(days):
                day = (now - timedelta(days=days - 1 - d)).date()
                posted = datetime.combine(day, datetime.min.time(), UTC).timestamp() + 9 * 3600
                clock.set(datetime.fromtimestamp(posted, UTC))
                if day.weekday() < 5:
                    r = await store.create_round("discord", TriviaRound(None, "g1", "c1", rng.choice(items).id,
                                                                        day.isoformat(), posted, posted + 8 * 3600))
                    await store.mark_round_posted(r.id, f"m{d}")
                    for s in rng.sample(range(students), rng.randint(students // 3, students)):
                        await store.record_answer(r.id, f"u{s}", "x", rng.random() < 0.6, now=posted + 60)
                    await store.reveal_round(r.id, Scoring())
                for unit, _ in course.units:
                    for _ in range(rng.randint(0, 8)):
                        t = time.perf_counter()
                        await store.count_question("discord", "g1", course.id, unit, True)
                        count_times.append(time.perf_counter() - t)
                for _ in range(rng.randint(0, 3)):
                    await store.record_unanswered("discord", course.id, "g1", "c1", f"question {rng.randint(0, 300)}", None)
                    await store.count_question("discord", "g1", course.id, None, False)
            clock.set(now)
            runs = []
            for _ in range(20):
                t = time.perf_counter()
                report = await build_report(store, course, "g1", now, weeks)
                runs.append(time.perf_counter() - t)
    from bot.charts import report_chart

    t = time.perf_counter()
    png = report_chart(report)
    first = time.perf_counter() - t
    charts = []
    for _ in range(5):
        t = time.perf_counter()
        report_chart(report)
        charts.append(time.perf_counter() - t)
    print(f"{days} days, {students} students, {weeks} weeks in the report")
    print(f"count_question: median {statistics.median(count_times) * 1000:.2f} ms over {len(count_times)} calls")
    print(f"build_report: median {statistics.median(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms (20 runs)")
    print(f"chart: first {first * 1000:.0f} ms (imports matplotlib), then median {statistics.median(charts) * 1000:.0f} ms;"
          f" {len(png) // 1024} KiB PNG")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=int, default=280)
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--weeks", type=int, default=6)
    a = p.parse_args()
    asyncio.run(main(a.days, a.students, a.weeks))
