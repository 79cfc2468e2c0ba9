"""The answer engine: cited answers, honest abstention, and any input handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import bundled_knowledge_path
from bot.core.answering import Engine, load_engine
from bot.core.knowledge import load_course
from bot.core.names import first_names
from tests.coursefiles import FACTS, TEXT, make_course, write


def _one_text_course(path: Path, text: str) -> Engine:
    """The engine of a course folder holding one text file, ``path``."""
    path.parent.mkdir()
    path.write_text(text)
    return Engine(load_course(path.parent))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_course(bundled_knowledge_path()))


@pytest.fixture(scope="module")
def text_only(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("textonly")
    (folder / "crisis.txt").write_text((bundled_knowledge_path() / "sources" / "cuban_missile_crisis.txt").read_text())
    return Engine(load_course(folder))


def quote(answer) -> str:
    assert answer.answered, answer
    return answer.citations[0].quote


def test_answer_carries_the_verbatim_sentence_and_where_it_is(engine):
    answer = engine.ask("Why did France leave NATO?")
    assert "pulled France out of NATO" in quote(answer)
    citation = answer.citations[0]
    assert citation.source_title == "Cuban missile crisis averted"
    assert citation.location == "Cuban missile crisis averted › After the crisis, ¶2 (lines 27-28)"
    assert answer.fact_id and answer.text and answer.confidence >= 0.7
    source = " ".join(engine.course.sources[0].text.split())
    assert citation.quote in source


def test_typo_in_question_still_finds_fact(engine):
    assert "ultimatum" in quote(engine.ask("what was the ultamatum kenedy gave dobrinin"))


def test_paraphrase_with_words_the_text_does_not_use(engine):
    assert "victory for Kennedy" in quote(engine.ask("who came out on top in the end, kennedy or khrushchev?"))


def test_aliases_mean_the_same_thing(engine):
    a = engine.ask("what did RFK tell the soviet ambassador")
    b = engine.ask("what did Robert Kennedy tell Dobrynin")
    assert quote(a) == quote(b)


@pytest.mark.parametrize("word,expected", [("NATO", "NATO"), ("hotline", "hotline"), ("hot line", "hotline"), ("Dobrynin", "Dobrynin")])
def test_bare_keywords_are_answered(engine, word, expected):
    assert expected in quote(engine.ask(word))


@pytest.mark.parametrize("question", [
    "Who was Fidel Castro?",
    "How many missiles were in Cuba?",
    "What happened at the Bay of Pigs?",
    "who invented the telephone",
    "what is photosynthesis",
])
def test_out_of_scope_questions_are_recognised(engine, question):
    answer = engine.ask(question)
    assert not answer.answered and answer.citations == ()
    assert "not in the course notes" in answer.notice


def test_not_covered_offers_nearest_topics(engine):
    answer = engine.ask("How many missiles were in Cuba?")
    assert answer.suggestions and all(isinstance(s, str) and s for s in answer.suggestions)
    follow = engine.ask(answer.suggestions[0])
    assert follow.answered  # a suggestion is a question the course does answer


def test_text_only_course_answers_from_passages(text_only):
    answer = text_only.ask("why was a hotline installed")
    assert answer.fact_id is None and "hotline" in quote(answer)
    assert answer.text == answer.citations[0].quote  # nothing but the source's own words
    assert answer.citations[0].location.endswith("(line 34)")


def test_text_only_course_still_abstains(text_only):
    assert not text_only.ask("Who was the UN secretary general?").answered


@pytest.mark.parametrize("question", ["", "   \n\t ", "🙂🚀🔥", "x" * 50_000, "Кто такой Хрущёв? 赫鲁晓夫 là ai?", "@everyone"])
def test_odd_input_gets_a_clear_reply(engine, question):
    answer = engine.ask(question)
    assert not answer.answered and answer.notice


def test_greeting_is_answered_kindly(engine):
    answer = engine.ask("good morning!")
    assert not answer.answered and answer.notice.startswith("Hello!")


def test_huge_question_is_cut_but_still_matched(engine):
    answer = engine.ask("which country left nato " + "please " * 10_000)
    assert "NATO" in quote(answer) and len(answer.question) <= 2000


def test_folder_of_courses_answers_from_the_right_one(tmp_path):
    make_course(tmp_path, FACTS)
    write(tmp_path / "crisis", "notes.txt", (bundled_knowledge_path() / "sources" / "cuban_missile_crisis.txt").read_text())
    engine = load_engine(tmp_path)
    assert "Armstrong" in quote(engine.ask("who was the first man on the moon"))
    assert "NATO" in quote(engine.ask("which country pulled out of nato"))


def test_single_text_file_is_a_course(tmp_path):
    path = write(tmp_path, "moon.txt", TEXT)
    assert "Collins" in quote(load_engine(path).ask("who stayed in orbit in the command module"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_string_gets_an_answer_object(engine, text):
    answer = engine.ask(text)
    data = answer.to_json()
    assert set(data) == {"question", "answered", "answer", "confidence", "fact_id", "citations", "suggestions"}
    assert 0.0 <= data["confidence"] <= 1.0
    assert data["answered"] == bool(data["citations"])


def test_how_long_question_is_answered_by_a_spelled_out_duration(tmp_path):
    engine = Engine(load_course(make_course(tmp_path)))
    assert "twenty minutes later" in quote(engine.ask("how long after Armstrong did Buzz Aldrin follow"))


def test_when_question_is_not_answered_by_a_sentence_without_a_time(engine):
    assert not engine.ask("When did the Cold War end?").answered


def test_close_runner_up_is_offered_beside_the_answer(engine):
    answer = engine.ask("how did the allies in europe feel")
    assert "European allies" in quote(answer)
    assert answer.suggestions == ("Did the Americans think their allies' opinions were important?",)
    assert engine.ask(answer.suggestions[0]).fact_id != answer.fact_id


PLANTS = """Photosynthesis
Green plants make their own food. The leaves hold chloroplasts full of chlorophyll.
Using the energy of sunlight, the plant turns carbon dioxide and water into glucose.
Some glucose is used straight away in respiration to release energy.
Plants also use glucose to make cellulose, which strengthens their cell walls.
"""


@pytest.fixture(scope="module")
def plants(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("plants")
    (folder / "plants.txt").write_text(PLANTS)
    return Engine(load_course(folder))


def test_everyday_word_the_text_lacks_does_not_sink_the_answer(plants):
    assert "cellulose" in quote(plants.ask("why do plants need cellulose"))


def test_the_word_as_written_breaks_a_tie(plants):
    assert quote(plants.ask("what is glucose used for")).startswith("Some glucose is used")


def test_irregular_plural_finds_its_singular(plants):
    assert "chloroplasts" in quote(plants.ask("what does a leaf hold"))


def test_unknown_topic_on_another_text_is_still_declined(plants):
    assert not plants.ask("how does mitosis work").answered


@pytest.mark.parametrize("question", ["what is your name", "bad", "what happened", "what year did it happen", "what is a missile", "crisis"])
def test_vague_question_is_not_answered_with_confidence(engine, question):
    answer = engine.ask(question)
    assert not answer.answered and answer.notice.startswith("I'm not sure which part")
    assert answer.suggestions  # but the student is shown where to go


def test_one_distinctive_word_is_enough(engine):
    assert engine.ask("khrushchev").answered and engine.ask("1964").answered


def test_folder_of_courses_reports_one_reason_for_not_answering(tmp_path):
    make_course(tmp_path, FACTS)
    write(tmp_path / "crisis", "notes.txt", (bundled_knowledge_path() / "sources" / "cuban_missile_crisis.txt").read_text())
    engine = load_engine(tmp_path)
    gap = engine.ask("who invented the telephone")
    assert not gap.answered and gap.reason == "not_covered" and gap.is_gap
    assert engine.ask("hello").reason == "greeting"


def test_a_question_with_nothing_to_go_on_is_vague_not_a_gap(plants):
    for text in ("tell me more", "what happened?"):
        answer = plants.ask(text)
        assert answer.reason == "vague" and not answer.is_gap


def test_everyday_words_the_course_uses_can_still_answer(engine):
    assert "fall from power" in quote(engine.ask("who lost power"))


def test_sentence_starting_with_it_is_found_through_what_it_refers_to(tmp_path):
    engine = _one_text_course(tmp_path / "volcanoes" / "v.txt",
        "Volcanoes\nA volcano erupts when pressure builds up under the crust. It takes place most often at plate "
        "boundaries. Lava cools to form new rock.\n"
    )
    assert quote(engine.ask("where do eruptions happen")).startswith("It takes place")  # "take place" = happen


# -- students' own language ---------------------------------------------------------------------
@pytest.mark.parametrize("shouted,plain", [
    ("WHO WON THE CRISIS", "who won the crisis"),
    ("WHAT WAS THE HOTLINE", "what was the hotline"),
    ("WHO IS DOBRYNIN", "who is dobrynin"),
    ("TELL US ABOUT THE HOTLINE", "tell us about the hotline"),
])
def test_a_question_in_capitals_is_answered_like_lowercase(engine, shouted, plain):
    assert engine.ask(plain).answered
    assert engine.ask(shouted).fact_id == engine.ask(plain).fact_id


def test_a_function_word_the_course_writes_in_capitals_is_a_name(tmp_path):
    engine = _one_text_course(tmp_path / "health" / "health.txt",
        "World health\nThe WHO was founded in 1948 to direct international health work. "
        "Vaccines who were tested in trials protect millions of children. Malaria is spread by mosquitoes.\n"
    )
    assert "founded in 1948" in quote(engine.ask("when was the WHO founded"))
    assert "founded in 1948" in quote(engine.ask("WHEN WAS THE WHO FOUNDED"))


@pytest.mark.parametrize("texted,plain", [
    ("wat was the ultimatum", "what was the ultimatum"),
    ("whos dobrynin", "who is dobrynin"),
    ("wut is the hotline", "what is the hotline"),
    ("tell me abt the hotline pls", "tell me about the hotline"),
    ("bruh what did jfks bro do", "what did jfk's brother do"),
    ("omg what did rfk say to the ambassador lol", "what did rfk say to the ambassador"),
    ("y did france leave nato", "why did france leave nato"),
    ("sooo who won 🙂🙂", "who won"),
    ("wen did khrushchev lose power tho", "when did khrushchev lose power"),
])
def test_texting_shorthand_is_answered_like_plain_english(engine, texted, plain):
    expected = engine.ask(plain)
    assert expected.answered
    assert engine.ask(texted).fact_id == expected.fact_id


def test_shorthand_the_course_itself_uses_is_not_rewritten(tmp_path):
    engine = _one_text_course(tmp_path / "lines" / "lines.txt",
        "Straight lines\nA straight line is written y = mx + c. The gradient m says how steep the line is. "
        "The value of y where the line crosses the axis is c.\n"
    )
    assert "crosses the axis" in quote(engine.ask("what is y where the line crosses"))


@pytest.mark.parametrize("message,kind", [
    ("quit", "quit"), ("exit", "quit"), ("/quit", "quit"), ("bye!", "quit"), ("help", "help"), ("/help", "help"),
    ("what can you do", "help"), ("thanks", "thanks"), ("thank you so much", "thanks"), ("ty sooo much", "thanks"),
    ("lol", "laugh"), ("hahaha", "laugh"), ("you are useless", "insult"), ("ur so dumb bot", "insult"),
    ("good morning", "greeting"), ("ok cool", "ack"),
])
def test_chatter_is_recognised_and_never_answered_with_a_fact(engine, message, kind):
    answer = engine.ask(message)
    assert not answer.answered and answer.citations == () and answer.fact_id is None
    assert answer.reason == kind and answer.notice and not answer.is_gap
    assert answer.to_json()["answered"] is False


def test_a_question_using_a_chatter_word_is_still_a_question(engine):
    assert engine.ask("help me understand why france left nato").fact_id == engine.ask("why did france leave nato").fact_id


# -- course vocabulary belongs to the course ----------------------------------------------------
MOON_COURSE = """
    id: moon
    title: The Moon landing
    aliases:
      - [Armstrong, Neil Armstrong]
    sources:
      - id: moon
        file: sources/moon.txt
        title: The Moon landing
    """


def test_a_course_synonym_reaches_the_sentence_the_core_would_miss(tmp_path):
    plain = Engine(load_course(make_course(tmp_path / "a", course=MOON_COURSE)))
    with_synonyms = Engine(load_course(make_course(tmp_path / "b", course=MOON_COURSE + """
    synonyms:
      - [orbit, circled around]
      - [command module, mothership]
    """)))
    question = "who circled around in the mothership"
    assert not plain.ask(question).answered
    assert "stayed in orbit" in quote(with_synonyms.ask(question))
    assert with_synonyms.ask(question).confidence < with_synonyms.ask("who stayed in orbit in the command module").confidence


def test_synonyms_are_checked_with_file_and_line(tmp_path):
    from bot.core.validation import validate

    folder = make_course(tmp_path, course=MOON_COURSE + """
    synonyms:
      - [orbit, circled]
      - lonely
      - [own, alone]
      - [circled, went round]
    """)
    problems = [(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in validate(folder).problems]
    assert [(f, line) for f, line, _ in problems] == [("course.yaml", 12), ("course.yaml", 13), ("course.yaml", 14)]
    assert "two or more" in problems[0][2] and "function word" in problems[1][2] and "two synonym groups" in problems[2][2]


def test_the_core_lexicon_holds_no_words_of_the_bundled_course():
    from bot.core.lexicon import PHRASES, SYNONYM_GROUPS
    from bot.core.text import QUESTION_WORDS, STOP_WORDS

    core = {w for g in SYNONYM_GROUPS for w in g} | set(PHRASES) | set(PHRASES.values())
    for moved in ("cowardly", "ambassador", "envoy", "ultimatum", "line", "ousted", "back down", "climb down", "own"):
        assert moved not in core
    assert not core & (STOP_WORDS | QUESTION_WORDS)  # a function word in a group could never fire
    seen: set[str] = set()
    for group in SYNONYM_GROUPS:
        assert seen.isdisjoint(group), group  # a word in two groups merges unrelated senses
        seen |= set(group)


def test_everyday_words_are_recognised_in_any_form():
    from bot.core.lexicon import is_common

    assert is_common("became") and is_common("tries") and is_common("happened") and not is_common("photosynthesis")


# -- negation and relations ---------------------------------------------------------------------
BLOOD = """Blood
Blood carries oxygen around the body. Red blood cells do not have a nucleus, which leaves more room for
haemoglobin. White blood cells have a nucleus and fight infection. Platelets help the blood to clot.

