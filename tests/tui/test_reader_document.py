"""What each pass of the reader shows of a paper whose introduction has parts of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from readroom.records.papers import PaperDetail
from readroom.sources.arxiv_html import parse_arxiv_html
from readroom.tui.reader.document import build_document

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "latexml" / "runin.html"


def _detail() -> PaperDetail:
    paper = parse_arxiv_html(PAGE.read_bytes())
    return PaperDetail(id="p1", source="arxiv", title=paper.title, authors=paper.authors, year=2024, arxiv_id=None,
                       arxiv_version=None, classic_key=None, added_at=datetime(2024, 1, 1, tzinfo=UTC),
                       parse_status="parsed", abstract=paper.abstract, sections=paper.sections, page_count=2)


def test_pass_1_reads_the_whole_introduction_its_run_in_paragraphs_included():
    text = build_document(_detail(), 1).text
    assert "Gradient methods need a step size." in text
    assert "We bound the step by $\\eta\\leq 1/L$" in text  # \paragraph{Contributions.} is part of the introduction
    assert "Noise" in text and "has variance" not in text  # elsewhere pass 1 reads the headings only
    assert "Let $f$ be $L$-smooth." not in text


def test_pass_2_reads_every_run_in_paragraph():
    text = build_document(_detail(), 2).text
    assert "The noise $\\xi_{t}$ has variance $\\sigma^{2}$." in text
    assert "Tails heavier than $t^{-3}$ are excluded." in text
