"""The card browser with Pilot: search as you type, filters, edit, delete (after asking), suspend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import DataTable, Select, TextArea

from readroom import cli, library
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.screens.card_browser import CardBrowserScreen, ConfirmDialog
from readroom.tui.widgets.card_editor import CardEditor

SIZE = (80, 24)
NOW = datetime.now(timezone.utc) - timedelta(hours=1)


class Host(ReadroomApp):
    def get_default_screen(self):
        return CardBrowserScreen()


@pytest.fixture
def cards(real_papers) -> dict[str, int]:
    assert cli.main(["add", str(real_papers[0])]) == 0
    paper = library.list_papers()[0].id
    made = {
        "s2orc": service.add_note("qa", "What does S2ORC stand for?", "Semantic Scholar Open Research Corpus",
                                  now=NOW, paper_id=paper, tags=["datasets"])[0].id,
        "adam": service.add_note("qa", "What does Adam keep per weight?", "two moment estimates", now=NOW,
                                 tags=["optim"])[0].id,
        "resnet": service.add_note("cloze", "ResNets add {{c1::the input}} to the block's output", now=NOW,
                                   tags=["optim"])[0].id,
    }
    service.answer(made["adam"], 4, NOW)  # in review
    return made


def rows(screen) -> list[str]:
    table = screen.query_one("#cards-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def read(app, pilot) -> None:
    """Until the rows (read in a thread) are drawn."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def states(screen) -> list[str]:
    table = screen.query_one("#cards-table", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_search_as_you_type_and_filters(cards):
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert rows(screen) == ["What does S2ORC stand for?", "What does Adam keep per weight?",
                                "ResNets add [...] to the block's output"]
        assert states(screen) == ["new", "review", "new"]
        assert "3 cards" in str(screen.query_one("#cards-hint").render())
        await pilot.press("slash", *"what does")
        await read(app, pilot)
        assert len(rows(screen)) == 2
        await pilot.press(*" adam")
        await read(app, pilot)
        assert rows(screen) == ["What does Adam keep per weight?"]
        assert "1 card matches" in str(screen.query_one("#cards-hint").render())
        await pilot.press("escape")  # clears the search first
        await read(app, pilot)
        assert len(rows(screen)) == 3
        screen.query_one("#cards-tag", Select).value = "optim"
        await read(app, pilot)
        assert len(rows(screen)) == 2
        screen.query_one("#cards-state", Select).value = "review"
        await read(app, pilot)
        assert rows(screen) == ["What does Adam keep per weight?"]
        screen.query_one("#cards-tag", Select).clear()
        screen.query_one("#cards-state", Select).clear()
        screen.query_one("#cards-paper", Select).value = library.list_papers()[0].id
        await read(app, pilot)
        assert rows(screen) == ["What does S2ORC stand for?"]
        preview = str(screen.query_one("#cards-preview").render())
        assert "Semantic Scholar Open Research Corpus" in preview


async def test_edit_suspend_and_delete_after_asking(cards):
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("down")  # Adam
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        app.screen.query_one("#editor-back", TextArea).text = "first and second moment estimates"
        app.screen.query_one("#editor-tags").value = "optim, adam"
        await pilot.press("ctrl+s")
        await read(app, pilot)
        assert app.screen is screen
        adam = service.get_card(cards["adam"])
        assert adam.back == "first and second moment estimates" and adam.tags == ["adam", "optim"]
        assert "first and second moment estimates" in str(screen.query_one("#cards-preview").render())

        await pilot.press("s")
        await read(app, pilot)
        assert service.get_card(cards["adam"]).suspended and states(screen)[1] == "suspended"
        assert screen.query_one("#cards-table", DataTable).cursor_row == 1  # still on Adam
        await pilot.press("s")
        await read(app, pilot)
        assert not service.get_card(cards["adam"]).suspended and states(screen)[1] == "review"

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert len(rows(screen)) == 3  # kept
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await read(app, pilot)
        assert rows(screen) == ["What does S2ORC stand for?", "ResNets add [...] to the block's output"]
        assert [c.id for c in service.list_cards()] == [cards["s2orc"], cards["resnet"]]


async def test_enter_edits_and_the_library_opens_the_browser_with_b(cards, monkeypatch):
    monkeypatch.setattr(library, "DEMO_PDF", "no/such/demo.pdf")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_cards()
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CardBrowserScreen)


