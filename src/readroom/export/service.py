"""The export use cases both faces call: `readroom export` and the app's export box run the same functions, so a
choice made here (what is written, where by default, what an empty selection says) holds for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from readroom.errors import BadInput

if TYPE_CHECKING:
    from readroom.export.selection import CardFilter


@dataclass(frozen=True)
class Written:
    path: Path
    notes: int = 0
    cards: int = 0
    entries: int = 0  # BibTeX

    def message(self) -> str:
        if self.entries:
            return f"Wrote {self.entries} BibTeX entr{'ies' if self.entries != 1 else 'y'} to {self.path}"
        cards, notes = f"{self.cards} card{'s' * (self.cards != 1)}", f"{self.notes} note{'s' * (self.notes != 1)}"
        return f"Wrote {cards} ({notes}) to {self.path}"


def export_cards(selection: CardFilter, path: Path | None, now: datetime, *, with_scheduling: bool = False) -> Written:
    """An Anki package of the selected cards (to the dated default path when none is given); with scheduling it is
    built through the Anki backend, carrying FSRS state and review history."""
    if with_scheduling:
        from readroom.export.anki_collection import export_with_scheduling

        written, notes, cards = export_with_scheduling(selection, path, now)
    else:
        from readroom.export.apkg import export_apkg

        written, notes, cards = export_apkg(selection, path, now)
    return Written(Path(written), notes=notes, cards=cards)


def bibtex_text(selection: CardFilter) -> tuple[str, int]:
    """BibTeX for the selected papers and how many entries; BadInput when there are none."""
    from readroom.export.bibtex import bibtex

    text, count = bibtex(selection)
    if not count:
        raise BadInput("No papers to export; add some with `readroom add`.")
    return text, count


def write_bibtex(selection: CardFilter, path: Path) -> Written:
    from readroom.export.apkg import atomic_write

    text, count = bibtex_text(selection)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return Written(path, entries=count)


def default_path(what: str, now: datetime) -> Path:
    """Where an export goes when the user names no file: `.bib` for BibTeX, else the dated `.apkg`."""
    from readroom.export import apkg

    path = apkg.default_path(now)
    return path.with_suffix(".bib") if what == "bibtex" else path
