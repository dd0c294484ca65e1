"""`readroom card figure` and `card occlude` on a generated paper's figures, each command in a process of its own,
and what Anki makes of the exported deck."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from pdf.paper_factory import Style, build_pdf, demo_spec


def readroom(*argv: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert (result.returncode == 0) == ok, result.stderr
    return result


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> Path:
    return build_pdf(demo_spec(), Style(), tmp_path_factory.mktemp("pdf") / "demo.pdf")


def _added(paper: Path) -> tuple[str, dict[str, dict]]:
    readroom("add", str(paper))
    paper_id = json.loads(readroom("list", "--json").stdout)[0]["id"]
    return paper_id, {f["label"]: f for f in json.loads(readroom("show", paper_id, "--json").stdout)["figures"]}


def test_figure_and_occlusion_cards_from_a_papers_figure_review_in_anki(paper, tmp_path, readroom_home):
    pytest.importorskip("anki.collection")
    paper_id, shown = _added(paper)
    figure = shown["Figure 2"]
    [made] = json.loads(readroom("card", "figure", paper_id, "Figure 2", "--answer", "reviews flatten decay",
                                 "--json").stdout)
    assert made["kind"] == "figure" and made["question"] == figure["caption"] and made["page"] == figure["page"]
    assert (readroom_home / made["image"]).read_bytes() == Path(figure["image"]).read_bytes()

    width = pymupdf.Pixmap(figure["image"]).width
    occluded = json.loads(readroom("card", "occlude", paper_id, "fig. 2", "--area", "0.1,0.1,0.2,0.2",
                                   "--area-px", f"0,0,{width // 2},10", "--header", "Name the curves",
                                   "--json").stdout)
    assert [c["ord"] for c in occluded] == [1, 2]
    assert occluded[0]["areas"][1][:3] == [0, 0, pytest.approx((width // 2) / width)]

    listed = readroom("cards").stdout
    assert "[image] Figure 2:" in listed and "[image, area 2/2] Name the curves" in listed

    deck = tmp_path / "figures.apkg"
    readroom("export", "-o", str(deck))
    from export.ankiview import AnkiCollection

    col = AnkiCollection(tmp_path / "anki")
    try:
        col.import_apkg(deck)
        cards = col.cards()
        assert sorted(c.notetype for c in cards) == ["readroom figure", "readroom image occlusion",
                                                     "readroom image occlusion"]
        name = Path(made["image"]).name
        assert all(f'<img src="{name}">' in c.question for c in cards)
        assert (Path(col.col.media.dir()) / name).is_file()
    finally:
        col.close()


def test_a_label_the_paper_lacks_is_one_line_naming_those_it_has(paper, readroom_home):
    paper_id, _shown = _added(paper)
    result = readroom("card", "figure", paper_id, "Figure 9", "--answer", "x", ok=False)
    assert result.stderr.count("\n") == 1 and "Figure 1, Figure 2, Table 1" in result.stderr
    result = readroom("card", "occlude", paper_id, "Table 1", ok=False)
    assert "--area" in result.stderr and result.stderr.count("\n") == 1
    result = readroom("card", "occlude", paper_id, "Table 1", "--area", "0.5,0.5,0.8,0.1", ok=False)
    assert "inside" in result.stderr
    assert json.loads(readroom("cards", "--json").stdout) == []
