"""What the reader shows of a paper in each pass, as one plain text with anchors; no Textual here.

One text (not a widget per paragraph) keeps opening fast on long papers: the reader hands it to a single
read-only TextArea, and the anchors map lines and character offsets back to sections and pages.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from readroom.records.papers import PaperDetail
from readroom.structure import Section
from readroom.terminal import printable

# Code repositories and project pages; a trailing dot or bracket belongs to the sentence, not the URL.
_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'()\[\]{}]+|\b(?:github\.com|gitlab\.com|huggingface\.co)/[^\s<>"'()\[\]{}]+""",
                  re.IGNORECASE)
_REFERENCES = re.compile(r"^\W*(references|bibliography)\W*$", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+")
_MARKER = re.compile(r"^\s*(?:\[[^\]\n]{1,30}\]|\(\d{1,4}\)|\d{1,4}\.)\s")  # [2], [Kar15], (2), 2.
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Anchor:
    """Where one heading of the outline stands in the reader's text."""

    title: str
    level: int
    page: int
    line: int  # line of the heading in the text
    body_start: int  # character offset in the text where the section's own text begins
    body_end: int
    skipped: int = 0  # leading whitespace of the section's text not shown (offsets are into the raw text)


@dataclass(frozen=True)
class Selection:
    """A selected range of the text, located in the paper (what highlights are made from)."""

    paper_id: str
    pass_no: int
    section_title: str
    page: int
    start: int  # character offsets within the section's text
    end: int
    text: str


@dataclass(frozen=True)
class Place:
    """Where to open a paper (a card's source): at its highlight, else its section, else its page."""

    highlight_id: int | None = None
    section: str | None = None
    page: int | None = None


@dataclass
class ReaderDocument:
    text: str
    anchors: list[Anchor] = field(default_factory=list)

    def anchor_at_line(self, line: int) -> Anchor | None:
        """The section a line belongs to (the last heading at or above it)."""
        lines = [a.line for a in self.anchors]
        index = bisect.bisect_right(lines, line) - 1
        return self.anchors[index] if index >= 0 else (self.anchors[0] if self.anchors else None)

    def anchor_at_offset(self, offset: int) -> Anchor | None:
        starts = [a.body_start for a in self.anchors]
        index = bisect.bisect_right(starts, offset) - 1
        return self.anchors[max(index, 0)] if self.anchors else None

    def anchor_for(self, section: str | None, page: int | None) -> Anchor | None:
        """The heading of a section by title (as heading_match reads titles), else the last heading on or before
        a page."""
        by_title = heading_match(self.anchors, section) if section else None
        if by_title or page is None:
            return by_title
        before = [a for a in self.anchors if a.page <= page]
        return before[-1] if before else None

    def locate(self, section: str | None, start: int | None, end: int | None, text: str) -> tuple[int, int] | None:
        """Where a highlight stands in this text: at its stored offsets in its section when the text there
        still matches (the usual case), else at the first place the text occurs, else nowhere (pass 1 hides it)."""
        if start is not None and end is not None:
            for anchor in self.anchors:
                if anchor.title == section:
                    base = anchor.body_start - anchor.skipped
                    if self.text[base + start: base + end] == text:
                        return base + start, base + end
        found = self.text.find(text) if text else -1
        return (found, found + len(text)) if found >= 0 else None

    def context(self, start: int, end: int, chars: int = 80) -> tuple[str, str]:
        """Some text before and after a range, to show a highlight in context and find it again."""
        return self.text[max(0, start - chars): start], self.text[end: end + chars]

    def find_all(self, query: str) -> list[tuple[int, int]]:
        """Character ranges of every case-insensitive match of `query`."""
        if not query:
            return []
        return [(m.start(), m.end()) for m in re.finditer(re.escape(query), self.text, re.IGNORECASE)]


def heading_match(anchors: list[Anchor], title: str) -> Anchor | None:
    """The heading a title names. A card's section is written by hand (starter decks) or read from another
    parse of the paper, so after the exact title come: the same number and words ("3.1. Truncated SVD" is
    "3.1 Truncated SVD"), the same words ("I. INTRODUCTION" is "1 Introduction"), then the same number."""
    exact = next((a for a in anchors if a.title == title), None)
    if exact is not None:
        return exact
    number, words = _title_key(title)
    keys = [(a, _title_key(a.title)) for a in anchors]
    for same in (lambda k: k == (number, words), lambda k: bool(words) and k[1] == words,
                 lambda k: bool(number) and k[0] == number):
        found = next((a for a, key in keys if same(key)), None)
        if found is not None:
            return found
    return None


def _title_key(title: str) -> tuple[str, str]:
    """A heading's number (without its dot) and its words, case folded."""
    number = _NUMBER.match(title)
    rest = title[number.end():] if number else title
    return (number.group(0).strip().rstrip(".") if number else "",
            " ".join(_WORD.findall(rest.casefold())))


def is_introduction(section: Section) -> bool:
    return "introduction" in section.title.lower()


def is_conclusion(section: Section) -> bool:
    return "conclu" in section.title.lower()


def is_references(section: Section) -> bool:
    return bool(_REFERENCES.match(_NUMBER.sub("", section.title)))


def build_document(detail: PaperDetail, pass_no: int, marks: list[bool] | None = None) -> ReaderDocument:
    """The text a pass reads: pass 1 = title, authors, abstract, introduction, headings only, conclusion and
    references (the introduction and conclusion whole: their subsections and run-in paragraphs included);
    passes 2 and 3 = everything."""
    parts: list[str] = []
    anchors: list[Anchor] = []
    line = 0
    offset = 0

    def emit(text: str) -> None:
        nonlocal line, offset
        parts.append(text)
        line += text.count("\n")
        offset += len(text)

    def section(title: str, level: int, page: int, raw: str) -> None:
        heading_line, indent = line, "  " * (level - 1)
        body = raw.strip()
        emit(f"{indent}{title}\n")
        start = offset
        emit(body)
        anchors.append(Anchor(title, level, page, heading_line, start, offset, len(raw) - len(raw.lstrip())))
        emit("\n" if body.endswith("\n") or not body else "\n\n")

    emit(f"{detail.title}\n")
    if detail.authors:
        emit(", ".join(detail.authors) + "\n")
    emit("\n")
    if detail.abstract:
        section("Abstract", 1, 1, detail.abstract)
    read_in_full = 0  # level of the introduction or conclusion being read; its subsections and run-ins are part of it
    for sec in detail.sections:
        if read_in_full and sec.level <= read_in_full:
            read_in_full = 0
        if not read_in_full and (is_introduction(sec) or is_conclusion(sec)):
            read_in_full = sec.level
        if is_references(sec):
            section(sec.title, sec.level, sec.page, references_text(detail, marks))
        elif pass_no >= 2 or read_in_full:
            section(sec.title, sec.level, sec.page, sec.text)
        else:
            section(sec.title, sec.level, sec.page, "")  # pass 1 reads the heading, not the body
    if detail.references and not any(is_references(s) for s in detail.sections):
        section("References", 1, detail.page_count or 1, references_text(detail, marks))
    # Controls in the text become symbols one for one, so the anchors' offsets still hold.
    return ReaderDocument(printable("".join(parts).rstrip("\n") + "\n", keep="\n\t"), anchors)


def references_text(detail: PaperDetail, marks: list[bool] | None) -> str:
    marks = marks or [False] * len(detail.references)
    return "\n".join(f"{'✓' if mark else ' '} {reference_line(n, ref.raw)}"
                     for n, (ref, mark) in enumerate(zip(detail.references, marks, strict=False), start=1))


def reference_line(number: int, raw: str) -> str:
    """A reference as the paper marks it: its own marker when its text starts with one ("[2] A. Karpathy…",
    "2. A. Karpathy…", "[Kar15] …"), the one the text cites; else numbered in list order."""
    return raw if _MARKER.match(raw) else f"[{number}] {raw}"


def find_links(detail: PaperDetail) -> list[str]:
    """URLs named in the paper's text (code repositories first), without repeats."""
    seen: dict[str, None] = {}
    texts = [detail.abstract or ""] + [s.text for s in detail.sections if not is_references(s)]
    for text in texts:
        # PDF extraction breaks long URLs at line ends; join "github.com/\nfoo" back before matching.
        joined = re.sub(r"(?<=[/\-_.])\n(?=\S)", "", text)
        for match in _URL.finditer(joined):
            url = match.group(0).rstrip(".,;:")
            seen.setdefault(url, None)
    return sorted(seen, key=lambda u: (not _is_code(u), list(seen).index(u)))


def _is_code(url: str) -> bool:
    return any(host in url.lower() for host in ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co"))
