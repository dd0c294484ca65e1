"""The SQLite file: created on first use, migrated on open (after a backup), WAL, foreign keys, UTC times."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from readroom import paths
from readroom.errors import StorageError
from readroom.storage.schema import HEAD_REVISION


def test_importing_storage_creates_no_database():
    code = "import readroom.storage.db, readroom.storage.models; import readroom.paths as p; print(p.database_path().exists())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_first_use_creates_a_migrated_wal_database():
    from readroom.storage import db

    db.engine()
    conn = sqlite3.connect(paths.database_path())
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"paper", "paper_tag", "paper_section", "paper_figure", "paper_reference"} <= tables
    assert not paths.backups_dir().exists()  # nothing to back up on a new database


def test_head_revision_constant_matches_the_migrations():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from readroom.storage.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_models_and_migrations_agree():
    """A model change without a migration would show up here as a difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from readroom.storage import db, models  # noqa: F401

    with db.engine().connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_an_older_database_is_backed_up_before_migrating():
    from readroom.storage import db

    db.engine()
    db.dispose_all()
    with sqlite3.connect(paths.database_path()) as conn:  # pretend an older release wrote this file
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
        conn.execute("CREATE TABLE user_notes (x TEXT)")
        conn.execute("INSERT INTO user_notes VALUES ('precious')")
    with pytest.raises(StorageError):  # 'older' is unknown to our migrations: refuse, but back up first
        db.engine()
    backups = list(paths.backups_dir().glob("readroom-*-older.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT x FROM user_notes").fetchall() == [("precious",)]


def test_foreign_keys_cascade_and_times_come_back_utc():
    from readroom.storage import db
    from readroom.storage.models import Paper, PaperTag

    added = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    with db.session() as s:
        s.add(Paper(id="p1", source="local", title="T", added_at=added))
        s.flush()
        s.add(PaperTag(paper_id="p1", tag="x"))
    with db.session() as s:
        paper = s.get(Paper, "p1")
        assert paper.added_at == added and paper.added_at.tzinfo == timezone.utc
        s.delete(paper)
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT count(*) FROM paper_tag").fetchone() == (0,)


def test_naive_datetimes_are_refused():
    from sqlalchemy.exc import StatementError

    from readroom.storage import db
    from readroom.storage.models import Paper

    with pytest.raises(StatementError, match="naive datetimes are not stored"):
        with db.session() as s:
            s.add(Paper(id="p1", source="local", title="T", added_at=datetime(2026, 1, 1)))


def test_a_locked_database_is_one_clear_error(monkeypatch):
    from readroom import config
    from readroom.storage import db
    from readroom.storage.models import Paper

    monkeypatch.setenv("READROOM_DB_BUSY_TIMEOUT", "0.2")
    config.reload()
    db.engine()
    holder = sqlite3.connect(paths.database_path())
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="library is busy: another readroom is writing"):
            with db.session() as s:
                s.add(Paper(id="p1", source="local", title="T", added_at=datetime.now(timezone.utc)))
    finally:
        holder.rollback()
        holder.close()
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT count(*) FROM paper").fetchone() == (0,)


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    from readroom.storage import db

    db.dispose_all()


def test_discover_tables_keep_their_rows_through_the_rename_and_back():
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from readroom.storage import db

    db.engine()
    db.dispose_all()
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))

    def tables() -> set[str]:
        with sqlite3.connect(paths.database_path()) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}

    def migrate(action, revision: str) -> None:
        eng = create_engine(f"sqlite:///{paths.database_path()}")
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            action(cfg, revision)
        eng.dispose()

    migrate(command.downgrade, "0005_reading_day")
    assert {"sanity_paper", "sanity_sync", "sanity_dismissed", "ix_sanity_paper_rev"} <= tables()
    with sqlite3.connect(paths.database_path()) as conn:
        conn.execute("INSERT INTO sanity_dismissed VALUES ('2403.01234', '2026-11-24T00:00:00+00:00')")
    migrate(command.upgrade, "head")
    assert {"discover_paper", "discover_sync", "discover_dismissed", "ix_discover_paper_published",
            "ix_discover_paper_rev"} <= tables()
    assert not {t for t in tables() if "sanity" in t}
    with sqlite3.connect(paths.database_path()) as conn:
        assert conn.execute("SELECT arxiv_id FROM discover_dismissed").fetchall() == [("2403.01234",)]


def test_database_url_moves_the_database_and_only_sqlite_is_taken(tmp_path, monkeypatch, capsys):
    from readroom import cli, config, library, paths

    elsewhere = tmp_path / "elsewhere" / "library.db"
    elsewhere.parent.mkdir()
    monkeypatch.setenv("READROOM_DATABASE_URL", f"sqlite:///{elsewhere}")
    config.reload()
    assert cli.main(["add", str(paths.shipped_data_dir() / library.DEMO_PDF)]) == 0
    assert elsewhere.is_file() and not (paths.home() / "readroom.db").exists()
    assert len(library.list_papers()) == 1

    monkeypatch.setenv("READROOM_DATABASE_URL", "postgresql://localhost/readroom")
    config.reload()
    capsys.readouterr()
    assert cli.main(["list"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["readroom: READROOM_DATABASE_URL must be a SQLite URL like \"sqlite:////path/to/readroom.db\", "
                   "or \"\", not 'postgresql://localhost/readroom'."]


def test_0007_marks_papers_parsed_so_far_as_parsed_by_layout():
    from alembic import command
    from alembic.config import Config

    from readroom.storage import db
    from readroom.storage.db import MIGRATIONS

    eng = db.engine()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_discover")
    db.dispose_all()
    with sqlite3.connect(paths.database_path()) as conn:  # as 0006 stored them
        for paper_id, status in (("p1", "parsed"), ("p2", "unparsed")):
            conn.execute("INSERT INTO paper (id, source, title, authors, abstract, categories, added_at, parse_status)"
                         " VALUES (?, 'local', 'T', '[]', '', '[]', '2026-01-01 00:00:00', ?)", (paper_id, status))
    db.engine()  # migrates on open
    with sqlite3.connect(paths.database_path()) as conn:
        rows = conn.execute("SELECT id, structure_source FROM paper ORDER BY id").fetchall()
    assert rows == [("p1", "layout"), ("p2", None)]
