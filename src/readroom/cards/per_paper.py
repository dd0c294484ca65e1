"""Cards per paper, for the library table's "Due" column: one grouped query with stdlib sqlite3."""

from __future__ import annotations

from datetime import datetime

from readroom.cards.scheduler import NEW, load_settings, study_day


def due_by_paper(now: datetime) -> dict[str, tuple[int, int]]:
    """paper id -> (cards due by the end of today's study day, all its cards). Suspended cards are not due;
    new cards count as due only in the review session (its daily limit decides), not here."""
    from readroom.cards.service import _has_card_tables, _iso
    from readroom.library import _reader

    settings = load_settings()
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with _reader() as conn:
        if conn is None or not _has_card_tables(conn):
            return {}
        rows = conn.execute(
            "SELECT n.paper_id, sum(c.suspended = 0 AND c.state != ? AND c.due < ?"
            " AND (c.buried_until IS NULL OR c.buried_until <= ?)), count(*)"
            " FROM card c JOIN note n ON n.id = c.note_id WHERE n.paper_id IS NOT NULL GROUP BY n.paper_id",
            (NEW, _iso(day_end), _iso(now)))
        return {paper_id: (due or 0, total) for paper_id, due, total in rows}
