"""Notes edited on the phone come back; a note edited on both sides keeps the newer edit and the sync says so."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from hypothesis import assume, given
from hypothesis import strategies as st

from readroom.cards import service
from readroom.export.anki_text import clean, cloze_html, field_html
from readroom.sync.edits import field_text
from sync.test_conflicts import _sync


@given(st.text())
def test_a_field_reads_back_as_the_text_export_wrote(text):
    assume("\\(" not in text and "\\[" not in text)  # MathJax's delimiters: read back as dollars
    assert field_text(field_html(text)) == clean(text)


def test_what_ankis_editor_writes_reads_as_text():
    assert field_text("One<div>two &amp; <b>three</b></div><div>\\(x^2\\) and \\[y\\]</div>") == (
        "One\ntwo & three\n$x^2$ and $$y$$")
    assert field_text(cloze_html("{{c1::ResNet::a net}} adds {x}")) == "{{c1::ResNet::a net}} adds {x}"


def _edit_on_phone(phone, guid: str, front: str) -> None:
    note = phone.card_of(guid).note()
    note["Front"] = front
    phone.col.update_note(note)


def _shared_note(phone, front: str):
    card = service.add_note("qa", front, "an answer", now=datetime.now(timezone.utc) - timedelta(days=1))[0]
    _sync()
    phone.sync()
    return card, service.get_card(card.id).note_uuid


def test_an_edit_on_the_phone_comes_back(phone):
    card, guid = _shared_note(phone, "Old question?")
    _edit_on_phone(phone, guid, "Why does <i>depth</i> help &amp; when?")
    phone.sync()
    report = _sync()
    assert (report.pulled_edits, report.edited_both, report.pushed_notes) == (1, 0, 0)
    assert "1 note edit made elsewhere" in report.message()
    assert service.get_card(card.id).front == "Why does depth help & when?"
    assert _sync().pulled_edits == 0


def test_a_note_edited_on_both_sides_keeps_the_newer_edit_and_says_so(phone):
    card, guid = _shared_note(phone, "Q?")
    note_id = service.get_card(card.id).note_id
    service.edit_note(note_id, front="readroom's older edit", now=datetime.now(timezone.utc))
    time.sleep(1.1)  # Anki keeps a note's modified time in seconds
    _edit_on_phone(phone, guid, "the phone's newer edit")
    phone.sync()
    report = _sync()
    assert (report.pulled_edits, report.edited_both) == (1, 1)
    assert "1 note edited on both sides kept the newer edit" in report.message()
    assert service.get_card(card.id).front == "the phone's newer edit"

    _edit_on_phone(phone, guid, "the phone's older edit")
    phone.sync()
    time.sleep(1.1)
    service.edit_note(note_id, front="readroom's newer edit", now=datetime.now(timezone.utc))
    report = _sync()
    assert (report.pulled_edits, report.edited_both, report.pushed_notes) == (0, 1, 1)
    phone.sync()
    assert service.get_card(card.id).front == field_text(phone.card_of(guid).note()["Front"]) == "readroom's newer edit"
