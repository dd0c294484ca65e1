"""`readroom sync`'s rows: what readroom holds that the companion Anki collection may lack (reviews by second),
and the reviews and card states pulled from it; and the companion file read and written directly while Anki's
backend has it closed (see storage.anki_file: the backend's database proxy costs seconds at 100k rows).

Reviews are matched across the two by (card, second): readroom keeps answer times to the second, Anki's review
log ids are the answer time in milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from readroom.records.cards import CardState
from readroom.storage.anki_file import UPDATE_CARD, collection_transaction
from readroom.storage.cards import get_card, insert_review, save_memory, update_card, update_note
from readroom.storage.fast import read_db, write_db
from readroom.storage.sql import stored_time
from readroom.storage.types_light import parse_utc

# (id, cid, ease, ivl, lastIvl, factor, time, type): a review already there (pushed before, or the phone's) stays
_ADD_REVLOG = ("INSERT OR IGNORE INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
               " VALUES (?,?,-1,?,?,?,?,?,?)")


def cards_reviewed_since(since: datetime | None) -> set[int]:
    """Ids of the cards answered in readroom at or after `since` (every answered card when None): one range of
    the review log's time index, not a look-up per card."""
    with read_db() as conn:
        if conn is None:
            return set()
        if since is None:
            return {r[0] for r in conn.execute("SELECT DISTINCT card_id FROM review_log")}
        # without the hint SQLite answers DISTINCT by walking the card_id index over the whole log
        return {r[0] for r in conn.execute("SELECT card_id FROM review_log INDEXED BY ix_review_log_reviewed_at"
                                           " WHERE reviewed_at >= ?", (stored_time(since),))}


def card_keys() -> list[tuple[int, str, str, int, int, datetime, bool, datetime | None]]:
    """(card id, note uuid = Anki GUID, note kind, ord, state, note updated at, suspended, buried until) of every
    card: what a sync matches and compares, without the notes' text."""
    with read_db() as conn:
        if conn is None:
            return []
        return [(r[0], r[1], r[2], r[3], r[4], parse_utc(r[5]), bool(r[6]), parse_utc(r[7])) for r in conn.execute(
            "SELECT c.id, n.uuid, n.kind, c.ord, c.state, n.updated_at, c.suspended, c.buried_until"
            " FROM card c JOIN note n ON n.id = c.note_id")]


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
    from readroom.storage.cards import card_memory, state_before

    found: dict[int, tuple[str, int, int, CardState, list[tuple[datetime, int, CardState]]]] = {}
    with read_db() as conn:
        if conn is None or not card_ids:
            return found
        # One JSON parameter, not one variable per card: SQLite refuses more than 32,766 variables.
        ids = (json.dumps(sorted(card_ids)),)
        for r in conn.execute("SELECT id, uuid, reps, lapses, state, step, stability, difficulty, due, last_review"
                              " FROM card WHERE id IN (SELECT value FROM json_each(?))", ids):
            found[r["id"]] = (r["uuid"], r["reps"], r["lapses"], card_memory(r), [])
        for r in conn.execute(
                "SELECT card_id, reviewed_at, rating, state_before, step_before, stability_before, difficulty_before,"
                " due_before, last_review_before FROM review_log WHERE card_id IN (SELECT value FROM json_each(?))"
                " ORDER BY reviewed_at, id", ids):
            found[r["card_id"]][4].append((parse_utc(r["reviewed_at"]), r["rating"], state_before(r)))
    return found


def add_pulled(reviews: list[tuple[int, int, datetime, int, CardState, CardState, bool]],
               states: list[tuple[int, CardState, int, int]], leech_tag: str) -> None:
    """The reviews made elsewhere, (card id, rating, answered at, elapsed ms, state before, state after, made a
    leech), and the cards' states after them, (card id, memory, reps, lapses): all in one transaction, or none. A
    card an answer made a leech is marked and suspended, and its note tagged `leech_tag`, as an answer in readroom
    does (an undo takes it back the same way)."""
    with write_db() as conn:
        for card_id, rating, at, elapsed_ms, before, after, made_leech in reviews:
            insert_review(conn, card_id, rating, at, elapsed_ms, before, after, made_leech=made_leech)
            if made_leech and (card := get_card(conn, card_id)) is not None:
                update_card(conn, card_id, leech=True, suspended=True)
                if leech_tag not in card.tags:
                    update_note(conn, card.note_id, tags=[*card.tags, leech_tag])
        for card_id, memory, reps, lapses in states:
            save_memory(conn, card_id, memory, reps=reps, lapses=lapses)


