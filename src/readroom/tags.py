"""The one rule for tags: lowercase, words joined by '-', at most 64 characters, no commas, semicolons or quotes."""

from __future__ import annotations

from collections.abc import Iterable

from readroom.errors import BadInput


def normalize_tag(text: str) -> str:
    tag = "-".join(text.strip().lower().split())
    if not tag or len(tag) > 64 or any(c in tag for c in ",;\"'"):
        raise BadInput(f"'{text}' is not a usable tag: use up to 64 letters, digits, '-', '_', ':' or '/'.")
    return tag


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Each tag normalized, duplicates dropped, sorted."""
    return sorted({normalize_tag(t) for t in tags})
