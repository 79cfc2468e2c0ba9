"""The per-student ask cooldown shared by every platform (time moved by hand, never slept)."""

from __future__ import annotations

from bot.core.cooldown import Cooldown


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_second_question_within_the_window_waits_the_rest_of_it():
    clock = Clock()
    cd = Cooldown(5, clock)
    assert cd.try_ask("ana") == 0.0
    clock.now += 2
    assert cd.try_ask("ana") == 3.0
    assert cd.try_ask("ben") == 0.0  # other students are not slowed
    clock.now += 3
    assert cd.try_ask("ana") == 0.0


def test_refused_question_does_not_restart_the_wait():
    clock = Clock()
    cd = Cooldown(5, clock)
    cd.try_ask("ana")
    clock.now += 4
    assert cd.try_ask("ana") == 1.0
    clock.now += 1
    assert cd.try_ask("ana") == 0.0


def test_clicking_an_offered_suggestion_is_a_follow_up_once_per_window():
    clock = Clock()
    cd = Cooldown(5, clock)
    cd.try_ask("ana")
    assert cd.try_follow_up("ana") == 0.0  # right after the question that offered it
    assert cd.try_follow_up("ana") == 5.0  # but not click after click
    assert cd.try_ask("ana") == 5.0  # and the click counted as a question


def test_flooding_student_is_told_once_per_window():
    clock = Clock()
    cd = Cooldown(5, clock)
    assert cd.should_notice("ana") and not cd.should_notice("ana")
    clock.now += 5
    assert cd.should_notice("ana")


def test_zero_seconds_means_no_cooldown():
    cd = Cooldown(0, Clock())
    assert all(cd.try_ask("ana") == 0.0 for _ in range(5))


def test_students_whose_window_is_over_are_forgotten():
    clock = Clock()
    cd = Cooldown(5, clock)
    for n in range(1000):
        cd.try_ask(n)
    clock.now += 11
    cd.try_ask("late")
    assert len(cd) <= 2
