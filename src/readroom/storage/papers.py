"""Paper queries: the library's list, look-ups by id, arXiv id, key, URL or hash, a paper's detail, and its writes.

Reads use the stdlib sqlite3 path (`fast.read_db`) so `readroom list/show` and the reader open fast; writes use
SQLModel sessions, imported inside each function, one transaction per user action.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from readroom.errors import NotFound
from readroom.records.papers import PaperDetail, PaperSummary
from readroom.storage.fast import read_db
from readroom.storage.sql import IN_JSON, json_list, like_prefix
from readroom.storage.types_light import parse_utc

if TYPE_CHECKING:
    from readroom.structure import ParsedPaper

SORTS = {
    "added": "p.added_at DESC",
    "title": "p.title COLLATE NOCASE ASC",
    "year": "coalesce(p.year, 0) DESC, p.added_at DESC",
    "author": "json_extract(p.authors, '$[0]') COLLATE NOCASE ASC",
}


# --------------------------------------------------------------------------------------------- reading


def list_papers(*, tag: str | None = None, sort: str = "added", source: str | None = None,
                ids: list[str] | None = None) -> list[PaperSummary]:
    """Papers matching every filter given (none: the whole library), in `sort` order; [] with no database."""
    with read_db() as conn:
        return _summaries(conn, tag=tag, sort=sort, source=source, ids=ids) if conn else []


def search_fields() -> dict[str, tuple[str, list[str], str]]:
    """Each paper's (title, authors, abstract): what a search looks in (the rule is library.matches)."""
    with read_db() as conn:
        if conn is None:
            return {}
        return {r["id"]: (r["title"], json.loads(r["authors"] or "[]"), r["abstract"] or "")
                for r in conn.execute("SELECT id, title, authors, abstract FROM paper")}


def _summaries(conn: sqlite3.Connection, *, tag: str | None = None, sort: str = "added",
               source: str | None = None, ids: list[str] | None = None) -> list[PaperSummary]:
    where, params = [], []
    if tag:
        where.append("EXISTS (SELECT 1 FROM paper_tag t WHERE t.paper_id = p.id AND t.tag = ?)")
        params.append(tag)
    if source:
        where.append("p.source = ?")
        params.append(source)
    if ids is not None:
        where.append(f"p.id {IN_JSON}")
        params.append(json_list(ids))
    sql = (
        "SELECT p.id, p.source, p.title, p.authors, p.year, p.arxiv_id, p.arxiv_version, p.classic_key,"
        " p.added_at, p.parse_status,"
        " (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM paper_tag t WHERE t.paper_id = p.id ORDER BY tag))"
        " AS tags FROM paper p"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {SORTS[sort]}"
    )
    return [_summary(row) for row in conn.execute(sql, params)]


def _summary(row: sqlite3.Row) -> PaperSummary:
    return PaperSummary(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        authors=json.loads(row["authors"] or "[]"),
        year=row["year"],
        arxiv_id=row["arxiv_id"],
        arxiv_version=row["arxiv_version"],
        classic_key=row["classic_key"],
        added_at=parse_utc(row["added_at"]),
        parse_status=row["parse_status"],
        tags=row["tags"].split("\x1f") if row["tags"] else [],
    )


def matching_ids(ref: str, arxiv_id: str | None, doi: str | None = None) -> list[str] | None:
    """Ids of the papers `ref` may name: the one with that arXiv id, DOI (in any case, as DOIs are) or classic key,
    else up to three whose id starts with `ref` (4 characters or more); None when there is no database yet."""
    with read_db() as conn:
        if conn is None:
            return None
        if arxiv_id and (row := conn.execute("SELECT id FROM paper WHERE arxiv_id = ?", (arxiv_id,)).fetchone()):
            return [row["id"]]
        if doi and (row := conn.execute("SELECT id FROM paper WHERE lower(doi) = ?", (doi.lower(),)).fetchone()):
            return [row["id"]]
        if row := conn.execute("SELECT id FROM paper WHERE classic_key = ?", (ref.lower(),)).fetchone():
            return [row["id"]]
        if len(ref) < 4:
            return []
        return [r["id"] for r in conn.execute(
            "SELECT id FROM paper WHERE id LIKE ? ESCAPE '\\' LIMIT 3", (like_prefix(ref.lower()),))]


