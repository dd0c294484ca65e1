"""Where things live: $READROOM_HOME, else the platform's user data dir; and the shipped data."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from readroom.errors import BadInput
from readroom.terminal import excerpt

APP_NAME = "readroom"


def home() -> Path:
    """The folder that holds all user data: database, PDFs, exported decks, config."""
    override = os.environ.get("READROOM_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no override: keeps tests and scripts from touching the real dir

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path() -> Path:
    """$READROOM_HOME/readroom.db, unless [storage] database_url (READROOM_DATABASE_URL) names another file."""
    if "READROOM_DATABASE_URL" not in os.environ and not config_path().is_file():
        return home() / "readroom.db"  # nothing could move it: skip importing the settings model (~15 ms)
    from readroom import config  # here: config reads its file through paths

    url = config.load().storage.database_url
    return Path(url.removeprefix("sqlite:///")).expanduser() if url else home() / "readroom.db"


_NOT_REGULAR = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def open_regular(path: Path, what: str = "a file") -> BinaryIO:
    """`path` opened for reading in binary, when it is a regular file (or a link to one). A named pipe would block
    the open forever and a device would read forever, so they, folders and sockets are refused before anything is
    read: BadInput naming what the path is instead of `what`. FileNotFoundError is left to the caller (a missing
    config file is no error), as is any other OSError."""
    try:
        # O_NONBLOCK: should the path turn into a pipe between the check and the open, the open does not wait.
        fd = os.open(_checked_regular(path, what), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise BadInput(f"{excerpt(path)}: the name is too long for a file ({len(str(path))} characters).") from None
        raise
    try:
        _refuse_special(os.fstat(fd).st_mode, path, what)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _checked_regular(path: Path, what: str) -> Path:
    if "\0" in str(path):
        raise BadInput(f"{excerpt(path)} cannot be a file name: it holds a NUL character.")
    _refuse_special(path.stat().st_mode, path, what)
    return path


def _refuse_special(mode: int, path: Path, what: str) -> None:
    for test, kind in _NOT_REGULAR:
        if test(mode):
            raise BadInput(f"{excerpt(path)} is {kind}, not {what}.")


def papers_dir() -> Path:
    return home() / "papers"


def decks_dir() -> Path:
    return home() / "decks"


def config_path() -> Path:
    return home() / "config.toml"


def backups_dir() -> Path:
    return home() / "backups"


def _shipped(name: str) -> Path:
    # In a wheel, data/ and decks/ are force-included inside the package; in a checkout
    # (editable install) they sit at the top of the repo.
    packaged = Path(__file__).resolve().parent / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def shipped_data_dir() -> Path:
    return _shipped("data")


def shipped_decks_dir() -> Path:
    return _shipped("decks")
