"""Figure and occlusion cards in Anki: the .apkg carries their image as media, an occlusion note is Anki's own
image-occlusion note (one card per hidden area), through genanki and through the Anki backend alike, and a
re-import updates rather than duplicates."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from export.ankiview import visible
from export.kit import NOW
from readroom.cards import figures, service
from readroom.export import anki_collection, apkg
from readroom.export.selection import CardFilter

pytest.importorskip("anki.collection")

AREAS = [(0.1, 0.1, 0.2, 0.1), (0.5, 0.5, 0.3, 0.2), (0.0, 0.8, 1.0, 0.2)]


def _png(path: Path, colour=(30, 120, 200)) -> Path:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 80, 50), False)
    pix.set_rect(pix.irect, colour)
    pix.save(str(path))
    return path


def _export(tmp_path: Path, name: str = "deck.apkg") -> Path:
    return apkg.export_apkg(CardFilter(), tmp_path / name, NOW)[0]


def test_a_figure_card_shows_its_image_in_anki(tmp_path, anki, resnet):
    image = _png(tmp_path / "02-figure-2.png")
    card = figures.add_figure_card(image, "a block adds its input <x>", question="What does Figure 2 show?",
                                   now=NOW, paper_id=resnet, page=3)
    col = anki()
    col.import_apkg(_export(tmp_path))
    [shown] = col.cards()
    name = Path(card.image).name
    assert (Path(col.col.media.dir()) / name).read_bytes() == image.read_bytes()
    assert f'<img src="{name}">' in shown.question
    assert visible(shown.question, "front") == "What does Figure 2 show?"
    assert visible(shown.answer, "back") == "a block adds its input <x>"
    assert visible(shown.answer, "page") == "3" and "Deep Residual Learning" in visible(shown.answer, "paper")
    assert shown.notetype == "readroom figure" and shown.deck == "readroom::Deep Residual Learning for Image Recognition"


def test_an_occlusion_note_is_ankis_own_with_one_card_per_area(tmp_path, anki):
    cards = figures.add_occlusion_cards(_png(tmp_path / "f.png"), AREAS, header="Name {{c9::the}} <b>blocks</b>",
                                        back="from the paper", now=NOW)
    path = _export(tmp_path)
    col = anki()
    col.import_apkg(path)
    shown = col.by_guid(cards[0].note_uuid)
    assert [c.ord for c in shown] == [0, 1, 2]  # the header's braces made no card of their own
    note = col.col.get_card(col.col.find_cards("")[0]).note()
    assert note.note_type()["originalStockKind"] == 6  # Anki's image occlusion: its editor opens these notes
    io = col.col.get_image_occlusion_note(note.id).note
    assert io.back_extra == "from the paper" and io.image_file_name == Path(cards[0].image).name
    got = {o.ordinal: [float(p.value) for p in o.shapes[0].properties if p.name != "oi"] for o in io.occlusions}
    assert got == {n: list(area) for n, area in enumerate(AREAS, start=1)}
    # card N asks area N, the others shown: Anki's "hide one, guess one"
    assert 'class="cloze" data-ordinal="2"' in shown[1].question and 'data-ordinal="1"' in shown[1].question
    assert "Name {{c9::the}} <b>blocks</b>" in visible(shown[0].question)

    col.import_apkg(path)  # again: the same note, no duplicates
    assert col.note_count() == 1 and len(col.cards()) == 3


def test_an_area_added_later_arrives_as_a_new_card_of_the_same_anki_note(tmp_path, anki):
    cards = figures.add_occlusion_cards(_png(tmp_path / "f.png"), AREAS[:2], now=NOW)
    col = anki()
    col.import_apkg(_export(tmp_path, "one.apkg"))
    service.edit_note(cards[0].note_id, areas=AREAS, now=NOW.replace(year=2027))
    col.import_apkg(_export(tmp_path, "two.apkg"))
    assert col.note_count() == 1 and [c.ord for c in col.by_guid(cards[0].note_uuid)] == [0, 1, 2]


@pytest.mark.parametrize("name", ["s.apkg", "s.colpkg"])
def test_with_scheduling_the_images_travel_too(tmp_path, anki, name):
    image = _png(tmp_path / "f.png")
    figure = figures.add_figure_card(image, "the answer", now=NOW)
    occluded = figures.add_occlusion_cards(_png(tmp_path / "g.png", (250, 10, 10)), AREAS, now=NOW)
    path = anki_collection.export_with_scheduling(CardFilter(), tmp_path / name, NOW)[0]
    if name.endswith(".colpkg"):  # restored as Anki's File > Import does
        from anki._backend import RustBackend
        from anki.collection import Collection

        target = tmp_path / "restored"
        target.mkdir()
        RustBackend().import_collection_package(col_path=str(target / "collection.anki2"), backup_path=str(path),
                                                media_folder=str(target / "collection.media"),
                                                media_db=str(target / "collection.media.db2"))
        col = Collection(str(target / "collection.anki2"))
    else:
        holder = anki()
        holder.import_apkg(path, with_scheduling=True)
        col = holder.col
    try:
        media = Path(col.media.dir())
        assert {p.name for p in media.iterdir()} == {Path(figure.image).name, Path(occluded[0].image).name}
        assert len(col.find_cards("")) == 4
        nid = col.db.scalar("SELECT id FROM notes WHERE guid = ?", occluded[0].note_uuid)
        assert len(col.get_image_occlusion_note(nid).note.occlusions) == 3
    finally:
        if name.endswith(".colpkg"):
            col.close()


def test_two_cards_of_one_figure_carry_its_image_once(tmp_path):
    import json
    import zipfile

    image = _png(tmp_path / "f.png")
    figures.add_figure_card(image, "the answer", now=NOW)
    figures.add_occlusion_cards(image, AREAS, now=NOW)
    with zipfile.ZipFile(_export(tmp_path)) as package:
        media = json.loads(package.read("media"))
        assert list(media.values()) == [Path(figures.keep_image(image)).name]
        assert package.read(next(iter(media))) == image.read_bytes()