def find(*, arxiv_id: str | None = None, classic_key: str | None = None, url: str | None = None,
         sha256: str | None = None, doi: str | None = None) -> PaperSummary | None:
    """The first paper with one of these values (asked in this order; a DOI in any case, as DOIs are), or None."""
    with read_db() as conn:
        if conn is None:
            return None
        for column, value in (("arxiv_id", arxiv_id), ("classic_key", classic_key), ("url", url),
                              ("pdf_sha256", sha256), ("lower(doi)", doi and doi.lower())):
            if value and (row := conn.execute(f"SELECT id FROM paper WHERE {column} = ?", (value,)).fetchone()):
                return _summaries(conn, ids=[row["id"]])[0]
        return None


def pdf_name(paper_id: str) -> str | None:
    """The paper's PDF file name under papers/, or None (no such paper, or no database)."""
    with read_db() as conn:
        row = conn.execute("SELECT pdf_path FROM paper WHERE id = ?", (paper_id,)).fetchone() if conn else None
    return row["pdf_path"] if row else None


def arxiv_ids_present(arxiv_ids: Iterable[str]) -> set[str]:
    """Which of these arXiv ids are papers in the library."""
    wanted = sorted(set(arxiv_ids))
    if not wanted:
        return set()
    with read_db() as conn:
        if conn is None:
            return set()
        return {r[0] for r in conn.execute(
            f"SELECT arxiv_id FROM paper WHERE arxiv_id {IN_JSON}", (json_list(wanted),))}


def paper_detail(paper_id: str) -> PaperDetail:
    """Everything stored about one paper (which must exist): metadata, sections, figures, references."""
    from readroom.structure import Caption, Reference, Section

    with read_db() as conn:
        assert conn is not None  # the paper exists, so the database does
        summary = _summaries(conn, ids=[paper_id])[0]
        row = conn.execute("SELECT * FROM paper WHERE id = ?", (paper_id,)).fetchone()
        detail = PaperDetail(**vars(summary))
        for key in ("abstract", "doi", "url", "primary_category", "comment", "journal_ref", "latest_version",
                    "pdf_path", "pdf_sha256", "pdf_size", "page_count", "parse_error", "structure_source"):
            setattr(detail, key, row[key])
        detail.categories = json.loads(row["categories"] or "[]")
        detail.published = parse_utc(row["published"])
        detail.updated = parse_utc(row["updated"])
        detail.sections = [Section(r["title"], r["level"], r["page"], r["text"]) for r in conn.execute(
            "SELECT title, level, page, text FROM paper_section WHERE paper_id = ? ORDER BY position", (paper_id,))]
        detail.figures = [Caption(r["kind"], r["label"], r["caption"], r["page"]) for r in conn.execute(
            "SELECT kind, label, caption, page FROM paper_figure WHERE paper_id = ? ORDER BY position", (paper_id,))]
        detail.references = [Reference(r["raw"], r["arxiv_id"], r["doi"]) for r in conn.execute(
            "SELECT raw, arxiv_id, doi FROM paper_reference WHERE paper_id = ? ORDER BY position", (paper_id,))]
    return detail


# --------------------------------------------------------------------------------------------- writing


class AlreadyStored(Exception):
    """A paper with one of the new paper's identifying values is in the library (another readroom added it while
    this add was downloading); nothing was written."""

    def __init__(self, paper_id: str, column: str) -> None:
        super().__init__(paper_id, column)
        self.paper_id = paper_id
        self.column = column


def store(row: dict, parsed: ParsedPaper | None, tags: Iterable[str], *, paper_id: str, added_at: datetime,
          replace: bool = False, unique_on: Iterable[str] = (), before_commit: Callable[[], None] | None = None) -> None:
    """Write a paper (its `row` of Paper columns), its parsed structure and tags in one transaction.

    A new paper whose value in one of the `unique_on` columns another paper has raises AlreadyStored: the check
    runs under the write lock, so of two readrooms adding the same paper one adds it and the other is told.
    `replace` overwrites the columns of the existing paper `paper_id` and its structure (an arXiv update); its
    added_at and tags stay. `before_commit` runs once every row is written, inside the transaction (the PDF is
    moved into place there: a paper never commits without its file)."""
    from sqlmodel import col, select

    from readroom.storage import db
    from readroom.storage.models import Paper, PaperTag

    with db.session() as s:
        if replace:
            paper = _held(s, paper_id)
            for key, value in row.items():
                setattr(paper, key, value)
            _delete_structure(s, paper_id)
        else:
            for column in unique_on:
                if row.get(column) is not None and (held := s.exec(
                        select(col(Paper.id)).where(getattr(Paper, column) == row[column])).first()):
                    raise AlreadyStored(held, column)
            s.add(Paper(id=paper_id, added_at=added_at, **row))
            s.flush()
        if parsed:
            _add_structure(s, paper_id, parsed)
        for name in set(tags):
            s.merge(PaperTag(paper_id=paper_id, tag=name))
        if before_commit is not None:
            s.flush()
            before_commit()


