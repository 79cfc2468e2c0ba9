"""Each store (SQLite, PostgreSQL) implements the core's Store port member by member (mypy proves the types in CI;
this proves names, parameters and defaults wherever the tests run)."""

from __future__ import annotations

import inspect

import pytest

from bot.core.store import (
    ActivityStore,
    ClaimStore,
    CourseBindingStore,
    FeedbackStore,
    LeaseStore,
    ReportingStore,
    ReviewStore,
    RoundStore,
    ScoreStore,
    SeenEventStore,
    Store,
    TriviaConfigStore,
    UnansweredStore,
    UserDataStore,
)
from bot.store import PostgresStore, SQLiteStore


def port_members(protocol: type) -> set[str]:
    return {
        name for klass in protocol.__mro__ if klass is not object
        for name, value in vars(klass).items() if inspect.iscoroutinefunction(value)
    }  # fmt: skip


def test_the_store_port_is_the_sum_of_one_protocol_per_aggregate():
    parts = [
        FeedbackStore, UnansweredStore, TriviaConfigStore, RoundStore, ScoreStore, ReviewStore, UserDataStore,
        ActivityStore, ReportingStore, CourseBindingStore, ClaimStore, LeaseStore, SeenEventStore,
    ]
    own = port_members(Store) - set().union(*(port_members(p) for p in parts))
    assert own == {"ping", "close", "__aenter__", "__aexit__"}
    assert all(port_members(p) for p in parts)


@pytest.mark.parametrize("implementation", [SQLiteStore, PostgresStore])
def test_each_store_has_every_method_of_the_port_with_the_same_parameters(implementation):
    differ = []
    for name in sorted(port_members(Store)):
        implemented = getattr(implementation, name, None)
        assert implemented is not None and inspect.iscoroutinefunction(implemented), name
        want = list(inspect.signature(getattr(Store, name)).parameters.values())
        got = list(inspect.signature(implemented).parameters.values())
        if [(p.name, p.kind, p.default, p.annotation) for p in want] != [
            (p.name, p.kind, p.default, p.annotation) for p in got
        ]:
            differ.append(name)
    assert differ == []
