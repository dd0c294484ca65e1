"""Discover's queries: the index of recent arXiv papers, where each listing's sync stands, dismissals, and what
the library says about the user's taste.

Reads go through the stdlib sqlite3 path (fast.read_db), as the library's do, so listing and ranking start
without SQLAlchemy; a sync writes on that path too, one transaction per page (so Ctrl-C keeps every page that
finished); the rarer writes (dismissals) go through SQLModel sessions. Values come back decoded (lists, aware
datetimes); discover/ makes records of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from readroom.storage.fast import read_db, write_db
from readroom.storage.sql import like_contains, placeholders, stored_time
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
    were new or newer versions. Papers already stored at the same version are left as they are. On the stdlib
    driver: a sync into an index at the current schema never waits for SQLAlchemy's import (~0.6 s)."""
    rows = [p for p in listed if p.published is not None]
    with write_db() as conn:
        have: dict[str, int] = {}
        ids = [p.arxiv_id for p in rows]
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            have.update(conn.execute(f"SELECT arxiv_id, version FROM discover_paper WHERE arxiv_id IN "
                                     f"({placeholders(chunk)})", chunk).fetchall())
        fresh = [p for p in rows if have.get(p.arxiv_id, 0) < p.version]
        fresh = list({p.arxiv_id: p for p in reversed(fresh)}.values())  # a listing may repeat a paper
        if fresh:
            rev = (conn.execute("SELECT max(rev) FROM discover_paper").fetchone()[0] or 0) + 1
            conn.executemany(
                "INSERT INTO discover_paper (arxiv_id, version, title, authors, abstract, categories, "
                "primary_category, published, updated, rev, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (arxiv_id) DO UPDATE SET version = excluded.version, title = excluded.title, "
                "authors = excluded.authors, abstract = excluded.abstract, categories = excluded.categories, "
                "primary_category = excluded.primary_category, published = excluded.published, "
                "updated = excluded.updated, rev = excluded.rev, fetched_at = excluded.fetched_at",
                [(p.arxiv_id, p.version, p.title, _json_list(p.authors), p.abstract, _json_list(p.categories),
                  p.primary_category, stored_time(p.published), stored_time(p.updated) if p.updated else None,
                  rev, stored_time(now)) for p in fresh])
        conn.execute(
            "INSERT INTO discover_sync (source, gaps, last_sync_at, completed_at, total) VALUES (?,?,?,?,?) "
            "ON CONFLICT (source) DO UPDATE SET gaps = excluded.gaps, last_sync_at = excluded.last_sync_at, "
            "completed_at = coalesce(excluded.completed_at, completed_at), total = coalesce(excluded.total, total)",
            (source, json.dumps(gaps), stored_time(now), stored_time(now) if completed else None, total))
    return len(fresh)


def _json_list(values: Iterable[str] | None) -> str:
    return json.dumps(list(values or []), ensure_ascii=False)  # as types.JSONList writes it


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
