"""The database engine, created on first use (never at import), migrated on open, with errors in plain words."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from readroom import config, paths
from readroom.errors import StorageError
from readroom.storage import backups, fast
from readroom.storage.errors import os_storage_error, storage_error
from readroom.storage.schema import HEAD_REVISION

MIGRATIONS = Path(__file__).with_name("migrations")

_engines: dict[str, Engine] = {}


def engine(progress: backups.Upgrading | None = None) -> Engine:
    """The engine for the current $READROOM_HOME, migrated to the newest schema. `progress`: the upgrade's line, when
    the caller found the library behind and started it (it ends it too)."""
    db = paths.database_path()
    key = str(db)
    if key not in _engines:
        with translate_errors(db):
            db.parent.mkdir(parents=True, exist_ok=True)
            new = _create(db)
            _migrate(new, db, progress)
        _engines[key] = new
    return _engines[key]


def dispose_all() -> None:
    """Close every pooled connection (tests switch homes; the CLI exits)."""
    for eng in _engines.values():
        eng.dispose()
    _engines.clear()


@contextmanager
def session() -> Iterator[Session]:
    """One transaction per user action: committed on success, rolled back on any error."""
    db = paths.database_path()
    with translate_errors(db):
        eng = engine()
        backups.daily(db)  # the first write of the day keeps a copy of the day before
    with translate_errors(db), Session(eng, expire_on_commit=False) as s:
        with s.begin():
            yield s


def _wal(cur: sqlite3.Cursor, busy: float) -> None:
    """WAL mode, once per library: a library already in it is left as it is. Switching needs the file to itself,
    and SQLite answers "locked" at once, without its busy wait, while another readroom holds it (two commands
    creating a new library together): so the switch is tried again until the busy timeout."""
    deadline = time.monotonic() + busy
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _create(db: Path) -> Engine:
    busy = config.load().storage.db_busy_timeout
    # URL.create: a '?', '#' or '%' in the path is part of the file's name, not of the URL's syntax
    eng = create_engine(URL.create("sqlite", database=str(db)), connect_args={"timeout": busy})

    @event.listens_for(eng, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # the driver would begin only at the first write; _begin does it
        cur = dbapi_conn.cursor()
        _wal(cur, busy)  # readers never block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
        cur.close()

    @event.listens_for(eng, "begin")
    def _begin(conn) -> None:
        # The write lock before the first read, as fast.write_db takes it: a read-modify-write (merge a tag, replace
        # a paper, load a deck) never builds on a row another process is changing; a migration is one transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return eng


def _migrate(eng: Engine, db: Path, progress: backups.Upgrading | None = None) -> None:
    current = fast.schema_revision(db)
    if current == HEAD_REVISION:
        return
    stamp = None
    if current is None and fast.has_tables(db):
        stamp = _unversioned_revision(db)
    if current is None and stamp is None:  # a new library: nothing to keep, nobody waits
        _upgrade(eng, db, current, stamp)
        return
    shown = progress or backups.Upgrading()
    try:
        backups.make(db, label=f"before-{current or 'unversioned'}", progress=shown)
        shown.migrating()
        _upgrade(eng, db, current, stamp)
    finally:
        if progress is None:
            shown.end()


def _upgrade(eng: Engine, db: Path, current: str | None, stamp: str | None) -> None:
    from alembic import command
    from alembic.util import CommandError

    cfg = _alembic_config()
    try:
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            if stamp is not None:
                command.stamp(cfg, stamp)
            command.upgrade(cfg, "head")
    except CommandError as exc:
        eng.dispose()
        raise StorageError(
            f"The library database {db} has schema '{current}', which this readroom does not know "
            "(was it written by a newer release?); upgrade readroom, or set READROOM_HOME to another folder."
        ) from exc


@contextmanager
def translate_errors(db: Path) -> Iterator[None]:
    """Turn SQLite's and the disk's failures into one line a user can act on."""
    try:
        yield
    except (OperationalError, DatabaseError, sqlite3.Error) as exc:
        raise storage_error(exc, db) from exc
    except OSError as exc:
        raise os_storage_error(exc, db) from exc


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _unversioned_revision(db: Path) -> str:
    """The migration whose schema a database with tables but no version has (an empty version table too), so it
    can be stamped and upgraded; StorageError when it has no readroom schema, and then it is left as it is."""
    from alembic import command
    from alembic.script import ScriptDirectory

    reader = fast.connect_readonly(db)  # read only: a database refused here is not touched at all
    assert reader is not None  # it has tables
    try:
        found = _tables(reader)
    finally:
        reader.close()
    cfg = _alembic_config()
    scratch = create_engine("sqlite://")
    try:
        with scratch.begin() as conn:
            cfg.attributes["connection"] = conn
            for script in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions())):  # oldest first
                command.upgrade(cfg, script.revision)
                if _tables(conn.connection.dbapi_connection) == found:  # type: ignore[arg-type]  # sqlite3 under it
                    return script.revision
    finally:
        scratch.dispose()
    raise StorageError(
        f"The library database {db} has tables but no schema version, and they are not a readroom schema, so "
        "it was left as it is; move it away, or set READROOM_HOME to another folder."
    )


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Each table's columns and the schema's named indexes, the version table aside: what tells one migration's
    schema from another's (a migration may add an index alone)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name != 'alembic_version'")]
    found = {name: sorted(r[1] for r in conn.execute(f"PRAGMA table_info(\"{name}\")")) for name in names}
    found[" indexes"] = sorted(r[0] for r in conn.execute(  # a key no table can have: names hold no spaces here
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"))
    return found