def apply_pulled_changes(cards: list[tuple[int, bool, datetime | None]], deleted_notes: list[str]) -> None:
    """The suspensions and buries made elsewhere, (card id, suspended, buried until), and the notes deleted
    elsewhere (by uuid = Anki GUID; their cards and history go, as `readroom card delete` does): in one
    transaction."""
    with write_db() as conn:
        conn.executemany("UPDATE card SET suspended = ?, buried_until = ? WHERE id = ?",
                         [(int(s), None if b is None else stored_time(b), i) for i, s, b in cards])
        conn.executemany("DELETE FROM note WHERE uuid = ?", [(g,) for g in deleted_notes])


def synced_state() -> tuple[dict[str, int], dict[tuple[str, int], tuple[bool, bool]]]:
    """What the last sync left on both sides: note GUID -> Anki note mod, and (GUID, Anki ord) -> (suspended,
    buried)."""
    with read_db() as conn:
        if conn is None:
            return {}, {}
        notes = dict(conn.execute("SELECT guid, mod FROM sync_note").fetchall())
        cards = {(g, o): (bool(s), bool(b)) for g, o, s, b in conn.execute(
            "SELECT guid, ord, suspended, buried FROM sync_card")}
        return notes, cards


def save_synced_state(notes: dict[str, int], cards: dict[tuple[str, int], tuple[bool, bool]]) -> None:
    """Replace the synced state (as synced_state returns it), in one transaction."""
    with write_db() as conn:
        conn.execute("DELETE FROM sync_note")
        conn.execute("DELETE FROM sync_card")
        conn.executemany("INSERT INTO sync_note (guid, mod) VALUES (?, ?)", notes.items())
        conn.executemany("INSERT INTO sync_card (guid, ord, suspended, buried) VALUES (?, ?, ?, ?)",
                         [(g, o, int(s), int(b)) for (g, o), (s, b) in cards.items()])


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


def companion_state(collection: Path) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """The companion's notes, GUID -> modified time (seconds), and cards, (note GUID, ord, queue)."""
    conn = sqlite3.connect(f"{collection.as_uri()}?mode=ro", uri=True)
    try:
        return (dict(conn.execute("SELECT guid, mod FROM notes").fetchall()),
                conn.execute("SELECT n.guid, c.ord, c.queue FROM cards c JOIN notes n ON n.id = c.nid").fetchall())
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


def write_companion(collection: Path, cards: list[tuple], revlog: list[tuple],
                    hidden: Sequence[tuple[bool, bool, int]] = ()) -> int:
    """Update cards' scheduling columns (rows as storage.anki_file's), add the review-log rows it lacks, and set
    the queue of the cards `hidden`, (suspended, buried, Anki card id): all or nothing; returns how many
    review-log rows were new."""
    with collection_transaction(collection) as conn:
        conn.executemany(UPDATE_CARD, cards)
        before = conn.total_changes
        conn.executemany(_ADD_REVLOG, revlog)
        added = conn.total_changes - before
        conn.executemany(_SET_QUEUE, hidden)
        # Anki's sync sends nothing when the collection's modified time is the one it last synced
        conn.execute("UPDATE col SET mod = max(mod + 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000)")
    return added


# Anki's queue: -1 suspended, -3 buried by hand; else the card type's own queue (a learning step due within the day
# has a timestamp for due, a later one a day number: queue 1 or 3)
_SET_QUEUE = ("UPDATE cards SET queue = CASE WHEN ?1 THEN -1 WHEN ?2 THEN -3 WHEN type IN (1, 3) AND due < 1000000000"
              " THEN 3 ELSE type END, mod = CAST(strftime('%s', 'now') AS INTEGER), usn = -1 WHERE id = ?3")
