"""Time, injectable: the engine asks a Clock, never the system directly, so tests never sleep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None):
        start = start or datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware datetime")
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """advance(timedelta(minutes=5)) or advance(minutes=5)."""
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


class FileClock:
    """A test hook (CLASSBOT_TEST_CLOCK_FILE): the time is the ISO instant written in a file, read
    at every call, so a test can move the clock of a bot running in another process. Not for
    production: a missing or unreadable file falls back to the system clock."""

    def __init__(self, path: str):
        self.path = path

    def now(self) -> datetime:
        try:
            with open(self.path, encoding="utf-8") as f:
                when = datetime.fromisoformat(f.read().strip())
        except (OSError, ValueError):
            return datetime.now(UTC)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone ("Europe/Paris"), not a folder of them ("America")."""
    if not name or name != name.strip() or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


__all__ = ["Clock", "FileClock", "SystemClock", "FakeClock", "valid_timezone"]
