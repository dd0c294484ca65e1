"""The one source of "now": aware UTC times. Tests install a FixedClock instead of patching datetime."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class Clock:
    """Anything whose now() gives an aware UTC datetime. (A base class, not typing.Protocol: importing typing
    costs `readroom list` a few milliseconds.)"""

    def now(self) -> datetime:
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock(Clock):
    """A clock that stands still until told to move (tests, benchmarks, replays)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock needs an aware datetime")
        self.at = at.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


_clock: Clock = SystemClock()


def now() -> datetime:
    """The current time, aware and in UTC, from the installed clock."""
    return _clock.now()


def now_seconds() -> datetime:
    """Now to the whole second: what the database keeps."""
    return _clock.now().replace(microsecond=0)


def install(clock: Clock | None) -> Clock:
    """Make `clock` the process's clock (None restores the system clock); returns the one it replaced."""
    global _clock
    previous, _clock = _clock, clock or SystemClock()
    return previous
