"""download_pdf against real loopback servers (pytest-httpserver, and a raw socket where HTTP must be broken).

Every failure case checks what a user would notice: the error type, that its message names the cause,
and that nothing is left behind (no file at dest, no .part file next to it).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug import Response

from readroom.errors import DownloadError, NetworkError, StorageError
from readroom.sources import download
from readroom.sources.download import download_pdf
from readroom.sources.saved_pdf import _WINDOWS_RESERVED, DownloadedPdf, safe_filename


def make_pdf(pages: int = 1) -> bytes:
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page().insert_text((72, 72), f"hi {i}")
    return doc.tobytes()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="module")
def big_pdf() -> bytes:
    """Several 64 KiB chunks, so progress and interruptions happen mid-download."""
    data = make_pdf(pages=800)
    assert len(data) > 3 * download.CHUNK
    return data


@pytest.fixture
def dest(tmp_path) -> Path:
    return tmp_path / "library" / "paper.pdf"  # the folder does not exist yet: download_pdf creates it


class Sleeps(list):
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part")) if folder.exists() else []


def assert_nothing_left(dest: Path) -> None:
    assert not dest.exists()
    assert leftovers(dest.parent) == []


def requests_made(httpserver) -> int:
    return len(httpserver.log)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def raw_server(payload: bytes) -> Iterator[tuple[str, list[int]]]:
    """Loopback server answering every connection with `payload`, then hanging up.

    Needed because a real HTTP server will not declare a Content-Length and then send less.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.05)
    stop, hits = threading.Event(), []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                conn.recv(65536)  # a small GET fits in one read
                conn.sendall(payload)
                conn.shutdown(socket.SHUT_WR)
                hits.append(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/paper.pdf", hits
    finally:
        stop.set()
        thread.join(2)
        sock.close()


# --- success -----------------------------------------------------------------------------------


def test_downloads_a_pdf_with_progress(httpserver, dest, big_pdf):
    httpserver.expect_request("/paper.pdf").respond_with_data(big_pdf, content_type="application/pdf")
    calls: list[tuple[int, int | None]] = []
    sleeps = Sleeps()

    got = download_pdf(httpserver.url_for("/paper.pdf"), dest, progress=lambda d, t: calls.append((d, t)), sleep=sleeps)

    assert got == DownloadedPdf(path=dest, sha256=hashlib.sha256(big_pdf).hexdigest(), size=len(big_pdf))
    assert dest.read_bytes() == big_pdf
    assert pymupdf.open(dest).page_count == 800
    done = [d for d, _ in calls]
    assert len(calls) > 1 and done == sorted(set(done)) and done[-1] == len(big_pdf)
    assert {t for _, t in calls} == {len(big_pdf)}
    assert sleeps == [] and leftovers(dest.parent) == []
    assert httpserver.log[0][0].headers["User-Agent"].startswith("readroom/")


def test_follows_redirects_and_replaces_an_old_file(httpserver, dest, pdf):
    dest.parent.mkdir()
    dest.write_bytes(b"old version")
    httpserver.expect_request("/abs/1").respond_with_data("", status=302, headers={"Location": "/pdf/1"})
    httpserver.expect_request("/pdf/1").respond_with_data(pdf, content_type="application/pdf")

    got = download_pdf(httpserver.url_for("/abs/1"), dest)

    assert got.size == len(pdf) and dest.read_bytes() == pdf
    assert leftovers(dest.parent) == []


def test_accepts_whitespace_and_bom_before_the_pdf_header(httpserver, dest, pdf):
    body = b"\xef\xbb\xbf\r\n  " + pdf
    httpserver.expect_request("/p").respond_with_data(body, content_type="application/pdf")
    assert download_pdf(httpserver.url_for("/p"), dest).size == len(body)


# --- retries -----------------------------------------------------------------------------------


def test_429_honours_retry_after_then_succeeds(httpserver, dest, pdf):
    httpserver.expect_oneshot_request("/p").respond_with_data("slow down", status=429, headers={"Retry-After": "2"})
    httpserver.expect_request("/p").respond_with_data(pdf, content_type="application/pdf")
    sleeps = Sleeps()

    got = download_pdf(httpserver.url_for("/p"), dest, sleep=sleeps)

    assert sleeps == [2]
    assert got.size == len(pdf) and requests_made(httpserver) == 2


def test_retry_after_as_http_date(httpserver, dest, pdf):
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=20), usegmt=True)
    httpserver.expect_oneshot_request("/p").respond_with_data("", status=503, headers={"Retry-After": when})
    httpserver.expect_request("/p").respond_with_data(pdf, content_type="application/pdf")
    sleeps = Sleeps()

    download_pdf(httpserver.url_for("/p"), dest, sleep=sleeps)

    assert len(sleeps) == 1 and 15 < sleeps[0] <= 20


