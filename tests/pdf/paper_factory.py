"""Synthetic research-paper PDFs whose structure is known, for testing the PDF structure parser.

A `PaperSpec` says what a paper contains (title, authors, abstract, sections, captions, references); a
`Style` says how it is typeset (one or two columns, fonts and sizes, numbering, page size, ...).
`build_pdf(spec, style, path)` lays the paper out and writes it. `random_spec` and `random_style` give
varied papers from a seeded `random.Random`, so a test can build many layouts, not one template, and
still know exactly which headings, captions and references each PDF holds (`expected_headings`,
`caption_texts`, `reference_texts` give the strings as they are printed).

The layout is written as raw PDF content streams through PyMuPDF with the base-14 fonts (not embedded;
MuPDF reports them as "Times-Roman", "Times-Bold", "Helvetica-Bold", ... and sets the bold flag, 16, for
the bold faces). Every printed line is its own text object, justified lines use word spacing (`Tw`), so
`page.get_text("dict")` shows each heading as a line of its own with the size and weight of its style.
Besides the content, pages carry what real papers carry and a parser must ignore: page numbers at the
bottom, on two-column styles a running header on pages 2+, sometimes a first-page footnote, grey boxes
standing in for figures and ruled tables with small cell text.

`python tests/pdf/paper_factory.py OUT.pdf` writes the demo paper (`demo_spec()`, `DEMO_STYLE`) that
readroom ships in data/demo/; `--random SEED OUT.pdf` writes a random one to look at.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# pymupdf imports its optional layout package (and onnxruntime with it) when it can; we never need it.
sys.modules.setdefault("pymupdf.layout", None)
sys.modules.setdefault("pymupdf4llm", None)
import pymupdf  # noqa: E402

__all__ = [
    "DEMO_STYLE",
    "ExpectedHeading",
    "PaperSpec",
    "SpecCaption",
    "SpecSection",
    "Style",
    "build_pdf",
    "caption_texts",
    "demo_spec",
    "expected_headings",
    "heading_text",
    "random_paper_parts",
    "random_spec",
    "random_style",
    "reference_texts",
    "section_numbers",
]


# ----------------------------------------------------------------------------------------- the API


@dataclass
class SpecSection:
    title: str
    level: int  # 1 = section, 2 = subsection, 3 = subsubsection
    paragraphs: list[str]
    number: str | None = None  # e.g. "3.1"; None = counted from the levels (see section_numbers)


@dataclass
class SpecCaption:
    kind: str  # "figure" or "table"
    label: str  # "Figure 2", "Table 1"
    text: str  # the caption text after the label
    section_index: int  # index into PaperSpec.sections; placed inside that section's body
    rows: list[list[str]] | None = None  # table cells, first row the header; None = made up
    drawing: str | None = None  # figure art: None = a grey box; "passes" or "forgetting" (the demo's)


@dataclass
class PaperSpec:
    title: str
    authors: list[str]
    abstract: str
    sections: list[SpecSection]  # in reading order, subsections flat between their parents
    captions: list[SpecCaption]
    references: list[str]  # entry text without its "[n]" label
    year: int | None = None  # goes into the PDF metadata (creation date) when the style sets metadata
    affiliations: list[str] = field(default_factory=list)  # printed in italics under the authors
    # The same references as author-year entries ("Smith, J.; and Lee, K. 2020. Title. Venue"), for
    # Style.author_year; empty = not available.
    author_year_references: list[str] = field(default_factory=list)
    # Bold run-in paragraph headings ("Training. We train ..."): (section index, paragraph index) -> title.
    run_ins: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Style:
    columns: int = 1  # 1 or 2
    body_font: str = "Times-Roman"  # "Times-Roman" or "Helvetica"
    body_size: float = 10
    heading_sizes: tuple[float, float, float] = (12, 11, 10)  # by level 1, 2, 3
    heading_bold: bool = True
    heading_font: str | None = None  # None = the body font's family; "Helvetica" gives sans headings
    level1_font: str | None = None  # the sections' own family, e.g. sans sections over serif subsections
    heading_space: tuple[float, float, float] = (1.1, 0.8, 0.8)  # space above headings, in their size, by level
    numbered: bool = True
    number_depth: int = 3  # the levels that carry numbers: 1 = numbered sections over unnumbered subsections (Word)
    number_sep: str = " "  # between number and title: "1 Introduction" or ". " for "1. Introduction"
    upper_case_level1: bool = False  # "1 INTRODUCTION"
    # IEEE/REVTeX look: headings in the body's size and weight, sections numbered I, II, ... (in capitals when
    # upper_case_level1), subsections A, B, ... in italics
    roman: bool = False
    title_size: float = 17
    page_size: str = "letter"  # "letter" or "a4"
    margin: float = 72  # left, right and bottom; the top is a little less
    gutter: float = 20  # between the two columns
    leading: float = 1.2  # line height / font size
    justify: bool = True
    paragraph_indent: float = 0  # first-line indent in pt; 0 = unindented paragraphs with space between
    # "heading" (a centred bold "Abstract"), "inline" ("Abstract." run-in), "dash" (IEEE's "Abstract—" run-in)
    # or "none" (unlabelled, as REVTeX and ACM journals set it)
    abstract_style: str = "heading"
    caption_size: float = 9
    caption_sep: str = ": "  # "Figure 2: text" or ". " for "Figure 2. text"
    roman_tables: bool = False  # "TABLE II" for Table 2 (IEEE, REVTeX)
    table_label_above: bool = False  # the table label on a line of its own above the caption text (IEEE)
    references_title: str = "References"  # or "REFERENCES", "Bibliography"
    reference_size: float = 9
    reference_labels: bool = True  # "[1] Author ..." entries; False = unlabelled entries
    reference_label: str = "[{}]"  # the label of entry n; "{}." for a journal's "1. Author ..." (Nature's)
    reference_hang: bool = True  # unlabelled entries with a hanging indent; False = set flush left
    author_year: bool = False  # unlabelled entries printed as PaperSpec.author_year_references
    metadata: bool = False  # set the PDF title/author/creation date
    running_header: bool | None = None  # short title on pages 2+; None = only on two-column styles
    page_numbers: bool = True
    footnote: str | None = None  # small first-page footnote under a rule, e.g. "Preprint. Under review."
    outline: bool = False  # write a bookmark outline (doc.set_toc) of the sections, titles unnumbered as hyperref's
    body_bold: bool = False  # the body font itself is bold (a font flagged bold): headings differ by size alone
    center_level1: bool = False  # section headings centred (AAAI), subsections flush left
    # How the author line reads: "and" ("A, B, and C"), "ieee" ("A, Member, IEEE, and B, Fellow, IEEE"), "marks"
    # (affiliation marks: "A¹, B²"), "bold" (the names in bold) or "stacked" (one name a line)
    author_form: str = "and"
    seed: int = 0  # figure sizes and made-up table cells


@dataclass
class ExpectedHeading:
    text: str  # the heading line as printed, e.g. "3.1 Method details"
    level: int
    size: float
    bold: bool
    font: str  # base-14 name, e.g. "Times-Bold"
    section_index: int | None  # into PaperSpec.sections; None for the references heading
    opens: str = ""  # the first words of the text under it


def section_numbers(spec: PaperSpec, roman: bool = False) -> list[str]:
    """Each section's number: its own `number`, or counted from the levels ("1", "2", "2.1", ...; with `roman`
    "I", "II", then "A", "A.1" below them)."""
    counters = [0, 0, 0]
    numbers = []
    for section in spec.sections:
        level = _level(section)
        counters[level - 1] += 1
        for deeper in range(level, 3):
            counters[deeper] = 0
        if section.number:
            numbers.append(section.number)
        elif roman:
            numbers.append(_ROMAN[counters[0]] if level == 1 else ".".join(
                [chr(ord("A") + counters[1] - 1)] + [str(c) for c in counters[2:level]]))
        else:
            numbers.append(".".join(str(c) for c in counters[:level]))
    return numbers


_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def heading_text(spec: PaperSpec, style: Style, index: int) -> str:
    """The heading of spec.sections[index] as printed."""
    section = spec.sections[index]
    title = section.title.upper() if _level(section) == 1 and style.upper_case_level1 else section.title
    if not style.numbered or _level(section) > style.number_depth:
        return _clean(title)
    return _clean(f"{section_numbers(spec, style.roman)[index]}{style.number_sep}{title}")


def expected_headings(spec: PaperSpec, style: Style, *, references: bool = True) -> list[ExpectedHeading]:
    """Every section heading as printed, in order, then (by default) the references heading.

    The "Abstract" heading of abstract_style="heading" is not in the list."""
    out = []
    bold = _family(style.body_font)[1]
    for i, section in enumerate(spec.sections):
        level = _level(section)
        code = _heading_code(style, level)
        out.append(ExpectedHeading(heading_text(spec, style, i), level, float(style.heading_sizes[level - 1]),
                                   style.heading_bold, _BASE14[code], i, _opening(section.paragraphs[:1])))
        for k, paragraph in enumerate(section.paragraphs):
            if (i, k) in spec.run_ins:
                # a paragraph's heading: level 3, below any subsection
                out.append(ExpectedHeading(_clean(spec.run_ins[i, k]), 3, float(style.body_size), True,
                                           _BASE14[bold], i, _opening([paragraph])))
    if references and spec.references:
        code = _heading_code(style)
        out.append(ExpectedHeading(_clean(style.references_title), 1, float(style.heading_sizes[0]),
                                   style.heading_bold, _BASE14[code], None))
    return out


def _opening(paragraphs: list[str]) -> str:
    return " ".join(paragraphs[0].split()[:6]) if paragraphs else ""


def caption_texts(spec: PaperSpec, style: Style) -> list[str]:
    """Each caption as printed (label, separator, text), in spec order."""
    return [_clean(_caption_line(c, style)) for c in spec.captions]


def _printed_label(caption: SpecCaption, style: Style) -> str:
    if caption.kind == "table" and style.roman_tables:
        return f"TABLE {_roman(int(caption.label.split()[-1]))}"
    return caption.label


def _caption_line(caption: SpecCaption, style: Style) -> str:
    sep = " " if caption.kind == "table" and style.table_label_above else style.caption_sep
    return f"{_printed_label(caption, style)}{sep}{caption.text}"


def _roman(number: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + numeral, number - value
    return out


def reference_texts(spec: PaperSpec, style: Style) -> list[str]:
    """Each reference entry as printed, label included when the style has labels."""
    if style.reference_labels:
        return [_clean(f"{style.reference_label.format(i)} {ref}") for i, ref in enumerate(spec.references, 1)]
    return [_clean(ref) for ref in _unlabelled_references(spec, style)]


def _unlabelled_references(spec: PaperSpec, style: Style) -> list[str]:
    return spec.author_year_references if style.author_year and spec.author_year_references else spec.references


def build_pdf(spec: PaperSpec, style: Style, path: Path) -> Path:
    """Lay the paper out in the style and write it to path (parent folders are made). Returns path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = _Typesetter(spec, style).run()
    try:
        doc.save(path, garbage=3, deflate=True)
    finally:
        doc.close()
    return path


