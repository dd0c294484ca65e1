"""`readroom import-anki FILE` with packages the real Anki backend writes: readroom's .apkg imported into a
desktop collection, reviewed there, exported as a collection package or a deck package with scheduling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from readroom import config
from readroom.cards import service
from readroom.cards.scheduler import GOOD, REVIEW
from readroom.export.apkg import export_apkg
from readroom.export.selection import CardFilter


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", "import-anki", *argv], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ), stdin=subprocess.DEVNULL)


class Desktop:
    """Anki desktop, played by a collection of its own that imports readroom's export."""

    def __init__(self, folder: Path, *, fsrs: bool) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.col = Collection(str(folder / "collection.anki2"))
        self.col.set_config("fsrs", fsrs)

    def take(self, package: Path) -> None:
        from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        self.col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                              options=ImportAnkiPackageOptions()))

    def answer(self, guid: str, ease: int) -> None:
        note_id = self.col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
        card = self.col.get_card(self.col.card_ids_of_note(note_id)[0])
        card.start_timer()
        self.col.sched.answerCard(card, ease)

    def card_of(self, guid: str):
        note_id = self.col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
        return self.col.get_card(self.col.card_ids_of_note(note_id)[0])

    def answer_times(self) -> list[datetime]:
        return [datetime.fromtimestamp(ms // 1000, timezone.utc) for ms in self.col.db.list("SELECT id FROM revlog")]

    def colpkg(self) -> Path:
        out = self.folder / "collection.colpkg"
        self.col.export_collection_package(str(out), include_media=False, legacy=False)  # closes the collection
        self.col.reopen()
        return out

    def apkg(self) -> Path:
        from anki.import_export_pb2 import ExportAnkiPackageOptions

        out = self.folder / "decks.apkg"
        self.col.export_anki_package(out_path=str(out), limit=None, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False))
        return out


@pytest.fixture
def desktop(tmp_path):
    made = Desktop(tmp_path / "desktop", fsrs=True)
    yield made
    made.col.close()


def _exported(tmp_path: Path, *fronts: str):
    """readroom's notes, exported as an .apkg: the cards and their GUIDs."""
    made = [service.add_note("qa", front, "an answer", now=datetime.now(timezone.utc) - timedelta(days=1))[0]
            for front in fronts]
    path, _notes, _cards = export_apkg(CardFilter(), tmp_path / "readroom.apkg", datetime.now(timezone.utc))
    return path, [(card, service.get_card(card.id).note_uuid) for card in made]


def _expected(card, answers: list[tuple[int, datetime]]):
    """The card's state as readroom's scheduler replays these answers from its state before the first."""
    steps, _lapses = service.replay(card.uuid, card.memory, answers, config.load().review)
    return steps[-1][1]


def test_a_collection_package_brings_back_the_desktop_reviews_once(tmp_path, desktop):
    package, [(card, guid), (other, _)] = _exported(tmp_path, "What does dropout drop?", "Not reviewed")
    desktop.take(package)
    desktop.answer(guid, GOOD)
    desktop.answer(guid, GOOD)  # past the learning steps

    result = _cli(str(desktop.colpkg()), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"notes": 2, "reviews": 2, "replayed": 0}
    ours, theirs = service.get_card(card.id), desktop.card_of(guid)
    assert ours.memory.state == theirs.type == REVIEW and ours.reps == theirs.reps == 2
    assert ours.memory.stability == pytest.approx(theirs.memory_state.stability, abs=1e-3)
    assert ours.memory.difficulty == pytest.approx(theirs.memory_state.difficulty, abs=1e-3)
    assert (ours.memory.due.date() - datetime.now(timezone.utc).date()).days == pytest.approx(theirs.ivl, abs=1)
    assert [(c, r) for c, r, _at, _ms in service.review_history()] == [(card.id, GOOD), (card.id, GOOD)]
    assert service.get_card(other.id).reps == 0

    again = _cli(str(desktop.colpkg()))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "Found 2 of readroom's notes; brought in no new reviews."
    assert len(service.review_history()) == 2


def test_a_deck_package_without_fsrs_is_replayed_by_readroom(tmp_path):
    from readroom.sync.import_package import import_anki

    package, [(card, guid)] = _exported(tmp_path, "Why layer norm?")
    desktop = Desktop(tmp_path / "desktop", fsrs=False)  # Anki's default: no FSRS memory to take
    try:
        desktop.take(package)
        desktop.answer(guid, GOOD)
        desktop.answer(guid, GOOD)
        report = import_anki(desktop.apkg(), datetime.now(timezone.utc))
        times = desktop.answer_times()
    finally:
        desktop.col.close()
    assert (report.notes, report.reviews, report.replayed) == (1, 2, 1)
    ours = service.get_card(card.id)
    assert ours.memory == _expected(card, [(GOOD, at) for at in times])
    assert ours.reps == 2 and ours.memory.stability is not None


def test_a_card_answered_in_readroom_and_on_the_desktop_merges_both(tmp_path, desktop):
    from readroom.sync.import_package import import_anki

    package, [(card, guid)] = _exported(tmp_path, "What is attention?")
    here = datetime.now(timezone.utc) - timedelta(hours=3)
    service.answer(card.id, GOOD, here, elapsed_ms=1500)  # after the export: the desktop never saw it
    desktop.take(package)
    desktop.answer(guid, GOOD)

    report = import_anki(desktop.colpkg(), datetime.now(timezone.utc))
    assert (report.reviews, report.replayed) == (1, 1)
    history = [(c, r, at) for c, r, at, _ms in service.review_history()]
    [there] = desktop.answer_times()
    assert history == [(card.id, GOOD, here.replace(microsecond=0)), (card.id, GOOD, there)]
    ours = service.get_card(card.id)
    assert ours.memory == _expected(card, [(GOOD, here), (GOOD, there)])
    assert ours.reps == 2
    assert import_anki(desktop.colpkg(), datetime.now(timezone.utc)).reviews == 0


def _one_line(result: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert result.returncode == code
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, result.stderr


def test_what_is_not_a_package_of_readroom_notes_is_one_line(tmp_path, desktop):
    text = tmp_path / "notes.colpkg"
    text.write_text("not a zip")
    _one_line(_cli(str(text)), 2, "is not an Anki package")
    other_zip = tmp_path / "photos.apkg"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("photo.txt", "hello")
    _one_line(_cli(str(other_zip)), 2, "is not an Anki package")
    _one_line(_cli(str(tmp_path / "missing.colpkg")), 3, "No file")

    note = desktop.col.new_note(desktop.col.models.by_name("Basic"))
    note["Front"], note["Back"] = "the user's own card", "kept"
    desktop.col.add_note(note, desktop.col.decks.id("Spanish"))
    _one_line(_cli(str(desktop.colpkg())), 2, "holds none of readroom's notes")


def test_without_the_anki_package_one_line(tmp_path):
    probe = ("import sys; sys.modules['anki'] = None; from readroom import cli; "
             f"sys.exit(cli.main(['import-anki', {str(tmp_path / 'x.colpkg')!r}]))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "readroom: Importing from Anki needs the Anki backend: pip install 'readroom[sync]'."
