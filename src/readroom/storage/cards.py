"""Highlights, notes, cards and the review log, on the stdlib driver (no SQLAlchemy, so answering starts fast).

Every function takes the caller's connection: `fast.read_db()` for reads, `fast.write_db()` for writes, so the
service decides what one transaction holds (an answer reads the card, schedules it and writes card and log row
in one). Values are stored as models.py's column types store them: times as `sql.stored_time` text, tags as a
JSON list (types.JSONList), booleans as 0/1. Deletes lean on the schema's ON DELETE rules (write_db turns
foreign keys on): a note takes its cards, a card its review log, and a highlight's notes keep their text.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from readroom.records.cards import LEARNING, NEW, RELEARNING, REVIEW, CardState, CardView, HighlightView
from readroom.storage.sql import IN_JSON, NOTE_HAS_TAG, json_list, like_contains, like_prefix, stored_time
from readroom.storage.types_light import parse_utc


@dataclass(frozen=True)
class LoggedReview:
    """A review-log row as undo needs it: the card's whole state before the answer."""

    id: int
    card_id: int
    rating: int
    before: CardState
    made_leech: bool


def _column(value: object) -> object:
    """A Python value as its column keeps it (None stays NULL)."""
    if isinstance(value, datetime):
        return stored_time(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)  # as types.JSONList writes it
    return value


# --------------------------------------------------------------------------------------------- cards

_CARD_SELECT = (
    "SELECT c.id, c.uuid, c.note_id, n.uuid AS note_uuid, c.ord, n.kind, n.front, n.back, n.paper_id, n.section,"
    " n.page, n.tags, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review, c.reps, c.lapses,"
    " c.suspended, c.buried_until, c.leech, c.flag, n.highlight_id, n.image, n.areas"
    " FROM card c JOIN note n ON n.id = c.note_id"
)


def stored_memory(state: int, step: int | None, stability: float | None, difficulty: float | None, due: str,
                  last_review: str | None) -> CardState:
    """What FSRS knows of a card, from its stored columns (times as the stored text)."""
    return CardState(state, step, stability, difficulty, parse_utc(due), parse_utc(last_review))


def card_memory(row: sqlite3.Row) -> CardState:
    """What FSRS knows of the card in a row holding the card table's state columns."""
    return stored_memory(row["state"], row["step"], row["stability"], row["difficulty"], row["due"],
                         row["last_review"])


def state_before(row: sqlite3.Row) -> CardState:
    """The card's state before an answer, from a row holding the review log's *_before columns."""
    return stored_memory(row["state_before"], row["step_before"], row["stability_before"], row["difficulty_before"],
                         row["due_before"], row["last_review_before"])


def _card(row: sqlite3.Row) -> CardView:
    memory = card_memory(row)
    return CardView(
        id=row["id"], uuid=row["uuid"], note_id=row["note_id"], note_uuid=row["note_uuid"], ord=row["ord"],
        kind=row["kind"], front=row["front"], back=row["back"], paper_id=row["paper_id"], section=row["section"],
        page=row["page"], tags=json.loads(row["tags"] or "[]"), memory=memory, reps=row["reps"],
        lapses=row["lapses"], suspended=bool(row["suspended"]), buried_until=parse_utc(row["buried_until"]),
        leech=bool(row["leech"]), highlight_id=row["highlight_id"], flag=row["flag"], image=row["image"],
        areas=[tuple(area) for area in json.loads(row["areas"] or "[]")],
    )


def get_card(conn: sqlite3.Connection, card_id: int) -> CardView | None:
    row = conn.execute(_CARD_SELECT + " WHERE c.id = ?", (card_id,)).fetchone()
    return _card(row) if row else None


def cards_of_note(conn: sqlite3.Connection, note_id: int) -> list[CardView]:
    return [_card(r) for r in conn.execute(_CARD_SELECT + " WHERE c.note_id = ? ORDER BY c.ord", (note_id,))]


