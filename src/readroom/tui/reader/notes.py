"""The note boxes of a pass: the five Cs (pass 1) or its questions, the section note (pass 3), free notes.

Each box knows the pass and slot it holds and posts NoteBox.Edited as it is typed in; the screen decides
when to save (after a pause in typing, on leaving the box, on leaving the paper).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input, Label, Static, TextArea

from readroom.reading import PassPlan, ReadingState
from readroom.tui.plain import plain

NOTES_SLOT = "notes"
SECTION_SLOT = "section:"


def slot_widget_id(slot: str) -> str:
    """A widget id for a note slot ("cs:category" -> "note-cs-category")."""
    return "note-" + re.sub(r"[^A-Za-z0-9_-]+", "-", slot).strip("-")


class NoteBox:
    """What both kinds of box share: the pass and slot they hold (None: not pointed at one yet)."""

    if TYPE_CHECKING:  # a mixin of widgets: these come from the widget it is mixed into
        id: str | None

        def post_message(self, message: Message) -> bool: ...

    class Edited(Message):
        def __init__(self, box_id: str, pass_no: int, slot: str, text: str) -> None:
            super().__init__()
            self.box_id, self.pass_no, self.slot, self.text = box_id, pass_no, slot, text

    pass_no: int
    slot: str | None

    def _edited(self, text: str) -> None:
        if self.slot is not None and self.id is not None:  # every box is built with an id
            self.post_message(NoteBox.Edited(self.id, self.pass_no, self.slot, text))


class NoteInput(NoteBox, Input):
    """A one-line note (the five Cs)."""

    def __init__(self, pass_no: int, slot: str, text: str, **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.pass_no, self.slot = pass_no, slot

    def on_input_changed(self, event: Input.Changed) -> None:
        self._edited(event.value)


class NoteArea(NoteBox, TextArea):
    """A note of several lines (the questions of passes 2 and 3, the section note, free notes)."""

    def __init__(self, pass_no: int, slot: str | None, text: str, **kwargs) -> None:
        super().__init__(text, soft_wrap=True, **kwargs)
        self.pass_no, self.slot = pass_no, slot

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._edited(self.text)

    def point_at(self, slot: str, text: str) -> None:
        """Hold another slot (the pass-3 section note follows the section being read)."""
        self.slot = slot
        self.load_text(text)


def slot_box(plan: PassPlan, state: ReadingState, slot) -> NoteInput | NoteArea:
    """Short notes (the five Cs) are one-line inputs; the longer ones of passes 2 and 3 are small text boxes."""
    text = state.note(plan.number, slot.slot)
    if plan.number == 1:
        return NoteInput(plan.number, slot.slot, text, placeholder=slot.hint, id=slot_widget_id(slot.slot),
                         classes="slot-note")
    area = NoteArea(plan.number, slot.slot, text, id=slot_widget_id(slot.slot), classes="slot-note",
                    show_line_numbers=False)
    area.placeholder = slot.hint
    return area


def earlier_notes(plans: dict[int, PassPlan], state: ReadingState, pass_no: int) -> str:
    """The answers of earlier passes (the five Cs, the thrust) to keep in view while reading on."""
    lines = []
    for number in range(1, pass_no):
        for slot in plans[number].notes:
            if text := state.note(number, slot.slot).strip():
                lines.append(f"{slot.label}: {text}")
    return "\n".join(lines)


def compose_notes(plan: PassPlan, state: ReadingState, earlier: str) -> ComposeResult:
    """The panel's notes, below the checklist: the pass's questions, earlier answers, section and free notes."""
    if plan.notes:
        yield Label("The five Cs" if plan.number == 1 else "Notes to answer", classes="panel-title")
        for slot in plan.notes:
            yield Label(slot.label, classes="slot-label")
            yield slot_box(plan, state, slot)
    if earlier:
        yield Label("From earlier passes", classes="panel-title")
        yield Static(plain(earlier, keep="\n"), id="reader-earlier", classes="muted")
    if plan.number == 3:
        yield Label("", classes="panel-title", id="section-note-title")
        yield NoteArea(plan.number, None, "", id="reader-section-note", classes="slot-note")
    yield Label("Notes", classes="panel-title")
    yield NoteArea(plan.number, NOTES_SLOT, state.note(plan.number, NOTES_SLOT), id="reader-notes")
