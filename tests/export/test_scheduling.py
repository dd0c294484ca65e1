"""--with-scheduling: what Anki opens carries readroom's FSRS state, intervals, due dates and review history."""

from __future__ import annotations

import builtins
import sqlite3
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from readroom import cli, config
from readroom.cards import service
from readroom.cards.scheduler import AGAIN, GOOD, study_day
from readroom.errors import BadInput
from readroom.export import anki_collection
from readroom.export.selection import CardFilter


def _studied(now: datetime) -> tuple[int, int, int]:
    """Three notes: one new, one in review after several answers, one suspended after a lapse."""
    new = service.add_note("qa", "never studied", "a", now=now - timedelta(days=40))[0]
    studied = service.add_note("qa", "studied", "a", now=now - timedelta(days=40))[0]
    lapsed = service.add_note("cloze", "{{c1::lapsed}} card", "", now=now - timedelta(days=40))[0]
    moment = now - timedelta(days=39)
    for rating in (GOOD, GOOD, GOOD):
        card = service.answer(studied.id, rating, moment, elapsed_ms=4000)
        moment = max(card.due, moment + timedelta(minutes=1))
    for rating in (GOOD, GOOD, AGAIN):
        card = service.answer(lapsed.id, rating, now - timedelta(days=30 - 10 * (rating == AGAIN)), elapsed_ms=90_000)
    service.set_suspended([lapsed.id])
    return new.id, studied.id, lapsed.id


def _open_apkg(anki, path):
    col = anki()
    col.import_apkg(path, with_scheduling=True)
    return col


def test_scheduling_travels_to_anki(tmp_path, anki):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    new_id, studied_id, lapsed_id = _studied(now)
    path, notes, cards = anki_collection.export_with_scheduling(CardFilter(), tmp_path / "s.apkg", now)
    assert (notes, cards) == (3, 3)
    col = _open_apkg(anki, path)
    by_text = {}
    for cid in col.col.find_cards(""):
        card = col.col.get_card(cid)
        by_text[card.note().fields[0].split("{{c1::")[-1].split("}}")[0]] = card

    ours = service.get_card(studied_id).memory
    studied = by_text["studied"]
    assert (studied.type, studied.queue, studied.reps, studied.lapses) == (2, 2, 3, 0)
    # Anki keeps memory state to a few decimals
    assert studied.memory_state.stability == pytest.approx(ours.stability, abs=2e-3)
    assert studied.memory_state.difficulty == pytest.approx(ours.difficulty, abs=2e-3)
    settings = config.load().review
    days_ahead = (study_day(ours.due, settings.zone(), settings.day_starts_at)[0]
                  - study_day(now, settings.zone(), settings.day_starts_at)[0]).days
    assert studied.due - col.col.sched.today == days_ahead
    assert studied.ivl == max(1, round((ours.due - ours.last_review) / timedelta(days=1)))
    assert studied.last_review_time == int(ours.last_review.timestamp())

    lapsed = by_text["lapsed"]
    assert lapsed.queue == -1 and lapsed.lapses == 1 and lapsed.reps == 3
    assert by_text["never studied"].type == 0 and by_text["never studied"].queue == 0

    revlog = col.col.db.all("SELECT cid, ease, time, type FROM revlog ORDER BY id")
    assert len(revlog) == 6
    assert [r[1] for r in revlog if r[0] == studied.id] == [GOOD, GOOD, GOOD]
    assert [r[1] for r in revlog if r[0] == lapsed.id] == [GOOD, GOOD, AGAIN]
    assert max(r[2] for r in revlog) == 60_000  # the answer timer is capped, as in Anki
    assert revlog[-1][3] == 1  # the lapse was a review


