"""`classbot validate`: every problem at once, with file, line and a message a teacher can act on."""

from __future__ import annotations

from bot.cli import main
from bot.core.knowledge import load_course
from bot.core.validation import validate
from tests.coursefiles import FACTS, make_course, write


def problems_of(folder):
    return [(p.file.split("/", 1)[1], p.line, p.message) for p in validate(folder).problems]


def test_clean_course_has_no_problems_and_exits_zero(tmp_path, capsys):
    folder = make_course(tmp_path, FACTS)
    assert problems_of(folder) == []
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "coverage: 3/5 sentences cited by at least one fact (60%)" in out
    assert "not cited" in out and "Buzz Aldrin followed him" in out


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    folder = make_course(tmp_path, "facts:\n  - id: a\n    questions: [unclosed\n    answer: x\n")
    [(file, line, message)] = problems_of(folder)
    assert file == "facts/facts.yaml" and line == 4
    assert message.startswith("YAML syntax error")


def test_misspelt_key_gets_a_did_you_mean(tmp_path):
    folder = make_course(tmp_path, FACTS.replace("    questions:\n      - Who was the first", "    quesitons:\n      - Who was the first"))
    found = problems_of(folder)
    assert ("facts/facts.yaml", 3, "unknown key 'quesitons' in a fact (did you mean 'questions'?)") in found
    assert ("facts/facts.yaml", 2, "a fact is missing 'questions'") in found


def test_missing_required_field_is_reported_on_the_facts_line(tmp_path):
    folder = make_course(tmp_path, "facts:\n  - id: lonely\n    questions: [Why did it happen]\n    quote: Apollo 11 landed\n")
    assert problems_of(folder) == [("facts/facts.yaml", 2, "a fact is missing 'answer'")]


def test_duplicate_ids_across_files_name_both_places(tmp_path):
    folder = make_course(tmp_path, FACTS)
    write(folder, "facts/more.yaml", """
        facts:
          - id: landing-date
            questions: [What happened on 24 July]
            answer: The crew returned to Earth.
            quote: The crew returned to Earth on 24 July.
        """)
    [(file, line, message)] = problems_of(folder)
    assert message == "fact id 'landing-date' is already used in moon/facts/facts.yaml line 16; ids must be unique"
    assert (file, line) in {("facts/more.yaml", 2), ("facts/facts.yaml", 16)}


def test_quote_not_in_source_shows_the_closest_passage(tmp_path):
    folder = make_course(tmp_path, FACTS.replace("Michael Collins stayed in orbit", "Michael Collins stayed in the orbit"))
    [(file, line, message)] = problems_of(folder)
    assert (file, line) == ("facts/facts.yaml", 31)
    assert "quote not found in 'sources/moon.txt'" in message
    assert 'Closest passage (The Moon landing › Apollo 11, ¶2 (line 6)): "Michael Collins stayed in orbit' in message


def test_fact_citing_a_missing_source(tmp_path):
    folder = make_course(tmp_path, FACTS.replace("    quote: Michael Collins", "    source: mon\n    quote: Michael Collins"))
    [(file, line, message)] = problems_of(folder)
    assert line == 31 and message == "fact 'collins-orbit' cites source 'mon', which the course does not have (did you mean 'moon'?)"


def test_a_phrasing_the_bot_answers_with_another_fact_is_a_warning_with_its_line(tmp_path, capsys):
    facts = FACTS.replace("      - who stayed in orbit", "      - who was the first person to walk on the moon?")
    folder = make_course(tmp_path, facts)
    report = validate(folder)
    assert report.problems == []
    [warning] = [(w.file.split("/", 1)[1], w.line, w.message) for w in report.warnings]
    assert warning == ("facts/facts.yaml", 29, "warning: the question \"who was the first person to walk on the moon?\" "
                       "of fact 'collins-orbit' is answered with fact 'first-walker' (line 2) "
                       "instead; reword it with words of its own fact, or add a keyword")
    assert main(["validate", str(folder)]) == 0  # the bot still starts: every fact has other ways in
    out = capsys.readouterr().out
    assert "facts/facts.yaml:29: warning: the question" in out and "OK: the course is valid (1 warning(s) above)" in out


def test_a_phrasing_that_gets_no_answer_is_a_warning(tmp_path):
    facts = FACTS.replace("      - who stayed in orbit", "      - what is it")
    [warning] = validate(make_course(tmp_path, facts)).warnings
    assert warning.line == 29 and "gets no answer: the bot finds it too vague" in warning.message


def test_the_self_check_runs_in_validate_only_not_when_the_bot_starts(tmp_path):
    facts = FACTS.replace("      - who stayed in orbit", "      - what is it")
    course = load_course(make_course(tmp_path, facts))
    assert course.fact("collins-orbit").questions[-1] == "what is it"
    assert validate(make_course(tmp_path / "again", facts), self_check=False).warnings == []


def test_year_trivia_whose_answer_is_not_a_number(tmp_path):
    folder = make_course(tmp_path, FACTS.replace('      answer: "1969"\n      type: year', '      answer: "the sixties"\n      type: year'))
    assert problems_of(folder) == [("facts/facts.yaml", 24, "trivia answer 'the sixties' is of type year but is not a number")]


def test_trivia_answer_that_its_own_check_would_mark_wrong(tmp_path):
    folder = make_course(tmp_path, FACTS.replace('      answer: "1969"\n      type: year', '      answer: 20 July\n      accept: [the twentieth]\n      type: date'))
    [(file, line, message)] = problems_of(folder)
    assert line == 16 and "would mark its own answer \"the twentieth\" wrong (type date)" in message


