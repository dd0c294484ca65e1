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
