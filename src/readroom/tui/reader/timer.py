"""The reading timer of one pass: PassTimer is pure bookkeeping over an injected clock, so tests and snapshots
control time; PassClock shows it in the reader's header and says when its seconds are due to be stored.

Time in the PDF viewer opened with `o` counts: while its process runs, neither the idle pause nor the terminal
losing focus stops the timer. A viewer that hands the file to one already running and exits at once (xdg-open,
macOS open) cannot be watched; then the time counts until the user comes back (a key, the mouse, the terminal
focused again). Either way at most VIEWER_SECONDS at a stretch without a sign of the user, so a viewer left open
overnight does not add a night to the pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.message import Message
from textual.widgets import Static

IDLE_SECONDS = 120.0  # no key or mouse for this long = the reader has walked away
FLUSH_SECONDS = 30.0  # store at least this often, so a crash loses little
VIEWER_SECONDS = 3600.0  # the longest stretch the viewer counts without a key or the mouse in the reader
DETACH_SECONDS = 5.0  # a viewer process gone this soon handed the file on (or failed): it was not closed after use


class Process(Protocol):
    def poll(self) -> int | None: ...


class PassTimer:
    """Time spent on a pass: `stored` seconds already in the database plus the running, unsaved part."""

    def __init__(self, clock: Callable[[], float], stored: float, budget: float) -> None:
        self.clock = clock
        self.stored = stored
        self.budget = budget
        self.unsaved = 0.0
        self._since: float | None = None  # clock reading when the current run started; None = paused
        self.last_activity = clock()
        self.nudged = self.over_budget()  # the over-budget nudge is said once, when the budget is passed
        self._viewer: Process | None = None  # the PDF viewer opened with `o`, while it holds the timer
        self._viewer_since = 0.0  # when it was opened (or, later, when the user was last seen with it open)
        self._viewer_gone: float | None = None  # when its process was first seen gone

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
        """A key or mouse event: the reader is here; resume if idle paused us. A viewer that detached has
        done its part; one still running counts on, its stretch starting again now."""
        self.last_activity = self._viewer_since = self.clock()
        if self._viewer is not None and self._viewer.poll() is not None:
            self._viewer = None
        self.start()

    def viewer_opened(self, process: Process) -> None:
        self.activity()
        self._viewer, self._viewer_gone = process, None

    def held(self) -> bool:
        """Whether the PDF viewer keeps the timer running (see the module's note); while it does, the idle
        minutes are counted from now, so they start when it lets go."""
        if self._viewer is None:
            return False
        now = self.clock()
        if self._viewer.poll() is not None and self._viewer_gone is None:
            self._viewer_gone = now
        closed_after_use = self._viewer_gone is not None and self._viewer_gone - self._viewer_since > DETACH_SECONDS
        if closed_after_use or now - self._viewer_since >= VIEWER_SECONDS:
            self.last_activity = max(self.last_activity, min(now, self._viewer_since + VIEWER_SECONDS))
            self._viewer = None
            return False
        self.last_activity = now
        return True

    def idle(self) -> bool:
        return not self.held() and self.clock() - self.last_activity >= IDLE_SECONDS

    def over_budget(self) -> bool:
        return 0 < self.budget < self.total()

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
        super().__init__(_line(timer), id="reader-timer", classes="over-budget" if timer.over_budget() else None)
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
        away = not timer.held() and not self.app.app_focus  # the viewer let go while another window has the focus
        if timer.running and (away or timer.idle()):
            timer.pause(at=timer.last_activity)  # the idle minutes were not reading
            self._post_elapsed()
        if timer.pending() >= FLUSH_SECONDS:
            self._post_elapsed()
        self._show()

    def activity(self) -> None:
        """A key or mouse event anywhere in the reader."""
        paused = not self.timer.running
        self.timer.activity()
        if paused:
            self._show()

    def viewer_opened(self, process: Process) -> None:
        self.timer.viewer_opened(process)
        self._show()

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
        elif not self.timer.held():  # the viewer taking the focus is reading on
            self.timer.pause()
            self._post_elapsed()
        self._show()

    def _show(self) -> None:
        timer = self.timer
        over = timer.over_budget()
        self.set_class(over, "over-budget")
        self.update(_line(timer))
        if over and not timer.nudged:
            timer.nudged = True
            self.notify(f"Over the pass-{self.pass_no} budget: press {self._decide_key()} to decide.", timeout=10)

    def _decide_key(self) -> str:
        """The decide key as the user has it (remapped in [keys] or not)."""
        for active in self.screen.active_bindings.values():
            if active.binding.id == "reader.decide":
                return self.app.get_key_display(active.binding)
        return "d"


def _line(timer: PassTimer) -> str:
    # Plain words, no clock emoji: its width differs between terminals and would shift the header.
    return timer.display() + (" over" if timer.over_budget() else "") + ("" if timer.running else " paused")


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
