"""A backup or a migration the user waits for says so on stderr (a line redrawn in place on a terminal, plain
lines elsewhere), and a backup cut short leaves no file named as a backup."""

from __future__ import annotations

import fcntl
import json
import os
import select
import sqlite3
import struct
import subprocess
import sys
import termios

import pytest

from readroom import paths
from readroom.storage.schema import HEAD_REVISION


def _older_library() -> None:
    """A library at the revision before head, with a row of the user's in it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from readroom.storage import db

    db.engine()
    db.dispose_all()
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    eng = create_engine(f"sqlite:///{paths.database_path()}")
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
    eng.dispose()
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("INSERT INTO discover_dismissed VALUES ('2403.01234', '2026-11-24T00:00:00+00:00')")


def _check_migrated() -> None:
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
        assert conn.execute("SELECT arxiv_id FROM discover_dismissed").fetchall() == [("2403.01234",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(list(paths.backups_dir().glob("readroom-*-before-*.db"))) == 1


def test_an_older_library_says_it_is_upgrading_in_plain_lines_and_ends_migrated():
    _older_library()
    done = subprocess.run([sys.executable, "-m", "readroom", "due"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["Upgrading the library: backing up first...",
                                        "Upgrading the library: migrating..."]
    assert "\r" not in done.stderr and "\x1b" not in done.stderr  # not a terminal: nothing redrawn
    _check_migrated()


def test_on_a_terminal_the_upgrade_line_redraws_in_place_and_is_wiped_at_the_end():
    _older_library()
    leader, follower = os.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "readroom", "due"], stdout=subprocess.PIPE, stderr=follower,
                              timeout=60)
        os.close(follower)
        shown = b""
        while chunk := _read(leader):
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert shown.startswith(b"\rUpgrading the library: backing up first...")
    assert b"\rUpgrading the library: migrating...\x1b[K" in shown
    assert shown.endswith(b"\r\x1b[K") and b"\n" not in shown  # one line, gone when the command's output comes
    _check_migrated()


WATCHED_DUE = """
import sys
from readroom.cli import main

class Watched:
    # stderr, noting whether SQLAlchemy (the engine that migrates) was imported when the first byte came
    def __init__(self, real):
        self.real, self.engine_loaded = real, None
    def write(self, text):
        if text and self.engine_loaded is None:
            self.engine_loaded = "sqlalchemy" in sys.modules
        return self.real.write(text)
    def flush(self):
        self.real.flush()
    def isatty(self):
        return False

watched = sys.stderr = Watched(sys.stderr)
code = main(["due"])
print("sqlalchemy loaded at the first byte:", watched.engine_loaded)
sys.exit(code)
"""


def test_the_upgrade_line_comes_before_the_migrating_engine_is_even_imported():
    # SQLAlchemy and Alembic take ~0.5 s to import: the line starts on finding the library behind, before them.
    _older_library()
    done = subprocess.run([sys.executable, "-c", WATCHED_DUE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("Upgrading the library: backing up first...\n")
    assert "sqlalchemy loaded at the first byte: False" in done.stdout
    _check_migrated()


WATCHED_APP = """
import json, sys
from readroom.cli import main

class Watched:
    # stderr, the terminal: what was written to it, and whether Textual was being imported yet
    def __init__(self, real):
        self.real, self.writes = real, []
    def write(self, text):
        self.writes.append((text, "textual" in sys.modules))
        return self.real.write(text)
    def __getattr__(self, name):
        return getattr(self.real, name)

watched = sys.stderr = Watched(sys.stderr)
code = main([])
with open(sys.argv[1], "w") as out:
    json.dump(watched.writes, out)
sys.exit(code)
"""


def test_the_reading_room_upgrades_an_older_library_on_the_terminal_before_it_opens(tmp_path):
    """`readroom` on a terminal: the upgrade's line is drawn and wiped on the terminal before the app takes the
    screen (inside it the line was hidden, or drawn over the app); then the app opens on the upgraded library."""
    _older_library()
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    writes = tmp_path / "writes.json"
    app = subprocess.Popen([sys.executable, "-c", WATCHED_APP, str(writes)], stdin=follower, stdout=follower,
                           stderr=follower, env={**os.environ, "TERM": "xterm-256color"}, start_new_session=True)
    os.close(follower)
    shown = b""
    try:
        while b"How to Read a Paper" not in shown:  # the demo paper in the library's table: the app is open
            assert app.poll() is None, shown[-2000:]
            if not select.select([leader], [], [], 60)[0]:
                pytest.fail(f"no library on the screen after 60 s: {shown[-2000:]!r}")
            shown += _read(leader)
        os.write(leader, b"q")
        assert app.wait(timeout=60) == 0
    finally:
        if app.poll() is None:
            app.kill()
        os.close(leader)
    app_starts = shown.index(b"\x1b[?1049h")  # the app's alternate screen
    line = shown.index(b"\rUpgrading the library: backing up first...")
    migrating = shown.index(b"\rUpgrading the library: migrating...\x1b[K")
    assert line < migrating < shown.index(b"\r\x1b[K", migrating) < app_starts
    assert b"Upgrading" not in shown[app_starts:]
    upgrade = [loaded for text, loaded in json.loads(writes.read_text()) if "Upgrading" in text or text == "\r\x1b[K"]
    assert len(upgrade) >= 3 and not any(upgrade)  # all of it done before the app even began to import Textual
    _check_migrated()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the pty's other end is closed and drained
        return b""


def test_a_backup_interrupted_mid_copy_leaves_no_file_named_as_a_backup(monkeypatch):
    from readroom.storage import backups, db

    db.engine()
    db.dispose_all()
    steps = []

    class Interrupted(backups.Progress):
        def pages(self, status: int, remaining: int, total: int) -> None:
            steps.append(remaining)
            raise KeyboardInterrupt  # Ctrl-C after the first page

    monkeypatch.setattr(backups, "STEP_PAGES", 1)
    with pytest.raises(KeyboardInterrupt):
        backups.make(paths.database_path(), "manual", progress=Interrupted("Backing up..."))
    assert steps and steps[0] > 0  # it was cut short with pages still to copy
    assert backups.listed() == [] and backups.leftovers() == []
    assert os.listdir(paths.backups_dir()) == []
