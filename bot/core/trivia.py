"""Daily trivia, platform-free: item selection, multiple choice, answer checking, scoring, rounds.

Adapters only render what :class:`TriviaService` returns (``RoundQuestion``, ``AnswerResult``,
``Reveal``) and call it back with what students typed or clicked. No chat library here.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from rapidfuzz.distance import OSA

from bot.core.clock import Clock, SystemClock
from bot.core.errors import ClassbotError, StoreError
from bot.core.models import AnswerType, Citation, Course, TriviaItem, TriviaRound
from bot.core.settings import TriviaSettings
from bot.core.store import (
    ROUND_PENDING,
    ROUND_POSTED,
    Award,
    ItemUsage,
    LeaderboardRow,
    Period,
    RoundExists,
    Scoring,
    Store,
    TriviaConfig,
    UserStats,
)


class TriviaError(ClassbotError):
    """A trivia action that cannot be done (no items, a round already posted today...)."""


# ---------------------------------------------------------------------------------------------
# Normalising and fuzzy matching

ARTICLES = frozenset({"the", "a", "an"})
# Hedges students put in front of an answer; removed before comparing.
_LEAD_INS = (
    "i think it was", "i think it is", "i think its", "i think", "i guess", "maybe", "probably",
    "the answer is", "answer", "it was", "it is", "its", "was it", "is it",
)  # fmt: skip
_APOSTROPHES = re.compile(r"[’'`´]")
_NON_WORD = re.compile(r"[^\w\s]|_")


def normalize(text: str) -> str:
    """Lower case, accents, punctuation, lead-ins and leading articles removed, spaces folded.

    >>> normalize("  The Soviet Union! ")
    'soviet union'
    >>> normalize("Nikita Khrushchëv")
    'nikita khrushchev'
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ")
    s = _APOSTROPHES.sub("", s)
    s = _NON_WORD.sub(" ", s)
    tokens = s.split()
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        joined = " ".join(tokens)
        for lead in _LEAD_INS:
            if joined.startswith(lead + " ") and len(lead.split()) < len(tokens):
                tokens = tokens[len(lead.split()) :]
                changed = True
                break
        if len(tokens) > 1 and tokens[0] in ARTICLES:
            tokens = tokens[1:]
            changed = True
    return " ".join(tokens)


def max_typos(length: int) -> int:
    """Edits allowed against an expected answer of this many letters.

    Short answers must be exact (3 letters or fewer) or have one typo (up to 7): "air" never
    matches "chair", "cat" never matches "car". Words of 5 letters or fewer also keep their
    length and first letter (see _token_close), so "hair" does not match "chair" either.
    """
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 12:
        return 2
    return 3


def _token_close(given: str, expected: str) -> bool:
    if given == expected:
        return True
    if given.isdigit() or expected.isdigit():
        return False  # "Apollo 11" is not "Apollo 12"
    if len(expected) <= 5 and (len(given) != len(expected) or given[0] != expected[0]):
        return False  # short words: a slip of a letter, not another word ("hair" is not "chair")
    return OSA.distance(given, expected, score_cutoff=max_typos(len(expected))) <= max_typos(len(expected))


def fuzzy_match(given: str, expected: str, *, drop_initials: bool = False) -> bool:
    """Whether a normalised answer is the normalised expected one, allowing for typos.

    Word by word (same number of words, in either order), each word within its own typo
    budget and the whole within the budget of the whole answer; so a short word cannot stand
    in for a long one and typos cannot pile up.
    """
    if not given or not expected:
        return False
    if given == expected or given.replace(" ", "") == expected.replace(" ", ""):
        return True
    g, e = given.split(), expected.split()
    if drop_initials:
        g = [t for t in g if len(t) > 1] or g
        e = [t for t in e if len(t) > 1] or e
        if g == e:
            return True
    if len(g) != len(e):
        return False
    budget = max_typos(len(" ".join(e)))
    for gt, et in ((g, e), (sorted(g), sorted(e))):
        if all(_token_close(a, b) for a, b in zip(gt, et, strict=True)):
            total = sum(OSA.distance(a, b) for a, b in zip(gt, et, strict=True))
            if total <= budget:
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Numbers, years, dates

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")


