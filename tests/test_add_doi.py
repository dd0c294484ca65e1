"""`readroom add DOI` (a DOI not arXiv's) and a local PDF whose first page prints one: the paper's metadata comes
from Crossref's REST API, served by a loopback server; the CLI runs as a user runs it, in a subprocess.

The Crossref answers below are authored, not recorded (no recording exists in ../shared): they follow the documented
shape of `GET /works/{doi}` (a `message` with title[], author[], issued.date-parts, container-title[], a JATS
abstract, URL and link[]).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pdf.paper_factory import build_pdf, pymupdf, random_paper_parts

DOI = "10.1145/3292500.3330701"
TITLE = "Optuna: A Next-generation Hyperparameter Optimization Framework"


def work(pdf_url: str | None = None, **changes) -> dict:
    message = {
        "DOI": DOI, "type": "proceedings-article", "URL": f"https://doi.org/{DOI}",
        "title": [TITLE],
        "author": [{"given": "Takuya", "family": "Akiba", "sequence": "first"},
                   {"given": "Shotaro", "family": "Sano", "sequence": "additional"},
                   {"name": "Preferred Networks", "sequence": "additional"}],
        "issued": {"date-parts": [[2019, 7, 25]]},
        "container-title": ["Proceedings of the 25th ACM SIGKDD International Conference on Knowledge Discovery & "
                            "Data Mining"],
        "abstract": "<jats:title>Abstract</jats:title><jats:p>The purpose of this study is to introduce new "
                    "<jats:italic>design-criteria</jats:italic> for next-generation hyperparameter optimization "
                    "software.</jats:p>",
        "link": [{"URL": pdf_url, "content-type": "application/pdf", "content-version": "vor",
                  "intended-application": "similarity-checking"}] if pdf_url else [],
    }
    message.update(changes)
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}


def readroom(httpserver, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "READROOM_CROSSREF_API": httpserver.url_for("/crossref"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "readroom", *argv], capture_output=True, text=True, timeout=120,
                          env=env)


def shown(httpserver, ref: str) -> dict:
    return json.loads(readroom(httpserver, "show", ref, "--json").stdout)


def a_pdf(folder: Path, printed: str | None = None) -> Path:
    """A generated paper with no metadata; `printed` set on page 1 the way a publisher's footer prints a DOI."""
    spec, style = random_paper_parts(random.Random(3))
    style.metadata = False
    path = build_pdf(spec, style, folder / "plain.pdf")
    if printed is None:
        return path
    doc = pymupdf.open(path)
    doc[0].insert_text((72, 770), printed, fontsize=8)
    doc.save(folder / "paper.pdf")
    return folder / "paper.pdf"


def test_a_doi_is_added_from_crossref_with_the_pdf_it_links(httpserver, tmp_path):
    pdf = a_pdf(tmp_path)
    httpserver.expect_request(f"/crossref/works/{DOI}").respond_with_json(work(httpserver.url_for("/paper.pdf")))
    httpserver.expect_request("/paper.pdf").respond_with_data(pdf.read_bytes(), content_type="application/pdf")
    result = readroom(httpserver, "add", f"https://doi.org/{DOI}")
    assert result.returncode == 0, result.stderr
    assert f"Added {TITLE} (DOI {DOI})" in result.stdout and result.stderr == ""
    (paper,) = json.loads(readroom(httpserver, "list", "--json").stdout)
    detail = shown(httpserver, paper["id"])
    assert (detail["source"], detail["doi"], detail["year"]) == ("doi", DOI, 2019)
    assert detail["authors"] == ["Takuya Akiba", "Shotaro Sano", "Preferred Networks"]
    assert detail["journal_ref"].startswith("Proceedings of the 25th ACM SIGKDD")
    assert detail["abstract"] == ("The purpose of this study is to introduce new design-criteria for next-generation "
                                  "hyperparameter optimization software.")
    assert detail["pdf_path"] and detail["parse_status"] == "parsed"
    again = readroom(httpserver, "add", DOI.upper())  # DOIs are case-insensitive
    assert again.returncode == 0 and again.stdout.startswith("exists")


