"""Starter-deck queries: which deck notes are loaded, and loading new ones (notes, their cards, paper links)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from readroom.storage.fast import read_db
from readroom.storage.sql import placeholders

CHUNK = 900  # under SQLite's limit on bound parameters


@dataclass(frozen=True)
class DeckNote:
    """A deck's note as it is stored, with its cards as (card uuid, cloze number; 0 for a qa card)."""

    uuid: str
    kind: str
    front: str
    back: str
    classic: str | None  # the key of the classic it is about, linked once that paper is in the library
    section: str | None
    tags: list[str]
    cards: list[tuple[str, int]]


@dataclass(frozen=True)
class Loaded:
    added: int  # notes
    cards_added: int
    already: int  # notes that were loaded before
    linked: int  # notes loaded before, now linked to their paper


def loaded_uuids(uuids: list[str]) -> set[str]:
    """Which of these note UUIDs are in the collection."""
    with read_db() as conn:
        if conn is None:
            return set()
        found: set[str] = set()
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start:start + CHUNK]
            found.update(r[0] for r in conn.execute(f"SELECT uuid FROM note WHERE uuid IN ({placeholders(chunk)})",
                                                    chunk))
        return found


def load(notes: list[DeckNote], classic_of_arxiv: dict[str, str], now: datetime, *, card_state: int) -> Loaded:
    """In one transaction: add the notes not loaded yet, their cards in `card_state` and due `now` (in the given
    order), and link loaded notes without a paper to their classic if it is in the library now. A classic counts
    as in the library when a paper has its key, or its arXiv id (`classic_of_arxiv`: arXiv id -> classic key)."""
    from sqlalchemy import insert, update

    from readroom.storage import db
    from readroom.storage.models import Card, Note

    with db.session() as s:
        papers = _paper_ids(s, {n.classic for n in notes if n.classic}, classic_of_arxiv)
        by_uuid = {n.uuid: n for n in notes}
        existing = {u: (i, p) for u, i, p in _notes_by_uuid(s, (Note.uuid, Note.id, Note.paper_id), list(by_uuid))}
        linked = 0
        for note_uuid, (note_id, paper_id) in existing.items():
            classic = by_uuid[note_uuid].classic
            if paper_id is None and classic in papers:
                s.execute(update(Note).where(Note.id == note_id).values(paper_id=papers[classic]))
                linked += 1
        new = [n for u, n in by_uuid.items() if u not in existing]
        if new:
            s.execute(insert(Note), [dict(
                uuid=n.uuid, kind=n.kind, front=n.front, back=n.back,
                paper_id=papers.get(n.classic) if n.classic else None, section=n.section, tags=n.tags,
                created_at=now, updated_at=now) for n in new])
            ids = dict(_notes_by_uuid(s, (Note.uuid, Note.id), [n.uuid for n in new]))
            s.execute(insert(Card), [dict(uuid=card_uuid, note_id=ids[n.uuid], ord=number, state=card_state, due=now,
                                          created_at=now, reps=0, lapses=0, suspended=False, leech=False)
                                     for n in new for card_uuid, number in n.cards])
    return Loaded(len(new), sum(len(n.cards) for n in new), len(existing), linked)


def _notes_by_uuid(s, columns: tuple, uuids: list[str]) -> list[tuple]:
    """Rows of `columns` for the notes with these UUIDs, asked in chunks."""
    from sqlalchemy import select
    from sqlmodel import col

    from readroom.storage.models import Note

    rows: list[tuple] = []
    for start in range(0, len(uuids), CHUNK):
        rows.extend(tuple(r) for r in s.execute(select(*columns).where(col(Note.uuid).in_(uuids[start:start + CHUNK]))))
    return rows


def _paper_ids(s, keys: set[str], classic_of_arxiv: dict[str, str]) -> dict[str, str]:
    """classic key -> library paper id, for the classics in the library (added by name or by arXiv id)."""
    from sqlalchemy import or_, select
    from sqlmodel import col

    from readroom.storage.models import Paper

    if not keys:
        return {}
    found: dict[str, str] = {}
    rows = s.execute(select(col(Paper.id), col(Paper.classic_key), col(Paper.arxiv_id)).where(
        or_(col(Paper.classic_key).in_(keys), col(Paper.arxiv_id).in_(list(classic_of_arxiv)))))
    for paper_id, classic_key, arxiv_id in rows:
        key = classic_key if classic_key in keys else classic_of_arxiv.get(arxiv_id)
        if key:
            found.setdefault(key, paper_id)
    return found
