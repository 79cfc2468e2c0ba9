"""Loading courses: passages keep their place, facts cite verbatim, the bundled course round-trips."""

from __future__ import annotations

from bot.config import bundled_knowledge_path
from bot.core.knowledge import load_course, read_course
from bot.core.passages import split_passages
from bot.core.validation import validate
from tests.coursefiles import FACTS, TEXT, make_course, write


def test_plain_text_is_split_into_sections_paragraphs_and_sentences():
    passages = split_passages("moon", TEXT)
    assert [p.text for p in passages[:2]] == [
        "Apollo 11 landed on the Moon on 20 July 1969.",
        "Neil Armstrong was the first person to walk on the lunar surface.",
    ]
    first = passages[1]
    assert first.section == ("The Moon landing", "Apollo 11")
    assert (first.paragraph, first.sentence, first.line_start, first.line_end) == (1, 2, 3, 4)
    collins = next(p for p in passages if p.text.startswith("Michael Collins"))
    assert collins.paragraph == 2 and collins.line_start == 6


def test_location_reads_like_a_reference():
    passages = split_passages("moon", TEXT)
    assert passages[1].location == "The Moon landing › Apollo 11, ¶1 (lines 3-4)"


def test_hard_wrapped_paragraphs_and_bullets_are_found():
    text = (
        "Title line\n"
        "Section one\n"
        "This paragraph is wrapped at a fixed width so that the lines run on and\n"
        "on across the page until the sentence ends. A second sentence runs\n"
        "on here too.\n"
        "A new paragraph starts here after a short line and continues across the\n"
        "wrap width until it stops.\n"
        "• A bullet point with its own sentence.\n"
    )
    passages = split_passages("s", text)
    assert [(p.paragraph, p.sentence) for p in passages] == [(1, 1), (1, 2), (2, 1), (3, 1)]
    assert passages[-1].bullet and passages[-1].text == "A bullet point with its own sentence."


def test_markdown_headings_make_sections():
    text = "# Guide\n\n## Part A\n\nFirst sentence. Second one.\n\n## Part B\n\nThird here.\n"
    passages = split_passages("g", text, markdown=True)
    assert [p.section for p in passages] == [("Guide", "Part A"), ("Guide", "Part A"), ("Guide", "Part B")]


def test_initials_and_abbreviations_do_not_end_sentences():
    passages = split_passages("s", "John F. Kennedy met Mr. Smith in the U.S. capital. Then he left.\n")
    assert [p.text for p in passages] == ["John F. Kennedy met Mr. Smith in the U.S. capital.", "Then he left."]


def test_fact_quote_is_cited_with_the_whole_sentence_even_across_line_wraps(tmp_path):
    folder = make_course(tmp_path, FACTS)
    course = load_course(folder)
    walker = course.fact("first-walker")
    assert walker.citation.quote == "Neil Armstrong was the first person to walk on the lunar surface."
    assert walker.citation.location == "The Moon landing › Apollo 11, ¶1 (lines 3-4)"
    assert course.fact("collins-orbit").citation.quote == "Michael Collins stayed in orbit in the command module Columbia."
    assert course.fact("first-walker").trivia.accept == ("Armstrong",)


def test_folder_with_only_a_text_file_is_a_valid_course(tmp_path):
    write(tmp_path / "notes", "notes.txt", TEXT)
    course = load_course(tmp_path / "notes")
    assert course.facts == () and len(course.passages) == 5
    assert course.sources[0].title == "The Moon landing"


def test_bundled_course_round_trips_with_full_coverage():
    report = validate(bundled_knowledge_path())
    assert report.problems == []
    course = report.course
    assert course.id == "cuban-missile-crisis"
    assert len(course.passages) == 24
    assert report.coverage.share == 1.0
    assert all(len(f.questions) >= 5 for f in course.facts)
    assert len(course.trivia_items) >= 0.75 * len(course.facts)
    source = course.sources[0].text
    folded = " ".join(source.split())
    for fact in course.facts:
        assert fact.citation.quote in folded  # verbatim


def test_read_course_reports_but_keeps_going(tmp_path):
    folder = make_course(tmp_path, FACTS.replace("Michael Collins stayed in orbit", "Collins flew to Mars"))
    draft = read_course(folder)
    assert len(draft.problems) == 1 and len(draft.course.facts) == 2


def test_blank_lines_alone_separate_paragraphs_when_the_text_uses_them():
    text = (
        "# Moon\n\n"
        "Apollo 11 landed in 1969. Armstrong stepped out first.\n"
        "Aldrin followed twenty minutes later. Collins stayed\n"
        "in orbit.\n\n"
        "The second paragraph is here.\n"
    )
    passages = split_passages("m", text, markdown=True)
    assert [(p.paragraph, p.sentence) for p in passages] == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1)]
    assert passages[3].text == "Collins stayed in orbit." and (passages[3].line_start, passages[3].line_end) == (4, 5)