def replace_structure(paper_id: str, parsed: ParsedPaper | None, parse_error: str | None) -> None:
    """Swap in a new parse of the paper's PDF (None: it could not be parsed, with `parse_error` saying why)."""
    from readroom.storage import db

    with db.session() as s:
        paper = _held(s, paper_id)
        _delete_structure(s, paper_id)
        if parsed:
            _add_structure(s, paper_id, parsed)
            paper.page_count = parsed.page_count
        paper.structure_source = parsed.structure_source if parsed else None
        paper.parse_status = "parsed" if parsed else "unparsed"
        paper.parse_error = parse_error


def _delete_structure(s, paper_id: str) -> None:
    from sqlmodel import col, delete

    from readroom.storage.models import PaperFigure, PaperReference, PaperSection

    for model in (PaperSection, PaperFigure, PaperReference):
        s.exec(delete(model).where(col(model.paper_id) == paper_id))


def _add_structure(s, paper_id: str, parsed: ParsedPaper) -> None:
    from readroom.storage.models import PaperFigure, PaperReference, PaperSection

    s.add_all(PaperSection(paper_id=paper_id, position=i, title=x.title, level=x.level, page=x.page, text=x.text)
              for i, x in enumerate(parsed.sections))
    s.add_all(PaperFigure(paper_id=paper_id, position=i, kind=x.kind, label=x.label, caption=x.caption, page=x.page)
              for i, x in enumerate(parsed.figures))
    s.add_all(PaperReference(paper_id=paper_id, position=i, raw=x.raw, arxiv_id=x.arxiv_id, doi=x.doi)
              for i, x in enumerate(parsed.references))


def delete_paper(paper_id: str, *, with_cards: bool = False) -> None:
    """Delete the paper; its structure, tags and reading state go with it (ON DELETE CASCADE). Its notes stay, of
    no paper, with their cards and reviews, unless `with_cards` (then they go in the same transaction)."""
    from sqlalchemy import delete
    from sqlmodel import col

    from readroom.storage import db
    from readroom.storage.models import Note

    with db.session() as s:
        paper = _held(s, paper_id)
        if with_cards:
            s.execute(delete(Note).where(col(Note.paper_id) == paper_id))
        s.delete(paper)


def card_counts(paper_id: str) -> tuple[int, int]:
    """(cards, reviews of them) of the paper's notes."""
    with read_db() as conn:
        if conn is None:
            return 0, 0
        cards, reviews = conn.execute(
            "SELECT count(*), coalesce(sum((SELECT count(*) FROM review_log r WHERE r.card_id = c.id)), 0)"
            " FROM card c JOIN note n ON n.id = c.note_id WHERE n.paper_id = ?", (paper_id,)).fetchone()
        return cards, reviews


def has_cards() -> bool:
    """Whether the collection holds any note: what stays of a library whose papers were all removed."""
    with read_db() as conn:
        return conn is not None and conn.execute("SELECT EXISTS (SELECT 1 FROM note)").fetchone()[0] == 1


def _held(s, paper_id: str):
    """The paper, read under the session's write lock; NotFound when another readroom removed it meanwhile."""
    from readroom.storage.models import Paper

    paper = s.get(Paper, paper_id)
    if paper is None:
        raise NotFound(f"No paper {paper_id} in the library; it was removed meanwhile.")
    return paper


def add_tags(paper_id: str, tags: Iterable[str]) -> None:
    from readroom.storage import db
    from readroom.storage.models import PaperTag

    with db.session() as s:
        _held(s, paper_id)
        for name in tags:
            s.merge(PaperTag(paper_id=paper_id, tag=name))


def remove_tags(paper_id: str, tags: Iterable[str]) -> None:
    from sqlmodel import col, delete

    from readroom.storage import db
    from readroom.storage.models import PaperTag

    with db.session() as s:
        s.exec(delete(PaperTag).where(col(PaperTag.paper_id) == paper_id, col(PaperTag.tag).in_(list(tags))))
