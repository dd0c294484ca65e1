"""Counts in the sync's lines: "1 note", "2 buries", listed as "1 note, 2 cards and 1 review"."""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` things, in the singular or the plural (`one` + "s" unless given); "" for none."""
    return f"{n} {one if n == 1 else many or one + 's'}" if n else ""


def listed(parts: list[str]) -> str:
    """The parts not empty, joined as a sentence joins them: "a", "a and b", "a, b and c"."""
    shown = [p for p in parts if p]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else "".join(shown)
