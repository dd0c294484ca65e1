"""Delete on a library row removes the paper after asking, and says, as `readroom remove` does, that its cards are
kept."""

from __future__ import annotations

from textual.widgets import Label

from export.kit import NOW, store_paper
from readroom import library
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.widgets.card_editor import ConfirmDialog
from tui.test_library_screen import loaded, titles, wait_until


async def test_delete_asks_names_the_cards_kept_and_removes_the_paper():
    paper_id = store_paper("Deep Residual Learning for Image Recognition", ["Kaiming He"], 2015,
                           arxiv_id="1512.03385")
    [card] = service.add_note("qa", "What do residual layers learn?", "F(x) = H(x) - x", now=NOW, paper_id=paper_id)
    service.answer(card.id, 3, NOW)
    async with ReadroomApp().run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        dialog = pilot.app.screen
        shown = " ".join(str(label.render()) for label in dialog.query(Label))
        assert "Remove “Deep Residual Learning for Image Recognition” and its PDF?" in shown
        assert "Its 1 card (1 review) stay, still reviewed and exported" in shown
        await pilot.press("escape")  # no is the default: nothing removed
        await wait_until(pilot, lambda: pilot.app.screen is screen)
        assert len(library.list_papers()) == 1
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: pilot.app.screen is screen and not titles(screen))
    assert library.list_papers() == []
    assert [c.paper_id for c in service.list_cards()] == [None]
