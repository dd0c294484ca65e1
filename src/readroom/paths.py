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
    """The folder that holds all user data: database, PDFs, exports, config. Not there yet is fine (the first
    write makes it); anything else in its place is BadInput, not a library that looks empty."""
    override = os.environ.get("READROOM_HOME")
    if override:
        return _a_folder(Path(override).expanduser(), "READROOM_HOME")
    import platformdirs  # only when no override: keeps tests and scripts from touching the real dir

    return _a_folder(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)), "the data folder")


def _a_folder(path: Path, name: str) -> Path:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except NotADirectoryError:
        raise BadInput(f"{name} {excerpt(path)} cannot be a folder: a file stands in its path.") from None
    except OSError as exc:
        raise name_too_long(path) if exc.errno == errno.ENAMETOOLONG else exc from None
    if not stat.S_ISDIR(mode):
        kind = next((kind for test, kind in _NOT_REGULAR if test(mode)), "a file")
        raise BadInput(f"{name} {excerpt(path)} is {kind}, not a folder; point it at a folder (or move that aside).")
    return path


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
    """`path` opened for reading in binary, when it is a regular file (or a link to one); see check_regular."""
    check_regular(path, what)
    try:
        # O_NONBLOCK: should the path turn into a pipe between the check and the open, the open does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise name_too_long(path) if exc.errno == errno.ENAMETOOLONG else exc from None
    try:
        _refuse_special(os.fstat(fd).st_mode, path, what)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_regular(path: Path, what: str = "a file") -> Path:
    """`path`, when it names a regular file (or a link to one). A named pipe would block an open forever and a device
    read forever, so they, folders and sockets are refused before anything opens them: BadInput naming what the path
    is instead of `what`; so are a NUL character and a name too long for the system. FileNotFoundError (a missing
    config file is no error) and any other OSError are left to the caller."""
    refuse_nul(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise name_too_long(path) if exc.errno == errno.ENAMETOOLONG else exc from None
    _refuse_special(mode, path, what)
    return path


def refuse_nul(path: Path) -> None:
    """BadInput for a path holding a NUL, which no system call takes (Python raises ValueError on it)."""
    if "\0" in str(path):
        raise BadInput(f"{excerpt(path)} cannot be a file name: it holds a NUL character.")


def name_too_long(path: Path) -> BadInput:
    """The error for a path the system refused with ENAMETOOLONG (a name over 255 bytes, a path over 4096)."""
    return BadInput(f"{excerpt(path)}: the name is too long for a file ({len(os.fsencode(str(path)))} bytes).")


def _refuse_special(mode: int, path: Path, what: str) -> None:
    for test, kind in _NOT_REGULAR:
        if test(mode):
            raise BadInput(f"{excerpt(path)} is {kind}, not {what}.")


def papers_dir() -> Path:
    return home() / "papers"


def figures_dir() -> Path:
    """figures/<paper id>/ holds the PNG of each figure and table of the paper (pdf/figures.py)."""
    return home() / "figures"


def media_dir() -> Path:
    """media/ holds the images cards show, named by their content (as Anki's media folder): a reparse that redraws
    figures/ leaves the cards' images as they were made."""
    return home() / "media"


def exports_dir() -> Path:
    """Where exports go unless the user names a file (not decks/: that is the starter decks' word)."""
    return home() / "exports"


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
