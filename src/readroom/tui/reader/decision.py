"""The decision at the end of the panel: go on to the next pass, park or drop (with a reason), or resume.

A button posts Decision.Decided; the screen records it. Looking back at an earlier pass there is nothing to
decide, only where the paper is.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from readroom.reading import ReadingState
from readroom.tui.plain import plain


class Decision(Vertical):
    DEFAULT_CSS = "Decision { height: auto; }"

    class Decided(Message):
        def __init__(self, decision: str, reason: str | None) -> None:
            super().__init__()
            self.decision, self.reason = decision, reason

    def __init__(self, state: ReadingState, looking_back_at: int | None = None) -> None:
        super().__init__(id="reader-decision")
        self.state = state
        self.looking_back_at = looking_back_at

    def compose(self) -> ComposeResult:
        state = self.state
        yield Label("Decision", classes="panel-title")
        if self.looking_back_at is not None:
            yield Static(f"Looking back at pass {self.looking_back_at}; ] goes on to pass {state.pass_no}, "
                         "where the paper is.", id="decision-status", classes="muted")
            return
        yield Static(plain(decision_line(state)), id="decision-status", classes="muted")
        yield Input(state.reason or "", placeholder="reason (for park or drop)", id="reader-reason")
        next_label = "Done: finished pass 3" if state.pass_no == 3 else f"Go on to pass {state.pass_no + 1}"
        buttons = [Button(next_label, id="decide-next", variant="primary"), Button("Park for later", id="decide-park"),
                   Button("Drop it", id="decide-drop", variant="error")]
        if state.decision != "reading":
            buttons.append(Button("Resume reading", id="decide-resume"))
        yield Vertical(*buttons, id="decision-buttons")

    @on(Button.Pressed, "#decision-buttons Button")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        reason = self.query_one("#reader-reason", Input).value.strip() or None
        self.post_message(self.Decided((event.button.id or "").removeprefix("decide-"), reason))


def decision_line(state: ReadingState) -> str:
    if state.decision == "reading":
        return f"Reading, pass {state.pass_no}."
    return state.decision.capitalize() + (f": {state.reason}" if state.reason else ".")
