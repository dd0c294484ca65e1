"""The pass's checklist: going on with nothing ticked asks first; an unticked box is empty, a ticked one marked."""

from __future__ import annotations

import pytest

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


def _boxes(screen) -> list[tuple[bool, bool]]:
    """Per checklist line: (ticked, whether its box's glyph can be seen: drawn in another colour than its box)."""
    checklist = screen.query_one("#reader-checklist")
    seen = []
    for y, selection in enumerate(checklist.options):
        glyph = list(checklist.render_line(y))[1]
        assert glyph.text == "X"
        seen.append((selection.value in checklist.selected, glyph.style.color != glyph.style.bgcolor))
    return seen


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_an_unticked_box_is_empty_and_a_ticked_one_marked(theme):
    pid = library.ensure_demo().paper.id
    reading.tick(pid, 1, reading.plans()[1].items[1].id, True)
    async with Host(pid).run_test(size=SIZE) as pilot:
        pilot.app.theme = theme
        screen = await opened(pilot)
        await pilot.press("k")  # the first line highlighted: the highlighted variant is drawn too
        await pilot.pause()
        boxes = _boxes(screen)
        assert boxes[1] == (True, True)
        assert [seen for ticked, seen in boxes if not ticked] == [False] * (len(boxes) - 1)
