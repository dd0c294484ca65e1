"""The export use cases both faces call: `readroom export` and the app's export box run the same functions, so a
choice made here (what is written, where by default, what an empty selection says) holds for both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from readroom import paths
from readroom.errors import BadInput
from readroom.export import naming

if TYPE_CHECKING:
    from readroom.export.selection import CardFilter


@dataclass(frozen=True)
class Written:
    path: Path
    notes: int = 0
    cards: int = 0
    entries: int = 0  # BibTeX
    replaced: str = ""  # what the file replaced: "" (nothing was there), "same" (today's export of the same), "file"
    moved: int = 0  # earlier exports brought over from decks/ (once)
    held: str = "all cards"
    scheduling: str = ""  # with scheduling: the suffix written, "apkg" or "colpkg" (what Anki needs told differs)

    def message(self) -> str:
        if self.entries:
            text = f"Wrote {self.entries} BibTeX entr{'ies' if self.entries != 1 else 'y'} to {self.path}"
        else:
            cards, notes = f"{self.cards} card{'s' * (self.cards != 1)}", f"{self.notes} note{'s' * (self.notes != 1)}"
            text = f"Wrote {cards} ({notes}) to {self.path}"
        if self.replaced == "same":
            text += f", replacing today's earlier export of {self.held}"
            text += "" if self.entries else " (Anki updates the notes it has from it)"
        elif self.replaced == "file":
            text += ", replacing the file that was there"
        text += _ANKI_STEPS.get(self.scheduling, "")
        if self.moved:
            text += (f"\nMoved {self.moved} earlier export{'s' * (self.moved != 1)} from {paths.home() / 'decks'} "
                     f"to {paths.exports_dir()}.")
        return text

    def to_json(self) -> dict:
        counts = {"entries": self.entries} if self.entries else {"notes": self.notes, "cards": self.cards}
        return {"path": str(self.path), **counts, "replaced": bool(self.replaced), "moved": self.moved}


# An .apkg cannot switch FSRS on: it is a collection-wide setting in Anki, outside any preset it carries.
_ANKI_STEPS = {
    "apkg": "\nIn Anki: File > Import, tick \"Import any learning progress\" and \"Import any deck presets\"; then "
            "switch FSRS on in the deck options. The \"readroom\" preset holds your desired retention and FSRS "
            "parameters.",
    "colpkg": "\nIn Anki: File > Import REPLACES your whole collection with this one (FSRS on, the \"readroom\" "
              "preset with your desired retention and FSRS parameters).",
}


def export_cards(selection: CardFilter, path: Path | None, now: datetime, *, with_scheduling: bool = False) -> Written:
    """An Anki package of the selected cards (to the default path, named by the selection and the day, when none is
    given); with scheduling it is built through the Anki backend, carrying FSRS state and review history."""
    kind = "scheduling" if with_scheduling else "apkg"
    path, replaced, moved = _target(selection, path, kind, now)
    if with_scheduling:
        from readroom.export.anki_collection import export_with_scheduling

        _, notes, cards = export_with_scheduling(selection, path, now)
        scheduling = "colpkg" if path.suffix.lower() == ".colpkg" else "apkg"
    else:
        from readroom.export.apkg import export_apkg

        _, notes, cards = export_apkg(selection, path, now)
        scheduling = ""
    return Written(path, notes=notes, cards=cards, replaced=replaced, moved=moved, held=selection.describe(),
                   scheduling=scheduling)


def bibtex_text(selection: CardFilter) -> tuple[str, int]:
    """BibTeX for the selected papers and how many entries; BadInput when there are none."""
    from readroom.export.bibtex import bibtex

    text, count = bibtex(selection)
    if not count:
        raise BadInput("No papers to export; add some with `readroom add`.")
    return text, count


def write_bibtex(selection: CardFilter, path: Path | None, now: datetime) -> Written:
    from readroom.export.apkg import atomic_write

    text, count = bibtex_text(selection)
    path, replaced, moved = _target(selection, path, "bibtex", now)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    held = selection.describe().replace("all cards", "all papers")
    return Written(path, entries=count, replaced=replaced, moved=moved, held=held)


def default_path(selection: CardFilter, kind: str, now: datetime) -> Path:
    """Where an export goes when the user names no file (kind: apkg, scheduling or bibtex); see naming."""
    return naming.default_path(selection, kind, now)


def _target(selection: CardFilter, path: Path | None, kind: str, now: datetime) -> tuple[Path, str, int]:
    """The file to write, what it replaces, and how many old exports moved to exports/ first."""
    moved = naming.move_old_exports()
    default = naming.default_path(selection, kind, now)
    path = default if path is None else naming.checked_output(Path(path), kind)
    replaced = "" if naming.what_is(path) != "file" else "same" if path == default else "file"
    return path, replaced, moved
