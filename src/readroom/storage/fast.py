"""Read-only queries with the stdlib sqlite3 module, for commands that must start in well under 0.3 s.

Importing SQLModel alone costs 0.6-1.0 s on our machines, so `readroom list` and friends read through here.
The schema is still owned by models.py and the migrations; this module only reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readroom import paths
from readroom.errors import StorageError
from readroom.records import PaperSummary
from readroom.storage.sql import like_contains, like_prefix
from readroom.storage.types_light import parse_utc

SORTS = {
    "added": "p.added_at DESC",
    "title": "p.title COLLATE NOCASE ASC",
    "year": "coalesce(p.year, 0) DESC, p.added_at DESC",
    "author": "json_extract(p.authors, '$[0]') COLLATE NOCASE ASC",
}


@contextmanager
def read_db() -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the user's database, migrated to the current schema first if it is behind, so
    every table exists; None when there is no database yet. SQLite errors come out as StorageError.

    One connection serves both the schema check and the reads (opening one costs more than most queries)."""
    from readroom.storage.schema import HEAD_REVISION

    db = paths.database_path()
    conn = None
    try:
        conn = connect_readonly(db)
        if conn is not None and _revision(conn) != HEAD_REVISION:
            conn.close()
            from readroom.storage import db as storage_db

            storage_db.engine()  # migrates (after a backup) before we read
            conn = connect_readonly(db)
        yield conn
    except sqlite3.Error as exc:
        raise StorageError(_describe(exc, db)) from exc
    finally:
        if conn is not None:
            conn.close()


@contextmanager
def write_db() -> Iterator[sqlite3.Connection]:
    """One write transaction on the stdlib driver, for hot paths that must not wait for SQLAlchemy's import.

    BEGIN IMMEDIATE takes the write lock before the first read, so a read-modify-write (answer a card, undo)
    cannot build on a row another process is changing. Committed on success, rolled back on any error; SQLite
    and disk failures come out as StorageError."""
    from readroom import config
    from readroom.storage.schema import HEAD_REVISION

    db = paths.database_path()
    if schema_revision(db) != HEAD_REVISION:
        from readroom.storage import db as storage_db

        storage_db.engine()  # creates or migrates (after a backup) first
    busy = config.load().storage.db_busy_timeout
    try:
        conn = sqlite3.connect(db, timeout=busy, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(_describe(exc, db)) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StorageError(_describe(exc, db)) from exc
    except OSError as exc:
        from readroom.storage.errors import describe_os_error

        raise StorageError(describe_os_error(exc, db)) from exc
    finally:
        conn.close()


def _describe(exc: sqlite3.Error, db: Path) -> str:
    from readroom.storage.errors import describe

    return describe(exc, db)


def connect_readonly(db: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when there is no database yet."""
    if not db.is_file():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5.0)
    conn.row_factory = sqlite3.Row
    return conn


def schema_revision(db: Path) -> str | None:
    conn = connect_readonly(db)
    if conn is None:
        return None
    try:
        return _revision(conn)
    finally:
        conn.close()


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (sqlite3.OperationalError, TypeError):
        return None


def has_tables(db: Path) -> bool:
    conn = connect_readonly(db)
    if conn is None:
        return False
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
    except sqlite3.DatabaseError:
        return True  # something is there, even if damaged: back it up before touching it
    finally:
        conn.close()


def list_papers(
    conn: sqlite3.Connection, *, tag: str | None = None, search: str | None = None, sort: str = "added",
    source: str | None = None, ids: list[str] | None = None,
) -> list[PaperSummary]:
    where, params = [], []
    if tag:
        where.append("EXISTS (SELECT 1 FROM paper_tag t WHERE t.paper_id = p.id AND t.tag = ?)")
        params.append(tag)
    if source:
        where.append("p.source = ?")
        params.append(source)
    if ids is not None:
        where.append(f"p.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    for word in (search or "").split():
        # Every word must appear in the title, the authors or the abstract.
        where.append("(p.title LIKE ? ESCAPE '\\' OR p.authors LIKE ? ESCAPE '\\' OR p.abstract LIKE ? ESCAPE '\\')")
        params.extend([like_contains(word)] * 3)
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


def resolve(conn: sqlite3.Connection, ref: str, arxiv_id: str | None) -> str:
    """The id of the one paper `ref` names; BadInput when several match, NotFound when none does."""
    from readroom.errors import BadInput, NotFound

    if arxiv_id and (row := conn.execute("SELECT id FROM paper WHERE arxiv_id = ?", (arxiv_id,)).fetchone()):
        return row["id"]
    if row := conn.execute("SELECT id FROM paper WHERE classic_key = ?", (ref.lower(),)).fetchone():
        return row["id"]
    if len(ref) >= 4:
        matches = [r["id"] for r in conn.execute(
            "SELECT id FROM paper WHERE id LIKE ? ESCAPE '\\' LIMIT 3",
            (like_prefix(ref.lower()),))]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise BadInput(f"'{ref}' matches several papers; give more characters of the id.")
    raise NotFound(f"No paper matches '{ref}' in your library; see `readroom list`.")


def find_id(conn: sqlite3.Connection, *, arxiv_id: str | None = None, classic_key: str | None = None,
            url: str | None = None, sha256: str | None = None) -> str | None:
    for column, value in (("arxiv_id", arxiv_id), ("classic_key", classic_key), ("url", url), ("pdf_sha256", sha256)):
        if value and (row := conn.execute(f"SELECT id FROM paper WHERE {column} = ?", (value,)).fetchone()):
            return row["id"]
    return None


def pdf_name(conn: sqlite3.Connection, paper_id: str) -> str | None:
    row = conn.execute("SELECT pdf_path FROM paper WHERE id = ?", (paper_id,)).fetchone()
    return row["pdf_path"] if row else None


def paper_detail(conn: sqlite3.Connection, paper_id: str):
    from readroom.records import PaperDetail
    from readroom.structure import Caption, Reference, Section

    summary = list_papers(conn, ids=[paper_id])[0]
    row = conn.execute("SELECT * FROM paper WHERE id = ?", (paper_id,)).fetchone()
    detail = PaperDetail(**vars(summary))
    for key in ("abstract", "doi", "url", "primary_category", "comment", "journal_ref", "latest_version",
                "pdf_path", "pdf_sha256", "pdf_size", "page_count", "parse_error"):
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
