"""What page 1 says about the paper besides its title: the authors' names, and the text an id is looked for in.

The names are the rows between the title and the abstract (or the first heading, caption or paragraph of prose):
split on commas and "and", with affiliation marks (superscripts, * † ‡), e-mails, "Member, IEEE" and the
affiliations themselves (a lab, a university, a town) left out. A PDF's Author field is often empty or a tool's
("user", "Microsoft Office User"), so page 1 is what a reader sees and what readroom reads.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from readroom.pdf.abstract import ABSTRACT
from readroom.pdf.captions import CAPTION
from readroom.pdf.layout import PageRows, Row

_MAX_ROWS = 12  # author blocks are short; past this, it is not front matter
_EMAIL = re.compile(r"\{[^}]*\}@\S+|\S+@\S+")
_MEMBERSHIP = re.compile(r",?\s*((senior|student|life)\s+)?(member|fellow),?\s+ieee", re.IGNORECASE)
_MARK_CHARS = "*∗⋆†‡§¶♯#✉♠♣♥♦♡♢♤♧¹²³⁴⁵⁶⁷⁸⁹⁰"
_MARKS = re.compile(rf"[{_MARK_CHARS}]+|(?<=[a-z])\d+(?:,\d+)*\b")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\s·\s)\s*", re.IGNORECASE)
_PARTICLES = frozenset("van von der den de di da del della le la du dos bin al el ter".split())
# A word that makes a piece an affiliation, an address or a label, not a name.
_PLACE_WORDS = frozenset(
    "lab labs laboratory laboratories university universität université universidad institute institut school "
    "college department dept faculty center centre research inc ltd llc corp corporation company group team "
    "foundation academy hospital street road avenue ieee acm member fellow united kingdom states republic york "
    "google microsoft deepmind facebook meta openai brain ai email e-mail correspondence equal contribution "
    "abstract position paper preprint draft".split())
_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\s\d@:;()/\[\]]*|[a-z]{1,3}['’][^\W\d_]\S*)$")
# TeX set accents apart in old PDFs: "Alch´e" is Alché.
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327"}


def page_one_authors(first: PageRows, title: list[Row], stops: set[int]) -> list[str]:
    """The names on page 1 after the `title` rows, up to the first row in `stops` (a heading's) or the abstract.
    Names are set in one style (size and weight): once a row of names is found, rows in another style are
    affiliations."""
    if not title:
        return []
    after = first.rows.index(title[-1]) + 1
    lines: list[str] = []
    style: tuple[float, bool] | None = None
    for row in first.rows[after:after + _MAX_ROWS]:
        if row.skip:
            continue
        if id(row) in stops or ABSTRACT.match(row.text) or CAPTION.match(row.text) or _prose(row.text):
            break
        text = _unmarked(row)
        if style is None and _names(text):
            style = _lead_style(row)
        if style is not None and _lead_style(row) == style:
            lines.append(text)
    return _names(_joined(lines))


def _joined(lines: list[str]) -> str:
    """The lines as one list: a list's line that ends on half a name wraps it onto the next ("..., Wei" /
    "Novak, ..."); otherwise each line ends a name (names stacked one a line, or each with its affiliation)."""
    text = ""
    for line in lines:
        last = _SPLIT.split(text.rsplit("\n", 1)[-1])
        wraps = len(last) > 1 and not _as_name(last[-1]) and not _as_name(_SPLIT.split(line)[0])
        text = f"{text} {line}" if wraps else f"{text},\n{line}" if text else line
    return text


def _lead_style(row: Row) -> tuple[float, bool]:
    """The size and weight of the row's first words (a name leads its row, an e-mail may follow it smaller)."""
    for text, size, bold in row.spans:
        if text.strip() and not _mark_like(text):
            return round(size * 2) / 2, bold
    return row.size, row.bold


def _unmarked(row: Row) -> str:
    """The row's text with e-mails left out and affiliation marks (superscripts, symbols) made commas: marks stand
    between names where no comma does ("Kalpesh Krishna♠∗ Erin Bransom♢")."""
    text, pos = "", 0
    for span, size, _bold in row.spans:  # the row's own text, spaced as it is, walked span by span
        core = " ".join(span.split())
        at = row.text.find(core, pos) if core else -1
        if at < 0:
            continue
        text += row.text[pos:at] + ("," if size < row.size * 0.8 and _mark_like(core) else core)
        pos = at + len(core)
    text = _MEMBERSHIP.sub("", _EMAIL.sub(" ", text + row.text[pos:]))
    return _MARKS.sub(",", _composed(text))


def _mark_like(text: str) -> bool:
    return bool(re.fullmatch(rf"[\s\d,a-z{_MARK_CHARS}]{{1,6}}", text))


def _composed(text: str) -> str:
    for accent, combining in _SPACING_ACCENTS.items():
        text = re.sub(rf"{accent}\s?([^\W\d_])", rf"\1{combining}", text)
    return unicodedata.normalize("NFC", text)


def _names(text: str) -> list[str]:
    return [name for piece in _SPLIT.split(text) if (name := _as_name(piece))]


def _as_name(piece: str) -> str | None:
    words = piece.strip(" .,;:\n").split()
    if not 2 <= len(words) <= 5 or any(w.lower().strip(".,") in _PLACE_WORDS for w in words):
        return None
    if not all(w.lower() in _PARTICLES or (_NAME_WORD.match(w) and not w[0].islower()) or "’" in w[:4] or "'" in w[:4]
               for w in words):
        return None
    if piece.isupper():  # set in small caps: "ADA LOVELACE" is Ada Lovelace
        words = ["-".join(part.capitalize() for part in w.split("-")) if len(w) > 2 else w for w in words]
    return " ".join(words)


def _prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 8 and sum(w[0].islower() for w in words) >= 0.4 * len(words)


def first_page_text(path: Path) -> str:
    """All the text of page 1, the rotated margin too (where arXiv stamps its id); "" for a PDF with no text."""
    from readroom.errors import PdfUnreadable
    from readroom.pdf.loader import open_pdf

    try:
        doc = open_pdf(path)
    except PdfUnreadable:
        return ""
    try:
        return doc[0].get_text("text")
    except Exception:  # a damaged first page: the paper is added from what parsing found
        return ""
    finally:
        doc.close()