# ------------------------------------------------------------------------------------ fonts, text

_BASE14 = {
    "tiro": "Times-Roman", "tibo": "Times-Bold", "tiit": "Times-Italic",
    "helv": "Helvetica", "hebo": "Helvetica-Bold", "heit": "Helvetica-Oblique",
    "cour": "Courier",
}
_FAMILIES = {  # family -> (regular, bold, italic) resource names
    "times": ("tiro", "tibo", "tiit"),
    "helvetica": ("helv", "hebo", "heit"),
}
_PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.276, 841.89)}
_ASCENT = 0.78  # baseline below the top of a line box, as a fraction of the font size


def _family(name: str | None) -> tuple[str, str, str]:
    key = (name or "times").lower()
    if key.startswith(("helv", "hebo", "arial", "sans")):
        return _FAMILIES["helvetica"]
    if key.startswith(("times", "tiro", "tibo", "serif")):
        return _FAMILIES["times"]
    raise ValueError(f"unknown font {name!r}: use 'Times-Roman' or 'Helvetica'")


def _heading_code(style: Style, level: int = 1) -> str:
    regular, bold, italic = _family((level == 1 and style.level1_font) or style.heading_font or style.body_font)
    if style.roman and level > 1:
        return italic
    return bold if style.heading_bold else regular


def _level(section: SpecSection) -> int:
    return min(max(int(section.level), 1), 3)


def _clean(text: str) -> str:
    """Single spaces, and only characters the WinAnsi encoding of the base-14 fonts can show."""
    text = " ".join(text.split())
    return text.encode("cp1252", "replace").decode("cp1252")