def test_missing_source_file_and_alias_in_two_groups(tmp_path):
    folder = make_course(tmp_path, None, course="""
        id: moon
        aliases:
          - [Moon, lunar surface]
          - [Luna, moon]
        sources:
          - file: sources/moon.txt
          - file: sources/mars.txt
        """)
    found = problems_of(folder)
    assert ("course.yaml", 4, "'moon' is in two alias groups (also line 3); a name can mean only one thing") in found
    assert ("course.yaml", 7, "source file 'sources/mars.txt' not found in moon") in found


def test_all_problems_are_reported_at_once_and_exit_is_one(tmp_path, capsys):
    folder = make_course(tmp_path, FACTS.replace("quesitons", "x").replace("Michael Collins stayed in orbit", "nope").replace("  - id: first-walker", "  - id: first-walker\n    colour: red"))
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "facts/facts.yaml:3:5: unknown key 'colour'" in out
    assert "quote not found" in out


def test_bot_refuses_to_start_on_an_invalid_course(tmp_path, capsys):
    folder = make_course(tmp_path, FACTS.replace("Michael Collins stayed in orbit", "nope"))
    assert main(["ask", "--knowledge", str(folder), "who stayed in orbit"]) == 78  # EXIT_CONFIG
    err = capsys.readouterr().err
    assert "cannot use the course" in err and "quote not found" in err


def test_a_broken_fact_is_reported_once_not_again_by_facts_that_link_to_it(tmp_path):
    facts = FACTS.replace("Michael Collins stayed in orbit", "Collins flew to Mars").replace(
        "    answer: Apollo 11 landed on 20 July 1969.", "    answer: Apollo 11 landed on 20 July 1969.\n    related: [collins-orbit]")
    found = problems_of(make_course(tmp_path, facts))
    assert len(found) == 1 and "quote not found" in found[0][2]


def test_a_scalar_where_a_list_belongs_is_an_error_not_a_one_item_list(tmp_path, capsys):
    facts = FACTS.replace("""    questions:
      - When did Apollo 11 land?
      - what date did apollo 11 land on the moon
""", "    questions: 42\n").replace("      distractors: [Buzz Aldrin, Michael Collins, Yuri Gagarin]",
                                   "      distractors: 20 July 1969")
    folder = make_course(tmp_path, facts)
    found = problems_of(folder)
    assert ("facts/facts.yaml", 15, "'distractors' of the trivia of fact 'first-walker' should be a list, not the single "
            "value '20 July 1969': write each entry on its own line starting with '- ', or as [first, second]") in found
    assert ("facts/facts.yaml", 17, "'questions' of fact 'landing-date' should be a list, not the single value '42': "
            "write each entry on its own line starting with '- ', or as [first, second]") in found
    assert len(found) == 2
    assert main(["ask", "--knowledge", str(folder), "42"]) == 78  # EXIT_CONFIG
    assert "should be a list" in capsys.readouterr().err


def test_yaml_values_stay_the_text_the_teacher_wrote(tmp_path):
    facts = FACTS.replace("      accept: [Armstrong]", "      accept: [Armstrong, yes, 3.10, 1969-07-20]")
    course = load_course(make_course(tmp_path, facts))
    assert course.fact("first-walker").trivia.accept == ("Armstrong", "yes", "3.10", "1969-07-20")


def test_an_unreadable_source_is_reported_first_and_once(tmp_path):
    folder = make_course(tmp_path, FACTS)
    (folder / "sources" / "moon.txt").write_bytes("Apollo 11\nlanded in caf\xe9s.\n".encode("latin-1"))
    found = problems_of(folder)
    assert found == [("sources/moon.txt", 2, "is not UTF-8 text (this line has a character saved in another encoding); "
                      "save the file as UTF-8. Facts citing it are checked once it reads")]


def test_an_empty_source_is_the_only_problem_reported(tmp_path):
    folder = make_course(tmp_path, FACTS)
    (folder / "sources" / "moon.txt").write_text("\n\n")
    assert [m for _, _, m in problems_of(folder)] == [
        "is empty: put the course text in it. Facts citing it are checked once it has text"]


def test_root_causes_come_before_the_fact_files_problems(tmp_path):
    folder = make_course(tmp_path, FACTS.replace("  - id: first-walker", "  - id: first-walker\n    colour: red"),
                         course="id: moon\nsources:\n  - file: sources/moon.txt\n  - file: sources/zz.txt\n")
    write(folder, "sources/zz.txt", "\n")
    found = problems_of(folder)
    assert found[0] == ("sources/zz.txt", 0, "is empty: put the course text in it. Facts citing it are checked once it has text")
    assert found[1][:2] == ("facts/facts.yaml", 3) and "unknown key 'colour'" in found[1][2]


def test_bad_indentation_is_explained_in_plain_words(tmp_path):
    folder = make_course(tmp_path, "facts:\n  - id: a\n    questions: [x]\n   answer: y\n")
    assert problems_of(folder) == [("facts/facts.yaml", 4, "YAML syntax error: this line is indented differently from "
                                    "the lines of its block: line it up with the key or '- ' item it belongs with "
                                    "(indent with spaces, the same number for every line of a block)")]


def test_the_self_check_in_several_processes_finds_the_same_misses(tmp_path):
    from bot.core.validation import phrasing_misses

    facts = FACTS.replace("      - who stayed in orbit", "      - who was the first person to walk on the moon?\n      - what is it")
    course = load_course(make_course(tmp_path, facts))
    alone = phrasing_misses(course, workers=1)
    assert len(alone) == 2 and phrasing_misses(course, workers=2) == alone


def test_a_phrasing_taken_for_chat_is_a_warning_that_says_so(tmp_path):
    facts = FACTS.replace("      - who stayed in orbit", "      - thanks")
    [warning] = validate(make_course(tmp_path, facts)).warnings
    assert warning.line == 29 and 'is taken for chat, not a question ("thanks")' in warning.message
