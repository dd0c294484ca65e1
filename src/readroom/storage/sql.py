"""Small pieces every query module shares: the stored form of a time, LIKE patterns, id lists.

Stdlib only, so the fast read paths can use it without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone


def stored_time(moment: datetime) -> str:
    """A time as the database keeps it (storage.types.UTCDateTime): UTC ISO 8601 to the second, which sorts and
    compares as text."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def like_contains(word: str) -> str:
    """A LIKE pattern (used with ESCAPE '\\') matching text that contains `word` literally."""
    return f"%{_escape_like(word)}%"


def like_prefix(word: str) -> str:
    """A LIKE pattern (used with ESCAPE '\\') matching text that starts with `word` literally."""
    return f"{_escape_like(word)}%"


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def placeholders(values: Iterable[object]) -> str:
    """'?,?,?' for an IN (...) list of these values."""
    return ",".join("?" for _ in values)


# True when note `n` carries the tag bound to its `?`, given in readroom.tags' form. Note tags stored before notes
# followed that rule may hold spaces ("deep learning"); they match in that form ("deep-learning").
NOTE_HAS_TAG = "EXISTS (SELECT 1 FROM json_each(n.tags) WHERE replace(value, ' ', '-') = ?)"
