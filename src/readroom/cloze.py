"""Cloze text in Anki's syntax: `{{c1::answer}}` or `{{c1::answer::hint}}`; one card per cloze number.

The parser is lossless (serialize(parse(text)) == text for any text) and counts braces, so math such as
`{{c1::$\\sqrt{\\frac{a}{b}}$}}` keeps its `}}` inside the deletion. Nested deletions are not supported: an inner
`{{c2::...}}` stays part of the outer answer's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"\{\{c([1-9][0-9]*)::")
NUMBERS = range(1, 501)  # Anki's: it folds c501 and beyond into card 500, so readroom refuses them


@dataclass(frozen=True)
class Deletion:
    number: int
    answer: str
    hint: str | None = None

    def source(self) -> str:
        hint = "" if self.hint is None else f"::{self.hint}"
        return f"{{{{c{self.number}::{self.answer}{hint}}}}}"


Segment = str | Deletion


def parse(text: str) -> list[Segment]:
    """Text and deletions in order; an unterminated `{{c1::` stays plain text."""
    segments: list[Segment] = []
    plain_from = 0
    pos = 0
    while (match := _OPEN.search(text, pos)) is not None:
        found = _scan_deletion(text, match.end())
        if found is None:
            pos = match.start() + 1
            continue
        answer, hint, end = found
        if match.start() > plain_from:
            segments.append(text[plain_from:match.start()])
        segments.append(Deletion(int(match.group(1)), answer, hint))
        plain_from = pos = end
    if plain_from < len(text):
        segments.append(text[plain_from:])
    return segments


def _scan_deletion(text: str, start: int) -> tuple[str, str | None, int] | None:
    """From just after `{{cN::`: (answer, hint, index after the closing `}}`), or None when it never closes."""
    depth = 0
    in_math = False
    split: int | None = None
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2  # an escaped character never opens, closes or splits
            continue
        if ch == "$":
            in_math = not in_math
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0 and text.startswith("}}", i):
                body_end = i
                if split is None:
                    return text[start:body_end], None, i + 2
                return text[start:split], text[split + 2:body_end], i + 2
            depth = max(0, depth - 1)
        elif ch == ":" and depth == 0 and not in_math and split is None and text.startswith("::", i):
            split = i
            i += 2
            continue
        i += 1
    return None


def serialize(segments: list[Segment]) -> str:
    return "".join(s if isinstance(s, str) else s.source() for s in segments)


def card_numbers(text: str) -> list[int]:
    """The cloze numbers a note yields, one card each, ascending."""
    return sorted({s.number for s in parse(text) if isinstance(s, Deletion)})


def is_cloze(text: str) -> bool:
    return bool(card_numbers(text))


def render_front(text: str, number: int, blank: str = "[...]") -> str:
    """The question of card `number`: its deletions blanked (or their hint shown), the others' answers shown."""
    return "".join(
        s if isinstance(s, str)
        else (f"[{s.hint}]" if s.hint else blank) if s.number == number
        else s.answer
        for s in parse(text)
    )


def render_back(text: str, number: int, mark: tuple[str, str] = ("[", "]")) -> str:
    """The answer side: the whole text, with card `number`'s deletions marked."""
    return "".join(
        s if isinstance(s, str)
        else f"{mark[0]}{s.answer}{mark[1]}" if s.number == number
        else s.answer
        for s in parse(text)
    )


def plain(text: str) -> str:
    """The text with every deletion replaced by its answer (for search and previews)."""
    return "".join(s if isinstance(s, str) else s.answer for s in parse(text))


def add_deletion(text: str, start: int, end: int, number: int | None = None, hint: str | None = None) -> str:
    """Wrap text[start:end] in a deletion; a new number (one above the highest) unless `number` is given."""
    if not 0 <= start < end <= len(text):
        raise ValueError("the selection must be a non-empty range inside the text")
    number = number or (max(card_numbers(text), default=0) + 1)
    return text[:start] + Deletion(number, text[start:end], hint).source() + text[end:]
