"""The review screen with figure and occlusion cards, in a terminal without an image protocol (half blocks):
the image above the question; an occlusion card's own area hidden until the answer, its siblings' outlined."""

from __future__ import annotations

from datetime import timedelta

import pymupdf
from textual.widgets import Static

from readroom.cards import figures
from readroom.tui.screens.review import ReviewScreen
from readroom.tui.widgets.figure_image import FigureImage
from readroom.tui.widgets.occlusion_mask import HIDDEN, REVEALED, Masked

from .test_review_screen import NOW, SIZE, Clock, Host


def png(path, size=(200, 100), colour=(255, 255, 255)):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, *size), False)
    pix.set_rect(pix.irect, colour)
    pix.save(str(path))
    return path


async def image_of(pilot, screen: ReviewScreen) -> FigureImage:
    widget = screen.query_one("#review-image", FigureImage)
    for _ in range(200):
        if widget.image is not None and widget.loaded == widget.source:
            return widget
        await pilot.pause(0.02)
    raise AssertionError("the card's image never showed")


async def test_a_figure_card_shows_its_image_above_the_question(tmp_path):
    figures.add_figure_card(png(tmp_path / "fig.png", colour=(20, 90, 200)), "a blue square",
                            question="What colour is it?", now=NOW - timedelta(minutes=1))
    async with Host(Clock()).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        widget = await image_of(pilot, screen)
        assert widget.region.y < screen.query_one("#review-question", Static).region.y
        assert widget.image.getpixel((widget.image.width // 2, widget.image.height // 2)) == (20, 90, 200)
        # Drawn: half blocks coloured as the image, on screen at 80x24.
        assert widget.query("HalfcellImage") and widget.query_one("HalfcellImage").region.height >= 3


async def test_an_occlusion_card_hides_its_own_area_until_the_answer(tmp_path):
    areas = [(0.0, 0.0, 0.25, 0.5), (0.5, 0.5, 0.25, 0.5)]
    made = figures.add_occlusion_cards(png(tmp_path / "fig.png"), areas, header="Name the parts",
                                       now=NOW - timedelta(minutes=1))
    async with Host(Clock()).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        card = screen.card
        assert card is not None and card.id in {c.id for c in made}
        widget = await image_of(pilot, screen)
        own = areas[card.ord - 1]
        inside = (int((own[0] + own[2] / 2) * widget.image.width), int((own[1] + own[3] / 2) * widget.image.height))
        assert _near(widget.image.getpixel(inside), HIDDEN)
        await pilot.press("space")
        widget = await image_of(pilot, screen)
        assert widget.source == Masked(figures.image_file(card), tuple(areas), card.ord, True)
        assert _near(widget.image.getpixel(inside), (255, 255, 255))  # uncovered on the answer side


def test_the_mask_outlines_the_other_areas_and_the_revealed_one(tmp_path):
    image = png(tmp_path / "fig.png")
    areas = ((0.0, 0.0, 0.5, 0.5), (0.5, 0.5, 0.5, 0.5))
    question = pymupdf.Pixmap(Masked(image, areas, 1, False).png())
    answer = pymupdf.Pixmap(Masked(image, areas, 1, True).png())
    assert question.pixel(50, 25) == HIDDEN and question.pixel(150, 75) == (255, 255, 255)
    assert question.pixel(100, 75) != (255, 255, 255)  # the sibling's outline
    assert answer.pixel(50, 25) == (255, 255, 255) and answer.pixel(0, 25) == REVEALED
    assert image.read_bytes() == png(tmp_path / "again.png").read_bytes()  # the kept image is never drawn on


def _near(pixel, colour, slack: int = 12) -> bool:
    return all(abs(p - c) <= slack for p, c in zip(pixel, colour, strict=False))
