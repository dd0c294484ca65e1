"""Every form of identifier a user may paste after `readroom add`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readroom.errors import BadInput
from readroom.sources.ids import (
    ArxivRef,
    ClassicName,
    Doi,
    LocalPdf,
    PdfUrl,
    arxiv_ids_in,
    parse_identifier,
    printed_ids,
)

RESNET = ArxivRef("1512.03385")


@pytest.mark.parametrize("text, expected", [
    ("1512.03385", RESNET),
    ("1512.03385v2", ArxivRef("1512.03385", 2)),
    ("arXiv:1512.03385", RESNET),
    ("ARXIV:1512.03385v1", ArxivRef("1512.03385", 1)),
    ("https://arxiv.org/abs/1512.03385", RESNET),
    ("https://arxiv.org/abs/1512.03385v3", ArxivRef("1512.03385", 3)),
    ("https://arxiv.org/pdf/1512.03385", RESNET),
    ("https://arxiv.org/pdf/1512.03385.pdf", RESNET),
    ("https://arxiv.org/pdf/1512.03385v1.pdf", ArxivRef("1512.03385", 1)),
    ("http://export.arxiv.org/abs/1512.03385", RESNET),
    ("https://arxiv.org/html/1512.03385v2/", ArxivRef("1512.03385", 2)),
    ("https://www.arxiv.org/abs/1512.03385?context=cs", RESNET),
    ("hep-th/9901001", ArxivRef("hep-th/9901001")),
    ("math.GT/0309136", ArxivRef("math/0309136")),
    ("math.GT/0309136v2", ArxivRef("math/0309136", 2)),
    ("https://arxiv.org/abs/hep-th/9901001v1", ArxivRef("hep-th/9901001", 1)),
    ("10.48550/arXiv.1512.03385", RESNET),
    ("https://doi.org/10.48550/arXiv.1512.03385", RESNET),
    ("doi:10.48550/arxiv.1512.03385", RESNET),
    ("1311.2901", ArxivRef("1311.2901")),  # before 2015: four digits
    ("  1512.03385  ", RESNET),
])
def test_arxiv_forms(text, expected):
    assert parse_identifier(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("resnet", ClassicName("resnet")),
    ("Fast R-CNN", ClassicName("Fast R-CNN")),
    ("paper.pdf", LocalPdf(Path("paper.pdf"))),
    ("~/papers/x.PDF", LocalPdf(Path("~/papers/x.PDF").expanduser())),
    ("https://proceedings.neurips.cc/paper/2012/file/abc-Paper.pdf", PdfUrl("https://proceedings.neurips.cc/paper/2012/file/abc-Paper.pdf")),
    ("10.1038/nature14539", Doi("10.1038/nature14539")),
    ("https://doi.org/10.1145/3292500.3330701", Doi("10.1145/3292500.3330701")),
])
def test_other_forms(text, expected):
    assert parse_identifier(text) == expected


@pytest.mark.parametrize("text, words", [
    ("1512.0338", "5 digits"),
    ("1412.12345", "4 digits"),
    ("1513.03385", "not a year and month"),
    ("1512.03385v0", "versions start at v1"),
    ("https://arxiv.org/list/cs.LG/recent", "not of a paper"),
    ("", "empty"),
])
def test_malformed(text, words):
    with pytest.raises(BadInput, match=words):
        parse_identifier(text)


@given(year=st.integers(15, 99), month=st.integers(1, 12), number=st.integers(0, 99999), version=st.none() | st.integers(1, 30))
def test_new_style_ids_round_trip_through_every_form(year, month, number, version):
    arxiv_id = f"{year:02d}{month:02d}.{number:05d}"
    suffix = f"v{version}" if version else ""
    expected = ArxivRef(arxiv_id, version)
    for form in (arxiv_id + suffix, f"arXiv:{arxiv_id}{suffix}", f"https://arxiv.org/abs/{arxiv_id}{suffix}",
                 f"https://arxiv.org/pdf/{arxiv_id}{suffix}.pdf", f"10.48550/arXiv.{arxiv_id}{suffix}"):
        assert parse_identifier(form) == expected
    assert str(expected) == arxiv_id + suffix


@given(st.text(min_size=1, max_size=40))
def test_any_text_is_classified_or_rejected_cleanly(text):
    try:
        parse_identifier(text)
    except BadInput as exc:
        assert "\n" not in exc.message


def test_ids_found_in_reference_text():
    text = ("K. He et al. Deep residual learning. arXiv preprint arXiv:1512.03385, 2015. See also "
            "https://arxiv.org/abs/1706.03762v5, arXiv:hep-th/9901001, and arxiv.org/pdf/2001.08361.pdf.")
    assert arxiv_ids_in(text) == ["1512.03385", "1706.03762", "hep-th/9901001", "2001.08361"]
    assert arxiv_ids_in("Proc. of CVPR 2016, pp. 770-778.") == []


@pytest.mark.parametrize("page, ref, doi", [
    ("arXiv:1512.03385v1  [cs.CV]  10 Dec 2015\nDeep Residual Learning", ArxivRef("1512.03385", 1), None),
    # the stamp wins over a citation in the text
    ("arXiv:2101.00001v2 [cs.LG] 3 Mar 2021\nBuilding on arXiv:1706.03762 ...", ArxivRef("2101.00001", 2), None),
    ("Preprint, arXiv:hep-th/9901001.\nAbstract", ArxivRef("hep-th/9901001"), None),
    ("As in arXiv:1706.03762 and arXiv:1512.03385, we ...", None, None),  # two ids: citations, not its own
    ("Title\nAbstract ...\nReferences\n[1] K. He, arXiv:1512.03385.", None, None),  # in its reference list
    ("Title\n[1] K. He, arXiv:1512.03385.", None, None),  # a list without a heading
    ("doi: 10.1145/3386569.3392408.\nAbstract", None, "10.1145/3386569.3392408"),
    ("https://doi.org/10.48550/arXiv.1605.08386", ArxivRef("1605.08386"), "10.48550/arXiv.1605.08386"),
    ("arXiv:1512.0338 is no id", None, None),
])
def test_the_ids_a_first_page_prints(page, ref, doi):
    assert printed_ids(page) == (ref, doi)