@functools.cache
def _advances(code: str) -> dict[str, float]:
    font = pymupdf.Font(code)
    table = {}
    for byte in range(32, 256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        table[char] = font.glyph_advance(ord(char))
    return table


_WIDTHS: dict[tuple[str, str], float] = {}


def _width(text: str, code: str, size: float) -> float:
    key = (text, code)
    width = _WIDTHS.get(key)
    if width is None:
        advances = _advances(code)
        width = _WIDTHS[key] = sum(advances.get(c, 0.5) for c in text)
    return width * size


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _num(value: float) -> bytes:
    return (f"{value:.2f}".rstrip("0").rstrip(".") or "0").encode()


# --------------------------------------------------------------------------------------- layout


@dataclass
class _Word:
    text: str
    code: str
    width: float


class _Typesetter:
    """Flows a PaperSpec down the columns of as many pages as it needs, collecting content streams."""

    def __init__(self, spec: PaperSpec, style: Style):
        if style.columns not in (1, 2):
            raise ValueError("columns must be 1 or 2")
        if style.page_size not in _PAGE_SIZES:
            raise ValueError("page_size must be 'letter' or 'a4'")
        self.spec, self.style = spec, style
        self.rng = random.Random(style.seed)
        self.regular, self.bold, self.italic = _family(style.body_font)
        if style.body_bold:
            self.regular = self.bold
        self.heading_code = _heading_code(style)
        self.width, self.height = _PAGE_SIZES[style.page_size]
        self.left = style.margin
        self.top = style.margin * 0.9
        self.bottom = self.height - style.margin
        self.text_width = self.width - 2 * style.margin
        gutter = style.gutter if style.columns == 2 else 0.0
        self.col_width = (self.text_width - gutter) / style.columns
        self.col_step = self.col_width + gutter
        self.body_lead = style.body_size * style.leading
        self.pages: list[bytearray] = []
        self.first_page_col_top = self.top
        self.footnote_height = 0.0
        self.col = 0
        self.toc: list[list] = []  # [level, title, page] of each heading, for the bookmark outline
        self.y = self.top

    # ---- pages and columns

    @property
    def ops(self) -> bytearray:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(bytearray())
        self.col = 0
        self.y = self.col_top

    @property
    def col_top(self) -> float:
        return self.first_page_col_top if len(self.pages) == 1 else self.top

    @property
    def col_bottom(self) -> float:
        if len(self.pages) == 1 and self.col == 0 and self.footnote_height:
            return self.bottom - self.footnote_height
        return self.bottom

    @property
    def col_x(self) -> float:
        return self.left + self.col * self.col_step

    def next_column(self) -> None:
        if self.col + 1 < self.style.columns:
            self.col += 1
            self.y = self.col_top
        else:
            self.new_page()

    def at_col_top(self) -> bool:
        return self.y <= self.col_top + 0.01

    def space(self, amount: float) -> None:
        if not self.at_col_top():
            self.y += amount

    def need(self, height: float) -> None:
        """Start a new column unless `height` more points fit in this one."""
        if self.y + height > self.col_bottom and not self.at_col_top():
            self.next_column()

    # ---- text

    def words(self, runs: list[tuple[str, str]], size: float) -> list[_Word]:
        out = []
        for text, code in runs:
            for word in _clean(text).split(" "):
                if word:
                    out.append(_Word(word, code, _width(word, code, size)))
        return out

    @staticmethod
    def wrap(words: list[_Word], size: float, first: float, rest: float) -> list[list[_Word]]:
        """Greedy line breaking: `first` and `rest` are the widths available to the first/other lines."""
        lines: list[list[_Word]] = []
        line: list[_Word] = []
        used = 0.0
        for word in words:
            avail = first if not lines else rest
            if line:
                gap = _width(" ", line[-1].code, size)
                if used + gap + word.width > avail + 0.01:
                    lines.append(line)
                    line, used = [word], word.width
                    continue
                used += gap + word.width
                line.append(word)
            else:
                line, used = [word], word.width
        if line:
            lines.append(line)
        return lines

    @staticmethod
    def natural(line: list[_Word], size: float) -> float:
        return sum(w.width for w in line) + sum(_width(" ", w.code, size) for w in line[:-1])

    def text_op(self, x: float, baseline: float, line: list[_Word], size: float, tw: float = 0.0,
                page: bytearray | None = None) -> None:
        """One line of text in one text object: runs of the same font are single Tj strings."""
        ops = self.ops if page is None else page
        ops += b"BT " + _num(tw) + b" Tw 1 0 0 1 " + _num(x) + b" " + _num(self.height - baseline) + b" Tm"
        i = 0
        while i < len(line):
            j = i
            while j + 1 < len(line) and line[j + 1].code == line[i].code:
                j += 1
            text = " ".join(w.text for w in line[i:j + 1]) + (" " if j + 1 < len(line) else "")
            ops += b" /" + line[i].code.encode() + b" " + _num(size) + b" Tf " + _pdf_string(text) + b" Tj"
            i = j + 1
        ops += b" ET\n"

    def flow(self, runs: list[tuple[str, str]], size: float, *, align: str = "left", first_indent: float = 0.0,
             rest_indent: float = 0.0, inset: float = 0.0, lead: float | None = None,
             label: tuple[str, str] | None = None, full_width: bool = False) -> None:
        """Set a paragraph at self.y, breaking to the next column/page between lines when needed.

        align is "left", "justify" (all lines but the last) or "center"; inset narrows both sides;
        label (text, font) is printed at the left edge of the first line (reference labels)."""
        lead = lead or size * self.style.leading
        base_width = (self.text_width if full_width else self.col_width) - 2 * inset
        words = self.words(runs, size)
        lines = self.wrap(words, size, base_width - first_indent, base_width - rest_indent)
        if align == "center" and len(lines) > 1:  # balance the lines of a wrapped title
            lo, hi = base_width / 2, base_width
            for _ in range(12):
                mid = (lo + hi) / 2
                if len(self.wrap(words, size, mid, mid)) > len(lines):
                    lo = mid
                else:
                    hi = mid
            lines = self.wrap(words, size, hi, hi)
        for n, line in enumerate(lines):
            if not full_width and self.y + lead > self.col_bottom and not self.at_col_top():
                self.next_column()
            x0 = (self.left if full_width else self.col_x) + inset
            indent = first_indent if n == 0 else rest_indent
            avail = base_width - indent
            baseline = self.y + size * _ASCENT
            natural = self.natural(line, size)
            tw = 0.0
            x = x0 + indent
            if align == "center":
                x = x0 + (base_width - natural) / 2
            elif align == "justify" and n < len(lines) - 1 and len(line) > 1:
                tw = max(0.0, (avail - natural) / (len(line) - 1))
            if n == 0 and label is not None:
                self.text_op(x0, baseline, self.words([label], size), size)
            self.text_op(x, baseline, line, size, tw)
            self.y += lead

    def paragraph(self, text: str, *, first: bool, run_in: str | None = None) -> None:
        style = self.style
        indent = 0.0 if first else style.paragraph_indent
        if not first and not style.paragraph_indent:
            self.space(0.5 * style.body_size)
        # `backticks` mark code, set in Courier (the backticks are not printed)
        runs = [(part, "cour" if k % 2 else self.regular) for k, part in enumerate(text.split("`")) if part.strip()]
        if run_in:
            runs.insert(0, (f"{run_in}.", self.bold))
        self.flow(runs, style.body_size, align="justify" if style.justify else "left", first_indent=indent)

    # ---- the parts of a paper

    def run(self) -> pymupdf.Document:
        self.title_block()
        if self.style.columns == 1:
            self.abstract(inset=0.07 * self.text_width)
        else:
            self.abstract(inset=0.0)
        self.sections()
        self.references()
        return self.finish()

    def title_block(self) -> None:
        spec, style = self.spec, self.style
        self.pages.append(bytearray())
        self.y = self.top + 0.25 * style.title_size
        inset = 0.06 * self.text_width
        self.flow([(spec.title, self.bold)], style.title_size, align="center", inset=inset, full_width=True,
                  lead=style.title_size * 1.2)
        self.y += 0.9 * style.body_size
        for runs in _author_lines(spec.authors, style.author_form, self.regular, self.bold):
            self.flow(runs, style.body_size, align="center", inset=inset, full_width=True)
        for affiliation in spec.affiliations:
            self.flow([(affiliation, self.italic)], style.body_size - 1, align="center", inset=inset,
                      full_width=True)
        self.y += 1.6 * style.body_size
        if style.footnote:
            size = 8.0
            lines = self.wrap(self.words([(style.footnote, self.regular)], size), size, self.col_width,
                              self.col_width)
            self.footnote_height = len(lines) * size * 1.15 + 14
            y = self.bottom - self.footnote_height + 6
            self.ops.extend(b"q 0.5 w 0 G " + _num(self.left) + b" " + _num(self.height - y) + b" m "
                            + _num(self.left + 0.35 * self.col_width) + b" " + _num(self.height - y) + b" l S Q\n")
            y += 4
            for line in lines:
                self.text_op(self.left, y + size * _ASCENT, line, size)
                y += size * 1.15

    def abstract(self, inset: float) -> None:
        spec, style = self.spec, self.style
        if style.columns == 1:  # full width (inset) before the body starts
            full, after = True, True
        else:  # at the top of the first column
            self.first_page_col_top = self.y
            full, after = False, False
        size = style.body_size if style.columns == 2 else max(style.body_size - 0.5, 8)
        align = "justify" if style.justify else "left"
        if style.abstract_style in ("inline", "dash"):
            label = "Abstract." if style.abstract_style == "inline" else "Abstract\u2014"
            self.flow([(label, self.bold), (spec.abstract, self.regular)], size, align=align, inset=inset,
                      full_width=full)
        elif style.abstract_style == "none":
            self.flow([(spec.abstract, self.regular)], size, align=align, inset=inset, full_width=full)
        else:
            hsize = style.heading_sizes[0]
            self.flow([("Abstract", self.heading_code)], hsize, align="center", full_width=full)
            self.y += 0.4 * hsize
            self.flow([(spec.abstract, self.regular)], size, align=align, inset=inset, full_width=full)
        if after:
            self.y += 1.2 * style.body_size
            self.first_page_col_top = self.y
        else:
            self.y += 0.6 * style.body_size

    def sections(self) -> None:
        spec, style = self.spec, self.style
        captions: dict[int, list[SpecCaption]] = {}
        for caption in spec.captions:
            index = min(max(caption.section_index, 0), max(len(spec.sections) - 1, 0))
            captions.setdefault(index, []).append(caption)
        for i, section in enumerate(spec.sections):
            self.heading(heading_text(spec, style, i), _level(section), bookmark=_clean(section.title))
            pending = list(captions.pop(i, []))
            for k, text in enumerate(section.paragraphs):
                self.paragraph(text, first=k == 0, run_in=spec.run_ins.get((i, k)))
                if pending:  # one caption after each paragraph, the rest at the end of the body
                    self.caption(pending.pop(0))
            for caption in pending:
                self.caption(caption)
        for rest in captions.values():  # only when there are no sections at all
            for caption in rest:
                self.caption(caption)

    def heading(self, text: str, level: int, bookmark: str | None = None) -> None:
        style = self.style
        size = style.heading_sizes[level - 1]
        self.space(size * style.heading_space[level - 1])
        code = _heading_code(style, level)
        lines = self.wrap(self.words([(text, code)], size), size, self.col_width, self.col_width)
        self.need(len(lines) * size * 1.2 + 0.5 * size + 2 * self.body_lead)
        self.toc.append([level, bookmark or _clean(text), len(self.pages)])
        self.flow([(text, code)], size, lead=size * 1.2, align="center" if level == 1 and style.center_level1 else "left")
        self.y += 0.45 * size

    def caption_lines(self, caption: SpecCaption) -> tuple[list[tuple[str, str]], float]:
        size = self.style.caption_size
        if caption.kind == "table" and self.style.table_label_above:  # measured as the text, the label on top
            runs = [(caption.text, self.regular)]
        else:
            runs = [(_caption_line(caption, self.style), self.regular)]
        lines = self.wrap(self.words(runs, size), size, self.col_width, self.col_width)
        return runs, len(lines) * size * self.style.leading

    def caption_align(self, height: float) -> str:
        """One-line captions are centred, longer ones set like the body."""
        if height <= self.style.caption_size * self.style.leading * 1.01:
            return "center"
        return "justify" if self.style.justify else "left"

    def caption(self, caption: SpecCaption) -> None:
        if caption.kind == "table":
            self.table(caption)
        else:
            self.figure(caption)

    def figure(self, caption: SpecCaption) -> None:
        style = self.style
        runs, caption_height = self.caption_lines(caption)
        column_height = self.bottom - self.top
        box_height = column_height * self.rng.uniform(0.16, 0.3)
        box_width = self.col_width * self.rng.choice([0.6, 0.75, 0.9, 1.0])
        if caption.drawing:
            box_width = self.col_width * 0.92
        gap = 0.8 * style.body_size
        self.space(gap)
        self.need(box_height + 0.6 * gap + caption_height)
        x = self.col_x + (self.col_width - box_width) / 2
        self.ops.extend(_drawing(caption.drawing, x, self.height - self.y - box_height, box_width, box_height))
        self.y += box_height + 0.6 * gap
        self.flow(runs, style.caption_size, align=self.caption_align(caption_height))
        self.y += gap

    def table(self, caption: SpecCaption) -> None:
        style = self.style
        rows = caption.rows or _made_up_table(self.rng)
        size = min(style.caption_size, style.body_size - 0.5)
        runs, caption_height = self.caption_lines(caption)
        cells = [[self.words([(cell, self.regular)], size) for cell in row] for row in rows]
        ncols = max(len(row) for row in rows)
        widths = [0.0] * ncols
        for row in cells:
            for j, words in enumerate(row):
                widths[j] = max(widths[j], self.natural(words, size) if words else 0.0)
        pad = 1.2 * size
        total = sum(widths) + pad * (ncols - 1)
        if total > self.col_width:  # squeeze the padding, never below a space
            pad = max(0.3 * size, (self.col_width - sum(widths)) / max(ncols - 1, 1))
            total = sum(widths) + pad * (ncols - 1)
        row_height = 1.4 * size
        table_height = row_height * len(rows) + 6
        gap = 0.8 * style.body_size
        self.space(gap)
        label_height = style.caption_size * style.leading if style.table_label_above else 0.0
        self.need(label_height + caption_height + 0.5 * gap + table_height)
        if style.table_label_above:
            self.flow([(_printed_label(caption, style), self.regular)], style.caption_size, align="center")
        self.flow(runs, style.caption_size, align=self.caption_align(caption_height))
        self.y += 0.5 * gap
        x0 = self.col_x + max(0.0, (self.col_width - total) / 2)
        x1 = x0 + total
        ops = self.ops
        ops += b"q 0 G\n"

        def rule(y: float, weight: float) -> None:
            ops.extend(b" " + _num(weight) + b" w " + _num(x0) + b" " + _num(self.height - y) + b" m "
                       + _num(x1) + b" " + _num(self.height - y) + b" l S\n")

        rule(self.y, 0.8)
        self.y += 2
        for r, row in enumerate(cells):
            baseline = self.y + 0.25 * size + size * _ASCENT
            x = x0
            for j, words in enumerate(row):
                if words:
                    self.text_op(x, baseline, words, size)
                x += widths[j] + pad
            self.y += row_height
            if r == 0:
                rule(self.y, 0.4)
                self.y += 1
        rule(self.y + 1, 0.8)
        ops += b" Q\n"
        self.y += 3 + gap

    def references(self) -> None:
        spec, style = self.spec, self.style
        if not spec.references:
            return
        self.heading(style.references_title, 1)
        size = style.reference_size
        align = "left"  # long URLs and ids make justified entries gappy
        if style.reference_labels:
            hang = _width(style.reference_label.format(len(spec.references)), self.regular, size) + 0.6 * size
        else:
            hang = 1.5 * size if style.reference_hang else 0.0
        for n, ref in enumerate(_unlabelled_references(spec, style) if not style.reference_labels
                                else spec.references, 1):
            self.space(0.3 * size)
            if style.reference_labels:
                self.flow([(ref, self.regular)], size, align=align, first_indent=hang, rest_indent=hang,
                          label=(style.reference_label.format(n), self.regular))
            else:
                self.flow([(ref, self.regular)], size, align=align, rest_indent=hang)

    def finish(self) -> pymupdf.Document:
        spec, style = self.spec, self.style
        doc = pymupdf.open()
        fonts = {}
        for code, name in _BASE14.items():
            xref = doc.get_new_xref()
            doc.update_object(xref, f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} "
                                    f"/Encoding /WinAnsiEncoding >>")
            fonts[code] = xref
        resources = doc.get_new_xref()
        doc.update_object(resources, "<< /ProcSet [/PDF /Text] /Font << "
                          + " ".join(f"/{code} {xref} 0 R" for code, xref in fonts.items()) + " >> >>")
        running = style.running_header if style.running_header is not None else style.columns == 2
        short_title = _short_title(spec.title)
        for number, ops in enumerate(self.pages, 1):
            if style.page_numbers:
                size = 9.0 if style.body_size > 9 else 8.0
                words = self.words([(str(number), self.regular)], size)
                x = (self.width - self.natural(words, size)) / 2
                self.text_op(x, self.height - 0.5 * style.margin, words, size, page=ops)
            if running and number > 1:
                size = 8.0
                words = self.words([(short_title, self.italic)], size)
                x = (self.width - self.natural(words, size)) / 2
                baseline = self.top - 14
                self.text_op(x, baseline, words, size, page=ops)
                y = self.height - (baseline + 4)
                ops += (b"q 0.4 w 0 G " + _num(self.left) + b" " + _num(y) + b" m "
                        + _num(self.width - self.left) + b" " + _num(y) + b" l S Q\n")
            page = doc.new_page(width=self.width, height=self.height)
            contents = doc.get_new_xref()
            doc.update_object(contents, "<< >>")
            doc.update_stream(contents, bytes(ops))
            doc.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
            doc.xref_set_key(page.xref, "Resources", f"{resources} 0 R")
        if style.outline:
            doc.set_toc(self.toc)
        if style.metadata:
            metadata = {"title": spec.title, "author": ", ".join(spec.authors),
                        "creator": "LaTeX with hyperref", "producer": "readroom paper_factory"}
            if spec.year:
                metadata["creationDate"] = f"D:{spec.year:04d}0615120000Z"
                metadata["modDate"] = metadata["creationDate"]
            doc.set_metadata(metadata)
        else:
            doc.set_metadata({"producer": "readroom paper_factory"})
        return doc


