"""Discover's queries: the index of recent arXiv papers, where each listing's sync stands, dismissals, and what
the library says about the user's taste.

Reads go through the stdlib sqlite3 path (fast.read_db), as the library's do, so listing and ranking start
without SQLAlchemy; writes go through SQLModel sessions, one transaction per page of a sync (so Ctrl-C keeps
every page that finished). Values come back decoded (lists, aware datetimes); discover/ makes records of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from readroom.storage.fast import read_db
from readroom.storage.sql import like_contains, placeholders
from readroom.storage.types_light import parse_utc

CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on bound parameters

# --------------------------------------------------------------------------------------------- the index


def stats() -> tuple[int, datetime | None, datetime | None, int]:
    """(papers, oldest and newest submission, dismissed papers)."""
    with read_db() as conn:
        if conn is None:
            return 0, None, None, 0
        n, oldest, newest = conn.execute(
            "SELECT count(*), min(published), max(published) FROM discover_paper").fetchone()
        dismissed = conn.execute("SELECT count(*) FROM discover_dismissed").fetchone()[0]
    return n, parse_utc(oldest), parse_utc(newest), dismissed


def state() -> tuple[int, int]:
    """(newest revision, number of papers)."""
    with read_db() as conn:
        if conn is None:
            return 0, 0
        rev, n = conn.execute("SELECT coalesce(max(rev), 0), count(*) FROM discover_paper").fetchone()
    return int(rev), int(n)


def documents(since_rev: int = 0) -> list[tuple[str, str, list[str], str, datetime, int]]:
    """(arxiv id, title, authors, abstract, published, rev) of every paper written after `since_rev`, in the
    order they were written (newest submission first within a revision)."""
    with read_db() as conn:
        if conn is None:
            return []
        rows = conn.execute("SELECT arxiv_id, title, authors, abstract, published, rev FROM discover_paper"
                            " WHERE rev > ? ORDER BY rev, published DESC", (since_rev,)).fetchall()
    return [(r[0], r[1], json.loads(r[2] or "[]"), r[3], parse_utc(r[4]), r[5]) for r in rows]


def papers(ids: list[str]) -> list[dict]:
    """The stored metadata of those of `ids` the index holds, one dict per paper (named as
    records.ArxivEntry's fields)."""
    found: list[dict] = []
    with read_db() as conn:
        if conn is None:
            return found
        for chunk in _chunks(ids):
            for r in conn.execute(
                    "SELECT arxiv_id, version, title, authors, abstract, categories, primary_category, published"
                    f" FROM discover_paper WHERE arxiv_id IN ({placeholders(chunk)})", chunk):
                found.append(dict(arxiv_id=r[0], version=r[1], title=r[2], authors=json.loads(r[3] or "[]"),
                                  abstract=r[4], categories=json.loads(r[5] or "[]"), primary_category=r[6],
                                  published=parse_utc(r[7])))
    return found


def versions(ids: list[str]) -> dict[str, int]:
    """The version stored for each of `ids` the index already holds."""
    result: dict[str, int] = {}
    with read_db() as conn:
        if conn is None:
            return result
        for chunk in _chunks(ids):
            result.update(conn.execute(f"SELECT arxiv_id, version FROM discover_paper WHERE arxiv_id IN "
                                       f"({placeholders(chunk)})", chunk).fetchall())
    return result


def containing_all(words: list[str]) -> list[tuple[str, str, str, str]]:
    """(arxiv id, title, authors as stored, abstract) of the papers holding every one of `words` (lowercase)
    in their lowercased title, authors or abstract."""
    where = " AND ".join(["(lower(title) LIKE ? ESCAPE '\\' OR lower(authors) LIKE ? ESCAPE '\\'"
                          " OR lower(abstract) LIKE ? ESCAPE '\\')"] * len(words))
    params = [p for w in words for p in [like_contains(w)] * 3]
    with read_db() as conn:
        if conn is None:
            return []
        return [tuple(r) for r in conn.execute(
            f"SELECT arxiv_id, title, authors, abstract FROM discover_paper WHERE {where}", params)]


def sync_state(source: str) -> tuple[list[dict], datetime | None, datetime | None, int | None] | None:
    """(gaps, last sync, completed, listing total) of one listing; None when it was never synced."""
    with read_db() as conn:
        if conn is None:
            return None
        row = conn.execute("SELECT gaps, last_sync_at, completed_at, total FROM discover_sync WHERE source = ?",
                           (source,)).fetchone()
    if row is None:
        return None
    try:
        gaps = [g for g in json.loads(row[0] or "[]") if isinstance(g, dict) and "start" in g]
    except ValueError:
        gaps = []  # a damaged state costs a re-walk, never the index
    return gaps, parse_utc(row[1]), parse_utc(row[2]), row[3]


def dismissed() -> set[str]:
    with read_db() as conn:
        if conn is None:
            return set()
        return {r[0] for r in conn.execute("SELECT arxiv_id FROM discover_dismissed")}


def store_page(source: str, listed: Iterable, gaps: list[dict], *, now: datetime, total: int | None,
               completed: bool = False) -> int:
    """Write one page of a listing and where the sync stands, in one transaction; returns how many papers
    were new or newer versions. Papers already stored at the same version are left as they are."""
    from sqlalchemy import func, select
    from sqlalchemy.dialects.sqlite import insert
    from sqlmodel import col

    from readroom.storage import db
    from readroom.storage.models import DiscoverPaper, DiscoverSync

    rows = [p for p in listed if p.published is not None]
    with db.session() as s:
        have = dict(s.execute(select(col(DiscoverPaper.arxiv_id), col(DiscoverPaper.version))
                           .where(col(DiscoverPaper.arxiv_id).in_([p.arxiv_id for p in rows]))).all()) if rows else {}
        fresh = [p for p in rows if have.get(p.arxiv_id, 0) < p.version]
        fresh = list({p.arxiv_id: p for p in reversed(fresh)}.values())  # a listing may repeat a paper
        if fresh:
            rev = (s.execute(select(func.max(DiscoverPaper.rev))).scalar() or 0) + 1
            values = [dict(arxiv_id=p.arxiv_id, version=p.version, title=p.title, authors=p.authors,
                           abstract=p.abstract, categories=p.categories, primary_category=p.primary_category,
                           published=p.published, updated=p.updated, rev=rev, fetched_at=now) for p in fresh]
            stmt = insert(DiscoverPaper).values(values)
            updated = {c: stmt.excluded[c] for c in values[0] if c != "arxiv_id"}
            s.execute(stmt.on_conflict_do_update(index_elements=["arxiv_id"], set_=updated))
        sync = s.get(DiscoverSync, source) or DiscoverSync(source=source)
        sync.gaps = json.dumps(gaps)
        sync.last_sync_at = now
        sync.total = total if total is not None else sync.total
        if completed:
            sync.completed_at = now
        s.add(sync)
    return len(fresh)


def set_dismissed(arxiv_id: str, *, now: datetime, dismissed: bool = True) -> None:
    """Record (or forget) that the user dismissed this paper; doing it twice changes nothing."""
    from readroom.storage import db
    from readroom.storage.models import DiscoverDismissed

    with db.session() as s:
        row = s.get(DiscoverDismissed, arxiv_id)
        if not dismissed and row is not None:
            s.delete(row)
        elif dismissed and row is None:
            s.add(DiscoverDismissed(arxiv_id=arxiv_id, dismissed_at=now))


def _chunks(items: list) -> Iterator[list]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


# --------------------------------------------------------------------------------------------- the library


def library_taste() -> tuple[list[tuple[str, str | None, str, list[str], str]], list[tuple[str, str]],
                             list[tuple[str, int, str]], set[str]]:
    """What ranking learns from, read in one go: the library's papers (id, arXiv id, title, authors, abstract),
    their tags (paper id, tag), reading states (paper id, pass, decision) and the ids of papers with cards."""
    with read_db() as conn:
        if conn is None:
            return [], [], [], set()
        papers = [(pid, arxiv_id, title, json.loads(authors or "[]"), abstract or "") for pid, arxiv_id, title, authors,
                  abstract in conn.execute("SELECT id, arxiv_id, title, authors, abstract FROM paper")]
        tags = [tuple(r) for r in conn.execute("SELECT paper_id, tag FROM paper_tag")]
        readings = [tuple(r) for r in conn.execute("SELECT paper_id, pass_no, decision FROM reading")]
        carded = {r[0] for r in conn.execute("SELECT DISTINCT paper_id FROM note WHERE paper_id IS NOT NULL")}
    return papers, tags, readings, carded
