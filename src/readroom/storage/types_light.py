"""Conversions shared by the SQLAlchemy column types and the stdlib reader (no SQLAlchemy import here)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import overload


# A NOT NULL column reads as a datetime, a nullable one as datetime | None.
@overload
def parse_utc(value: str) -> datetime: ...
@overload
def parse_utc(value: str | None) -> datetime | None: ...
def parse_utc(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
