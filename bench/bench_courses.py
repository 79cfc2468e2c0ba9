"""What hot reload costs: loading the courses of a knowledge folder, reloading one course (read,
validate, index: the work done off the event loop before the swap), and one look of the watcher
when nothing changed (what it does every few seconds).

    .venv/bin/python bench/bench_courses.py [KNOWLEDGE_FOLDER]   (default: eval/courses + knowledge/)
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.courses import CourseLibrary  # noqa: E402
from bot.core.coursewatch import CourseWatcher  # noqa: E402


def _copy_default(into: Path) -> Path:
    for folder in sorted((ROOT / "eval" / "courses").iterdir()) + sorted((ROOT / "knowledge").iterdir()):
        if folder.is_dir():
            shutil.copytree(folder, into / folder.name)
    return into


async def main(path: Path) -> None:
    t = time.perf_counter()
    library = CourseLibrary.load(path)
    print(f"load {len(library.ids())} courses: {time.perf_counter() - t:.2f} s")
    for course_id in library.ids():
        folder = library.folder(course_id)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            [result] = await library.reload([folder])
            times.append(time.perf_counter() - t)
            assert result.ok, result.problems
        passages = len(library.get_course(course_id).passages)
        print(f"reload {course_id} ({passages} passages): median {statistics.median(times) * 1000:.0f} ms")
    watcher = CourseWatcher(library, interval=0)
    t = time.perf_counter()
    await watcher.prime()
    print(f"watcher first look (hashes every file): {(time.perf_counter() - t) * 1000:.1f} ms")
    times = []
    for _ in range(20):
        t = time.perf_counter()
        assert await watcher.poll() == []
        times.append(time.perf_counter() - t)
    print(f"watcher look, nothing changed: median {statistics.median(times) * 1000:.2f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        asyncio.run(main(Path(sys.argv[1])))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(main(_copy_default(Path(tmp))))
