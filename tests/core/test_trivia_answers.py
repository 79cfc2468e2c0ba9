"""Answer checking by answer type, normalising, choices parsing."""

from __future__ import annotations

import pytest

from bot.core.models import AnswerType, TriviaItem
from bot.core.trivia.answers import check_answer, fuzzy_match, normalize, parse_dates, parse_numbers
from bot.core.trivia.selection import parse_choice


def item(answer: str, kind: AnswerType = AnswerType.TEXT, accept=(), tolerance: float = 0.0) -> TriviaItem:
    return TriviaItem(id="x", fact_id="x", question="?", answer=answer, accept=tuple(accept), type=kind,
                      tolerance=tolerance)


def test_air_does_not_match_chair():
    assert not check_answer(item("chair"), "air")
    assert not check_answer(item("air"), "chair")
    assert not fuzzy_match("air", "chair")
    assert not check_answer(item("chair"), "hair")
    assert not check_answer(item("chair"), "chairs")


def test_short_answers_need_exact_match_or_one_typo():
    assert not check_answer(item("cat"), "car")  # 3 letters: exact only
    assert check_answer(item("USSR"), "ussr")
    assert check_answer(item("Cuba"), "Cuab")  # 4 letters: one typo (transposition)
    assert not check_answer(item("Cuba"), "Cb")
    assert not check_answer(item("Turkey"), "Tky")


def test_case_accents_punctuation_and_articles_are_ignored():
    assert check_answer(item("The Soviet Union"), "soviet union!")
    assert check_answer(item("a naval quarantine"), "The naval quarantine.")
    assert check_answer(item("Nikita Khrushchev", AnswerType.NAME), "NIKITA KHRUSHCHËV")
    assert check_answer(item("Fidel Castro", AnswerType.NAME), "  fidel   castro ")
    assert normalize("It was the Jupiter missiles!") == "jupiter missiles"


def test_typos_in_long_names_are_accepted():
    assert check_answer(item("Anatoly Dobrynin", AnswerType.NAME), "Anatoly Dobrinin")
    assert check_answer(item("Nikita Khrushchev", AnswerType.NAME), "Nikita Kruschev")
    assert check_answer(item("Nikita Khrushchev", AnswerType.NAME), "Khrushchev Nikita")


def test_typos_do_not_pile_up():
    full = item("Anatoly Fyodorovich Dobrynin", AnswerType.NAME)
    assert check_answer(full, "Anatoli Fyodorovitch Dobrinin")  # 3 typos in 28 letters
    assert not check_answer(full, "Anatoli Fiodorovitch Dobrinin")  # 4: each word passes, the whole does not
    assert not check_answer(item("Fidel Castro", AnswerType.NAME), "Fedal Costra")


def test_wrong_names_are_wrong():
    assert not check_answer(item("Anatoly Dobrynin", AnswerType.NAME), "Andrei Gromyko")
    assert not check_answer(item("John Kennedy", AnswerType.NAME), "Robert Kennedy")


def test_last_name_only_counts_only_when_listed_in_accept():
    assert not check_answer(item("Anatoly Dobrynin", AnswerType.NAME), "Dobrynin")
    assert check_answer(item("Anatoly Dobrynin", AnswerType.NAME, accept=["Dobrynin"]), "Dobrynin")
    assert check_answer(item("Anatoly Dobrynin", AnswerType.NAME, accept=["Dobrynin"]), "dobrinin")


def test_middle_initials_do_not_matter_for_names():
    assert check_answer(item("John F. Kennedy", AnswerType.NAME), "John Kennedy")


def test_accepted_alternatives_are_honoured():
    it = item("quarantine", accept=["naval quarantine", "blockade"])
    assert check_answer(it, "Blockade")
    assert check_answer(it, "naval quarantine")
    assert not check_answer(it, "embargo")


def test_years_are_exact():
    it = item("1962", AnswerType.YEAR)
    assert check_answer(it, "1962")
    assert check_answer(it, "in 1962")
    assert not check_answer(it, "1963")
    assert not check_answer(it, "1962 or 1963")
    assert not check_answer(it, "62")


def test_year_tolerance_is_honoured():
    it = item("1962", AnswerType.YEAR, tolerance=1)
    assert check_answer(it, "1961") and check_answer(it, "1963")
    assert not check_answer(it, "1964")


@pytest.mark.parametrize("given", ["13", "13 days", "thirteen", "Thirteen days"])
def test_numbers_exact(given):
    assert check_answer(item("13", AnswerType.NUMBER), given)


@pytest.mark.parametrize("given", ["14", "12", "13 or 14", "", "many"])
def test_wrong_or_hedged_numbers(given):
    assert not check_answer(item("13", AnswerType.NUMBER), given)


def test_number_tolerance_and_thousands_separators():
    it = item("42,000", AnswerType.NUMBER, tolerance=2000)
    assert check_answer(it, "40000")
    assert check_answer(it, "43 000")
    assert check_answer(it, "42k")
    assert not check_answer(it, "45,000")
    assert parse_numbers("1.5 million") == [1_500_000.0]


@pytest.mark.parametrize(
    "given", ["27 October", "October 27", "27/10", "10/27", "Oct. 27th, 1962", "27th of october", "1962-10-27", "27.10.62"]
)
def test_dates_parsed_leniently(given):
    assert check_answer(item("27 October 1962", AnswerType.DATE), given)


@pytest.mark.parametrize("given", ["28 October", "27 November", "27 October 1963", "October", "27", "10/28"])
def test_wrong_dates(given):
    assert not check_answer(item("27 October 1962", AnswerType.DATE), given)


def test_ambiguous_numeric_dates_read_both_ways():
    assert parse_dates("5/6") == {(6, 5, None), (5, 6, None)}
    assert parse_dates("31/02") == set()


def test_empty_answer_is_wrong():
    assert not check_answer(item("quarantine"), "   ")


def test_numbers_inside_names_must_match_exactly():
    assert not check_answer(item("Apollo 11"), "Apollo 12")
    assert check_answer(item("Apollo 11"), "apollo 11")


def test_parse_choice_by_number_letter_or_text():
    choices = ("Andrei Gromyko", "Anatoly Dobrynin", "Fidel Castro")
    assert parse_choice("2", choices) == 1
    assert parse_choice("c)", choices) == 2
    assert parse_choice("fidel castro", choices) == 2
    assert parse_choice("4", choices) is None
    assert parse_choice("Khrushchev", choices) is None


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=4).map(" ".join), st.sampled_from([AnswerType.TEXT, AnswerType.NAME]))
def test_an_answer_always_matches_itself_in_any_case(answer, kind):
    assert check_answer(item(answer, kind), answer.upper())
    assert normalize(normalize(answer)) == normalize(answer)


@settings(max_examples=200, deadline=None)
@given(words.filter(lambda w: len(w) <= 3), words)
def test_short_answers_never_match_a_longer_word_that_contains_them(short, extra):
    longer = extra + short
    if normalize(longer) != normalize(short):
        assert not check_answer(item(longer), short)
