"""A paper's title and headings, read from the page layout (or from the PDF's bookmark outline when it agrees).

A heading is a short row that opens a block (or a row the block runs on into: straight under another heading, or
set larger than the paragraph before it) and is set unlike the body text: larger, bold (unless the body's own font
counts as bold), in another font (italic, sans, a bold face at a smaller size), in capitals or small capitals.
What follows it in reading order must be text, not a table's rows.
The weaker signals (a font change, capitals) only count when the row is followed by running text, and an
unnumbered one only when the paper sets more than one heading that way. Run-in paragraph headings ("Training. We
train ...") are headings (level 3) when at least two paragraphs open in the same style. Levels come from section
numbers, or from the style's rank among all the paper's heading styles (size, weight, capitals, face): below the
numbered styles more prominent than it, or, in papers without numbers, with the style of "Introduction",
"Conclusion" or "References" as level 1 and less prominent styles as levels 2 and 3.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from readroom.pdf.abstract import ABSTRACT
from readroom.pdf.captions import CAPTION
from readroom.pdf.layout import BodyStyle, PageRows, Row
from readroom.pdf.text import clean

NUMBER = re.compile(r"^(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3}|[IVX]{1,5}))(?P<dot>\.?)\s+(?P<title>\S.*)$")
UNNUMBERED = re.compile(
    r"^(abstract|introduction|background|related work|conclusions?|discussion|limitations|"
    r"acknowledge?ments?|references|bibliography|appendix|appendices|supplementary material|"
    r"ethics statement|broader impact|future work|summary)\b",
    re.IGNORECASE,
)
REFERENCES = re.compile(r"^(references|bibliography|literature cited|works cited)\s*$", re.IGNORECASE)
# Rows that open a block in a heading's font but are no heading: algorithm and theorem labels, a float's label,
# arXiv's placeholder for a figure it could not render, keyword lines.
_NOT_HEADING = re.compile(
    r"^(algorithm|procedure|function|input|output|require|ensure|data|result)\s*(\d|[IVX]{1,5}\b|:)"
    r"|^(theorem|lemma|corollary|proposition|definition|remark|proof|example|claim|assumption|conjecture|"
    r"listing|note|keywords?|index terms|figure|fig\.|table)\s*(\d|[IVX]{1,5}\b|[:.—–]|$)"
    r"|is available in .{0,20}format|https?://|www\.|\.(png|jpe?g|eps|gif)\b",
    re.IGNORECASE,
)
_MATH_FONT = re.compile(r"^(CMMI|CMSY|CMEX|MSAM|MSBM|Symbol|rsfs|eufm|STIX|Math)", re.IGNORECASE)
# "Ed Chang and Avideh Zakhor, Member, IEEE", "Ada Lovelace, Alan Turing": names of two or more capitalised words.
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}"
_AUTHOR_LINE = re.compile(rf"^{_NAME}(?:\s*(?:,\s*and|,|and|&)\s+{_NAME})+$|(member|fellow),?\s+ieee", re.IGNORECASE)
_MEMBERSHIP = re.compile(r",?\s*((senior|student|life)\s+)?(member|fellow),?\s+ieee", re.IGNORECASE)
# Journal mastheads above the title: "JSS Journal of Statistical Software", "IEEE Transactions on ...".
_MASTHEAD = re.compile(r"\b(journal of|transactions on|proceedings of|magazine)\b|\bvol(ume|\.)\s*\d", re.IGNORECASE)


@dataclass
class Heading:
    row: Row
    title: str
    level: int
    numbered: bool
    continued: tuple[Row, ...] = ()  # rows a long heading wraps onto
    strong: bool = True  # set larger or in bold: a heading on its own
    run_in: str | None = None  # a run-in heading: the rest of its row, which is the paragraph's text


# ------------------------------------------------------------------------------------------- title


def title_rows(first: PageRows, body: float) -> list[Row]:
    """The largest text in the top half of page 1, with the rows that continue it; a journal's masthead is not it."""
    candidates = [r for r in first.rows if not r.skip and r.y0 < first.height * 0.5 and len(r.text) > 3
                  and not ABSTRACT.fullmatch(r.text)]
    if not candidates:
        return []
    if any(r.size >= body + 1.5 for r in candidates if not _MASTHEAD.search(r.text)):
        candidates = [r for r in candidates if not _MASTHEAD.search(r.text)]
    top = max(r.size for r in candidates)
    if top < body + 1.5:
        return []
    start = next(i for i, r in enumerate(candidates) if r.size == top)
    rows = [candidates[start]]
    for row in candidates[start + 1:]:
        if abs(row.size - top) <= 0.5 and row.y0 - rows[-1].y1 < top * 1.2:
            rows.append(row)
        else:
            break
    return rows[:4]


