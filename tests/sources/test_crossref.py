"""Crossref's work record reduced to readroom's fields: pure parsing of authored records shaped as the REST API
documents `GET /works/{doi}` (no recording of Crossref exists in ../shared)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readroom.sources.crossref import jats_text, work_of


def test_the_fields_readroom_keeps():
    found = work_of({
        "DOI": "10.1038/nature14539", "URL": "https://doi.org/10.1038/nature14539", "title": ["Deep learning"],
        "author": [{"given": "Yann", "family": "LeCun"}, {"family": "Bengio"}, {"name": "The Consortium"}, {}],
        "issued": {"date-parts": [[None]]}, "published-print": {"date-parts": [[2015, 5, 28]]},
        "container-title": [], "link": [{"URL": "https://x.test/a.xml", "content-type": "text/xml"},
                                        {"URL": "https://x.test/a.pdf", "content-type": "application/pdf"}],
    })
    assert (found.title, found.authors, found.year) == ("Deep learning", ["Yann LeCun", "Bengio", "The Consortium"], 2015)
    assert (found.venue, found.abstract, found.pdf_url) == (None, "", "https://x.test/a.pdf")


def test_a_record_without_a_title_is_named_by_its_doi():
    assert work_of({"DOI": "10.1000/x", "title": []}).title == "10.1000/x"


def test_a_jats_abstract_loses_its_tags_and_heading_and_keeps_its_paragraphs():
    jats = ('<jats:title>Abstract</jats:title><jats:p>We use <jats:italic>x</jats:italic> &amp; '
            '<jats:sup>2</jats:sup> <script>alert(1)</script>.</jats:p>\n<jats:p>Second\n  one.</jats:p>')
    assert jats_text(jats) == "We use x & 2 alert(1).\n\nSecond one."
    assert jats_text("Plain text, no tags.") == "Plain text, no tags."


@given(st.text())
def test_any_abstract_gives_text_without_markup(text):
    assert "<jats:" not in jats_text(f"<jats:p>{text.replace('<', ' ')}</jats:p>")
