"""`/` in the reader: every match of a word painted in the text, the cursor stepped through them with n / N."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from readroom.tui.reader.document import ReaderDocument
from readroom.tui.reader.text import MATCH, ReaderText


class FindBar(Horizontal):
    """Hidden until `/`; drives the text view it was given (its sibling, composed with it by the screen)."""

    def __init__(self, document: ReaderDocument, view: ReaderText) -> None:
        super().__init__(id="reader-findbar")
        self.document, self.view = document, view
        self.matches: list[tuple[int, int]] = []
        self.match_index = -1

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find in text", id="reader-find")
        yield Label("", id="reader-find-count")

    def open(self) -> None:
        self.display = True
        # Focused now, not after a refresh as Widget.focus does: keys typed right after `/` (queued behind it)
        # are then letters in the box, not commands of the reader.
        self.screen.set_focus(self.query_one("#reader-find", Input))

    def close(self) -> None:
        """Back to the text; the bar stays in view while there are matches to step through."""
        self.display = bool(self.matches)
        self.view.focus()

    @on(Input.Changed, "#reader-find")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.matches = self.document.find_all(event.value)
        self.view.set_spans(MATCH, self.matches)
        here = self.view.plain.get_index_from_location(self.view.selection.start)
        self.match_index = next((i for i, (s, _) in enumerate(self.matches) if s >= here), 0) - 1
        self.step(1)

    @on(Input.Submitted, "#reader-find")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
        self.screen.refresh_bindings()  # n and N are offered only while there are matches

    def step(self, step: int) -> None:
        count = self.query_one("#reader-find-count", Label)
        if not self.matches:
            count.update("no match" if self.query_one("#reader-find", Input).value else "")
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        self.view.select_range(*self.matches[self.match_index])
        count.update(f"{self.match_index + 1}/{len(self.matches)}  n / N next, previous")
