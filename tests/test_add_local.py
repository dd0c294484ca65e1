"""`readroom add file.pdf`: the arXiv id printed on page 1 links the file to its arXiv record (recorded answers from a
loopback server); offline, or with no id, the file is added from its own pages."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from pdf.paper_factory import build_pdf, pymupdf, random_paper_parts
from readroom import cli, config, paths

TEMPLATES = Path(__file__).parent / "fixtures" / "templates"
STAMP = "arXiv:1605.08386v1  [math.CO]  26 May 2016"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stamped_paper(folder: Path, stamp: str | None = STAMP):
    """A generated paper with no metadata, with arXiv's stamp set sideways in the left margin of page 1."""
    spec, style = random_paper_parts(random.Random(7))
    style.metadata = False
    path = build_pdf(spec, style, folder / "plain.pdf")
    if stamp is None:
        return spec, path
    doc = pymupdf.open(path)
    doc[0].insert_text((24, 560), stamp, fontsize=18, rotate=90, color=(0.5, 0.5, 0.5))
    doc.save(folder / "paper.pdf")
    return spec, folder / "paper.pdf"


def test_a_pdf_with_arxivs_stamp_is_stored_as_that_arxiv_paper(arxiv, capsys, tmp_path):
    _, pdf = stamped_paper(tmp_path)
    code, out, err = run(capsys, "add", str(pdf))
    assert code == 0, err
    assert "Added Heat-bath random walks with Markov bases (1605.08386v1, the arXiv id on its first page)" in out
    paper = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert (paper["source"], paper["arxiv_id"], paper["arxiv_version"]) == ("arxiv", "1605.08386", 1)
    assert paper["authors"] == ["Caprice Stanley", "Tobias Windisch"] and paper["categories"] == ["math.CO", "math.ST"]
    # The user's file is the paper's PDF: nothing was downloaded.
    assert paper["pdf_sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest() and arxiv.pdf_calls == []
    assert Path(paper["pdf_path"]).name == "1605.08386v1.pdf"
    code, out, _ = run(capsys, "add", "1605.08386")
    assert code == 0 and out.startswith("exists") and "already in your library" in out
    assert arxiv.pdf_calls == []
    assert len(json.loads(run(capsys, "list", "--json")[1])) == 1


def test_a_second_copy_of_an_arxiv_paper_held_is_not_added_again(arxiv, capsys, tmp_path):
    assert run(capsys, "add", "1605.08386")[0] == 0
    _, pdf = stamped_paper(tmp_path)
    code, out, err = run(capsys, "add", str(pdf))
    assert code == 0 and out.startswith("exists") and "Heat-bath random walks" in out, err
    assert len(json.loads(run(capsys, "list", "--json")[1])) == 1


def test_offline_the_pdf_is_added_from_its_pages_and_the_failed_lookup_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")  # the API is at 127.0.0.1:9, where nothing listens
    config.reload()
    spec, pdf = stamped_paper(tmp_path)
    code, out, err = run(capsys, "add", str(pdf))
    assert code == 0, err
    assert out.startswith("added") and spec.title in out
    assert err.count("\n") == 1 and "arXiv 1605.08386v1 is printed on its first page but could not be looked up" in err
    (paper,) = json.loads(run(capsys, "list", "--json")[1])
    assert (paper["source"], paper["arxiv_id"], paper["authors"]) == ("local", None, spec.authors)


def test_an_arxiv_id_page_one_only_cites_links_nothing(capsys):
    """REVTeX's one-page template cites arXiv:1512.03385 in its list; that is not the paper's own id."""
    code, out, err = run(capsys, "add", str(TEMPLATES / "revtex.pdf"))
    assert code == 0 and err == ""
    (paper,) = json.loads(run(capsys, "list", "--json")[1])
    assert (paper["source"], paper["arxiv_id"], paper["authors"]) == ("local", None, ["Ada Lovelace", "Alan Turing"])
    assert paths.database_path().exists()


def test_a_doi_on_page_one_is_stored_with_the_paper(capsys):
    """JSS prints its DOI under the masthead; readroom has no DOI source, so the paper is the file's, with its DOI."""
    assert run(capsys, "add", str(TEMPLATES / "jss.pdf"))[0] == 0
    paper = json.loads(run(capsys, "show", json.loads(run(capsys, "list", "--json")[1])[0]["id"], "--json")[1])
    assert (paper["source"], paper["doi"]) == ("local", "10.18637/jss.v000.i00")
