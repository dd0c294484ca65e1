"""The reading timer of one pass: PassTimer is pure bookkeeping over an injected clock, so tests and snapshots
control time; PassClock shows it in the reader's header and says when its seconds are due to be stored."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.widgets import Static

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


class PassClock(Static):
    """Ticks each second; pauses when the reader is idle or the terminal loses focus, and then (or every
    FLUSH_SECONDS) posts Elapsed with the seconds to store. On leaving, the screen takes them with `elapsed()`
    directly: by then it handles no more messages."""

    class Elapsed(Message):
        """`seconds` more spent on pass `pass_no`, to add to what is stored."""

        def __init__(self, pass_no: int, seconds: float) -> None:
            super().__init__()
            self.pass_no, self.seconds = pass_no, seconds

    def __init__(self, timer: PassTimer, pass_no: int) -> None:
        super().__init__(_line(timer), id="reader-timer")
        self.timer, self.pass_no = timer, pass_no

    @classmethod
    def started(cls, clock: Callable[[], float], pass_no: int, stored: float, budget: float) -> PassClock:
        timer = PassTimer(clock, stored, budget)
        timer.start()
        return cls(timer, pass_no)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.watch(self.app, "app_focus", self._app_focus, init=False)

    def tick(self) -> None:
        timer = self.timer
        if timer.running and timer.idle():
            timer.pause(at=timer.last_activity)  # the idle minutes were not reading
            self._post_elapsed()
        if timer.pending() >= FLUSH_SECONDS:
            self._post_elapsed()
        self._show()

    def activity(self) -> None:
        """A key or mouse event anywhere in the reader."""
        if not self.timer.running:
            self.timer.activity()
            self._show()
        else:
            self.timer.last_activity = self.timer.clock()

    def resume(self) -> None:
        self.timer.activity()

    def pause(self) -> None:
        self.timer.pause()

    def elapsed(self) -> Elapsed | None:
        """Hand over the seconds not stored yet (the timer keeps running); None when there are none."""
        seconds = self.timer.take_pending()
        return self.Elapsed(self.pass_no, seconds) if seconds > 0 else None

    def _post_elapsed(self) -> None:
        if (elapsed := self.elapsed()) is not None:
            self.post_message(elapsed)

    def _app_focus(self, focused: bool) -> None:
        if focused:
            self.timer.activity()
        else:
            self.timer.pause()
            self._post_elapsed()
        self._show()

    def _show(self) -> None:
        self.update(_line(self.timer))


def _line(timer: PassTimer) -> str:
    # Plain words, no clock emoji: its width differs between terminals and would shift the header.
    return timer.display() + ("" if timer.running else " paused")


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