async def test_an_empty_browser_says_how_to_make_cards():
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "readroom card add" in str(app.screen.query_one("#cards-hint").render())
        await pilot.press("e", "x", "s")  # nothing under the cursor: nothing happens
        assert isinstance(app.screen, CardBrowserScreen)


async def test_a_long_list_fills_after_the_first_screenful_and_keeps_the_cursor(monkeypatch):
    from readroom.tui.screens import card_browser

    monkeypatch.setattr(card_browser, "PAGE", 200)  # a page of 200 rows: filled in frames after the first 100
    ids = [service.add_note("qa", f"Question {i:03d}?", "answer", now=NOW)[0].id for i in range(230)]
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        table = screen.query_one("#cards-table", DataTable)

        async def filled(n: int) -> None:
            for _ in range(100):
                if table.row_count == n:
                    return
                await pilot.pause(0.01)
            raise AssertionError(f"{table.row_count} rows, not {n}")

        await filled(200)
        assert rows(screen)[0] == "Question 000?" and rows(screen)[-1] == "Question 199?"
        for _ in range(50):  # the filter choices are read in a thread, then the hint counts every card
            if "of 230" in str(screen.query_one("#cards-hint").render()):
                break
            await pilot.pause(0.01)
        assert "the first 200 of 230 cards" in str(screen.query_one("#cards-hint").render())
        table.move_cursor(row=150)  # past the first screenful
        await pilot.pause()
        assert "Question 150?" in str(screen.query_one("#cards-preview").render())
        service.set_suspended([ids[150]], True)
        screen.reload()
        assert states(screen)[150] == "new"  # the old rows stay on screen until the new ones are read
        await read(app, pilot)
        await filled(200)
        assert table.cursor_row == 150 and states(screen)[150] == "suspended"
        await pilot.pause()
        assert "Question 150?" in str(screen.query_one("#cards-preview").render())


async def test_saving_an_edit_keeps_what_another_process_changed_meanwhile(cards):
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "e")  # Adam
        await pilot.pause()
        assert isinstance(app.screen, CardEditor)
        # While the editor is open, a review elsewhere makes the card a leech (its note gains the tag).
        service.edit_note(service.get_card(cards["adam"]).note_id, tags=["optim", "leech"], now=NOW)
        app.screen.query_one("#editor-back", TextArea).text = "first and second moment estimates"
        await pilot.press("ctrl+s")
        await pilot.pause()
        adam = service.get_card(cards["adam"])
        assert adam.back == "first and second moment estimates" and adam.tags == ["leech", "optim"]


async def test_a_flagged_card_shows_its_flag_colour_in_the_last_column():
    from readroom.cards import actions
    from readroom.tui.screens.flag_chooser import FLAG_COLOURS

    red = service.add_note("qa", "Which card is flagged?", "this one", now=NOW)[0].id
    service.add_note("qa", "And this one?", "no flag", now=NOW)
    actions.set_flag(red, 1)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#cards-table", DataTable)
        flagged, plain_row = (table.get_row_at(i)[-1] for i in range(2))
        assert (str(flagged), str(flagged.style)) == ("⚑", f"bold {FLAG_COLOURS[1]}") and str(plain_row) == ""
        assert str(list(table.columns.values())[-1].label) == "⚑"
        # the flag column is inside the 80 columns, the question keeps most of the width
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= SIZE[0] - 2


