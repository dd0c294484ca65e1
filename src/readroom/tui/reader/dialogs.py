"""The reader's two dialogs: mark a highlight (`h`) and make a card from one (`c`).

Both only collect what the user typed and dismiss with it; the reader does the writing, off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea

from readroom import cloze
from readroom.cards.service import HIGHLIGHT_KINDS
from readroom.tui.widgets.card_editor import CLOZE_KEYS, cloze_selection, drop_or_ask

QUOTE_CHARS = 300


@dataclass(frozen=True)
class HighlightInput:
    kind: str | None
    note: str | None


@dataclass(frozen=True)
class CardInput:
    kind: str  # "cloze" or "qa"
    front: str  # the question, or the cloze text
    back: str
    tags: list[str]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…") + "”"


class HighlightDialog(ModalScreen[HighlightInput | None]):
    """What kind of passage this is and an optional note. Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="highlight.cancel")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="highlight-box", classes="dialog-box"):
            yield Label("Highlight", classes="dialog-title")
            yield Static(_quote(self.text), classes="dialog-quote", markup=False)
            with RadioSet(id="highlight-kind"):
                yield RadioButton("plain", value=True)
                for kind in HIGHLIGHT_KINDS:
                    yield RadioButton(kind)
            yield Input(placeholder="a note (optional)", id="highlight-note")
            yield Static("Tab goes to the kinds: arrows and space pick one. Enter saves, Escape cancels.",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#highlight-note", Input).focus()

    @on(Input.Submitted, "#highlight-note")
    def _save(self) -> None:
        index = self.query_one("#highlight-kind", RadioSet).pressed_index
        kind = HIGHLIGHT_KINDS[index - 1] if index > 0 else None
        note = self.query_one("#highlight-note", Input).value.strip() or None
        self.dismiss(HighlightInput(kind, note))

    def key_enter(self) -> None:
        self._save()  # Enter anywhere in the dialog (on the kind list too) saves

    def action_cancel(self) -> None:
        self.dismiss(None)


class CardDialog(ModalScreen[CardInput | None]):
    """A cloze of the passage (select words, ctrl+l hides them) or a question whose answer is the passage."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="card.save"),
        Binding(CLOZE_KEYS, "hide", "Hide selection", key_display="^l", id="card.cloze"),
        Binding("escape", "cancel", "Cancel", id="card.cancel"),
    ]

    def __init__(self, text: str, kind: str = "cloze") -> None:
        super().__init__()
        self.text = text
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(id="card-box", classes="dialog-box"):
            yield Label("New card", classes="dialog-title")
            with RadioSet(id="card-kind"):
                yield RadioButton("Cloze", value=self.kind == "cloze", id="card-kind-cloze")
                yield RadioButton("Question and answer", value=self.kind == "qa", id="card-kind-qa")
            with Vertical(id="card-cloze-part"):
                yield Static("Select what to hide and press ctrl+l (or ctrl+shift+c, as in Anki); again for the next "
                         "card ({{c2::…}}).",
                             classes="dialog-hint", markup=False)
                yield TextArea(self.text, id="card-cloze", soft_wrap=True, show_line_numbers=False)
            with Vertical(id="card-qa-part"):
                yield Input(placeholder="the question", id="card-front")
                yield TextArea(self.text, id="card-back", soft_wrap=True, show_line_numbers=False)
            yield Input(placeholder="tags (optional), separated by spaces", id="card-tags")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="card-save", variant="primary")
                yield Button("Cancel (esc)", id="card-cancel")

    def on_mount(self) -> None:
        self._show_kind()

    @on(RadioSet.Changed, "#card-kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        self.kind = "qa" if event.pressed.id == "card-kind-qa" else "cloze"
        self._show_kind()

    def _show_kind(self) -> None:
        self.query_one("#card-cloze-part").display = self.kind == "cloze"
        self.query_one("#card-qa-part").display = self.kind == "qa"
        self.query_one("#card-cloze" if self.kind == "cloze" else "#card-front").focus()

    def action_hide(self) -> None:
        """Wrap the cloze box's selection in the next deletion number, as Anki's ctrl+shift+c does."""
        if self.kind != "cloze":
            return
        cloze_selection(self, self.query_one("#card-cloze", TextArea))

    @on(Button.Pressed, "#card-save")
    def action_save(self) -> None:
        tags = self.query_one("#card-tags", Input).value.split()
        if self.kind == "cloze":
            text = self.query_one("#card-cloze", TextArea).text.strip()
            if not cloze.card_numbers(text):
                self.notify("Hide at least one part: select it and press ctrl+l.", severity="warning")
                return
            self.dismiss(CardInput("cloze", text, "", tags))
            return
        front = self.query_one("#card-front", Input).value.strip()
        if not front:
            self.notify("Write the question first.", severity="warning")
            self.query_one("#card-front", Input).focus()
            return
        self.dismiss(CardInput("qa", front, self.query_one("#card-back", TextArea).text.strip(), tags))

    @on(Button.Pressed, "#card-cancel")
    def action_cancel(self) -> None:
        typed = (self.query_one("#card-cloze", TextArea).text != self.text
                 or self.query_one("#card-back", TextArea).text != self.text
                 or any(self.query_one(f"#card-{name}", Input).value.strip() for name in ("front", "tags")))
        drop_or_ask(self, typed)
