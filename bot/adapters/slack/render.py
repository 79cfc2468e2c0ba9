"""Core types -> Slack Block Kit. Pure functions: no Slack library needed.

Everything that may hold user or course text goes through :func:`escape` (Slack's three mrkdwn
entities, which also neutralises ``<!channel>`` and ``<@U123>``) and the plain-text broadcast words
(``@channel``, ``@here``, ``@everyone``) get a zero-width space so no client links them.
Texts are cut at word boundaries to stay within Slack's block limits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from bot.core.models import Answer, Citation, Topic

SECTION_LIMIT = 3000  # characters of a section's text
CONTEXT_LIMIT = 2000  # characters of one context element (we keep them short anyway)
BUTTON_TEXT_LIMIT = 75
ACTION_VALUE_LIMIT = 2000
MAX_BLOCKS = 50
MAX_ACTION_ELEMENTS = 25
FALLBACK_LIMIT = 3000  # the notification text; Slack allows more, nobody reads more

ASK_SUGGESTION = "ask_suggestion"  # action_id prefix: ask_suggestion_0, ask_suggestion_1, ...
FEEDBACK_HELPFUL = "feedback_helpful"
FEEDBACK_UNHELPFUL = "feedback_unhelpful"
TRIVIA_CHOICE = "trivia_choice"  # action_id prefix: trivia_choice_0, ...

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


def escape(text: str) -> str:
    """Escape for Slack mrkdwn and plain text: &, <, > (Slack's rules) and bare @channel/@here/@everyone."""
    return _defuse(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _defuse(text: str) -> str:
    """A bare @channel, @here or @everyone made inert with a zero-width space."""
    return _BROADCAST.sub(lambda m: "@\u200b" + m.group(1), text)


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters, cut at a word boundary, never inside an &entity;."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 0)
    cut = text[:room]
    space = cut.rfind(" ")
    cut = cut[:space] if space > room // 2 else _PARTIAL_ENTITY.sub("", cut)
    return cut.rstrip() + ellipsis


_LINK = re.compile(r"<([^<>]*)>")


def from_slack(text: str) -> str:
    """Slack's message format -> plain text: <!here> -> @here, <@U1|ann> -> @ann, <url|label> -> label."""

    def one(m: re.Match) -> str:
        inner = m.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("!"):
            name = target[1:].split("^")[0]
            return "@" + (label or name)
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        return label or target

    text = _LINK.sub(one, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def safe(text: str, limit: int) -> str:
    """Escaped and clipped: the form every user- or course-provided text takes in a message."""
    return clip(escape(text), limit)


def plain(text: str, limit: int, *, emoji: bool = True) -> dict:
    """plain_text is never parsed for mentions, links or formatting: only broadcast words are defused.

    ``emoji=False`` for a student's words: ``:shortcodes:`` stay as typed.
    """
    text = _defuse(" ".join(text.split()))
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": emoji}


def echo(question: str) -> dict:
    """The student's question shown back above the answer: plain text, so nothing they type renders
    (no *bold*, _italics_, ~strike~, `code`, links or emoji shortcodes)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": ":question:"}, plain(question, 500, emoji=False)]}


def section(text: str) -> dict:
    """A mrkdwn section; `text` must already be escaped."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT) or " "}}


def context(*texts: str) -> dict:
    """A context line; texts must already be escaped."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(t, CONTEXT_LIMIT)} for t in texts[:10]]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    out = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_LIMIT),
        "action_id": action_id,
        "value": value[:ACTION_VALUE_LIMIT],
    }
    if style:
        out["style"] = style
    return out


def actions(elements: Sequence[dict], block_id: str | None = None) -> dict:
    out: dict = {"type": "actions", "elements": list(elements[:MAX_ACTION_ELEMENTS])}
    if block_id:
        out["block_id"] = block_id
    return out


def fit(blocks: Iterable[dict]) -> list[dict]:
    """At most 50 blocks: keep the first 49 and a note when there are more."""
    blocks = list(blocks)
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return blocks[: MAX_BLOCKS - 1] + [context("_(more left out to fit in one message)_")]


def quote(text: str) -> str:
    """A mrkdwn block quote of (unescaped) text, within one section."""
    body = clip(escape(" ".join(text.split())), SECTION_LIMIT - 2)
    return "> " + body


def citation_line(c: Citation) -> str:
    title = safe(c.source_title, 200)
    if c.url and c.url.startswith(("http://", "https://")) and not any(ch in c.url for ch in "<>| "):
        title = f"<{c.url}|{title}>"
    return f":book: {title} — {safe(c.location, 500)}"


def feedback_value(answer: Answer) -> str:
    """What the Helpful / Not helpful buttons carry back: the question and the fact."""
    question = answer.question
    payload = {"f": answer.fact_id, "q": question}
    value = json.dumps(payload, ensure_ascii=False)
    while len(value) > ACTION_VALUE_LIMIT:  # long questions: cut, keeping valid JSON
        question = clip(question, max(len(question) - (len(value) - ACTION_VALUE_LIMIT) - 8, 0), "")
        payload["q"] = question
        value = json.dumps(payload, ensure_ascii=False)
    return value


def parse_feedback_value(value: str) -> tuple[str, str | None]:
    """(question, fact_id) from a feedback button's value."""
    try:
        data = json.loads(value)
        return str(data.get("q") or ""), (str(data["f"]) if data.get("f") else None)
    except (ValueError, AttributeError):
        return "", None


def answer_blocks(answer: Answer, *, show_question: bool = True) -> list[dict]:
    """An answer (or 'not covered' with suggestions) as Block Kit."""
    blocks: list[dict] = []
    if show_question and answer.question.strip():
        blocks.append(echo(answer.question))
    if not answer.answered:
        notice = answer.notice or "That doesn't seem to be covered in the course notes."
        blocks.append(section(safe(notice, SECTION_LIMIT)))
        if answer.suggestions:
            blocks.append(section("Maybe one of these? Click to ask it:"))
            blocks.append(
                actions(
                    [
                        button(q, f"{ASK_SUGGESTION}_{i}", q)
                        for i, q in enumerate(answer.suggestions[:5])
                        if q.strip()
                    ],
                    block_id="suggestions",
                )
            )
        return fit(blocks)

    blocks.append(section(safe(answer.text or "", SECTION_LIMIT)))
    for c in answer.citations[:10]:
        blocks.append(section(quote(c.quote)))
        blocks.append(context(citation_line(c)))
    if answer.weak:
        blocks.append(
            context(
                f":warning: I'm not sure this is what you asked (match {answer.confidence:.0%}). "
                "Check the passage, or ask your teacher."
            )
        )
    value = feedback_value(answer)
    blocks.append(
        actions(
            [
                button("Helpful", FEEDBACK_HELPFUL, value, style="primary"),
                button("Not helpful", FEEDBACK_UNHELPFUL, value),
            ],
            block_id="feedback",
        )
    )
    return fit(blocks)


def answer_text(answer: Answer) -> str:
    """The notification / fallback text of an answer message."""
    if not answer.answered:
        return safe(answer.notice or "That doesn't seem to be covered in the course notes.", FALLBACK_LIMIT)
    text = answer.text or ""
    if answer.citations:
        text += f' — "{answer.citations[0].quote}"'
    return safe(text, FALLBACK_LIMIT)


def topics_blocks(topics: Sequence[Topic], course_title: str = "") -> list[dict]:
    blocks: list[dict] = []
    head = f"*Topics in {safe(course_title, 200)}*" if course_title else "*Topics*"
    blocks.append(section(head + "\nAsk with `/ask`, by mentioning me, or in a direct message."))
    for t in topics[: MAX_BLOCKS - 2]:
        lines = [f"*{safe(t.title, 200)}* ({t.fact_count})"]
        lines += [f"• {safe(q, 300)}" for q in t.examples[:3]]
        blocks.append(section("\n".join(lines)))
    if not topics:
        blocks.append(section("No topics yet."))
    return fit(blocks)


# ---------------------------------------------------------------- trivia

TRIVIA_OPEN_ANSWER = "trivia_open_answer"  # free-text rounds: opens a modal
TRIVIA_MODAL = "trivia_answer"  # the modal's callback_id


def choice_value(round_id: int, index: int) -> str:
    return json.dumps({"r": round_id, "c": index})


def parse_choice_value(value: str) -> tuple[int, int] | None:
    try:
        data = json.loads(value)
        return int(data["r"]), int(data["c"])
    except (ValueError, KeyError, TypeError):
        return None


def _closes(closes_at: float) -> str:
    stamp = int(closes_at)
    return f"<!date^{stamp}^Closes {{date_short_pretty}} at {{time}}|Closes at {stamp}>"


def trivia_question_blocks(q, *, closed: bool = False) -> list[dict]:
    """A round's question (a bot.core.trivia.RoundQuestion): choice buttons, or an Answer button."""
    blocks = [section(f":brain: *Daily trivia*\n{safe(q.question, SECTION_LIMIT - 40)}")]
    if closed:
        blocks.append(context("Closed: the answer is in the thread."))
        return blocks
    if q.choices:
        lines = [f"*{i + 1}.* {safe(c, 300)}" for i, c in enumerate(q.choices)]
        blocks.append(section("\n".join(lines)))
        blocks.append(
            actions(
                [button(f"{i + 1}. {c}", f"{TRIVIA_CHOICE}_{i}", choice_value(q.round_id, i)) for i, c in enumerate(q.choices)],
                block_id=f"trivia-{q.round_id}",
            )
        )
        how = "Click your answer: only you see your choice, and only your first click counts."
    else:
        blocks.append(actions([button("Answer", TRIVIA_OPEN_ANSWER, str(q.round_id), style="primary")]))
        how = "Click Answer and type it: only you see it, and only your first answer counts."
    blocks.append(context(f"{how} {_closes(q.closes_at)}"))
    return blocks


def trivia_question_text(q) -> str:
    return safe(f"Daily trivia: {q.question}", FALLBACK_LIMIT)


def reveal_blocks(reveal) -> list[dict]:
    """A bot.core.trivia.Reveal: the answer, how the class did, and the cited passage."""
    blocks = [
        section(f":white_check_mark: *The answer:* {safe(reveal.answer, 1000)}\n_{safe(reveal.question, 1500)}_"),
        context(safe(reveal.summary(), 500)),
    ]
    if reveal.citation is not None:
        blocks.append(section(quote(reveal.citation.quote)))
        blocks.append(context(citation_line(reveal.citation)))
    return fit(blocks)


def reveal_text(reveal) -> str:
    return safe(f"Trivia answer: {reveal.answer}. {reveal.summary()}", FALLBACK_LIMIT)


def answer_modal(round_id: int, channel_id: str, question: str) -> dict:
    return {
        "type": "modal",
        "callback_id": TRIVIA_MODAL,
        "private_metadata": json.dumps({"r": round_id, "ch": channel_id}),
        "title": {"type": "plain_text", "text": "Daily trivia"},
        "submit": {"type": "plain_text", "text": "Answer"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(safe(question, SECTION_LIMIT)),
            {
                "type": "input",
                "block_id": "answer",
                "label": {"type": "plain_text", "text": "Your answer"},
                "element": {"type": "plain_text_input", "action_id": "answer", "max_length": 200},
            },
        ],
    }