def _author_lines(names: list[str], form: str, regular: str, bold: str) -> list[list[tuple[str, str]]]:
    """The runs of each line the authors are printed on, in the style's form."""
    if not names:
        return []
    if form == "stacked":
        return [[(name, regular)] for name in names]
    if form == "ieee":
        titles = ["Member, IEEE", "Senior Member, IEEE", "Fellow, IEEE"]
        return [[(_join_names([f"{name}, {titles[i % 3]}" for i, name in enumerate(names)]), regular)]]
    if form == "marks":  # affiliation marks as the base-14 fonts have them
        return [[(", ".join(f"{name}{'¹²³'[i % 3]}" for i, name in enumerate(names)), regular)]]
    return [[(_join_names(names), bold if form == "bold" else regular)]]


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _short_title(title: str) -> str:
    title = _clean(title)
    if ":" in title[:60]:
        return title.split(":", 1)[0]
    if len(title) <= 60:
        return title
    return title[:60].rsplit(" ", 1)[0] + " ..."


def _made_up_table(rng: random.Random) -> list[list[str]]:
    metrics = rng.sample(["Acc.", "F1", "BLEU", "mAP", "Params", "FLOPs", "Top-1", "Top-5", "EM", "Time (h)"],
                         rng.randint(2, 4))
    methods = rng.sample(["Baseline", "ResNet-50", "ViT-B/16", "BERT-base", "T5-small", "LSTM", "MLP-Mixer",
                          "Linear probe", "Ours (small)", "Ours (large)", "w/o pretraining", "w/o augmentation"],
                         rng.randint(3, 6))
    rows = [["Method", *metrics]]
    for method in methods:
        rows.append([method, *(f"{rng.uniform(20, 95):.1f}" for _ in metrics)])
    return rows


# ------------------------------------------------------------------------------------ drawings


def _drawing(kind: str | None, x: float, y: float, w: float, h: float) -> bytes:
    """Vector art for a figure in the box with lower-left corner (x, y) in PDF coordinates. No text."""
    n = _num
    if kind == "passes":
        return _draw_passes(x, y, w, h)
    if kind == "forgetting":
        return _draw_forgetting(x, y, w, h)
    return (b"q 0.86 g " + n(x) + b" " + n(y) + b" " + n(w) + b" " + n(h) + b" re f 0.6 G 0.5 w "
            + n(x) + b" " + n(y) + b" " + n(w) + b" " + n(h) + b" re S Q\n")


def _path(*parts: float | str) -> bytes:
    """Content-stream operators and operands: numbers are formatted, strings copied."""
    return b" ".join(_num(p) if isinstance(p, (int, float)) else p.encode() for p in parts) + b" "


def _circle(cx: float, cy: float, r: float) -> bytes:
    k = 0.5523 * r
    return _path(cx + r, cy, "m",
                 cx + r, cy + k, cx + k, cy + r, cx, cy + r, "c",
                 cx - k, cy + r, cx - r, cy + k, cx - r, cy, "c",
                 cx - r, cy - k, cx - k, cy - r, cx, cy - r, "c",
                 cx + k, cy - r, cx + r, cy - k, cx + r, cy, "c")


def _draw_passes(x: float, y: float, w: float, h: float) -> bytes:
    """Three boxes growing with the time each pass takes, shaded deeper for deeper passes, joined by
    arrows; above each, the papers that reach that pass (many, some, one)."""
    n = _num
    out = bytearray(b"q 0.97 g " + n(x) + b" " + n(y) + b" " + n(w) + b" " + n(h) + b" re f\n")
    spans = [1.0, 1.9, 3.1]
    gaps = 0.09 * w
    unit = (w - 2 * gaps - 0.08 * w) / sum(spans)
    bx = x + 0.04 * w
    base = y + 0.14 * h
    box_h = 0.36 * h
    papers = [12, 4, 1]
    for i, (span, shade, count) in enumerate(zip(spans, (0.82, 0.62, 0.38), papers, strict=False)):
        bw = span * unit
        out += _path("q", shade, "g 0.2 G 0.8 w", bx, base, bw, box_h, "re B Q\n")
        r = min(0.035 * h, 0.9 * bw / (2 * min(count, 6) + 1))
        per_row = 6
        for k in range(count):
            row, colm = divmod(k, per_row)
            in_row = min(per_row, count - row * per_row)
            cx = bx + bw / 2 + (colm - (in_row - 1) / 2) * 2.6 * r
            cy = base + box_h + 0.1 * h + row * 2.6 * r + r
            out += b"q 0.3 g " + _circle(cx, cy, r) + b"f Q\n"
        if i < 2:
            ax0, ax1, ay = bx + bw + 0.15 * gaps, bx + bw + 0.85 * gaps, base + box_h / 2
            out += (b"q 0.2 G 0.2 g 1.2 w " + n(ax0) + b" " + n(ay) + b" m " + n(ax1 - 5) + b" " + n(ay) + b" l S "
                    + n(ax1) + b" " + n(ay) + b" m " + n(ax1 - 6) + b" " + n(ay + 3.5) + b" l "
                    + n(ax1 - 6) + b" " + n(ay - 3.5) + b" l f Q\n")
        bx += bw + gaps
    out += b"Q\n"
    return bytes(out)


def _draw_forgetting(x: float, y: float, w: float, h: float) -> bytes:
    """Recall against time: one curve left alone (light), one reviewed at growing intervals (dark)."""
    n = _num
    out = bytearray(b"q 0.97 g " + n(x) + b" " + n(y) + b" " + n(w) + b" " + n(h) + b" re f\n")
    ox, oy = x + 0.07 * w, y + 0.12 * h
    pw, ph = 0.88 * w, 0.78 * h
    out += (b"0.2 G 0.9 w " + n(ox) + b" " + n(oy + ph) + b" m " + n(ox) + b" " + n(oy) + b" l "
            + n(ox + pw) + b" " + n(oy) + b" l S\n")
    threshold = 0.7
    out += (b"q [3 3] 0 d 0.55 G 0.6 w " + n(ox) + b" " + n(oy + threshold * ph) + b" m " + n(ox + pw) + b" "
            + n(oy + threshold * ph) + b" l S Q\n")
    horizon = 30.0

    def point(t: float, recall: float) -> bytes:
        return n(ox + t / horizon * pw) + b" " + n(oy + recall * ph)

    def curve(reviews: list[float], stability: list[float]) -> bytes:
        path = bytearray()
        for i, start in enumerate(reviews):
            end = reviews[i + 1] if i + 1 < len(reviews) else horizon
            steps = max(4, int((end - start) * 3))
            for s in range(steps + 1):
                t = start + (end - start) * s / steps
                recall = math.exp(-(t - start) / stability[i])
                path += point(t, recall) + (b" m " if i == 0 and s == 0 else b" l ")
            if i + 1 < len(reviews):
                path += point(end, 1.0) + b" l "
        return bytes(path)

    out += b"q 0.7 G 1 w " + curve([0.0], [2.5]) + b"S Q\n"
    reviews = [0.0, 1.0, 3.2, 8.0, 17.0]
    stability = [2.5, 6.0, 13.0, 26.0, 60.0]
    out += b"q 0.1 G 1.6 w " + curve(reviews, stability) + b"S Q\n"
    for t in reviews[1:]:
        out += b"q 0.35 g " + _circle(ox + t / horizon * pw, oy + ph, 2.2) + b"f Q\n"
    out += b"Q\n"
    return bytes(out)


# ----------------------------------------------------------------------------------- random papers

_METHODS = ["contrastive pretraining", "sparse attention", "low-rank adaptation", "knowledge distillation",
            "diffusion models", "mixture of experts", "self-supervised learning", "graph neural networks",
            "policy optimization", "weight quantization", "retrieval augmentation", "curriculum learning",
            "data augmentation", "neural architecture search", "meta-learning", "instruction tuning",
            "state space models", "vision transformers", "normalizing flows", "variational inference",
            "residual networks", "masked autoencoders", "label smoothing", "batch normalization"]
_TASKS = ["image classification", "machine translation", "object detection", "question answering",
          "language modeling", "semantic segmentation", "speech recognition", "few-shot learning",
          "code generation", "protein structure prediction", "video understanding",
          "offline reinforcement learning", "time-series forecasting", "text summarization",
          "domain adaptation", "image generation", "recommendation", "molecular property prediction"]
_DATASETS = ["ImageNet", "CIFAR-10", "CIFAR-100", "COCO", "WMT14", "SQuAD", "GLUE", "LibriSpeech",
             "Kinetics-400", "WikiText-103", "ADE20K", "HumanEval", "D4RL", "C4", "OGB", "MovieLens"]
_METRICS = ["top-1 accuracy", "BLEU", "mean average precision", "F1 score", "perplexity", "word error rate",
            "mIoU", "exact match", "pass@1", "normalized return", "FID", "AUROC"]
_ADJECTIVES = ["efficient", "scalable", "robust", "simple", "adaptive", "hierarchical", "sparse",
               "lightweight", "unified", "calibrated", "compositional", "stable", "data-efficient",
               "modular", "differentiable", "memory-efficient"]
_NOUNS = ["encoder", "objective", "representation", "regularizer", "learning rate schedule", "architecture",
          "estimator", "tokenizer", "decoder", "memory module", "loss function", "optimizer", "attention layer",
          "routing function", "projection head", "reward model"]
_CAP_NOUNS = ["Transformers", "Networks", "Representations", "Objectives", "Encoders", "Agents", "Models",
              "Priors", "Embeddings", "Adapters"]
