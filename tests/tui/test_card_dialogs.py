"""The two card dialogs (a new card from the reader, editing one in review or the browser) with Pilot: Anki's
ctrl+shift+c makes a cloze of the selection (ctrl+l too, for terminals that copy on it), and Escape asks before
dropping typed text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.app import App
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Selection

from readroom.cards import service
from readroom.tui.reader.dialogs import CardDialog, CardInput
from readroom.tui.widgets.card_editor import CardEditor, ConfirmDialog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PASSAGE = "Dropout drops units at random during training."


class Host(App):
    """An app that opens one dialog and keeps what it dismissed with."""

    def __init__(self, dialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def select(area: TextArea, word: str) -> None:
    at = area.text.index(word)
    doc = area.document
    area.selection = Selection(doc.get_location_from_index(at), doc.get_location_from_index(at + len(word)))


@pytest.mark.parametrize("key", ["ctrl+shift+c", "ctrl+l"])
async def test_anki_key_makes_a_cloze_of_the_selection_numbering_up(key):
    app = Host(CardDialog(PASSAGE))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        area = app.dialog.query_one("#card-cloze", TextArea)
        select(area, "units")
        await pilot.press(key)
        select(area, "random")
        await pilot.press(key)
        assert area.text == "Dropout drops {{c1::units}} at {{c2::random}} during training."
        await pilot.press("ctrl+s")
        assert app.results == [CardInput("cloze", area.text, "", [])]


async def test_escape_with_typed_text_asks_keep_editing_or_discard():
    app = Host(CardDialog(PASSAGE, kind="qa"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Why dropout?", "escape")
        assert isinstance(app.screen, ConfirmDialog) and app.results == []
        await pilot.press("escape")  # keep editing: back in the dialog, the question kept
        assert app.screen is app.dialog and app.dialog.query_one("#card-front", Input).value == "Why dropout?"
        await pilot.press("escape", "y")  # discard
        assert app.results == [None] and not isinstance(app.screen, (ConfirmDialog, CardDialog))


async def test_escape_with_nothing_typed_closes_at_once():
    app = Host(CardDialog(PASSAGE))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert app.results == [None]


async def test_card_editor_clozes_the_selection_and_asks_before_dropping_an_edit():
    (card,) = service.add_note("cloze", "Dropout drops {{c1::units}} at random.", now=NOW)
    app = Host(CardEditor(card, clock=lambda: NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        area = app.dialog.query_one("#editor-front", TextArea)
        select(area, "random")
        await pilot.press("ctrl+shift+c")
        assert area.text == "Dropout drops {{c1::units}} at {{c2::random}}."
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is app.dialog
        await pilot.press("ctrl+s")
        assert [c.ord for c in app.results[0]] == [1, 2]
        assert service.get_card(card.id).front == "Dropout drops {{c1::units}} at {{c2::random}}."
