"""Where things live: $READROOM_HOME, else the platform's user data dir; and the shipped data."""

from __future__ import annotations

import os
from pathlib import Path

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
