"""Cards per paper, for the library table's "Due" column: one grouped query with stdlib sqlite3."""

from __future__ import annotations

from datetime import datetime

from readroom.cards.scheduler import LEARNING, RELEARNING, REVIEW, load_settings, study_day, utc_seconds


def due_by_paper(now: datetime) -> dict[str, tuple[int, int]]:
    """paper id -> (cards due by the end of today's study day, all its notes). Suspended cards are not due;
    new cards count as due only in the review session (its daily limit decides), not here."""
    from readroom.storage.fast import read_db

    settings = load_settings()
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        if conn is None:
            return {}
        # Two index walks rather than one pass over every card: the due cards are a range of ix_card_queue,
        # and which papers have notes at all is in the note table's paper index (~10x faster at 100k cards).
        counts = {paper_id: (0, n) for paper_id, n in conn.execute(
            "SELECT paper_id, count(*) FROM note WHERE paper_id IS NOT NULL GROUP BY paper_id")}
        for paper_id, due in conn.execute(
                f"SELECT n.paper_id, count(*) FROM card c INDEXED BY ix_card_queue JOIN note n ON n.id = c.note_id"
                f" WHERE c.suspended = 0 AND c.state IN ({LEARNING}, {REVIEW}, {RELEARNING}) AND c.due < ?"
                f" AND (c.buried_until IS NULL OR c.buried_until <= ?) AND n.paper_id IS NOT NULL"
                f" GROUP BY n.paper_id", (_stored(day_end), _stored(now))):
            counts[paper_id] = (due, counts.get(paper_id, (0, 0))[1])
        return counts


def _stored(moment: datetime) -> str:
    # The stored form of a time (storage.types.UTCDateTime); kept here so the library's start-up read does
    # not import the cards service.
    return utc_seconds(moment).isoformat(timespec="seconds")