_FIRST = ["Alice", "Wei", "Sofia", "Rahul", "Jonas", "Mei", "Omar", "Elena", "Kenji", "Priya", "Lucas",
          "Fatima", "Noah", "Yuki", "Amara", "Daniel", "Chen", "Ines", "Mateo", "Hana", "Tomasz", "Leila",
          "Samuel", "Aiko", "Victor", "Zara"]
_LAST = ["Smith", "Chen", "Garcia", "Kumar", "Muller", "Wang", "Haddad", "Petrova", "Tanaka", "Sharma",
         "Silva", "Okafor", "Johnson", "Sato", "Nowak", "Rossi", "Kim", "Dubois", "Larsen", "Ahmed", "Zhang",
         "Novak", "Fischer", "Moreau", "Singh", "Lopez"]
_INSTITUTIONS = ["University of Toronto", "ETH Zurich", "Carnegie Mellon University", "University of Oxford",
                 "Tsinghua University", "MIT", "University of Tokyo", "EPFL", "Stanford University",
                 "University of Amsterdam", "KAIST", "Mila, Universite de Montreal", "Example Research Lab"]
_CONFERENCES = ["Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
                "Proceedings of the International Conference on Machine Learning (ICML)",
                "International Conference on Learning Representations (ICLR)",
                "Advances in Neural Information Processing Systems (NeurIPS)",
                "Proceedings of the Annual Meeting of the Association for Computational Linguistics (ACL)",
                "Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP)",
                "Proceedings of the AAAI Conference on Artificial Intelligence",
                "European Conference on Computer Vision (ECCV)"]
_JOURNALS = ["Journal of Machine Learning Research", "Nature", "Transactions on Machine Learning Research",
             "IEEE Transactions on Pattern Analysis and Machine Intelligence", "Communications of the ACM",
             "Neural Computation"]

_SENTENCES = [
    "We propose a {adj} {noun} for {task} that builds on recent advances in {method}.",
    "Prior work on {method} has largely focused on {task}, leaving open how the same ideas transfer to {task2}.",
    "On {dataset}, our approach improves {metric} by {small} points over a strong baseline [{cite}].",
    "This suggests that the {noun} is the main bottleneck when training at scale.",
    "Following [{cite}], we train all models for {epochs} epochs with a batch size of {batch}.",
    "We observe that {adj} variants of the {noun} are consistently more {adj2} than their dense counterparts.",
    "A natural question is whether {method} remains effective when labelled data is scarce.",
    "In contrast to [{cite}], we do not rely on {method} at any stage of training.",
    "The learning rate is warmed up linearly over the first {steps} steps and then decayed with a cosine schedule.",
    "All results are averaged over {seeds} random seeds, and we report the standard deviation in parentheses.",
    "Our analysis reveals a clear trade-off between {metric} and computational cost.",
    "We hypothesize that this gap is caused by a collapse of the {noun} early in training.",
    "Ablating the {noun} reduces {metric} from {big} to {big2}, which confirms its importance.",
    "Recent studies [{cite}, {cite2}] report similar trends for {task}.",
    "We leave a more thorough investigation of {method} to future work.",
    "Each {noun} is implemented as a two-layer MLP with a hidden size of {hidden}.",
    "The resulting model contains {params} million parameters and fits on a single accelerator.",
    "Compared with {method}, the proposed {noun} requires no additional supervision.",
    "Interestingly, the gains are largest on {dataset}, where the distribution shift is most severe.",
    "Let x denote the input and f(x) the output of the {noun}; we minimize the expected loss over the "
    "training distribution.",
    "The results in the main comparison (Table {table}) show that the {adj} {noun} matches the baseline "
    "with fewer parameters.",
    "As the learning curves show (see Figure {figure}), the {adj} variant converges roughly {factor} times faster.",
    "We use the standard splits of {dataset} and {dataset2} and tune hyperparameters on the validation set only.",
    "Surprisingly, a {adj} {noun} trained with {method} outperforms much larger models on {task}.",
    "This observation motivates the design of our {noun}, which we describe next.",
    "Our implementation is based on publicly available code, and we will release all checkpoints.",
    "Unlike earlier approaches to {task}, our method scales linearly with the sequence length.",
    "The improvement is consistent across model sizes, although it shrinks for the largest models.",
    "To isolate the effect of {method}, we keep the {noun} fixed and vary only the training data.",
    "These findings are in line with the theoretical analysis of [{cite}].",
]

_SECTION_POOL = [  # (title, subsection titles)
    ("Related Work", ["Efficient Architectures", "Self-Supervised Learning", "Evaluation Protocols"]),
    ("Background", ["Problem Setting", "Notation", "Preliminaries"]),
    ("Method", ["Model Architecture", "Training Objective", "Inference", "Complexity Analysis"]),
    ("Experiments", ["Datasets", "Baselines", "Implementation Details", "Main Results"]),
    ("Results", ["Comparison with Prior Work", "Scaling Behaviour", "Qualitative Results"]),
    ("Analysis", ["Ablation Studies", "Sensitivity to Hyperparameters", "Failure Cases"]),
    ("Discussion", ["Why Does It Work?", "Broader Impact"]),
    ("Limitations", ["Compute Budget", "Generalization"]),
]
_LEVEL3 = ["Data Preprocessing", "Optimization", "Hardware", "Evaluation Metrics", "Tokenization"]

_FIGURE_CAPTIONS = [
    "Overview of the proposed {adj} {noun}.",
    "{Metric} on {dataset} as a function of training steps.",
    "Qualitative examples from {dataset}.",
    "Effect of the {noun} size on {metric}.",
    "Attention maps of the {noun} for three random inputs.",
    "Scaling behaviour of {method} with model size.",
]
_TABLE_CAPTIONS = [
    "Comparison with prior work on {dataset}.",
    "Ablation of the {noun} on {dataset}.",
    "Hyperparameters used for {task}.",
    "Results on {dataset} and {dataset2}, averaged over {seeds} seeds.",
]
_CAPTION_TAILS = [
    "Shaded regions show one standard deviation over {seeds} seeds.",
    "Higher is better.",
    "Our method is shown in the last row.",
    "All models are trained with the same compute budget.",
    "Best viewed in colour.",
]


def _fill(rng: random.Random, template: str, n_refs: int, figures: int = 1, tables: int = 1) -> str:
    picks = {
        "adj": rng.choice(_ADJECTIVES), "adj2": rng.choice(_ADJECTIVES), "noun": rng.choice(_NOUNS),
        "task": rng.choice(_TASKS), "task2": rng.choice(_TASKS), "method": rng.choice(_METHODS),
        "dataset": rng.choice(_DATASETS), "dataset2": rng.choice(_DATASETS), "metric": rng.choice(_METRICS),
        "small": f"{rng.uniform(0.3, 4.5):.1f}", "big": f"{rng.uniform(60, 90):.1f}",
        "big2": f"{rng.uniform(40, 59):.1f}", "cite": rng.randint(1, max(n_refs, 1)),
        "cite2": rng.randint(1, max(n_refs, 1)), "epochs": rng.choice([10, 30, 90, 100, 300]),
        "batch": rng.choice([64, 128, 256, 1024, 4096]), "steps": rng.choice([500, 1000, 2000, 10000]),
        "seeds": rng.choice([3, 5, 10]), "hidden": rng.choice([256, 512, 1024, 2048]),
        "params": rng.choice([12, 86, 125, 340, 1300]), "table": rng.randint(1, max(tables, 1)),
        "figure": rng.randint(1, max(figures, 1)), "factor": rng.choice(["two", "three", "four"]),
    }
    picks["Metric"] = picks["metric"][0].upper() + picks["metric"][1:]
    return _AN.sub(r"\1n \2", template.format(**picks))


_AN = re.compile(r"\b([Aa]) ([aeiouAEIOU])")


def _paragraph(rng: random.Random, n_refs: int, figures: int, tables: int, sentences: tuple[int, int]) -> str:
    count = rng.randint(*sentences)
    return " ".join(_fill(rng, rng.choice(_SENTENCES), n_refs, figures, tables) for _ in range(count))


def _arxiv_id(rng: random.Random, year: int) -> str:
    if year < 2007 and rng.random() < 0.5:
        archive = rng.choice(["cs", "math", "stat", "hep-th"])
        return f"{archive}/{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 999):03d}"
    digits = 5 if year >= 2015 else 4
    year = max(year, 2008)
    return f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(1, 10 ** digits - 1):0{digits}d}"


def _doi(rng: random.Random, year: int) -> str:
    return rng.choice([
        f"10.1145/{rng.randint(3000000, 3700000)}",
        f"10.1145/{rng.randint(3000000, 3700000)}.{rng.randint(3000000, 3700000)}",
        f"10.18653/v1/{year}.acl-main.{rng.randint(1, 800)}",
        f"10.18653/v1/N{year % 100:02d}-{rng.randint(1000, 1500)}",
        f"10.1109/CVPR.{year}.{rng.randint(10, 900)}",
        f"10.1038/s41586-{year % 100:02d}{rng.randint(1, 9)}-0{rng.randint(1000, 9999)}-{rng.randint(0, 9)}",
        f"10.1162/neco.{year}.{rng.randint(1, 12):02d}-{rng.randint(100, 999)}",
    ])