def _words_to_number(tokens: list[str]) -> list[float]:
    """Spelled-out numbers ("thirteen", "forty two", "two hundred") found in tokens."""
    found: list[float] = []
    current: float | None = None
    total = 0.0
    for t in [*tokens, ""]:
        if t in _SMALL or t in _TENS:
            current = (current or 0) + (_SMALL.get(t) or _TENS.get(t, 0))
        elif t in _SCALES and current is not None:
            if _SCALES[t] == 100:
                current *= 100
            else:
                total += current * _SCALES[t]
                current = 0
        elif t == "and" and current is not None:
            continue
        else:
            if current is not None:
                found.append(total + current)
            current, total = None, 0.0
    return found


def parse_numbers(text: str) -> list[float]:
    """Every number in the text: digits (with thousands separators), "42k", "1.5 million", words."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = re.sub(r"(?<=\d)[,  '](?=\d{3}\b)", "", s)  # 42,000 / 42 000 -> 42000
    out: list[float] = []
    for m in _NUMBER.finditer(s):
        value = float(m.group())
        rest = s[m.end() :].lstrip()
        word = re.match(r"[a-z]+", rest)
        if word and word.group() in _SCALES and word.group() != "hundred":
            value *= _SCALES[word.group()]
        out.append(value)
    words = _NON_WORD.sub(" ", s.replace("-", " ")).split()
    out.extend(_words_to_number(words))
    return out


def _one_number(text: str) -> float | None:
    """The number the student gave, or None if none or several different ones (no hedging)."""
    values = set(parse_numbers(text))
    return values.pop() if len(values) == 1 else None


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip


def _month(token: str) -> int | None:
    if len(token) < 3:
        return None
    for name, number in _MONTHS.items():
        if name.startswith(token) or (token.startswith(name[:3]) and fuzzy_match(token, name)):
            return number
    return None


def parse_dates(text: str) -> set[tuple[int, int, int | None]]:
    """(month, day, year or None) readings of a date: "27 October", "October 27th, 1962", "27/10",
    "10/27", "1962-10-27". An ambiguous numeric date ("5/6") gives both readings."""
    s = unicodedata.normalize("NFKC", text).casefold()
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", s)
    if iso:
        y, m, d = (int(x) for x in iso.groups())
        return {(m, d, y)} if _valid(m, d) else set()
    s = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", s)
    tokens = re.findall(r"[a-z]+|\d+", s)
    months = [m for m in (_month(t) for t in tokens if t.isalpha()) if m]
    numbers = [int(t) for t in tokens if t.isdigit()]
    years = [n for n in numbers if n >= 1000]
    small = [n for n in numbers if n < 1000]
    year = years[0] if len(years) == 1 else None
    if len(months) == 1:
        days = [n for n in small if 1 <= n <= 31]
        if len(days) == 1 and _valid(months[0], days[0]):
            return {(months[0], days[0], year)}
        return set()
    numeric = re.search(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?\b", s)
    if not numeric:
        return set()
    a, b = int(numeric.group(1)), int(numeric.group(2))
    y = int(numeric.group(3)) if numeric.group(3) else None
    if y is not None and y < 100:
        y += 1900 if y >= 30 else 2000
    out = set()
    if _valid(b, a):
        out.add((b, a, y))  # day/month
    if _valid(a, b):
        out.add((a, b, y))  # month/day
    return out


def _valid(month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


# ---------------------------------------------------------------------------------------------
# Checking an answer


def expected_answers(item: TriviaItem) -> tuple[str, ...]:
    return (item.answer, *item.accept)


def check_answer(item: TriviaItem, given: str) -> bool:
    """Whether a typed answer is right for the item, by its answer type.

    - number / year: exact, within the item's tolerance; one number only ("13 or 14" is wrong).
    - date: month and day must match; a year, if both give one, too.
    - name / text: case, accents, punctuation and leading "the/a/an" ignored; typos allowed by
      length (see max_typos); same number of words, so a last name alone counts only if the
      item lists it in ``accept``. Names also ignore middle initials ("John F. Kennedy").
    """
    if not given or not given.strip():
        return False
    expected = expected_answers(item)
    kind = item.type
    if kind in (AnswerType.NUMBER, AnswerType.YEAR):
        value = _one_number(given)
        targets = [n for e in expected if (n := _one_number(e)) is not None]
        if targets:
            if value is None:
                return False
            if kind is AnswerType.YEAR and value != int(value):
                return False
            return any(abs(value - t) <= item.tolerance + 1e-9 for t in targets)
    elif kind is AnswerType.DATE:
        targets = set().union(*(parse_dates(e) for e in expected))
        if targets:
            readings = parse_dates(given)
            return any(
                gm == tm and gd == td and (gy is None or ty is None or gy == ty)
                for gm, gd, gy in readings
                for tm, td, ty in targets
            )
    g = normalize(given)
    names = kind is AnswerType.NAME
    return any(fuzzy_match(g, normalize(e), drop_initials=names) for e in expected)


# ---------------------------------------------------------------------------------------------
# Selection and multiple choice


def seeded_rng(*parts: object) -> random.Random:
    """A Random seeded from the parts (guild, channel, day...), the same in every process."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def select_item(items: Sequence[TriviaItem], history: Sequence[ItemUsage], seed: object) -> TriviaItem:
    """The next item for a channel.

    No repeats until every item has been used (items are drawn from those used the fewest
    times). Within that pool, items the class got wrong weigh more, so in the next cycle they
    come back sooner; the item used last is avoided when there is any other choice.
    """
    if not items:
        raise TriviaError("this course has no trivia questions: add `trivia:` to some facts")
    usage = {u.item_id: u for u in history}
    counts = {it.id: usage[it.id].times_used if it.id in usage else 0 for it in items}
    fewest = min(counts.values())
    pool = [it for it in items if counts[it.id] == fewest]
    last = max(history, key=lambda u: u.last_day).item_id if history else None
    if len(pool) > 1:
        pool = [it for it in pool if it.id != last] or pool
    weights = []
    for it in pool:
        share = usage[it.id].share_correct if it.id in usage else None
        weights.append(1.0 if share is None else 1.0 + 4.0 * (1.0 - share))
    rng = seeded_rng("select", seed)
    return rng.choices(pool, weights=weights, k=1)[0]


