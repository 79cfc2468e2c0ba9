"""The database schema as one list of numbered migrations, shared by every store backend.

A migration is a list of steps run in one transaction; a database records how many migrations
it has run (SQLite: ``PRAGMA user_version``) and runs the rest at start-up, in order. A step is
either ``standard`` SQL that any backend runs as it is, or per-dialect text where the dialects
differ (SQLite's ``INTEGER PRIMARY KEY``, ``WITHOUT ROWID``, ``INSERT OR IGNORE``...).

Adding a migration: append one; never edit one that has shipped (databases out there have run it).
Adding a backend: give every step that is not ``standard`` its text for the new dialect (the
backend's tests check that none is missing), and add the dialect name to :data:`Dialect`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["sqlite", "postgres"]


@dataclass(frozen=True, slots=True)
class Step:
    """One statement: ``standard`` SQL for every backend, or the text of each dialect that differs."""

    standard: str | None = None
    sqlite: str | None = None
    postgres: str | None = None  # written with the PostgreSQL store (issue 13)

    def sql(self, dialect: Dialect) -> str:
        own = self.sqlite if dialect == "sqlite" else self.postgres
        if own is not None:
            return own
        if self.standard is None:
            raise LookupError(f"this migration step has no SQL for {dialect}: {self!r}")
        return self.standard


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the schema version the database has once this has run
    purpose: str
    steps: tuple[Step, ...]

    def statements(self, dialect: Dialect) -> list[str]:
        return [step.sql(dialect) for step in self.steps]


def _standard(*sql: str) -> tuple[Step, ...]:
    return tuple(Step(standard=s) for s in sql)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", (
        Step(sqlite="""CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            guild_id TEXT,
            channel_id TEXT,
            user_id TEXT NOT NULL,
            message_id TEXT,
            question TEXT NOT NULL,
            fact_id TEXT,
            helpful INTEGER NOT NULL,
            created_at REAL NOT NULL
        )"""),
        *_standard(
            "CREATE UNIQUE INDEX feedback_vote ON feedback(platform, message_id, user_id) WHERE message_id IS NOT NULL",
            "CREATE INDEX feedback_fact ON feedback(fact_id)",
        ),
        Step(sqlite="""CREATE TABLE unanswered (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            course_id TEXT NOT NULL,
            guild_id TEXT,
            channel_id TEXT,
            question TEXT NOT NULL,
            question_key TEXT NOT NULL,
            user_id TEXT,
            asked_at REAL NOT NULL
        )"""),
        *_standard("CREATE INDEX unanswered_course ON unanswered(course_id, question_key)"),
        Step(sqlite="""CREATE TABLE trivia_config (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            post_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            free_text INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            PRIMARY KEY (platform, guild_id)
        )"""),
        Step(sqlite="""CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            day TEXT NOT NULL,
            posted_at REAL NOT NULL,
            closes_at REAL NOT NULL,
            choices TEXT NOT NULL,
            message_id TEXT,
            status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'revealed', 'failed')),
            meta TEXT NOT NULL,
            created_at REAL NOT NULL,
            UNIQUE (platform, channel_id, day)
        )"""),
        *_standard(
            "CREATE INDEX rounds_message ON rounds(platform, message_id)",
            "CREATE INDEX rounds_status ON rounds(status)",
            "CREATE INDEX rounds_guild ON rounds(platform, guild_id, day)",
        ),
        Step(sqlite="""CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            user_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL,
            points INTEGER NOT NULL DEFAULT 0,
            answered_at REAL NOT NULL,
            UNIQUE (round_id, user_id)
        )"""),
        Step(sqlite="""CREATE TABLE scores (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            points INTEGER NOT NULL DEFAULT 0,
            streak INTEGER NOT NULL DEFAULT 0,
            best_streak INTEGER NOT NULL DEFAULT 0,
            last_correct_day TEXT,
            optout INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform, guild_id, user_id)
        )"""),
    )),
    Migration(2, "streaks count rounds, not calendar days: remember the round that extended the streak", (
        *_standard(
            "ALTER TABLE scores ADD COLUMN last_correct_round INTEGER",
            "CREATE INDEX rounds_channel ON rounds(platform, channel_id, status, day)",
        ),
        # existing streaks carry on: the last revealed round each student got right
        Step(sqlite="""UPDATE scores SET last_correct_round = (
            SELECT r.id FROM rounds r JOIN answers a ON a.round_id = r.id
            WHERE r.platform = scores.platform AND r.guild_id = scores.guild_id AND a.user_id = scores.user_id
              AND a.correct = 1 AND r.status = 'revealed'
            ORDER BY r.id DESC LIMIT 1
        ) WHERE last_correct_day IS NOT NULL"""),
    )),
    # A bounded unanswered log: one row per distinct question (a count, first and last time), wording
    # and key capped (300: UNANSWERED_MAX_CHARS when this was written), askers (where allowed)
    # apart, a per-asker daily quota.
    Migration(3, "a bounded unanswered log", (
        Step(sqlite="""CREATE TABLE unanswered_v3 (
            id INTEGER PRIMARY KEY,
            course_id TEXT NOT NULL,
            question_key TEXT NOT NULL,
            question TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_asked REAL NOT NULL,
            last_asked REAL NOT NULL,
            UNIQUE (course_id, question_key)
        )"""),
        Step(sqlite="""INSERT INTO unanswered_v3 (course_id, question_key, question, count, first_asked, last_asked)
            SELECT course_id, k, (SELECT substr(u2.question, 1, 300) FROM unanswered u2
                WHERE u2.course_id = g.course_id AND substr(u2.question_key, 1, 300) = g.k
                ORDER BY u2.asked_at DESC, u2.id DESC LIMIT 1), n, first, last
            FROM (SELECT course_id, substr(question_key, 1, 300) AS k, COUNT(*) AS n,
                         MIN(asked_at) AS first, MAX(asked_at) AS last
                  FROM unanswered WHERE question_key != '' GROUP BY course_id, k) g"""),
        Step(sqlite="""CREATE TABLE unanswered_askers (
            question_id INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            PRIMARY KEY (question_id, user_id)
        ) WITHOUT ROWID"""),
        Step(sqlite="""INSERT OR IGNORE INTO unanswered_askers (question_id, user_id)
            SELECT n.id, u.user_id FROM unanswered u JOIN unanswered_v3 n ON n.course_id = u.course_id
              AND n.question_key = substr(u.question_key, 1, 300)
            WHERE u.user_id IS NOT NULL"""),
        *_standard(
            "DROP TABLE unanswered",
            "ALTER TABLE unanswered_v3 RENAME TO unanswered",
            "CREATE INDEX unanswered_ranking ON unanswered(course_id, count DESC, last_asked DESC)",
        ),
        Step(sqlite="""CREATE TABLE unanswered_quota (
            day TEXT NOT NULL,
            asker TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (day, asker)
        ) WITHOUT ROWID"""),
    )),
    # Issue 11: a teacher's review marks what it has seen (a reviewed question or vote does not come
    # back); a student's data is found by user id (export, forget) and old texts by date (retention).
    Migration(4, "review marks; indexes for a student's data and for retention", _standard(
        "ALTER TABLE unanswered ADD COLUMN reviewed_at REAL",
        "ALTER TABLE feedback ADD COLUMN reviewed_at REAL",
        "CREATE INDEX unanswered_last ON unanswered(last_asked)",
        "CREATE INDEX unanswered_askers_user ON unanswered_askers(user_id)",
        "CREATE INDEX feedback_user ON feedback(platform, user_id)",
        "CREATE INDEX feedback_created ON feedback(created_at)",
        "CREATE INDEX answers_user ON answers(user_id)",
    )),
    # Reports (issue 11 item 2): how many questions each unit got per day, answered or not. Counts
    # only: no question text, no user id, so it is kept as long as the database (no retention).
    # guild_id and unit are '' when there is none (a direct message; an answer outside any unit, or
    # a question the course does not cover). day: the UTC day (ISO) the question was asked.
    Migration(5, "questions asked per unit and day, counted without text or askers", (
        *_standard(
            """CREATE TABLE question_counts (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            day TEXT NOT NULL,
            unit TEXT NOT NULL,
            answered INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (platform, guild_id, course_id, day, unit, answered)
        )""",
            "CREATE INDEX feedback_guild_time ON feedback(guild_id, created_at)",
        ),
    )),
    # Several courses in one deployment: the course bound to a server (channel_id '') or a channel.
    Migration(6, "course bindings", (
        Step(sqlite="""CREATE TABLE course_bindings (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            set_by TEXT,
            set_at REAL NOT NULL,
            PRIMARY KEY (platform, guild_id, channel_id)
        ) WITHOUT ROWID""", postgres="""CREATE TABLE course_bindings (
            platform TEXT NOT NULL,
            guild_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            set_by TEXT,
            set_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (platform, guild_id, channel_id)
        )"""),
    )),
)

# The tables that tell a classbot database from someone else's.
OUR_TABLES = frozenset({"feedback", "unanswered", "trivia_config", "rounds", "answers", "scores"})

__all__ = ["Dialect", "MIGRATIONS", "Migration", "OUR_TABLES", "Step"]
