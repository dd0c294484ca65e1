"""Figure and image-occlusion notes: the image kept in media/ by content, one card per hidden area, areas checked,
edits that move or add areas keeping each card's history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pymupdf
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from readroom import paths
from readroom.cards import figures, service
from readroom.cards.scheduler import GOOD
from readroom.errors import BadInput

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def png(path, colour=(0.2, 0.4, 0.8)):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 30), False)
    pix.set_rect(pix.irect, tuple(int(c * 255) for c in colour))
    pix.save(str(path))
    return path


def test_a_figure_card_keeps_its_image_in_media_by_content(tmp_path):
    image = png(tmp_path / "03-figure-2.png")
    card = figures.add_figure_card(image, "The residual block adds its input", question="What does Figure 2 show?",
                                   now=T0, page=3)
    assert card.kind == "figure" and card.question == "What does Figure 2 show?"
    assert card.answer == "The residual block adds its input"
    kept = figures.image_file(card)
    assert kept is not None and kept.parent == paths.media_dir() and kept.read_bytes() == image.read_bytes()
    image.unlink()  # a reparse redraws figures/: the card still shows what it was made from
    again = figures.add_figure_card(png(tmp_path / "same.png"), "again", now=T0)
    assert figures.image_file(again) == kept and len(list(paths.media_dir().iterdir())) == 1
    assert service.get_card(card.id).image == card.image


def test_a_figure_card_needs_an_answer_and_a_readable_image(tmp_path):
    with pytest.raises(BadInput, match="answer"):
        figures.add_figure_card(png(tmp_path / "f.png"), "  ", now=T0)
    with pytest.raises(BadInput, match="Cannot read the image"):
        figures.add_figure_card(tmp_path / "gone.png", "a", now=T0)
    with pytest.raises(BadInput, match="needs an image"):
        service.add_note("figure", "q", "a", now=T0)


def test_an_occlusion_makes_one_card_per_area_each_hiding_its_own(tmp_path):
    areas = [(0.1, 0.1, 0.2, 0.1), (0.5, 0.5, 0.3, 0.2), (0.0, 0.8, 1.0, 0.2)]
    cards = figures.add_occlusion_cards(png(tmp_path / "f.png"), areas, header="Label the blocks", now=T0)
    assert [c.ord for c in cards] == [1, 2, 3]
    assert all(c.areas == areas and c.kind == "occlude" for c in cards)
    assert {c.note_id for c in cards} == {cards[0].note_id}


@pytest.mark.parametrize("area", [(0.5, 0.5, 0.6, 0.1), (-0.1, 0, 0.2, 0.2), (0, 0, 0, 0.2), (0, 0, 0.1),
                                  (float("nan"), 0, 0.1, 0.1)])
def test_an_area_outside_the_image_is_refused(tmp_path, area):
    with pytest.raises(BadInput, match="hidden area"):
        figures.add_occlusion_cards(png(tmp_path / "f.png"), [area], now=T0)
    with pytest.raises(BadInput, match="at least one"):
        figures.add_occlusion_cards(png(tmp_path / "f.png"), [], now=T0)


def test_moving_an_area_keeps_its_cards_history_and_a_new_area_adds_a_card(tmp_path):
    first = figures.add_occlusion_cards(png(tmp_path / "f.png"), [(0.1, 0.1, 0.2, 0.2), (0.6, 0.6, 0.2, 0.2)], now=T0)
    service.answer(first[0].id, GOOD, T0 + timedelta(minutes=1))
    cards = service.edit_note(first[0].note_id, now=T0, areas=[(0.2, 0.1, 0.2, 0.2), (0.6, 0.6, 0.2, 0.2),
                                                                (0.1, 0.7, 0.1, 0.1)])
    assert [c.ord for c in cards] == [1, 2, 3]
    assert cards[0].id == first[0].id and cards[0].reps == 1 and cards[0].areas[0] == (0.2, 0.1, 0.2, 0.2)
    fewer = service.edit_note(first[0].note_id, now=T0, areas=[(0.2, 0.1, 0.2, 0.2)])
    assert [c.id for c in fewer] == [first[0].id]


unit = st.floats(0, 0.95)


@st.composite
def area(draw):
    left, top = draw(unit), draw(unit)
    return (left, top, draw(st.floats(0.01, 1 - left)), draw(st.floats(0.01, 1 - top)))


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(areas=st.lists(area(), min_size=1, max_size=12))
def test_any_areas_inside_the_image_give_one_card_each(tmp_path, areas):
    cards = figures.add_occlusion_cards(png(tmp_path / "f.png"), areas, now=T0)
    assert len(cards) == len(areas) and [tuple(a) for a in cards[0].areas] == areas
