"""`classbot import`: Red-DiscordBot trivia lists and Quizlet/Anki exports into quiz/*.yaml, read by the loader,
checked by validate, and played by the trivia service with a reveal that cites the quiz."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.config import TriviaSettings
from bot.core.clock import FakeClock
from bot.core.knowledge import load_course
from bot.core.quizimport import QuizImportError, import_quiz
from bot.core.trivia.answers import check_answer
from bot.core.trivia.rounds import TriviaService
from bot.store import open_store
from tests.coursefiles import make_course, write

# --- Red's own loading rule, re-implemented from its source --------------------------------------
# Cog-Creators/Red-DiscordBot, redbot/cogs/trivia/trivia.py `get_list`: yaml.safe_load, then
# TRIVIA_LIST_SCHEMA.validate (redbot/cogs/trivia/schema.py) or the whole list is refused; the `trivia`
# command then pops AUTHOR, DESCRIPTION, $schema and CONFIG and asks every remaining key.
# session.py `_parse_answers`: True -> True/Yes/On, False -> False/No/Off, else str(answer), de-duplicated.
RED_SPECIAL = {"$schema", "AUTHOR", "DESCRIPTION", "CONFIG"}


def red_parse_answers(answers: list) -> tuple[str, ...]:
    ret: list[str] = []
    for answer in answers:
        if isinstance(answer, bool):
            ret.extend(["True", "Yes", "On"] if answer else ["False", "No", "Off"])
        else:
            ret.append(str(answer))
    seen: set[str] = set()
    return tuple(x for x in ret if not (x in seen or seen.add(x)))


def red_questions(text: str) -> dict[str, tuple[str, ...]]:
    """What Red would ask: {question: answers}, or {} when its schema refuses the list."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return {}
    for key, value in data.items():
        if key in RED_SPECIAL:
            continue
        if not isinstance(key, str):  # MATCH_ALL_BUT_STR: "A key of question ... is not a text value."
            return {}
        if not isinstance(value, list) or not all(isinstance(a, (str, int, bool, float)) for a in value):
            return {}
    return {k: red_parse_answers(v) for k, v in data.items() if k not in RED_SPECIAL}


RED_SCIENCE = """\
AUTHOR: Ms Rivera
CONFIG:
  max_score: 5
  delay: 20
  reveal_answer: true
"What is H2O?":
- water
- H2O
- dihydrogen monoxide
How many planets are in the solar system?:
- 8
- eight
In which year did Apollo 11 land on the Moon?:
- 1969
'Which planet is called "the Red Planet"?':
- Mars
- planet Mars
"Is the Sun a star?":
- yes
"Is the Moon a planet?":
- false
What is the boiling point of water in Celsius?:
- 100
- 100 degrees
- one hundred
What is pi to two decimal places?:
- 3.14
"Who wrote 'On the Origin of Species'?":
- Charles Darwin
- Darwin
"""

RED_HISTORY = """\
AUTHOR: History Club
DESCRIPTION: Cold War basics
Who was the Soviet leader during the Cuban Missile Crisis?:
- Nikita Khrushchev
- Khrushchev
- Krushchev
- Kruschev
Which wall fell in 1989?:
- Berlin Wall
- the Berlin Wall
- Berlin
"What does NATO stand for?":
- North Atlantic Treaty Organization
- North Atlantic Treaty Organisation
Who was the Soviet leader during the Cuban Missile Crisis?:
- Khrushchev
- Nikita Khrushchev
"""