def test_retry_after_too_long_gives_up_at_once(httpserver, dest):
    httpserver.expect_request("/p").respond_with_data("", status=503, headers={"Retry-After": "3600"})
    sleeps = Sleeps()

    with pytest.raises(NetworkError, match="asks to wait 3600 s"):
        download_pdf(httpserver.url_for("/p"), dest, sleep=sleeps)

    assert sleeps == [] and requests_made(httpserver) == 1
    assert_nothing_left(dest)


def test_503_three_times_then_success(httpserver, dest, pdf):
    for _ in range(3):
        httpserver.expect_oneshot_request("/p").respond_with_data("busy", status=503)
    httpserver.expect_request("/p").respond_with_data(pdf, content_type="application/pdf")
    sleeps = Sleeps()

    got = download_pdf(httpserver.url_for("/p"), dest, retries=3, sleep=sleeps)

    assert sleeps == [1, 2, 4]  # exponential backoff
    assert got.size == len(pdf) and requests_made(httpserver) == 4


def test_500_on_every_try_gives_up_after_the_retries(httpserver, dest):
    httpserver.expect_request("/p").respond_with_data("oops", status=500)
    sleeps = Sleeps()

    with pytest.raises(NetworkError, match=r"500 Internal Server Error after 3 tries; try again later") as info:
        download_pdf(httpserver.url_for("/p"), dest, retries=2, sleep=sleeps)

    assert type(info.value) is NetworkError
    assert requests_made(httpserver) == 3 and sleeps == [1, 2]
    assert_nothing_left(dest)


def test_404_is_not_retried(httpserver, dest):
    httpserver.expect_request("/p").respond_with_data("no such paper", status=404)
    sleeps = Sleeps()

    with pytest.raises(NetworkError, match="answered 404 Not Found; check the address"):
        download_pdf(httpserver.url_for("/p"), dest, retries=3, sleep=sleeps)

    assert requests_made(httpserver) == 1 and sleeps == []
    assert_nothing_left(dest)


def test_connection_refused(dest):
    port = free_port()  # bound then closed: nothing listens there now
    sleeps = Sleeps()

    with pytest.raises(NetworkError, match=rf"Cannot reach 127\.0\.0\.1:{port}: connection refused\. Check your"):
        download_pdf(f"http://127.0.0.1:{port}/p.pdf", dest, retries=1, sleep=sleeps)

    assert sleeps == [1]
    assert_nothing_left(dest)


@pytest.mark.parametrize("stall", ["before the headers", "in the middle of the body"])
def test_stalled_server_times_out(httpserver, dest, pdf, stall):
    release = threading.Event()  # frees the (shared, single-threaded) server as soon as the test is done

    def before_headers(request):
        release.wait(2)
        return Response(pdf, mimetype="application/pdf")

    def mid_body(request):
        def body():
            yield pdf[:200]
            release.wait(2)
            yield pdf[200:]

        return Response(body(), mimetype="application/pdf")

    handler = before_headers if stall == "before the headers" else mid_body
    httpserver.expect_request("/p").respond_with_handler(handler)
    started = time.monotonic()
    try:
        with pytest.raises(NetworkError, match=r"timed out after 0\.5 s"):
            download_pdf(httpserver.url_for("/p"), dest, timeout=0.5, retries=0)
    finally:
        release.set()
    assert time.monotonic() - started < 1.5
    assert_nothing_left(dest)


