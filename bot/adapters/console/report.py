"""The teacher's report (bot.core.reports.Report) as plain text for a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.reports import Report
from bot.core.safetext import clean_text, clip

WIDTH = 72  # characters of a question shown in a list
UNIT = 32  # characters of a unit title in the per-week table


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _day(d: object) -> str:
    return d.strftime("%a %d %b %Y") if hasattr(d, "strftime") else str(d)


def render_report(report: Report) -> str:
    week = "this week" if report.is_current_week else "that week"
    where = "every server" if report.guild_id is None else f"server {report.guild_id}"
    if report.platform:
        where += f" on {report.platform}"
    lines = [
        f"Report for {report.course_title} ({report.course_id}), {where}",
        f"Week: {_day(report.week_start)} to {_day(report.week_end)} ({report.timezone})",
        "",
        f"Questions asked {week}: {report.questions_asked}"
        + (f" ({report.not_covered} not covered by the course)" if report.not_covered else ""),
    ]
    width = max([len(u.title) for u in report.asked] + [4])
    lines += [f"  {clip(u.title, 40):<{min(width, 40)}}  {u.count:>4}" for u in report.asked]

    scope = "" if report.guild_id is None else " in every server of the course"  # the log is kept per course
    lines += ["", f"Top unanswered questions{scope} (last asked {week}; times asked in all)"]
    if not report.unanswered:
        lines.append("  none")
    for t in report.unanswered:
        last = datetime.fromtimestamp(t.last_asked, UTC).strftime("%d %b")
        lines.append(f"  {t.count:>4}x  {clip(clean_text(t.question), WIDTH)}  (last {last})")
        if t.wordings:
            more = f" and {len(t.wordings) - 2} more" if len(t.wordings) > 2 else ""
            lines.append(f"         also asked as: {'; '.join(clip(clean_text(w), 40) for w in t.wordings[:2])}{more}")

    lines += ["", f"Answers voted not helpful {week}"]
    if not report.unhelpful:
        lines.append("  none")
    for a in report.unhelpful:
        what = f"fact {a.fact_id}" if a.fact_id else "a quote from the text"
        lines.append(f"  {a.unhelpful:>4}x not helpful, {a.helpful} helpful  {clip(clean_text(a.question), WIDTH)}"
                     f"  ({what})")

    trivia = report.trivia
    lines += ["", f"Trivia {week}"]
    if trivia.rounds:
        lines.append(f"  {trivia.rounds} round(s), {trivia.answers} answer(s) from {trivia.players} student(s), "
                     f"{_pct(trivia.share_right)} right")
    else:
        lines.append("  no rounds")

    lines += ["", f"Hardest trivia items (last {len(report.weeks)} weeks, lowest share right first)"]
    if not report.hardest:
        lines.append("  none answered yet")
    for i in report.hardest:
        lines.append(f"  {_pct(i.share_right):>4} right ({i.correct}/{i.answered})  {clip(clean_text(i.question), WIDTH)}"
                     f"  [{i.item_id}]")

    lines += ["", "Per week: participation (questions + trivia answers) / trivia answers right"]
    header = "  " + f"{'unit':<{UNIT}}" + "".join(f"{w.start.strftime('%d %b'):>13}" for w in report.weeks)
    lines.append(header)
    for unit, title in report.units:
        cells = "".join(f"{w.unit(unit).participation:>6} / {_pct(w.unit(unit).accuracy):>4}" for w in report.weeks)
        lines.append(f"  {clip(title, UNIT):<{UNIT}}{cells}")
    lines.append(f"  {'not covered':<{UNIT}}" + "".join(f"{w.not_covered:>6}{'':>7}" for w in report.weeks))
    return "\n".join(lines)


__all__ = ["render_report"]
