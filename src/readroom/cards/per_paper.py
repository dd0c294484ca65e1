"""Cards per paper, for the library table's "Due" column (one grouped query, storage/stats.py).

The library screen's start-up read calls this: it must not import the cards service or SQLModel.
"""

from __future__ import annotations

from datetime import datetime

from readroom import config
from readroom.cards.scheduler import study_day


def due_by_paper(now: datetime) -> dict[str, tuple[int, int]]:
    """paper id -> (cards due by the end of today's study day, all its notes). Suspended cards are not due;
    new cards count as due only in the review session (its daily limit decides), not here."""
    from readroom.storage import stats as store
    from readroom.storage.fast import read_db

    settings = config.load().review
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        return store.due_by_paper(conn, day_end, now) if conn else {}
