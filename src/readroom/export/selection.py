"""What an export takes: notes with their cards and papers, and the papers for BibTeX, as records (the queries are
storage/export.py's). A filter names one paper, one tag, or everything."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from readroom.errors import BadInput
from readroom.records.cards import CardState
from readroom.tags import normalize_tag


@dataclass(frozen=True)
class CardFilter:
    """Which notes to export: those of one paper, those carrying a tag (on the note or on its paper), or all."""

    paper: str | None = None
    tag: str | None = None

    def describe(self) -> str:
        if self.paper:
            return f"paper {self.paper}"
        if self.tag:
            return f"tag {self.tag}"
        return "all cards"


@dataclass
class PaperInfo:
    id: str
    title: str
    authors: list[str]
    year: int | None
    arxiv_id: str | None
    arxiv_version: int | None
    classic_key: str | None
    primary_category: str | None
    doi: str | None
    url: str | None
    journal_ref: str | None = None
    published: datetime | None = None

    @property
    def key(self) -> str:
        """The short name tags carry: the classic key, else the arXiv id, else the id's first characters."""
        return self.classic_key or self.arxiv_id or self.id[:8]

    @property
    def link(self) -> str:
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or ""


@dataclass
class ExportCard:
    id: int
    uuid: str
    ord: int
    memory: CardState  # what FSRS schedules on, as the card browser's CardView holds it
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None
    flag: int = 0  # Anki's card flag (1 red .. 4 blue); Anki keeps it in cards.flags


@dataclass
class ExportNote:
    id: int
    uuid: str
    kind: str
    front: str
    back: str
    section: str | None
    page: int | None
    tags: list[str]
    pass_no: int | None
    updated_at: datetime
    paper: PaperInfo | None
    cards: list[ExportCard] = field(default_factory=list)
    image: str | None = None  # figure / occlude notes: the image, relative to $READROOM_HOME (media/…)
    areas: list[tuple[float, ...]] = field(default_factory=list)  # occlude notes: (left, top, width, height) fractions


def _tag(tag: str) -> str:
    if not tag.strip():
        raise BadInput("Give a tag to export, like --tag vision.")
    return normalize_tag(tag)


def select_notes(selection: CardFilter) -> list[ExportNote]:
    """The notes the filter picks, each with all its cards (a cloze travels whole), in creation order."""
    from readroom.library import resolve
    from readroom.storage.export import notes_with_cards

    if selection.paper:
        rows, paper_rows, card_rows = notes_with_cards(paper_id=resolve(selection.paper))
    elif selection.tag:
        rows, paper_rows, card_rows = notes_with_cards(tag=_tag(selection.tag))
    else:
        rows, paper_rows, card_rows = notes_with_cards()
    papers = {paper_id: PaperInfo(**row) for paper_id, row in paper_rows.items()}
    held = {key: p for p in papers.values() for key in (p.classic_key, p.arxiv_id) if key}
    notes = {row["id"]: ExportNote(**{k: v for k, v in row.items() if k != "paper_id"},
                                   paper=papers.get(row["paper_id"]) or _classic_paper(row, held)) for row in rows}
    for row in card_rows:
        notes[row.pop("note_id")].cards.append(ExportCard(**row))
    return [n for n in notes.values() if n.cards]


def _classic_paper(row: dict, held: dict[str, PaperInfo]) -> PaperInfo | None:
    """The paper of a starter-deck note not linked to a paper: the exported paper it is about (`held`: by classic
    key and arXiv id), else its catalogue entry. Such notes are the only ones with name-based (version 5) UUIDs, and
    decks.py tags each with its classic's key; a user's own note tagged `transformer` stays a note of no paper."""
    from readroom.sources.classics import find_classic

    if row["paper_id"] or not _name_based(row["uuid"]):
        return None
    classics = {c.key: c for c in filter(None, map(find_classic, row["tags"])) if c.key in row["tags"]}
    if len(classics) != 1:
        return None
    [classic] = classics.values()
    if paper := held.get(classic.key) or held.get(classic.arxiv or ""):  # held, but added since the deck's load
        return paper
    return PaperInfo(id=f"classic:{classic.key}", title=classic.title, authors=list(classic.authors),
                     year=classic.year, arxiv_id=classic.arxiv, arxiv_version=None, classic_key=classic.key,
                     primary_category=None, doi=None, url=classic.pdf_url)


def _name_based(text: str) -> bool:
    try:
        return uuid.UUID(text).version == 5
    except ValueError:
        return False


def select_papers(selection: CardFilter) -> list[PaperInfo]:
    """Papers for BibTeX: one, those with a tag (a paper tag), or the whole library, oldest added first."""
    from readroom.library import resolve
    from readroom.storage.export import papers

    if selection.paper:
        rows = papers(paper_id=resolve(selection.paper))
    elif selection.tag:
        rows = papers(tag=_tag(selection.tag))
    else:
        rows = papers()
    return [PaperInfo(**row) for row in rows]
