"""The abstract of a paper parsed from its layout."""

from __future__ import annotations

import re

from readroom.structure import Section

ABSTRACT = re.compile(r"^abstract\s*[.:—–-]?\s*", re.IGNORECASE)


def find_abstract(front: str, sections: list[Section]) -> str | None:
    """The abstract: the section so named near the start, else a run-in one in the text before the first heading."""
    for section in sections[:3]:
        if ABSTRACT.fullmatch(section.title):
            return section.text.strip() or None
    # A run-in abstract ("Abstract. We study..." / "Abstract—We ...") sits in the front matter.
    for paragraph in front.split("\n\n"):
        m = ABSTRACT.match(paragraph)
        if m and len(paragraph) > m.end() + 40:
            return paragraph[m.end():].strip()
    return None
