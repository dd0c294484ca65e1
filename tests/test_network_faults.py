"""Faults of a real network, met as a user meets them: a server that trickles, a body without end, a feed cut off,
a captive portal, and a kill in the middle of a download. Each ends in one line, a non-zero exit, in bounded time,
with nothing stored and no `.part` file left; the next `add` works."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from werkzeug import Response

from loopback import endless, trickle
from readroom import cli, config, paths
from readroom.errors import DownloadError, NetworkError
from readroom.sources.download import download_pdf
from readroom.sources.listings import ArxivListing, feed_body
from readroom.sources.partfiles import part_path, sweep


def run(capsys, *argv: str) -> tuple[int, str, str, float]:
    started = time.monotonic()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err, time.monotonic() - started


def paper_rows() -> list[tuple]:
    db = paths.database_path()
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("select arxiv_id, title from paper").fetchall()


def papers_on_disk() -> list[str]:
    folder = paths.papers_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def quick(monkeypatch):
    """Deadlines of a second and no retries, so that every fault ends at once."""
    monkeypatch.setenv("READROOM_METADATA_DEADLINE", "1")
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "0")
    config.reload()


# ------------------------------------------------------------------------------------------- the arXiv API


def test_a_trickling_api_ends_at_the_deadline(arxiv, quick, capsys):
    arxiv.api_fault = "trickle"
    code, out, err, took = run(capsys, "add", "1605.08386")
    assert code == 4 and err.count("\n") == 1
    assert re.fullmatch(r"readroom: arXiv's API at localhost:\d+ did not answer in 1 s; try again later "
                        r"\(or raise READROOM_METADATA_DEADLINE\)\.\n", err)
    assert took < 3  # the deadline and at most one half-second byte
    assert paper_rows() == [] and arxiv.pdf_calls == []


def test_an_endless_api_body_is_cut_at_the_cap(arxiv, quick, capsys, monkeypatch):
    monkeypatch.setenv("READROOM_MAX_METADATA_MB", "1")
    monkeypatch.setenv("READROOM_METADATA_DEADLINE", "20")
    config.reload()
    arxiv.api_fault = "endless"
    code, out, err, took = run(capsys, "add", "1605.08386")
    assert code == 4 and err.count("\n") == 1 and "sent an answer over the 1 MB limit" in err
    assert took < 10 and paper_rows() == [] and arxiv.pdf_calls == []


def test_a_feed_cut_off_mid_title_is_refused_and_nothing_stored(arxiv, quick, capsys):
    arxiv.api_fault = "cut"  # what once became a paper titled "C", exit 0
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 4 and err.count("\n") == 1
    assert "sent an answer readroom cannot read (malformed XML); nothing was stored" in err
    assert paper_rows() == [] and arxiv.pdf_calls == [] and papers_on_disk() == []


@pytest.mark.parametrize("damage, words", [
    (lambda e: re.sub(r"<title>.*?</title>", "<title>  </title>", e, flags=re.S), "1605.08386 without a title"),
    (lambda e: re.sub(r"<id>.*?</id>", "<id>http://example.org/x</id>", e, count=1), "an entry without an arXiv id"),
])
def test_an_entry_without_a_real_title_or_id_is_refused(arxiv, quick, capsys, damage, words):
    arxiv.entries["1605.08386"] = damage(arxiv.entries["1605.08386"])
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 4 and err.count("\n") == 1 and words in err
    assert paper_rows() == [] and arxiv.pdf_calls == []


def test_a_cut_feed_is_tried_again_and_the_whole_answer_stored(arxiv, httpserver, capsys, monkeypatch):
    monkeypatch.setenv("READROOM_HTTP_RETRIES", "1")
    config.reload()

    def cut_once(request):
        arxiv.api_fault = "cut" if not arxiv.api_calls else None
        return arxiv.api(request)

    httpserver.clear()
    httpserver.expect_request(re.compile(r"^/api/query")).respond_with_handler(cut_once)
    httpserver.expect_request(re.compile(r"^/pdf/")).respond_with_handler(arxiv.pdf)
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 0, err
    assert len(arxiv.api_calls) == 2
    assert paper_rows() == [("1605.08386", "Heat-bath random walks with Markov bases")]


def test_a_captive_portal_is_not_blamed_on_the_id(arxiv, quick, capsys):
    arxiv.api_fault = "portal"
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 4 and err.count("\n") == 1
    assert "did not answer with an arXiv feed but with a web page" in err and "does not know" not in err
    assert paper_rows() == []


# ------------------------------------------------------------------------------------------- listings, HTML, PDFs


@pytest.fixture
def listing_url(httpserver, monkeypatch, quick):
    monkeypatch.setenv("READROOM_ARXIV_API", httpserver.url_for("/api/query"))
    config.reload()
    return httpserver


@pytest.mark.parametrize("fault, words", [("trickle", "did not answer in 1 s"), ("endless", "over the 1 MB limit"),
                                          ("portal", "did not answer with an arXiv feed but with a web page")])
def test_discover_sync_ends_on_a_trickle_an_endless_body_or_a_portal(listing_url, capsys, monkeypatch, fault, words):
    import threading

    monkeypatch.setenv("READROOM_MAX_METADATA_MB", "1")
    config.reload()
    release = threading.Event()
    bodies = {"trickle": lambda: Response(trickle(b"<?xml version='1.0'?><feed>" * 20, 0.5, release)),
              "endless": lambda: Response(endless(release), content_type="application/atom+xml"),
              "portal": lambda: Response("<html><body>Log in to the Wi-Fi</body></html>", content_type="text/html")}
    listing_url.expect_request(re.compile(r"^/api/query")).respond_with_handler(lambda request: bodies[fault]())
    try:
        code, out, err, took = run(capsys, "discover", "sync")
    finally:
        release.set()
    assert code == 4 and err.count("\n") == 1 and words in err, err
    assert took < 10


def test_arxivs_html_that_trickles_is_given_up_quietly(httpserver, monkeypatch, quick):
    import threading

    from readroom.sources.arxiv_html import fetch_html

    release = threading.Event()
    page = b"<html><body><article class='ltx_document'>" + b"x" * 100 + b"</article></body></html>"
    httpserver.expect_request(re.compile(r"^/(html|ar5iv)/")).respond_with_handler(
        lambda request: Response(trickle(page, 0.5, release), content_type="text/html"))
    monkeypatch.setenv("READROOM_ARXIV_HTML", httpserver.url_for("/html/"))
    monkeypatch.setenv("READROOM_AR5IV_HTML", httpserver.url_for("/ar5iv/"))
    config.reload()
    started = time.monotonic()
    try:
        assert fetch_html("2401.00001", 1) is None  # the PDF is the source then
    finally:
        release.set()
    assert time.monotonic() - started < 5  # two pages, a second each


def test_a_trickling_pdf_ends_at_its_deadline_saying_how_far_it_came(httpserver, tmp_path):
    import threading

    release = threading.Event()
    data = b"%PDF-1.5\n" + b"0" * 4_000_000
    httpserver.expect_request("/p.pdf").respond_with_handler(lambda request: Response(
        trickle(data, 0.2, release), content_type="application/pdf", headers={"Content-Length": str(len(data))}))
    dest = tmp_path / "paper.pdf"
    started = time.monotonic()
    try:
        with pytest.raises(DownloadError, match=r"did not finish in 1 s \(0\.0 of 3\.8 MB came\); try again later "
                                                r"or raise READROOM_PDF_DEADLINE"):
            download_pdf(httpserver.url_for("/p.pdf"), dest, deadline=1, retries=0)
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert list(tmp_path.iterdir()) == []  # no .part left


def test_the_html_check_sees_a_portal_without_a_content_type():
    import httpx

    from readroom.sources.http import Answer

    page = Answer(200, httpx.Headers({"content-type": "application/octet-stream"}), b"\n <!DOCTYPE html><p>", "utf-8")
    with pytest.raises(NetworkError, match="web page"):
        feed_body(page, "arXiv")
    feed = Answer(200, httpx.Headers({"content-type": "application/atom+xml"}), b"<?xml version='1.0'?><feed/>", "utf-8")
    assert feed_body(feed, "arXiv") == feed.body


def test_listing_pages_are_capped_like_api_answers(listing_url, monkeypatch):
    monkeypatch.setenv("READROOM_MAX_METADATA_MB", "0.5")
    config.reload()
    listing_url.expect_request(re.compile(r"^/api/query")).respond_with_data(
        "x" * 600_000, content_type="application/atom+xml")  # a Content-Length over the cap: refused before reading
    with ArxivListing(["cs.LG"], delay=0) as source, pytest.raises(NetworkError, match="over the 0.5 MB limit"):
        source.page(0)
    assert source.requests == 1


# ------------------------------------------------------------------------------------------- signals and .part files


def readroom(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "readroom", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def wait_for_part(proc: subprocess.Popen) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        parts = [n for n in papers_on_disk() if n.endswith(".part")]
        if parts and (paths.papers_dir() / parts[0]).stat().st_size > 0:
            return parts
        time.sleep(0.05)
    raise AssertionError(f"the download never started: {proc.communicate()}")


@pytest.mark.parametrize("signum, exit_code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_mid_download_leaves_nothing_and_the_next_add_works(arxiv, capsys, signum, exit_code):
    arxiv.pdf_fault = "stall"
    proc = readroom("add", "1605.08386")
    try:
        wait_for_part(proc)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=20)
    finally:
        arxiv.release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == exit_code, err
    assert err == "readroom: Interrupted. Nothing half-done was kept; what finished before stays in your library.\n"
    assert papers_on_disk() == [] and paper_rows() == []
    arxiv.pdf_fault = None
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 0, err
    assert papers_on_disk() == ["1605.08386v1.pdf"] and len(paper_rows()) == 1


def test_what_a_sigkill_leaves_is_swept_by_the_next_add(arxiv, capsys):
    arxiv.pdf_fault = "stall"
    proc = readroom("add", "1605.08386")
    try:
        (part,) = wait_for_part(proc)
        proc.kill()  # no handler runs: the .part stays behind
        proc.communicate(timeout=20)
    finally:
        arxiv.release.set()
    assert part in papers_on_disk()
    arxiv.pdf_fault = None
    code, out, err, _ = run(capsys, "add", "1605.08386")
    assert code == 0, err
    assert papers_on_disk() == ["1605.08386v1.pdf"]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_only_stale_part_files_of_our_own(tmp_path):
    target = tmp_path / "cards.apkg"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = tmp_path / f".cards.apkg.{dead_pid()}-0badcafe.part"
        running = tmp_path / f".cards.apkg.{live.pid}-0badcafe.part"
        mine = part_path(target)
        old_style = tmp_path / ".cards.apkg.deadbeef.part"  # before names carried the owner: by age
        fresh_old_style = tmp_path / ".cards.apkg.feedf00d.part"
        other_target = tmp_path / f".notes.apkg.{dead_pid()}-0badcafe.part"
        users_file = tmp_path / "draft.part"  # a name of the user's, beside an export target
        for path in (stale, running, mine, old_style, fresh_old_style, other_target, users_file):
            path.write_bytes(b"partial")
        hour_ago = time.time() - 3600
        os.utime(old_style, (hour_ago, hour_ago))
        os.utime(users_file, (hour_ago, hour_ago))
        assert sorted(sweep(tmp_path, "cards.apkg")) == sorted([stale, old_style])
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            p.name for p in (running, mine, fresh_old_style, other_target, users_file))
    finally:
        live.kill()
        live.wait()


def test_export_sweeps_what_a_killed_export_left_beside_its_file(capsys, tmp_path):
    target = tmp_path / "out.bib"
    stale = tmp_path / f".out.bib.{dead_pid()}-0badcafe.part"
    stale.write_text("half an export")
    assert cli.main(["add", str(paths.shipped_data_dir() / "demo/three-pass-reading.pdf")]) == 0
    code = cli.main(["export", "--bibtex", "-o", str(target)])
    capsys.readouterr()
    assert code == 0 and target.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bib"]


def test_sigterm_while_any_command_works_is_an_interrupt():
    """Not only downloads: a command busy anywhere (here one that sleeps) ends on SIGTERM as on Ctrl-C."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom readroom import cli\n"
                             "import readroom.commands.papers as p\n"
                             "def slow(args):\n    print('ready', flush=True)\n    time.sleep(30)\n"
                             "p.cmd_welcome = slow\nsys.exit(cli.main([]))"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 143 and err.startswith("readroom: Interrupted.") and err.count("\n") == 1