# ------------------------------------------------------------------------------------------- headings


def find_headings(rows: list[Row], body: BodyStyle, title_ids: set[int]) -> list[Heading]:
    candidates: list[Heading] = []
    heading_end = -2  # index of the last row of the heading found last
    for index, row in enumerate(rows):
        # A block may run on over a heading: a subsection straight under its section, or a heading set larger
        # than the paragraph it follows.
        opens = row.first_in_block or (_set_apart(row, rows[index - 1]) and (
            index == heading_end + 1 or row.size >= max(body.size, rows[index - 1].size) + 0.9))
        if id(row) in title_ids or not opens:
            continue
        heading = _as_heading(row, body)
        if heading is None:
            continue
        heading.continued = _continuation(rows, index)
        heading_end = index + len(heading.continued)
        if _followed_well(rows, heading_end + 1, heading, body):
            if heading.continued:
                heading.title = " ".join([heading.title, *(r.text for r in heading.continued)])
            candidates.append(heading)
        else:
            heading_end = -2
    candidates = _drop_front_matter(candidates, rows)
    _articles_unnumbered(candidates)
    references = next((i for i, h in enumerate(candidates) if REFERENCES.match(strip_number(h.title))), None)
    if references is not None:  # in a reference list only a heading set large or bold is one (an appendix)
        candidates = candidates[:references + 1] + [h for h in candidates[references + 1:] if h.strong]
    numbered = [h for h in candidates if h.numbered]
    if len(numbered) >= 3:
        # A paper that numbers its sections: unnumbered rows are headings only when they are the usual
        # unnumbered ones (Abstract, References, Acknowledgements...), or set like the numbered ones.
        styles = {_style(h, body) for h in numbered}
        # Or unnumbered subheadings (a Word paper's bold "Goals", "Assumptions" under "1. INTRODUCTION"): a bold
        # or larger style below every numbered section's, used three times or more, each over running text.
        order = {id(r): i for i, r in enumerate(rows)}
        sections = min(_prominence(_style(h, body)) for h in numbered)
        under = [h for h in candidates if not h.numbered and h.strong and _prominence(_style(h, body)) < sections
                 and _running_text(rows, order[id(h.row)] + 1 + len(h.continued), body)]
        subheadings = Counter(_style(h, body) for h in under)
        under = [h for h in under if subheadings[_style(h, body)] >= 3]
        candidates = [h for h in candidates if h.numbered or UNNUMBERED.match(h.title) or h in under
                      or (_style(h, body) in styles and h.row.size > body.size + 0.4)]
        candidates = _drop_number_outliers(candidates)
        _letters_under_roman(candidates)
    else:
        # Without numbers a font change or capitals alone are a heading style only when used more than once.
        weak = Counter(_style(h, body) for h in candidates if not h.strong)
        candidates = [h for h in candidates if h.strong or weak[_style(h, body)] >= 2 or UNNUMBERED.match(h.title)]
    candidates = _with_run_ins(candidates, rows, body, title_ids)
    _assign_levels(candidates, body, rows)
    return candidates


def _set_apart(row: Row, above: Row) -> bool:
    """The row is set in another size, weight or face than the row above it."""
    return (row.size, row.bold, row.font) != (above.size, above.bold, above.font)


def _articles_unnumbered(headings: list[Heading]) -> None:
    """In a paper that does not number its sections, "A Schedule from the Variance" opens with an article, not
    appendix A: it is one unless another heading has a letter (B, A.1) to go with it."""
    numbers = [h.title.split()[0] for h in headings if h.numbered]
    lettered = [n for n in numbers if n[0] in "ABCDEFGH" and n != "A"]
    if lettered or len(numbers) - numbers.count("A") >= 3:
        return
    for h in headings:
        if h.numbered and h.title.split()[0] == "A":
            h.numbered, h.level = False, 0


