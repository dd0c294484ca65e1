"""An Anki collection file written directly, while Anki's backend has it closed: the cards' schedules and the
review log of an export with scheduling, in one sqlite3 transaction.

Through the backend's database proxy the same rows cross into Rust as JSON (100k review-log rows: ~3x this
time in one transaction, 38 s outside one, where the backend commits after every row). The columns are those of
Anki's `cards` and `revlog` tables, which Anki's schema upgrades have kept since 2.1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# (type, queue, due, ivl, factor, reps, lapses, left, data, mod, id)
UPDATE_CARD = ("UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?,"
                " data = ?, mod = ?, usn = -1 WHERE id = ?")
# (id, cid, ease, ivl, lastIvl, factor, time, type)
_INSERT_REVLOG = "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?,?,-1,?,?,?,?,?,?)"


@contextmanager
def collection_transaction(collection: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on a closed Anki collection file: committed on success, rolled back on any error."""
    conn = sqlite3.connect(collection, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def write_schedule(collection: Path, cards: list[tuple], revlog: list[tuple]) -> None:
    """Update the cards' scheduling columns and add the review-log rows, all or nothing."""
    with collection_transaction(collection) as conn:
        conn.executemany(UPDATE_CARD, cards)
        conn.executemany(_INSERT_REVLOG, revlog)
