"""Every dialog puts its buttons in one order: the action first (Save, Export, Yes), Cancel last.

Chosen as Anki's own windows do it (Add before Close, Save before Cancel on Linux and Windows) and as Tab walks a
form in a terminal: from the last field, the first button reached is the one that does the thing.
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Button

from readroom import clock
from readroom.cards import service


def _editor():
    from readroom.tui.widgets.card_editor import CardEditor

    note = service.add_note("qa", "Which pass re-derives?", "the third", now=clock.now_seconds())
    return CardEditor(service.get_card(note[0].id))


def _confirm():
    from readroom.tui.widgets.card_editor import ConfirmDialog

    return ConfirmDialog("Drop the half-typed card?")


def _export():
    from readroom.tui.screens.export import ExportScreen

    return ExportScreen()


def _card_dialog():
    from readroom.tui.reader.dialogs import CardDialog

    return CardDialog("Pass one reads the title, abstract and headings.")


def _password():
    from readroom.tui.screens.sync_dialog import PasswordDialog

    return PasswordDialog("http://127.0.0.1:8080", "reader")


def _full_sync():
    from readroom.tui.screens.sync_dialog import FullSyncDialog

    return FullSyncDialog("http://127.0.0.1:8080")


@pytest.mark.parametrize("dialog", [_editor, _confirm, _export, _card_dialog, _password, _full_sync])
async def test_the_action_comes_first_and_cancel_last(dialog):
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(dialog())
        await pilot.pause()
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert len(labels) >= 2
        assert labels[-1].startswith(("Cancel", "No")), labels
        assert not any(label.startswith(("Cancel", "No")) for label in labels[:-1]), labels
