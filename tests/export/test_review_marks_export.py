"""What review marks on a card reach Anki: a card's flag (ctrl+1..4) as Anki's card flag, and a marked note
(`*`) as Anki's `marked` tag, read back through the real Anki backend's import. Anki keeps both only when the
user imports with "Import any learning progress" (with_scheduling): a plain import drops flags and `marked`."""

from __future__ import annotations

import pytest

from export.kit import NOW
from readroom.cards import actions, service
from readroom.export import anki_collection, apkg
from readroom.export.selection import CardFilter


def _flags(col) -> dict[tuple[str, int], int]:
    flags = {}
    for cid in col.col.find_cards(""):
        card = col.col.get_card(cid)
        flags[(card.note().guid, card.ord)] = card.user_flag()
    return flags


@pytest.mark.parametrize("with_scheduling", [False, True], ids=["apkg", "with-scheduling"])
def test_flags_and_the_mark_arrive_in_anki(tmp_path, anki, with_scheduling):
    cloze1, cloze2 = service.add_note("cloze", "{{c1::Dropout}} drops {{c2::units}}.", now=NOW)
    (plain,) = service.add_note("qa", "Who proposed dropout?", "Srivastava et al.", now=NOW)
    actions.set_flag(cloze1.id, 1)
    actions.set_flag(cloze2.id, 4)
    actions.toggle_mark(plain.id)
    write = anki_collection.export_with_scheduling if with_scheduling else apkg.export_apkg
    path, _notes, _cards = write(CardFilter(), tmp_path / "out.apkg", NOW)
    col = anki()
    col.import_apkg(path, with_scheduling=True)
    assert _flags(col) == {(cloze1.note_uuid, 0): 1, (cloze1.note_uuid, 1): 4, (plain.note_uuid, 0): 0}
    assert {c.note_guid for c in col.cards() if "marked" in c.tags} == {plain.note_uuid}
