"""Opening a paper in the reader from the library, the card browser and the review: once, and at the card's place.

Driven with Pilot on the bundled demo paper, so these run without ../shared.
"""

from __future__ import annotations

from textual import events

from readroom import clock, library
from readroom.cards import service
from readroom.tui.app import create_app
from readroom.tui.reader.screen import ReaderScreen
from readroom.tui.reader.text import ReaderText
from tui.test_library_screen import loaded
from tui.test_reader import opened

SIZE = (80, 24)


def readers(app) -> list[ReaderScreen]:
    return [s for s in app.screen_stack if isinstance(s, ReaderScreen)]


def burst(app, *keys: tuple[str, str | None]) -> None:
    """Keys as a terminal delivers them when typed fast: all queued before the first is handled (Pilot's press
    lets each one settle first)."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_enter_enter_on_a_paper_opens_one_reader():
    demo = library.ensure_demo().paper.id
    app = create_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        burst(app, ("enter", "\r"), ("enter", "\r"))
        screen = await opened(pilot)
        await pilot.pause()
        assert [r.paper_id for r in readers(app)] == [demo] and app.screen is screen
        await pilot.press("escape")
        await loaded(pilot)
        assert readers(app) == []


async def test_a_double_click_on_a_paper_opens_one_reader():
    demo = library.ensure_demo().paper.id
    app = create_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.double_click("#papers", offset=(4, 1))
        await opened(pilot)
        await pilot.pause()
        assert [r.paper_id for r in readers(app)] == [demo]


async def test_opening_another_paper_replaces_the_reader(tmp_path):
    from pdf.paper_factory import Style, build_pdf, demo_spec
    from readroom import cli

    demo = library.ensure_demo().paper.id
    assert cli.main(["add", str(build_pdf(demo_spec(), Style(heading_sizes=(10, 10, 10), heading_bold=False),
                                          tmp_path / "other.pdf"))]) == 0
    other = next(p.id for p in library.list_papers() if p.id != demo)
    app = create_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.open_paper(demo)
        await opened(pilot)
        app.open_paper(other)  # as the command palette does from the reader
        await pilot.pause()
        screen = await opened(pilot)
        assert screen.paper_id == other and [r.paper_id for r in readers(app)] == [other]
        await pilot.press("escape")
        await loaded(pilot)


async def test_o_on_a_card_of_a_section_opens_the_reader_at_that_section():
    # As a starter deck names sections: by hand, here in the "3.1. Title" style of CVPR papers, case aside.
    demo = library.ensure_demo().paper.id
    service.add_note("qa", "Which scheduler does Anki use now?", "FSRS", now=clock.now(), paper_id=demo,
                     section="6.2. Modern Schedulers")
    app = create_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        screen = await opened(pilot)
        await pilot.pause()
        view = screen.query_one(ReaderText)
        assert screen.document.anchor_at_line(view.cursor_location[0]).title == "6.2 Modern schedulers"
        assert view.anchor_in_view().title == "6.2 Modern schedulers"
