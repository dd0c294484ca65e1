"""Every write transaction holds SQLite's write lock from its first statement, so what it reads is what it changes."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from readroom import paths


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    from readroom.storage import db

    db.dispose_all()


def _can_write_meanwhile() -> bool:
    """Whether another connection (another readroom) could start writing right now."""
    other = sqlite3.connect(paths.database_path(), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_a_session_holds_the_write_lock_from_its_first_read():
    from readroom.storage import db
    from readroom.storage.models import Paper

    db.engine()
    assert _can_write_meanwhile()
    with db.session() as s:
        assert s.get(Paper, "p1") is None  # a read first, as a tag merge or a paper replace does
        assert not _can_write_meanwhile()
        s.add(Paper(id="p1", source="local", title="T", added_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    assert _can_write_meanwhile()


def test_write_db_holds_the_write_lock_from_its_first_read():
    from readroom.storage import db, fast

    db.engine()
    with fast.write_db() as conn:
        conn.execute("SELECT count(*) FROM card").fetchone()
        assert not _can_write_meanwhile()
    assert _can_write_meanwhile()
