"""The pass's checklist: going on with nothing ticked asks first; an unticked box is empty, a ticked one marked."""

from __future__ import annotations

from readroom import library, reading
from readroom.tui.reader.screen import ReaderScreen
from readroom.tui.widgets.card_editor import ConfirmDialog
from tui.test_reader import Host, opened, settle

SIZE = (120, 40)


async def test_going_on_with_nothing_ticked_asks_first():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("d", "enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.question == "You ticked none of pass 1's 6 items. Go on anyway?"
        await pilot.press("escape")  # keep reading
        await settle(pilot)
        assert pilot.app.screen is screen and screen.pass_no == 1
        assert reading.state(pid).pass_no == 1

        await pilot.press("d", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert screen.pass_no == 2
    assert reading.state(pid).pass_no == 2


async def test_going_on_with_one_item_ticked_does_not_ask():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        await pilot.press("k", "space", "d", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReaderScreen) and screen.pass_no == 2
    assert reading.state(pid).pass_no == 2
