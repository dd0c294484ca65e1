"""A figure card's image travels with `readroom sync` to the phone through the real sync server's media sync, and
an occlusion note arrives as an image-occlusion note the phone's Anki opens as its own."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pymupdf

from readroom.cards import figures, service
from readroom.sync import service as sync_service

NOW = datetime.now(timezone.utc) - timedelta(days=1)


def _png(path: Path) -> Path:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 40), False)
    pix.set_rect(pix.irect, (200, 40, 40))
    pix.save(str(path))
    return path


def _phone_media(phone) -> None:
    """The phone's own media sync, as AnkiDroid runs it after a collection sync."""
    phone.col.sync_media(phone.auth)
    while phone.col.media_sync_status().active:
        time.sleep(0.05)


def test_a_figure_cards_image_reaches_the_phones_media_folder(phone, tmp_path):
    image = _png(tmp_path / "01-figure-1.png")
    card = figures.add_figure_card(image, "three passes", question="What does Figure 1 show?", now=NOW)
    occluded = figures.add_occlusion_cards(image, [(0.1, 0.1, 0.3, 0.3), (0.5, 0.5, 0.4, 0.4)], header="Name it",
                                           now=NOW)
    sync_service.sync(lambda: "", datetime.now(timezone.utc))

    phone.sync()
    _phone_media(phone)
    name = Path(card.image).name
    on_phone = Path(phone.col.media.dir()) / name
    assert on_phone.read_bytes() == image.read_bytes()
    shown = phone.card_of(service.get_card(card.id).note_uuid)
    assert f'<img src="{name}">' in shown.question()
    io_note = phone.card_of(occluded[0].note_uuid).note()
    assert io_note.note_type()["originalStockKind"] == 6  # Anki's image occlusion: its editor opens the note
    assert len(io_note.cards()) == 2
    assert len(phone.col.get_image_occlusion_note(io_note.id).note.occlusions) == 2
