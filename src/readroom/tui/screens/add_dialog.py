"""The box `a` opens: one line that takes whatever `readroom add` takes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from readroom.errors import ReadroomError
from readroom.tui.screens.add_request import AddRequest, parse_add_input

EXAMPLES = "1512.03385 · arxiv.org/abs/… · 10.48550/arXiv.1512.03385 · ~/paper.pdf · https://…/x.pdf · resnet"


class AddDialog(ModalScreen[AddRequest | None]):
    """Dismisses with the parsed request, or None on Escape. A typo is reported here and the box stays open."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="add.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="add-box"):
            yield Label("Add papers", classes="dialog-title")
            yield Input(placeholder="arXiv id, URL, DOI, PDF path or classic name; --tag T", id="add-input")
            yield Label(EXAMPLES, classes="dialog-hint")
            yield Label("Several at once: separate with spaces. Enter adds, Escape cancels.", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            request = parse_add_input(event.value)
        except ReadroomError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)
