"""The one-line footer: shows the keys of the focused screen, follows focus, and a click presses a key."""

from __future__ import annotations

from readroom import library
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.help import HelpScreen
from readroom.tui.widgets.key_footer import KeyFooter
from tui.test_library_screen import loaded


async def test_footer_lists_keys_and_a_click_presses_one():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        footer = screen.query_one(KeyFooter)
        await pilot.pause()
        line = footer.keys_line(80).plain
        for shown in ("⏎ Open", "a Add", "c Classics", "R Review", "? Help", "q Quit", "^p palette"):
            assert shown in line
        assert len(line) <= 80
        x = line.index("? Help") + 2
        await pilot.click(KeyFooter, offset=(x, 0))
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)


async def test_footer_follows_the_screen_and_its_focus():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("enter")  # open the demo paper in the reader
        for _ in range(50):
            await pilot.pause(0.02)
            if pilot.app.screen is not screen:
                break
        reader = pilot.app.screen
        await pilot.pause()
        line = reader.query_one(KeyFooter).keys_line(120).plain
        assert "h Highlight" in line and "c Card" in line and "a Add" not in line


async def test_at_80_columns_review_and_the_card_browser_leave_keys_out_whole_and_keep_help():
    """At 80x24 the review footer cut a key mid-word ("o Pa…") and the card browser's lost `? Help`: a key
    that does not fit is left out whole, `? Help` (which lists them all) stays, and wider shows them all."""
    from datetime import datetime, timezone

    from readroom.cards import service
    from readroom.tui.screens.card_browser import CardBrowserScreen
    from readroom.tui.screens.review import ReviewScreen

    service.add_note("qa", "What does S2ORC stand for?", "Semantic Scholar Open Research Corpus",
                     now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for screen_class, first_keys in ((ReviewScreen, ("^z Undo", "- Bury", "@ Suspend", "f Flag", "e Edit")),
                                     (CardBrowserScreen, ("/ Search", "e Edit", "s Suspend", "x Delete"))):
        for width in (80, 120):
            async with _StartingOn(screen_class).run_test(size=(width, 24)) as pilot:
                await pilot.pause()
                line = pilot.app.screen.query_one(KeyFooter).render().plain
                assert "…" not in line and len(line) <= width
                for shown in (*first_keys, "? Help", "^p palette"):
                    assert shown in line, (screen_class.__name__, width, line)
                if width == 120:
                    assert "esc Back" in line


class _StartingOn(ReadroomApp):
    def __init__(self, screen_class) -> None:
        self.screen_class = screen_class
        super().__init__()

    def get_default_screen(self):
        return self.screen_class()
