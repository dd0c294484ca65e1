"""The .apkg of --with-scheduling is written by readroom itself (storage.anki_file, not Anki's backend): the same
notes, cards, note types and decks as the plain .apkg, a collection Anki's own database check finds sound, and one
that imports again without duplicating anything."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

from export.kit import NOW
from readroom.cards import actions, service
from readroom.cards.scheduler import AGAIN, GOOD
from readroom.export import anki_collection, apkg
from readroom.export.selection import CardFilter, select_notes


def _library(paper_id: str) -> None:
    """A paper's notes (a Q&A and a two-card cloze, one card flagged) and a loose note, with five answers."""
    (qa,) = service.add_note("qa", "Why <b>residual</b> & skip?", "Easier to optimise", paper_id=paper_id,
                             now=NOW - timedelta(days=30))
    c1, c2 = service.add_note("cloze", "{{c1::Residual}} nets go {{c2::deep}}.", paper_id=paper_id,
                              now=NOW - timedelta(days=30))
    (loose,) = service.add_note("qa", "not of the paper", "x", now=NOW - timedelta(days=30))
    actions.set_flag(c2.id, 3)
    for card, rating in ((qa, GOOD), (c1, GOOD), (c1, AGAIN), (qa, GOOD), (loose, GOOD)):
        service.answer(card.id, rating, NOW - timedelta(days=20 - card.id), elapsed_ms=5000)


def _collection(package: Path, folder: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extract("collection.anki2", folder)
    return folder / "collection.anki2"


def _notes_and_decks(collection: Path) -> tuple[list, list, dict, dict]:
    conn = sqlite3.connect(collection)
    try:
        notes = conn.execute("SELECT * FROM notes ORDER BY id").fetchall()
        cards = conn.execute("SELECT id, nid, did, ord, flags FROM cards ORDER BY id").fetchall()
        models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
    finally:
        conn.close()
    return notes, cards, json.loads(models), {k: v["name"] for k, v in json.loads(decks).items()}


def test_the_notes_are_the_plain_apkgs_own(tmp_path, resnet):
    _library(resnet)
    apkg.export_apkg(CardFilter(), tmp_path / "plain.apkg", NOW)
    anki_collection.export_with_scheduling(CardFilter(), tmp_path / "sched.apkg", NOW)
    plain = _notes_and_decks(_collection(tmp_path / "plain.apkg", tmp_path / "plain"))
    ours = _notes_and_decks(_collection(tmp_path / "sched.apkg", tmp_path / "sched"))
    assert ours == plain
    # ids in readroom's order: the Q&A, the cloze's c1 and c2 (flagged), the loose note's card
    assert len(plain[0]) == 3 and [card[4] for card in plain[1]] == [0, 0, 3, 0]


def test_anki_checks_the_collection_and_imports_it_again_without_duplicates(tmp_path, anki, resnet):
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    _library(resnet)
    path, _notes, _cards = anki_collection.export_with_scheduling(CardFilter(), tmp_path / "s.apkg", NOW)
    col = Collection(str(_collection(path, tmp_path / "unpacked")))  # the backend opens (upgrades) it as it is
    try:
        problems, ok = col.fix_integrity()
        assert ok, problems
    finally:
        col.close()

    col = anki().col
    for _ in range(2):
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True)))
        assert (col.note_count(), col.card_count(), col.db.scalar("SELECT count() FROM revlog")) == (3, 4, 5)
        assert [c["name"] for c in col.decks.all_config()].count("readroom") == 1
    problems, ok = col.fix_integrity()
    assert ok, problems


def test_an_export_of_one_paper_carries_its_answers_only(tmp_path, resnet):
    _library(resnet)
    path, notes, cards = anki_collection.export_with_scheduling(CardFilter(paper=resnet), tmp_path / "p.apkg", NOW)
    conn = sqlite3.connect(_collection(path, tmp_path / "paper"))
    try:
        logged = conn.execute("SELECT count(), count(DISTINCT cid) FROM revlog").fetchone()
        orphans = conn.execute("SELECT count() FROM revlog WHERE cid NOT IN (SELECT id FROM cards)").fetchone()[0]
    finally:
        conn.close()
    assert (notes, cards) == (2, 3)
    assert logged == (4, 2) and orphans == 0