def _continuation(rows: list[Row], index: int) -> tuple[Row, ...]:
    """The rows a heading wraps onto: same block, same font, close below."""
    head = rows[index]
    more: list[Row] = []
    for row in rows[index + 1:index + 3]:
        last = more[-1] if more else head
        if (row.block != head.block or row.size != head.size or row.bold != head.bold or row.font != head.font
                or row.y0 - last.y1 > head.height or len(row.text) > 80):
            break
        more.append(row)
    return tuple(more)


def _drop_front_matter(headings: list[Heading], rows: list[Row]) -> list[Heading]:
    """Author names and affiliations set in bold above the abstract (or the first section) are not headings."""
    order = {id(r): i for i, r in enumerate(rows)}
    abstract = next((i for i, r in enumerate(rows) if r.page == 1 and ABSTRACT.match(r.text)
                     and (len(r.text) > 12 or ABSTRACT.fullmatch(r.text))), None)
    anchor = next((order[id(h.row)] for h in headings if h.numbered or UNNUMBERED.match(h.title)), None)
    limits = [i for i in (abstract, anchor) if i is not None]
    if not limits:
        return [h for h in headings if h.row.page > 1 or not _AUTHOR_LINE.search(h.title)]
    limit = min(limits)
    return [h for h in headings if order[id(h.row)] >= limit or h.row.page > 1]


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _other_font(font: str, body: BodyStyle) -> bool:
    return bool(font) and font != body.font and not _MATH_FONT.match(font)


def _as_heading(row: Row, body: BodyStyle) -> Heading | None:
    text = _MEMBERSHIP.sub("", row.text.strip()) if _MEMBERSHIP.search(row.text) else row.text.strip()
    words = text.split()
    if not 1 <= len(words) <= 14 or len(text) > 110 or len(text) < 3:
        return None
    larger = row.size >= body.size + 0.9
    bold = row.bold and not body.bold
    strong = larger or (bold and row.size >= body.size - 0.6)
    caps = _is_caps(text)
    # Capitals and small capitals (a larger first letter), another face (italic, sans, a small bold): weaker signs.
    styled = strong or ((bold or caps or _other_font(row.font, body)) and row.size >= body.size - 2.5)
    if not styled or CAPTION.match(text) or _NOT_HEADING.search(text):
        return None
    if ABSTRACT.match(text) and not ABSTRACT.fullmatch(text):  # "Abstract—We ...": the abstract itself
        return None
    if _run_in(row, body) is not None:  # "Noise estimation. Micromotion ...": a paragraph's run-in heading
        return None
    if _letters(text) < 0.5 * len(text.replace(" ", "")):  # an equation, a table row of numbers
        return None
    if text.endswith((",", ";", "-", "–")) or (text.endswith(".") and not ABSTRACT.fullmatch(text)
                                                and not re.search(r"\.\s*$", words[0]) and len(words) > 6):
        return None
    m = NUMBER.match(text)
    if not strong and (text.endswith(".") or ". " in (m["title"] if m else text)):  # a list item, a reference
        return None
    if m and _plausible_number(m["num"], m["title"]):
        title = m["title"].strip()
        level = m["num"].count(".") + 1
        return Heading(row, f"{m['num']}{m['dot']} {title}", min(level, 3), True, strong=strong)
    if text[0].islower() or not text[0].isalpha():
        return None
    if (len(words) > 10 and not larger) or (not strong and len(words) > 8):
        return None
    return Heading(row, text, 0, False, strong=strong)


def _followed_well(rows: list[Row], after: int, heading: Heading, body: BodyStyle) -> bool:
    """A heading is followed (at rows[after], the row after it in reading order, in its block or the next) by
    text: not by a table's rows of numbers, nor is it a table's header row set in cells over a row set so; a
    weakly set one by running text of the body's size (or straight away by another heading)."""
    if after >= len(rows):
        return heading.strong
    following = rows[after]
    if _letters(following.text) < sum(c.isdigit() for c in following.text):
        return False
    if heading.row.cells >= 3 and following.cells >= 3:  # justified text may set words apart, but not two rows
        return False
    if following.block == heading.row.block and following.y0 < heading.row.y0:  # a formula's pieces, not text below
        return False
    if heading.strong:
        return True
    if _as_heading(following, body) is not None:
        return True
    return _running_text(rows, after, body)