def match_cards(conn: sqlite3.Connection, number: int | None, uuid_prefix: str | None) -> list[int]:
    """[number] when that card exists; else up to two cards whose uuid starts with `uuid_prefix`."""
    if number is not None and conn.execute("SELECT 1 FROM card WHERE id = ?", (number,)).fetchone():
        return [number]
    if not uuid_prefix:
        return []
    return [r[0] for r in conn.execute("SELECT id FROM card WHERE uuid LIKE ? ESCAPE '\\' LIMIT 2",
                                       (like_prefix(uuid_prefix),))]


def list_cards(conn: sqlite3.Connection, *, paper_id: str | None = None, tag: str | None = None,
               note_id: int | None = None, state: int | None = None, suspended: bool = False,
               buried_at: datetime | None = None, leech: bool = False, words: Iterable[str] = (),
               after: tuple[int, int] | None = None, limit: int | None = None) -> list[CardView]:
    """Cards passing every filter given (buried: still buried at `buried_at`; words: each in front or back), in
    creation order; with `after` (a card's note id and ord), those that come after it: the next page, read
    from ix_card_note_ord whatever its depth (an OFFSET would walk every row before it)."""
    where: list[str] = []
    params: list[object] = []
    if paper_id:
        where.append("n.paper_id = ?")
        params.append(paper_id)
    if tag:
        where.append(NOTE_HAS_TAG)
        params.append(tag)
    if note_id is not None:
        where.append("c.note_id = ?")
        params.append(note_id)
    if state is not None:
        where.append("c.state = ?")
        params.append(state)
    if suspended:
        where.append("c.suspended = 1")
    if buried_at is not None:
        where.append("c.buried_until > ?")
        params.append(stored_time(buried_at))
    if leech:
        where.append("c.leech = 1")
    for word in words:
        where.append("(n.front LIKE ? ESCAPE '\\' OR n.back LIKE ? ESCAPE '\\')")
        params.extend([like_contains(word)] * 2)
    if after is not None:
        where.append("(c.note_id, c.ord) > (?, ?)")
        params.extend(after)
    sql = _CARD_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.note_id, c.ord"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_card(r) for r in conn.execute(sql, params)]


def card_facets(conn: sqlite3.Connection) -> tuple[int, list[str], list[str]]:
    """How many cards there are, the papers they come from and their tags."""
    total = conn.execute("SELECT count(*) FROM card").fetchone()[0]
    papers = [r[0] for r in conn.execute("SELECT DISTINCT paper_id FROM note WHERE paper_id IS NOT NULL")]
    # The distinct tag lists, parsed here: most notes share a few lists, and SQLite's json_each over every note
    # took 1.8 s at 1M notes against 0.35 s for this one pass.
    tags = sorted({tag for (listed,) in conn.execute("SELECT DISTINCT tags FROM note") if listed
                   for tag in json.loads(listed)})
    return total, papers, tags


def insert_card(conn: sqlite3.Connection, note_id: int, number: int, now: datetime) -> int:
    # New cards are due at creation, so "ORDER BY due" shows them oldest first.
    return _inserted(conn.execute(
        "INSERT INTO card (uuid, note_id, ord, state, due, reps, lapses, suspended, leech, created_at)"
        " VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?)",
        (str(uuid.uuid4()), note_id, number, NEW, stored_time(now), stored_time(now))))


def update_card(conn: sqlite3.Connection, card_id: int, **values: object) -> bool:
    """Set some of the card's columns (suspended, buried_until, leech...); False when there is no such card."""
    sets = ", ".join(f"{column} = ?" for column in values)
    cursor = conn.execute(f"UPDATE card SET {sets} WHERE id = ?", (*map(_column, values.values()), card_id))
    return cursor.rowcount > 0


def save_memory(conn: sqlite3.Connection, card_id: int, memory: CardState, *, reps: int, lapses: int) -> None:
    conn.execute(
        "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, reps = ?,"
        " lapses = ? WHERE id = ?",
        (memory.state, memory.step, memory.stability, memory.difficulty, stored_time(memory.due),
         _column(memory.last_review), reps, lapses, card_id))


def delete_cards(conn: sqlite3.Connection, card_ids: list[int]) -> None:
    conn.execute(f"DELETE FROM card WHERE id {IN_JSON}", (json_list(card_ids),))