def _reference(rng: random.Random, max_year: int) -> tuple[str, str]:
    """A reference entry, in the "J. Smith, K. Lee, and ..." form and in the author-year form."""
    year = rng.randint(max(1990, max_year - 12), max_year)
    names = [f"{rng.choice(_FIRST)[0]}. {rng.choice(_LAST)}" for _ in range(rng.randint(1, 6))]
    all_names = len(names) < 5 or rng.random() < 0.5
    authors = _join_names(names) if all_names else f"{names[0]} et al."
    inverted = [f"{n.split('. ', 1)[1]}, {n.split('. ', 1)[0]}." for n in names]  # "J. Smith" -> "Smith, J."
    if not all_names:
        inverted = [f"{inverted[0]} et al."]
    author_year = inverted[0] if len(inverted) == 1 else "; ".join(inverted[:-1]) + "; and " + inverted[-1]
    title = _fill(rng, rng.choice([
        "{Adj} {method} for {task}", "On the {noun} of {method}", "Learning {adj} representations with {method}",
        "{Adj} {task} via {method}", "Rethinking {method} for {task}", "A study of {method} at scale",
    ]).replace("{Adj}", rng.choice(_ADJECTIVES).capitalize()), 1)
    title = title[0].upper() + title[1:]
    form = rng.random()
    if form < 0.22:
        venue = f"arXiv preprint arXiv:{_arxiv_id(rng, year)}, {year}."
    elif form < 0.34:
        venue = f"arXiv:{_arxiv_id(rng, year)}{rng.choice(['', 'v2', 'v3'])}, {year}."
    elif form < 0.42:
        venue = f"CoRR, abs/{_arxiv_id(rng, max(year, 2008))}, {year}."
    elif form < 0.55:
        venue = (f"{rng.choice(_JOURNALS)}, {rng.randint(1, 60)}({rng.randint(1, 12)}):"
                 f"{(p := rng.randint(1, 900))}-{p + rng.randint(5, 30)}, {year}. doi:{_doi(rng, year)}")
    elif form < 0.66:
        venue = f"In {rng.choice(_CONFERENCES)}, {year}. https://doi.org/{_doi(rng, year)}"
    elif form < 0.74:
        venue = f"In {rng.choice(_CONFERENCES)}, {year}. arXiv:{_arxiv_id(rng, year)}."
    else:
        venue = (f"In {rng.choice(_CONFERENCES)}, pages {(p := rng.randint(1, 9000))}-{p + rng.randint(8, 12)}, "
                 f"{year}.")
    return f"{authors.rstrip('.')}. {title}. {venue}", f"{author_year.rstrip('.')}. {year}. {title}. {venue}"


_MIN_CHARS = 16500


def random_spec(rng: random.Random, n_sections: int | None = None) -> PaperSpec:
    """A plausible ML paper: `n_sections` (default 4-9) level-1 sections from "Introduction" to
    "Conclusion", some with subsections (rarely a level-3 one), 2-6 figure/table captions, 8-40 references
    of which many carry arXiv ids or DOIs in the usual forms."""
    n_sections = n_sections if n_sections is not None else rng.randint(4, 9)
    n_sections = max(n_sections, 2)
    year = rng.randint(2015, 2025)
    n_refs = rng.randint(8, 40)
    n_captions = rng.randint(2, 6)
    kinds = [rng.choice(["figure", "figure", "table"]) for _ in range(n_captions)]
    n_fig, n_tab = kinds.count("figure"), kinds.count("table")

    def para(lo: int = 3, hi: int = 7) -> str:
        return _paragraph(rng, n_refs, n_fig, n_tab, (lo, hi))

    middle_pool = list(_SECTION_POOL)
    picks = sorted(rng.sample(range(len(middle_pool)), min(n_sections - 2, len(middle_pool))))
    middles = [middle_pool[i] for i in picks]
    while len(middles) < n_sections - 2:
        middles.append((f"Additional Experiments {len(middles) - len(picks) + 1}", ["Setup", "Findings"]))
    sections = [SpecSection("Introduction", 1, [para(4, 7) for _ in range(rng.randint(2, 4))])]
    level3_done = False
    for title, sub_titles in middles:
        n_subs = rng.choice([0, 0, 2, 2, 3, 4]) if len(sub_titles) >= 2 else 0
        n_subs = min(n_subs, len(sub_titles))
        body = [para() for _ in range(rng.randint(0 if n_subs else 1, 3))]
        sections.append(SpecSection(title, 1, body))
        for sub in rng.sample(sub_titles, n_subs):
            sections.append(SpecSection(sub, 2, [para() for _ in range(rng.randint(1, 3))]))
            if not level3_done and rng.random() < 0.12:
                level3_done = True
                for sub3 in rng.sample(_LEVEL3, 2):
                    sections.append(SpecSection(sub3, 3, [para(2, 5)]))
    sections.append(SpecSection("Conclusion", 1, [para(3, 6) for _ in range(rng.randint(1, 2))]))
    references, author_year = (list(forms) for forms in zip(*(_reference(rng, year) for _ in range(n_refs)),
                                                             strict=True))
    abstract = _paragraph(rng, n_refs, n_fig, n_tab, (5, 8))
    # Enough text that even the densest style (two columns of 9 pt on A4) fills three pages.
    total = len(abstract) + sum(map(len, references)) + sum(len(p) for s in sections for p in s.paragraphs)
    while total < _MIN_CHARS:
        section = sections[rng.randrange(len(sections) - 1)]
        section.paragraphs.append(para())
        total += len(section.paragraphs[-1]) + 1

    candidates = [i for i, s in enumerate(sections) if i > 0 and s.paragraphs] or [0]
    places = sorted(rng.choice(candidates[:-1] or candidates) for _ in range(n_captions))
    captions = []
    counters = {"figure": 0, "table": 0}
    for kind, place in zip(kinds, places, strict=False):
        counters[kind] += 1
        pool = _FIGURE_CAPTIONS if kind == "figure" else _TABLE_CAPTIONS
        text = _fill(rng, rng.choice(pool), n_refs)
        if rng.random() < 0.5:
            text += " " + _fill(rng, rng.choice(_CAPTION_TAILS), n_refs)
        captions.append(SpecCaption(kind, f"{'Figure' if kind == 'figure' else 'Table'} {counters[kind]}", text,
                                    place))

    adj, method, task = rng.choice(_ADJECTIVES), rng.choice(_METHODS), rng.choice(_TASKS)
    name = rng.choice(["Flux", "Lattice", "Prism", "Nimbus", "Quill", "Helix", "Beacon", "Sparrow"])
    title = rng.choice([
        f"{adj.capitalize()} {method.title()} for {task.title()}",
        f"{name}: {adj.capitalize()} {rng.choice(_CAP_NOUNS)} for {task.title()}",
        f"On the {rng.choice(['Robustness', 'Generalization', 'Sample Efficiency', 'Calibration'])} of "
        f"{method.title()}",
        f"Towards {adj.capitalize()} {task.title()} via {method.title()}",
        f"{method.title()} Is All You Need for {task.title()}",
    ])
    authors = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(1, 7))]
    affiliations = rng.sample(_INSTITUTIONS, rng.randint(0, 2))
    return PaperSpec(title, authors, abstract, sections, captions, references, year, affiliations, author_year)


def random_style(rng: random.Random) -> Style:
    if rng.random() < 0.15:
        return _roman_style(rng)
    return _random_style(rng)


def random_paper_parts(rng: random.Random) -> tuple[PaperSpec, Style]:
    """random_spec, then random_style, then the choices added since, drawn last so that a seed gives the
    layout it gave before they existed, give or take these."""
    spec, style = random_spec(rng), random_style(rng)
    _later_choices(rng, spec, style)
    return spec, style


_RUN_IN_TITLES = ["Training", "Data", "Models", "Baselines", "Evaluation protocol", "Implementation details",
                  "Hyperparameters", "Compute"]


def _later_choices(rng: random.Random, spec: PaperSpec, style: Style) -> None:
    """A bold body font; AAAI's unnumbered look (centred sections, a subsection opening with "A"); numbered
    sections over unnumbered subsections; bold run-in paragraph headings; the author line in several forms."""
    if not style.roman and rng.random() < 0.12:  # everything bold: headings only larger
        body = style.body_size
        h1, h2, h3 = style.heading_sizes
        style.body_bold, style.heading_bold = True, True
        style.heading_sizes = (max(h1, body + 3), max(h2, body + 2), max(h3, body + 1))
    if not style.numbered and not style.roman and rng.random() < 0.6:
        style.center_level1 = True
        subsections = [s for s in spec.sections if _level(s) == 2]
        if subsections:
            sub = rng.choice(subsections)
            sub.title = f"A Closer Look at {sub.title}"
    levels = [_level(s) for s in spec.sections]
    if style.numbered and not style.roman and levels.count(2) >= 3 and 3 not in levels and rng.random() < 0.25:
        style.number_depth = 1  # a style is a heading style when used three times or more
    if not style.body_bold and rng.random() < 0.3:
        places = [(i, k) for i, s in enumerate(spec.sections) for k in range(1, len(s.paragraphs))]
        chosen = sorted(rng.sample(places, min(len(places), rng.randint(2, 4))))
        if len(chosen) >= 2:
            titles = rng.sample(_RUN_IN_TITLES, len(chosen))
            spec.run_ins = dict(zip(chosen, titles, strict=True))
    style.author_form = rng.choice(["and", "and", "ieee", "marks", "bold", "stacked"])


def _roman_style(rng: random.Random) -> Style:
    """IEEE- or REVTeX-like: two columns, every heading in the body's size and weight, run-in abstract."""
    body = rng.choice([9, 9.5, 10])
    base = _random_style(rng)
    return dataclasses.replace(
        base, columns=2, margin=rng.uniform(45, 60), body_size=body, heading_sizes=(body, body, body), heading_bold=False,
        caption_size=min(body, base.caption_size), reference_size=max(8, min(body, base.reference_size)),
        heading_font=None, numbered=True, roman=True, number_sep=". ", upper_case_level1=True,
        abstract_style="inline", references_title="REFERENCES")


