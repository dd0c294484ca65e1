"""Errors a user can cause. Each carries the one line the CLI prints and the TUI notifies."""

from __future__ import annotations

import errno
from pathlib import Path


class ReadroomError(Exception):
    """A failure with a plain-language message; the CLI prints it on one line and exits non-zero."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(ReadroomError):
    """The user typed something we cannot use (malformed id, unknown DOI, missing file)."""

    exit_code = 2


class NotFound(ReadroomError):
    """The thing asked for does not exist (id unknown to arXiv, paper not in the library)."""

    exit_code = 3


class NetworkError(ReadroomError):
    """The network or a server failed us (offline, refused, timeout, HTTP error)."""

    exit_code = 4


class DownloadError(NetworkError):
    """A download was refused: not a PDF, too big, truncated, or interrupted."""


class PdfUnreadable(ReadroomError):
    """PyMuPDF cannot read the file or finds no text in it (encrypted, scanned, corrupt)."""

    exit_code = 5


class StorageError(ReadroomError):
    """The database or the disk refused a write (locked, read-only, full)."""

    exit_code = 6


class LibraryDamaged(StorageError):
    """The database file itself is damaged (not a database, malformed pages): only a backup or `readroom doctor`
    can help, so the message names both."""


# What the disk says when it has no room: no space, the user's quota, or the file size limit (RLIMIT_FSIZE).
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class DiskFull(StorageError):
    """A write found no room on the disk. Every such failure (a PDF copied or downloaded, a deck exported, a backup,
    SQLite's SQLITE_FULL) says so in these words, naming the folder that could not be written."""

    def __init__(self, where: Path) -> None:
        folder = where if where.is_dir() else where.parent
        super().__init__(f"The disk is full: could not write in {folder}; free some space and try again. "
                         "Nothing was changed.")