def _running_text(rows: list[Row], index: int, body: BodyStyle) -> bool:
    """Running text, or a reference list's smaller entries; not a figure's caption under its labels."""
    if index >= len(rows):
        return False
    row = rows[index]
    return body.size - 2.5 <= row.size <= body.size + 1.0 and len(row.text.split()) >= 4 and not CAPTION.match(row.text)


def _plausible_number(num: str, title: str) -> bool:
    if not title[0].isalpha() or title[0].islower():
        return False
    if num.isdigit():
        return 0 < int(num) <= 30
    return True


def _drop_number_outliers(headings: list[Heading]) -> list[Heading]:
    """Drop 'numbered headings' whose number breaks the sequence, e.g. a bold list item '2 GPUs' in section 5."""
    kept: list[Heading] = []
    last_top = 0
    for h in headings:
        if h.numbered:
            top = h.title.split()[0].rstrip(".").split(".")[0]
            if top.isdigit():
                value = int(top)
                if value < last_top or value > last_top + 2:
                    continue
                last_top = value
        kept.append(h)
    return kept


_ROMAN = re.compile(r"[IVX]{1,5}")


def _number_level(num: str, roman: bool) -> int:
    """The level a section number says: "2.1" is 2; where sections are numbered I, II, III (IEEE, REVTeX),
    "A" is a subsection (elsewhere an appendix) and "A.1" a subsubsection."""
    level = num.count(".") + 1
    return level + 1 if roman and num[0] in "ABCDEFGH" else level


def _letters_under_roman(headings: list[Heading]) -> None:
    nums = [h.title.split()[0].rstrip(".") if h.numbered else "" for h in headings]
    if sum(1 for num in nums if _ROMAN.fullmatch(num)) >= 2:
        for h, num in zip(headings, nums, strict=True):
            if num:
                h.level = min(_number_level(num, True), 3)


# ------------------------------------------------------------------------------------------- run-in headings


def _with_run_ins(headings: list[Heading], rows: list[Row], body: BodyStyle, title_ids: set[int]) -> list[Heading]:
    """The headings with the run-in paragraph headings between them, up to the references."""
    taken = {id(h.row) for h in headings} | {id(r) for h in headings for r in h.continued} | title_ids
    order = {id(r): i for i, r in enumerate(rows)}
    end = next((order[id(h.row)] for h in headings if REFERENCES.match(strip_number(h.title))), len(rows))
    start = next((order[id(h.row)] for h in headings), end)  # none in the front matter
    found: list[tuple[Heading, tuple[bool, str]]] = []
    for index in range(start, end):
        row = rows[index]
        if id(row) in taken or not _opens_paragraph(rows, index):
            continue
        run_in = _run_in(row, body)
        if run_in:
            found.append(run_in)
    styles = Counter(style for _, style in found)
    run_ins = [h for h, style in found if styles[style] >= 2]
    return sorted(headings + run_ins, key=lambda h: order[id(h.row)])


def _opens_paragraph(rows: list[Row], index: int) -> bool:
    row = rows[index]
    if row.first_in_block:
        return True
    # The line before ends short of the column (a paragraph ended there), or this line is indented: the last line
    # of a justified paragraph may all but fill the column, but a first-line indent still marks the new one.
    before = rows[index - 1]
    return before.block == row.block and (before.x1 < row.x1 - 15 or row.x0 > before.x0 + 0.5 * row.size)


def _run_in(row: Row, body: BodyStyle) -> tuple[Heading, tuple[bool, str]] | None:
    """A paragraph opening with a phrase in bold or another face that ends in a full stop or colon."""
    spans = [(text, bold and not body.bold, font) for (text, _, bold), font in zip(row.spans, row.span_fonts, strict=True)]
    words = [i for i, (text, _, _) in enumerate(spans) if text.strip()]  # a word space may be a span of its own
    if len(words) < 2 or abs(row.size - body.size) > 1.0:
        return None
    _, bold, font = spans[words[0]]
    if not (bold or _other_font(font, body)):
        return None
    count = next((i for i in words if spans[i][1:] != (bold, font)), None)
    if count is None:  # the whole row in one face
        return None
    phrase = " ".join("".join(text for text, _, _ in spans[:count]).split())
    rest = "".join(text for text, _, _ in spans[count:]).strip()
    if phrase.endswith((".", ":")):
        title = phrase[:-1].strip()
    elif rest[:1] in ".:—–":  # the full stop may be set in the text's face
        title, rest = phrase, rest[1:].strip()
    else:
        return None
    title_words = title.split()
    if (not 1 <= len(title_words) <= 8 or not title[0].isupper() or not any(c.isalpha() for c in title)
            or ABSTRACT.match(title) or CAPTION.match(phrase) or _NOT_HEADING.search(phrase)
            or len(rest.split()) < 2):
        return None
    number = NUMBER.match(title)
    level = min(number["num"].count(".") + 1, 3) if number else 3  # a paragraph's heading: below any subsection
    return Heading(row, title, level, bool(number), strong=bold, run_in=rest), (bold, font)