def _random_style(rng: random.Random) -> Style:
    """A plausible typesetting: one or two columns, Times or Helvetica, heading sizes above the body (or,
    when bold, sometimes equal to it for lower levels), numbered or not, letter or A4, and so on."""
    columns = rng.choice([1, 2])
    body_font = rng.choices(["Times-Roman", "Helvetica"], weights=[3, 1])[0]
    body = rng.choice([10, 10.5, 11]) if columns == 1 else rng.choice([9, 9.5, 10])
    bold = rng.random() < 0.85
    if bold:
        h1 = body + rng.choice([1, 2, 2, 3, 4])
        h2 = max(body, h1 - rng.choice([1, 1, 2]))
        h3 = max(body, h2 - rng.choice([0, 1]))
    else:
        h3 = body + 1
        h2 = h3 + rng.choice([1, 1.5])
        h1 = h2 + rng.choice([1.5, 2, 3])
    style = Style(
        columns=columns,
        body_font=body_font,
        body_size=body,
        heading_sizes=(h1, h2, h3),
        heading_bold=bold,
        heading_font="Helvetica" if body_font == "Times-Roman" and rng.random() < 0.2 else None,
        numbered=rng.random() < 0.85,
        number_sep=rng.choice([" ", " ", ". "]),
        upper_case_level1=rng.random() < 0.25,
        title_size=max(rng.choice([14, 15, 16, 17, 18, 20]), h1 + 2),
        page_size=rng.choice(["letter", "a4"]),
        margin=rng.uniform(60, 90) if columns == 1 else rng.uniform(45, 60),
        gutter=rng.uniform(16, 24),
        leading=rng.uniform(1.12, 1.25),
        justify=rng.random() < 0.75,
        paragraph_indent=rng.choice([0, body, 1.5 * body]) if rng.random() < 0.6 else 0,
        abstract_style=rng.choice(["heading", "inline"]),
        caption_size=min(body, rng.choice([8.5, 9, body])),
        caption_sep=rng.choice([": ", ": ", ". "]),
        references_title=rng.choice(["References", "References", "REFERENCES", "Bibliography"]),
        reference_size=max(8, min(body, rng.choice([body, body - 1, 9]))),
        reference_labels=rng.random() < 0.8,
        metadata=rng.random() < 0.5,
        footnote=rng.choice([None, None, None, "Preprint. Under review.",
                             "Code and models are available at https://github.com/example/project."]),
        seed=rng.randrange(1 << 30),
    )
    # Drawn after the rest, so that a seed gives the layout it gave before these existed, give or take these.
    if not style.reference_labels:
        style.author_year = rng.random() < 0.6
        style.reference_hang = not style.author_year or rng.random() < 0.4  # flush left is an author-year style
    if rng.random() < 0.3:
        style.abstract_style = rng.choice(["dash", "none"])
    style.roman_tables = rng.random() < 0.25
    style.table_label_above = style.roman_tables and rng.random() < 0.5
    if style.reference_labels and rng.random() < 0.15:  # "1. Author ..." in a small size, as Nature's journals set it
        nature_style(style)
    return style


def nature_style(style: Style) -> Style:
    """The style with its references numbered "1.", "2.", ... in three quarters of the body's size."""
    style.reference_labels, style.reference_label = True, "{}."
    style.reference_size = round(style.body_size * 0.75 * 2) / 2
    return style


def random_paper(seed: int, path: Path) -> tuple[PaperSpec, Style, Path]:
    """random_spec and random_style from one seed, built at path."""
    spec, style = random_paper_parts(random.Random(seed))
    return spec, style, build_pdf(spec, style, path)


# ----------------------------------------------------------------------------------------- the demo

DEMO_STYLE = Style(
    columns=1,
    body_font="Times-Roman",
    body_size=11,
    heading_sizes=(14, 12, 11),
    heading_bold=True,
    numbered=True,
    title_size=18,
    page_size="letter",
    margin=78,
    leading=1.22,
    justify=True,
    paragraph_indent=0,
    abstract_style="heading",
    caption_size=9.5,
    references_title="References",
    reference_size=10,
    reference_labels=True,
    metadata=True,
    seed=2026,
)

_DEMO_TITLE = "How to Read a Paper, in Three Passes: a readroom demo"

_DEMO_ABSTRACT = (
    "Hardly anyone is taught how to read a research paper. Most of us open the PDF, start at the first word "
    "and push on until we run out of time or patience, and a week later we remember little beyond the title. "
    "This note describes a better habit: read every paper in up to three passes, each with its own goal and "
    "time budget, and decide after each pass whether the paper deserves the next. The first pass is a "
    "ten-minute skim that tells you what kind of paper you hold; the second, about an hour long, gives you "
    "its content; the third rebuilds the paper in your own head so that you can judge it. We also show how "
    "the same passes organise a literature survey, how spaced repetition keeps what you read from fading, "
    "and how readroom supports each step. The document doubles as the demo paper that readroom shows on an "
    "empty library, so it has what a real paper has: numbered sections, figures, a table and references."
)

_DEMO_SECTIONS: list[tuple[str, int, list[str]]] = [
    ("Introduction", 1, [
        "Reading papers is a core part of the work of anyone who builds machine learning systems, and it "
        "keeps getting harder. Thousands of new papers appear on arXiv every month, and the ones that matter "
        "to you are mixed in with many that do not. Yet few people ever learn an explicit method for reading "
        "them. The default is to read linearly, from the abstract to the last reference, giving every "
        "paragraph the same attention. That is slow, it is tiring, and it spends the most effort exactly where "
        "it is least needed: on papers that you could have set aside after five minutes.",
        "A better approach, described in a short and much-shared note by Keshav [1], is to read in passes. "
        "Each pass has a clear purpose and a rough time budget, and each one ends with a decision: stop here, "
        "or go one level deeper. Most papers should stop after the first pass. Some earn a second. Only the "
        "few that you will build on, review, or teach deserve the third. The passes are cumulative, so none of "
        "the effort is wasted when a paper earns another look.",
        "The rest of this document explains the method in our own words and with machine learning papers in "
        "mind. Sections 2, 3 and 4 describe the three passes. Section 5 applies them to surveying a whole "
        "area, Section 6 turns to the problem of remembering what you have read, and Section 7 shows how "
        "readroom supports each step. Figure 1 gives the overall picture.",
        "None of this is a rigid procedure. The point is to make reading a deliberate activity with a goal, "
        "rather than something that happens to you. Adapt the budgets to your experience and to the paper in "
        "front of you; what matters is that you know which pass you are in and why.",
    ]),
    ("The First Pass: Skim for the Shape", 1, [
        "The first pass is a quick scan that should take five to ten minutes. Its goal is not to understand "
        "the paper but to learn what kind of paper it is, where it sits, and whether it deserves more of "
        "your time. You will often stop here, and that is the method working as intended, not a failure.",
    ]),
    ("What to read", 2, [
        "Read the title, the abstract and the introduction carefully. Then read only the section and "
        "subsection headings, skipping everything beneath them; the outline alone tells you how the argument "
        "is built. Glance at the equations just long enough to recognise the tools being used, not to follow "
        "them. Read the conclusion, which usually says plainly what the authors believe they achieved.",
        "Finally, skim the reference list and notice which entries you already know. A bibliography full of "
        "familiar names places the paper in a line of work you understand; one full of strangers tells you "
        "that you are entering new territory and that a second pass will cost more than usual.",
    ]),
    ("The five Cs", 2, [
        "At the end of the first pass you should be able to answer five questions, which Keshav calls the "
        "five Cs. Category: what type of paper is this, for example a new method, a measurement study, an "
        "analysis of existing methods, a benchmark, or a description of a system? Context: which other papers "
        "is it related to, and which theoretical ideas does it lean on? Correctness: do its assumptions look "
        "valid at first sight? Contributions: what are its main claims? Clarity: is it well written?",
        "Your answers decide what happens next. The paper may be outside your interests, the assumptions may "
        "look shaky, you may lack the background to follow it, or it may simply not be good enough to be "
        "worth an hour. In any of those cases, note the five Cs in a line or two and move on. If you are "
        "reading for breadth rather than depth, the first pass may be all you ever need from a paper.",
        "There is a lesson here for writers too. Many of your readers, including reviewers, will give your "
        "paper a first pass and nothing more. Informative headings, a concrete abstract and a conclusion "
        "that states your claims plainly are what that reader sees. If they cannot work out your five Cs in "
        "ten minutes, the paper will probably not get a second look.",
    ]),
    ("The Second Pass: Grasp the Content", 1, [
        "In the second pass you read the whole paper with care but still skip the details: proofs, long "
        "derivations and implementation minutiae can wait. Plan on up to an hour. Keep a pen or a note open "
        "and write down the key points as you go, along with terms you do not understand and questions you "
        "would like to ask the authors.",
    ]),
    ("Figures, tables and the main thrust", 2, [
        "Spend real time on the figures, diagrams and tables, because they often carry more of the argument "
        "than the prose. Check that the axes are labelled and that the units make sense. Look for error bars "
        "or some other indication of variance, and ask whether the differences being celebrated are larger "
        "than the noise. In machine learning papers, check which baselines were chosen, whether they were "
        "tuned with the same care as the proposed method, and whether the comparison uses the same data, "
        "compute and evaluation protocol.",
        "When you finish, you should be able to state the main thrust of the paper, with its supporting "
        "evidence, to someone else in a few sentences. If you cannot, that is a sign that you have not yet "
        "grasped it, or that the paper is not as clear as it looks. Table 1 summarises what each pass costs "
        "and what you should have in hand when it ends.",
    ]),
    ("Marking references for later", 2, [
        "While reading, mark the references that you have not read but that seem necessary for a full "
        "understanding, or that look interesting in their own right. These marks are the most valuable "
        "by-product of the second pass: they turn a single paper into the next few steps of a reading list, "
        "and they show you which earlier work the authors themselves considered essential.",
        "Sometimes the second pass ends with little understanding. The material may be new to you, the "
        "paper may rest on results you have not met, or it may simply be badly written. You then have three "
        "options: put the paper aside and accept that you do not need it; come back to it after reading the "
        "background material you marked; or push on into the third pass. All three are legitimate.",
    ]),
    ("The Third Pass: Re-derive the Paper", 1, [
        "The third pass is for papers that you must understand completely: one you are reviewing, one whose "
        "method you want to build on, or one you are going to present. It can take several hours for a "
        "newcomer to a field and about an hour for an experienced reader. The key idea is to re-implement the "
        "paper virtually. Start from the same assumptions as the authors, and recreate the work step by step "
        "as if you were writing it yourself. Then compare your version with theirs.",
        "The comparison is where the learning happens. You will notice the innovations that the authors made "
        "and you would not have, but also their hidden assumptions, the steps they skipped, the experiments "
        "they did not run and the related work they did not cite. For a machine learning paper it helps to "
        "write the training loop on paper: what exactly goes in, what the shapes of the tensors are at each "
        "step, what the loss is, which hyperparameters matter, and what would break if you changed them. Even "
        "better, implement a toy version: a residual block from He et al. [5] or a single attention layer "
        "from Vaswani et al. [4] is a few dozen lines, and writing them teaches more than a re-reading.",
        "Challenge every assumption and every statement as you go, and ask how you would have presented each "
        "idea. Note ideas for future work: limitations the authors acknowledge, and ones they do not. At the "
        "end of the third pass you should be able to reconstruct the structure of the paper from memory, name "
        "its strong and weak points, and point to the places where its argument is thinnest.",
    ]),
    ("Doing a Literature Survey", 1, [
        "The same passes scale up from one paper to a whole area. Suppose you need to learn what is known about "
        "a topic that is new to you. Reading everything is impossible, and reading in the order that a search "
        "engine happens to return is not much better. The survey proceeds in rounds instead, with the "
        "three passes doing the filtering.",
    ]),
    ("Finding the first papers", 2, [
        "Start with an academic search engine and a few well-chosen keywords, and pick three to five "
        "recent papers that are well cited or come from groups you trust. Give each of them a first pass to "
        "get a sense of the work, then read their related work sections. With luck you will find a recent "
        "survey, which saves a great deal of time; in machine learning, the related work sections of strong "
        "recent papers often play that role.",
        "Because the arXiv stream is so large, it also pays to let tools filter it for you. Karpathy's "
        "arxiv-sanity [2] popularised a useful idea: tag the papers you care about and let a simple model rank "
        "new submissions by their similarity to your tags. Recommendations like these are no substitute for "
        "judgment, but they cheaply cut a month of listings down to a few dozen first passes.",
    ]),
    ("Following the citation graph", 2, [
        "Next, look for shared citations and recurring author names in the bibliographies of your first "
        "papers. The papers that everybody cites are the key papers of the area; the names that keep appearing "
        "belong to its key researchers. Find where those papers were published: the top conferences and "
        "journals of the field. Give the key papers a second pass, and look at the recent proceedings of those "
        "venues for further strong work.",
        "Repeat until new rounds stop turning up papers you have not seen. The references you marked during "
        "second passes are the frontier of this search, and the result is a set of papers you understand to "
        "the depth each of them deserves, rather than a pile of half-read PDFs.",
    ]),
    ("Remembering What You Read", 1, [
        "Reading a paper well is only half of the job; the other half is still knowing what it said a few "
        "months later. Without any review, memory fades quickly. Ebbinghaus measured this more than a century "
        "ago by learning lists of nonsense syllables and testing himself after different delays [7]: most of "
        "what he learned was gone within days, but every relearning made the next loss slower. Figure 2 "
        "sketches this forgetting curve and the effect of reviews.",
    ]),
    ("Spaced repetition", 2, [
        "Spaced repetition turns that observation into a schedule. You review a piece of knowledge shortly "
        "before you would otherwise forget it; each successful review makes the memory more stable, so the "
        "next review can wait longer. Intervals grow from a day to a few days, then weeks, then months, and the "
        "total time spent reviewing stays small even as the collection of things you know grows large.",
        "The classic algorithm for choosing the intervals is SM-2, developed by Wozniak for the SuperMemo "
        "program [6]. It multiplies each interval by an ease factor that goes up or down with how well you "
        "recalled the item. Anki, the most widely used open-source flashcard program, began with a variant "
        "of SM-2 [8].",
    ]),
    ("Modern schedulers", 2, [
        "Newer schedulers replace the fixed rules with a model of memory fitted to real review histories. "
        "FSRS, the free spaced repetition scheduler, describes each card by its difficulty, its stability and "
        "its current retrievability, the probability that you would recall it now. Ye et al. [3] framed "
        "scheduling as a stochastic shortest path problem: choose the review times that reach a target "
        "level of retention at the lowest total cost in reviews. FSRS grew out of this line of work, and "
        "Anki now offers it as an alternative to SM-2.",
        "In practice this means you pick the retention you want, say ninety percent, and the scheduler "
        "decides when each card comes back. Cards you find easy drift out to intervals of months or years; "
        "cards you keep failing return often until they stick.",
    ]),
    ("What to put on cards", 2, [
        "Do not try to memorise a paper. Make a handful of cards, typically three to seven, that capture what "
        "you would want to recall in a discussion a year from now: the main claim, the key mechanism and why "
        "it works, one or two numbers that put the result in perspective, and perhaps the figure that best "
        "summarises it. Phrase each card as a question with a short answer, such as why residual connections "
        "make very deep networks easier to optimise, rather than as a passage to reread.",
        "The best moment to write cards is right after the second pass, when you know what the paper says "
        "and what surprised you. Cards written after a first pass tend to be shallow; cards written long "
        "after reading tend never to get written.",
    ]),
    ("How readroom Supports Each Pass", 1, [
        "readroom is built around this way of reading. You add a paper by its arXiv id, a URL, a DOI, a "
        "local PDF or the short name of a classic: for example `readroom add 1512.03385` or "
        "`readroom add resnet` for the same paper. readroom then fetches the metadata and the PDF and parses "
        "the paper's structure once, locally: its title, abstract, outline of sections, figure and table "
        "captions, and references. The catalogue shown by `readroom classics` lists papers that most machine "
        "learning engineers meet sooner or later, and marks the ones you already have.",
        "Run `readroom` with no arguments to open the reading room. The reader opens each paper on the pass "
        "it is in. In the first pass it shows only what that pass reads: the abstract, the introduction, the "
        "section headings without their bodies, the conclusion and the references, with references already "
        "in your library marked and any other one a key press away from your reading list. A checklist, a "
        "timer against a ten-minute budget and five short notes for the five Cs end with a decision: go on, "
        "park the paper, or drop it.",
        "The second pass opens the full text, the list of figures and tables with their captions, and the "
        "links to code found in the paper; the third adds a note for each section, for re-deriving its "
        "argument, and a checklist for re-implementing it. Notes and ticks are saved as you go. Turning what "
        "you mark into flashcards scheduled with FSRS, and exporting them to Anki, is the next step on "
        "readroom's road.",
        "This document is itself an example. If you are reading it inside readroom, the outline you see was "
        "recovered from the font sizes and weights in this PDF by the same parser that reads every other "
        "paper in your library.",
    ]),
    ("Conclusion", 1, [
        "Reading in three passes replaces one long, undifferentiated slog with a sequence of small decisions. "
        "The first pass costs minutes and tells you whether to continue; the second gives you the content and "
        "a reading list; the third makes the paper yours. Stopping early is not a failure but the main "
        "source of the method's efficiency, and it frees your time for the few papers that deserve it.",
        "Combined with a survey strategy that follows the citation graph, and with spaced repetition to keep "
        "what you learn, the method turns paper reading from an occasional heroic effort into a steady "
        "habit. Pick a paper you have been meaning to read, give it a first pass now, and see whether it "
        "earns a second.",
    ]),
]

