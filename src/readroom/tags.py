"""The one rule for tags, on papers and on notes alike: lowercase, words joined by '-' (Anki separates tags with
spaces, so a tag never holds one), `::` between levels as in Anki, at most 64 characters, no commas, semicolons
or quotes."""

from __future__ import annotations

from collections.abc import Iterable

from readroom.errors import BadInput
from readroom.terminal import excerpt


def tag_form(text: str) -> str:
    """The rule's form of `text`, unchecked: for filters, and for note tags stored before notes followed the rule
    ("Deep learning :: Vision" -> "deep-learning::vision")."""
    return "::".join("-".join(level.split()) for level in text.lower().split("::"))


def normalize_tag(text: str) -> str:
    tag = tag_form(text)
    if not tag or len(tag) > 64 or any(c in tag for c in ",;\"'"):
        raise BadInput(f"'{excerpt(text)}' is not a usable tag: use up to 64 letters, digits, '-', '_', ':' or '/'.")
    return tag


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Each tag normalized, duplicates dropped, sorted."""
    return sorted({normalize_tag(t) for t in tags})
