"""Checking a typed trivia answer: normalising, typo-tolerant matching, numbers, years and dates."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import OSA

from bot.core.models import AnswerType, TriviaItem

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
    y2: int | None = int(numeric.group(3)) if numeric.group(3) else None
    if y2 is not None and y2 < 100:
        y2 += 1900 if y2 >= 30 else 2000
    out: set[tuple[int, int, int | None]] = set()
    if _valid(b, a):
        out.add((b, a, y2))  # day/month
    if _valid(a, b):
        out.add((a, b, y2))  # month/day
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
        dates: set[tuple[int, int, int | None]] = set().union(*(parse_dates(e) for e in expected))
        if dates:
            readings = parse_dates(given)
            return any(
                gm == tm and gd == td and (gy is None or ty is None or gy == ty)
                for gm, gd, gy in readings
                for tm, td, ty in dates
            )
    g = normalize(given)
    names = kind is AnswerType.NAME
    return any(fuzzy_match(g, normalize(e), drop_initials=names) for e in expected)


__all__ = [
    "check_answer",
    "expected_answers",
    "fuzzy_match",
    "max_typos",
    "normalize",
    "parse_dates",
    "parse_numbers",
]