def test_an_export_by_tag_carries_the_tagged_notes_answers_only(tmp_path, resnet):
    _library(resnet)
    (tagged,) = service.add_note("qa", "tagged", "t", tags=["later"], now=NOW - timedelta(days=30))
    service.answer(tagged.id, GOOD, NOW - timedelta(days=3), elapsed_ms=5000)
    service.answer(tagged.id, GOOD, NOW - timedelta(days=1), elapsed_ms=5000)
    path, notes, cards = anki_collection.export_with_scheduling(CardFilter(tag="later"), tmp_path / "t.apkg", NOW)
    conn = sqlite3.connect(_collection(path, tmp_path / "tag"))
    try:
        logged = conn.execute("SELECT r.ease, r.lastIvl = 0 FROM revlog r JOIN cards c ON c.id = r.cid"
                              " ORDER BY r.id").fetchall()
        flds = conn.execute("SELECT flds FROM notes").fetchall()
    finally:
        conn.close()
    assert (notes, cards) == (1, 1) and flds[0][0].startswith("tagged\x1f")
    assert logged == [(GOOD, 1), (GOOD, 0)]  # its two answers, the second with the first's interval before it


def _genanki_package(notes, out: Path) -> None:
    """The same notes written by genanki itself, a row at a time (what package_rows writes in bulk)."""
    import genanki

    plan = apkg.plan_package(notes)
    for deck in plan.decks:
        for planned in plan.notes[deck.deck_id]:
            note = genanki.Note(model=planned.model, fields=planned.fields, tags=planned.tags, guid=planned.guid,
                                due=planned.due)
            note.cards = [genanki.Card(ord_) for ord_, _flag, _card in planned.cards]
            note.write_to_db = (lambda write, mod: lambda cursor, _stamp, deck_id, ids:  # its own modified time
                                write(cursor, mod, deck_id, ids))(note.write_to_db, planned.modified)
            deck.add_note(note)
    genanki.Package(plan.decks, media_files=plan.media_files).write_to_file(str(out), timestamp=NOW.timestamp())


def _by_guid(collection: Path) -> tuple[list, list, tuple, list]:
    """Notes by GUID and cards by note and ord (genanki counts ids in deck order, readroom in its own), with every
    other column; the collection row and the schema."""
    with sqlite3.connect(collection) as conn:
        notes = conn.execute("SELECT guid, mid, mod, usn, tags, flds, sfld, csum, flags, data FROM notes"
                             " ORDER BY guid").fetchall()
        cards = conn.execute("SELECT n.guid, c.ord, c.did, c.mod, c.usn, c.type, c.queue, c.due, c.ivl, c.factor,"
                             " c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data FROM cards c"
                             " JOIN notes n ON n.id = c.nid ORDER BY n.guid, c.ord").fetchall()
        row = conn.execute("SELECT crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags FROM col").fetchone()
        col = (*row[:7], *map(json.loads, row[7:11]), row[11])  # the JSON as Anki reads it, not as it is spaced
        schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    return notes, cards, col, schema


def test_the_bulk_rows_are_the_ones_genanki_writes(tmp_path, resnet):
    _library(resnet)
    notes = select_notes(CardFilter())
    apkg.write_package(notes, tmp_path / "ours.apkg", NOW)
    _genanki_package(notes, tmp_path / "genanki.apkg")
    ours = _by_guid(_collection(tmp_path / "ours.apkg", tmp_path / "ours"))
    theirs = _by_guid(_collection(tmp_path / "genanki.apkg", tmp_path / "genanki"))
    assert len(ours[0]) == 3 and ours[0] == theirs[0]
    flagged = [card[15] for card in ours[1]]
    assert sorted(flagged) == [0, 0, 0, 3]  # genanki writes no flags: readroom's flagged c2 is the one difference
    assert [card[:15] + card[16:] for card in ours[1]] == [card[:15] + card[16:] for card in theirs[1]]
    assert ours[2:] == theirs[2:]
