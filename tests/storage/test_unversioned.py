"""A database with tables but no schema version (a lost or emptied alembic_version) is recognised by its tables and
stamped before it is upgraded, or refused in one line and left as it is; never "migrated" into a broken state."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from readroom import paths
from readroom.storage.schema import HEAD_REVISION


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    from readroom.storage import db

    db.dispose_all()


def readroom(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ})


def _library_at(revision: str) -> None:
    from alembic import command

    from readroom.storage import db, papers

    papers.store({"source": "local", "title": "Attention Is All You Need"}, None, ["nlp"],
                 paper_id="9b7c1d2e-0000-4000-8000-000000000001", added_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    if revision != HEAD_REVISION:
        cfg = db._alembic_config()
        with db.engine().begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    db.dispose_all()
    shutil.rmtree(paths.backups_dir(), ignore_errors=True)  # the day's first write made a backup: not under test


def _version() -> list[tuple]:
    with sqlite3.connect(paths.database_path()) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchall()


@pytest.mark.parametrize(("revision", "lost"), [(HEAD_REVISION, "DROP TABLE alembic_version"),
                                                ("0005_reading_day", "DELETE FROM alembic_version")])
def test_an_unversioned_library_is_stamped_by_its_tables_and_upgraded(revision, lost):
    _library_at(revision)
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute(lost)
    done = readroom("list")
    assert done.returncode == 0, done.stderr
    assert "Attention Is All You Need" in done.stdout
    assert _version() == [(HEAD_REVISION,)]
    assert [p.name.endswith("-unversioned.db") for p in paths.backups_dir().iterdir()] == [True]
    assert readroom("tag", "9b7c", "later").returncode == 0  # and it is whole: writes work


def test_tables_that_are_no_readroom_schema_are_refused_in_one_line_and_left_alone():
    paths.database_path().parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("CREATE TABLE paper (id TEXT PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO paper VALUES ('x', 'someone else''s table')")
    before = paths.database_path().read_bytes()
    done = readroom("list")
    assert done.returncode == 6 and done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert "no schema version" in done.stderr and "left as it is" in done.stderr
    assert paths.database_path().read_bytes() == before
    assert not paths.backups_dir().exists()
