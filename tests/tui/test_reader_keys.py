"""The reader's keys where a new user tripped: typing right after `/`, and Escape stepping out one level at a time.

Driven with Pilot on the bundled demo paper, so these run without ../shared.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea

from readroom import library, reading
from readroom.tui.app import ReadroomApp
from readroom.tui.reader.bindings import ESCAPE_RULE
from readroom.tui.reader.screen import ReaderScreen
from readroom.tui.reader.text import ReaderText
from readroom.tui.screens.help import HelpScreen
from readroom.tui.widgets.key_footer import KeyFooter
from tui.test_library_screen import loaded
from tui.test_open_paper import burst
from tui.test_reader import Host, notifications, opened, settle

SIZE = (80, 24)


async def test_keys_typed_right_after_slash_are_the_word_to_find():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        burst(pilot.app, ("slash", "/"), *[(c, c) for c in "kict"])  # k, i, c, t are reader keys
        await pilot.pause()
        find = screen.query_one("#reader-find", Input)
        assert find.value == "kict" and screen.focused is find
        assert notifications(pilot.app) == []  # no "select a passage first" from c
        await pilot.press("escape")
        assert isinstance(screen.focused, ReaderText) and pilot.app.screen is screen


async def test_keys_typed_right_after_w_are_the_note():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        burst(pilot.app, ("w", "w"), *[(c, c) for c in "kicw"])  # k, i, c are reader keys, w the key itself
        await pilot.pause()
        note = screen.query_one("#reader-notes", TextArea)
        assert note.text == "kicw" and screen.focused is note
        assert notifications(pilot.app) == []


async def test_slash_in_a_note_is_a_character():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        note = screen.query_one("#note-cs-category", Input)
        note.focus()
        await pilot.pause()
        await pilot.press(*"a/bw")
        assert note.value == "a/bw" and not screen.query_one("#reader-findbar").display


async def test_escape_steps_out_one_level_and_leaves_the_paper_only_from_the_text():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        for key, where in [("i", "reader-highlights"), ("r", "reader-references"), ("k", "reader-checklist"),
                           ("d", "decide-next"), ("w", "note-cs-category")]:
            if key == "w":
                screen.query_one("#note-cs-category").focus()
            else:
                await pilot.press(key)
            await pilot.pause()
            assert screen.focused.id == where
            await pilot.press("escape")
            await pilot.pause()
            assert pilot.app.screen is screen and isinstance(screen.focused, ReaderText), key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReaderScreen)


async def test_help_says_the_escape_rule():
    pid = library.ensure_demo().paper.id
    async with Host(pid).run_test(size=SIZE) as pilot:
        await opened(pilot)
        pilot.app.push_screen(HelpScreen(pilot.app.screen))
        await pilot.pause()
        assert ("Reader", ESCAPE_RULE, "reader.back") in [(g, d, i) for g, _, d, i in pilot.app.screen.rows]


async def test_at_80x24_the_footer_shows_decide_help_and_the_panel_key():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        screen = await opened(pilot)
        await pilot.pause()
        line = screen.query_one(KeyFooter).render().plain
        for shown in ("esc Back", "h Highlight", "c Card", "d Decide", "\\ Panel", "? Help", "^p palette"):
            assert shown in line
        assert "…" not in line


async def test_backslash_hides_the_side_panel_and_the_text_takes_its_width():
    pid = library.ensure_demo().paper.id
    reading.decide(pid, "next")  # in pass 2, so that `[` looks back at pass 1
    async with Host(pid).run_test(size=SIZE) as pilot:
        screen = await opened(pilot)
        text, panel = screen.query_one(ReaderText), screen.query_one("#reader-work")
        narrow = text.size.width
        screen.query_one("#reader-notes").focus()
        await pilot.pause()
        await pilot.press("escape", "backslash")  # from the text; from a box `\` would be a letter
        await pilot.pause()
        assert not panel.display and text.size.width >= narrow + 30 and screen.focused is text
        await pilot.press("w")  # a key that goes into the panel brings it back
        await pilot.pause()
        assert panel.display and screen.focused.id == "reader-notes"
        await pilot.press("escape", "backslash", "left_square_bracket")  # hidden it stays hidden across passes
        await settle(pilot)
        assert screen.looking_back and not screen.query_one("#reader-work").display
        text = screen.query_one(ReaderText)
        await pilot.press("backslash")
        await pilot.pause()
        assert screen.query_one("#reader-work").display and text.size.width == narrow


async def test_help_lists_the_reader_keys_first_then_the_global_ones():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await opened(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        groups = list(dict.fromkeys(group for group, *_ in pilot.app.screen.rows))
        assert groups[:2] == ["Reader", "Everywhere"]
        assert ("Reader", "\\", "reader.toggle_panel") in [(g, k, i) for g, k, _, i in pilot.app.screen.rows]
