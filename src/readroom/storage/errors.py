"""Database and disk failures in plain words (stdlib only, so the fast read path can use it too)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from readroom import paths
from readroom.errors import DISK_FULL_ERRNOS, DiskFull, LibraryDamaged, StorageError

_DAMAGED = ("not a database", "malformed", "file is encrypted")  # SQLite's words for a file it cannot trust
_SQLITE_IOERR, _SQLITE_FULL = 10, 13  # primary result codes (the low byte of an extended one)
_NO_ROOM = 1 << 20  # bytes free below which a failed write is taken for a full disk


def storage_error(exc: BaseException, db: Path, where: Path | None = None) -> StorageError:
    """The error a user sees for SQLite's (or SQLAlchemy's) `exc` on `db`: DiskFull when the write to `where` (the
    database by default) found no room, LibraryDamaged for a damaged file."""
    if is_disk_full(exc, where or db):
        return DiskFull(where or db)
    if is_damage(exc):
        return LibraryDamaged(damaged_message(db, exc))
    return StorageError(describe(exc, db))


def os_storage_error(exc: OSError, where: Path) -> StorageError:
    """The error a user sees when the disk refused a write to `where`."""
    if is_disk_full(exc, where):
        return DiskFull(where)
    return StorageError(describe_os_error(exc, where))


def is_disk_full(exc: BaseException, where: Path) -> bool:
    """ENOSPC, EDQUOT or EFBIG; SQLITE_FULL; or an I/O error on a disk with (almost) no room left, which is how
    SQLite reports that it cannot grow its shared-memory index (SQLITE_IOERR_SHMSIZE) on a full disk."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError):
        return orig.errno in DISK_FULL_ERRNOS
    code = getattr(orig, "sqlite_errorcode", None)
    text = str(orig).lower()
    if (code is not None and code & 0xFF == _SQLITE_FULL) or "disk is full" in text:
        return True
    if (code is not None and code & 0xFF == _SQLITE_IOERR) or "disk i/o error" in text:
        return _room_left(where) < _NO_ROOM
    return False


def _room_left(where: Path) -> int:
    for folder in (where, *where.parents):
        try:
            stat = os.statvfs(folder)
        except OSError:
            continue
        return stat.f_bavail * stat.f_frsize
    return _NO_ROOM


def is_damage(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(words in text for words in _DAMAGED)


def damaged_message(db: Path, exc: BaseException | None = None) -> str:
    from readroom.storage import backups

    why = f" ({str(getattr(exc, 'orig', None) or exc).strip()})" if exc is not None else ""
    latest = backups.newest()
    if latest is None:
        saved = f"there is no backup in {paths.backups_dir()}"
    else:
        saved = f"the newest backup is {latest}"
    return f"The library database {db} is damaged{why}; {saved}. Run `readroom doctor` to see what can be saved."


def describe(exc: BaseException, db: Path) -> str:
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "locked" in text or "busy" in text:
        return f"The library is busy: another readroom is writing to {db}; try again in a moment."
    if "readonly" in text or "read-only" in text:
        return f"The library database {db} is read-only; check its permissions, or set READROOM_HOME to a writable folder."
    if "unable to open" in text:
        return f"Cannot open the library database {db}; check that the folder exists and is writable."
    if is_damage(exc):
        return damaged_message(db, exc)
    return f"The library database {db} failed: {getattr(exc, 'orig', exc)}"


def describe_os_error(exc: OSError, where: Path) -> str:
    target = exc.filename or where
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Cannot write to {target}: permission denied."
    if exc.errno == errno.EROFS:
        return f"Cannot write to {target}: the file system is read-only."
    return f"Cannot write to {target}: {exc.strerror or exc}."
