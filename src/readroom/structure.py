"""The parsed structure of a paper, as the PDF parser returns it and the library stores it.

Plain dataclasses so that storage, the CLI and the reader can use them without importing pymupdf.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    title: str
    level: int  # 1 = section, 2 = subsection, 3 = subsubsection
    page: int  # 1-based page where the heading stands
    text: str = ""  # the body text up to the next heading, for the reader


@dataclass
class Caption:
    kind: str  # "figure" or "table"
    label: str  # e.g. "Figure 3", "Table 1"
    caption: str  # the caption text, label included
    page: int  # 1-based
    image: str | None = None  # absolute path of the PNG of its region (pdf/figures.py), when one was found


@dataclass
class Reference:
    raw: str
    arxiv_id: str | None = None
    doi: str | None = None


@dataclass
class ParsedPaper:
    page_count: int
    title: str | None = None
    abstract: str | None = None
    authors: list[str] = field(default_factory=list)  # from PDF metadata when present
    year: int | None = None  # from PDF metadata when present
    sections: list[Section] = field(default_factory=list)
    figures: list[Caption] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    structure_source: str = "layout"  # where the sections came from: "outline" (the PDF's bookmarks) or "layout"
