"""Reading never writes: `list` and `show` on a locked, read-only or unreadable library end in one clear line
(or just work), and only a schema read and found old is migrated. Real subprocesses, as a user runs them."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from readroom import paths
from readroom.storage.schema import HEAD_REVISION


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    from readroom.storage import db

    db.dispose_all()


@pytest.fixture
def library() -> str:
    """A library holding one paper, its engine closed (as after a command); the paper's id."""
    from readroom.storage import db, papers

    papers.store({"source": "local", "title": "Attention Is All You Need", "authors": ["Vaswani"]}, None, ["nlp"],
                 paper_id="9b7c1d2e-0000-4000-8000-000000000001", added_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    db.dispose_all()
    shutil.rmtree(paths.backups_dir(), ignore_errors=True)  # the day's first write made a backup: not under test
    return "9b7c1d2e"


def readroom(*argv: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


def test_a_locked_library_waits_the_busy_timeout_then_says_so_and_backs_nothing_up(library):
    # A writer that keeps the file to itself (exclusive locking mode) blocks readers even under WAL.
    holder = sqlite3.connect(paths.database_path(), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE paper SET title = title")
    holder.execute("COMMIT")
    try:
        started = time.monotonic()
        done = readroom("list", READROOM_DB_BUSY_TIMEOUT="0.5")
        took = time.monotonic() - started
    finally:
        holder.close()
    assert done.returncode == 6 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "The library is busy: another readroom is writing" in done.stderr and "try again" in done.stderr
    assert took < 10
    assert not paths.backups_dir().exists()  # a read error is never "the schema needs upgrading"
    assert readroom("list").returncode == 0  # and once the writer is gone, it lists


def _read_only(command: str) -> subprocess.CompletedProcess:
    """`command` run with READROOM_HOME bind-mounted read-only in a private mount namespace: chmod does not bind
    root, who runs these tests, but a read-only mount does."""
    home = shlex.quote(str(paths.database_path().parent))
    script = f"mount --bind {home} {home} && mount -o remount,bind,ro {home} && {command}"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=60,
                          env=os.environ)


def _require_read_only_mounts() -> None:
    probe = _read_only("touch $READROOM_HOME/probe")
    if probe.returncode == 0 or "Read-only file system" not in probe.stderr:
        pytest.skip(f"cannot make a read-only mount here (unshare -m needs CAP_SYS_ADMIN): {probe.stderr.strip()}")


def test_a_read_only_library_can_be_listed_and_shown(library):
    _require_read_only_mounts()
    for extra in paths.database_path().parent.glob("readroom.db-*"):
        extra.unlink()  # closed cleanly: no WAL index, which a read-only folder cannot get
    rr = f"{shlex.quote(sys.executable)} -m readroom"
    listed = _read_only(f"{rr} list")
    assert listed.returncode == 0, listed.stderr
    assert "Attention Is All You Need" in listed.stdout and listed.stderr == ""
    shown = _read_only(f"{rr} show {library}")
    assert shown.returncode == 0, shown.stderr
    assert "Vaswani" in shown.stdout
    due = _read_only(f"{rr} due")
    assert due.returncode == 0, due.stderr
    assert sorted(p.name for p in paths.database_path().parent.iterdir()) == ["readroom.db"]  # nothing written


def test_an_old_schema_read_by_list_is_backed_up_and_migrated(library):
    from alembic import command
    from alembic.config import Config

    from readroom.storage import db

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with db.engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_discover")
    db.dispose_all()
    done = readroom("list")
    assert done.returncode == 0, done.stderr
    assert "Attention Is All You Need" in done.stdout
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    assert [p.name.endswith("-0006_discover.db") for p in paths.backups_dir().iterdir()] == [True]


def test_an_empty_database_file_lists_as_an_empty_library_and_stays_empty():
    paths.database_path().parent.mkdir(parents=True, exist_ok=True)
    paths.database_path().touch()
    done = readroom("list", "--json")
    assert done.returncode == 0, done.stderr
    assert paths.database_path().stat().st_size == 0



def _downgraded(revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from readroom.storage import db

    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with db.engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    db.dispose_all()


def _exclusive_holder() -> sqlite3.Connection:
    holder = sqlite3.connect(paths.database_path(), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE paper SET title = title")
    holder.execute("COMMIT")
    return holder


def test_backups_of_an_old_library_held_exclusively_end_busy_in_bounded_time(library, monkeypatch):
    """SQLite's backup API retries a busy source forever: `readroom backup` (and the backup a migration takes
    first) waited for good behind a writer keeping the file to itself."""
    from readroom import config
    from readroom.storage import backups

    _downgraded("0006_discover")
    holder = _exclusive_holder()
    try:
        started = time.monotonic()
        done = readroom("backup", READROOM_DB_BUSY_TIMEOUT="0.5", timeout=30)
        listed = readroom("list", READROOM_DB_BUSY_TIMEOUT="0.5", timeout=30)
        took = time.monotonic() - started
        monkeypatch.setenv("READROOM_DB_BUSY_TIMEOUT", "0.5")
        config.reload()
        with pytest.raises(sqlite3.OperationalError, match="locked"):  # the copy a migration makes before it runs
            backups.make(paths.database_path(), "before-0006_discover")
    finally:
        holder.close()
    for proc in (done, listed):
        assert proc.returncode == 6 and proc.stderr.count("\n") == 1, proc.stderr
        assert "The library is busy" in proc.stderr
    assert took < 15
    assert not paths.backups_dir().exists() or list(paths.backups_dir().iterdir()) == []  # nothing half-made
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0006_discover",)]
    assert readroom("list").returncode == 0  # once the writer is gone: backed up, migrated, listed