def build_choices(item: TriviaItem, items: Sequence[TriviaItem], seed: object, size: int = 4) -> tuple[str, ...]:
    """Shuffled choices (the answer and up to size-1 distractors), or () for a free-text round.

    The item's own distractors come first; when it has fewer than size-1, other items' answers
    of the same type fill in. Fewer than two distractors in all means free text.
    """
    rng = seeded_rng("choices", item.id, seed)
    taken = {normalize(a) for a in expected_answers(item)}
    distractors: list[str] = []

    def add(text: str) -> None:
        key = normalize(text)
        if key and key not in taken and len(distractors) < size - 1:
            taken.add(key)
            distractors.append(text.strip())

    for d in item.distractors:
        add(d)
    if len(distractors) < size - 1:
        others = sorted({it.answer for it in items if it.id != item.id and it.type == item.type})
        rng.shuffle(others)
        for text in others:
            add(text)
    if len(distractors) < 2:
        return ()
    choices = [item.answer.strip(), *distractors]
    rng.shuffle(choices)
    return tuple(choices)


def parse_choice(text: str, choices: Sequence[str]) -> int | None:
    """A 0-based choice index from "2", "B", "b)", or the choice's own text; None otherwise."""
    s = text.strip().rstrip(").:").strip()
    if s.isdigit() and 1 <= int(s) <= len(choices):
        return int(s) - 1
    if len(s) == 1 and s.isalpha():
        index = ord(s.upper()) - ord("A")
        if 0 <= index < len(choices):
            return index
    key = normalize(text)
    for i, c in enumerate(choices):
        if key and normalize(c) == key:
            return i
    return None


# ---------------------------------------------------------------------------------------------
# Scoring


def scoring_from_settings(settings: TriviaSettings) -> Scoring:
    return Scoring(points=settings.points, streak_bonus=settings.streak_bonus, streak_bonus_cap=settings.streak_bonus_cap)


# ---------------------------------------------------------------------------------------------
# The service: store + course + clock


