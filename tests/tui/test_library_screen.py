"""The library screen driven as a user would: keys through Pilot, a real library in a temp READROOM_HOME."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

import pytest
from textual.widgets import DataTable, Input, Select

from loopback import with_version
from readroom import cli, clock, config, library, paths, reading
from readroom.tui.app import DARK, LIGHT, ReadroomApp
from readroom.tui.screens.classics import ClassicsScreen
from readroom.tui.screens.help import HelpScreen
from readroom.tui.screens.library import CARD_COLOURS, LibraryScreen

SIZE = (80, 24)


async def wait_until(pilot, condition, timeout: float = 20.0) -> None:
    """Let workers and the UI run until `condition()` holds (thread workers report back asynchronously)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def loaded(pilot) -> LibraryScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and app.screen.loaded)
    await pilot.pause()
    return app.screen


def titles(screen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def messages(app, severity: str | None = None) -> list[str]:
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def add_cli(*args: str) -> None:
    assert cli.main(["add", *args]) == 0


@pytest.fixture
def two_papers(real_papers) -> list[str]:
    for path in real_papers[:2]:
        add_cli(str(path))
    return [p.title for p in library.list_papers()]


async def test_empty_library_gets_the_demo_paper_and_the_classics_hint(monkeypatch, real_papers):
    if not (paths.shipped_data_dir() / library.DEMO_PDF).is_file():  # until the demo PDF ships, stand one in
        monkeypatch.setattr(library, "DEMO_PDF", str(real_papers[0]))
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert len(titles(screen)) == 1
        assert library.list_papers()[0].tags == ["demo"]
        await wait_until(pilot, lambda: "of 48 in your library" in str(screen.query_one("#hint").render()))
        assert "c: classics" in str(screen.query_one("#hint").render())
        assert not screen.query_one("#empty").display


async def test_an_empty_library_without_a_demo_says_what_to_do(monkeypatch):
    monkeypatch.setattr(library, "DEMO_PDF", "no/such/demo.pdf")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert titles(screen) == []
        assert screen.query_one("#empty").display
        assert "classics" in str(screen.query_one("#empty").render())


async def test_search_narrows_the_table_as_you_type(two_papers):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert len(titles(screen)) == 2
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"s2orc")
        assert [t for t in titles(screen)] == [t for t in two_papers if "S2ORC" in t]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"kinney")  # an author
        assert len(titles(screen)) == 1 and "S2ORC" in titles(screen)[0]
        await pilot.press(*"zzz")
        assert titles(screen) == []
        assert "0 of 2 papers" in str(screen.query_one("#hint").render())
        await pilot.press("escape")  # clears the search and goes back to the table
        assert len(titles(screen)) == 2
        assert isinstance(app.focused, DataTable)


async def test_search_box_and_list_search_share_one_rule_abstract_included():
    # The demo's abstract says "patience"; its title and authors do not. Runs without ../shared.
    assert cli.main(["add", str(paths.shipped_data_dir() / library.DEMO_PDF)]) == 0
    listed = [p.title for p in library.list_papers(search="PATIENCE")]
    assert len(listed) == 1 and "Three Passes" in listed[0]
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"patience")
        assert titles(screen) == listed
        await pilot.press(*" zzz")
        assert titles(screen) == [] == library.list_papers(search="patience zzz")


async def test_sort_key_cycles_the_order(two_papers):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        by_year = [p.title for p in library.list_papers(sort="year")]
        await pilot.press("s")
        assert screen.filter.sort == "title"
        assert titles(screen) == sorted(two_papers, key=str.casefold)
        await pilot.press("s")
        assert screen.filter.sort == "year"
        assert titles(screen) == by_year
        assert "sorted by year" in str(screen.query_one("#hint").render())
        await pilot.press("s", "s")
        assert screen.filter.sort == "added"


async def test_filter_by_tag_and_by_status(two_papers):
    first, second = library.list_papers(sort="title")
    library.tag(first.id, ["nlp"])
    reading.decide(second.id, "park", "later")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("f")  # opens the tag list: the blank "any tag", then the tags
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: screen.filter.tag == "nlp")
        assert titles(screen) == [first.title]
        assert isinstance(app.focused, DataTable)
        await pilot.press("escape")
        assert len(titles(screen)) == 2

        screen.query_one("#status", Select).value = "parked"
        await pilot.pause()
        assert titles(screen) == [second.title]
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[4]) == "parked"
        screen.query_one("#status", Select).value = "pass 1"
        await pilot.pause()
        assert titles(screen) == [first.title]
        assert str(table.get_row_at(0)[4]).startswith("pass 1 · 0/")


