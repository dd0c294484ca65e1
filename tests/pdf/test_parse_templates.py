"""The parser on papers typeset with the publishers' real classes (tests/fixtures/templates, built by build.sh):
each gives its abstract, all three references and both captions, whatever the class does with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readroom.pdf.parse import parse_pdf

from .fidelity import abstract_right

TEMPLATES = Path(__file__).parent.parent / "fixtures" / "templates"
ABSTRACT = "We revisit residual learning and show when identity shortcuts make very deep networks trainable."


@pytest.mark.parametrize("name", ["ieee", "revtex", "llncs", "acmart", "elsarticle"])
def test_abstract_references_and_captions(name):
    paper = parse_pdf(TEMPLATES / f"{name}.pdf")
    assert paper.abstract == ABSTRACT  # IEEE's run-in "Abstract—", REVTeX's unlabelled one
    # IEEE's and REVTeX's reference lists have no heading the parser finds; all have 3 entries.
    assert [r.raw.split()[1] for r in paper.references] == ["K.", "R.", "S."]
    assert paper.references[0].arxiv_id == "1512.03385"
    # "TABLE I" alone on a line above its caption (IEEE), "TABLE I." run in (REVTeX), "Table 1." elsewhere.
    assert [c.kind for c in paper.figures] == ["figure", "table"]
    assert "validation set" in paper.figures[1].caption.lower()


def _truth() -> list[dict]:
    return json.loads((TEMPLATES / "truth.json").read_text())["papers"]


@pytest.mark.parametrize("truth", _truth(), ids=lambda t: t["file"])
def test_each_template_as_its_truth_has_it(truth):
    """AAAI's author-year list set flush left gives one reference an entry, not one a line; JSS's addresses and
    imprint after its list are no entries; BMC's bold "Figure 1" with no punctuation after it is a caption."""
    paper = parse_pdf(TEMPLATES / truth["file"])
    assert abstract_right(truth, paper.abstract)
    assert len(paper.references) == truth["references"]
    kinds = [c.kind for c in paper.figures]
    assert (kinds.count("figure"), kinds.count("table")) == (truth["figure_captions"], truth["table_captions"])
