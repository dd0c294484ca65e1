"""The database engine, created on first use (never at import), migrated on open, with errors in plain words."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, create_engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from readroom import config, paths
from readroom.errors import StorageError
from readroom.storage import fast
from readroom.storage.errors import describe, describe_os_error
from readroom.storage.schema import HEAD_REVISION

MIGRATIONS = Path(__file__).with_name("migrations")
KEEP_BACKUPS = 10

_engines: dict[str, Engine] = {}


def engine() -> Engine:
    """The engine for the current $READROOM_HOME, migrated to the newest schema."""
    db = paths.database_path()
    key = str(db)
    if key not in _engines:
        with translate_errors(db):
            db.parent.mkdir(parents=True, exist_ok=True)
            new = _create(db)
            _migrate(new, db)
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
    with translate_errors(db), Session(engine(), expire_on_commit=False) as s:
        with s.begin():
            yield s


def _create(db: Path) -> Engine:
    busy = config.load().storage.db_busy_timeout
    # URL.create: a '?', '#' or '%' in the path is part of the file's name, not of the URL's syntax
    eng = create_engine(URL.create("sqlite", database=str(db)), connect_args={"timeout": busy})

    @event.listens_for(eng, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
        cur.close()

    return eng


def _migrate(eng: Engine, db: Path) -> None:
    current = fast.schema_revision(db)
    if current == HEAD_REVISION:
        return
    if current is not None or fast.has_tables(db):
        backup(db, label=current or "unversioned")
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except CommandError as exc:
        eng.dispose()
        raise StorageError(
            f"The library database {db} has schema '{current}', which this readroom does not know "
            "(was it written by a newer release?); upgrade readroom, or set READROOM_HOME to another folder."
        ) from exc


def backup(db: Path, label: str) -> Path:
    """A consistent copy of the database (WAL included) before a migration touches it."""
    folder = paths.backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"readroom-{stamp}-{label}.db"
    src = sqlite3.connect(db)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    for old in sorted(folder.glob("readroom-*.db"))[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


@contextmanager
def translate_errors(db: Path) -> Iterator[None]:
    """Turn SQLite's and the disk's failures into one line a user can act on."""
    try:
        yield
    except (OperationalError, DatabaseError, sqlite3.Error) as exc:
        raise StorageError(describe(exc, db)) from exc
    except OSError as exc:
        raise StorageError(describe_os_error(exc, db)) from exc
