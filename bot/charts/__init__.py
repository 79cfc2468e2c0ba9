"""Pictures of the core's results, for adapters to attach: today the teacher's report chart.

A layer of its own (see docs/architecture.md): it reads the core's plain results and draws them
with matplotlib, which it imports only when a picture is made, so a bot that never makes a report
never loads it. Drawing takes a few hundred milliseconds of CPU: call it in a worker thread from
an event loop (``await asyncio.to_thread(report_chart, report)``).
"""

from __future__ import annotations

from bot.charts.report import report_chart

__all__ = ["report_chart"]