async def test_f_flags_as_in_review_and_capital_f_filters_by_state():
    """`f` flags the card under the cursor (then a digit, as in review; ctrl+digits toggle, as in Anki's browser);
    the state filter moved to `F`, so the same key does the same thing on both card screens."""
    from readroom.tui.screens.flag_chooser import FLAG_COLOURS, FlagChooser

    first = service.add_note("qa", "Which card is flagged?", "this one", now=NOW)[0].id
    service.add_note("qa", "And this one?", "no flag", now=NOW)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await read(app, pilot)
        screen = app.screen
        table = screen.query_one("#cards-table", DataTable)

        def flag_cell() -> tuple[str, str]:
            cell = table.get_row_at(0)[-1]
            return str(cell), str(cell.style)

        await pilot.press("f")
        assert isinstance(app.screen, FlagChooser)
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is screen and service.get_card(first).flag == 2
        assert flag_cell() == ("⚑", f"bold {FLAG_COLOURS[2]}") and table.cursor_row == 0
        await pilot.press("ctrl+2")  # the same flag again clears it
        await pilot.pause()
        assert service.get_card(first).flag == 0 and flag_cell()[0] == ""
        await pilot.press("f", "0")  # no flag already: nothing to do
        assert service.get_card(first).flag == 0

        await pilot.press("F")
        await pilot.pause()
        state = screen.query_one("#cards-state", Select)
        assert state.expanded  # its list is open, as `f` opened it before


async def test_the_screen_draws_at_once_and_reads_its_rows_behind_its_keys(cards, monkeypatch):
    """A big library takes a while to read: the screen is there at once saying so, esc leaves it meanwhile, and
    rows that come after it closed change nothing."""
    import threading

    from textual.screen import Screen

    release = threading.Event()
    real = service.list_cards

    def held(**filters):  # the real read, held until the test lets it go
        release.wait(10)
        return real(**filters)

    monkeypatch.setattr(service, "list_cards", held)

    class Over(ReadroomApp):
        def get_default_screen(self):
            return Screen()

    app = Over()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = CardBrowserScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert "Reading cards..." in str(screen.query_one("#cards-hint").render()) and rows(screen) == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        release.set()
        await read(app, pilot)
        assert app.is_running and app.screen is not screen

        release.clear()
        screen = CardBrowserScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert "Reading cards..." in str(screen.query_one("#cards-hint").render())
        release.set()
        await read(app, pilot)
        assert len(rows(screen)) == 3 and "3 cards" in str(screen.query_one("#cards-hint").render())


async def test_fast_typing_shows_the_rows_of_the_last_text_only(cards, monkeypatch):
    """Each keystroke asks for a read; while one reads, the keys typed meanwhile wait as one read of the newest
    text, and the rows of the older text (read when it was already replaced) are never drawn."""
    import threading

    from readroom.tui.widgets.fixed_table import FixedWidthTable

    release = threading.Event()
    real, read_for = service.list_cards, []

    def slow_for_what(**filters):  # "what" (two cards) is held until the test lets it go
        read_for.append(filters["search"])
        if filters["search"] == "what":
            release.wait(10)
        return real(**filters)

    monkeypatch.setattr(service, "list_cards", slow_for_what)
    real_fill, drawn = FixedWidthTable.fill, []

    def fill(table, items, *args, **kwargs):  # the real fill, noting how many rows each draw had
        drawn.append(len(items))
        real_fill(table, items, *args, **kwargs)

    monkeypatch.setattr(FixedWidthTable, "fill", fill)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await read(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"wha")
        await read(app, pilot)
        await pilot.press("t")
        for _ in range(200):
            if read_for[-1] == "what":
                break
            await pilot.pause(0.01)
        await pilot.press(*" does adam")
        await pilot.pause()
        assert read_for[-1] == "what" and "Reading cards..." in str(screen.query_one("#cards-hint").render())
        drawn.clear()
        release.set()
        for _ in range(200):
            if "1 card matches" in str(screen.query_one("#cards-hint").render()):
                break
            await pilot.pause(0.01)
        await read(app, pilot)
        assert rows(screen) == ["What does Adam keep per weight?"]
        assert read_for[read_for.index("what") + 1:] == ["what does adam"]  # the texts between: never read
        assert drawn == [1]  # "what"'s two rows never appeared
