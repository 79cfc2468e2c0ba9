"""`classbot review` in the terminal: the review queue (bot.core.review) as numbered choices, a
JSON list for scripts, and one-shot flags (--add-phrasing, --draft, --dismiss) for scripts too."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.answering import Engine
from bot.core.courseedit import SINGLE_FILE, ChangeRefused, CourseEditError
from bot.core.knowledge import course_folders, load_course
from bot.core.review import (
    Change,
    ReviewItem,
    add_phrasing,
    dismiss,
    draft_fact,
    find_item,
    review_queue,
)
from bot.core.store import Store


@dataclass
class _Entry:
    engine: Engine
    item: ReviewItem


def _day(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _load_engines(knowledge: Path) -> list[Engine]:
    return [Engine(load_course(folder)) for folder in course_folders(knowledge)]


async def _queue(store: Store, engines: list[Engine], limit: int | None) -> list[_Entry]:
    out = []
    for engine in engines:
        out += [_Entry(engine, item) for item in await review_queue(store, engine, engines, limit)]
    return out


def _describe(change: Change) -> str:
    if change.action == "phrasing":
        return f"Added \"{change.text}\" as a phrasing of fact '{change.fact_id}' in {change.file}."
    if change.action == "draft":
        return f"Drafted fact '{change.fact_id}' in {change.file}: check its answer, then move it where it belongs."
    return "Dismissed."


def _show(n: int, total: int, item: ReviewItem, out: Callable[[str], None]) -> None:
    what = []
    if item.asked:
        what.append(f"asked {item.asked}x without an answer")
    if item.unhelpful:
        what.append(f"voted not helpful {item.unhelpful}x")
    out(f"\n[{n}/{total}] \"{item.question}\"  ({', '.join(what)}; last {_day(item.last_asked)})")
    if item.variants:
        out("      also asked as: " + ", ".join(f'"{_short(v, 60)}"' for v in item.variants[:5]))
    if item.voted_facts:
        out("      the answer voted not helpful came from fact(s): " + ", ".join(item.voted_facts))
    if item.facts:
        out("  Add it as a phrasing of:")
        for i, f in enumerate(item.facts, 1):
            out(f"    {i}) fact {f.id}: \"{_short(f.question, 70)}\"")
    if item.passages:
        out("  Draft a new fact quoting:")
        for i, p in enumerate(item.passages, len(item.facts) + 1):
            out(f"    {i}) {p.location}: \"{_short(p.text)}\"")
    out("  f ID) phrasing of another fact   d) dismiss   Enter) skip for now   q) quit")


async def _interactive(store: Store, entries: list[_Entry], read: Callable[[str], str],
                       out: Callable[[str], None], refusal: str | None) -> int:
    if not entries:
        out("Nothing to review: no new unanswered questions or \"not helpful\" votes.")
        return 0
    out(f"{len(entries)} item(s) to review, most asked first.")
    courses: dict[str, Any] = {}
    for n, entry in enumerate(entries, 1):
        item = entry.item
        course = courses.get(entry.engine.course.id, entry.engine.course)
        _show(n, len(entries), item, out)
        while True:
            try:
                choice = read("Choice: ").strip()
            except EOFError:
                out("")
                return 0
            if choice in ("", "s"):
                break
            if choice == "q":
                return 0
            try:
                if refusal and choice not in ("d", "s", "q"):
                    raise CourseEditError(refusal)
                change = await _decide(store, course, item, choice, read)
            except ChangeRefused as e:
                out(f"  {e}\n  Nothing was written; the item stays in the queue.")
                continue
            except CourseEditError as e:
                out(f"  {e}")
                continue
            if change is None:
                out("  Type a number from the list, f ID, d, Enter or q.")
                continue
            out("  " + _describe(change))
            if change.action != "dismiss":  # the next drafts must see this change (ids, questions)
                courses[course.id] = load_course(course.folder)
            break
    return 0


async def _decide(store: Store, course: Any, item: ReviewItem, choice: str, read: Callable[[str], str]) -> Change | None:
    if choice == "d":
        return await dismiss(store, item)
    if choice.startswith("f "):
        return await _phrasing(store, course, item, choice[2:].strip(), read)
    if not choice.isdigit():
        return None
    n = int(choice)
    if 1 <= n <= len(item.facts):
        return await _phrasing(store, course, item, item.facts[n - 1].id, read)
    n -= len(item.facts)
    if 1 <= n <= len(item.passages):
        passage = item.passages[n - 1]
        answer = read(f"  Answer [{_short(passage.text, 60)}]: ").strip()
        return await draft_fact(store, course, item, passage.id, answer or None)
    return None


async def _phrasing(store: Store, course: Any, item: ReviewItem, fact_id: str, read: Callable[[str], str]) -> Change:
    text = read(f"  Phrasing to add [{item.question}]: ").strip()
    return await add_phrasing(store, course, item, fact_id, text or None)


async def _one_shot(store: Store, entries: list[_Entry], args: Any, refusal: str | None) -> Change:
    if refusal and not args.dismiss:
        raise CourseEditError(refusal)
    items = [e.item for e in entries]
    if args.dismiss:
        ref = args.dismiss
    elif args.add_phrasing:
        ref = args.add_phrasing[0]
    else:
        ref = args.draft[0]
    item = find_item(items, ref)
    course = next(e.engine.course for e in entries if e.item is item)
    if args.dismiss:
        return await dismiss(store, item)
    if args.add_phrasing:
        return await add_phrasing(store, course, item, args.add_phrasing[1], args.text)
    return await draft_fact(store, course, item, args.draft[1], args.answer, args.text)


def _bundled_refusal(knowledge: Path) -> str | None:
    """Why the course at ``knowledge`` may not be edited, when it is the course bundled with classbot."""
    from bot.config import bundled_knowledge_path

    try:
        bundled = bundled_knowledge_path().resolve()
    except ImportError:  # no bundled course installed: nothing to protect
        return None
    if knowledge.resolve() not in (bundled, bundled.parent):
        return None
    return ("this is the course bundled with classbot, inside the installed package, where an edit is lost on "
            f"upgrade: copy it (cp -r {bundled} my-course) and run again with --knowledge my-course")


def run_review(knowledge: Path, database: str | Path, args: Any) -> int:
    """The `classbot review` command on ``database`` (an SQLite file that exists, or a PostgreSQL
    URL: the caller checks); returns its exit status."""
    from bot.store import open_store

    engines = _load_engines(knowledge)
    # a bare text: its facts would be written where nothing reads them; the bundled course: inside the
    # installed package, where an edit is lost on upgrade (and cannot be written in a read-only image)
    refusal = SINGLE_FILE if Path(knowledge).is_file() else _bundled_refusal(Path(knowledge))

    async def go() -> int:
        async with open_store(database) as store:
            entries = await _queue(store, engines, args.limit)
            if args.json:
                rows = [{"number": n, "course_id": e.engine.course.id, **e.item.to_json()}
                        for n, e in enumerate(entries, 1)]
                print(json.dumps(rows, ensure_ascii=False, indent=2))
                return 0
            if args.dismiss or args.add_phrasing or args.draft:
                try:
                    change = await _one_shot(store, entries, args, refusal)
                except ChangeRefused as e:
                    print(f"classbot review: {e}\nNothing was written; the item stays in the queue.", file=sys.stderr)
                    return 1
                print(_describe(change))
                return 0
            return await _interactive(store, entries, input, print, refusal)

    return asyncio.run(go())


__all__ = ["run_review"]
