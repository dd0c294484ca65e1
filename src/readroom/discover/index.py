"""The local arXiv-Sanity index in the library database: papers, sync state, dismissals, as records.

The queries are storage/discover.py's (fast stdlib reads, one transaction per page of a sync); this module
holds what Discover makes of them: the text a paper is known by, the search fallback's scores, clean ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from readroom.errors import BadInput
from readroom.records.arxiv import ArxivEntry
from readroom.sources.ids import parse_arxiv_id
from readroom.storage import discover as store
from readroom.terminal import excerpt


@dataclass
class SyncState:
    gaps: list[dict] = field(default_factory=list)  # unfinished stretches: {"start": offset, "total": results}
    last_sync_at: datetime | None = None
    completed_at: datetime | None = None
    total: int | None = None


@dataclass
class IndexStats:
    papers: int
    oldest: datetime | None
    newest: datetime | None
    dismissed: int


def document(title: str, authors: list[str], abstract: str) -> str:
    """The text a paper is known by for tf-idf: title, abstract and authors, as arxiv-sanity-lite has it."""
    return " ".join([title, abstract, " ".join(authors)])


# --------------------------------------------------------------------------------------------- reading


def stats() -> IndexStats:
    return IndexStats(*store.stats())


def state() -> tuple[int, int]:
    """(newest revision, number of papers): what the features cache is keyed by."""
    return store.state()


def documents(since_rev: int = 0) -> list[tuple[str, str, float, int]]:
    """(arxiv id, text, published as a POSIX timestamp, rev) of every paper written after `since_rev`."""
    return [(arxiv_id, document(title, authors, abstract), published.timestamp(), rev)
            for arxiv_id, title, authors, abstract, published, rev in store.documents(since_rev)]


def papers(ids: list[str]) -> dict[str, ArxivEntry]:
    return {row["arxiv_id"]: ArxivEntry(**row) for row in store.papers(ids)}


def known(ids: list[str]) -> dict[str, int]:
    """The version stored for each of `ids` the index already holds."""
    return store.versions(ids)


def matching(words: list[str]) -> dict[str, float]:
    """Papers holding every word in title, authors or abstract, scored as arxiv-sanity-lite's search does
    (title 10, authors 5, abstract 1 per occurrence): the fallback for words the tf-idf vocabulary lacks."""
    words = [w.lower() for w in words if w.strip()]
    if not words:
        return {}
    scores: dict[str, float] = {}
    for arxiv_id, title, authors, abstract in store.containing_all(words):
        title, authors, abstract = title.lower(), authors.lower(), abstract.lower()
        scores[arxiv_id] = sum(10 * title.count(w) + 5 * authors.count(w) + abstract.count(w) for w in words)
    return scores


def sync_state(source: str) -> SyncState:
    stored = store.sync_state(source)
    return SyncState(*stored) if stored is not None else SyncState()


def dismissed() -> set[str]:
    return store.dismissed()


# --------------------------------------------------------------------------------------------- writing


def store_page(source: str, listed: Iterable[ArxivEntry], gaps: list[dict], *, now: datetime, total: int | None,
               completed: bool = False) -> int:
    """Write one page of a listing and where the sync stands, in one transaction; returns how many papers
    were new or newer versions. Papers already stored at the same version are left as they are."""
    return store.store_page(source, listed, gaps, now=now, total=total, completed=completed)


def dismiss(arxiv_id: str, *, now: datetime, undo: bool = False) -> str:
    """Hide a paper from Discover and count it as a negative (or take that back); returns the clean id."""
    ref = parse_arxiv_id(arxiv_id)
    if ref is None:
        raise BadInput(f"'{excerpt(arxiv_id)}' is not an arXiv id (like 2403.01234).")
    store.set_dismissed(ref.id, now=now, dismissed=not undo)
    return ref.id
