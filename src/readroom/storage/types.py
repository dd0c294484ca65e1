"""Column types: datetimes are stored as UTC ISO strings and come back UTC-aware."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.types import String, Text, TypeDecorator

from readroom.storage.sql import stored_time
from readroom.storage.types_light import parse_utc


class UTCDateTime(TypeDecorator):
    """SQLite has no time zones; store ISO 8601 in UTC so values sort and compare as text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> str | None:
        if value is None:
            return None
        return stored_time(value)

    def process_result_value(self, value: str | None, dialect) -> datetime | None:
        return parse_utc(value)


class JSONList(TypeDecorator):
    """A list of strings (authors, categories) kept as a JSON array in one column."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect) -> list[str]:
        return json.loads(value) if value else []
