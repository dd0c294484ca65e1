"""The real Anki sync server on loopback, readroom set to sync with it, and a second collection as the phone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from readroom import config

pytest.importorskip("anki.collection")

USER, PASSWORD = "reader", "s3cret"
FULL_SYNC = 2  # SyncCollectionResponse.FULL_SYNC: both sides changed in ways a normal sync cannot merge


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m anki.syncserver` on one port with one SYNC_BASE: started, killed and started again on them."""

    def __init__(self, base: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.env = {**os.environ, "SYNC_USER1": f"{USER}:{PASSWORD}", "SYNC_HOST": "127.0.0.1",
                    "SYNC_PORT": str(port), "SYNC_BASE": str(base)}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it and wait until /health answers."""
        self.process = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "health", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    pytest.fail("the Anki sync server did not start")
                time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def sync_server(tmp_path) -> Iterator[Server]:
    """The real sync server with a fresh SYNC_BASE, running."""
    running = Server(tmp_path / "server")
    running.start()
    yield running
    running.stop()


@pytest.fixture
def server(sync_server) -> str:
    """The URL of the running sync server."""
    return sync_server.url


@pytest.fixture
def synced(server, monkeypatch) -> str:
    """readroom set to sync with `server` as USER (password in the environment)."""
    monkeypatch.setenv("READROOM_SYNC_URL", server)
    monkeypatch.setenv("READROOM_SYNC_USER", USER)
    monkeypatch.setenv("READROOM_SYNC_PASSWORD", PASSWORD)
    config.reload()
    return server


class Phone:
    """AnkiDroid, played by a second collection syncing with the same server."""

    def __init__(self, folder: Path, url: str) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(folder / "collection.anki2"))
        self.auth = self.col.sync_login(USER, PASSWORD, url)

    def sync(self, *, upload: bool = False) -> int:
        """A sync as the app does it: a full download (or upload) when the server asks for one."""
        out = self.col.sync_collection(self.auth, False)
        if out.required in (out.FULL_SYNC, out.FULL_DOWNLOAD, out.FULL_UPLOAD):
            self.col.close_for_full_sync()
            self.col.full_upload_or_download(auth=self.auth, server_usn=None,
                                             upload=upload or out.required == out.FULL_UPLOAD)
            self.col.reopen(after_full_sync=True)
        return out.required

    def card_of(self, guid: str):
        note_id = self.col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)
        return self.col.get_card(self.col.card_ids_of_note(note_id)[0])

    def answer(self, card, ease: int) -> None:
        card.start_timer()
        self.col.sched.answerCard(card, ease)

    def close(self) -> None:
        self.col.close()


@pytest.fixture
def phone(tmp_path, synced) -> Iterator[Phone]:
    made = Phone(tmp_path / "phone", synced)
    yield made
    made.close()
