"""Download one PDF over HTTP: streamed, size-capped, checked, retried, and saved atomically.

`dest` only ever holds a complete, checked PDF: bytes go to a hidden `.part` file next to it, which is
fsync'd and renamed over `dest` at the very end, or deleted on any failure (Ctrl-C and SIGTERM included; what a
SIGKILL leaves is swept by sources/partfiles.py). The whole download has a deadline ([network] pdf_deadline).
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from readroom import __version__, config
from readroom.errors import DISK_FULL_ERRNOS, DiskFull, DownloadError, NetworkError, StorageError
from readroom.sources.partfiles import part_path
from readroom.sources.saved_pdf import DownloadedPdf

USER_AGENT = f"readroom/{__version__} (+https://github.com/readroom)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 30.0  # seconds; exponential backoff 1, 2, 4 ... stops growing here
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for longer is not worth waiting for in a terminal
CHUNK = 64 * 1024  # the most one read brings (httpcore reads this much at a time)
SNIFF = 1024  # real PDFs may have junk (whitespace, a BOM) before %PDF; readers look this far

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class _Job:
    url: str
    dest: Path
    max_bytes: int
    timeout: float
    progress: Progress | None
    deadline: float  # seconds for the whole download, retries included
    end: float  # time.monotonic() when it runs out


class _Retry(Exception):
    """A failure worth another try; `error` is what the user sees when no try is left."""

    def __init__(self, error: NetworkError, wait: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait


def download_pdf(
    url: str,
    dest: Path,
    *,
    client: httpx.Client | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
) -> DownloadedPdf:
    """Fetch `url` into `dest` and return where it is, its sha256 and size; raise a ReadroomError otherwise."""
    conf = config.load().network
    deadline = conf.pdf_deadline if deadline is None else deadline
    job = _Job(
        url=url,
        dest=Path(dest),
        max_bytes=int(conf.max_pdf_mb * 1024 * 1024) if max_bytes is None else max_bytes,
        timeout=conf.http_timeout if timeout is None else timeout,
        progress=progress,
        deadline=deadline,
        end=time.monotonic() + deadline,
    )
    retries = max(0, conf.http_retries if retries is None else retries)
    _make_parent(job.dest)
    own_client = client is None
    client = client or httpx.Client(headers={"User-Agent": USER_AGENT})
    try:
        for attempt in range(retries + 1):
            try:
                return _attempt(client, job, tries=attempt + 1)
            except _Retry as retry:
                wait = retry.wait if retry.wait is not None else min(2.0**attempt, MAX_BACKOFF)
                if attempt == retries or time.monotonic() + wait >= job.end:
                    raise retry.error from None
                sleep(wait)
        raise AssertionError("unreachable")
    finally:
        if own_client:
            client.close()


def _attempt(client: httpx.Client, job: _Job, tries: int) -> DownloadedPdf:
    url = job.url
    try:
        timeout = httpx.Timeout(max(0.01, min(job.timeout, job.end - time.monotonic())))
        with client.stream("GET", url, follow_redirects=True, timeout=timeout) as resp:
            _check_status(resp, url, tries)
            total = _content_length(resp)
            if total is not None and total > job.max_bytes:
                raise _too_big(job)
            return _save(resp, job, total)
    except httpx.TimeoutException:
        if time.monotonic() >= job.end - 0.05:  # the read timeout was the deadline's
            raise _too_slow(job, None, None) from None
        raise _Retry(
            NetworkError(
                f"Download of {url} timed out after {job.timeout:g} s; "
                "try again later or raise READROOM_HTTP_TIMEOUT."
            )
        ) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        raise DownloadError(f"Cannot download {url}: only http:// and https:// addresses are supported.") from None
    except httpx.ConnectError as exc:
        message = f"Cannot reach {_where(exc, url)}: {_reason(exc)}. Check your network connection."
        raise _Retry(NetworkError(message)) from None
    except httpx.TransportError as exc:  # reset or closed before the body started, proxy failure
        message = f"Could not download {url}: {_reason(exc)}. Check your network connection."
        raise _Retry(NetworkError(message)) from None
    except httpx.RequestError as exc:  # too many redirects, undecodable body: another try won't help
        raise NetworkError(f"Could not download {url}: {_reason(exc)}.") from None


def _check_status(resp: httpx.Response, url: str, tries: int) -> None:
    if resp.is_success:
        return
    # The standard phrase, not the server's: some send "NOT FOUND" or nothing at all.
    answer = f"{resp.status_code} {httpx.codes.get_reason_phrase(resp.status_code) or resp.reason_phrase}".strip()
    if resp.status_code in RETRY_STATUSES:
        wait = _retry_after(resp.headers.get("Retry-After"))
        if wait is not None and wait > MAX_RETRY_AFTER:
            raise NetworkError(
                f"Could not download {url}: the server answered {answer} and asks to wait "
                f"{wait:.0f} s; try again later."
            )
        said = f"still answered {answer} after {tries} tries" if tries > 1 else f"answered {answer}"
        message = f"Could not download {url}: the server {said}; try again later."
        raise _Retry(NetworkError(message), wait)
    if resp.status_code in (401, 403):
        hint = "it may need a login; download it in a browser and `readroom add` the file."
    else:
        hint = "check the address."
    raise NetworkError(f"Could not download {url}: the server answered {answer}; {hint}")


def _save(resp: httpx.Response, job: _Job, total: int | None) -> DownloadedPdf:
    tmp = part_path(job.dest)
    try:
        digest, size, tail = _write(resp, job, tmp, total)
        if b"%%EOF" not in tail:
            raise DownloadError(
                f"Download of {job.url} is not a complete PDF: the PDF is truncated "
                "(no %%EOF end marker); try again, or download it in a browser."
            )
        os.replace(tmp, job.dest)
    except BaseException as exc:  # Ctrl-C too: never leave a partial file behind
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _storage_error(exc, job.dest) from None
        raise
    return DownloadedPdf(path=job.dest, sha256=digest, size=size)


def _write(resp: httpx.Response, job: _Job, tmp: Path, total: int | None) -> tuple[str, int, bytes]:
    """Stream the body into `tmp`; return (sha256, size, last bytes). Raises on anything not a full PDF."""
    digest = hashlib.sha256()
    size, head, tail = 0, b"", b""
    # Progress counts bytes saved; a compressed body's Content-Length counts something else.
    expected = total if resp.headers.get("Content-Encoding", "identity") == "identity" else None
    with open(tmp, "xb") as f:
        try:
            for chunk in resp.iter_bytes():  # as each read brings it: the deadline is checked even on a trickle
                size += len(chunk)
                if size > job.max_bytes:  # Content-Length was absent or lied
                    raise _too_big(job)
                if time.monotonic() > job.end:
                    raise _too_slow(job, size, expected)
                if len(head) < SNIFF:
                    head += chunk[: SNIFF - len(head)]
                    if len(head) >= SNIFF:
                        _check_pdf(head, resp, job.url)
                tail = (tail + chunk)[-SNIFF:]
                digest.update(chunk)
                f.write(chunk)
                if job.progress:
                    job.progress(size, expected)
        except (httpx.RemoteProtocolError, httpx.ReadError):  # server closed the connection mid-body
            raise _Retry(_cut_off(job.url, resp.num_bytes_downloaded, total)) from None
        _check_pdf(head, resp, job.url)
        if total is not None and resp.num_bytes_downloaded < total:
            raise _Retry(_cut_off(job.url, resp.num_bytes_downloaded, total))
        f.flush()
        os.fsync(f.fileno())
    return digest.hexdigest(), size, tail


_PDF_START = re.compile(rb"^(?:\xef\xbb\xbf|\s|\x00)*%PDF")
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf|\s)*<", re.IGNORECASE)


def _check_pdf(head: bytes, resp: httpx.Response, url: str) -> None:
    if _PDF_START.match(head[:SNIFF]):
        return
    if _HTML_START.match(head) or "html" in resp.headers.get("Content-Type", "").lower():
        raise DownloadError(
            f"{url} returned an HTML page, not a PDF (it may need a login or be behind a paywall); "
            "download it in a browser and `readroom add` the file."
        )
    raise DownloadError(f"{url} did not return a PDF (it starts with {head[:16]!r}); check the address.")


def _make_parent(dest: Path) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _storage_error(exc, dest) from None


def _storage_error(exc: OSError, dest: Path) -> StorageError:
    code = exc.errno
    if code in DISK_FULL_ERRNOS:
        return DiskFull(dest)
    if code == errno.EROFS:
        return StorageError(f"Cannot write to {dest.parent}: read-only file system; save somewhere writable.")
    if code in (errno.EACCES, errno.EPERM):
        return StorageError(f"Cannot write to {dest.parent}: permission denied; check the folder's permissions.")
    if code in (errno.ENOTDIR, errno.EEXIST):  # a part of the path is a file, not a folder
        return StorageError(f"Cannot save {dest}: a part of that path is a file, not a folder.")
    return StorageError(f"Cannot save {dest}: {exc.strerror or exc}.")


def _too_big(job: _Job) -> DownloadError:
    mb = job.max_bytes / (1024 * 1024)
    limit = f"{mb:g} MB" if mb >= 1 else f"{job.max_bytes} bytes"
    return DownloadError(f"{job.url} is larger than the {limit} limit; raise it with READROOM_MAX_PDF_MB.")


def _too_slow(job: _Job, done: int | None, total: int | None) -> DownloadError:
    mb = lambda n: f"{n / 1024 / 1024:.1f}"
    got = "" if done is None else f" ({mb(done)} of {mb(total)} MB came)" if total else f" ({mb(done)} MB came)"
    return DownloadError(f"Download of {job.url} did not finish in {job.deadline:g} s{got}; try again later "
                         "or raise READROOM_PDF_DEADLINE.")


def _cut_off(url: str, done: int, total: int | None) -> DownloadError:
    of = f" of {total}" if total is not None else ""
    return DownloadError(f"Download of {url} was cut off after {done}{of} bytes; try again later.")


def _content_length(resp: httpx.Response) -> int | None:
    try:
        return int(resp.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: either a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _where(exc: httpx.RequestError, url: str) -> str:
    try:
        target = exc.request.url  # after redirects, the host that actually failed
    except RuntimeError:
        target = httpx.URL(url)
    return f"{target.host}:{target.port}" if target.port else target.host


def _reason(exc: Exception) -> str:
    """`[Errno 111] Connection refused` -> `connection refused`; one line, no errno noise."""
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc).splitlines()[0] if str(exc) else "").rstrip(".")
    return (text[:1].lower() + text[1:]) if text else type(exc).__name__