async def test_add_a_local_pdf_from_the_add_box(real_papers):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        if titles(screen):  # the demo paper
            baseline = len(titles(screen))
        else:
            baseline = 0
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "add-input")
        app.focused.value = f"{real_papers[0]} --tag mine"
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(titles(screen)) == baseline + 1 and not app.add_activity)
        assert any(m.startswith("Added ") for m in messages(app, "information"))
        added = next(p for p in library.list_papers() if "mine" in p.tags)
        assert added.title in titles(screen)
        table = screen.query_one(DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == added.id  # cursor on it


async def test_a_bad_input_is_an_error_notification_not_a_crash(real_papers):
    add_cli(str(real_papers[0]))
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "add-input")
        await pilot.press(*"not-a-paper-id-xyz", "enter")
        await wait_until(pilot, lambda: messages(app, "error"))
        assert messages(app, "error") == [
            "'not-a-paper-id-xyz' is not an arXiv id, DOI, URL, PDF file or classic paper name (see `readroom classics`)."]
        # An unclosed quote is caught in the box itself, which stays open.
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "add-input")
        await pilot.press(*'"half', "enter")
        await pilot.pause()
        assert any(m.startswith("Cannot read that") for m in messages(app, "error"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert len(titles(screen)) == 1
        assert app.is_running


async def test_classics_screen_lists_the_catalogue_and_adds_one(arxiv, monkeypatch):
    from readroom.sources.classics import find_classic

    resnet = find_classic("resnet")  # served by the loopback arXiv, as in tests/test_add.py
    arxiv.entries[resnet.arxiv] = with_version(arxiv.entries["1605.08386"], "1605.08386", 1).replace(
        "1605.08386", resnet.arxiv)
    arxiv.pdfs[f"{resnet.arxiv}v1"] = arxiv.pdfs["1605.08386v1"]
    monkeypatch.setattr(library, "DEMO_PDF", "no/such/demo.pdf")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ClassicsScreen) and app.screen.statuses)
        classics = app.screen
        table = classics.query_one(DataTable)
        assert table.row_count == 48
        table.move_cursor(row=table.get_row_index("resnet"))
        await pilot.pause()
        assert "Deep Residual Learning" in str(classics.query_one("#why").render())
        await pilot.press("a")
        await wait_until(pilot, lambda: any(s.paper for s in classics.statuses) and not app.add_activity)
        assert [s.classic.key for s in classics.statuses if s.paper] == ["resnet"]
        assert str(table.get_row_at(table.get_row_index("resnet"))[0]) == "✓"
        assert any(m.startswith("Added ") for m in messages(app, "information"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen) and titles(app.screen))
        assert [p.classic_key for p in library.list_papers()] == ["resnet"]


async def test_a_classic_that_cannot_be_fetched_is_an_error_notification(monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()
    monkeypatch.setattr(library, "DEMO_PDF", "no/such/demo.pdf")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ClassicsScreen) and app.screen.statuses)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("vgg"))  # on arXiv: asks the (refused) loopback API
        await pilot.press("a")
        await wait_until(pilot, lambda: messages(app, "error"))
        assert app.is_running and isinstance(app.screen, ClassicsScreen)


async def test_theme_toggles_repaints_the_footer_and_is_saved_for_the_next_start(two_papers):
    from readroom import config
    from readroom.tui.widgets.key_footer import KeyFooter

    paths.config_path().write_text("# my settings\n[review]\nnew_per_day = 7\n")

    def key_colour(app) -> str:  # the colour the footer draws its keys in
        footer = app.screen.query_one(KeyFooter)
        return next(seg.style.color.name for seg in footer.render_line(0) if seg.text.strip() and seg.style.bold)

    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme == DARK
        dark_key = key_colour(app)
        await pilot.press("t")  # not the theme key any more (t tags in the card browser and Discover)
        assert app.theme == DARK
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == LIGHT
        assert key_colour(app) == app.theme_variables["footer-key-foreground"].lower() != dark_key
    assert paths.config_path().read_text() == '# my settings\n[review]\nnew_per_day = 7\n\n[ui]\ntheme = "textual-light"\n'
    config.reload()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme == LIGHT
        await pilot.press("ctrl+t")
        assert app.theme == DARK
    assert 'theme = "textual-dark"' in paths.config_path().read_text()


