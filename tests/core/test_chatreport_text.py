"""The report text both chat adapters share (bot.core.chatreport): percentages, days, lists cut to a budget."""

from __future__ import annotations

from datetime import date

from bot.core.chatreport import fit_lines, percent, short_day


def test_percent_and_short_day():
    assert (percent(2 / 3), percent(None), percent(1.0)) == ("67%", "-", "100%")
    assert short_day(date(2026, 1, 5)) == "Mon 05 Jan"


def test_lines_that_fit_are_all_kept():
    assert fit_lines(["a" * 4, "b" * 4], budget=30) == ["aaaa", "bbbb"]
    assert fit_lines([], budget=10) == []


def test_lines_beyond_the_budget_are_counted_and_the_result_stays_within_it():
    lines = [f"line {i:02d}" for i in range(10)]  # 7 characters + a line break each
    out = fit_lines(lines, budget=40)
    assert out[-1] == f"…and {10 - (len(out) - 1)} more" and out[:-1] == lines[: len(out) - 1]
    assert len("\n".join(out)) <= 40
