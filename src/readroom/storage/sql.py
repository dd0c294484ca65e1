"""Small pieces every query module shares: the stored form of a time, LIKE patterns, id lists.

Stdlib only, so the fast read paths can use it without SQLAlchemy.
"""

from __future__ import annotations

import json
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
    """'?,?,?' for an IN (...) list of these values: a short list, or a chunk of a long one (IN_JSON takes any)."""
    return ",".join("?" for _ in values)


# `column IN_JSON` with json_list(values) bound: one variable however many values (a library's every paper).
# SQLite's own build (python.org's, Homebrew's, Anki's) refuses more than 32,766 variables; Debian's 250,000.
# json_each gives each value as JSON typed it: str ids stay text, int ids integers, as the columns compare them.
IN_JSON = "IN (SELECT value FROM json_each(?))"


def json_list(values: Iterable[object]) -> str:
    """The parameter of an IN_JSON."""
    return json.dumps(list(values))


# True when note `n` carries the tag bound to its `?`, given in readroom.tags' form. Note tags stored before notes
# followed that rule may hold spaces ("deep learning"); they match in that form ("deep-learning").
NOTE_HAS_TAG = "EXISTS (SELECT 1 FROM json_each(n.tags) WHERE replace(value, ' ', '-') = ?)"
