"""A server that does not speak readroom's sync protocol version, and a server killed in the middle of a sync: one
line each, nothing lost, and the next sync carries on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.errors import NetworkError
from readroom.sync import service as sync_service
from readroom.sync.service import SyncReport
from sync.conftest import USER
from sync.test_sync import _note, _sync


class _NotImplemented(BaseHTTPRequestHandler):
    """What anki.syncserver answers a client whose sync protocol version it does not speak: 501."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b"unsupported version"
        self.send_response(501)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def old_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NotImplemented)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("kept_key", [False, True], ids=["logging in", "with a kept session key"])
def test_a_server_that_does_not_speak_the_protocol_is_one_line(synced, readroom_home, old_server, kept_key):
    _note("Q?")
    if kept_key:
        folder = readroom_home / "anki"
        folder.mkdir()
        (folder / "sync-key.json").write_text(json.dumps({"url": old_server, "user": USER, "hkey": "k"}))
    result = subprocess.run([sys.executable, "-m", "readroom", "sync"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "READROOM_SYNC_URL": old_server}, stdin=subprocess.DEVNULL)
    assert result.returncode == 4
    [line] = result.stderr.strip().splitlines()
    assert "does not speak the sync protocol of readroom's Anki backend" in line and "update" in line
    assert "Your Anki version is too old" not in line  # the backend's words, which blame the wrong side
    assert service.list_cards()


def test_a_server_killed_between_the_two_halves_of_a_sync_loses_nothing(sync_server, phone, monkeypatch):
    answered_there, there_guid = _note("Answered on the phone?")
    answered_here, here_guid = _note("Answered in readroom?")
    _sync()
    phone.sync()
    phone.answer(phone.card_of(there_guid), 3)
    phone.sync()
    service.answer(answered_here.id, GOOD, datetime.now(timezone.utc) - timedelta(minutes=1), elapsed_ms=1000)
    _made, made_guid = _note("Made since?")

    first_sync = sync_service._Link.sync

    def then_killed(link):
        required = first_sync(link)
        sync_server.kill()  # after the server's changes came in, before readroom's go up
        return required

    monkeypatch.setattr(sync_service._Link, "sync", then_killed)
    with pytest.raises(NetworkError) as failed:
        _sync()
    assert "\n" not in failed.value.message and "nothing was lost" in failed.value.message
    assert service.get_card(answered_there.id).reps == 1  # the pulled review stays

    monkeypatch.setattr(sync_service._Link, "sync", first_sync)
    sync_server.start()
    again = _sync()  # carries on: what was pushed into the companion goes up, nothing is counted twice
    assert again.pulled_reviews == 0
    phone.sync()
    assert phone.card_of(here_guid).reps == 1
    assert phone.card_of(made_guid).note().fields[0] == "Made since?"
    assert phone.col.db.scalar("SELECT count() FROM revlog") == 2
    assert len(service.review_history()) == 2
    assert _sync() == SyncReport()
