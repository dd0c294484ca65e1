"""What a sync would send, counted for the sync state line (the library's header, `readroom sync --status`): notes
made and notes edited after the last sync, and answers given after it. One query: the notes by their updated_at
index (a note is made with updated_at = created_at, so a note made since was also updated since), the review log
by its reviewed_at index."""

from __future__ import annotations

from datetime import datetime

from readroom.storage.fast import read_db
from readroom.storage.sql import stored_time

# Every stored time sorts after "": never synced, everything is new.
_PENDING = """
SELECT coalesce(sum(created_at > :since), 0),
       coalesce(sum(created_at <= :since), 0),
       (SELECT count(*) FROM review_log WHERE reviewed_at > :since)
FROM note WHERE updated_at > :since
"""


def pending_since(since: datetime | None) -> tuple[int, int, int]:
    """(new notes, edited notes, answers) after `since`; everything when None."""
    with read_db() as conn:
        if conn is None:
            return 0, 0, 0
        new, edited, reviews = conn.execute(_PENDING, {"since": stored_time(since) if since else ""}).fetchone()
        return new, edited, reviews
