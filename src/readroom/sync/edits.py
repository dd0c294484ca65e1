"""Notes edited on the phone since the last sync, into readroom. A note edited on both sides keeps the newer edit:
the phone's is taken here, or readroom's is sent (Anki's import updates a note only from a newer one); the sync
report counts both.

Anki's fields are HTML: export.anki_text writes readroom's text as HTML with entities and MathJax delimiters, and
Anki's editors add their own tags; `field_text` reads the text back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import NamedTuple

from readroom.errors import BadInput

_LINE_TAGS = {"br", "div", "p", "li", "tr"}  # what Anki's editor (and the browser's contenteditable) breaks lines with
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.S)
_DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]", re.S)


class Edits(NamedTuple):
    taken: set[str]  # GUIDs (readroom note uuids) whose text the phone's edit replaced
    both: int  # notes edited on both sides since the last sync (the newer edit kept)


TEXT_KINDS = ("qa", "cloze")


def take(notes: Iterable[tuple[str, int, str]], keys: Iterable[tuple], last: datetime) -> Edits:
    """Take the companion's `notes` changed since `last` (storage.sync.companion_notes) whose text differs from
    readroom's (`keys`: storage.sync.card_keys' rows) into readroom, unless readroom's own edit is newer."""
    from readroom.cards import service

    first_card: dict[str, tuple[int, str, datetime]] = {}
    for card_id, uuid, kind, _ord, _state, updated_at, *_ in keys:
        if kind in TEXT_KINDS:  # a figure's or an occlusion's fields are not front and back
            first_card.setdefault(uuid, (card_id, kind, updated_at))
    since = last.replace(microsecond=0)
    taken: set[str] = set()
    both = 0
    for guid, modified, fields in notes:
        if guid not in first_card:
            continue
        card_id, kind, updated_at = first_card[guid]
        card = service.get_card(card_id)
        front, back = (field_text(f) for f in fields.split("\x1f")[:2])
        if (front, back) == (card.front, card.back):
            continue  # readroom's own text, sent before
        there = datetime.fromtimestamp(modified, timezone.utc)
        edited_here = updated_at >= since
        both += edited_here
        if edited_here and updated_at >= there:
            continue  # readroom's edit is the newer: the push sends it
        try:
            service.edit_note(card.note_id, front=front, back=back, now=there)
        except BadInput:
            continue  # not a note readroom can hold (a cloze number past c500, say): readroom's text stays
        taken.add(guid)
    return Edits(taken, both)


def field_text(html: str) -> str:
    """The text of an Anki field: tags dropped (line breaks kept), entities decoded, MathJax's `\\(x\\)` and
    `\\[x\\]` back to `$x$` and `$$x$$`."""
    reader = _Text()
    reader.feed(html)
    reader.close()
    text = "".join(reader.parts)
    text = _DISPLAY_MATH.sub(lambda m: f"$${m[1]}$$", text)
    return _INLINE_MATH.sub(lambda m: f"${m[1]}$", text)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _LINE_TAGS and (tag == "br" or self.parts):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
