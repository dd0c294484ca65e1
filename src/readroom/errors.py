"""Errors a user can cause. Each carries the one line the CLI prints and the TUI notifies."""

from __future__ import annotations


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
