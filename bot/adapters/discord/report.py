"""The teacher's report (bot.core.reports.Report) as one Discord embed, within Discord's limits
(a field 1024 characters, the whole embed 6000), with the chart as its image."""

from __future__ import annotations

import discord

from bot.adapters.discord import render
from bot.core.chatreport import fit_lines, percent, short_day
from bot.core.reports import Report

CHART_NAME = "report.png"
FIELD_BUDGET = 900  # of the 1024 a field may hold: six fields and the rest stay under 6000 in all
QUESTION = 150  # characters of one question in a list


def _question(text: str) -> str:
    return render.escape_user_text(render.clip(" ".join(text.split()), QUESTION))


def _lines(lines: list[str], empty: str, budget: int = FIELD_BUDGET) -> str:
    """As many lines as fit in ``budget``, then how many were left out."""
    if not lines:
        return empty
    return "\n".join(fit_lines(lines, budget))


def report_embed(report: Report, *, chart: bool = True) -> discord.Embed:
    week = "this week" if report.is_current_week else "that week"
    asked = f"**{report.questions_asked}** question(s) asked {week}"
    if report.not_covered:
        asked += f", {report.not_covered} not covered by the course"
    description = (f"{short_day(report.week_start)} to {short_day(report.week_end)} ({report.timezone}). {asked}.\n"
                   "Only you can see this report.")
    embed = discord.Embed(
        title=render.clip(f"📊 Class report: {report.course_title}", render.EMBED_TITLE_LIMIT),
        description=description,
        colour=discord.Colour.blurple(),
    )
    per_unit = [f"{render.escape_user_text(render.clip(u.title, 60))}: **{u.count}**" for u in report.asked]
    embed.add_field(name=f"Questions per unit ({week})", value=_lines(per_unit, "none"), inline=False)

    unanswered = []
    for topic in report.unanswered:
        also = f" (+{len(topic.wordings)} similar)" if topic.wordings else ""
        unanswered.append(f"`{topic.count}×` {_question(topic.question)}{also}")
    embed.add_field(name="Top unanswered questions (every server using this course)",
                    value=_lines(unanswered, "none"), inline=False)

    unhelpful = [f"`{a.unhelpful}×` 👎 ({a.helpful} 👍) {_question(a.question)}" for a in report.unhelpful]
    embed.add_field(name=f"Answers voted not helpful ({week})", value=_lines(unhelpful, "none"), inline=False)

    t = report.trivia
    trivia = (f"{t.rounds} round(s), {t.answers} answer(s) from {t.players} student(s), {percent(t.share_right)} right"
              if t.rounds else "no rounds")
    embed.add_field(name=f"Trivia ({week})", value=trivia, inline=False)

    hardest = [f"`{percent(i.share_right)}` right ({i.correct}/{i.answered}) {_question(i.question)}" for i in report.hardest]
    embed.add_field(name=f"Hardest trivia items (last {len(report.weeks)} weeks)",
                    value=_lines(hardest, "none answered yet"), inline=False)
    if chart:
        embed.set_image(url=f"attachment://{CHART_NAME}")
    embed.set_footer(text=render.clip(f"{report.course_title} ({report.course_id}) · chart: participation and "
                                      f"trivia answers right per unit, last {len(report.weeks)} weeks",
                                      render.EMBED_FOOTER_LIMIT))
    return embed


__all__ = ["CHART_NAME", "report_embed"]