Cell division
Before mitosis the cell copies its chromosomes. After mitosis the cytoplasm divides in two, which is called
cytokinesis. Cells that divide too often can form a tumour.
"""


@pytest.fixture(scope="module")
def blood(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("blood")
    (folder / "blood.txt").write_text(BLOOD)
    return Engine(load_course(folder))


def test_a_which_question_is_not_answered_by_the_sentence_saying_the_opposite(blood):
    assert quote(blood.ask("which blood cells have a nucleus")).startswith("White blood cells")
    assert quote(blood.ask("which blood cells do not have a nucleus")).startswith("Red blood cells")


def test_a_yes_no_question_may_be_answered_by_a_negative_sentence(blood):
    assert quote(blood.ask("do red blood cells have a nucleus")).startswith("Red blood cells")


def test_the_other_side_of_a_relation_does_not_win(blood):
    assert quote(blood.ask("what happens after mitosis")).startswith("After mitosis")
    assert quote(blood.ask("what happens before mitosis")).startswith("Before mitosis")


def test_the_opposite_relation_is_not_answered_with_confidence(tmp_path):
    engine = Engine(load_course(make_course(tmp_path, FACTS)))
    for question in ("who walked on the moon last", "who was the first man in space"):
        answer = engine.ask(question)
        assert not answer.answered or answer.confidence < 0.8, (question, answer)
    assert engine.ask("who was the first man on the moon").confidence >= 0.8


def test_who_did_it_to_someone_is_not_answered_by_what_that_someone_did(tmp_path):
    engine = _one_text_course(tmp_path / "rome" / "rome.txt", "Rome\nRome was founded by Romulus, who killed his "
                              "twin brother Remus. Julius Caesar was killed by a group of senators in 44 BC.\n")
    assert not engine.ask("who killed romulus").answered  # Romulus killed; nobody here killed him
    assert quote(engine.ask("who killed remus")).startswith("Rome was founded by Romulus")
    assert quote(engine.ask("who killed julius caesar")).startswith("Julius Caesar was killed")


def test_a_name_asked_in_full_finds_the_sentence_that_gives_it_in_part(tmp_path):
    engine = _one_text_course(tmp_path / "rome" / "rome.txt", "Rome\nJulius Caesar conquered Gaul and became popular "
                              "with his soldiers. Caesar was stabbed to death by senators in 44 BC. Mrs Brutus and Mr "
                              "Brutus were in Rome.\n")
    assert quote(engine.ask("how did julius caesar die")).startswith("Caesar was stabbed")
    assert first_names(["Julius Caesar conquered Gaul.", "Caesar was stabbed.", "Mrs Brutus and Mr Brutus were in Rome.",
                        "Leading Romans agreed.", "Romans wrote."]) == {"julius": "caesar", "leading": "romans"}
    assert engine.index.first_names == {"julius": "caesar"}  # a title is no first name, nor an everyday word


def test_what_is_someone_like_asks_for_the_sentence_describing_them(tmp_path):
    engine = _one_text_course(tmp_path / "necklace" / "necklace.txt", "The Necklace\nHer husband gives her the money "
                              "he had saved for a rifle. Her husband, Monsieur Loisel, is a kind and modest man. Her "
                              "husband works late into the night.\n")
    assert quote(engine.ask("wat is her husband like")).startswith("Her husband, Monsieur Loisel, is a kind")
    assert quote(engine.ask("describe her husband")).startswith("Her husband, Monsieur Loisel, is a kind")


def test_a_fact_the_teacher_lists_for_a_when_question_answers_one_without_a_date(tmp_path):
    facts = """
        facts:
          - id: collins
            questions:
              - When did Michael Collins stay in orbit?
            answer: While Armstrong and Aldrin walked on the Moon.
            quote: Michael Collins stayed in orbit in the command module Columbia.
        """
    engine = Engine(load_course(make_course(tmp_path, facts)))
    answer = engine.ask("when was collins in orbit")
    assert answer.fact_id == "collins" and answer.confidence >= 0.8


def test_how_old_asks_for_an_age_not_any_number(tmp_path):
    engine = _one_text_course(tmp_path / "paw" / "paw.txt", "The paw\nHerbert and his old friend Morris, who served "
                              "twenty-one years in India, leave at four in the morning. Mrs White is fifty years old.\n")
    assert not engine.ask("how old is herbert").answered
    assert quote(engine.ask("how old is mrs white")).startswith("Mrs White is fifty years old")


def test_what_is_x_is_not_answered_with_confidence_by_a_sentence_that_only_mentions_x(engine):
    answer = engine.ask("what is nato")
    assert answer.fact_id is None and answer.confidence < 0.8
    assert engine.ask("what was the hotline").confidence >= 0.8  # the text says what the hotline was


# -- the teacher's own phrasings ----------------------------------------------------------------
@pytest.mark.parametrize("question", ["when was the crisis over", "when did it all end", "how much time did rfk give the soviets"])
def test_a_phrasing_the_teacher_listed_reaches_its_fact(engine, question):
    listed = [f.id for f in engine.course.facts if question in f.questions]
    assert len(listed) == 1 and engine.ask(question).fact_id == listed[0]


def test_every_listed_phrasing_of_the_bundled_course_reaches_its_own_fact(engine):
    missed = [(f.id, q, engine.ask(q).fact_id) for f in engine.course.facts for q in f.questions if engine.ask(q).fact_id != f.id]
    assert missed == []


# -- bounded work per question ------------------------------------------------------------------
def test_a_question_of_near_miss_typos_gets_bounded_work(engine):
    from bot.core.matching import MAX_SLOTS, MAX_TYPO_FIXES, TYPO_FACTOR

    vocab = sorted(w for w in engine.index.vocab if len(w) >= 6)
    crafted = " ".join(w[:-1] + ("x" if w[-1] != "x" else "y") for w in vocab * 5)[:2000]  # each one edit away
    query = engine.index.query(crafted)
    assert len(query.slots) <= MAX_SLOTS
    assert sum(1 for s in query.slots if TYPO_FACTOR in s.alternatives.values()) <= MAX_TYPO_FIXES
    assert engine.ask(crafted).to_json()["answered"] in (True, False)


def test_a_word_repeated_many_times_is_one_concept(engine):
    query = engine.index.query("nato " * 50 + "france")
    assert [s.word for s in query.slots] == ["nato", "france"]


def test_texting_numerals_stand_for_words_only_where_a_number_cannot(blood):
    from bot.core.slang import normalise

    assert normalise("wat happens 2 the cell b4 mitosis") == "what happens to the cell before mitosis"
    assert normalise("what happens in 2 days") == "what happens in 2 days"
    assert normalise("wats the 1st law") == "what is the first law"


def test_how_old_asks_for_a_number(tmp_path):
    engine = _one_text_course(tmp_path / "novel" / "novel.txt",
        "The novel\nDr Lanyon is an old friend of Jekyll who dies of shock. Utterson is a lawyer and a loyal friend.\n"
    )
    answer = engine.ask("how old is dr lanyon")
    assert not answer.answered or answer.confidence < 0.8


def test_an_answer_to_a_question_with_a_word_the_course_lacks_is_never_confident(tmp_path):
    engine = Engine(load_course(make_course(tmp_path, FACTS)))
    assert engine.ask("who was the first person to walk on the moon").confidence >= 0.8
    answer = engine.ask("who was the first person to walk on mars")  # "mars": not in the course
    assert not answer.answered or answer.confidence < 0.8


def test_what_does_x_mean_is_a_definition_question():
    from bot.core.relations import defined_term, defines

    assert defined_term("what does the name hyde mean") == "hyde"
    assert defined_term("what is the meaning of duality") == "duality"
    assert defined_term("what was the ultimatum about") is None
    assert defines("Inertia is the tendency of an object to resist changes to its motion.", "inertia")
    assert not defines("As a result de Gaulle pulled France out of NATO.", "nato")


def test_the_passage_saying_the_question_s_words_together_wins_a_near_tie(tmp_path):
    engine = _one_text_course(tmp_path / "rivers" / "rivers.txt",
        "Rivers\nThe land rises where the old town of the valley ends and the long river turns south.\n\n"
        "The long river rises in the high mountains where the old town of the green valley turns south.\n"
    )
    assert quote(engine.ask("where does the river rise")).startswith("The long river rises")


def test_a_word_with_a_negative_prefix_is_the_opposite_of_the_word(tmp_path):
    engine = _one_text_course(tmp_path / "delta" / "delta.txt",
        "The delta\nThree more flows carry significant amounts of water into the sea through the delta. "
        "Insignificant streams dry up in summer.\n"
    )
    assert engine.ask("how many flows carry significant amounts of water into the sea").confidence >= 0.8
    answer = engine.ask("how many flows carry insignificant amounts of water into the sea")
    assert not answer.answered or answer.confidence < 0.8


def test_the_other_point_of_the_compass_is_the_other_side(tmp_path):
    engine = _one_text_course(tmp_path / "canal" / "canal.txt",
        "Canals\nThe western canal was dug near the old town in 1890. The eastern hills are steep and bare. "
        "The eastern road was built in 1920.\n"
    )
    assert engine.ask("when was the western canal dug").confidence >= 0.8
    answer = engine.ask("when was the eastern canal dug")
    assert not answer.answered or answer.confidence < 0.8


def test_a_texted_2_is_still_to_in_a_course_full_of_numbers():
    from bot.core.slang import normalise

    assert normalise("wat happens 2 the enzymes", keep={"2", "enzymes"}) == "what happens to the enzymes"


VOLCANO_TEXT = """Volcanoes
A volcano is an opening in the crust through which molten rock, gas and ash escape.
In AD 79 Mount Vesuvius erupted and buried the Roman town of Pompeii under metres of ash.
Most volcanoes are found where tectonic plates meet.
Shield volcanoes are wide with gentle slopes.
Scientists who study volcanoes are called volcanologists.
"""


def test_an_everyday_word_the_text_does_not_use_does_not_sink_the_question(tmp_path):
    # "destroyed" is everyday English (WordNet's tagged corpus uses it often) that this text never says:
    # it is the student's phrasing, not a topic the course lacks, so the Pompeii sentence still answers
    write(tmp_path / "volcanoes", "notes.txt", VOLCANO_TEXT)
    engine = Engine(load_course(tmp_path / "volcanoes"))
    answer = engine.ask("which volcano destroyed pompeii")
    assert answer.answered and "buried the Roman town of Pompeii" in answer.citations[0].quote
    assert answer.confidence < 0.8
    # a rare word the course never uses is still what the question is about
    assert not engine.ask("what is the capital of pompeii").answered
    assert not engine.ask("how do volcanologists predict eruptions").answered


def test_everyday_english_is_told_from_a_subjects_own_words_by_wordnet_counts():
    from bot.core.text import stem
    from bot.core.wordnet import corpus_count

    assert all(corpus_count(stem(w)) >= 50 for w in ("destroyed", "usually", "happen", "believe"))
    assert all(corpus_count(stem(w)) == 0 for w in ("magma", "chlorophyll", "photosynthesis", "zzzz"))


def test_an_answer_that_leaves_a_word_of_the_question_unexplained_is_never_confident(engine):
    # "directly": the fact about the superpowers never fighting does not say it, so the match is a guess
    partly = engine.ask("did the superpowers fight directly after 1962")
    assert partly.answered and partly.confidence < 0.8
    whole = engine.ask("who won the crisis")  # every word is in the answer's fact
    assert whole.answered and whole.confidence >= 0.8


def test_what_is_the_courses_own_subject_is_answered_by_the_sentence_defining_it(tmp_path):
    # "volcano" is in most sentences, so it cannot single one out -- but only one says what a volcano is
    write(tmp_path / "volcanoes", "notes.txt", VOLCANO_TEXT)
    answer = Engine(load_course(tmp_path / "volcanoes")).ask("whats a volcano")
    assert answer.answered and answer.citations[0].quote.startswith("A volcano is an opening")


def test_how_many_counts_the_words_it_asks_about_even_a_few_words_after_the_number(tmp_path):
    write(tmp_path / "rings", "notes.txt", """
        Volcanoes
        The ring of volcanoes around the Pacific Ocean is known as the Ring of Fire and contains about
        three quarters of the world's active volcanoes.
        Many volcanoes are in Iceland, where their heat warms homes.
        Fire fighters in Iceland have two rings on their helmets.
        """)
    answer = Engine(load_course(tmp_path / "rings")).ask("How many active volcanoes are in the Ring of Fire?")
    assert answer.answered and "three quarters" in answer.citations[0].quote


def test_what_causes_x_asks_for_a_reason_not_a_sentence_that_only_names_x(tmp_path):
    write(tmp_path / "watch", "notes.txt", """
        Watching volcanoes
        Scientists who study volcanoes are called volcanologists.
        They watch for small earthquakes, swelling of the ground and changes in the gases coming out.
        Thick lava traps gas, so pressure builds up until the volcano erupts violently.
        """)
    engine = Engine(load_course(tmp_path / "watch"))
    assert not engine.ask("What causes earthquakes?").answered
    eruption = engine.ask("what causes a violent eruption")  # the sentence giving the reason still answers
    assert eruption.answered and "pressure builds up" in eruption.citations[0].quote


# -- WordNet's most frequent sense of the course's words ----------------------------------------
WEATHER = """Weather
As warm, moist air rises, it cools and the water vapour in it condenses into clouds. Snow falls when the air
near the ground is below freezing. Wind is air moving from high pressure to low pressure.
"""


@pytest.fixture(scope="module")
def weather(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("weather")
    (folder / "weather.txt").write_text(WEATHER)
    return Engine(load_course(folder))


def test_a_phrasal_verb_finds_the_course_word_of_the_same_sense(weather):
    # WordNet puts "go up" in the first sense of "rise"; the course only says "rises"
    assert quote(weather.ask("what happens to warm air when it goes up")).startswith("As warm, moist air rises")


def test_a_rarer_sense_of_a_course_word_does_not_stand_for_it(weather):
    # "air" also means a tune (its third noun sense): only the first sense is expanded
    assert not weather.ask("what is the melody of the song").answered


def test_sense_table_lists_the_first_sense_only():
    from bot.core.wordnet import sense_alternatives, verb_forms

    assert "go_up" in sense_alternatives("rise")
    assert "tune" not in sense_alternatives("air") and "melodi" not in sense_alternatives("air")
    assert {"went", "goes", "going"} <= verb_forms("go")


def test_an_everyday_word_is_not_taken_for_a_typo_of_a_course_word(tmp_path):
    engine = _one_text_course(
        tmp_path / "story" / "story.txt",
        "The story\nMorris shows them a dried monkey's paw with a spell on it. Herbert asks for two hundred pounds.\n"
        "She cannot reach the bolt.\n")
    # "money" is a word of its own, not "monkey" mistyped; "monky" is a typo
    assert "monkey" not in engine.index.query("was the money dried").slots[0].alternatives
    assert "monkey" in engine.index.query("was the monky dried").slots[0].alternatives
    # a less common word WordNet's corpus still uses is not a typo either
    assert "reach" not in engine.index.query("how does she react").slots[0].alternatives


def test_a_fact_is_not_confident_when_a_sentence_it_does_not_cite_matches_as_well(tmp_path):
    text = """The Monkey's Paw
