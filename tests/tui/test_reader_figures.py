"""The reader's figures, with Pilot in a terminal without an image protocol (textual-image's half-block fallback):
the list draws the highlighted figure, enter opens it large, `c` makes a figure card or occlusion cards, `g` opens
the figure the section cites."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from readroom import library, reading
from readroom.cards import service
from readroom.structure import Caption
from readroom.tui.reader.figure_cards import FigureCardDialog, OcclusionCanvas, OcclusionEditor
from readroom.tui.reader.figures import FigureScreen, cited_figures
from readroom.tui.reader.text import ReaderText
from readroom.tui.widgets.figure_image import FigureImage, fit

from .test_reader import Host, add_paper, notifications, opened, settle


@pytest.fixture
def paper(tmp_path) -> str:
    from pdf.paper_factory import DEMO_STYLE, build_pdf, demo_spec

    pid = add_paper(build_pdf(demo_spec(), DEMO_STYLE, tmp_path / "demo.pdf"))
    reading.decide(pid, "next", None)  # pass 2: the figures
    return pid


async def shown(pilot, widget: FigureImage) -> None:
    for _ in range(200):
        if widget.image is not None:
            return
        await pilot.pause(0.02)
    raise AssertionError("the image never showed")


async def test_the_list_draws_the_highlighted_figure_and_enter_opens_it_large(paper):
    detail = library.show(paper)
    assert detail.figures and all(f.image for f in detail.figures)
    async with Host(paper).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await pilot.press("f")
        preview = screen.query_one("#reader-figure-image", FigureImage)
        await shown(pilot, preview)
        assert str(preview.loaded) == detail.figures[0].image
        if len(detail.figures) > 1:
            await pilot.press("down")
            await pilot.pause(0.1)
            await shown(pilot, preview)
            assert str(preview.loaded) == detail.figures[1].image
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FigureScreen)
        large = pilot.app.screen.query_one(FigureImage)
        await shown(pilot, large)
        assert large.size.height > preview.size.height
        await pilot.press("escape")
        assert pilot.app.screen is screen


async def test_c_on_a_figure_makes_a_figure_card_with_its_image(paper):
    async with Host(paper).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await pilot.press("f", "c")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, FigureCardDialog)
        assert dialog.query_one("#figure-card-question", Input).value == dialog.figure.caption
        await pilot.press(*"a residual block", "enter")
        await settle(pilot)
        assert pilot.app.screen is screen
    made = service.list_cards()
    assert [c.kind for c in made] == ["figure"] and made[0].answer == "a residual block"
    assert made[0].image and made[0].paper_id == paper


async def test_the_occlusion_editor_makes_one_card_per_area(paper):
    async with Host(paper).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await pilot.press("f", "c", "ctrl+o")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, OcclusionEditor)
        canvas = editor.query_one(OcclusionCanvas)
        for _ in range(100):
            if canvas.image is not None:
                break
            await pilot.pause(0.02)
        await pilot.press("space", "right", "right", "right", "right", "right", "right", "right", "shift+down",
                          "space", "down", "down", "space", "backspace")
        assert len(canvas.areas) == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
    made = service.list_cards()
    assert sorted(c.ord for c in made) == [1, 2] and {c.kind for c in made} == {"occlude"}
    first, second = sorted(made, key=lambda c: c.ord)[0].areas
    assert first[0] == 0 and second[0] > first[0] and second[3] > first[3]


def test_cited_figures_match_labels_in_the_order_first_cited():
    figures = [Caption("figure", "Figure 1", "Figure 1: a", 1), Caption("table", "Table 1", "Table 1: b", 2),
               Caption("figure", "Figure 3", "Figure 3: c", 3)]
    assert cited_figures("As Tab. 1 and Fig. 3 show (see Figure 1, Figs. 3)", figures) == [1, 2, 0]
    assert cited_figures("Figure 2 is not here; Table 10 neither", figures) == []


def test_fit_keeps_the_aspect_inside_the_region():
    assert fit((200, 100), (40, 40), (10, 20)) == (40, 10)
    assert fit((100, 400), (40, 10), (10, 20)) == (5, 10)


async def test_g_opens_the_figure_the_section_cites(paper):
    detail = library.show(paper)
    async with Host(paper).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        view = screen.query_one(ReaderText)
        anchor = next(a for a in screen.document.anchors if a.title.startswith("3.1"))
        cited = cited_figures(screen.document.text[anchor.body_start:anchor.body_end], detail.figures)
        assert len(cited) == 1
        view.jump_to(anchor)
        await pilot.press("down", "g")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FigureScreen)
        assert pilot.app.screen.figure == detail.figures[cited[0]]
        await pilot.press("escape")
        assert pilot.app.screen is screen and screen.focused is view
        view.jump_to(next(a for a in screen.document.anchors if a.title.startswith("3.2")))
        await pilot.press("down", "g")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert any("No figure or table is cited in 3.2" in m for m, _ in notifications(pilot.app))
