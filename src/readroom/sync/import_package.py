"""`readroom import-anki FILE`: the reviews of readroom's notes in a package Anki desktop exported (a collection
package, .colpkg, or a deck package with scheduling, .apkg), for AnkiWeb users, whom `readroom sync` cannot serve.

Anki's backend imports the package into a temporary collection (it reads every package version, zstd-compressed
collection.anki21b included, and moves day-numbered due dates onto that collection's days); readroom's notes are
found there by GUID (the note UUIDs export gives them) and their answers brought in as a sync's pull brings them,
matched by (card, second), so a second import of the same package adds nothing.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from readroom import config
from readroom.cards.scheduler import study_day
from readroom.errors import BadInput, NotFound
from readroom.sync.pull import pull, readroom_cards
from readroom.sync.words import counted
from readroom.terminal import excerpt

MISSING_ANKI = "Importing from Anki needs the Anki backend: pip install 'readroom[sync]'."


@dataclass(frozen=True)
class ImportReport:
    notes: int  # readroom's notes found in the package
    reviews: int  # answers readroom did not hold, now in its review log
    replayed: int  # cards answered on both sides, their state replayed through readroom's scheduler

    def to_json(self) -> dict:
        return asdict(self)

    def message(self) -> str:
        line = (f"Found {self.notes} of readroom's notes; brought in "
                f"{counted(self.reviews, 'new review') or 'no new reviews'}.")
        if self.replayed:
            line += (f" {counted(self.replayed, 'card')} answered in readroom too "
                     f"{'was' if self.replayed == 1 else 'were'} rescheduled from both sides' answers in time order.")
        return line


def import_anki(path: Path, now: datetime) -> ImportReport:
    """Bring the reviews of readroom's notes in the package at `path` into readroom. NotFound when there is no
    such file; BadInput when it is not an Anki package, holds none of readroom's notes, or the backend is
    missing."""
    try:
        from anki.collection import Collection
    except ImportError:
        raise BadInput(MISSING_ANKI) from None
    from readroom.storage import sync as rows

    if not path.is_file():
        raise NotFound(f"No file {excerpt(str(path))}.")
    settings = config.load().review
    with tempfile.TemporaryDirectory(prefix="readroom-import-") as work:
        collection = Path(work) / "collection.anki2"
        anki_today = _open(Collection, collection, path, settings.day_starts_at)
        cards, reviews = rows.companion(collection)
    ours = readroom_cards(rows.card_keys())
    found = {guid for _cid, guid, ord_, *_ in cards if (guid, ord_) in ours}
    if not found:
        raise BadInput(f"{excerpt(path.name)} holds none of readroom's notes (they reach Anki by `readroom export`); "
                       "nothing was imported.")
    day_start = study_day(now, settings.zone(), settings.day_starts_at)[1]
    pulled = pull(ours, cards, reviews, rows.review_seconds(), settings, anki_today, day_start)
    return ImportReport(len(found), pulled.reviews, len(pulled.replayed))


def _open(Collection, collection: Path, package: Path, day_starts_at: int) -> int:
    """Import `package` into a new collection at `collection` with its schedules; returns the collection's day
    number today (what its due dates count from)."""
    from anki.errors import BackendError
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    not_package = BadInput(f"{excerpt(package.name)} is not an Anki package: export a collection package "
                           "(.colpkg) or a deck package with scheduling (.apkg) from Anki desktop.")
    if not zipfile.is_zipfile(package):
        raise not_package
    col = Collection(str(collection))
    try:
        col.set_config("rollover", day_starts_at)  # its days roll over with readroom's
        try:
            col.import_anki_package(ImportAnkiPackageRequest(
                package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)))
        except BackendError:
            raise not_package from None
        return col.sched.today
    finally:
        col.close()

