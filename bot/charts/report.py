"""The report's chart: participation and trivia accuracy per unit over the report's weeks, as PNG bytes.

Top: participation per week, one stacked bar per week, a segment per unit (questions the unit
answered plus trivia answers to its items), and the questions the course could not answer in grey.
Bottom: the share of right trivia answers per unit and week (no point where a unit had no trivia
answers that week). One colour per unit in both.

matplotlib is imported here only when a chart is drawn, with its Agg canvas and no pyplot: no
window, no global state, nothing written to disk.
"""

from __future__ import annotations

import io
import math
from datetime import timedelta
from typing import Any

from bot.core.reports import Report

WIDTH_IN, HEIGHT_IN, DPI = 9.0, 6.0, 100  # 900 x 600 pixels: readable inline in Discord and Slack
NOT_COVERED_COLOR = "#bbbbbb"
MAX_LABEL = 28  # characters of a unit title in the legend

__all__ = ["report_chart"]


def _label(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1].rstrip() + "\u2026"


def report_chart(report: Report, *, dpi: int = DPI) -> bytes:
    """The chart of ``report.weeks`` as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    weeks = report.weeks
    x = list(range(len(weeks)))
    # the current week is not over: say so, so its shorter bar does not read as a drop
    labels = [w.start.strftime("%d %b") + ("\n(so far)" if w.end < w.start + timedelta(days=6) else "") for w in weeks]
    active = [(u, t) for u, t in report.units if any(w.unit(u).participation for w in weeks)]
    colors = _colors(len(active))

    base = [0] * len(weeks)
    for (unit, title), color in zip(active, colors, strict=True):
        heights = [w.unit(unit).participation for w in weeks]
        top.bar(x, heights, bottom=base, color=color, label=_label(title), width=0.7)
        base = [b + h for b, h in zip(base, heights, strict=True)]
    gaps = [w.not_covered for w in weeks]
    if any(gaps):
        top.bar(x, gaps, bottom=base, color=NOT_COVERED_COLOR, hatch="//", edgecolor="white", width=0.7,
                label="Not in the course")
        base = [b + g for b, g in zip(base, gaps, strict=True)]
    for xi, total in zip(x, base, strict=True):
        if total:
            top.annotate(str(total), (xi, total), xytext=(0, 3), textcoords="offset points", ha="center",
                         va="bottom", fontsize=9, color="#333333")
    top.margins(y=0.12)
    top.set_title(f"{report.course_title}: the last {len(weeks)} week{'s' if len(weeks) != 1 else ''}",
                  loc="left", fontsize=13, fontweight="bold")
    top.set_ylabel("Questions + trivia answers")
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.grid(axis="y", alpha=0.3)
    top.set_axisbelow(True)
    if not any(base):
        top.text(0.5, 0.5, "No questions or trivia answers yet", transform=top.transAxes, ha="center",
                 va="center", color="#666666")
        top.set_ylim(0, 1)

    plotted = False
    for (unit, title), color in zip(active, colors, strict=True):
        shares = [_percent(w.unit(unit).accuracy) for w in weeks]
        if all(math.isnan(s) for s in shares):
            continue
        bottom.plot(x, shares, marker="o", color=color, label=_label(title), linewidth=2)
        plotted = True
    if not plotted:
        bottom.text(0.5, 0.5, "No trivia answers yet", transform=bottom.transAxes, ha="center", va="center",
                    color="#666666")
    bottom.set_ylim(-5, 105)
    bottom.yaxis.set_major_formatter(PercentFormatter(100))
    bottom.set_ylabel("Trivia answers right")
    bottom.grid(alpha=0.3)
    bottom.set_xticks(x, labels)
    bottom.set_xlabel(f"Week starting ({report.timezone})")
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
    if active or any(gaps):
        top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)

    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def _percent(share: float | None) -> float:
    return math.nan if share is None else 100.0 * share


def _colors(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]
