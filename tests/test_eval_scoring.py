"""The held-out evaluation in eval/: its courses are valid, its question sets keep their promises, and its
scorer and floor check judge known cases correctly (a wrong answer counts as wrong, a floor can fail)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.coursefiles import make_course

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
sys.path.insert(0, str(EVAL))
sc = importlib.import_module("score")
runner = importlib.import_module("run")

COURSES = sorted(p.name for p in (EVAL / "courses").iterdir() if p.is_dir())


def test_there_are_at_least_three_eval_courses_each_with_a_question_set():
    assert len(COURSES) >= 3
    for name in COURSES:
        assert (EVAL / "sets" / f"{name}.tsv").is_file() and (EVAL / "sets" / f"{name}.sentences.yaml").is_file()


@pytest.mark.parametrize("name", COURSES)
def test_eval_course_validates_with_the_cli(name):
    p = subprocess.run([sys.executable, "-m", "bot", "validate", str(EVAL / "courses" / name)],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "OK: the course is valid" in p.stdout


@pytest.mark.parametrize("name", COURSES)
def test_question_set_has_forty_questions_a_quarter_out_of_scope_a_third_teen_style(name):
    qset = sc.load_set(EVAL / "sets" / f"{name}.tsv", EVAL / "sets" / f"{name}.sentences.yaml")
    n = len(qset.questions)
    assert n >= 40
    assert sum(not q.in_scope for q in qset.questions) * 4 >= n
    assert sum(q.teen for q in qset.questions) * 3 >= n


@pytest.mark.parametrize("name", COURSES)
def test_every_gold_phrase_is_in_the_course_text_once(name):
    text = sc.norm("\n".join(p.read_text(encoding="utf-8") for p in sc.source_files(EVAL / "courses" / name)))
    for sid, phrase in sc.load_sentences(EVAL / "sets" / f"{name}.sentences.yaml").items():
        assert text.count(phrase) == 1, f"{sid}: {phrase!r} occurs {text.count(phrase)} times"


SENTENCES = {"S1": "apollo 11 landed on the moon", "S2": "michael collins stayed in orbit"}
TSV = textwrap.dedent("""\
    # question<TAB>gold<TAB>style
    when did apollo 11 land\tS1\tteen
    who stayed in orbit\tS2\tplain
    who was the first man in space\tNONE\tplain
    what did they leave on the moon\tNONE\tteen
    where was collins\tS2\tplain
    """)


def _answer(quote: str | None, confidence: float = 1.0) -> dict:
    if quote is None:
        return {"answered": False, "answer": None, "confidence": 0.0, "citations": []}
    return {"answered": True, "confidence": confidence, "citations": [{"quote": quote}, {"quote": "Michael Collins"
                                                                                           " stayed in orbit."}]}


def test_scorer_counts_a_wrong_citation_and_an_answered_out_of_scope_question_as_wrong():
    qset = sc.parse_set("tiny", TSV, SENTENCES)
    outs = [
        _answer("Apollo 11 landed  on the\nMoon on 20 July 1969."),      # right (whitespace and case folded)
        _answer("The crew returned to Earth on 24 July.", 0.9),         # wrong; only the SECOND citation is gold
        _answer(None),                                                  # out of scope, declined: right
        _answer("Neil Armstrong was the first person to walk on the lunar surface.", 0.5),  # wrong, not confident
        _answer(None),                                                  # in scope, declined: a miss, not wrong
    ]
    s = sc.score(sc.judge(q, o, qset.sentences) for q, o in zip(qset.questions, outs, strict=True))
    assert (s.n, s.right, s.in_scope_n, s.in_scope_right, s.out_scope_n, s.out_scope_declined) == (5, 2, 3, 1, 2, 1)
    assert (s.wrong_any, s.wrong_confident) == (2, 1)
    assert (s.teen_n, s.teen_right) == (2, 1)
    assert (s.answered, s.answered_right) == (3, 1)
    assert [o.question.text for o in s.misses] == ["who stayed in orbit", "what did they leave on the moon",
                                                   "where was collins"]


def test_question_set_with_an_unknown_gold_id_or_bad_style_is_refused():
    with pytest.raises(sc.EvalError, match="unknown sentence id"):
        sc.parse_set("bad", "who stayed\tS9\n", SENTENCES)
    with pytest.raises(sc.EvalError, match="style"):
        sc.parse_set("bad", "who stayed\tS2\tshouting\n", SENTENCES)


def test_scorer_sends_every_question_in_one_batch_and_refuses_a_short_reply(tmp_path):
    script = tmp_path / "fake_ask.py"
    script.write_text(textwrap.dedent("""\
        import json, sys
        assert sys.argv[1:3] == ["--knowledge", sys.argv[2]]
        for line in sys.stdin.read().splitlines():
            if "orbit" in line:
                print(json.dumps({"answered": True, "confidence": 0.95,
                                  "citations": [{"quote": "Michael Collins stayed in orbit in Columbia."}]}))
            elif "drop" not in line:
                print(json.dumps({"answered": True, "confidence": 0.95,
                                  "citations": [{"quote": "The crew returned to Earth."}]}))
        """))
    qset = sc.parse_set("tiny", TSV, SENTENCES)
    s = sc.run_set(qset, tmp_path, [sys.executable, str(script)])
    assert (s.right, s.wrong_any, s.wrong_confident) == (1, 4, 4)
    short = sc.parse_set("tiny", "please drop this\tS1\n", SENTENCES)
    with pytest.raises(sc.EvalError, match="0 answers for 1 questions"):
        sc.run_set(short, tmp_path, [sys.executable, str(script)])


def test_scorer_reads_one_answer_per_question_from_the_real_bot(tmp_path):
    course = make_course(tmp_path)
    qset = sc.parse_set("tiny", TSV, SENTENCES)
    s = sc.run_set(qset, sc.text_only_copy(course, tmp_path / "copies"))
    assert s.n == 5 and s.in_scope_n == 3 and s.out_scope_n == 2


def test_text_only_copy_holds_only_the_source_text(tmp_path):
    course = EVAL / "courses" / COURSES[0]
    copy = sc.text_only_copy(course, tmp_path)
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in sc.source_files(course))
    assert not (copy / "course.yaml").exists()


def test_first_phrasing_copy_keeps_one_question_per_fact_and_still_validates(tmp_path):
    copy = sc.first_phrasing_copy(runner.BUNDLED, tmp_path)
    facts = [f for p in (copy / "facts").glob("*.yaml") for f in yaml.safe_load(p.read_text())["facts"]]
    assert facts and all(len(f["questions"]) == 1 for f in facts)
    p = subprocess.run([sys.executable, "-m", "bot", "validate", str(copy)], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr


def test_overlap_counts_exact_and_near_copies_of_fact_phrasings():
    qs = [sc.Question("Who stayed in orbit?", ("S2",)), sc.Question("who stayed in orbitt", ("S2",)),
          sc.Question("what did collins do while the others walked", ("S2",)), sc.Question("when", ())]
    ov = sc.overlap(qs, ["who stayed in orbit", "When did Apollo 11 land?"])
    assert (ov.exact, ov.near) == (0.25, 0.5)


def test_floor_check_fails_below_a_floor_above_a_ceiling_and_on_an_unknown_row():
    rows = [runner.Row("course facts", {"overall": 0.80, "wrong_confident": 2}),
            runner.Row("squad rhine", note="skipped: no data")]
    assert runner.check_floors(rows, {"course facts": {"overall": 0.79, "max_wrong_confident": 2},
                                      "squad rhine": {"overall": 0.9}}) == []
    problems = runner.check_floors(rows, {"course facts": {"overall": 0.81, "max_wrong_confident": 1},
                                          "nonsense row": {"overall": 0.1}})
    assert len(problems) == 3 and "below its floor" in problems[0] and "ceiling" in problems[1]
    assert "no such row" in problems[2]


def test_runner_exits_non_zero_when_a_course_is_below_its_floor(tmp_path, capsys):
    floors = tmp_path / "floors.yaml"
    floors.write_text(yaml.safe_dump({"floors": {f"{COURSES[0]} facts": {"overall": 1.01}}}))
    assert runner.main(["--shared", str(tmp_path / "absent"), "--floors", str(floors)]) == 1
    out = capsys.readouterr().out
    assert "BELOW FLOOR" in out and f"{COURSES[0]} facts: overall" in out
    floors.write_text(yaml.safe_dump({"floors": {f"{COURSES[0]} facts": {"overall": 0.0}}}))
    assert runner.main(["--shared", str(tmp_path / "absent"), "--floors", str(floors)]) == 0


def test_committed_floors_name_only_rows_the_runner_makes():
    floors = yaml.safe_load((EVAL / "floors.yaml").read_text())["floors"]
    names = {f"{c} facts" for c in COURSES} | {f"{c} text only" for c in COURSES}
    names |= {"bundled dev facts", "bundled dev text only", "bundled dev first phrasing", "squad rhine"}
    assert set(floors) <= names and {f"{c} facts" for c in COURSES} <= set(floors)
