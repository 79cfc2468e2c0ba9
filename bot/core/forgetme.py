"""/forgetme, the same on every platform: a student sees what the bot keeps about them in this
server, confirms, and it is gone (``bot.core.privacy.forget_user``, one transaction).

Only the student who asked can confirm: the adapters put the student's id in the confirmation
button, and a click by anyone else (a forged click: the confirmation is shown to the student only)
deletes nothing. Plain texts out; the adapters render them with their buttons.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.privacy import export_user, forget_user
from bot.core.store import ForgetReport, UserData, UserDataStore

log = logging.getLogger(__name__)

NOTHING = "I keep nothing about you in this server: there is nothing to delete."
CANCELLED = "Nothing was deleted."
NOT_YOURS = "Only the student who asked can confirm this: nothing was deleted."
CONFIRM_LABEL = "Delete my data"
CANCEL_LABEL = "Cancel"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True, slots=True)
class DataSummary:
    """How much the store keeps about one student in one server."""

    answers: int  # trivia answers
    scores: int  # score rows: points, streaks, the leaderboard opt-out
    feedback: int  # Helpful / Not helpful votes
    questions: int  # questions the course could not answer, recorded with the student's id

    @classmethod
    def of(cls, data: UserData) -> DataSummary:
        return cls(len(data.answers), len(data.scores), len(data.feedback), len(data.questions))

    @property
    def empty(self) -> bool:
        return not (self.answers or self.scores or self.feedback or self.questions)

    def lines(self) -> list[str]:
        out = []
        if self.answers:
            out.append(_count(self.answers, "trivia answer", "trivia answers"))
        if self.scores:
            out.append("your trivia points, streak and leaderboard setting")
        if self.feedback:
            out.append(_count(self.feedback, "Helpful/Not helpful vote", "Helpful/Not helpful votes"))
        if self.questions:
            out.append(_count(self.questions, "question you asked that the course did not cover",
                              "questions you asked that the course did not cover"))
        return out


@dataclass(frozen=True, slots=True)
class Preview:
    summary: DataSummary
    text: str

    @property
    def empty(self) -> bool:
        return self.summary.empty


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a click did: ``done`` when the student's own click confirmed or cancelled (the
    confirmation can be replaced); False for someone else's click (answered apart, nothing changed)."""

    done: bool
    text: str
    report: ForgetReport | None = None


def preview_text(summary: DataSummary) -> str:
    if summary.empty:
        return NOTHING
    items = "\n".join(f"- {line}" for line in summary.lines())
    return ("This is what I keep about you in this server:\n" + items +
            "\n\nDelete all of it? Your points and leaderboard place go too. This cannot be undone.")


def done_text(report: ForgetReport) -> str:
    if report.total == 0:
        return "There was nothing left to delete."
    return f"Done: your data in this server is deleted ({_count(report.total, 'record', 'records')})."


@dataclass
class ForgetMe:
    store: UserDataStore
    platform: str

    async def preview(self, guild_id: str | None, user_id: str) -> Preview:
        summary = DataSummary.of(await export_user(self.store, self.platform, user_id, guild_id))
        return Preview(summary, preview_text(summary))

    async def confirm(self, guild_id: str | None, owner_id: str, clicker_id: str) -> Outcome:
        """Delete the owner's data in this server, if the click is the owner's."""
        if not owner_id or str(owner_id) != str(clicker_id):
            log.warning("a /forgetme confirmation was clicked by someone else on %s: nothing deleted", self.platform)
            return Outcome(False, NOT_YOURS)
        report = await forget_user(self.store, self.platform, owner_id, guild_id)
        return Outcome(True, done_text(report), report)

    def cancel(self, owner_id: str, clicker_id: str) -> Outcome:
        if not owner_id or str(owner_id) != str(clicker_id):
            return Outcome(False, NOT_YOURS)
        return Outcome(True, CANCELLED)


__all__ = ["CANCELLED", "CANCEL_LABEL", "CONFIRM_LABEL", "DataSummary", "ForgetMe", "NOTHING", "NOT_YOURS", "Outcome",
           "Preview", "done_text", "preview_text"]
