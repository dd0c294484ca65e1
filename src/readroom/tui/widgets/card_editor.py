"""A modal editor for one card's note: its front (question or cloze text), back and tags.

Used by the review screen (`e`, and when a card turns leech) and the card browser. It saves through
service.edit_note itself, so a mistake (a cloze left without a deletion) is said here and the text is kept;
it dismisses with the note's cards after the edit, or None when cancelled. Also the yes/no dialog both use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea
from textual.widgets.text_area import Document

from readroom import clock as readroom_clock
from readroom import cloze as cloze_text
from readroom.cards import service
from readroom.cards.service import CardView
from readroom.errors import ReadroomError
from readroom.tui.plain import plain

# Anki's editor key; many terminals keep ctrl+shift+c for copy, so ctrl+l does the same and is the one shown.
CLOZE_KEYS = "ctrl+shift+c,ctrl+l"

EDITOR_BINDINGS = [
    Binding("ctrl+s", "save", "Save", id="editor.save"),
    Binding(CLOZE_KEYS, "cloze", "Cloze selection", key_display="^l", id="editor.cloze"),
    Binding("escape", "cancel", "Cancel", id="editor.cancel"),
]


class CardEditor(ModalScreen[list[CardView] | None]):
    BINDINGS = [*EDITOR_BINDINGS]
    HELP_TITLE = "Card editor"
    DEFAULT_CSS = """
    CardEditor { align: center middle; }
    #editor-box {
        width: 90%; max-width: 100; height: auto; max-height: 100%;
        padding: 0 1; border: round $primary; background: $panel;
    }
    #editor-box TextArea { height: 5; }
    #editor-box #editor-back { height: 4; }
    #editor-box Label.field { color: $text-muted; }
    #editor-box #editor-error { color: $text-error; height: auto; width: 100%; }
    #editor-box #editor-reason { color: $text-warning; height: auto; width: 100%; margin-bottom: 1; }
    #editor-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    #editor-buttons Button { margin-left: 1; }
    """

    def __init__(self, card: CardView, *, clock: Callable[[], datetime] | None = None, reason: str = "") -> None:
        super().__init__()
        self.card = card
        self.clock = clock or readroom_clock.now
        self.reason = reason  # why it opened on its own (a leech), shown above the fields

    def compose(self) -> ComposeResult:
        card = self.card
        cloze = card.kind == "cloze"
        with Vertical(id="editor-box"):
            title = f"Edit card {card.short_id}" + (f" · cloze {card.ord}" if cloze else "")
            yield Label(title, classes="dialog-title", markup=False)
            if self.reason:
                yield Label(plain(self.reason, keep="\n"), id="editor-reason")
            yield Label("Cloze text: {{c1::answer}} or {{c1::answer::hint}}; select words and ctrl+l (ctrl+shift+c) "
                        "to hide them" if cloze else "Question",
                        classes="field", markup=False)
            yield TextArea(card.front, id="editor-front", soft_wrap=True)
            yield Label("Extra (shown with the answer)" if cloze else "Answer", classes="field")
            yield TextArea(card.back, id="editor-back", soft_wrap=True)
            yield Label("Tags (space or comma separated)", classes="field")
            yield Input(" ".join(card.tags), id="editor-tags", compact=True)
            yield Label("", id="editor-error")
            with Horizontal(id="editor-buttons"):
                # Every dialog: the action first, Cancel last (tests/tui/test_dialog_buttons.py says why)
                yield Button("Save (ctrl+s)", id="editor-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="editor-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#editor-front", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "editor-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        front = self.query_one("#editor-front", TextArea).text
        back = self.query_one("#editor-back", TextArea).text
        tags = self.query_one("#editor-tags", Input).value.replace(",", " ").split()
        try:
            # Only what the user changed: a tag another process added meanwhile (leech) stays.
            cards = service.edit_note(self.card.note_id, now=self.clock(), front=_changed(front, self.card.front),
                                      back=_changed(back, self.card.back), tags=_changed(tags, self.card.tags))
        except ReadroomError as exc:
            self.query_one("#editor-error", Label).update(plain(exc.message))
            return
        self.dismiss(cards)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return action != "cloze" or self.card.kind == "cloze"

    def action_cloze(self) -> None:
        if self.card.kind == "cloze":
            cloze_selection(self, self.query_one("#editor-front", TextArea))

    def action_cancel(self) -> None:
        front = self.query_one("#editor-front", TextArea).text
        back = self.query_one("#editor-back", TextArea).text
        tags = self.query_one("#editor-tags", Input).value.replace(",", " ").split()
        drop_or_ask(self, (front, back, tags) != (self.card.front, self.card.back, self.card.tags))


def cloze_selection(screen: ModalScreen, area: TextArea) -> None:
    """Wrap the area's selection in the next cloze number ({{c1::…}}, then c2 …), as Anki's editor does."""
    start_loc, end_loc = sorted((area.selection.start, area.selection.end))
    doc = area.document
    assert isinstance(doc, Document)  # a plain TextArea's; typed as DocumentBase, which has no offset lookups
    start, end = doc.get_index_from_location(start_loc), doc.get_index_from_location(end_loc)
    if start == end:
        screen.notify("Select the words to hide first (shift+arrows or the mouse).", severity="warning")
        return
    area.load_text(cloze_text.add_deletion(area.text, start, end))
    area.focus()


def drop_or_ask(screen: ModalScreen, typed: bool) -> None:
    """Escape in a card dialog: close it, but ask first when it holds typed text, so no half-written card is lost."""
    if not typed:
        screen.dismiss(None)
        return
    def answered(discard: bool | None) -> None:
        if discard:
            screen.dismiss(None)

    screen.app.push_screen(ConfirmDialog("Discard this card?", "What you typed in it is lost.", yes="Discard (y)",
                                         no="Keep editing (esc)"), answered)


def _changed(value, opened):
    return None if value == opened else value


CONFIRM_BINDINGS = [
    Binding("y", "yes", "Yes", id="confirm.yes"),
    Binding("n,escape", "no", "No", id="confirm.no"),
]


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question (delete this card?); no is the default (escape). Subclasses change the keys."""

    BINDINGS = [*CONFIRM_BINDINGS]
    HELP_TITLE = "Confirm"
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    #confirm-box { width: 66; max-width: 95%; height: auto; padding: 0 2; border: round $error; background: $panel; }
    #confirm-detail { width: 100%; color: $text-muted; margin: 1 0; height: auto; max-height: 9; }
    #confirm-buttons { height: 1; width: auto; }
    #confirm-buttons Button { margin: 0 1; }
    """

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes (y)", no: str = "No (esc)") -> None:
        super().__init__()
        self.question, self.detail, self.yes, self.no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(plain(self.question), classes="dialog-title")
            yield Label(plain(self.detail, keep="\n"), id="confirm-detail")
            with Center():
                with Horizontal(id="confirm-buttons"):
                    yield Button(self.yes, id="confirm-yes", variant="error", compact=True)
                    yield Button(self.no, id="confirm-no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