async def test_help_lists_the_bindings_with_their_ids_and_remapped_keys(two_papers):
    paths.config_path().write_text('[keys]\n"library.add" = "n"\n[ui]\ntheme = "textual-light"\n')
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert app.theme == LIGHT
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows
        assert ("Library", "n", "Add", "library.add") in rows
        assert ("Everywhere", "^t", "Theme (dark / light, saved)", "app.theme") in rows
        assert {group for group, *_ in rows} >= {"Everywhere", "Library", "Classics catalogue"}
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("n")  # the remapped add key
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "add-input")


async def test_command_palette_lists_actions_and_papers(two_papers):
    app = ReadroomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"s2orc")
        from textual.command import CommandList

        await wait_until(pilot, lambda: app.screen.query(CommandList) and app.screen.query_one(CommandList).option_count)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("S2ORC" in p and p.startswith("Open:") for p in prompts)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"classics")
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClassicsScreen))


async def test_enter_opens_the_reader(two_papers):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        pushed = []
        app.push_screen = lambda s, *a, **k: pushed.append(s)  # the reader is tested on its own
        await pilot.press("enter")
        await pilot.pause()
        if importlib.util.find_spec("readroom.tui.reader.screen") is None:
            assert pushed == [] and any("reader" in m for m in messages(app, "warning"))
        else:
            assert [type(s).__name__ for s in pushed] == ["ReaderScreen"]
        assert screen is not None


async def test_resizing_keeps_the_table_usable(two_papers):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one(DataTable)
        narrow = table.columns[next(iter(table.columns))].width
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert table.columns[next(iter(table.columns))].width > narrow
        assert len(titles(screen)) == 2
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert len(titles(screen)) == 2


def welcome_shown(screen) -> bool:
    return bool(screen.query_one("#welcome").display)


async def test_first_start_welcomes_until_x_hides_it_for_good():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert welcome_shown(screen)
        text = str(screen.query_one("#welcome").render())
        assert "pass 1 · 0/6" in text and "a adds" in text and "c the classics" in text and "R review" in text
        welcome = screen.query_one("#welcome").region
        assert welcome.right <= 80 and welcome.bottom <= 24 - 2  # above the hint and the footer, at 80x24
        await pilot.press("x")
        assert not welcome_shown(screen)
    async with ReadroomApp().run_test(size=SIZE) as pilot:  # the next start remembers
        assert not welcome_shown(await loaded(pilot))
    assert (paths.home() / library.WELCOME_HIDDEN).is_file()


async def test_no_welcome_once_the_library_holds_papers_of_ones_own(two_papers):
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        assert not welcome_shown(await loaded(pilot))


async def test_cards_column_shows_new_learning_and_due_as_ankis_deck_list():
    from datetime import timedelta

    from readroom.cards import service

    demo = library.ensure_demo().paper.id
    now = clock.now_seconds()
    reviewed = service.add_note("cloze", "{{c1::Pass one}} skims, {{c2::pass two}} grasps", now=now, paper_id=demo)
    for card in reviewed:  # Easy a month ago: review cards, due again now
        service.answer(card.id, 4, now - timedelta(days=60))
    learning = service.add_note("qa", "Which pass re-derives?", "the third", now=now, paper_id=demo)
    service.answer(learning[0].id, 1, now - timedelta(hours=1))  # Again an hour ago: learning, due now
    service.add_note("qa", "What does pass one read?", "title, abstract, headings", now=now, paper_id=demo)  # new
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one(DataTable)
        assert str(list(table.columns.values())[-1].label) == "Cards"
        cell = table.get_row(demo)[-1]
        assert str(cell) == "1 1 2"  # new, learning, due
        colours = [str(span.style) for span in cell.spans]
        assert colours == list(CARD_COLOURS)
    service.set_suspended([card.id for card in [*reviewed, *learning]])  # suspended cards are not counted
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        cell = screen.query_one(DataTable).get_row(demo)[-1]
        assert str(cell) == "1 0 0" and [str(span.style) for span in cell.spans] == [CARD_COLOURS[0], "dim", "dim"]


