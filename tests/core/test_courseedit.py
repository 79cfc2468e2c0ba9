"""In-place edits of fact files: only the added text changes, whatever the file's style."""

from __future__ import annotations

import pytest
import yaml

from bot.core.courseedit import CourseEditError, NewFact, add_question, append_fact


def questions(text: str, fact_id: str) -> list[str]:
    data = yaml.safe_load(text)
    facts = data["facts"] if isinstance(data, dict) else data
    q = next(f for f in facts if f["id"] == fact_id)["questions"]
    return q if isinstance(q, list) else [q]


def test_a_flow_list_gets_the_question_before_its_bracket():
    text = "facts:\n  - id: a\n    questions: [one, 'two']  # note\n    answer: x\n"
    out = add_question(text, "a", "three")
    assert out == "facts:\n  - id: a\n    questions: [one, 'two', 'three']  # note\n    answer: x\n"


def test_a_single_question_becomes_a_list_of_two_and_a_plain_comma_stays_one_question():
    out = add_question("- id: a\n  questions: where, and when\n  answer: x\n", "a", "why?")
    assert questions(out, "a") == ["where, and when", "why?"]


def test_windows_line_endings_a_bom_and_a_colon_in_the_question_are_kept_right():
    text = "\ufefffacts:\r\n  - id: a\r\n    questions:\r\n      - one\r\n    answer: x\r\n"
    out = add_question(text, "a", "what: the #1 reason")
    assert out == text.replace("      - one\r\n", "      - one\r\n      - \"what: the #1 reason\"\r\n")
    assert questions(out.lstrip("\ufeff"), "a") == ["one", "what: the #1 reason"]


def test_a_question_the_fact_already_has_or_an_unknown_fact_is_refused():
    text = "facts:\n  - id: a\n    questions:\n      - One thing\n    answer: x\n"
    with pytest.raises(CourseEditError, match="already has"):
        add_question(text, "a", "one  THING")
    with pytest.raises(CourseEditError, match="'b' is not in"):
        add_question(text, "b", "two")


def test_drafts_are_appended_to_a_facts_list_and_read_back_exactly():
    fact = NewFact("x", ("Who said \"no\"?",), "Khrushchev: no.", "He said no.", "src", draft=True)
    first = append_fact(None, fact)
    second = append_fact(first, NewFact("y", ("why",), "because", "Because.", "src"))
    assert second.startswith(first)
    facts = yaml.safe_load(second)["facts"]
    assert facts[0] == {"id": "x", "draft": True, "questions": ['Who said "no"?'], "answer": "Khrushchev: no.",
                        "source": "src", "quote": "He said no."}
    assert facts[1]["id"] == "y" and "draft" not in facts[1]
    with pytest.raises(CourseEditError, match="should be a 'facts:' list"):
        append_fact("- id: a\n", fact)
