"""The local arXiv-Sanity index in the library database: papers, sync state, dismissals.

Writes go through SQLModel sessions, one transaction per page of a sync (so Ctrl-C keeps every page that
finished); reads go through the stdlib sqlite3 path, as the library's do, so listing and ranking start fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from readroom.errors import BadInput
from readroom.sources.ids import parse_arxiv_id
from readroom.storage.fast import read_db
from readroom.storage.types_light import parse_utc


@dataclass
class IndexPaper:
    arxiv_id: str
    version: int
    title: str
    authors: list[str]
    abstract: str
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None

    @property
    def first_author(self) -> str:
        if not self.authors:
            return ""
        words = self.authors[0].split()
        return (words[-1] if words else self.authors[0]) + (" et al." if len(self.authors) > 1 else "")

    def to_json(self) -> dict:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


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
    with read_db() as conn:
        if conn is None:
            return IndexStats(0, None, None, 0)
        n, oldest, newest = conn.execute("SELECT count(*), min(published), max(published) FROM sanity_paper").fetchone()
        dismissed = conn.execute("SELECT count(*) FROM sanity_dismissed").fetchone()[0]
    return IndexStats(n, parse_utc(oldest), parse_utc(newest), dismissed)


def state() -> tuple[int, int]:
    """(newest revision, number of papers): what the features cache is keyed by."""
    with read_db() as conn:
        if conn is None:
            return 0, 0
        rev, n = conn.execute("SELECT coalesce(max(rev), 0), count(*) FROM sanity_paper").fetchone()
    return int(rev), int(n)


def documents(since_rev: int = 0) -> list[tuple[str, str, float, int]]:
    """(arxiv id, text, published as a POSIX timestamp, rev) of every paper written after `since_rev`."""
    with read_db() as conn:
        if conn is None:
            return []
        rows = conn.execute("SELECT arxiv_id, title, authors, abstract, published, rev FROM sanity_paper"
                            " WHERE rev > ? ORDER BY rev, published DESC", (since_rev,)).fetchall()
    return [(r[0], document(r[1], json.loads(r[2] or "[]"), r[3]), parse_utc(r[4]).timestamp(), r[5]) for r in rows]


def papers(ids: list[str]) -> dict[str, IndexPaper]:
    found: dict[str, IndexPaper] = {}
    with read_db() as conn:
        if conn is None:
            return found
        for chunk in _chunks(ids, 500):
            for r in conn.execute(
                    "SELECT arxiv_id, version, title, authors, abstract, categories, primary_category, published"
                    f" FROM sanity_paper WHERE arxiv_id IN ({','.join('?' * len(chunk))})", chunk):
                found[r[0]] = IndexPaper(r[0], r[1], r[2], json.loads(r[3] or "[]"), r[4], json.loads(r[5] or "[]"),
                                         r[6], parse_utc(r[7]))
    return found


def known(ids: list[str]) -> dict[str, int]:
    """The version stored for each of `ids` the index already holds."""
    result: dict[str, int] = {}
    with read_db() as conn:
        if conn is None:
            return result
        for chunk in _chunks(ids, 500):
            result.update(conn.execute(f"SELECT arxiv_id, version FROM sanity_paper WHERE arxiv_id IN "
                                       f"({','.join('?' * len(chunk))})", chunk).fetchall())
    return result


def matching(words: list[str]) -> dict[str, float]:
    """Papers holding every word in title, authors or abstract, scored as arxiv-sanity-lite's search does
    (title 10, authors 5, abstract 1 per occurrence): the fallback for words the tf-idf vocabulary lacks."""
    words = [w.lower() for w in words if w.strip()]
    if not words:
        return {}
    where = " AND ".join(["(lower(title) LIKE ? ESCAPE '\\' OR lower(authors) LIKE ? ESCAPE '\\'"
                          " OR lower(abstract) LIKE ? ESCAPE '\\')"] * len(words))
    params = [p for w in words for p in [_like(w)] * 3]
    scores: dict[str, float] = {}
    with read_db() as conn:
        if conn is None:
            return scores
        for arxiv_id, title, authors, abstract in conn.execute(
                f"SELECT arxiv_id, title, authors, abstract FROM sanity_paper WHERE {where}", params):
            title, authors, abstract = title.lower(), authors.lower(), abstract.lower()
            scores[arxiv_id] = sum(10 * title.count(w) + 5 * authors.count(w) + abstract.count(w) for w in words)
    return scores


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def sync_state(source: str) -> SyncState:
    with read_db() as conn:
        if conn is None:
            return SyncState()
        row = conn.execute("SELECT gaps, last_sync_at, completed_at, total FROM sanity_sync WHERE source = ?",
                           (source,)).fetchone()
    if row is None:
        return SyncState()
    try:
        gaps = [g for g in json.loads(row[0] or "[]") if isinstance(g, dict) and "start" in g]
    except ValueError:
        gaps = []  # a damaged state costs a re-walk, never the index
    return SyncState(gaps, parse_utc(row[1]), parse_utc(row[2]), row[3])


def dismissed() -> set[str]:
    with read_db() as conn:
        if conn is None:
            return set()
        return {r[0] for r in conn.execute("SELECT arxiv_id FROM sanity_dismissed")}


# --------------------------------------------------------------------------------------------- writing


def store_page(source: str, listed: Iterable, gaps: list[dict], *, now: datetime, total: int | None,
               completed: bool = False) -> int:
    """Write one page of a listing and where the sync stands, in one transaction; returns how many papers
    were new or newer versions. Papers already stored at the same version are left as they are."""
    from sqlalchemy import func, select
    from sqlalchemy.dialects.sqlite import insert

    from readroom.storage import db
    from readroom.storage.models import SanityPaper, SanitySync

    rows = [p for p in listed if p.published is not None]
    with db.session() as s:
        have = dict(s.execute(select(SanityPaper.arxiv_id, SanityPaper.version)
                           .where(SanityPaper.arxiv_id.in_([p.arxiv_id for p in rows]))).all()) if rows else {}
        fresh = [p for p in rows if have.get(p.arxiv_id, 0) < p.version]
        fresh = list({p.arxiv_id: p for p in reversed(fresh)}.values())  # a listing may repeat a paper
        if fresh:
            rev = (s.execute(select(func.max(SanityPaper.rev))).scalar() or 0) + 1
            values = [dict(arxiv_id=p.arxiv_id, version=p.version, title=p.title, authors=p.authors,
                           abstract=p.abstract, categories=p.categories, primary_category=p.primary_category,
                           published=p.published, updated=p.updated, rev=rev, fetched_at=now) for p in fresh]
            stmt = insert(SanityPaper).values(values)
            updated = {c: stmt.excluded[c] for c in values[0] if c != "arxiv_id"}
            s.execute(stmt.on_conflict_do_update(index_elements=["arxiv_id"], set_=updated))
        sync = s.get(SanitySync, source) or SanitySync(source=source)
        sync.gaps = json.dumps(gaps)
        sync.last_sync_at = now
        sync.total = total if total is not None else sync.total
        if completed:
            sync.completed_at = now
        s.add(sync)
    return len(fresh)


def dismiss(arxiv_id: str, *, now: datetime, undo: bool = False) -> str:
    """Hide a paper from Discover and count it as a negative (or take that back); returns the clean id."""
    from readroom.storage import db
    from readroom.storage.models import SanityDismissed

    ref = parse_arxiv_id(arxiv_id)
    if ref is None:
        raise BadInput(f"'{arxiv_id}' is not an arXiv id (like 2403.01234).")
    with db.session() as s:
        row = s.get(SanityDismissed, ref.id)
        if undo and row is not None:
            s.delete(row)
        elif not undo and row is None:
            s.add(SanityDismissed(arxiv_id=ref.id, dismissed_at=now))
    return ref.id


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