def card_note(conn: sqlite3.Connection, card_id: int) -> int | None:
    row = conn.execute("SELECT note_id FROM card WHERE id = ?", (card_id,)).fetchone()
    return row[0] if row else None


def card_ords(conn: sqlite3.Connection, note_id: int) -> dict[int, int]:
    """The note's cards: cloze number -> card id."""
    return {r[0]: r[1] for r in conn.execute("SELECT ord, id FROM card WHERE note_id = ?", (note_id,))}


def note_has_leech(conn: sqlite3.Connection, note_id: int) -> bool:
    return conn.execute("SELECT 1 FROM card WHERE note_id = ? AND leech = 1 LIMIT 1", (note_id,)).fetchone() is not None


# --------------------------------------------------------------------------------------------- notes


def insert_note(conn: sqlite3.Connection, *, kind: str, front: str, back: str, paper_id: str | None,
                highlight_id: int | None, section: str | None, page: int | None, tags: list[str],
                now: datetime, image: str | None = None, areas: list | None = None) -> int:
    return _inserted(conn.execute(
        "INSERT INTO note (uuid, kind, front, back, paper_id, highlight_id, section, page, tags, image, areas,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), kind, front, back, paper_id, highlight_id, section, page, _column(tags), image,
         _column(areas or []), stored_time(now), stored_time(now))))


def note_text(conn: sqlite3.Connection, note_id: int) -> tuple[str, str, str, list] | None:
    """(kind, front, back, areas) of the note, or None."""
    row = conn.execute("SELECT kind, front, back, areas FROM note WHERE id = ?", (note_id,)).fetchone()
    return (row[0], row[1], row[2], json.loads(row[3] or "[]")) if row else None


def update_note(conn: sqlite3.Connection, note_id: int, **values: object) -> None:
    """Set some of the note's columns (front, back, tags, areas, updated_at)."""
    sets = ", ".join(f"{column} = ?" for column in values)
    conn.execute(f"UPDATE note SET {sets} WHERE id = ?", (*map(_column, values.values()), note_id))


def delete_note(conn: sqlite3.Connection, note_id: int) -> bool:
    """The note, its cards and their review log; False when there is no such note."""
    return conn.execute("DELETE FROM note WHERE id = ?", (note_id,)).rowcount > 0


def delete_note_if_empty(conn: sqlite3.Connection, note_id: int) -> None:
    conn.execute("DELETE FROM note WHERE id = ? AND NOT EXISTS (SELECT 1 FROM card WHERE note_id = ?)",
                 (note_id, note_id))


# --------------------------------------------------------------------------------------------- highlights


def _highlight(row: sqlite3.Row) -> HighlightView:
    return HighlightView(**{k: (parse_utc(row[k]) if k == "created_at" else row[k]) for k in row.keys()
                            if k in HighlightView.__dataclass_fields__})


def list_highlights(conn: sqlite3.Connection, paper_id: str) -> list[HighlightView]:
    rows = conn.execute("SELECT * FROM highlight WHERE paper_id = ? ORDER BY page, start, id", (paper_id,))
    return [_highlight(r) for r in rows]


def get_highlight(conn: sqlite3.Connection, highlight_id: int) -> HighlightView | None:
    row = conn.execute("SELECT * FROM highlight WHERE id = ?", (highlight_id,)).fetchone()
    return _highlight(row) if row else None


def insert_highlight(conn: sqlite3.Connection, paper_id: str, text: str, *, created_at: datetime,
                     page: int | None = None, pass_no: int | None = None, section: str | None = None,
                     start: int | None = None, end: int | None = None, before: str = "", after: str = "",
                     kind: str | None = None, color: str | None = None, note: str | None = None,
                     annot_key: str | None = None) -> HighlightView:
    new_id = _inserted(conn.execute(
        "INSERT INTO highlight (uuid, paper_id, pass_no, page, section, start, \"end\", text, \"before\", \"after\","
        " kind, color, note, annot_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), paper_id, pass_no, page, section, start, end, text, before, after, kind, color, note,
         annot_key, stored_time(created_at))))
    highlight = get_highlight(conn, new_id)
    assert highlight is not None  # inserted just above, in this transaction
    return highlight


