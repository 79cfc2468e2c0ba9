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
        super().__init__(f"The course has {len(problems)} problem(s):\n{lines}")


class ConfigError(ClassbotError):
    """A setting is missing or wrong."""


class StoreError(ClassbotError):
    """The database cannot be used (locked, read-only, corrupt)."""


class PlatformError(ClassbotError):
    """A chat platform refused us (bad token, missing permission)."""


SORRY = "Something went wrong on my side, sorry. Please try again in a moment; the details are in the bot's log."


def user_message(error: BaseException) -> str:
    """What a chat user is told about an error: our own errors explain themselves, anything else
    is an apology (the traceback goes to the log, never to chat)."""
    return str(error) if isinstance(error, ClassbotError) else SORRY