def test_a_doi_with_no_pdf_is_stored_and_its_file_attaches_later(httpserver, tmp_path):
    httpserver.expect_request(f"/crossref/works/{DOI}").respond_with_json(work())
    result = readroom(httpserver, "add", DOI)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "stored without its PDF (Crossref lists no PDF for it)" in result.stderr
    assert result.stderr.rstrip().endswith("add the PDF file with `readroom add path/to/paper.pdf`")
    (paper,) = json.loads(readroom(httpserver, "list", "--json").stdout)
    assert paper["parse_status"] == "no_pdf"
    for ref in (DOI.upper(), f"https://doi.org/{DOI}", f"doi:{DOI}"):  # the paper is named by its DOI, as added
        assert shown(httpserver, ref)["id"] == paper["id"]
    assert [p["id"] for p in json.loads(readroom(httpserver, "list", "--source", "doi", "--json").stdout)] == [paper["id"]]
    pdf = a_pdf(tmp_path, f"KDD '19, August 4-8, 2019, Anchorage, AK, USA. https://doi.org/{DOI}")
    attached = readroom(httpserver, "add", str(pdf))
    assert attached.returncode == 0, attached.stderr
    assert f"This PDF is now the PDF of {TITLE}" in attached.stdout
    (paper,) = json.loads(readroom(httpserver, "list", "--json").stdout)
    assert paper["parse_status"] == "parsed" and shown(httpserver, paper["id"])["source"] == "doi"


def test_a_doi_crossref_does_not_know_is_one_line_and_stores_nothing(httpserver):
    httpserver.expect_request("/crossref/works/10.1000/nothing").respond_with_data("Resource not found.", status=404)
    result = readroom(httpserver, "add", "10.1000/nothing")
    assert result.returncode != 0
    assert result.stderr == "readroom: Crossref does not know DOI 10.1000/nothing; check the DOI.\n"
    assert json.loads(readroom(httpserver, "list", "--json").stdout) == []


def test_a_local_pdf_printing_a_doi_takes_crossrefs_metadata(httpserver, tmp_path):
    httpserver.expect_request(f"/crossref/works/{DOI}").respond_with_json(work())
    pdf = a_pdf(tmp_path, f"https://doi.org/{DOI}")
    result = readroom(httpserver, "add", str(pdf))
    assert result.returncode == 0, result.stderr
    assert f"Added {TITLE} (DOI {DOI}, printed on its first page)" in result.stdout
    (paper,) = json.loads(readroom(httpserver, "list", "--json").stdout)
    detail = shown(httpserver, paper["id"])
    assert (detail["title"], detail["year"], detail["doi"]) == (TITLE, 2019, DOI)
    assert detail["authors"][0] == "Takuya Akiba" and detail["pdf_path"]


def test_offline_a_local_pdf_printing_a_doi_is_added_with_one_warning(tmp_path):
    pdf = a_pdf(tmp_path, f"https://doi.org/{DOI}")
    env = {**os.environ, "READROOM_HTTP_RETRIES": "0"}  # conftest points Crossref at 127.0.0.1:9
    result = subprocess.run([sys.executable, "-m", "readroom", "add", str(pdf)], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"readroom: warning: DOI {DOI} is printed on its first page but could not be "
                                    "looked up (Cannot reach Crossref")
    (paper,) = json.loads(subprocess.run([sys.executable, "-m", "readroom", "list", "--json"], capture_output=True,
                                         text=True, timeout=60, env=env).stdout)
    detail = json.loads(subprocess.run([sys.executable, "-m", "readroom", "show", paper["id"], "--json"],
                                       capture_output=True, text=True, timeout=60, env=env).stdout)
    assert (detail["doi"], detail["source"]) == (DOI, "local") and detail["pdf_path"]


@pytest.mark.parametrize("title", ["\x1b[2J\x1b]0;owned\x07<i>Deep</i> [bold]nets[/bold]"])
def test_a_hostile_title_is_stored_as_sent_and_never_reaches_the_terminal_raw(httpserver, title):
    httpserver.expect_request(f"/crossref/works/{DOI}").respond_with_json(work(title=[title]))
    result = readroom(httpserver, "add", DOI)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "[bold]nets[/bold]" in result.stdout
    (paper,) = json.loads(readroom(httpserver, "list", "--json").stdout)
    assert shown(httpserver, paper["id"])["title"] == title
