"""Answers formatted for a terminal: quote indented, location dimmed."""

from __future__ import annotations

import textwrap

from bot.core.models import Answer

DIM, BOLD, ITALIC, RESET = "\033[2m", "\033[1m", "\033[3m", "\033[0m"


def render_answer(answer: Answer, color: bool = False, width: int = 88) -> str:
    dim, bold, italic, reset = (DIM, BOLD, ITALIC, RESET) if color else ("", "", "", "")
    lines: list[str] = []
    if answer.answered:
        if answer.quotes_itself:
            lines.append("The course notes say:")
        else:
            lines += textwrap.wrap(answer.text or "", width) or [""]
            lines.append("")
        for c in answer.citations[:1]:
            lines += [f"  \u2502 {italic}{ln}{reset}" for ln in textwrap.wrap(c.quote, width - 4)]
            lines.append(f"  {dim}\u2014 {c.reference}{reset}")
        if answer.weak:
            lines.append(f"{dim}(I'm not fully sure this is what you asked.){reset}")
        if answer.suggestions:
            also = " \u00b7 ".join(answer.suggestions)
            lines.append(f"{dim}See also: {also}{reset}")
    else:
        lines += textwrap.wrap(answer.notice or "That is not in the course notes.", width)
        if answer.suggestions:
            lines.append(f"{bold}Did you mean:{reset}")
            lines += [f"  {i}. {s}" for i, s in enumerate(answer.suggestions, 1)]
    return "\n".join(lines)