@dataclass(frozen=True, slots=True)
class RoundQuestion:
    """What an adapter posts for a round."""

    round_id: int
    question: str
    choices: tuple[str, ...]  # empty: students type their answer
    closes_at: float  # unix seconds
    answer_type: AnswerType
    difficulty: str

    @property
    def free_text(self) -> bool:
        return not self.choices


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What a student is told, privately, after answering. ``correct`` is for the engine and the
    terminal preview; chat adapters show only ``message`` until the reveal."""

    counted: bool
    status: str  # recorded | already_answered | closed | unknown_round | invalid | empty
    message: str
    correct: bool | None = None


@dataclass(frozen=True, slots=True)
class Reveal:
    round: TriviaRound
    question: str
    answer: str  # the correct answer
    choices: tuple[str, ...]
    correct_index: int | None  # into choices, for multiple-choice rounds
    citation: Citation | None  # None only when the fact has left the course since the round
    answered: int
    correct: int
    awards: tuple[Award, ...] = ()
    first_time: bool = True  # False when the round had already been revealed

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    def summary(self) -> str:
        """'7 answered, 71% got it right.' Never names anyone."""
        if not self.answered:
            return "Nobody answered this one."
        who = "1 answered" if self.answered == 1 else f"{self.answered} answered"
        return f"{who}, {round(100 * self.share_correct)}% got it right."


def format_reveal_text(reveal: Reveal) -> str:
    """A plain-text reveal (the terminal preview; adapters may render richer)."""
    lines = [f"The answer: {reveal.answer}", reveal.summary()]
    c = reveal.citation
    if c is not None:
        lines.append("")
        lines.extend("    " + line for line in _wrap(f"“{c.quote}”", 76))
        lines.append(f"    — {c.reference}")
    return "\n".join(lines)


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [text]


@dataclass(frozen=True, slots=True)
class PostedRound:
    """What TriviaService.post_round did: the round as stored, and whether the send worked."""

    round: TriviaRound
    posted: bool
    error: str | None = None  # why the platform refused, when not posted


SendQuestion = Callable[[TriviaRound, RoundQuestion], Awaitable[str]]

ALREADY = "You already answered this one; your first answer counts."
CLOSED = "This trivia question is closed; the answer has been (or will be) revealed."
MAX_ROUND_ID = 2**63 - 1  # SQLite's largest integer: a round id beyond it cannot exist


@dataclass(frozen=True, slots=True)
class AnswerOrigin:
    """Where an answer came from: the server (Discord guild / Slack workspace) and channel the
    platform says the interaction happened in."""

    guild_id: str
    channel_id: str | None  # None: the platform did not say (the round's server still must match)

    def owns(self, round: TriviaRound) -> bool:
        if str(round.guild_id) != str(self.guild_id):
            return False
        return self.channel_id is None or str(round.channel_id) == str(self.channel_id)


def parse_round_id(text: object) -> int | None:
    """A round id from a button value or custom id: digits only, within SQLite's integer range."""
    s = str(text or "").strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 19:
        return None
    value = int(s)
    return value if 0 < value <= MAX_ROUND_ID else None


UNKNOWN_ROUND = AnswerResult(False, "unknown_round", "That trivia question no longer exists.")


