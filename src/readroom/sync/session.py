"""Logging in to the user's sync server: the session key (Anki's hkey) kept in $READROOM_HOME/anki/sync-key.json,
readable by the user alone; the password is used once to get it and never stored."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from readroom.config import SyncConfig
from readroom.errors import BadInput, NetworkError
from readroom.terminal import excerpt

PASSWORD_VARIABLE = "READROOM_SYNC_PASSWORD"


def key_path(folder: Path) -> Path:
    return folder / "sync-key.json"


def endpoint(settings: SyncConfig) -> str:
    if not settings.url or not settings.user:
        raise BadInput("Say which sync server to use: set [sync] url and user in config.toml (or READROOM_SYNC_URL "
                       "and READROOM_SYNC_USER); readroom syncs only with your own Anki sync server, never AnkiWeb.")
    return settings.url if settings.url.endswith("/") else settings.url + "/"


def stored_key(folder: Path, settings: SyncConfig) -> str | None:
    """The kept session key, when it was made for this server and user."""
    try:
        kept = json.loads(key_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("url") != endpoint(settings) or kept.get("user") != settings.user:
        return None
    return kept.get("hkey") if isinstance(kept.get("hkey"), str) else None


def forget_key(folder: Path) -> None:
    key_path(folder).unlink(missing_ok=True)


def log_in(col, folder: Path, settings: SyncConfig, ask: Callable[[], str]) -> str:
    """A new session key from the server (the password from READROOM_SYNC_PASSWORD, else `ask`), kept 0600."""
    from anki.errors import NetworkError as AnkiNetworkError
    from anki.errors import SyncError

    url = endpoint(settings)
    password = os.environ.get(PASSWORD_VARIABLE) or ask()
    try:
        auth = col.sync_login(settings.user, password, url)
    except SyncError as exc:
        raise refused(settings) if is_refusal(exc) else unreachable(url, exc) from None
    except AnkiNetworkError as exc:
        raise unreachable(url, exc) from None
    _write_private(key_path(folder), json.dumps({"url": url, "user": settings.user, "hkey": auth.hkey}))
    return auth.hkey


def is_refusal(exc) -> bool:
    from anki.errors import SyncErrorKind

    return exc.kind == SyncErrorKind.AUTH


def refused(settings: SyncConfig) -> BadInput:
    return BadInput(f"The sync server at {excerpt(settings.url)} refused user {excerpt(settings.user)}: wrong user "
                    f"name or password (set {PASSWORD_VARIABLE}, or run `readroom sync` in a terminal to be asked).")


def unreachable(url: str, exc: Exception) -> NetworkError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return NetworkError(f"Cannot reach the sync server at {excerpt(url)} ({excerpt(first, 80)}); nothing was lost, "
                        "and the next `readroom sync` carries on.")


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, replacing any before it in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
