"""What an export takes: notes with their cards and papers, read in two queries with stdlib sqlite3 (fast at 10,000
cards), and the papers for BibTeX. A filter names one paper, one tag, or everything."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from readroom.errors import BadInput
from readroom.storage.types_light import parse_utc


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
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: datetime | None


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


_PAPER_COLUMNS = ("id, title, authors, year, arxiv_id, arxiv_version, classic_key, primary_category, doi, url,"
                  " journal_ref, published")


def _paper(row) -> PaperInfo:
    return PaperInfo(
        id=row["id"], title=row["title"], authors=json.loads(row["authors"] or "[]"), year=row["year"],
        arxiv_id=row["arxiv_id"], arxiv_version=row["arxiv_version"], classic_key=row["classic_key"],
        primary_category=row["primary_category"], doi=row["doi"], url=row["url"], journal_ref=row["journal_ref"],
        published=parse_utc(row["published"]),
    )


def _tag(tag: str) -> str:
    tag = tag.strip().lower()
    if not tag:
        raise BadInput("Give a tag to export, like --tag vision.")
    return tag


def select_notes(selection: CardFilter) -> list[ExportNote]:
    """The notes the filter picks, each with all its cards (a cloze travels whole), in creation order."""
    from readroom.library import normalize_tag, resolve
    from readroom.storage.fast import read_db

    where, params = "", []
    if selection.paper:
        where, params = "WHERE n.paper_id = ?", [resolve(selection.paper)]
    elif selection.tag:
        where = ("WHERE EXISTS (SELECT 1 FROM json_each(n.tags) WHERE value = ?)"
                 " OR EXISTS (SELECT 1 FROM paper_tag t WHERE t.paper_id = n.paper_id AND t.tag = ?)")
        params = [_tag(selection.tag), normalize_tag(selection.tag)]  # note tags keep spaces; paper tags do not
    with read_db() as conn:
        if conn is None:
            return []
        notes: dict[int, ExportNote] = {}
        papers: dict[str, PaperInfo] = {}
        rows = conn.execute(
            "SELECT n.id, n.uuid, n.kind, n.front, n.back, n.section, n.page, n.tags, n.updated_at, n.paper_id,"
            f" h.pass_no FROM note n LEFT JOIN highlight h ON h.id = n.highlight_id {where} ORDER BY n.id", params)
        for r in rows:
            paper = None
            if r["paper_id"]:
                paper = papers.get(r["paper_id"])
                if paper is None:
                    prow = conn.execute(f"SELECT {_PAPER_COLUMNS} FROM paper WHERE id = ?", (r["paper_id"],)).fetchone()
                    paper = papers[r["paper_id"]] = _paper(prow)
            notes[r["id"]] = ExportNote(
                id=r["id"], uuid=r["uuid"], kind=r["kind"], front=r["front"], back=r["back"], section=r["section"],
                page=r["page"], tags=json.loads(r["tags"] or "[]"), pass_no=r["pass_no"],
                updated_at=parse_utc(r["updated_at"]), paper=paper)
        if not notes:
            return []
        card_rows = conn.execute(
            "SELECT id, uuid, note_id, ord, state, step, stability, difficulty, due, last_review, reps, lapses,"
            f" suspended, buried_until FROM card c WHERE note_id IN (SELECT n.id FROM note n {where})"
            " ORDER BY note_id, ord", params)
        for r in card_rows:
            notes[r["note_id"]].cards.append(ExportCard(
                id=r["id"], uuid=r["uuid"], ord=r["ord"], state=r["state"], step=r["step"], stability=r["stability"],
                difficulty=r["difficulty"], due=parse_utc(r["due"]), last_review=parse_utc(r["last_review"]),
                reps=r["reps"], lapses=r["lapses"], suspended=bool(r["suspended"]),
                buried_until=parse_utc(r["buried_until"])))
    return [n for n in notes.values() if n.cards]


def select_papers(selection: CardFilter) -> list[PaperInfo]:
    """Papers for BibTeX: one, those with a tag (a paper tag), or the whole library, oldest added first."""
    from readroom.library import normalize_tag, resolve
    from readroom.storage.fast import read_db

    where, params = "", []
    if selection.paper:
        where, params = "WHERE id = ?", [resolve(selection.paper)]
    elif selection.tag:
        where = "WHERE id IN (SELECT paper_id FROM paper_tag WHERE tag = ?)"
        params = [normalize_tag(_tag(selection.tag))]
    with read_db() as conn:
        if conn is None:
            return []
        # rowid: insertion order, which breaks ties between papers added within one second
        sql = f"SELECT {_PAPER_COLUMNS} FROM paper {where} ORDER BY added_at, rowid"
        return [_paper(r) for r in conn.execute(sql, params)]
