"""A tiny course built from the models directly, for the trivia, store and schedule tests."""

from __future__ import annotations

from bot.core.models import AnswerType, Citation, Course, Fact, TriviaItem

FACTS = [
    # id, question, answer, type, accept, distractors, tolerance
    ("dobrynin", "Which Soviet diplomat did Robert Kennedy meet?", "Anatoly Dobrynin", AnswerType.NAME,
     ("Dobrynin",), ("Andrei Gromyko", "Nikita Khrushchev", "Fidel Castro"), 0.0),
    ("year", "In which year did the crisis happen?", "1962", AnswerType.YEAR, (), ("1959", "1961", "1963"), 0.0),
    ("days", "How many days did the crisis last?", "13", AnswerType.NUMBER, (), ("7", "21"), 0.0),
    ("meeting-date", "On which day did Robert Kennedy meet Dobrynin?", "27 October 1962", AnswerType.DATE,
     (), (), 0.0),
    ("blockade", "What did the US call its naval blockade?", "quarantine", AnswerType.TEXT,
     ("naval quarantine",), ("embargo", "siege", "armistice"), 0.0),
    ("khrushchev", "Who led the Soviet Union?", "Nikita Khrushchev", AnswerType.NAME, (), ("Leonid Brezhnev",), 0.0),
]


def make_course(facts=FACTS) -> Course:
    built = []
    for fid, question, answer, kind, accept, distractors, tolerance in facts:
        citation = Citation(
            source_id="crisis",
            source_title="Cuban missile crisis averted",
            location=f"Cuban missile crisis averted, ¶{len(built) + 1} (line {len(built) + 3})",
            quote=f"A sentence that proves {fid}.",
        )
        trivia = TriviaItem(
            id=fid, fact_id=fid, question=question, answer=answer, accept=accept, type=kind,
            distractors=distractors, tolerance=tolerance,
        )
        built.append(Fact(id=fid, questions=(question,), answer=answer, citation=citation, trivia=trivia))
    return Course(
        id="crisis", title="The Cuban Missile Crisis", description="", aliases=(), sources=(), passages=(),
        facts=tuple(built),
    )