@dataclass
class TriviaService:
    """Runs rounds: picks and records them, takes answers, reveals and scores."""

    store: Store
    course: Course
    settings: TriviaSettings = field(default_factory=TriviaSettings)
    clock: Clock = field(default_factory=SystemClock)

    @property
    def scoring(self) -> Scoring:
        return scoring_from_settings(self.settings)

    def item(self, item_id: str) -> TriviaItem | None:
        for it in self.course.trivia_items:
            if it.id == item_id:
                return it
        return None

    async def local_today(self, platform: str, guild_id: str) -> date:
        return self._today(await self.store.get_trivia_config(platform, str(guild_id)))

    def _today(self, config: TriviaConfig | None) -> date:
        """The server's local date (UTC when it has no trivia settings)."""
        return self.clock.now().astimezone(ZoneInfo(config.timezone if config else "UTC")).date()

    async def start_round(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        *,
        day: date | None = None,
        free_text: bool | None = None,
    ) -> TriviaRound:
        """Pick today's item and record the round as pending, BEFORE the adapter sends it.

        Then: send it, and call confirm_posted (or fail_round if the send failed); post_round
        does all of that.
        Raises TriviaError when the channel already has a round for that day.
        """
        items = self.course.trivia_items
        if not items:
            raise TriviaError(f"course {self.course.id} has no trivia questions: add `trivia:` to some facts")
        guild_id, channel_id = str(guild_id), str(channel_id)
        config = await self.store.get_trivia_config(platform, guild_id)
        if day is None:
            day = self._today(config)
        if free_text is None:
            free_text = bool(config and config.free_text)
        history = await self.store.item_history(platform, guild_id, channel_id)
        seed = (platform, guild_id, channel_id, day.isoformat())
        item = select_item(items, history, seed)
        choices = () if free_text else build_choices(item, items, seed)
        now = self.clock.now().timestamp()
        pending = TriviaRound(
            id=None,
            guild_id=guild_id,
            channel_id=channel_id,
            item_id=item.id,
            day=day.isoformat(),
            posted_at=now,
            closes_at=now + 60 * self.settings.answer_window_minutes,
            choices=choices,
            meta={
                "course": self.course.id,
                "fact_id": item.fact_id,
                "question": item.question,
                "answer": item.answer,
                "type": item.type.value,
                "difficulty": item.difficulty,
            },
        )
        try:
            return await self.store.create_round(platform, pending)
        except RoundExists as e:
            raise TriviaError(
                f"this channel already had its trivia for {e.existing.day} ({e.existing.status}); "
                "there is one question per day"
            ) from None

    async def post_round(
        self,
        platform: str,
        guild_id: str,
        channel_id: str,
        send: SendQuestion,
        *,
        day: date | None = None,
        free_text: bool | None = None,
    ) -> PostedRound:
        """Start a round and send it, never twice: record it pending, call the adapter's
        ``send(round, question) -> message id``, then mark it posted, or failed if the send raised.

        Raises TriviaError when no round can be started (no items, the day already has one) and
        StoreError when the database fails; a platform error is returned, not raised.
        """
        round = await self.start_round(platform, guild_id, channel_id, day=day, free_text=free_text)
        try:
            message_id = await send(round, self.question(round))
        except StoreError:
            raise
        except Exception as e:  # the platform refused: the day is spent, say why
            reason = f"sending failed: {e}"
            await self.fail_round(round, reason)
            return PostedRound(await self.store.get_round(int(round.id or 0)) or round, False, str(e))
        await self.confirm_posted(round, str(message_id))
        return PostedRound(await self.store.get_round(int(round.id or 0)) or round, True)

    def _round_item(self, round: TriviaRound) -> TriviaItem:
        """The round's item from the course, or, if the course changed under a running round,
        rebuilt from what was posted."""
        return self.item(round.item_id) or TriviaItem(
            id=round.item_id,
            fact_id=round.meta.get("fact_id", round.item_id),
            question=round.meta.get("question", ""),
            answer=round.meta.get("answer", ""),
            type=AnswerType(round.meta.get("type", "text")),
        )

    def question(self, round: TriviaRound) -> RoundQuestion:
        meta = round.meta
        item = self._round_item(round)
        return RoundQuestion(
            round_id=int(round.id or 0),
            question=meta.get("question") or item.question,
            choices=tuple(round.choices),
            closes_at=round.closes_at,
            answer_type=AnswerType(meta.get("type", item.type.value)),
            difficulty=meta.get("difficulty", "medium"),
        )

    async def confirm_posted(self, round: TriviaRound, message_id: str) -> None:
        await self.store.mark_round_posted(int(round.id or 0), str(message_id))

    async def fail_round(self, round: TriviaRound, reason: str) -> None:
        await self.store.mark_round_failed(int(round.id or 0), reason)

    def is_correct(self, round: TriviaRound, given: str) -> tuple[bool, str] | None:
        """(correct, what to record) or None when the input is not a valid choice."""
        item = self._round_item(round)
        if round.choices:
            index = parse_choice(given, round.choices)
            if index is None:
                if check_answer(item, given):  # typed the right answer instead of clicking
                    return True, given.strip()
                return None
            chosen = round.choices[index]
            return normalize(chosen) == normalize(item.answer), chosen
        return check_answer(item, given), given.strip()

    async def answerable_round(
        self, round_id: int, origin: AnswerOrigin | None
    ) -> tuple[TriviaRound | None, AnswerResult | None]:
        """The round an answer (or an answer form) is for, or why it cannot take one.

        ``origin`` is where the click or message came from, as the platform vouches for it (not
        what a button's id claims): a round of another server or channel is treated as unknown,
        exactly like a round that does not exist, so a forged id learns nothing. ``None`` only for
        local callers (the terminal preview), which have no server.
        """
        if not isinstance(round_id, int) or not 0 < round_id <= MAX_ROUND_ID:
            return None, UNKNOWN_ROUND
        round = await self.store.get_round(round_id)
        if round is None or (origin is not None and not origin.owns(round)):
            return None, UNKNOWN_ROUND
        if round.status not in (ROUND_PENDING, ROUND_POSTED) or self.clock.now().timestamp() >= round.closes_at:
            return None, AnswerResult(False, "closed", CLOSED)
        return round, None

    async def submit_answer(
        self, round_id: int, user_id: str, given: str | int, origin: AnswerOrigin | None = None
    ) -> AnswerResult:
        """Record a student's answer; only the first one counts. Does not tell them if it is right.

        Chat adapters pass ``origin`` (see answerable_round); an answer to another server's or
        channel's round, or to a closed one, is refused.
        """
        round, refused = await self.answerable_round(round_id, origin)
        if round is None:
            return refused or UNKNOWN_ROUND
        if isinstance(given, int):  # a clicked choice, 0-based
            if not 0 <= given < len(round.choices):
                return AnswerResult(False, "invalid", "That is not one of the choices.")
            given = str(given + 1)
        if not given.strip():
            return AnswerResult(False, "empty", "Type an answer after the command.")
        judged = self.is_correct(round, given)
        if judged is None:
            if await self.store.get_answer(int(round_id), str(user_id)) is not None:
                return AnswerResult(False, "already_answered", ALREADY)
            n = len(round.choices)
            return AnswerResult(False, "invalid", f"Pick one of the choices (1-{n}).")
        correct, recorded = judged
        outcome = await self.store.record_answer(
            int(round_id), str(user_id), recorded[:500], correct, now=self.clock.now().timestamp()
        )
        if outcome == "already_answered":
            return AnswerResult(False, "already_answered", ALREADY)
        if outcome != "recorded":  # revealed (or closed) while we were judging: too late
            return AnswerResult(False, "closed", CLOSED)
        return AnswerResult(True, "recorded", "Answer recorded. The answer is revealed when the question closes.", correct)

    async def build_reveal(self, round_id: int, *, awards: tuple[Award, ...] = (), first_time: bool = True) -> Reveal:
        """The reveal for a round, without changing anything."""
        round = await self.store.get_round(int(round_id))
        if round is None:
            raise TriviaError(f"there is no trivia round {round_id}")
        item = self._round_item(round)
        answer = item.answer
        citation: Citation | None = item.citation  # a quiz item says where it came from
        if citation is None:
            try:
                citation = self.course.fact(item.fact_id).citation
            except KeyError:
                citation = None
        index = None
        for i, c in enumerate(round.choices):
            if normalize(c) == normalize(answer):
                index = i
        stats = await self.store.round_stats(int(round_id))
        return Reveal(
            round=round,
            question=self.question(round).question,
            answer=answer,
            choices=tuple(round.choices),
            correct_index=index,
            citation=citation,
            answered=stats.answered,
            correct=stats.correct,
            awards=awards,
            first_time=first_time,
        )

    async def reveal(self, round_id: int) -> Reveal:
        """Close the round, award points (once) and return what to show."""
        awards = await self.store.reveal_round(int(round_id), self.scoring)
        return await self.build_reveal(
            int(round_id), awards=tuple(awards or ()), first_time=awards is not None
        )

    async def leaderboard(self, platform: str, guild_id: str, period: Period = "week", limit: int = 10) -> list[LeaderboardRow]:
        today = await self.local_today(platform, guild_id)
        return await self.store.leaderboard(platform, str(guild_id), period, limit, today=today)

    async def user_stats(self, platform: str, guild_id: str, user_id: str) -> UserStats:
        today = await self.local_today(platform, guild_id)
        return await self.store.user_stats(platform, str(guild_id), str(user_id), today=today)



__all__ = [
    "AnswerOrigin",
    "AnswerResult",
    "PostedRound",
    "SendQuestion",
    "Reveal",
    "RoundQuestion",
    "TriviaError",
    "TriviaService",
    "build_choices",
    "check_answer",
    "format_reveal_text",
    "fuzzy_match",
    "normalize",
    "parse_choice",
    "parse_dates",
    "parse_numbers",
    "parse_round_id",
    "scoring_from_settings",
    "select_item",
]