# --- refused content ---------------------------------------------------------------------------


def test_html_instead_of_pdf(httpserver, dest):
    page = "<!DOCTYPE html><html><body>Please sign in</body></html>"
    httpserver.expect_request("/p").respond_with_data(page, content_type="text/html")

    with pytest.raises(DownloadError, match="returned an HTML page, not a PDF.*`readroom add`"):
        download_pdf(httpserver.url_for("/p"), dest)

    assert requests_made(httpserver) == 1
    assert_nothing_left(dest)


def test_content_length_over_the_cap_is_refused_before_reading(httpserver, dest, big_pdf):
    httpserver.expect_request("/p").respond_with_data(big_pdf, content_type="application/pdf")
    calls = []

    with pytest.raises(DownloadError, match="is larger than the 100000 bytes limit; raise it with READROOM_MAX_PDF_MB"):
        download_pdf(httpserver.url_for("/p"), dest, max_bytes=100_000, progress=lambda *a: calls.append(a))

    assert calls == []
    assert_nothing_left(dest)


def test_cap_from_settings(httpserver, dest, big_pdf, monkeypatch):
    from readroom import config

    monkeypatch.setenv("READROOM_MAX_PDF_MB", "0.1")
    config.reload()
    httpserver.expect_request("/p").respond_with_data(big_pdf, content_type="application/pdf")

    with pytest.raises(DownloadError, match="larger than the 104857 bytes limit"):
        download_pdf(httpserver.url_for("/p"), dest)
    assert_nothing_left(dest)


def test_streaming_past_the_cap_without_content_length(httpserver, dest, pdf):
    def endless(request):
        def body():
            yield pdf[:100]
            for _ in range(100):
                yield b"0" * 8192

        return Response(body(), mimetype="application/pdf")  # a generator body: no Content-Length

    httpserver.expect_request("/p").respond_with_handler(endless)
    calls = []

    with pytest.raises(DownloadError, match="is larger than the 100000 bytes limit"):
        download_pdf(httpserver.url_for("/p"), dest, max_bytes=100_000, progress=lambda *a: calls.append(a))

    assert calls and all(total is None for _, total in calls)
    assert_nothing_left(dest)


def test_body_cut_off_before_content_length(dest, pdf):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: %d\r\n\r\n" % len(pdf)
    sleeps = Sleeps()
    with raw_server(head + pdf[:300]) as (url, hits):
        with pytest.raises(DownloadError, match=rf"was cut off after 300 of {len(pdf)} bytes"):
            download_pdf(url, dest, retries=1, sleep=sleeps)

    assert len(hits) == 2 and sleeps == [1]  # retried once, then gave up
    assert_nothing_left(dest)