def delete_highlight(conn: sqlite3.Connection, highlight_id: int) -> bool:
    """Its notes stay (their highlight_id becomes NULL); False when there is no such highlight."""
    return conn.execute("DELETE FROM highlight WHERE id = ?", (highlight_id,)).rowcount > 0


def annotation_keys(conn: sqlite3.Connection, paper_id: str) -> set[str]:
    """The PDF annotations already imported as the paper's highlights."""
    return {r[0] for r in conn.execute(
        "SELECT annot_key FROM highlight WHERE paper_id = ? AND annot_key IS NOT NULL", (paper_id,))}


def paper_exists(conn: sqlite3.Connection, paper_id: str) -> bool:
    return conn.execute("SELECT 1 FROM paper WHERE id = ?", (paper_id,)).fetchone() is not None


# --------------------------------------------------------------------------------------------- review log


def insert_review(conn: sqlite3.Connection, card_id: int, rating: int, reviewed_at: datetime, elapsed_ms: int,
                  before: CardState, after: CardState, made_leech: bool) -> None:
    conn.execute(
        "INSERT INTO review_log (uuid, card_id, rating, reviewed_at, elapsed_ms, state_before, state_after,"
        " interval_days, step_before, stability_before, difficulty_before, due_before, due_after,"
        " last_review_before, stability_after, difficulty_after, made_leech)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), card_id, rating, stored_time(reviewed_at), elapsed_ms, before.state, after.state,
         (after.due - reviewed_at).total_seconds() / 86400,  # the scheduled interval
         before.step, before.stability, before.difficulty, stored_time(before.due), stored_time(after.due),
         _column(before.last_review), after.stability, after.difficulty, int(made_leech)))


def latest_review(conn: sqlite3.Connection, card_id: int | None = None) -> LoggedReview | None:
    """The newest answer (of one card, when given)."""
    where, params = ("WHERE card_id = ?", (card_id,)) if card_id is not None else ("", ())
    row = conn.execute(
        "SELECT id, card_id, rating, state_before, step_before, stability_before, difficulty_before, due_before,"
        f" last_review_before, made_leech FROM review_log {where} ORDER BY id DESC LIMIT 1", params).fetchone()
    if row is None:
        return None
    return LoggedReview(row["id"], row["card_id"], row["rating"], state_before(row), bool(row["made_leech"]))


def delete_review(conn: sqlite3.Connection, review_id: int) -> None:
    conn.execute("DELETE FROM review_log WHERE id = ?", (review_id,))


def review_history(conn: sqlite3.Connection) -> list[tuple[int, int, datetime, int | None]]:
    """Every answer as (card id, rating, reviewed at, elapsed ms), oldest first."""
    return [(r[0], r[1], parse_utc(r[2]), r[3]) for r in conn.execute(
        "SELECT card_id, rating, reviewed_at, elapsed_ms FROM review_log ORDER BY reviewed_at, id")]


# --------------------------------------------------------------------------------------------- the day's queue

_NOT_BURIED = "(buried_until IS NULL OR buried_until <= ?)"


def answered_since(conn: sqlite3.Connection, start: datetime) -> tuple[int, int]:
    """How many new cards and how many review cards were answered since `start`."""
    return tuple(conn.execute(
        f"SELECT coalesce(sum(state_before = {NEW}), 0), coalesce(sum(state_before = {REVIEW}), 0)"
        " FROM review_log WHERE reviewed_at >= ?", (stored_time(start),)).fetchone())


def notes_answered_since(conn: sqlite3.Connection, start: datetime) -> set[int]:
    # Shaped so SQLite starts from today's few log rows (a join makes it scan every card).
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT note_id FROM card WHERE id IN (SELECT card_id FROM review_log WHERE reviewed_at >= ?)",
        (stored_time(start),))}