RED_NUMERIC_KEY = """\
AUTHOR: Someone
What is the capital of Italy?:
- Rome
1984:
- Orwell
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path)


@pytest.mark.parametrize("text", [RED_SCIENCE, RED_HISTORY], ids=["science", "history"])
def test_red_list_imports_the_questions_red_would_ask_and_accepts_every_listed_answer(tmp_path, course, text):
    red = red_questions(text)
    assert red, "the test list must be one Red loads"
    src = write(tmp_path, "list.yaml", text)
    result = import_quiz(src, course)
    assert len(result.items) == len(red)
    loaded = load_course(course)
    assert len(loaded.quiz) == len(red)
    by_question = {item.question: item for item in loaded.quiz}
    assert set(by_question) == set(red)
    for question, answers in red.items():
        item = by_question[question]
        for answer in answers:
            assert check_answer(item, answer), (question, answer)


def test_red_list_author_and_line_are_in_the_reveal_citation(tmp_path, course):
    import_quiz(write(tmp_path, "science.yaml", RED_SCIENCE), course)
    item = next(i for i in load_course(course).quiz if i.question == "What is H2O?")
    assert item.citation is not None
    assert "Ms Rivera" in item.citation.source_title
    assert item.citation.location == "imported from science.yaml, line 6"


def test_red_list_with_a_number_as_question_is_refused_whole_as_red_does_with_its_line(tmp_path, course):
    assert red_questions(RED_NUMERIC_KEY) == {}
    with pytest.raises(QuizImportError) as e:
        import_quiz(write(tmp_path, "bad.yaml", RED_NUMERIC_KEY), course)
    [problem] = e.value.problems
    assert problem.line == 4 and "quotes" in problem.message
    assert not (course / "quiz").exists() or not any((course / "quiz").iterdir())


@pytest.mark.parametrize(("key", "kind"), [("1984", "a number"), ("3.5", "a number"), ("yes", "yes/no (true/false)"),
                                         ("2026-03-09", "a date")])
def test_red_list_question_read_as_another_type_is_named_in_plain_words_as_written(tmp_path, course, key, kind):
    text = f"AUTHOR: Someone\n{key}:\n- an answer\n"
    with pytest.raises(QuizImportError) as e:
        import_quiz(write(tmp_path, "bad.yaml", text), course)
    [problem] = e.value.problems
    assert problem.line == 2
    assert f"the question {key} is read as {kind}, not text" in problem.message
    assert "int" not in problem.message.split() and "bool" not in problem.message and "True" not in problem.message


def test_red_list_with_a_bad_config_key_is_refused(tmp_path, course):
    text = "CONFIG:\n  max_score: 5\n  colour: red\nQ one?:\n- a1\n"
    with pytest.raises(QuizImportError) as e:
        import_quiz(write(tmp_path, "c.yaml", text), course)
    assert any("colour" in p.message and p.line == 1 for p in e.value.problems)


QUIZLET_TSV = "photosynthesis\tthe process plants use to make glucose from light\nchlorophyll\tthe green pigment that absorbs light\nstomata\tpores in the leaf\n"
ANKI_CSV_HEADER = "Front,Back,Distractor 1,Distractor 2\nCapital of France,Paris,Lyon,Nice\nCapital of Spain,Madrid,Seville,Valencia\n\"Capital of Italy, the country\",Rome,Milan,Turin\n"
ANKI_CSV_PLAIN = "Capital of France,Paris\nCapital of Spain,Madrid\n"
ANKI_TXT_EXPORT = "#separator:tab\n#html:true\nWhat is <b>F = m a</b>?\tNewton's second law\nUnit of force\tthe <i>newton</i>\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("quizlet.tsv", QUIZLET_TSV, [("photosynthesis", "the process plants use to make glucose from light"),
                                      ("chlorophyll", "the green pigment that absorbs light"), ("stomata", "pores in the leaf")]),
        ("anki.csv", ANKI_CSV_HEADER, [("Capital of France", "Paris"), ("Capital of Spain", "Madrid"),
                                       ("Capital of Italy, the country", "Rome")]),
        ("plain.csv", ANKI_CSV_PLAIN, [("Capital of France", "Paris"), ("Capital of Spain", "Madrid")]),
        ("notes.txt", ANKI_TXT_EXPORT, [("What is F = m a?", "Newton's second law"), ("Unit of force", "the newton")]),
    ],
    ids=["quizlet-tsv", "anki-csv-header", "csv-no-header", "anki-txt-directives"],
)
def test_table_exports_import_question_and_answer_with_header_and_delimiter_detected(tmp_path, course, name, text, expected):
    import_quiz(write(tmp_path, name, text), course)
    loaded = load_course(course)
    assert [(i.question, i.answer) for i in loaded.quiz] == expected


def test_csv_distractor_columns_become_the_items_distractors(tmp_path, course):
    import_quiz(write(tmp_path, "anki.csv", ANKI_CSV_HEADER), course)
    item = load_course(course).quiz[0]
    assert item.distractors == ("Lyon", "Nice")


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_written(tmp_path, course):
    text = "term\tdefinition\nmitosis\tcell division\nmeiosis\t\n\tno question here\nmitosis\tagain\nosmosis\t???\n"
    with pytest.raises(QuizImportError) as e:
        import_quiz(write(tmp_path, "bio.tsv", text), course)
    lines = sorted(p.line for p in e.value.problems)
    assert lines == [3, 4, 5]
    assert not (course / "quiz").exists()
    text_ok_but_unanswerable = "mitosis\tcell division\nosmosis\t???\n"
    with pytest.raises(QuizImportError) as e:
        import_quiz(write(tmp_path, "bio2.tsv", text_ok_but_unanswerable), course)
    assert [p.line for p in e.value.problems] == [2]
    assert not (course / "quiz").exists()  # no file, no temporary file left behind


def test_importing_twice_needs_replace(tmp_path, course):
    src = write(tmp_path, "plain.csv", ANKI_CSV_PLAIN)
    import_quiz(src, course)
    from bot.core.errors import ClassbotError

    with pytest.raises(ClassbotError, match="--replace"):
        import_quiz(src, course)
    write(tmp_path, "plain.csv", ANKI_CSV_PLAIN + "Capital of Peru,Lima\n")
    assert len(import_quiz(src, course, replace=True).items) == 3


def test_validate_counts_quiz_items_and_flags_a_hand_edited_answer_it_would_reject(tmp_path, course):
    import_quiz(write(tmp_path, "plain.csv", ANKI_CSV_PLAIN), course)
    p = subprocess.run([sys.executable, "-m", "bot", "validate", str(course)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "quiz: 2 imported quiz item(s)" in p.stdout
    quiz = course / "quiz" / "plain.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("answer: Paris", "answer: '!!'"), encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "bot", "validate", str(course)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and "plain.yaml" in p.stdout and "would mark its own answer" in p.stdout


def test_cli_import_prints_the_count_and_reports_bad_rows_without_a_traceback(tmp_path, course):
    good = subprocess.run([sys.executable, "-m", "bot", "import", str(write(tmp_path, "science.yaml", RED_SCIENCE)),
                           "--into", str(course)], capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert f"Imported {len(red_questions(RED_SCIENCE))} question(s)" in good.stdout and "Ms Rivera" in good.stdout
    bad = subprocess.run([sys.executable, "-m", "bot", "import", str(write(tmp_path, "bad.yaml", RED_NUMERIC_KEY)),
                          "--into", str(course)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "bad.yaml:4" in bad.stderr and "Traceback" not in bad.stderr


async def test_a_quiz_round_is_played_and_its_reveal_cites_the_quiz(tmp_path):
    folder = make_course(tmp_path, facts="")  # a course whose only trivia comes from the imported quiz
    import_quiz(write(tmp_path, "history.yaml", RED_HISTORY), folder)
    course = load_course(folder)
    assert len(course.trivia_items) == len(red_questions(RED_HISTORY))
    clock = FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    async with open_store(tmp_path / "bot.db", clock=clock) as store:
        service = TriviaService(store, course, TriviaSettings(answer_window_minutes=60), clock)
        r = await service.start_round("discord", "g1", "c1", free_text=True)
        await service.confirm_posted(r, "m1")
        item = service.item(r.item_id)
        result = await service.submit_answer(r.id, "alice", item.accept[-1])  # a spelling the list gives
        assert result.counted and result.correct
        clock.advance(minutes=61)
        reveal = await service.reveal(r.id)
    assert reveal.citation is not None and reveal.citation.source_title == "Quiz: Cold War basics (by History Club)"
    assert reveal.citation.location.startswith("imported from history.yaml, line ")
    assert (reveal.answered, reveal.correct) == (1, 1)
