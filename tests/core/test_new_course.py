"""`classbot new DIR --from notes`: a drafted course that validates, whose drafts are answered like other facts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.core.drafting import new_course, questions_for, spans
from bot.core.errors import ClassbotError
from bot.core.knowledge import load_course
from bot.core.models import AnswerType
from bot.core.passages import split_passages
from tests.coursefiles import TEXT, write

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_TEXT = ROOT / "knowledge" / "cuban-missile-crisis" / "sources" / "cuban_missile_crisis.txt"


def classbot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_new_course_from_the_bundled_text_validates_and_its_phrasings_reach_their_own_facts(tmp_path):
    folder = tmp_path / "cmc"
    made = classbot("new", str(folder), "--from", str(BUNDLED_TEXT))
    assert made.returncode == 0, made.stderr
    assert (folder / "sources" / BUNDLED_TEXT.name).read_bytes() == BUNDLED_TEXT.read_bytes()
    checked = classbot("validate", str(folder))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    facts = yaml.safe_load((folder / "facts" / "drafts.yaml").read_text(encoding="utf-8"))["facts"]
    assert f"drafts: {len(facts)} of {len(facts)} facts are still drafts" in checked.stdout
    text = " ".join(BUNDLED_TEXT.read_text(encoding="utf-8").split())
    assert facts and all(f["draft"] is True and " ".join(f["quote"].split()) in text for f in facts)
    assert all(1 <= len(f["questions"]) <= 3 for f in facts)
    assert sum(len(f["questions"]) >= 2 for f in facts) >= 2 * len(facts) / 3
    asked = [(f["id"], q) for f in facts for q in f["questions"]]
    out = classbot("ask", "--json", "--knowledge", str(folder), stdin="\n".join(q for _, q in asked) + "\n")
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    reached = sum(1 for (fid, _), a in zip(asked, answers, strict=True) if a["fact_id"] == fid)
    assert reached / len(asked) >= 0.9, [(q, a["fact_id"]) for (fid, q), a in zip(asked, answers, strict=True) if a["fact_id"] != fid]


def test_drafted_trivia_asks_for_the_date_with_distractors_of_the_same_type_from_the_text(tmp_path):
    notes = write(tmp_path, "moon.txt", TEXT)
    new_course(notes, tmp_path / "moon")
    course = load_course(tmp_path / "moon")
    dated = [f.trivia for f in course.facts if f.trivia and f.trivia.type is AnswerType.DATE]
    assert dated
    item = dated[0]
    assert item.question.startswith("Fill in the blank:") and "_____" in item.question
    assert item.answer in item.question.replace("_____", item.answer)
    assert item.distractors and all(d in TEXT and d != item.answer for d in item.distractors)
    assert all(f.draft for f in course.facts)


def test_drafts_are_answered_like_other_facts(tmp_path):
    notes = write(tmp_path, "moon.txt", TEXT)
    result = new_course(notes, tmp_path / "moon")
    fact = next(f for f in result.facts if "Armstrong" in f.quote)
    out = classbot("ask", "--json", "--knowledge", str(tmp_path / "moon"), fact.questions[0])
    answer = json.loads(out.stdout)
    assert answer["answered"] and answer["fact_id"] == fact.id
    assert answer["citations"][0]["quote"] == fact.quote


def test_new_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    notes = write(tmp_path, "moon.txt", TEXT)
    folder = tmp_path / "existing"
    write(folder, "keep.txt", "my own file\n")
    with pytest.raises(ClassbotError, match="not empty"):
        new_course(notes, folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    p = classbot("new", str(folder), "--from", str(notes))
    assert p.returncode == 1 and "not empty" in p.stderr and "Traceback" not in p.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".existing")]  # no temporary folder left


def test_new_accepts_an_empty_folder_and_markdown_notes(tmp_path):
    notes = write(tmp_path, "notes.md", "# Moon\n\n" + TEXT)
    (tmp_path / "empty").mkdir()
    result = new_course(notes, tmp_path / "empty")
    assert result.facts and load_course(tmp_path / "empty").facts


def test_spans_find_dates_years_numbers_and_names():
    found = spans("Apollo 11 landed on the Moon on 20 July 1969 with 3 astronauts led by Neil Armstrong.", frozenset({"Moon"}))
    kinds = {(s.type, s.text) for s in found}
    assert (AnswerType.DATE, "20 July 1969") in kinds
    assert (AnswerType.NUMBER, "3") in kinds
    assert (AnswerType.NAME, "Neil Armstrong") in kinds


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Neil Armstrong was the first person to walk on the lunar surface.", "Who was the first person to walk on the lunar surface?"),
        ("De Gaulle pulled France out of NATO because he distrusted America.", "Why did De Gaulle pull France out of NATO?"),
        ("Isaac Newton set out his three laws of motion in 1687.", "When did Isaac Newton set out his three laws of motion?"),
    ],
)
def test_question_rules_who_why_when(sentence, expected):
    words = frozenset(w for w in sentence.split()[1:] if w[:1].isupper())
    assert expected in questions_for(sentence, spans(sentence, words | {"De", "Gaulle", "Isaac", "Newton", "Neil"}))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("About 17,000 people were officially executed during the Terror.",
         "How many people were officially executed during the Terror?"),
        ("Nearly 300 ships took part in the landings.", "How many ships took part in the landings?"),
        ("More than 40 countries signed the treaty.", "How many countries signed the treaty?"),
    ],
)
def test_a_number_with_an_approximator_in_front_still_gets_a_how_many_question(sentence, expected):
    assert expected in questions_for(sentence, spans(sentence, frozenset({"Terror"})))


SCIENTISTS = """Famous scientists

Marie Curie won the Nobel Prize in Physics in 1903, working in Paris with Pierre Curie.
Albert Einstein published his theory of special relativity in 1905 while working in Bern.
Isaac Newton was born in 1643 in Woolsthorpe, a small village in England.
Niels Bohr described the structure of the atom in 1913 and later founded an institute in Copenhagen.
Ernest Rutherford discovered the atomic nucleus in 1911 at the University of Manchester.
Pierre Curie shared the prize with Henri Becquerel, who had found radioactivity by accident.
"""


def test_name_distractors_are_people_for_a_person_and_never_share_a_word_with_the_answer(tmp_path):
    from bot.core.drafting import NameKinds, draft_facts

    facts, _ = draft_facts(SCIENTISTS, "sci", markdown=False)
    kinds = NameKinds.of(split_passages("sci", SCIENTISTS))
    assert kinds.kind("Albert Einstein") == "person" and kinds.kind("Paris") == "place"
    people = [f.trivia for f in facts if f.trivia and f.trivia["type"] == "name" and kinds.kind(f.trivia["answer"]) == "person"]
    assert people and all(len(item.get("distractors", [])) >= 2 for item in people)
    for item in people:
        answer_words = set(item["answer"].lower().split())
        for d in item.get("distractors", []):
            assert kinds.kind(d) == "person", (item["answer"], d)
            assert not answer_words & set(d.lower().split()), (item["answer"], d)
    years = [f.trivia for f in facts if f.trivia and f.trivia["type"] == "year"]
    assert years and all(d.isdigit() and len(d) == 4 for y in years for d in y.get("distractors", []))
