"""`readroom sync`'s rows: what readroom holds that the companion Anki collection may lack (reviews by second),
and the reviews and card states pulled from it; and the companion file read and written directly while Anki's
backend has it closed (see storage.anki_file: the backend's database proxy costs seconds at 100k rows).

Reviews are matched across the two by (card, second): readroom keeps answer times to the second, Anki's review
log ids are the answer time in milliseconds.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from readroom.records.cards import CardState
from readroom.storage.anki_file import UPDATE_CARD, collection_transaction
from readroom.storage.cards import insert_review, save_memory
from readroom.storage.fast import read_db, write_db
from readroom.storage.sql import placeholders, stored_time
from readroom.storage.types_light import parse_utc

# (id, cid, ease, ivl, lastIvl, factor, time, type): a review already there (pushed before, or the phone's) stays
_ADD_REVLOG = ("INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
               " VALUES (?,?,-1,?,?,?,?,?,?)")


def cards_reviewed_since(since: datetime | None) -> set[int]:
    """Ids of the cards answered in readroom after `since` (every answered card when None)."""
    with read_db() as conn:
        if conn is None:
            return set()
        if since is None:
            return {r[0] for r in conn.execute("SELECT DISTINCT card_id FROM review_log")}
        return {r[0] for r in conn.execute("SELECT DISTINCT card_id FROM review_log WHERE reviewed_at > ?",
                                           (stored_time(since),))}


def card_keys() -> list[tuple[int, str, str, int, int, datetime]]:
    """(card id, note uuid = Anki GUID, note kind, ord, state, note updated at) of every card: what a sync matches
    and compares, without the notes' text."""
    with read_db() as conn:
        if conn is None:
            return []
        return [(r[0], r[1], r[2], r[3], r[4], parse_utc(r[5])) for r in conn.execute(
            "SELECT c.id, n.uuid, n.kind, c.ord, c.state, n.updated_at FROM card c JOIN note n ON n.id = c.note_id")]


def review_seconds() -> set[tuple[int, int]]:
    """(card id, answer time in seconds since the epoch) of every answer readroom holds."""
    with read_db() as conn:
        if conn is None:
            return set()
        return {(r[0], r[1]) for r in conn.execute(
            "SELECT card_id, CAST(strftime('%s', reviewed_at) AS INTEGER) FROM review_log")}


def histories(card_ids: set[int]) -> dict[int, tuple[str, int, int, CardState, list[tuple[datetime, int, CardState]]]]:
    """For a replay: each card's uuid, reps, lapses and state now, and its answers as (answered at, rating, state
    before) oldest first."""
    from readroom.storage.cards import card_memory

    found: dict[int, tuple[str, int, int, CardState, list[tuple[datetime, int, CardState]]]] = {}
    with read_db() as conn:
        if conn is None or not card_ids:
            return found
        ids = sorted(card_ids)
        for r in conn.execute("SELECT id, uuid, reps, lapses, state, step, stability, difficulty, due, last_review"
                              f" FROM card WHERE id IN ({placeholders(ids)})", ids):
            found[r["id"]] = (r["uuid"], r["reps"], r["lapses"], card_memory(r), [])
        for r in conn.execute(
                "SELECT card_id, reviewed_at, rating, state_before, step_before, stability_before, difficulty_before,"
                f" due_before, last_review_before FROM review_log WHERE card_id IN ({placeholders(ids)})"
                " ORDER BY reviewed_at, id", ids):
            before = CardState(r["state_before"], r["step_before"], r["stability_before"], r["difficulty_before"],
                               parse_utc(r["due_before"]), parse_utc(r["last_review_before"]))
            found[r["card_id"]][4].append((parse_utc(r["reviewed_at"]), r["rating"], before))
    return found


def add_pulled(reviews: list[tuple[int, int, datetime, int, CardState, CardState]],
               states: list[tuple[int, CardState, int, int]]) -> None:
    """The reviews made elsewhere, (card id, rating, answered at, elapsed ms, state before, state after), and the
    cards' states after them, (card id, memory, reps, lapses): all in one transaction, or none."""
    with write_db() as conn:
        for card_id, rating, at, elapsed_ms, before, after in reviews:
            insert_review(conn, card_id, rating, at, elapsed_ms, before, after, made_leech=False)
        for card_id, memory, reps, lapses in states:
            save_memory(conn, card_id, memory, reps=reps, lapses=lapses)


# --------------------------------------------------------------------------------------------- the companion file


def companion(collection: Path) -> tuple[list[tuple], list[tuple]]:
    """The companion's cards, (id, note GUID, ord, type, queue, due, ivl, reps, lapses, left, data), and its
    review log, (id in ms, card id, ease, ivl, time ms, type) oldest first."""
    conn = sqlite3.connect(f"{collection.as_uri()}?mode=ro", uri=True)
    try:
        cards = conn.execute("SELECT c.id, n.guid, c.ord, c.type, c.queue, c.due, c.ivl, c.reps, c.lapses, c.left,"
                             " c.data FROM cards c JOIN notes n ON n.id = c.nid").fetchall()
        reviews = conn.execute("SELECT id, cid, ease, ivl, time, type FROM revlog ORDER BY id").fetchall()
        return cards, reviews
    finally:
        conn.close()


def companion_notes(collection: Path, since: int) -> list[tuple[str, int, str]]:
    """The companion's notes changed from the second `since` on (seconds since the epoch): (GUID, modified at,
    fields)."""
    conn = sqlite3.connect(f"{collection.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT guid, mod, flds FROM notes WHERE mod >= ?", (since,)).fetchall()
    finally:
        conn.close()


def write_companion(collection: Path, cards: list[tuple], revlog: list[tuple]) -> int:
    """Update cards' scheduling columns (rows as storage.anki_file's) and add the review-log rows it lacks, all or
    nothing; returns how many review-log rows were new."""
    with collection_transaction(collection) as conn:
        conn.executemany(UPDATE_CARD, cards)
        before = conn.total_changes
        conn.executemany(_ADD_REVLOG, revlog)
        added = conn.total_changes - before
        # Anki's sync sends nothing when the collection's modified time is the one it last synced
        conn.execute("UPDATE col SET mod = max(mod + 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000)")
    return added
