"""Connections on the stdlib sqlite3 module, for commands that must start in well under 0.3 s.

Importing SQLModel alone costs 0.6-1.0 s on our machines, so `readroom list` and friends read (and the hot
paths write) through these. The queries live in the storage module of their subject (papers.py, reading.py...);
the schema is still owned by models.py and the migrations.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from readroom import paths
from readroom.errors import ReadroomError, StorageError


class _Held(threading.local):
    """The connections a thread keeps open inside held_connections() (a sqlite3 connection stays in its thread)."""

    depth = 0
    db: Path | None = None  # the library the session is of, resolved once at its start
    conn: sqlite3.Connection | None = None  # read_db's
    writer: sqlite3.Connection | None = None  # write_db's, between its transactions
    file_id: tuple[int, int] | None = None  # (device, inode) of the file the connections are open on
    commits = 0  # by the writer: every CHECKPOINT_EVERY, a checkpoint in the background
    checkpointer: threading.Thread | None = None


_held = _Held()


@contextmanager
def held_connections() -> Iterator[None]:
    """Within the block, this thread's read_db() calls share one connection and its write_db() calls another,
    each opened and schema-checked once: a review step reads three times and writes once, and opening a
    connection (and finding the database's path) costs more than the statements. Outside a transaction each
    statement sees what other connections committed, so nothing read goes stale; each write_db() is still its own
    BEGIN IMMEDIATE ... COMMIT, as durable as on a fresh connection. The block is of one library: the database's
    path is resolved when it starts."""
    if _held.depth == 0:
        _held.db = paths.database_path()
    _held.depth += 1
    try:
        yield
    finally:
        _held.depth -= 1
        if _held.depth == 0:
            _drop_held()


def _drop_held() -> None:
    _close_held()
    _held.db = _held.file_id = None
    _held.commits = 0


def _close_held() -> None:
    for conn in (_held.conn, _held.writer):
        if conn is not None:
            conn.close()
    _held.conn = _held.writer = None


def _database() -> tuple[bool, Path]:
    """Whether this thread is inside held_connections(), and the database's path (the session's, when it is)."""
    if _held.depth > 0 and _held.db is not None:
        _forget_replaced(_held.db)
        return True, _held.db
    return False, paths.database_path()


def _forget_replaced(db: Path) -> None:
    """A library file replaced during the session (`readroom restore` in another window) is opened afresh: held
    connections would go on reading, and writing answers into, the file it replaced."""
    try:
        status = os.stat(db)
        now = (status.st_dev, status.st_ino)
    except OSError:
        now = None
    if now != _held.file_id:
        _close_held()
        _held.file_id = now


@contextmanager
def read_db() -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the user's database, migrated to the current schema first if it is behind, so
    every table exists; None when there is no database yet. SQLite errors come out as StorageError. Inside
    held_connections() it is the thread's held connection.

    Reading never writes, except to migrate a schema it has read and found old: a database it cannot read (locked,
    unreadable) is that error, never "needs upgrading". One connection serves both the schema check and the reads
    (opening one costs more than most queries)."""
    held, db = _database()
    try:
        conn: sqlite3.Connection | None = _held.conn if held else None
        if conn is None:
            conn = _open_read(db)
            if held:
                _held.conn = conn
        try:
            yield conn
        finally:
            if not held and conn is not None:
                conn.close()
    except sqlite3.Error as exc:
        raise _error(exc, db) from exc


def _open_read(db: Path) -> sqlite3.Connection | None:
    """read_db's connection, schema checked (and migrated when behind); None when there is no library yet."""
    from readroom.storage.schema import HEAD_REVISION

    conn = connect_readonly(db)
    if conn is None:
        return None
    try:
        current = _revision(conn)
        if current == HEAD_REVISION:
            return conn
        empty = current is None and not _has_tables(conn)
    except BaseException:
        conn.close()
        raise
    conn.close()
    if empty:
        return None  # an empty file is no library yet, and a read creates nothing
    _upgrade(current)  # before we read
    return connect_readonly(db)


def _upgrade(current: str | None) -> None:
    """Migrate the library, found behind head at `current` (after a backup). Its line starts here, before the import
    of SQLAlchemy and Alembic (~0.5 s), so the wait says what it is at once. An unversioned library's line waits:
    storage_db first makes sure its tables are readroom's."""
    from readroom.storage import backups

    progress = backups.Upgrading() if current is not None else None
    try:
        from readroom.storage import db as storage_db

        storage_db.engine(progress)
    finally:
        if progress is not None:
            progress.end()


def upgrade_if_behind() -> None:
    """Bring a library behind the current schema up to it now, its progress line on stderr from the first moment: the
    reading room calls this before it opens, since its screen would hide the line. A cheap read when the library is
    current (one connection, one row); nothing when there is none. A library it cannot read is left for the first
    read to report, as it would have been; a failed upgrade raises StorageError."""
    from readroom.storage.schema import HEAD_REVISION

    db = paths.database_path()
    try:
        conn = connect_readonly(db)
        if conn is None:
            return
        try:
            current = _revision(conn)
            behind = current != HEAD_REVISION and (current is not None or _has_tables(conn))
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ReadroomError):
        return
    if behind:
        _upgrade(current)


