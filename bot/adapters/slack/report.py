"""The teacher's report (bot.core.reports.Report) as Slack Block Kit, within Slack's limits (a
section 3000 characters, a header 150, 50 blocks); the chart goes separately, as a file in a DM."""

from __future__ import annotations

from bot.adapters.slack import render
from bot.core.chatreport import fit_lines, percent, short_day
from bot.core.reports import Report

HEADER_LIMIT = 150
LIST_BUDGET = 2500  # characters of one list's section (of 3000), room left to say what is left out
QUESTION = 150  # characters of one question in a list


def _question(text: str) -> str:
    return render.safe(" ".join(text.split()), QUESTION)


def _lines(lines: list[str], empty: str, budget: int = LIST_BUDGET) -> str:
    if not lines:
        return f"_{empty}_"
    return "\n".join(fit_lines(lines, budget))


def report_blocks(report: Report, chart_note: str = "") -> list[dict]:
    week = "this week" if report.is_current_week else "that week"
    asked = f"*{report.questions_asked}* question(s) asked {week}"
    if report.not_covered:
        asked += f", {report.not_covered} not covered by the course"
    t = report.trivia
    trivia = (f"{t.rounds} round(s), {t.answers} answer(s) from {t.players} student(s), {percent(t.share_right)} right"
              if t.rounds else "no rounds")
    per_unit = [f"• {render.safe(u.title, 80)}: *{u.count}*" for u in report.asked]
    unanswered = [f"• `{u.count}×` {_question(u.question)}" + (f" (+{len(u.wordings)} similar)" if u.wordings else "")
                  for u in report.unanswered]
    unhelpful = [f"• `{a.unhelpful}×` :thumbsdown: ({a.helpful} :thumbsup:) {_question(a.question)}" for a in report.unhelpful]
    hardest = [f"• `{percent(i.share_right)}` right ({i.correct}/{i.answered}) {_question(i.question)}" for i in report.hardest]
    header = {"type": "header", "text": render.plain(f"Class report: {report.course_title}", HEADER_LIMIT, emoji=False)}
    context = [f"{short_day(report.week_start)} to {short_day(report.week_end)} ({render.escape(report.timezone)}) · "
               f"`{render.escape(report.course_id)}` · only you can see this"]
    blocks = [
        header,
        render.context(*context),
        render.section(f"{asked}.\n*Questions per unit ({week})*\n" + _lines(per_unit, "none")),
        render.section("*Top unanswered questions* (every workspace using this course)\n" + _lines(unanswered, "none")),
        render.section(f"*Answers voted not helpful ({week})*\n" + _lines(unhelpful, "none")),
        render.section(f"*Trivia ({week})*: {trivia}\n*Hardest trivia items (last {len(report.weeks)} weeks)*\n"
                       + _lines(hardest, "none answered yet")),
    ]
    if chart_note:
        blocks.append(render.context(chart_note))
    return render.fit(blocks)


def report_text(report: Report) -> str:
    """The notification text (the blocks carry the report)."""
    return render.safe(f"Class report: {report.course_title}, {report.questions_asked} question(s) asked", 300)


__all__ = ["report_blocks", "report_text"]
