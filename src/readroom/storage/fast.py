"""Connections on the stdlib sqlite3 module, for commands that must start in well under 0.3 s.

Importing SQLModel alone costs 0.6-1.0 s on our machines, so `readroom list` and friends read (and the hot
paths write) through these. The queries live in the storage module of their subject (papers.py, reading.py...);
the schema is still owned by models.py and the migrations.
"""

from __future__ import annotations

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
    """A read-only connection, or None when there is no database yet (a folder or pipe in its place is BadInput)."""
    try:
        paths.check_regular(db, "a database file")
    except FileNotFoundError:
        return None
    # as_uri: a '?', '#' or '%' in the path is a character of the name, not part of the URI's syntax
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True, timeout=5.0)
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
