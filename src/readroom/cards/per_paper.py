"""Cards per paper, for the library table's "New / Learn / Due" column (one grouped query, storage/stats.py).

The library screen's start-up read calls this: it must not import the cards service or SQLModel.
"""

from __future__ import annotations

from datetime import datetime

from readroom import config
from readroom.cards.scheduler import study_day


def cards_by_paper(now: datetime) -> dict[str, tuple[int, int, int]]:
    """paper id -> (new, learning, review) cards, the last two due by the end of today's study day, as Anki's deck
    list shows them; suspended and buried cards are left out. New cards are all of them, not the day's limit."""
    from readroom.storage import stats as store
    from readroom.storage.fast import read_db

    settings = config.load().review
    _day, _start, day_end = study_day(now, settings.zone(), settings.day_starts_at)
    with read_db() as conn:
        return store.cards_by_paper(conn, day_end, now) if conn else {}
