"""Stats: the same report as `readroom stats` (cards/stats.py), with its bars in the theme's colours. The report is
counted on a thread (a quarter of a second at 1M cards, a second the first time in a process): the screen draws at
once with a "Counting" line, and its keys work meanwhile."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from readroom import clock as readroom_clock
from readroom.cards import stats
from readroom.errors import ReadroomError
from readroom.tui.widgets.key_footer import KeyFooter

STATS_BINDINGS = [
    Binding("r", "reload", "Reload", id="stats.reload"),
    Binding("escape,q", "back", "Back", key_display="esc", id="stats.back"),
]

_BARS = re.compile(f"[{stats.BLOCKS.strip()}]+")
_HEADINGS = ("True retention", "Reviews per day", "Due in the next", "Cards by state", "Streak")


class StatsScreen(Screen):
    BINDINGS = [*STATS_BINDINGS]
    HELP_TITLE = "Stats"
    DEFAULT_CSS = """
    #stats-top { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    #stats-body { height: 1fr; padding: 1 2; }
    #stats-report { height: auto; }
    """

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(id="stats")
        self.clock = clock or readroom_clock.now
        self.report: stats.Stats | None = None
        self._left = False  # another screen was pushed over this one since it last loaded
        self._lines: list[str] = []  # the report as drawn, kept so a theme change can repaint its bars

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-top")
        with VerticalScroll(id="stats-body"):
            yield Static("Counting your reviews...", id="stats-report")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_reload()
        # The bars carry the theme's primary colour in their text, which CSS does not restyle: repaint on a change.
        self.watch(self.app, "theme", lambda _name: self._paint(), init=False)

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Back from another screen (a review, say): the numbers moved. Not on the first push, which also resumes
        # the screen right after on_mount loaded it (that read the database twice).
        if self._left:
            self._left = False
            self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#stats-top", Static).update("Stats · counting...")
        self._count(self.clock(), max(40, self.app.size.width - 6))

    @work(thread=True, exclusive=True, group="stats-load", exit_on_error=False)
    def _count(self, now: datetime, width: int) -> None:
        try:
            report = stats.collect(now)
            lines = stats.chart_lines(report, width)
        except ReadroomError as exc:
            failed = exc.message
        except Exception as exc:  # a bug in counting must not take the app down: say it, keep going
            failed = f"The stats could not be counted: {type(exc).__name__}"
        else:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show, report, lines)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._failed, failed)

    def _show(self, report: stats.Stats, lines: list[str]) -> None:
        if not self.is_attached:  # closed while it counted
            return
        self.report, self._lines = report, lines
        self._paint()
        self.query_one("#stats-top", Static).update(f"Stats · study day {report.today:%a %d %b %Y}")

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.notify(message, severity="error", markup=False)
        self.query_one("#stats-report", Static).update(Text(message))  # stays after the notice fades
        self.query_one("#stats-top", Static).update("Stats")

    def _paint(self) -> None:
        if not self._lines:  # still counting: the "Counting" line stays
            return
        self.query_one("#stats-report", Static).update(self._coloured(self._lines))

    def _coloured(self, lines: list[str]) -> Text:
        accent = self.app.current_theme.primary or "blue"
        text = Text()
        for line in lines:
            row = Text(line + "\n", style="bold" if line.startswith(_HEADINGS) else "")
            for match in _BARS.finditer(line):
                row.stylize(accent, match.start(), match.end())
            text.append_text(row)
        return text

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
