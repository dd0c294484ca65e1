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
        raise refused(settings) if is_refusal(exc) else failed(col, url, exc) from None
    except AnkiNetworkError as exc:
        raise failed(col, url, exc) from None
    _write_private(key_path(folder), json.dumps({"url": url, "user": settings.user, "hkey": auth.hkey}))
    return auth.hkey


def is_refusal(exc) -> bool:
    from anki.errors import SyncErrorKind

    return exc.kind == SyncErrorKind.AUTH


def refused(settings: SyncConfig) -> BadInput:
    """The server refused the user: worded for the CLI and the app alike (both ask for the password again on the
    next sync, unless the environment holds one)."""
    why = (f"a wrong user name, or {PASSWORD_VARIABLE} holds a wrong password" if os.environ.get(PASSWORD_VARIABLE)
           else "wrong user name or password; the next sync asks for it again")
    return BadInput(f"The sync server at {excerpt(settings.url)} refused user {excerpt(settings.user)} "
                    f"({why}); nothing moved.")


def failed(col, url: str, exc: Exception) -> NetworkError:
    """The one line for a call to the server that failed other than by a refused login."""
    if str(exc) == col.tr.sync_client_too_old():
        # what the backend says to HTTP 501, which a server answers to a sync protocol version it does not speak:
        # here, far more likely a server older than readroom's backend than the other way round
        from anki.buildinfo import version

        return NetworkError(f"The sync server at {excerpt(url)} does not speak the sync protocol of readroom's Anki "
                            f"backend ({version}); update the Anki the server runs (pip install -U anki there), or "
                            "readroom's (pip install -U 'readroom[sync]'). Nothing was lost, and the next sync "
                            "carries on.")
    return unreachable(url, exc)


def unreachable(url: str, exc: Exception) -> NetworkError:
    return NetworkError(f"Cannot reach the sync server at {excerpt(url)} ({excerpt(_detail(exc), 80)}); nothing "
                        "was lost, and the next sync carries on.")


def _detail(exc: Exception) -> str:
    """What the backend says went wrong: its "Error details" (the cause, e.g. a connection reset) when it gives
    them, not the "A network error occurred." before them; without its isolation marks."""
    lines = [line.strip() for line in str(exc).replace("\u2068", "").replace("\u2069", "").splitlines()
             if line.strip()]
    if not lines:
        return exc.__class__.__name__
    return next((line.removeprefix("Error details:").strip() for line in lines if line.startswith("Error details:")),
                lines[0])


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, replacing any before it in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