def test_a_colpkg_is_a_whole_collection_with_fsrs_on(tmp_path):
    from anki._backend import RustBackend
    from anki.collection import Collection

    now = datetime.now(timezone.utc).replace(microsecond=0)
    _studied(now)
    path, _notes, _cards = anki_collection.export_with_scheduling(CardFilter(), tmp_path / "all.colpkg", now)
    target = tmp_path / "restored"
    target.mkdir()
    RustBackend().import_collection_package(col_path=str(target / "collection.anki2"), backup_path=str(path),
                                            media_folder=str(target / "media"), media_db=str(target / "media.db"))
    col = Collection(str(target / "collection.anki2"))
    try:
        assert col.note_count() == 3
        assert col.db.scalar("SELECT count() FROM revlog") == 6
        assert col.get_config("fsrs") is True
        deck = col.decks.by_name("readroom")
        assert col.decks.config_dict_for_deck_id(deck["id"])["desiredRetention"] == pytest.approx(0.9)
    finally:
        col.close()


def test_without_the_anki_extra_an_apkg_with_scheduling_is_written_and_a_colpkg_names_the_install(
        monkeypatch, tmp_path, capsys):
    (card,) = service.add_note("qa", "q", "a", now=datetime.now(timezone.utc) - timedelta(days=2))
    service.answer(card.id, GOOD, datetime.now(timezone.utc) - timedelta(days=1))
    real_import = builtins.__import__

    def no_anki(name, *args, **kwargs):
        if name == "anki" or name.startswith("anki."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_anki)
    assert cli.main(["export", "--with-scheduling", "-o", str(tmp_path / "x.apkg")]) == 0
    with zipfile.ZipFile(tmp_path / "x.apkg") as package:
        package.extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as conn:  # the card's schedule and its answer went in
        assert conn.execute("SELECT type, reps FROM cards").fetchall() == [(1, 1)]
        assert conn.execute("SELECT count() FROM revlog").fetchone() == (1,)
    capsys.readouterr()
    with pytest.raises(BadInput, match=r"pip install 'readroom\[anki\]'"):
        anki_collection.export_with_scheduling(CardFilter(), tmp_path / "x.colpkg", datetime.now(timezone.utc))
    assert cli.main(["export", "--with-scheduling", "-o", str(tmp_path / "x.colpkg")]) == 2
    assert capsys.readouterr().err.strip() == f"readroom: {anki_collection.MISSING_ANKI}"
    assert not (tmp_path / "x.colpkg").exists()


FITTED = [round(0.2 + 0.1 * i, 4) for i in range(config.FSRS_PARAMETERS)]


def test_the_preset_carries_fsrs_retention_and_the_fitted_parameters_into_anki(tmp_path, anki):
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    now = datetime.now(timezone.utc).replace(microsecond=0)
    _studied(now)
    settings = config.ReviewConfig(desired_retention=0.85, parameters=tuple(FITTED), new_per_day=7)
    path, _notes, _cards = anki_collection.export_with_scheduling(CardFilter(), tmp_path / "s.apkg", now, settings)
    col = anki().col
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=True)))
    deck = col.decks.by_name("readroom")
    preset = col.decks.config_dict_for_deck_id(deck["id"])
    assert preset["name"] == "readroom"
    assert preset["desiredRetention"] == pytest.approx(0.85)
    assert preset["fsrsParams6"] == pytest.approx(FITTED, abs=1e-4)
    assert preset["new"]["perDay"] == 7
    # FSRS itself is a collection setting no .apkg carries; the export says how to switch it on
    assert not col.get_config("fsrs", False)


def test_the_export_message_says_what_to_do_in_anki(tmp_path, capsys):
    _studied(datetime.now(timezone.utc).replace(microsecond=0))
    assert cli.main(["export", "--with-scheduling", "-o", str(tmp_path / "s.apkg")]) == 0
    out = capsys.readouterr().out
    assert "Import any learning progress" in out and "switch FSRS on in the deck options" in out
    assert cli.main(["export", "--with-scheduling", "-o", str(tmp_path / "all.colpkg")]) == 0
    out = capsys.readouterr().out
    assert "REPLACES your whole collection" in out and "FSRS on" in out