def learning_due(conn: sqlite3.Connection, until: datetime, now: datetime,
                 since: datetime | None = None) -> Iterator[tuple[int, str]]:
    """(id, stored due) of learning and relearning cards due by `until` (and after `since`, when given), not
    suspended or buried at `now`, soonest first (ties by id, as the kept queue orders them). Stored times compare
    as their text does."""
    # Without the hint SQLite walks ix_card_suspended_due over every card due so far (reviews included).
    after = " AND due > ?" if since is not None else ""
    return iter(conn.execute(
        f"SELECT id, due FROM card INDEXED BY ix_card_queue WHERE suspended = 0"
        f" AND state IN ({LEARNING}, {RELEARNING}) AND due <= ?{after} AND {_NOT_BURIED} ORDER BY due, id",
        (stored_time(until), *([stored_time(since)] if since is not None else []), stored_time(now))))


def reviews_due(conn: sqlite3.Connection, before: datetime, now: datetime) -> Iterator[tuple[int, int]]:
    """(id, note id) of review cards due before `before`, not suspended or buried at `now`, most overdue first."""
    return iter(conn.execute(
        f"SELECT id, note_id FROM card WHERE suspended = 0 AND state = {REVIEW} AND due < ? AND {_NOT_BURIED}"
        " ORDER BY due", (stored_time(before), stored_time(now))))


def new_cards(conn: sqlite3.Connection, now: datetime) -> Iterator[tuple[int, int]]:
    """(id, note id) of new cards, not suspended or buried at `now`, oldest first."""
    return iter(conn.execute(
        f"SELECT id, note_id FROM card WHERE suspended = 0 AND state = {NEW} AND {_NOT_BURIED} ORDER BY due, id",
        (stored_time(now),)))


def next_learning_due(conn: sqlite3.Connection, after: datetime) -> datetime | None:
    return parse_utc(conn.execute(
        f"SELECT min(due) FROM card WHERE suspended = 0 AND state IN ({LEARNING}, {RELEARNING}) AND due > ?",
        (stored_time(after),)).fetchone()[0])


def first_review_due(conn: sqlite3.Connection) -> datetime | None:
    return parse_utc(conn.execute(f"SELECT min(due) FROM card WHERE suspended = 0 AND state = {REVIEW}").fetchone()[0])


def has_new_cards(conn: sqlite3.Connection) -> bool:
    return conn.execute(f"SELECT 1 FROM card WHERE suspended = 0 AND state = {NEW} LIMIT 1").fetchone() is not None


def has_buried(conn: sqlite3.Connection, now: datetime) -> bool:
    """Whether some card is buried at `now`: a range of the partial index of the cards ever buried (without the
    hint SQLite walks every unsuspended card)."""
    return conn.execute("SELECT 1 FROM card INDEXED BY ix_card_buried WHERE suspended = 0 AND buried_until > ? LIMIT 1",
                        (stored_time(now),)).fetchone() is not None


def _inserted(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (typeshed's lastrowid is optional: None only before any INSERT)."""
    new_id = cursor.lastrowid
    assert new_id is not None
    return new_id


# --------------------------------------------------------------------------------------------- note-wide actions, card info


def note_cards_active(conn: sqlite3.Connection, note_id: int, now: datetime) -> list[int]:
    """Ids of the note's cards neither suspended nor buried at `now`: what a note-wide bury or suspend changes."""
    return [r[0] for r in conn.execute(
        f"SELECT id FROM card WHERE note_id = ? AND suspended = 0 AND {_NOT_BURIED} ORDER BY ord",
        (note_id, stored_time(now)))]


def note_cards_unsuspended(conn: sqlite3.Connection, note_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM card WHERE note_id = ? AND suspended = 0 ORDER BY ord",
                                       (note_id,))]


def card_added(conn: sqlite3.Connection, card_id: int) -> datetime | None:
    row = conn.execute("SELECT created_at FROM card WHERE id = ?", (card_id,)).fetchone()
    return parse_utc(row[0]) if row else None


def card_reviews(conn: sqlite3.Connection, card_id: int) -> list[tuple[datetime, int, int, float, int]]:
    """The card's answers as (reviewed at, rating, state before, interval in days, elapsed ms), oldest first."""
    return [(parse_utc(r[0]), r[1], r[2], r[3], r[4] or 0) for r in conn.execute(
        "SELECT reviewed_at, rating, state_before, interval_days, elapsed_ms FROM review_log WHERE card_id = ?"
        " ORDER BY reviewed_at, id", (card_id,))]