# ------------------------------------------------------------------------------------------- levels


def _style(h: Heading, body: BodyStyle) -> tuple[float, float, str, bool, bool]:
    row = h.row
    return (row.cap_size, row.size, row.font, row.bold and not body.bold, _is_caps(h.title))


def _prominence(style: tuple[float, float, str, bool, bool]) -> tuple[float, bool, bool, float]:
    cap_size, size, _, bold, caps = style
    return (cap_size, bold, caps, size)


_ALWAYS_TOP = re.compile(r"^(references|bibliography|literature cited|works cited|acknowledge?ments?)\b", re.I)


def _assign_levels(headings: list[Heading], body: BodyStyle, rows: list[Row]) -> None:
    """Numbered headings have their number's level. Unnumbered ones take the level of numbered headings set the
    same way, else one below the numbered styles more prominent than theirs, else (in a paper without numbers)
    their style's rank (by prominence, then the space set above it): the style most of "Introduction",
    "Conclusion", "Discussion"... share is level 1 (and any more prominent one), the less prominent styles below it
    2 and 3 (styles alike but for their face share a level); References and Acknowledgements are level 1
    however they are set. A run-in heading ("Training. We train ...") is level 3, below any subsection."""
    numbered_styles: dict[tuple, int] = {}
    for h in headings:
        if h.numbered and h.run_in is None:
            numbered_styles.setdefault(_style(h, body), h.level)
    plain = [h for h in headings if not h.numbered and h.run_in is None and not _ALWAYS_TOP.match(h.title)
             and not ABSTRACT.fullmatch(h.title)]
    space = _space_above(plain, rows, body)

    def ranked(style: tuple) -> tuple:
        return (*_prominence(style), space.get(style, 0))

    styles = {_style(h, body) for h in plain}
    usual = Counter(_style(h, body) for h in plain if UNNUMBERED.match(h.title))
    top = max(usual, key=lambda s: (usual[s], ranked(s))) if usual else None
    below = sorted({ranked(s) for s in styles if top is None or ranked(s) < ranked(top)}, reverse=True)
    rank = {style: min(below.index(ranked(style)) + 2 - (top is None), 3) if ranked(style) in below else 1
            for style in styles}
    # Beside numbered sections, the styles of unnumbered subheadings ("Goals" under "1. INTRODUCTION").
    subheadings = {_style(h, body) for h in plain if numbered_styles and not UNNUMBERED.match(h.title)
                   and _style(h, body) not in numbered_styles}
    for h in headings:
        if h.run_in is not None:
            continue
        if _ALWAYS_TOP.match(h.title) or (UNNUMBERED.match(h.title) and numbered_styles
                                          and _style(h, body) not in subheadings):
            h.level = 1  # "References" beside numbered sections; a "Discussion" set as a subheading stays one
        elif not h.numbered:
            h.level = (numbered_styles.get(_style(h, body)) or _below_numbered(_style(h, body), numbered_styles)
                       or rank.get(_style(h, body), 1))


def _space_above(headings: list[Heading], rows: list[Row], body: BodyStyle) -> dict[tuple, float]:
    """Each style's usual space above its headings, in half ems of the body, where a line of its column is above."""
    order = {id(r): i for i, r in enumerate(rows)}
    gaps: dict[tuple, list[float]] = {}
    for h in headings:
        index = order[id(h.row)]
        above = rows[index - 1] if index else None
        if above and above.page == h.row.page and above.y1 <= h.row.y0 and above.x0 < h.row.x1 and h.row.x0 < above.x1:
            gaps.setdefault(_style(h, body), []).append(h.row.y0 - above.y1)
    return {style: round(2 * statistics.median(g) / body.size) for style, g in gaps.items()}


