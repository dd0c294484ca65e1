"""The reading timer of one pass: pure bookkeeping over an injected clock, so tests and snapshots control time."""

from __future__ import annotations

from collections.abc import Callable

IDLE_SECONDS = 120.0  # no key or mouse for this long = the reader has walked away
FLUSH_SECONDS = 30.0  # store at least this often, so a crash loses little


class PassTimer:
    """Time spent on a pass: `stored` seconds already in the database plus the running, unsaved part."""

    def __init__(self, clock: Callable[[], float], stored: float, budget: float) -> None:
        self.clock = clock
        self.stored = stored
        self.budget = budget
        self.unsaved = 0.0
        self._since: float | None = None  # clock reading when the current run started; None = paused
        self.last_activity = clock()

    @property
    def running(self) -> bool:
        return self._since is not None

    def start(self) -> None:
        if self._since is None:
            self._since = self.clock()

    def pause(self, at: float | None = None) -> None:
        """Stop counting, as of `at` (default now): an idle pause is dated back to the last activity."""
        if self._since is not None:
            end = self.clock() if at is None else at
            self.unsaved += max(0.0, end - self._since)
            self._since = None

    def activity(self) -> None:
        """A key or mouse event: the reader is here; resume if idle paused us."""
        self.last_activity = self.clock()
        self.start()

    def idle(self) -> bool:
        return self.clock() - self.last_activity >= IDLE_SECONDS

    def pending(self) -> float:
        """Seconds not yet stored, the running part included."""
        running = max(0.0, self.clock() - self._since) if self._since is not None else 0.0
        return self.unsaved + running

    def take_pending(self) -> float:
        """Hand over the unsaved seconds for storing; the timer keeps running."""
        seconds = self.pending()
        self.unsaved = 0.0
        if self._since is not None:
            self._since = self.clock()
        self.stored += seconds
        return seconds

    def total(self) -> float:
        return self.stored + self.pending()

    def display(self) -> str:
        return f"{format_duration(self.total())} / {format_duration(self.budget)}"


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
