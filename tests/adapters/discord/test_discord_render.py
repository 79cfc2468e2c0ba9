"""Rendering answers for Discord: within Discord's limits, quotes never cut mid-word, student text inert."""

from __future__ import annotations

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.discord import render
from bot.adapters.discord.views import answer_view
from bot.core.models import Answer, Citation, Topic
from tests.discord_markdown import live_nodes, parse

LOREM = "The European allies of the USA were shocked at how little they were consulted during the emergency. "


def make_answer(
    text: str = "Jupiter.", quote: str = "Jupiter is the largest planet.", confidence: float = 0.9, **kwargs
) -> Answer:
    citation = Citation("solar", "Our Solar System", "The planets, ¶1 (line 9)", quote)
    return Answer("which is the biggest planet?", True, text, confidence, (citation,), "largest-planet", **kwargs)


def test_short_text_is_not_clipped():
    assert render.clip("Jupiter is big.", 20) == "Jupiter is big."


def test_long_text_is_cut_at_a_word_boundary_with_an_ellipsis():
    out = render.clip(LOREM * 3, 50)
    assert len(out) <= 50 and out.endswith("…")
    assert (LOREM * 3).startswith(out[:-1])
    assert (LOREM * 3)[len(out) - 1] == " "  # the cut falls between words


def test_a_single_huge_word_is_cut_hard():
    assert render.clip("x" * 100, 10) == "x" * 9 + "…"


@given(st.text(alphabet="ab \n", max_size=300), st.integers(min_value=2, max_value=200))
def test_clip_never_exceeds_the_limit_and_keeps_a_prefix(text, limit):
    out = render.clip(text, limit)
    assert len(out) <= limit
    if out != text:
        assert out.endswith("…") and text.startswith(out[:-1])


def test_block_quote_quotes_every_line_within_the_limit():
    out = render.block_quote((LOREM * 30) + "\n" + LOREM, 1024)
    assert len(out) <= 1024
    assert all(line.startswith("> ") for line in out.splitlines())
    assert out.endswith("…") and not out[:-1].endswith(" ")


def test_student_text_cannot_mention_or_format():
    typed = "@everyone @here <@123456789012345678> <@&123456789012345678> **bold** __u__ ~~s~~"
    shown = parse(render.escape_user_text(typed))
    assert live_nodes(shown) == [] and shown[0].plain() == typed


def test_student_text_cannot_start_a_heading_quote_or_list_or_span_lines():
    assert render.escape_user_text("# Big").startswith("\\#")
    assert render.escape_user_text("> quoted").startswith("\\>")
    assert render.escape_user_text("- item").startswith("\\-")
    assert "\n" not in render.escape_user_text("one\n# two\n> three")
    assert "\\[" in render.escape_user_text("[click](https://evil.example)")


def test_question_survives_the_footer_round_trip_without_pinging():
    footer = render.question_footer("@everyone where is <@123456789012345678>?")
    assert "@everyone" not in footer
    assert render.question_from_footer(footer) == "@everyone where is <@123456789012345678>?"


def test_answer_shows_text_quote_and_source():
    embed = render.answer_embed(make_answer())
    assert embed.description == "Jupiter.\n\n> Jupiter is the largest planet."
    assert embed.fields[0].name == "Source"
    assert embed.fields[0].value == "**Our Solar System**\nThe planets, ¶1 (line 9)"
    assert len(embed.fields) == 1


def test_weak_answer_gets_a_confidence_hint():
    embed = render.answer_embed(make_answer(confidence=0.45))
    hint = embed.fields[-1]
    assert hint.name == "Not sure this is what you asked" and "45%" in hint.value


def test_passage_answer_is_quoted_once():
    embed = render.answer_embed(make_answer(text="Jupiter is the largest planet."))
    assert embed.description == "> Jupiter is the largest planet."


def test_huge_answer_stays_within_discord_limits():
    answer = make_answer(text=LOREM * 60, quote=LOREM * 80)
    embed = render.answer_embed(answer)
    assert len(embed.description) <= render.EMBED_DESCRIPTION_LIMIT
    assert all(len(f.value) <= render.EMBED_FIELD_LIMIT for f in embed.fields)
    assert len(embed) <= 6000
    quote = embed.description.split("\n\n", 1)[1]
    assert quote.startswith("> ") and quote.endswith("…")
    body = quote[2:-1]
    source = (LOREM * 80).strip()
    assert source.startswith(body) and source[len(body)] == " "  # cut between two words


def test_not_covered_lists_suggestions_that_buttons_can_find_again():
    long = "Why " + "very " * 60 + "long question?"
    answer = Answer(
        "capital of France?",
        False,
        None,
        0.0,
        suggestions=("Which is the largest planet?", long),
        notice="That is not in the course notes.",
    )
    suggestions = list(answer.suggestions)
    embed = render.not_covered_embed(answer, suggestions)
    assert embed.title == "Not covered in this course" and "not in the course notes" in embed.description
    assert render.suggestion_from_embed(embed, 1) == "Which is the largest planet?"
    assert render.suggestion_from_embed(embed, 2).endswith("…")
    assert render.suggestion_from_embed(embed, 3) is None
    view = answer_view(answer, suggestions)
    buttons = [item.item for item in view.children]
    assert [b.custom_id for b in buttons] == ["cb:ask:1", "cb:ask:2"]
    assert all(len(b.label) <= render.BUTTON_LABEL_LIMIT for b in buttons)


def test_feedback_custom_ids_fit_discord_even_for_long_fact_ids():
    answer = Answer("q", True, "a", 0.9, fact_id="f" * 150)
    ids = [item.item.custom_id for item in answer_view(answer, []).children]
    assert all(len(i) <= render.CUSTOM_ID_LIMIT for i in ids)
    assert ids[0].startswith("cb:fb:1:#") and ids[1].startswith("cb:fb:0:#")


def test_topics_are_capped_at_twenty_five_fields():
    topics = [Topic(f"t{i}", f"Topic {i}", 3, ("Q one?", "Q two?", "Q three?", "Q four?")) for i in range(30)]
    embed = render.topics_embed("Physics", topics)
    assert len(embed.fields) == 25 and embed.footer.text == "…and 5 more topics."
    assert embed.fields[0].name == "Topic 0 (3)" and embed.fields[0].value.count("•") == 3
    assert isinstance(embed, discord.Embed)


def test_a_clipped_suggestion_is_restored_to_the_courses_full_question():
    from bot.core.asking import full_question

    questions = ["How long does light from the Sun take to reach the Earth?", "Which is the largest planet?"]
    clipped = render.clip(questions[0], 30)
    assert clipped.endswith(render.ELLIPSIS) and clipped != questions[0]
    assert full_question(clipped, questions, render.ELLIPSIS) == questions[0]
    assert full_question("Which is the largest planet?", questions) == "Which is the largest planet?"
    assert full_question("What about moons of " + render.ELLIPSIS, questions) == "What about moons of"
    assert full_question(render.ELLIPSIS, questions) == ""  # never "any question at all"
