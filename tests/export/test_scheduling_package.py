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
from readroom.export.selection import CardFilter


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
    assert len(plain[0]) == 3 and [card[4] for card in plain[1]] == [0, 0, 0, 3]  # the cloze's c2 flagged


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
