"""`readroom import-anki FILE`: a collection package from Anki desktop with reviews of readroom's cards.

Measures (issue 16): the first import of `--reviews` desktop answers, a second import of the same package (adds
nothing), and an import where every one of those cards was also answered in readroom (each replayed through
readroom's scheduler).

    /work/main/.venv/bin/python benchmarks/bench_import_anki.py [--cards 1000] [--reviews 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from _common import fresh_home


def timed_import(label: str, package: Path) -> None:
    from readroom.sync.import_package import import_anki

    start = time.perf_counter()
    report = import_anki(package, datetime.now(timezone.utc))
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s  {report.to_json()}")


def desktop_package(work: Path, readroom_apkg: Path, answered: int) -> Path:
    """Anki desktop: readroom's .apkg imported, `answered` new cards answered Good, a .colpkg exported."""
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder = Path(tempfile.mkdtemp(dir=work))
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("fsrs", True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(readroom_apkg),
                                                     options=ImportAnkiPackageOptions()))
    for cid in col.find_cards("is:new")[:answered]:
        card = col.get_card(cid)
        card.start_timer()
        col.sched.answerCard(card, 3)
    out = folder / "collection.colpkg"
    col.export_collection_package(str(out), include_media=False, legacy=False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000, help="readroom's cards, all exported to the desktop")
    parser.add_argument("--reviews", type=int, default=1000, help="desktop answers (one per card)")
    args = parser.parse_args()

    from readroom.cards import service
    from readroom.cards.scheduler import GOOD
    from readroom.export.apkg import export_apkg
    from readroom.export.selection import CardFilter

    fresh_home()
    work = Path(tempfile.mkdtemp(prefix="readroom-bench-import-"))
    made = datetime.now(timezone.utc) - timedelta(days=1)
    cards = [service.add_note("qa", f"question {i}", "answer", now=made)[0] for i in range(args.cards)]
    apkg, _notes, _cards = export_apkg(CardFilter(), work / "readroom.apkg", datetime.now(timezone.utc))
    package = desktop_package(work, apkg, args.reviews)
    timed_import(f"import {args.reviews} desktop reviews", package)
    timed_import("the same package again", package)

    fresh_home()  # again, with every card answered in readroom after the export too
    cards = [service.add_note("qa", f"question {i}", "answer", now=made)[0] for i in range(args.cards)]
    apkg, _notes, _cards = export_apkg(CardFilter(), work / "readroom2.apkg", datetime.now(timezone.utc))
    answered = datetime.now(timezone.utc) - timedelta(hours=2)
    for card in cards[:args.reviews]:
        service.answer(card.id, GOOD, answered)
    timed_import(f"import {args.reviews} answered on both sides", desktop_package(work, apkg, args.reviews))


if __name__ == "__main__":
    main()