@pytest.mark.parametrize("width", [80, 101, 160])
async def test_columns_leave_room_for_the_scrollbar(width):
    # With more papers than rows, a vertical scrollbar appears; the columns must still fit beside it,
    # or a horizontal scrollbar eats a row and End scrolls the titles sideways.
    library.ensure_demo()
    async with ReadroomApp().run_test(size=(width, 24)) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one(DataTable)
        used = sum(column.get_render_width(table) for column in table.columns.values())
        assert used <= table.size.width - table.styles.scrollbar_size_vertical


async def test_letters_typed_fast_after_slash_are_the_search_not_commands():
    from tui.test_open_paper import burst

    library.ensure_demo()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        burst(app, ("slash", "/"), *[(c, c) for c in "patience"])  # a would open Add, c the classics
        await pilot.pause()
        search = screen.query_one("#search", Input)
        assert app.screen is screen and search.value == "patience" and screen.focused is search
        burst(app, ("slash", "/"))  # in the box, `/` is a character
        await pilot.pause()
        assert search.value == "patience/"


# Classics, review, cards, stats, Discover, export, help. The export box is a form: there q is a letter.
@pytest.mark.parametrize(("opens", "back"), [(key, back) for key in ["c", "R", "b", "S", "d", "E", "question_mark"]
                                             for back in ["q", "escape"] if (key, back) != ("E", "q")])
async def test_q_and_escape_step_back_one_level_from_every_screen(opens, back):
    library.ensure_demo()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        await pilot.press(opens)
        await wait_until(pilot, lambda: app.screen is not screen)
        await pilot.pause()
        await pilot.press(back)
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.is_running


async def test_q_quits_at_the_library_and_ctrl_q_from_anywhere():
    library.ensure_demo()
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert "q Quit" in app.screen.query_one("#footer").render().plain
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: not isinstance(app.screen, LibraryScreen))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("typed", ["", "rea"])
async def test_command_palette_lists_actions_before_papers(typed):
    from textual.command import CommandList

    library.ensure_demo()  # "How to Read a Paper": "rea" also matches Reload, Reader and Review's "Review the cards"
    app = ReadroomApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p", *typed)

        def prompts() -> list[str]:
            options = app.screen.query(CommandList)
            if not options:
                return []
            return [str(options.first().get_option_at_index(i).prompt) for i in range(options.first().option_count)]

        await wait_until(pilot, lambda: any(p.startswith("Open:") for p in prompts())
                         and any(not p.startswith("Open:") for p in prompts()))
        await pilot.pause(0.5)  # the providers answer one after another
        kinds = [p.startswith("Open:") for p in prompts()]
        assert kinds == sorted(kinds), prompts()  # every action, then every paper


async def test_the_demo_papers_group_author_fits_the_first_author_column_whole():
    library.ensure_demo()
    async with ReadroomApp().run_test(size=SIZE) as pilot:
        table = (await loaded(pilot)).query_one(DataTable)
        author = table.get_row_at(0)[1]
        assert str(author) == "readroom team"  # not "The readroom…" cut at the column's edge
        assert author.cell_len <= table.columns["author"].get_render_width(table) - 2 * table.cell_padding


async def test_a_misspelt_config_key_is_noticed_once_at_start_with_the_clis_line():
    paths.config_path().write_text("[review]\ndesired_retenton = 0.8\n")
    line = (f"{paths.config_path()}: [review] desired_retenton is not a setting readroom knows; ignored "
            "(`readroom config` lists them all).")
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: messages(app, "warning"))
        await loaded(pilot)
        await pilot.press("ctrl+t")  # saving the theme reads config.toml again: still said once
        await pilot.pause(0.1)
        assert messages(app, "warning") == [line]
    cli_said = subprocess.run([sys.executable, "-m", "readroom", "due"], capture_output=True, text=True).stderr
    assert cli_said.splitlines() == [f"readroom: warning: {line}"]