@contextmanager
def write_db() -> Iterator[sqlite3.Connection]:
    """One write transaction on the stdlib driver, for hot paths that must not wait for SQLAlchemy's import.

    BEGIN IMMEDIATE takes the write lock before the first read, so a read-modify-write (answer a card, undo)
    cannot build on a row another process is changing. The schema is checked in the same transaction (one
    connection, not two), once per connection: inside held_connections() the connection is kept for the next
    write. Committed on success, rolled back on any error; SQLite and disk failures come out as StorageError
    (and drop a held connection, so the next write starts afresh)."""
    held, db = _database()
    conn = _held.writer if held else None
    _held.writer = None  # taken: it comes back only when this transaction ends cleanly
    if conn is None and not db.is_file():
        from readroom.storage import db as storage_db

        storage_db.engine()  # creates the library first
    _backup_first(db)
    if conn is not None:
        conn = _begin_again(conn, db)
    else:
        conn = _begin(db)
        if held:
            conn.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run beside the session (_after_commit)
    keep = held
    try:
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if held:
            _after_commit(db)
    except sqlite3.Error as exc:
        keep = False
        raise _error(exc, db) from exc
    except OSError as exc:
        from readroom.storage.errors import os_storage_error

        keep = False
        raise os_storage_error(exc, db) from exc
    finally:
        if keep and _held.depth > 0:
            _held.writer = conn
        else:
            conn.close()


# Commits of a held writer between checkpoints: an answer adds ~12 pages to the WAL, and SQLite's own automatic
# checkpoint comes at 1,000 pages.
CHECKPOINT_EVERY = 100


def _after_commit(db: Path) -> None:
    """Every CHECKPOINT_EVERY commits, the WAL copied back into the database in a background thread. Done by the
    committing connection, as SQLite does by default, it makes an answer now and then take 10-30 ms (the copy and
    its fsync) instead of a fraction of one. Writers go on beside a PASSIVE checkpoint; the commits are already
    durable in the WAL, so a checkpoint cut short (a kill) loses nothing."""
    _held.commits += 1
    running = _held.checkpointer
    if _held.commits % CHECKPOINT_EVERY or (running is not None and running.is_alive()):
        return
    _held.checkpointer = threading.Thread(target=_checkpoint, args=(db,), name="readroom-checkpoint", daemon=True)
    _held.checkpointer.start()


def _checkpoint(db: Path) -> None:
    with suppress(sqlite3.Error):  # busy or failing: the next one, or the last connection's close, does it
        conn = sqlite3.connect(db, timeout=_busy_timeout())
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()


def _begin_again(conn: sqlite3.Connection, db: Path) -> sqlite3.Connection:
    """The write lock on a held connection, its schema checked when it was opened."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        conn.close()
        raise _error(exc, db) from exc
    return conn


def _begin(db: Path) -> sqlite3.Connection:
    """A connection holding the write lock on a database at the current schema (migrated first when behind)."""
    from readroom.storage.schema import HEAD_REVISION

    conn = _locked(db)
    try:
        current = _revision(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise _error(exc, db) from exc
    if current == HEAD_REVISION:
        return conn
    conn.execute("ROLLBACK")
    conn.close()
    _upgrade(current)  # then we take the lock again
    return _locked(db)


def _locked(db: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(db, timeout=_busy_timeout(), isolation_level=None)
    except sqlite3.Error as exc:
        raise _error(exc, db) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        conn.close()
        raise _error(exc, db) from exc
    return conn


# The daily backup, when a session started it early (warm_up_writes): the thread, and the moment its snapshot
# of the database was taken, after which writes may go on beside it.
_early_backup: tuple[threading.Thread, threading.Event] | None = None


def warm_up_writes() -> None:
    """Make today's backup in a background thread now, so the session's first write does not wait ~2 s for a
    copy of a large library. Writes wait only until the copy's snapshot is taken (a read transaction: the
    backup keeps the database as it was before them)."""
    global _early_backup
    from readroom.storage import backups

    db = paths.database_path()
    if not db.is_file() or (_early_backup is not None and _early_backup[0].is_alive()):
        return
    taken = threading.Event()
    thread = threading.Thread(target=backups.daily, args=(db,), kwargs={"snapshot_taken": taken.set},
                              name="readroom-daily-backup")  # not a daemon: quitting waits for a whole copy
    _early_backup = (thread, taken)
    thread.start()


def _backup_first(db: Path) -> None:
    """The first write of the day keeps a copy of the day before: made here, or by warm_up_writes' thread."""
    from readroom.storage import backups

    early = _early_backup
    if early is not None and early[0].is_alive():
        early[1].wait()
        return
    backups.daily(db)


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
