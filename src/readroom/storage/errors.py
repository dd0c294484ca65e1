"""Database and disk failures in plain words (stdlib only, so the fast read path can use it too)."""

from __future__ import annotations

import errno
from pathlib import Path

from readroom import paths


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
    if "not a database" in text or "malformed" in text:
        return f"The library database {db} is damaged; restore a copy from {paths.backups_dir()} or move it away."
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
