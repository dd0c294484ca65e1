"""The layout parser on papers typeset with real publisher classes (tests/fixtures/templates): each gives the
sections its LaTeXML rendering lists, at the right level, with at most one junk heading.

The truth is the HTML's structure, less the headings the class does not print (REVTeX prints no "References").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from readroom.pdf.loader import open_pdf
from readroom.pdf.parse import parse_pdf
from readroom.sources.arxiv_html import parse_arxiv_html

from .fidelity import key, score_headings

TEMPLATES = Path(__file__).parent.parent / "fixtures" / "templates"
_NUMBER = re.compile(r"^(?:[IVX]+[-.])?(?:[IVX]+|\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\.?\s+")  # "II-A", "II.1", "2.1", "A"


def _truth(pdf: Path) -> dict:
    doc = open_pdf(pdf)
    printed = key(" ".join(page.get_text() for page in doc))
    doc.close()
    sections: list[dict] = []
    for s in parse_arxiv_html(pdf.with_suffix(".html").read_bytes()).sections:
        title = _NUMBER.sub("", s.title)
        if key(title) not in printed:
            continue
        if s.level == 1:
            sections.append({"title": title, "subsections": []})
        elif s.level == 2 and sections:
            sections[-1]["subsections"].append({"title": title})
    return {"sections": sections}


@pytest.mark.parametrize("name", [p.stem for p in sorted(TEMPLATES.glob("*.pdf")) if p.with_suffix(".html").exists()])
def test_each_template_gives_its_sections_at_their_levels(name):
    pdf = TEMPLATES / f"{name}.pdf"
    truth = _truth(pdf)
    paper = parse_pdf(pdf)
    score = score_headings(truth, [(s.level, s.title) for s in paper.sections])
    assert score["top_recall"] >= 0.95, [(s.level, s.title) for s in paper.sections]
    assert score["top_precision"] >= 0.95
    found, total = score["subsections_found"]
    assert found == total and score["levels_right"] == 1.0, [(s.level, s.title) for s in paper.sections]
    assert len(score["junk"]) <= 1, score["junk"]
    titles = {t["file"]: t["title"] for t in json.loads((TEMPLATES / "truth.json").read_text())["papers"]}
    assert paper.title == titles[pdf.name]
