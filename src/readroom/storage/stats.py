"""What the review log and the cards add up to, counted by SQLite: reviews per day, cards by state, the forecast,
the days with study, and each paper's due cards. Stdlib only: `readroom stats` and the library screen's start-up
read run without SQLModel.

Days come in as (start, end) UTC boundaries, worked out by the caller (cards/stats.py knows the study day), and
go to SQLite as one JSON list, so each day is one range of an index and no row comes back per card or review.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from readroom.records.cards import AGAIN, LEARNING, NEW, RELEARNING, REVIEW
from readroom.storage.sql import stored_time
from readroom.storage.types_light import parse_utc

# A row of json_each(?) holding [first, next] boundaries of a day, and the column `c` of table `t` inside it.
_IN_DAY = "{t}.{c} >= json_extract(d.value, '$[0]') AND {t}.{c} < json_extract(d.value, '$[1]')"


def _days(ranges: Sequence[tuple[datetime | None, datetime]]) -> str:
    """The ranges as the JSON list the queries read; an open start takes everything before the end."""
    return json.dumps([["" if start is None else stored_time(start), stored_time(end)] for start, end in ranges])


@dataclass
class DayReviews:
    """The answers given within one of the days asked about."""

    day: int  # its index in the ranges
    answers: int
    review_answers: int  # answers to cards in the review state
    passed: int  # those not rated Again
    elapsed_ms: int


def reviews_per_day(conn: sqlite3.Connection, ranges: list[tuple[datetime, datetime]]) -> list[DayReviews]:
    """Per day with an answer: one range of the reviewed_at index each."""
    return [DayReviews(i, n, reviews or 0, passed or 0, elapsed or 0) for i, n, reviews, passed, elapsed in conn.execute(
        f"SELECT d.key, count(*), sum(r.state_before = {REVIEW}),"
        f" sum(r.state_before = {REVIEW} AND r.rating != {AGAIN}), sum(r.elapsed_ms)"
        f" FROM json_each(?) d CROSS JOIN review_log r WHERE {_IN_DAY.format(t='r', c='reviewed_at')}"
        " GROUP BY d.key", (_days(ranges),))]


@dataclass
class StateCounts:
    by_state: dict[tuple[bool, int], int]  # (suspended, FSRS state) -> cards
    suspended_leeches: int
    buried: dict[int, int]  # FSRS state -> unsuspended cards buried now


def state_counts(conn: sqlite3.Connection, now: datetime) -> StateCounts:
    """Ranges of ix_card_queue rather than one GROUP BY over four columns (which sorts every card). SQLite walks
    a range of an index entry by entry (~0.2 µs each: 0.19 s for 1M cards) but counts a whole index from its b-tree
    pages (~10 ms), so the unsuspended review cards, most of a grown library, are counted as what the other states
    leave of the total. Leeches are among the (few) suspended cards, and buried cards are read from
    ix_card_buried, which holds only the cards ever buried."""
    total = conn.execute("SELECT count(*) FROM card").fetchone()[0]  # counted from its smallest index's pages
    # Every count here reads an index, so one read of the table's own b-tree (its last row: the root and one path
    # down) lets a damaged table be the one-line "damaged" error rather than numbers from intact indexes.
    conn.execute("SELECT max(id) FROM card").fetchone()
    by_state = {(bool(suspended), state): n for suspended, state, n in conn.execute(
        f"SELECT 0, state, count(*) FROM card WHERE suspended = 0 AND state IN ({NEW}, {LEARNING}, {RELEARNING})"
        " GROUP BY state UNION ALL SELECT 1, state, count(*) FROM card WHERE suspended = 1 GROUP BY state")}
    if review := total - sum(by_state.values()):
        by_state[(False, REVIEW)] = review
    leeches = conn.execute("SELECT count(*) FROM card WHERE suspended = 1 AND leech = 1").fetchone()[0]
    buried = dict(conn.execute("SELECT state, count(*) FROM card INDEXED BY ix_card_buried WHERE buried_until > ?"
                               " AND suspended = 0 GROUP BY state", (stored_time(now),)).fetchall())
    return StateCounts(by_state, leeches, buried)


def due_per_day(conn: sqlite3.Connection, ranges: list[tuple[datetime | None, datetime]]) -> list[int]:
    """Cards falling due within each range, new and suspended ones aside: one count per day over the
    (suspended, state, due) index, never the cards themselves."""
    counts = [0] * len(ranges)
    for i, n in conn.execute(
            "SELECT d.key, (SELECT count(*) FROM card c WHERE c.suspended = 0"
            f" AND c.state IN ({LEARNING}, {REVIEW}, {RELEARNING}) AND {_IN_DAY.format(t='c', c='due')})"
            " FROM json_each(?) d", (_days(ranges),)):
        counts[i] = n
    return counts


def days_with_reviews(conn: sqlite3.Connection, ranges: list[tuple[datetime, datetime]]) -> set[int]:
    """The indexes of the ranges holding a review, in one query (an index seek per day)."""
    if not ranges:
        return set()
    return {i for (i,) in conn.execute(
        "SELECT d.key FROM json_each(?) d WHERE EXISTS (SELECT 1 FROM review_log r"
        f" WHERE {_IN_DAY.format(t='r', c='reviewed_at')})", (_days(ranges),))}


def reading_days(conn: sqlite3.Connection) -> set[date]:
    """Study days with reading time (reading_day stores study days already)."""
    return {date.fromisoformat(day) for (day,) in conn.execute("SELECT DISTINCT day FROM reading_day WHERE seconds > 0")}


def reading_times(conn: sqlite3.Connection) -> Iterator[datetime]:
    """When a checklist item was ticked, a reading note saved or a pass decided."""
    for table, column in (("checklist_tick", "checked_at"), ("reading_note", "updated_at"), ("reading", "updated_at")):
        for (stamp,) in conn.execute(f"SELECT {column} FROM {table}"):
            yield parse_utc(stamp)


def cards_by_paper(conn: sqlite3.Connection, day_end: datetime, now: datetime) -> dict[str, tuple[int, int, int]]:
    """paper id -> (new, learning, review) cards as Anki's deck list counts them: new cards, and learning and review
    cards due before `day_end`, none suspended or buried at `now`; (0, 0, 0) for a paper whose notes have none of
    these. Papers without notes are left out."""
    # Index walks rather than one pass over every card: the counted cards are two ranges of ix_card_queue
    # (suspended, state, due), and which papers have notes at all is in the note table's paper index.
    counts = {paper_id: [0, 0, 0] for (paper_id,) in conn.execute(
        "SELECT DISTINCT paper_id FROM note WHERE paper_id IS NOT NULL")}
    column = {NEW: 0, LEARNING: 1, RELEARNING: 1, REVIEW: 2}
    for paper_id, state, n in conn.execute(
            f"SELECT n.paper_id, c.state, count(*) FROM ("
            f" SELECT note_id, state, buried_until FROM card INDEXED BY ix_card_queue WHERE suspended = 0"
            f" AND state = {NEW} UNION ALL"
            f" SELECT note_id, state, buried_until FROM card INDEXED BY ix_card_queue WHERE suspended = 0"
            f" AND state IN ({LEARNING}, {REVIEW}, {RELEARNING}) AND due < ?) c JOIN note n ON n.id = c.note_id"
            f" WHERE (c.buried_until IS NULL OR c.buried_until <= ?) AND n.paper_id IS NOT NULL"
            f" GROUP BY n.paper_id, c.state", (stored_time(day_end), stored_time(now))):
        counts.setdefault(paper_id, [0, 0, 0])[column[state]] += n
    return {paper_id: (new, learn, due) for paper_id, (new, learn, due) in counts.items()}