def test_pdf_without_eof_marker_is_truncated(httpserver, dest, pdf):
    httpserver.expect_request("/p").respond_with_data(pdf[: len(pdf) // 2], content_type="application/pdf")

    with pytest.raises(DownloadError, match="the PDF is truncated"):
        download_pdf(httpserver.url_for("/p"), dest)

    assert_nothing_left(dest)


def test_not_http(dest):
    with pytest.raises(DownloadError, match="only http:// and https://"):
        download_pdf("ftp://example.org/p.pdf", dest)
    assert_nothing_left(dest)


# --- interruptions and the disk ----------------------------------------------------------------


def test_ctrl_c_mid_download_leaves_the_old_file_alone(httpserver, dest, big_pdf):
    dest.parent.mkdir()
    dest.write_bytes(b"the copy from last week")
    httpserver.expect_request("/p").respond_with_data(big_pdf, content_type="application/pdf")

    def progress(done, total):
        if done > download.CHUNK:  # a partial .part file exists by now
            assert leftovers(dest.parent)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download_pdf(httpserver.url_for("/p"), dest, progress=progress)

    assert dest.read_bytes() == b"the copy from last week"
    assert leftovers(dest.parent) == []


def test_disk_full(httpserver, dest, big_pdf, monkeypatch):
    # We cannot fill a real disk in CI, so the file the module opens fails with ENOSPC on its second write,
    # exactly as the OS reports a full disk.
    class FullDisk(io.FileIO):
        writes = 0

        def write(self, data):
            FullDisk.writes += 1
            if FullDisk.writes > 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().write(data)

    monkeypatch.setattr(download, "open", FullDisk, raising=False)
    dest.parent.mkdir()
    dest.write_bytes(b"old")
    httpserver.expect_request("/p").respond_with_data(big_pdf, content_type="application/pdf")

    with pytest.raises(StorageError, match="The disk is full: could not write in .*; free some space"):
        download_pdf(httpserver.url_for("/p"), dest)

    assert FullDisk.writes == 2
    assert dest.read_bytes() == b"old" and leftovers(dest.parent) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(httpserver, dest, pdf):
    httpserver.expect_request("/p").respond_with_data(pdf, content_type="application/pdf")
    dest.parent.mkdir()
    dest.parent.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="Cannot write to .*library: permission denied"):
            download_pdf(httpserver.url_for("/p"), dest)
    finally:
        dest.parent.chmod(0o700)
    assert_nothing_left(dest)


def test_folder_is_a_file(httpserver, dest, pdf, tmp_path):
    # Runs as root too (unlike the chmod test): a file where the folder should be.
    (tmp_path / "afile").write_text("not a folder")
    dest = tmp_path / "afile" / "x.pdf"
    httpserver.expect_request("/p").respond_with_data(pdf, content_type="application/pdf")

    with pytest.raises(StorageError, match="is a file, not a folder"):
        download_pdf(httpserver.url_for("/p"), dest)

    assert requests_made(httpserver) == 0  # refused before touching the network
    assert (tmp_path / "afile").read_text() == "not a folder"


# --- safe_filename -----------------------------------------------------------------------------

SAFE = re.compile(r"^[A-Za-z0-9._-]+$")

new_ids = st.from_regex(r"\A(0[7-9]|1[0-9]|2[0-5])(0[1-9]|1[0-2])\.[0-9]{4,5}(v[1-9][0-9]?)?\Z")
old_ids = st.from_regex(r"\A(hep-th|math|cs|astro-ph|cond-mat)(\.[A-Z]{2})?/[0-9]{7}(v[1-9])?\Z")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("hep-th/9901001v2", "hep-th_9901001v2.pdf"),
        ("1512.03385", "1512.03385.pdf"),
        ("Gödel's Proof: a *new* look?", "Godel-s-Proof-a-new-look.pdf"),
        ("", "paper.pdf"),
        ("...", "paper.pdf"),
        (".hidden", "hidden.pdf"),
        ("CON", "_CON.pdf"),
        ("aux.tar", "_aux.tar.pdf"),
        ("注意力", "paper.pdf"),
    ],
)
def test_safe_filename_examples(stem, expected):
    assert safe_filename(stem) == expected


@given(st.text(), st.integers(min_value=5, max_value=200))
def test_safe_filename_is_always_safe(stem, max_len):
    name = safe_filename(stem, max_len=max_len)
    assert SAFE.match(name) and not name.startswith(".")
    assert 0 < len(name) <= max_len and name.endswith(".pdf") and len(name) > len(".pdf")
    assert name.split(".")[0].upper() not in _WINDOWS_RESERVED
    assert safe_filename(name[: -len(".pdf")], max_len=max_len) == name  # stable when fed its own output


@given(st.one_of(new_ids, old_ids))
def test_safe_filename_keeps_arxiv_ids_readable(arxiv_id):
    assert safe_filename(arxiv_id) == arxiv_id.replace("/", "_") + ".pdf"


def test_safe_filename_needs_room_for_a_name():
    with pytest.raises(ValueError):
        safe_filename("x", max_len=4)
