"""Our own exception types. Messages are written for the teacher who has to act on them."""

from __future__ import annotations

from dataclasses import dataclass


class ClassbotError(Exception):
    """Base class: a problem we can explain to a person."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a course, with where it is."""

    file: str
    line: int  # 1-based; 0 when the problem is about the whole file
    column: int  # 1-based; 0 when unknown
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InvalidCourse(ClassbotError):
    """The course folder has problems; the bot refuses to start on it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the course has {len(problems)} problem{'' if len(problems) == 1 else 's'}:\n{lines}")


class ConfigError(ClassbotError):
    """A setting is missing or wrong."""


# The exit status of every configuration error (a missing or invalid setting or token, an invalid
# course): EX_CONFIG of BSD's sysexits.h, which systemd also lists. It differs from argparse's 2
# (a mistyped command line) and from 1 (a failure while running), so a supervisor can be told not
# to restart on it (systemd: RestartPreventExitStatus=78): restarting cannot fix a setting.
EXIT_CONFIG = 78


class StoreError(ClassbotError):
    """The database cannot be used (locked, read-only, full, corrupt).

    ``str(error)`` is for the log and the administrator: what failed, where, and what to do.
    ``error.user_message`` is what a student or teacher in chat may be told: short, no internals.
    """

    DEFAULT_USER_MESSAGE = "Sorry, something went wrong with my records. Please try again in a moment."

    def __init__(self, message: str, *, user_message: str | None = None):
        super().__init__(message)
        self.user_message = user_message or self.DEFAULT_USER_MESSAGE


class TriviaError(ClassbotError):
    """A trivia action that cannot be done (no items, a round already posted today...)."""


class PlatformError(ClassbotError):
    """A chat platform refused us (bad token, missing permission)."""


# What a student is told, on every platform, when their trivia answer could not be stored.
ANSWER_NOT_SAVED = "Sorry, I couldn't save your answer. Please try again in a moment."

SORRY = "Something went wrong on my side, sorry. Please try again in a moment; the details are in the bot's log."


def user_message(error: BaseException) -> str:
    """What a chat user is told about an error: a database error its short user_message (its
    str() names files), our other errors explain themselves, anything else is an apology (the
    traceback goes to the log, never to chat)."""
    if isinstance(error, StoreError):
        return error.user_message
    return str(error) if isinstance(error, ClassbotError) else SORRY


def exit_code(error: BaseException) -> int:
    """The exit status a command ends with on ``error``: EXIT_CONFIG for a missing or invalid
    setting or course (restarting cannot help), 1 for anything else."""
    return EXIT_CONFIG if isinstance(error, (ConfigError, InvalidCourse)) else 1


class CourseError(ClassbotError):
    """A course command cannot be done (an unknown course id, a course that is not in the folder);
    the message says what to do instead."""
