"""A `readroom sync` killed (SIGKILL) at any point loses nothing: the next sync carries on, readroom's database is
intact and no review is counted twice on either side."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.sync.service import SyncReport
from sync.test_sync import _note, _sync

# The sync run in a subprocess, killed by SIGKILL right after the named step returns.
_KILLED_AFTER = """
import os, signal, sys
from readroom import cli
from readroom.storage import sync as rows
from readroom.sync import service
owner, name = {"first sync_collection": (service._Link, "sync"), "pull writes": (rows, "add_pulled"),
               "import": (service, "_import"), "push writes": (rows, "write_companion"),
               "synced state": (rows, "save_synced_state")}[sys.argv[1]]
step = getattr(owner, name)
def killed(*args, **kwargs):
    step(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(owner, name, killed)
sys.exit(cli.main(["sync"]))
"""


@pytest.mark.parametrize("point", ["first sync_collection", "pull writes", "import", "push writes", "synced state"])
def test_a_sync_killed_midway_loses_nothing(phone, readroom_home, point):
    answered_here, here_guid = _note("Answered in readroom?")
    answered_there, there_guid = _note("Answered on the phone?")
    suspended_there, suspended_guid = _note("Suspended on the phone?")
    _sync()
    phone.sync()
    service.answer(answered_here.id, GOOD, datetime.now(timezone.utc) - timedelta(minutes=1), elapsed_ms=1000)
    phone.answer(phone.card_of(there_guid), 3)
    phone.col.sched.suspend_cards([phone.card_of(suspended_guid).id])
    phone.sync()
    made, made_guid = _note("Made since?")

    killed = subprocess.run([sys.executable, "-c", _KILLED_AFTER, point], capture_output=True, text=True,
                            timeout=120, env=os.environ, stdin=subprocess.DEVNULL)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it got there

    _sync()  # carries on
    phone.sync()
    assert _sync() == SyncReport()
    with sqlite3.connect(readroom_home / "readroom.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count() FROM review_log").fetchone()[0] == 2
        assert conn.execute("SELECT count(DISTINCT card_id || reviewed_at) FROM review_log").fetchone()[0] == 2
    assert service.get_card(answered_there.id).reps == 1
    assert service.get_card(suspended_there.id).suspended
    phone_log = phone.col.db.all("SELECT cid, count() FROM revlog GROUP BY cid")
    assert sorted(n for _cid, n in phone_log) == [1, 1]
    assert phone.card_of(here_guid).reps == 1
    assert phone.card_of(made_guid).note().fields[0] == "Made since?"
