"""Database and disk failures in plain words (stdlib only, so the fast read path can use it too)."""

from __future__ import annotations

import errno
from pathlib import Path

from readroom import paths
from readroom.errors import LibraryDamaged, StorageError

_DAMAGED = ("not a database", "malformed", "file is encrypted")  # SQLite's words for a file it cannot trust


def storage_error(exc: BaseException, db: Path) -> StorageError:
    """The error a user sees for SQLite's (or SQLAlchemy's) `exc` on `db`: LibraryDamaged for a damaged file."""
    if is_damage(exc):
        return LibraryDamaged(damaged_message(db, exc))
    return StorageError(describe(exc, db))


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
    if "disk is full" in text or "disk full" in text:
        return f"The disk holding {db} is full; free some space and try again. Nothing was changed."
    if "unable to open" in text:
        return f"Cannot open the library database {db}; check that the folder exists and is writable."
    if is_damage(exc):
        return damaged_message(db, exc)
    return f"The library database {db} failed: {getattr(exc, 'orig', exc)}"


def describe_os_error(exc: OSError, where: Path) -> str:
    target = exc.filename or where
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):  # disk full, quota, or file size limit
        return f"No space left on the disk while writing {target}; free some space and try again. Nothing was changed."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Cannot write to {target}: permission denied."
    if exc.errno == errno.EROFS:
        return f"Cannot write to {target}: the file system is read-only."
    return f"Cannot write to {target}: {exc.strerror or exc}."