_DEMO_CAPTIONS = [
    SpecCaption("figure", "Figure 1",
                "The three passes at a glance. Each pass costs more time than the one before, shown by the width "
                "of its box, and fewer papers reach it, shown by the dots above: most papers should stop after "
                "the first pass.", 0, drawing="passes"),
    SpecCaption("table", "Table 1", "What each pass costs and what it gives you.", 5, rows=[
        ["Pass", "Time", "What you read", "What you come away with"],
        ["First", "5-10 minutes", "title, abstract, headings", "the five Cs; stop or go on"],
        ["Second", "about an hour", "all of it but the proofs", "a summary; references to read"],
        ["Third", "hours", "everything, critically", "a re-derivation; open questions"],
    ]),
    SpecCaption("figure", "Figure 2",
                "An idealised forgetting curve. Left alone, recall of a new fact decays quickly (light curve). "
                "Each review (dot) restores it and flattens the decay that follows (dark curve), so the next "
                "review can come later. The dashed line marks a target retention.", 11, drawing="forgetting"),
]

_DEMO_REFERENCES = [
    "S. Keshav. How to read a paper. ACM SIGCOMM Computer Communication Review, 37(3):83-84, 2007. "
    "doi:10.1145/1273445.1273458",
    "A. Karpathy. arxiv-sanity: tag arXiv papers of interest and get recommendations of similar papers. "
    "https://github.com/karpathy/arxiv-sanity-lite, 2021.",
    "J. Ye, J. Su, and Y. Cao. A stochastic shortest path algorithm for optimizing spaced repetition "
    "scheduling. In Proceedings of the 28th ACM SIGKDD Conference on Knowledge Discovery and Data Mining, "
    "2022. https://doi.org/10.1145/3534678.3539081",
    "A. Vaswani, N. Shazeer, N. Parmar, J. Uszkoreit, L. Jones, A. N. Gomez, L. Kaiser, and I. Polosukhin. "
    "Attention is all you need. In Advances in Neural Information Processing Systems (NeurIPS), 2017. "
    "arXiv:1706.03762.",
    "K. He, X. Zhang, S. Ren, and J. Sun. Deep residual learning for image recognition. In Proceedings of the "
    "IEEE Conference on Computer Vision and Pattern Recognition (CVPR), 2016. arXiv preprint arXiv:1512.03385.",
    "P. A. Wozniak. Optimization of learning. Master's thesis, University of Technology in Poznan, 1990. "
    "The SuperMemo SM-2 algorithm.",
    "H. Ebbinghaus. Über das Gedächtnis: Untersuchungen zur experimentellen Psychologie. Duncker & Humblot, "
    "Leipzig, 1885.",
    "D. Elmes and contributors. The Anki manual. https://docs.ankiweb.net, 2026.",
]


def demo_spec() -> PaperSpec:
    """The demo paper readroom ships: the three-pass method, surveys, spaced repetition and readroom."""
    sections = [SpecSection(title, level, list(paragraphs)) for title, level, paragraphs in _DEMO_SECTIONS]
    captions = [SpecCaption(c.kind, c.label, c.text, c.section_index,
                            [list(r) for r in c.rows] if c.rows else None, c.drawing) for c in _DEMO_CAPTIONS]
    return PaperSpec(_DEMO_TITLE, ["The readroom team"], _DEMO_ABSTRACT, sections, captions,
                     list(_DEMO_REFERENCES), 2026)


def _main(argv: list[str]) -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Write the readroom demo paper (or a random paper) as a PDF.")
    parser.add_argument("path", type=Path, help="where to write the PDF")
    parser.add_argument("--random", type=int, metavar="SEED", help="write the random paper of this seed instead")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.random is not None:
        random_paper(args.random, args.path)
    else:
        build_pdf(demo_spec(), DEMO_STYLE, args.path)
    elapsed = time.perf_counter() - start
    with pymupdf.open(args.path) as doc:
        pages = doc.page_count
    print(f"{args.path}: {pages} pages, {args.path.stat().st_size / 1024:.1f} KB, built in {elapsed * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
