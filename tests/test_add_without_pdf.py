"""`readroom add ID` when the PDF cannot be fetched: the paper is stored from its metadata (exit 0, one line saying
so), shown as having no PDF, and `readroom add --pdf ID` fetches and parses it later. Recorded arXiv answers and
real PDFs from a loopback server, a real SQLite file, the CLI as a user calls it."""

from __future__ import annotations

import json

import pytest
from werkzeug import Response

from readroom import cli, config, paths

HINT = "Stored without its PDF; fetch it with `readroom add --pdf 1605.08386`, or `readroom add` the PDF file."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stored_files() -> list[str]:
    folder = paths.papers_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _not_found(arxiv, monkeypatch):
    arxiv.pdf_response = Response("not found", status=404)


def _login_page(arxiv, monkeypatch):
    arxiv.pdf_response = Response("<html><body>Please log in</body></html>", content_type="text/html")


def _too_slow(arxiv, monkeypatch):
    arxiv.pdf_fault = "stall"
    monkeypatch.setenv("READROOM_PDF_DEADLINE", "1")
    config.reload()


@pytest.mark.parametrize("fault, words", [(_not_found, "404 Not Found"), (_login_page, "HTML page, not a PDF"),
                                          (_too_slow, "did not finish in 1 s")])
def test_a_pdf_that_cannot_be_fetched_leaves_the_paper_stored_without_it(arxiv, capsys, monkeypatch, fault, words):
    fault(arxiv, monkeypatch)
    code, out, err = run(capsys, "add", "1605.08386")
    arxiv.release.set()
    assert code == 0, err
    assert out.startswith("added") and "Heat-bath random walks with Markov bases (1605.08386v1)" in out
    assert err.count("\n") == 1 and err.startswith("readroom: warning: stored without its PDF (") and words in err
    assert err.rstrip().endswith("fetch it later with `readroom add --pdf 1605.08386`")
    assert [n for n in stored_files() if not n.startswith(".")] == []
    (paper,) = json.loads(run(capsys, "list", "--json")[1])
    assert paper["parse_status"] == "no_pdf" and paper["authors"] == ["Caprice Stanley", "Tobias Windisch"]
    monkeypatch.setenv("COLUMNS", "160")
    assert "Heat-bath random walks with Markov bases (no PDF)" in run(capsys, "list")[1]
    shown = run(capsys, "show", "1605.08386")[1]
    assert "No PDF:" in shown and HINT in shown


def test_add_pdf_fetches_and_parses_the_pdf_of_a_paper_held_without_it(arxiv, capsys):
    arxiv.pdf_response = Response("not found", status=404)
    assert run(capsys, "add", "1605.08386")[0] == 0
    code, out, _ = run(capsys, "add", "1605.08386")
    assert code == 0 and out.startswith("exists")  # held already, without its PDF
    code, out, err = run(capsys, "reparse", "1605.08386")
    assert code != 0 and "`readroom add --pdf 1605.08386` fetches" in err
    arxiv.pdf_response = None
    code, out, err = run(capsys, "add", "--pdf", "1605.08386")
    assert code == 0, err
    assert out.startswith("updated") and "Fetched the PDF of Heat-bath random walks with Markov bases:" in out
    paper = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert paper["parse_status"] == "parsed" and paper["pdf_path"].endswith("1605.08386v1.pdf")
    assert paper["sections"] and paper["references"] and paper["page_count"] == 15
    assert stored_files() == ["1605.08386v1.pdf"]
    code, out, _ = run(capsys, "add", "--pdf", "1605.08386")
    assert code == 0 and out.startswith("exists") and "already has its PDF" in out
    assert arxiv.pdf_calls == ["1605.08386v1", "1605.08386v1"]


def test_add_pdf_of_a_paper_not_held_adds_it_whole(arxiv, capsys):
    code, out, err = run(capsys, "add", "--pdf", "1605.08386")
    assert code == 0 and out.startswith("added") and err == ""
    assert stored_files() == ["1605.08386v1.pdf"]


def test_add_pdf_whose_download_fails_again_says_so_and_changes_nothing(arxiv, capsys):
    arxiv.pdf_response = Response("not found", status=404)
    run(capsys, "add", "1605.08386")
    code, out, err = run(capsys, "add", "--pdf", "1605.08386")
    assert code == 4 and "404 Not Found" in err and out == ""
    (paper,) = json.loads(run(capsys, "list", "--json")[1])
    assert paper["parse_status"] == "no_pdf"


async def test_the_reader_opened_on_a_paper_without_its_pdf_says_how_to_fetch_it(arxiv, capsys):
    from readroom import library
    from readroom.tui.app import create_app
    from tui.test_library_screen import loaded
    from tui.test_reader import opened

    arxiv.pdf_response = Response("not found", status=404)
    assert run(capsys, "add", "1605.08386")[0] == 0
    app = create_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.open_paper(library.resolve("1605.08386"))
        screen = await opened(pilot)
        shown = str(screen.query_one("#reader-warning").render())
        assert shown == HINT


def test_a_classic_off_arxiv_whose_pdf_is_missing_is_stored_from_the_catalogue(httpserver, capsys, monkeypatch):
    """No ../shared needed: a loopback server stands in for the publisher's site, first without the PDF."""
    import dataclasses

    from readroom import library
    from readroom.sources.classics import find_classic

    alexnet = dataclasses.replace(find_classic("alexnet"), pdf_url=httpserver.url_for("/alexnet.pdf"))
    monkeypatch.setattr(library, "find_classic", lambda name: alexnet if name == "alexnet" else None)
    httpserver.expect_oneshot_request("/alexnet.pdf").respond_with_data("gone", status=404)
    code, out, err = run(capsys, "add", "alexnet")
    assert code == 0, err
    assert out.startswith("added") and "ImageNet Classification with Deep Convolutional Neural Networks" in out
    assert "stored without its PDF" in err and err.rstrip().endswith("`readroom add --pdf alexnet`")
    demo = paths.shipped_data_dir() / library.DEMO_PDF
    httpserver.expect_request("/alexnet.pdf").respond_with_data(demo.read_bytes(), content_type="application/pdf")
    code, out, err = run(capsys, "add", "--pdf", "alexnet")
    assert code == 0 and out.startswith("updated"), err
    paper = json.loads(run(capsys, "show", "alexnet", "--json")[1])
    assert (paper["source"], paper["classic_key"], paper["parse_status"]) == ("classic", "alexnet", "parsed")
    assert paper["authors"] == ["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"] and paper["sections"]


def test_the_pdf_file_a_user_downloads_becomes_the_pdf_of_the_paper_held_without_it(arxiv, capsys, tmp_path):
    from test_add_local import stamped_paper

    arxiv.pdf_response = Response("not found", status=404)
    assert run(capsys, "add", "1605.08386")[0] == 0
    _, pdf = stamped_paper(tmp_path)  # arXiv's stamp for 1605.08386v1 on page 1
    code, out, err = run(capsys, "add", str(pdf))
    assert code == 0, err
    assert out.startswith("updated") and "This PDF is now the PDF of Heat-bath random walks with Markov bases" in out
    paper = json.loads(run(capsys, "show", "1605.08386", "--json")[1])
    assert paper["parse_status"] == "parsed" and paper["pdf_path"].endswith("1605.08386v1.pdf") and paper["sections"]
    assert len(json.loads(run(capsys, "list", "--json")[1])) == 1
