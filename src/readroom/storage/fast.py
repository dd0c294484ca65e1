"""Connections on the stdlib sqlite3 module, for commands that must start in well under 0.3 s.

Importing SQLModel alone costs 0.6-1.0 s on our machines, so `readroom list` and friends read (and the hot
paths write) through these. The queries live in the storage module of their subject (papers.py, reading.py...);
the schema is still owned by models.py and the migrations.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from readroom import paths
from readroom.errors import StorageError


@contextmanager
def read_db() -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the user's database, migrated to the current schema first if it is behind, so
    every table exists; None when there is no database yet. SQLite errors come out as StorageError.

    Reading never writes, except to migrate a schema it has read and found old: a database it cannot read (locked,
    unreadable) is that error, never "needs upgrading". One connection serves both the schema check and the reads
    (opening one costs more than most queries)."""
    from readroom.storage.schema import HEAD_REVISION

    db = paths.database_path()
    conn = None
    try:
        conn = connect_readonly(db)
        current = _revision(conn) if conn is not None else HEAD_REVISION
        if current != HEAD_REVISION:
            assert conn is not None
            empty = current is None and not _has_tables(conn)
            conn.close()
            conn = None  # an empty file is no library yet, and a read creates nothing
            if not empty:
                from readroom.storage import db as storage_db

                storage_db.engine()  # migrates (after a backup) before we read
                conn = connect_readonly(db)
        yield conn
    except sqlite3.Error as exc:
        raise _error(exc, db) from exc
    finally:
        if conn is not None:
            conn.close()


@contextmanager
def write_db() -> Iterator[sqlite3.Connection]:
    """One write transaction on the stdlib driver, for hot paths that must not wait for SQLAlchemy's import.

    BEGIN IMMEDIATE takes the write lock before the first read, so a read-modify-write (answer a card, undo)
    cannot build on a row another process is changing. Committed on success, rolled back on any error; SQLite
    and disk failures come out as StorageError."""
    from readroom.storage.schema import HEAD_REVISION

    db = paths.database_path()
    try:
        current = schema_revision(db)
    except sqlite3.Error as exc:
        raise _error(exc, db) from exc
    if current != HEAD_REVISION:
        from readroom.storage import db as storage_db

        storage_db.engine()  # creates or migrates (after a backup) first
    from readroom.storage import backups

    backups.daily(db)  # the first write of the day keeps a copy of the day before
    try:
        conn = sqlite3.connect(db, timeout=_busy_timeout(), isolation_level=None)
    except sqlite3.Error as exc:
        raise _error(exc, db) from exc
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
        raise _error(exc, db) from exc
    except OSError as exc:
        from readroom.storage.errors import os_storage_error

        raise os_storage_error(exc, db) from exc
    finally:
        conn.close()


def _error(exc: sqlite3.Error, db: Path) -> StorageError:
    from readroom.storage.errors import storage_error

    return storage_error(exc, db)


def _busy_timeout() -> float:
    from readroom import config

    return config.load().storage.db_busy_timeout


def connect_readonly(db: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when there is no database yet (a folder or pipe in its place is BadInput).
    It waits for a writer at most the busy timeout; a library in a folder nobody can write (a read-only disk or
    share) is opened as immutable, since SQLite cannot make the WAL index it reads with there, and nobody can be
    writing to it."""
    try:
        paths.check_regular(db, "a database file")
    except FileNotFoundError:
        return None
    conn = _open_readonly(db, "mode=ro")
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        conn.close()
        if os.access(db.parent, os.W_OK):
            raise
        conn = _open_readonly(db, "mode=ro&immutable=1")
    return conn


def _open_readonly(db: Path, flags: str) -> sqlite3.Connection:
    # as_uri: a '?', '#' or '%' in the path is a character of the name, not part of the URI's syntax
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?{flags}", uri=True, timeout=_busy_timeout())
    conn.row_factory = sqlite3.Row
    return conn


def schema_revision(db: Path) -> str | None:
    """The schema's migration id; None when there is no database or it has no version yet. A database that
    cannot be read raises sqlite3.Error: that is never taken for an old schema."""
    conn = connect_readonly(db)
    if conn is None:
        return None
    try:
        return _revision(conn)
    finally:
        conn.close()


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0


def has_tables(db: Path) -> bool:
    conn = None
    try:
        conn = connect_readonly(db)
        return conn is not None and _has_tables(conn)
    except sqlite3.OperationalError:
        raise  # locked or unreadable: say so, never guess
    except sqlite3.DatabaseError:
        return True  # something is there, even if damaged: back it up before touching it
    finally:
        if conn is not None:
            conn.close()
