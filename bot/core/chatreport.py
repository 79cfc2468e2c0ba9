"""The teacher's report asked for in a chat channel (/report): the report of the course the channel
uses (its binding, else the server's, else the default) in this server, on this platform.

The adapters check that the asker is a teacher (the rule of the trivia settings), render the
``Report`` within their platform's limits and attach ``bot.charts.report_chart(report)``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.core.answering import Engine, MultiEngine
from bot.core.courses import CourseLibrary, as_library
from bot.core.reports import MAX_WEEKS, WEEKS, Report, ReportStore, build_report
from bot.core.store import CourseBindingStore


class ChannelReportStore(ReportStore, CourseBindingStore, Protocol):
    """What a channel's report needs of the store: the report's data and the channel's course."""


USAGE = f"`/report [weeks]`: this week's report on the class, with a chart of the last weeks (1 to {MAX_WEEKS}, default {WEEKS})."


def parse_weeks(text: str) -> int | None:
    """The weeks of a `/report` typed as text: empty is the default; None when it is not 1..MAX_WEEKS."""
    text = text.strip()
    if not text:
        return WEEKS
    if text.isdigit() and 1 <= int(text) <= MAX_WEEKS:
        return int(text)
    return None


async def channel_report(store: ChannelReportStore, engine: Engine | MultiEngine | CourseLibrary, platform: str, guild_id: str | None,
                         channel_id: str | None, now: datetime, weeks: int = WEEKS) -> Report:
    """The report of the channel's course in ``guild_id`` on ``platform``. ``engine``: an Engine or a
    CourseLibrary (then the channel's bound course). Raises StoreError."""
    library = as_library(engine)
    chosen = await library.engine_for(store, platform, guild_id, channel_id) if library is not None else engine
    return await build_report(store, chosen.course, guild_id, now, weeks, platform=platform)


def percent(share: float | None) -> str:
    """A share as a whole percentage ("67%"), "-" when there is none."""
    return "-" if share is None else f"{share:.0%}"


def short_day(d: date) -> str:
    """A day as a report shows it: "Mon 05 Jan"."""
    return d.strftime("%a %d %b")


def fit_lines(lines: list[str], budget: int) -> list[str]:
    """As many lines as fit in ``budget`` characters (with their line breaks), then
    "…and N more" for what was left out (room for it is kept)."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        more = f"…and {len(lines) - i} more"
        room = budget if i == len(lines) - 1 else budget - len(more) - 1  # keep room to say what is left out
        if used + len(line) + 1 > room:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return out


__all__ = ["USAGE", "channel_report", "fit_lines", "parse_weeks", "percent", "short_day"]
