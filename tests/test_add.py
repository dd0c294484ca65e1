"""`readroom add` end to end: real recorded arXiv answers and real PDFs from a loopback server, a real
SQLite file in a temporary READROOM_HOME, and the CLI called as a user calls it."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from werkzeug import Response

from loopback import with_version
from readroom import cli, config, paths


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(sql: str) -> list[tuple]:
    with sqlite3.connect(paths.database_path()) as conn:
        return conn.execute(sql).fetchall()


def stored_files() -> list[str]:
    folder = paths.papers_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_add_by_id_stores_metadata_pdf_and_structure(arxiv, capsys):
    code, out, err = run(capsys, "add", "1605.08386")
    assert code == 0, err
    assert "Added Heat-bath random walks with Markov bases (1605.08386v1)" in out
    code, out, _ = run(capsys, "show", "1605.08386", "--json")
    paper = json.loads(out)
    assert paper["arxiv_id"] == "1605.08386" and paper["arxiv_version"] == 1
    assert paper["authors"] == ["Caprice Stanley", "Tobias Windisch"]
    assert paper["categories"] == ["math.CO", "math.ST"] and paper["year"] == 2016
    assert paper["abstract"].startswith("Graphs on lattice points")
    # The PDF served for this id is the S2ORC paper: its parsed outline is stored with the paper.
    titles = [s["title"] for s in paper["sections"]]
    assert any("Introduction" in t for t in titles)
    assert all(set(s) == {"title", "level", "page"} for s in paper["sections"])
    assert paper["figures"] and paper["references"]
    assert stored_files() == ["1605.08386v1.pdf"]
    assert arxiv.pdf_calls == ["1605.08386v1"]


def test_every_id_form_names_the_same_paper(arxiv, capsys):
    forms = ["1605.08386", "1605.08386v1", "arXiv:1605.08386", "https://arxiv.org/abs/1605.08386v1",
             "https://arxiv.org/pdf/1605.08386.pdf", "http://export.arxiv.org/html/1605.08386v1",
             "10.48550/arXiv.1605.08386", "https://doi.org/10.48550/arXiv.1605.08386"]
    code, out, err = run(capsys, "add", *forms)
    assert code == 0, err
    statuses = [line.split()[0] for line in out.splitlines()]
    assert statuses == ["added"] + ["exists"] * (len(forms) - 1)
    assert rows("SELECT count(*) FROM paper") == [(1,)]


def test_several_ids_go_in_one_api_request(arxiv, capsys):
    code, out, err = run(capsys, "add", "1605.08386", "1707.08567")
    assert code == 0, err
    assert len(arxiv.api_calls) == 1
    assert "id_list=1605.08386%2C1707.08567" in arxiv.api_calls[0]
    assert rows("SELECT arxiv_id FROM paper ORDER BY arxiv_id") == [("1605.08386",), ("1707.08567",)]


def test_adding_again_changes_nothing_and_reports_a_newer_version(arxiv, capsys):
    assert run(capsys, "add", "1605.08386")[0] == 0
    before = rows("SELECT * FROM paper")
    arxiv.entries["1605.08386"] = with_version(arxiv.entries["1605.08386"], "1605.08386", 2)
    code, out, err = run(capsys, "add", "1605.08386")
    assert code == 0
    assert "already in your library" in out and "arXiv now has v2 (you have v1)" in out and "--update" in out
    assert rows("SELECT * FROM paper") == before
    assert arxiv.pdf_calls == ["1605.08386v1"]


def test_update_fetches_the_newer_version_and_replaces_the_pdf(arxiv, capsys):
    assert run(capsys, "add", "1605.08386", "--tag", "graphs")[0] == 0
    (paper_id,) = rows("SELECT id FROM paper")[0]
    arxiv.entries["1605.08386"] = with_version(arxiv.entries["1605.08386"], "1605.08386", 2)
    arxiv.pdfs["1605.08386v2"] = arxiv.pdfs["1605.08386v1"]
    code, out, err = run(capsys, "add", "1605.08386", "--update")
    assert code == 0, err
    assert out.startswith("updated")
    assert rows("SELECT id, arxiv_version FROM paper") == [(paper_id, 2)]
    assert rows("SELECT tag FROM paper_tag") == [("graphs",)]  # the user's tags survive an update
    assert stored_files() == ["1605.08386v2.pdf"]


@pytest.mark.parametrize("query, words", [
    ("1512.0338", "5 digits after the dot"),
    ("abc", "not an arXiv id, DOI, URL, PDF file or classic paper name"),
])
def test_malformed_input_is_one_line_and_touches_nothing(arxiv, capsys, query, words):
    code, out, err = run(capsys, "add", query)
    assert code == 2
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert arxiv.api_calls == [] and not paths.database_path().exists()


def test_an_id_arxiv_does_not_know(arxiv, capsys):
    code, out, err = run(capsys, "add", "0704.0001")  # well-formed, absent from the replay: an empty feed
    assert code == 3
    assert err == "readroom: arXiv does not know 0704.0001; check the id.\n"
    assert arxiv.pdf_calls == []


@pytest.mark.parametrize("status, words", [(500, "answered HTTP 500"), (429, "HTTP 429"), (503, "answered HTTP 503")])
def test_api_errors(arxiv, capsys, status, words):
    arxiv.api_status = status
    code, out, err = run(capsys, "add", "1605.08386")
    assert code == 4 and words in err and err.count("\n") == 1
    assert rows("SELECT count(*) FROM paper") == [(0,)] if paths.database_path().exists() else True
    assert stored_files() == []


def test_a_pdf_url_that_answers_with_html(arxiv, capsys):
    """A bare PDF address has nothing to store without its PDF (an arXiv id does: tests/test_add_without_pdf.py)."""
    arxiv.pdf_response = Response("<html><body>Please log in</body></html>", content_type="text/html")
    code, out, err = run(capsys, "add", arxiv_pdf_url := config.load().network.arxiv_pdf + "paper.pdf")
    assert code == 4 and "HTML page, not a PDF" in err and arxiv_pdf_url in err
    assert stored_files() == []
    assert not paths.database_path().exists() or rows("SELECT count(*) FROM paper") == [(0,)]


def test_no_network(capsys, monkeypatch):
    monkeypatch.setenv("READROOM_ARXIV_API", "http://127.0.0.1:9/api/query")  # nothing listens on port 9
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()
    code, out, err = run(capsys, "add", "1605.08386")
    assert code == 4 and "Cannot reach arXiv" in err and "network" in err


def test_one_bad_query_does_not_stop_the_others(arxiv, capsys):
    code, out, err = run(capsys, "add", "1605.08386", "1512.0338")
    assert code == 2
    assert out.startswith("added") and "1512.0338: '1512.0338' is not a valid arXiv id" in err
    assert rows("SELECT count(*) FROM paper") == [(1,)]


def test_local_pdf_with_overrides_and_duplicates(real_papers, capsys, tmp_path):
    pdf = real_papers[0]
    code, out, err = run(capsys, "add", str(pdf), "--title", "My S2ORC copy", "--authors", "Kyle Lo and Lucy Lu Wang",
                         "--year", "2020")
    assert code == 0, err
    listed = json.loads(run(capsys, "list", "--json")[1])
    assert [(p["title"], p["authors"], p["year"], p["source"]) for p in listed] == [
        ("My S2ORC copy", ["Kyle Lo", "Lucy Lu Wang"], 2020, "local")]
    code, out, err = run(capsys, "add", str(pdf))
    assert code == 0 and "already in your library" in out
    assert len(stored_files()) == 1


def test_local_pdf_title_comes_from_the_pdf(real_papers, capsys):
    code, out, err = run(capsys, "add", str(real_papers[0]))
    assert code == 0, err
    (title,) = rows("SELECT title FROM paper")[0]
    assert "S2ORC" in title


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.pdf", "No such file"),
    (lambda d: (d / "notes.pdf").write_text("just text") and d / "notes.pdf", "is not a PDF file"),
    (lambda d: d, "is a folder"),
])
def test_bad_local_files(capsys, tmp_path, make, words):
    code, out, err = run(capsys, "add", str(make(tmp_path)))
    assert code == 2 and words in err and err.count("\n") == 1


def test_unparseable_pdf_is_kept_and_marked(capsys, tmp_path, real_papers):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(real_papers[0].read_bytes()[:40_000])
    code, out, err = run(capsys, "add", str(truncated))
    assert code == 0
    assert "warning:" in err
    assert rows("SELECT parse_status FROM paper") == [("unparsed",)]
    assert "(unparsed)" in run(capsys, "list")[1]


def test_classic_by_short_name(arxiv, capsys, monkeypatch):
    from readroom.sources.classics import find_classic

    resnet = find_classic("resnet")
    arxiv.entries[resnet.arxiv] = with_version(arxiv.entries["1605.08386"], "1605.08386", 1).replace(
        "1605.08386", resnet.arxiv)
    arxiv.pdfs[f"{resnet.arxiv}v1"] = arxiv.pdfs["1605.08386v1"]
    code, out, err = run(capsys, "add", "resnet")
    assert code == 0, err
    assert rows("SELECT source, classic_key, arxiv_id FROM paper") == [("classic", "resnet", "1512.03385")]
    classics = json.loads(run(capsys, "classics", "--json")[1])
    assert [c["key"] for c in classics if c["in_library"]] == ["resnet"]
    assert next(c for c in classics if c["key"] == "resnet")["progress"] == "pass 1"

    # How far it was read shows in the catalogue.
    from readroom import reading

    paper_id = json.loads(run(capsys, "show", "resnet", "--json")[1])["id"]
    reading.decide(paper_id, "next")
    classics = json.loads(run(capsys, "classics", "--json")[1])
    assert next(c for c in classics if c["key"] == "resnet")["progress"] == "pass 2"
    assert next(c for c in classics if c["key"] == "vgg")["progress"] == "not added"
    assert re.search(r"✓ resnet +2015  \[pass 2\] Deep Residual", run(capsys, "classics")[1])


# --------------------------------------------------------------------------------------------- arXiv's HTML

TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "templates"


def test_arxiv_html_is_the_structure_when_arxiv_has_it_and_reparse_keeps_it_offline(arxiv, httpserver, capsys,
                                                                                      monkeypatch):
    # The PDF and LaTeXML's page of one template paper stand in for arXiv's two renderings of 1605.08386v1.
    arxiv.pdfs["1605.08386v1"] = (TEMPLATES / "llncs.pdf").read_bytes()
    httpserver.expect_request("/html/1605.08386v1").respond_with_data((TEMPLATES / "llncs.html").read_bytes(),
                                                                      content_type="text/html")
    monkeypatch.setenv("READROOM_ARXIV_HTML", httpserver.url_for("/html/"))
    config.reload()
    assert cli.main(["add", "1605.08386"]) == 0
    capsys.readouterr()
    shown = json.loads(run(capsys, "show", "1605.08386", "--json", "--text")[1])
    assert shown["structure_source"] == "html" and shown["structure_warning"] is None
    titles = [(s["level"], s["title"]) for s in shown["sections"]]
    assert titles[:3] == [(1, "1 Introduction"), (1, "2 Related Work"), (2, "2.1 Shortcut Connections")]
    assert "$F(x)=H(x)-x$" in shown["sections"][0]["text"]  # math as LaTeX, for the reader and for cards
    assert [s["page"] for s in shown["sections"]][-1] == 2 and shown["sections"][0]["page"] == 1
    assert "structure from arXiv's HTML" in run(capsys, "show", "1605.08386")[1]

    monkeypatch.setenv("READROOM_ARXIV_HTML", "http://127.0.0.1:9/html/")  # offline now
    config.reload()
    assert run(capsys, "reparse", "1605.08386")[0] == 0
    again = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert again["structure_source"] == "html"
    assert [(s["level"], s["title"], s["page"]) for s in again["sections"]] == \
        [(s["level"], s["title"], s["page"]) for s in shown["sections"]]
    kept = next(paths.papers_dir().glob("*.html"))
    assert cli.main(["remove", "1605.08386", "--yes"]) == 0
    assert not kept.exists()


def test_reparse_asks_arxiv_for_html_a_paper_was_added_without(arxiv, httpserver, capsys, monkeypatch):
    arxiv.pdfs["1605.08386v1"] = (TEMPLATES / "revtex.pdf").read_bytes()
    assert cli.main(["add", "1605.08386"]) == 0  # arXiv's HTML unreachable now: the PDF's structure
    capsys.readouterr()
    assert json.loads(run(capsys, "show", "1605.08386", "--json")[1])["structure_source"] != "html"
    httpserver.expect_request("/html/1605.08386v1").respond_with_data((TEMPLATES / "revtex.html").read_bytes(),
                                                                      content_type="text/html")
    monkeypatch.setenv("READROOM_ARXIV_HTML", httpserver.url_for("/html/"))
    config.reload()
    assert run(capsys, "reparse", "--all")[0] == 0
    shown = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert shown["structure_source"] == "html" and len(shown["sections"]) == 9


def test_without_arxiv_html_the_pdf_is_the_source_quietly(arxiv, httpserver, capsys, monkeypatch):
    httpserver.expect_request("/html/1605.08386v1").respond_with_data("no HTML for this paper", status=404)
    httpserver.expect_request("/ar5iv/1605.08386").respond_with_data("<html><body>ar5iv: not yet</body></html>",
                                                                      content_type="text/html")
    monkeypatch.setenv("READROOM_ARXIV_HTML", httpserver.url_for("/html/"))
    monkeypatch.setenv("READROOM_AR5IV_HTML", httpserver.url_for("/ar5iv/"))
    config.reload()
    code, _out, err = run(capsys, "add", "1605.08386")
    assert code == 0 and err == ""
    shown = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert shown["structure_source"] in ("layout", "outline")
    assert shown["sections"][0]["title"].endswith("Introduction")
    assert not list(paths.papers_dir().glob("*.html"))
