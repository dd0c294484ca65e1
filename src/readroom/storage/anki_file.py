"""Anki collection files written directly with sqlite3, not through Anki's backend: the package of an export with
scheduling (a schema-11 collection, the format genanki writes and every Anki since 2.1 imports and upgrades), and
the sync's schedules written into a collection while the backend has it closed.

Through the backend's database proxy the same rows cross into Rust as JSON (100k review-log rows: ~3x this
time in one transaction, 38 s outside one, where the backend commits after every row); and the backend's own
import and export of the package cost more than all the rest of an export. The columns are those of Anki's
`cards`, `revlog` and `col` tables, which Anki's schema upgrades have kept since 2.1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# (type, queue, due, ivl, factor, reps, lapses, left, data, mod, id)
UPDATE_CARD = ("UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?,"
                " data = ?, mod = ?, usn = -1 WHERE id = ?")


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


@contextmanager
def scratch_collection(path: Path) -> Iterator[sqlite3.Connection]:
    """A new collection file to be packed: no journal and no syncs to disk, as a file that is thrown away if
    anything fails needs neither; committed when the block ends."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        yield conn
        conn.commit()
    finally:
        conn.close()


def add_decks(conn: sqlite3.Connection, models: dict[str, dict], decks: dict[str, dict]) -> None:
    """Note types and decks (schema-11 JSON, by id) added to a collection's."""
    old_models, old_decks = conn.execute("SELECT models, decks FROM col").fetchone()
    conn.execute("UPDATE col SET models = ?, decks = ?", (json.dumps({**json.loads(old_models), **models}),
                                                          json.dumps({**json.loads(old_decks), **decks})))


def collection_settings(conn: sqlite3.Connection) -> tuple[dict, dict, dict]:
    """A schema-11 collection's (configuration, decks, deck option presets), as Anki keeps them: JSON in `col`."""
    conf, decks, dconf = conn.execute("SELECT conf, decks, dconf FROM col").fetchone()
    return json.loads(conf), json.loads(decks), json.loads(dconf)


def set_collection_settings(conn: sqlite3.Connection, created: int, conf: dict, decks: dict, dconf: dict) -> None:
    """Replace them, and the collection's creation time (seconds; Anki counts its days from it)."""
    conn.execute("UPDATE col SET crt = ?, conf = ?, decks = ?, dconf = ?",
                 (created, json.dumps(conf), json.dumps(decks), json.dumps(dconf)))


def add_rows(conn: sqlite3.Connection, notes: list[tuple], cards: list[tuple]) -> None:
    """Notes and cards as genanki writes them (every column, in order)."""
    with _indexes_after(conn, "notes", "cards"):
        conn.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)


def add_review_log(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Review-log rows (id, cid, ease, ivl, lastIvl, factor, time, type)."""
    with _indexes_after(conn, "revlog"):
        conn.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                         " VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", rows)


@contextmanager
def _indexes_after(conn: sqlite3.Connection, *tables: str) -> Iterator[None]:
    """The tables' indexes dropped for the block's inserts and built after them, in one pass each (a quarter to a
    half of the inserts' time, against keeping each index in step with every row)."""
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                           " AND tbl_name IN (SELECT value FROM json_each(?))", (json.dumps(tables),)).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.execute(sql)
