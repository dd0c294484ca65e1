"""One line that shows what the add worker is doing: the step, and a bar while downloading or parsing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from readroom.tui.plain import plain


class AddActivityLine(Horizontal):
    """Hidden while nothing is being added; follows the app's `add_activity` reactive."""

    def compose(self) -> ComposeResult:
        yield Label("", id="add-text")
        yield ProgressBar(show_eta=False, id="add-bar")

    def on_mount(self) -> None:
        self.watch(self.app, "add_activity", self._show)

    def _show(self, activity) -> None:
        self.display = activity is not None
        if activity is None:
            return
        self.query_one("#add-text", Label).update(plain(activity.text))  # it names the query
        bar = self.query_one("#add-bar", ProgressBar)
        # No total yet (asking arXiv, copying): an indeterminate bar says "working" without lying.
        bar.update(total=activity.total if activity.total else None, progress=activity.done or 0)