def _below_numbered(style: tuple, numbered_styles: dict[tuple, int]) -> int | None:
    """Where a paper numbers its headings, an unnumbered style sits one level below the deepest numbered style
    more prominent than it."""
    above = [level for s, level in numbered_styles.items() if _prominence(s) > _prominence(style)]
    return min(max(above) + 1, 3) if above else None


def strip_number(title: str) -> str:
    m = NUMBER.match(title)
    return m["title"] if m else title


# ------------------------------------------------------------------------------------------- outline

# Outline entries that name a part of the page rather than a section: a publisher's "Title/Abstract/References"
# bookmarks, or bookmarks to figures.
_NOT_A_SECTION = re.compile(r"^(title|abstract|references|bibliography|front matter|cover)\s*$", re.IGNORECASE)


def outline_headings(toc: list, rows: list[Row], layout: list[Heading]) -> list[Heading] | None:
    """The headings the outline names, found on their pages, or None when the outline is absent or does not
    agree with the printed page: most entries must be found as a line on (or next to) their page, with the
    level the printed section number implies. Unnumbered headings the layout found and the outline lacks
    (References, Acknowledgements, ...) are kept at level 1."""
    entries = [(int(e[0]), clean(str(e[1])), int(e[2])) for e in toc]
    levels = [level for level, _, _ in entries]
    if len(entries) < 2 or levels[0] != 1 or any(b > a + 1 for a, b in itertools.pairwise(levels)):
        return None
    if sum(1 for _, title, _ in entries if not (_NOT_A_SECTION.match(title) or CAPTION.match(title))) < 2:
        return None
    found: list[Heading] = []
    implied: list[tuple[str, int]] = []  # (printed number, outline level)
    start = 0
    heading_rows = {id(h.row) for h in layout}
    for level, title, page in entries:
        # A heading the layout found wins over a body line that happens to read the same ("... compute budget.").
        match = _find_heading(rows, start, title, page, heading_rows) or _find_heading(rows, start, title, page)
        if match is None:
            continue
        index, used = match
        row = rows[index]
        m = NUMBER.match(row.text)
        numbered = bool(m and _plausible_number(m["num"], m["title"]) and not NUMBER.match(title))
        if numbered and m:
            implied.append((m["num"], level))
            title = f"{m['num']}{m['dot']} {title}"
        found.append(Heading(row, title, min(level, 3), numbered, tuple(rows[index + 1:index + used])))
        start = index + used
    roman = sum(1 for num, _ in implied if _ROMAN.fullmatch(num)) >= 2
    misleveled = sum(1 for num, level in implied if _number_level(num, roman) != level)
    if len(found) < 0.8 * len(entries) or misleveled > 0.2 * len(found):
        return None
    taken = {id(h.row) for h in found} | {id(r) for h in found for r in h.continued}
    names = {_key(h.title) for h in found}
    extra = [h for h in layout if not h.numbered and h.level == 1 and h.run_in is None and id(h.row) not in taken
             and _key(h.title) not in names]
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(found + extra, key=lambda h: order[id(h.row)])


def _find_heading(rows: list[Row], start: int, title: str, page: int,
                  among: set[int] | None = None) -> tuple[int, int] | None:
    """(index, rows used) of the first line from `start` on pages page-1..page+1 that reads `title`, the line
    alone or wrapped onto the next one or two lines of its block; a section number before it is allowed.
    With `among`, only lines whose id is in it may start the heading."""
    want = _key(title)
    if not want:
        return None
    for index in range(start, len(rows)):
        row = rows[index]
        if row.page > page + 1:
            break
        if row.page < page - 1 or (among is not None and id(row) not in among):
            continue
        text = ""
        for used, part in enumerate(rows[index:index + 3], 1):
            if used > 1 and part.block != row.block:
                break
            text = f"{text} {part.text}" if text else part.text
            got = _key(text)
            if got == want:
                return index, used
            if not want.startswith(got):
                break
    return None


def _key(title: str) -> str:
    """A heading as compared with an outline entry: its number, case, spacing and punctuation left out."""
    m = NUMBER.match(title.strip())
    if m and _plausible_number(m["num"], m["title"]):
        title = m["title"]
    return "".join(c for c in title.lower() if c.isalnum())


def body_row(row: Row, text: str) -> Row:
    """The row as it reads after its run-in heading."""
    return dataclasses.replace(row, text=text)
