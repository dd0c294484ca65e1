"""A backup or a migration the user waits for says so on stderr (a line redrawn in place on a terminal, plain
lines elsewhere), and a backup cut short leaves no file named as a backup."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

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