The next morning Herbert goes off to work at the factory.

That afternoon bad news arrives. Herbert has been killed after being caught in the machinery.
"""
    facts = """
    facts:
      - id: death
        questions:
          - How does Herbert die?
        answer: He is caught in the machinery at work.
        quote: Herbert has been killed after being caught in the machinery.
    """
    course = """
    id: paw
    title: The Monkey's Paw
    sources:
      - id: moon
        file: sources/moon.txt
        title: Summary
    """
    engine = Engine(load_course(make_course(tmp_path, facts, course, text)))
    answer = engine.ask("where does herbert work")  # the fact's answer says "at work"; so does another sentence
    assert answer.answered and answer.confidence < 0.8
    assert engine.ask("how does herbert die").confidence >= 0.8  # no rival: as confident as before


def test_a_sentence_holding_every_word_beats_a_fact_that_leaves_one_out(tmp_path):
    text = """The Monkey's Paw
Morris shows them a dried monkey's paw. The spell allows three separate men to have three wishes each.
Morris says that the first owner's third wish was for death, and that his own wishes brought him only trouble.

Herbert jokes about the paw and tells his father to wish for two hundred pounds to pay off the house.
The firm offers the family two hundred pounds as compensation.
"""
    facts = """
    facts:
      - id: first-wish
        questions:
          - What is the first wish?
        answer: Two hundred pounds.
        quote: Herbert jokes about the paw and tells his father to wish for two hundred pounds to pay off the house.
    """
    course = """
    id: paw
    title: The Monkey's Paw
    sources:
      - id: moon
        file: sources/moon.txt
        title: Summary
    """
    engine = Engine(load_course(make_course(tmp_path, facts, course, text)))
    assert "first owner" in quote(engine.ask("what did the first owner wish for"))
    assert "two hundred pounds" in quote(engine.ask("what is the first wish"))


# -- a question that puts together what the text does not ----------------------------------------
ROME = """The Roman Republic
According to legend, Rome was founded in 753 BC by Romulus, who killed his twin brother Remus.
Rome fought three wars against Carthage, a trading city in North Africa, which are called the Punic Wars.
In 146 BC the Romans destroyed Carthage completely and made its land a province.
In 79 AD Mount Vesuvius erupted and destroyed the Roman town of Pompeii.
Other volcanoes in Italy include Etna and Stromboli.
Each year the citizens elected two consuls, who led the government and commanded the army.
The Senate was a council of about three hundred former officials.
In an emergency the Senate could appoint a dictator for six months.
Roman society was divided into patricians and plebeians.
A tribune could stop any law that harmed the plebeians.
Around 450 BC the laws were written on twelve bronze tablets.
In 218 BC Hannibal crossed the Alps with elephants.
Julius Caesar conquered Gaul and became popular with his soldiers.
In 49 BC Caesar led his army across the river Rubicon.
Octavian defeated Mark Antony and Cleopatra at Actium in 31 BC.
In 27 BC Octavian became the first Roman emperor, named Augustus.
Roads and aqueducts carried soldiers and water across the provinces.
"""


@pytest.fixture(scope="module")
def rome(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("rome")
    (folder / "rome.txt").write_text(ROME)
    return Engine(load_course(folder))


def test_a_question_joining_course_words_the_text_never_joins_is_declined(rome):
    # "Carthage" is a word of the course, but no sentence says who founded it
    assert not rome.ask("Who founded Carthage?").answered
    assert "founded in 753 BC by Romulus" in quote(rome.ask("Who founded Rome?"))


def test_the_word_naming_what_is_asked_for_need_not_be_in_the_answer(rome):
    # "which volcano": the answer names Vesuvius without saying "volcano"
    assert "Mount Vesuvius erupted" in quote(rome.ask("Which volcano destroyed Pompeii?"))


def test_an_everyday_word_the_course_uses_weighs_less_than_its_topic_words(rome):
    query = rome.index.query("who killed remus")  # "killed": in one sentence only, but everyday English
    weights = {slot.word: slot.weight for slot in query.slots}
    assert weights["killed"] <= 0.6 * rome.index.max_idf < rome.index.idf["kill"] == weights["remus"]


def test_a_fact_matched_only_through_its_answer_text_is_not_confident(tmp_path):
    facts = """
    facts:
      - id: augustus
        questions:
          - Who was Augustus?
        answer: Octavian, Caesar's adopted son, who became the first Roman emperor in 27 BC.
        quote: In 27 BC Octavian became the first Roman emperor, named Augustus.
    """
    course = """
    id: rome
    title: Rome
    sources:
      - id: moon
        file: sources/moon.txt
        title: Rome
    """
    engine = Engine(load_course(make_course(tmp_path, facts, course, ROME)))
    answer = engine.ask("what did caesar do as emperor")  # "Caesar" is in the answer only, not in what it quotes
    assert not answer.answered or answer.confidence < 0.8
    assert engine.ask("who was augustus").confidence >= 0.8
