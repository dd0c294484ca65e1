"""`readroom add` against another readroom and against a kill: two real processes adding the same paper, and an
add killed before its row commits. A threaded loopback server replays the recorded arXiv answers."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from loopback import ArxivReplay, load_recordings
from readroom import paths


@dataclass
class Loopback:
    """Recorded arXiv answers and the S2ORC PDF, with hooks a test sets to hold a request back."""

    replay: ArxivReplay
    before_pdf: Callable[[], None] = lambda: None
    html: Callable[[Request], Response] = lambda request: Response("not found", status=404)


@pytest.fixture
def server(shared_fixtures, monkeypatch) -> Iterator[Loopback]:
    """A threaded loopback arXiv (two adds are served at once); the readroom processes a test starts inherit its
    addresses."""
    papers = shared_fixtures / "papers"
    loop = Loopback(ArxivReplay(load_recordings(shared_fixtures / "arxiv-api"),
                                pdfs={"1605.08386v1": (papers / "2020.acl-main.447.pdf").read_bytes()}))

    def pdf(request: Request) -> Response:
        loop.before_pdf()
        return loop.replay.pdf(request)

    httpd = HTTPServer(threaded=True)
    httpd.start()
    httpd.expect_request(re.compile(r"^/api/query")).respond_with_handler(loop.replay.api)
    httpd.expect_request(re.compile(r"^/pdf/")).respond_with_handler(pdf)
    httpd.expect_request(re.compile(r"^/html/")).respond_with_handler(lambda request: loop.html(request))
    for var, where in (("API", "/api/query"), ("PDF", "/pdf/"), ("HTML", "/html/")):
        monkeypatch.setenv(f"READROOM_ARXIV_{var}", httpd.url_for(where))
    monkeypatch.setenv("READROOM_HTTP_TIMEOUT", "20")
    yield loop
    httpd.clear()
    httpd.stop()


def add(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "readroom", "add", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ})


def stored() -> list[str]:
    folder = paths.papers_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def paper_rows() -> list[tuple]:
    with sqlite3.connect(paths.database_path()) as conn:
        return conn.execute("SELECT arxiv_id, pdf_path FROM paper").fetchall()


def test_two_adds_of_the_same_paper_at_once_keep_one_paper_and_its_pdf(server):
    # Neither add gets its PDF before both have asked for it: both checked the library while it was empty.
    server.before_pdf = threading.Barrier(2, timeout=30).wait
    procs = [add("1605.08386") for _ in range(2)]
    ends = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(code for code, _out, _err in ends)
    outs = sorted(out for _code, out, _err in ends)
    assert codes == [0, 0], ends
    assert [out.split()[0] for out in outs] == ["added", "exists"], outs
    assert "already in your library" in outs[1] and all(err == "" for _c, _o, err in ends), ends
    assert paper_rows() == [("1605.08386", "1605.08386v1.pdf")]
    assert stored() == ["1605.08386v1.pdf"]  # the winner's PDF, and nothing staged left behind
    assert (paths.papers_dir() / "1605.08386v1.pdf").read_bytes()[:5] == b"%PDF-"


def test_an_add_killed_before_its_row_commits_leaves_nothing_and_the_next_add_works(server):
    html_asked = threading.Event()
    release = threading.Event()

    def html(request: Request) -> Response:  # asked once the PDF is downloaded, before it is parsed and stored
        html_asked.set()
        release.wait(30)
        return Response("not found", status=404)

    server.html = html
    proc = add("1605.08386")
    try:
        assert html_asked.wait(60), proc.communicate()
        assert any(name.endswith("1605.08386v1.pdf") for name in stored())  # the download is on disk
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        release.set()
    assert not any(name == "1605.08386v1.pdf" for name in stored())  # only a hidden staged file, never the paper's
    again = add("1605.08386")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert out.startswith("added")
    assert paper_rows() == [("1605.08386", "1605.08386v1.pdf")]
    assert stored() == ["1605.08386v1.pdf"]  # the killed add's file was swept, no second copy
