"""A paper whose title, authors, headings, captions, references and cards carry terminal controls (OSC 2, OSC 52,
clear screen, C1) and Rich markup ("[/]", "[link=file:///etc/passwd]"), through every screen with Pilot: nothing
crashes, no control reaches the screen, and the brackets show as the literal text they are."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest

from discover.corpus import make_papers, seed_index
from readroom import cli, library, paths
from readroom.cards import service
from readroom.tui.app import ReadroomApp
from readroom.tui.reader.outline import Outline
from readroom.tui.reader.screen import ReaderScreen
from readroom.tui.screens.card_browser import CardBrowserScreen
from readroom.tui.screens.discover import DiscoverScreen
from readroom.tui.screens.review import ReviewScreen

SIZE = (160, 50)
TITLE = "Evil \x1b]2;pwned\x07 \x1b]52;c;aGk=\x07 \x1b[2J\x9b31m [bold red]x[/] end"
AUTHOR = "Mal\x1b[5mory [/]"
HEADINGS = ("1 Introduction [/]", "[link=file:///etc/passwd]x[/link] \x1b]2;pwned\x07")
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
NOW = datetime.now(timezone.utc) - timedelta(hours=1)


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    lines = ["".join(segment.text for segment in strip) for strip in strips]
    for line in lines:
        assert not CONTROLS.search(line), f"a control reached the screen: {line!r}"
    return "\n".join(lines)


async def wait_until(pilot, condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        await pilot.pause(0.02)


@pytest.fixture
def paper_id() -> str:
    assert cli.main(["add", str(paths.shipped_data_dir() / library.DEMO_PDF), "--title", TITLE,
                     "--authors", AUTHOR]) == 0
    paper_id = library.list_papers()[0].id
    with sqlite3.connect(paths.database_path()) as conn:
        ids = [r[0] for r in conn.execute("select id from paper_section where paper_id = ? order by position",
                                          (paper_id,))]
        for section_id, heading in zip(ids, HEADINGS, strict=False):
            conn.execute("update paper_section set title = ?, text = ? where id = ?",
                         (heading, "Body \x1b[2J\x1b]52;c;aGk=\x07 [bold]b[/] [/] done.", section_id))
        conn.execute("update paper_reference set raw = ? where paper_id = ?", ("Ref \x1b]2;pwned\x07 [/]", paper_id))
    service.add_note("qa", f"Why {TITLE}?", "Because \x1b[2J [/] [link=file:///etc/passwd]x[/link]", now=NOW,
                     paper_id=paper_id, tags=["hostile"])
    return paper_id


class Reader(ReadroomApp):
    def __init__(self, paper_id: str) -> None:
        super().__init__()
        self.paper_id = paper_id

    def get_default_screen(self):
        return ReaderScreen(self.paper_id)


async def test_the_library_shows_the_title_as_text(paper_id):
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded)
        await pilot.pause()
        text = screen_text(app)
        assert "Evil ␛]2;pwned␇ ␛]52;c;aGk=␇ ␛[2J�31m [bold red]x[/] end" in text


async def test_the_reader_shows_headings_text_and_references_as_text(paper_id):
    app = Reader(paper_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.populated)
        await pilot.pause()
        outline = app.screen.query_one(Outline)
        labels = [str(node.label) for node in outline.root.children]
        assert labels[1:3] == ["1 Introduction [/]", "[link=file:///etc/passwd]x[/link] ␛]2;pwned␇"]
        text = screen_text(app)
        assert "Evil ␛]2;pwned␇" in text  # the header
        assert "1 Introduction [/]" in text and "[link=file:///etc/passwd]x[/link]" in text
        assert "Body ␛[2J␛]52;c;aGk=␇ [bold]b[/] [/] done." in app.screen.document.text
        assert "Ref ␛]2;pwned␇ [/]" in app.screen.document.text
        await pilot.press("ctrl+f")  # the find bar: one more widget reading the text
        await pilot.pause()
        screen_text(app)


async def test_card_browser_and_review_show_the_card_as_text(paper_id):
    class Browser(ReadroomApp):
        def get_default_screen(self):
            return CardBrowserScreen()

    app = Browser()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one("#cards-table").row_count == 1)
        await pilot.pause()
        text = screen_text(app)
        assert "Why Evil ␛]2;pwned␇" in text and "[link=file:///etc/passwd]x[/link]" in text  # row and preview

    app = ReadroomApp(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.card is not None)
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "Why Evil ␛]2;pwned␇" in text and "Because ␛[2J [/] [link=file:///etc/passwd]x[/link]" in text


async def test_discover_shows_hostile_rows_as_text():
    papers = make_papers(5)
    papers[0].title, papers[0].authors = TITLE, [AUTHOR]
    papers[0].abstract = "Abstract \x1b[2J [/] end."
    seed_index(papers)
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LibraryScreen" and app.screen.loaded)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DiscoverScreen) and app.screen.loaded)
        await pilot.pause()
        await wait_until(pilot, lambda: "Abstract ␛[2J [/] end." in screen_text(app))
        assert "Evil ␛]2;pwned␇" in screen_text(app)


async def test_a_notice_with_markup_and_controls_shows_as_text():
    app = ReadroomApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify(f"Added {TITLE}")  # as the add worker does, and every screen through the app
        await pilot.pause(0.2)
        notice = list(app._notifications)[-1]
        assert notice.message == "Added Evil ␛]2;pwned␇ ␛]52;c;aGk=␇ ␛[2J�31m [bold red]x[/] end" and not notice.markup
        screen_text(app)
