"""A library of more papers (or cards) than SQLite has bound variables: the library table's reading states, the
card browser's papers, a paper's reference marks and a note edit that drops cards each ask about every id in one
statement. Debian's SQLite allows 250,000 variables; these tests hold readroom's connections to the 32,766 of
SQLite's own default build (python.org, Homebrew), where an IN (?, ?, ...) list of 40,000 ids is refused."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from readroom import library, paths, reading
from readroom.cards import service
from readroom.cards.scheduler import GOOD
from readroom.storage import cards as store
from readroom.storage import db, fast

PAPERS = 40_000
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def default_build_limit(monkeypatch):
    """Every connection readroom opens, reading or writing, limited as SQLite's default build limits it."""
    for name in ("_open_readonly", "_locked"):
        opened = getattr(fast, name)

        def limited(*args, _opened=opened):
            conn = _opened(*args)
            conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
            return conn

        monkeypatch.setattr(fast, name, limited)


@pytest.fixture
def paper_ids() -> list[str]:
    """A library of PAPERS papers, p00000 ... (arXiv ids 2401.00000 ...), added in SQL: one add each would take
    minutes."""
    db.engine()
    ids = [f"p{i:05d}" for i in range(PAPERS)]
    with sqlite3.connect(paths.database_path()) as conn:
        conn.executemany(
            "INSERT INTO paper (id, source, arxiv_id, title, authors, abstract, categories, added_at, parse_status)"
            " VALUES (?, 'arxiv', ?, ?, '[]', '', '[]', '2026-01-01T00:00:00+00:00', 'parsed')",
            ((pid, f"2401.{i:05d}", f"Paper {i}") for i, pid in enumerate(ids)))
    return ids


def test_the_papers_of_more_ids_than_sqlite_has_variables(paper_ids):
    wanted = paper_ids[1:]  # all but the first

    found = library.list_by_ids(wanted)

    assert sorted(p.id for p in found) == wanted
    assert {p.id: p.title for p in found}["p00007"] == "Paper 7"


def test_reading_states_of_more_papers_than_sqlite_has_variables(paper_ids):
    last = paper_ids[-1]
    reading.tick(last, 1, "read-title")
    reading.save_note(last, 1, "notes", "worth a second pass")
    reading.add_time(last, 1, 90.0)
    reading.decide(last, "next")

    states = reading.states(paper_ids[1:])

    assert set(states) == {last}  # only papers with some reading state come back
    assert states[last].pass_no == 2
    assert states[last].ticks[1] == {"read-title"}
    assert states[last].note(1, "notes") == "worth a second pass"
    assert states[last].seconds[1] == 90.0
    assert [d.decision for d in states[last].decisions] == ["next"]


def test_library_marks_of_more_references_than_sqlite_has_variables(paper_ids):
    # The first half of the arXiv ids are papers in the library, the second half are not.
    references: list[str | None] = [f"2401.{i:05d}" for i in range(PAPERS // 2)]
    references += [f"2402.{i:05d}" for i in range(PAPERS // 2)] + [None]

    marks = reading.library_marks(references)

    assert marks == [True] * (PAPERS // 2) + [False] * (PAPERS // 2 + 1)


def test_deleting_more_cards_than_sqlite_has_variables():
    kept, *gone = [service.add_note("qa", f"question {i}", "answer", now=NOW)[0].id for i in range(3)]
    service.answer(gone[0], GOOD, NOW)
    absent = list(range(10**6, 10**6 + PAPERS))  # ids no card has: the statement's length is what matters

    with fast.write_db() as conn:
        store.delete_cards(conn, gone + absent)

    with sqlite3.connect(paths.database_path()) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM card")] == [kept]
        assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0  # the answer went with its card
